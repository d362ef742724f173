// SPDX-License-Identifier: Apache-2.0
// MPFR as the reference for RISC-V F/D results and flags.
//
// RNE/RTZ/RDN/RUP: the operation is rounded to p bits with MPFR's (huge)
// default exponent range, which is exactly "rounded with an unbounded
// exponent": that value decides tininess (after rounding, as RISC-V
// specifies). The result is then brought into the format's range with
// mpfr_check_range + mpfr_subnormalize, the documented way to emulate IEEE
// subnormals; MPFR's ternary value gives inexact, its overflow flag OF.
//
// RMM: MPFR has no ties-away rounding for arithmetic, so the result is
// computed with 320-bit precision toward zero (plus the ternary value, a
// sticky bit) and rounded to the format's quantum by hand: when the 320-bit
// value is at or above the midpoint the exact value is too, otherwise it is
// below, because the midpoint lies on the 320-bit grid.
//
// NaN results are the canonical NaN; NV is raised for a signaling operand,
// for an invalid operation (a NaN result from non-NaN operands) and for
// fma's inf*0 even with a quiet-NaN addend.
#pragma once

#include <cstdint>
#include <cstring>

#include <mpfr.h>

#include "fp/fp.hpp"

namespace fpt {

using namespace tessera::emu::fp;

template <class T>
struct Fmt;
template <>
struct Fmt<float> {
  using Bits = uint32_t;
  static constexpr int p = 24, emin = -126, emax = 127;
  static constexpr Bits kNaN = kCanonicalNaN32, kQuiet = 0x00400000u, kExpMask = 0x7f800000u;
  static constexpr int kWidth = 32;
  static void set(mpfr_ptr r, Bits b) {
    float f;
    std::memcpy(&f, &b, 4);
    mpfr_set_flt(r, f, MPFR_RNDN);
  }
  static Bits get(mpfr_srcptr r) {
    const float f = mpfr_get_flt(r, MPFR_RNDN);
    Bits b;
    std::memcpy(&b, &f, 4);
    return b;
  }
};
template <>
struct Fmt<double> {
  using Bits = uint64_t;
  static constexpr int p = 53, emin = -1022, emax = 1023;
  static constexpr Bits kNaN = kCanonicalNaN64, kQuiet = 0x0008000000000000ull, kExpMask = 0x7ff0000000000000ull;
  static constexpr int kWidth = 64;
  static void set(mpfr_ptr r, Bits b) {
    double d;
    std::memcpy(&d, &b, 8);
    mpfr_set_d(r, d, MPFR_RNDN);
  }
  static Bits get(mpfr_srcptr r) {
    const double d = mpfr_get_d(r, MPFR_RNDN);
    Bits b;
    std::memcpy(&b, &d, 8);
    return b;
  }
};

template <class T>
bool is_nan(typename Fmt<T>::Bits b) {
  using F = Fmt<T>;
  const typename F::Bits mag = b & ~(typename F::Bits{1} << (F::kWidth - 1));
  return mag > F::kExpMask;
}
template <class T>
bool is_snan(typename Fmt<T>::Bits b) {
  return is_nan<T>(b) && !(b & Fmt<T>::kQuiet);
}

inline mpfr_rnd_t to_mpfr(uint8_t rm) {
  switch (rm) {
    case RNE: return MPFR_RNDN;
    case RTZ: return MPFR_RNDZ;
    case RDN: return MPFR_RNDD;
    case RUP: return MPFR_RNDU;
    default: return MPFR_RNDZ;  // RMM: see above
  }
}

template <class T>
struct Result {
  typename Fmt<T>::Bits bits;
  uint8_t flags;
};

// An MPFR variable that lives for the whole test (no per-call allocation).
struct Var {
  mpfr_t v;
  Var() { mpfr_init2(v, 320); }
  ~Var() { mpfr_clear(v); }
  Var(const Var&) = delete;
  Var& operator=(const Var&) = delete;
  operator mpfr_ptr() { return v; }
};

// Computes `op(r, rnd)` (reading operands the caller already set, exactly)
// and returns the RISC-V result and flags. `nan_in`: some operand is a NaN;
// `nv_in`: some operand is signaling, or another reason for NV.
template <class T, class Op>
Result<T> oracle(uint8_t rm, bool nan_in, bool nv_in, Op&& op) {
  using F = Fmt<T>;
  static Var r, s, fl, fr;
  const mpfr_exp_t emin0 = mpfr_get_emin(), emax0 = mpfr_get_emax();
  uint8_t flags = nv_in ? NV : 0;
  mpfr_set_prec(r, rm == RMM ? 320 : F::p);
  mpfr_clear_flags();
  int t = op(r, to_mpfr(rm));
  if (mpfr_nan_p(r)) {
    if (!nan_in) flags |= NV;
    return {F::kNaN, flags};
  }
  if (mpfr_divby0_p()) flags |= DZ;
  if (mpfr_inf_p(r) || mpfr_zero_p(r)) return {F::get(r), flags};  // exact in the wide range

  if (rm != RMM) {
    const bool tiny = mpfr_get_exp(r) <= F::emin;  // |r| < 2^emin
    mpfr_set_emin(F::emin - F::p + 2);             // MPFR exponents: [0.5, 1) * 2^e
    mpfr_set_emax(F::emax + 1);
    mpfr_clear_flags();
    t = mpfr_check_range(r, t, to_mpfr(rm));
    t = mpfr_subnormalize(r, t, to_mpfr(rm));
    const bool of = mpfr_overflow_p();
    mpfr_set_emin(emin0);
    mpfr_set_emax(emax0);
    if (t != 0) flags |= NX;
    if (of) flags |= OF;
    if (tiny && t != 0) flags |= UF;
    return {F::get(r), flags};
  }

  // RMM. Magnitude rounded to a multiple of 2^qe, ties away.
  const bool neg = mpfr_signbit(r);
  const mpfr_exp_t lead = mpfr_get_exp(r) - 1;  // |r| in [2^lead, 2^(lead+1))
  auto round_at = [&](mpfr_exp_t qe, mpfr_ptr out) -> bool {  // returns "fraction nonzero"
    mpfr_mul_2si(s, r, -qe, MPFR_RNDN);  // exact
    mpfr_abs(s, s, MPFR_RNDN);
    mpfr_floor(fl, s);
    mpfr_sub(fr, s, fl, MPFR_RNDN);  // exact
    const bool up = mpfr_cmp_d(fr, 0.5) >= 0;
    mpfr_add_ui(out, fl, up ? 1 : 0, MPFR_RNDN);
    mpfr_mul_2si(out, out, qe, MPFR_RNDN);
    return !mpfr_zero_p(fr);
  };
  static Var unb;
  round_at(lead - (F::p - 1), unb);
  const bool tiny = mpfr_cmp_ui_2exp(unb, 1, F::emin) < 0;
  static Var res;
  const bool frac = round_at((lead > F::emin ? lead : F::emin) - (F::p - 1), res);
  const bool inexact = t != 0 || frac;
  if (inexact) flags |= NX;
  if (tiny && inexact) flags |= UF;
  if (mpfr_cmp_ui_2exp(res, 1, F::emax + 1) >= 0) {
    flags |= OF | NX;
    mpfr_set_inf(res, 1);
  }
  if (neg) mpfr_neg(res, res, MPFR_RNDN);
  return {F::get(res), flags};
}

// Deterministic operand generator shared by the FP tests (splitmix64).
struct Rng {
  uint64_t s;
  uint64_t next() {  // splitmix64
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  unsigned below(unsigned n) { return static_cast<unsigned>(next() % n); }
};

}  // namespace fpt
