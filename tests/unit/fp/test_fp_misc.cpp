// SPDX-License-Identifier: Apache-2.0
// Comparisons, min/max and classification (against MPFR's comparison
// predicates), hand-written expectations for the rules that are easy to get
// subtly wrong, NaN canonicalization, the fast-path helpers, and that the
// caller's host FP environment is left exactly as it was.
#include <cfenv>
#include <cstdint>
#include <vector>

#include <xmmintrin.h>

#include <catch2/catch.hpp>

#include "oracle.hpp"

using namespace fpt;

namespace {


template <class T>
std::vector<typename Fmt<T>::Bits> compare_operands() {
  using Bits = typename Fmt<T>::Bits;
  constexpr int W = Fmt<T>::kWidth;
  constexpr Bits kSign = Bits{1} << (W - 1);
  const Bits mags[] = {0, 1, 2, Fmt<T>::kQuiet - 1, Fmt<T>::kQuiet, Bits(Fmt<T>::kQuiet << 1), Bits(Fmt<T>::kQuiet << 1) | 1,
                       Bits(Fmt<T>::kExpMask - 1), Fmt<T>::kExpMask, Bits(Fmt<T>::kExpMask | 1),
                       Bits(Fmt<T>::kExpMask | Fmt<T>::kQuiet), Bits(~kSign)};
  std::vector<Bits> out;
  for (Bits m : mags) {
    out.push_back(m);
    out.push_back(m | kSign);
  }
  Rng g{sizeof(T)};
  for (int i = 0; i < 200; ++i) {
    const Bits v = static_cast<Bits>(g.next());
    out.push_back(v);
    out.push_back(v ^ kSign);  // same magnitude, other sign
    out.push_back(static_cast<Bits>(v + 1));
  }
  return out;
}

template <class T>
void check_compare_minmax() {
  using Bits = typename Fmt<T>::Bits;
  constexpr bool kS = sizeof(T) == 4;
  static Var x, y;
  mpfr_set_prec(x, Fmt<T>::p);
  mpfr_set_prec(y, Fmt<T>::p);
  long failed = 0;
  const auto vals = compare_operands<T>();
  for (Bits a : vals) {
    for (Bits b : vals) {
      Fmt<T>::set(x, a);
      Fmt<T>::set(y, b);
      const bool any_nan = is_nan<T>(a) || is_nan<T>(b);
      const bool any_snan = is_snan<T>(a) || is_snan<T>(b);
      uint8_t fe = 0, fl = 0, fle = 0, fmin = 0, fmax = 0;
      const bool eq = kS ? f32_eq(a, b, fe) : f64_eq(a, b, fe);
      const bool lt = kS ? f32_lt(a, b, fl) : f64_lt(a, b, fl);
      const bool le = kS ? f32_le(a, b, fle) : f64_le(a, b, fle);
      const Bits mn = kS ? f32_min(a, b, fmin) : f64_min(a, b, fmin);
      const Bits mx = kS ? f32_max(a, b, fmax) : f64_max(a, b, fmax);

      bool ok = eq == (mpfr_equal_p(x, y) != 0) && lt == (mpfr_less_p(x, y) != 0) &&
                le == (mpfr_lessequal_p(x, y) != 0);
      ok &= fe == (any_snan ? NV : 0) && fl == (any_nan ? NV : 0) && fle == (any_nan ? NV : 0);
      ok &= fmin == (any_snan ? NV : 0) && fmax == (any_snan ? NV : 0);
      Bits want_min, want_max;
      if (is_nan<T>(a) && is_nan<T>(b)) {
        want_min = want_max = Fmt<T>::kNaN;
      } else if (is_nan<T>(a)) {
        want_min = want_max = b;
      } else if (is_nan<T>(b)) {
        want_min = want_max = a;
      } else if (mpfr_less_p(x, y)) {
        want_min = a;
        want_max = b;
      } else if (mpfr_less_p(y, x)) {
        want_min = b;
        want_max = a;
      } else {  // equal: identical bits, or zeros of either sign (-0 < +0)
        const Bits kSign = Bits{1} << (Fmt<T>::kWidth - 1);
        want_min = (a | b) & kSign ? ((a & kSign) ? a : b) : a;
        want_max = (a & b) & kSign ? a : ((a & kSign) ? b : a);
      }
      ok &= mn == want_min && mx == want_max;
      if (!ok && ++failed <= 8) UNSCOPED_INFO("a=" << std::hex << uint64_t{a} << " b=" << uint64_t{b});
    }
  }
  CHECK(failed == 0);
}

template <class T>
void check_classify() {
  using Bits = typename Fmt<T>::Bits;
  static Var x;
  mpfr_set_prec(x, Fmt<T>::p);
  long failed = 0;
  for (Bits a : compare_operands<T>()) {
    Fmt<T>::set(x, a);
    const bool neg = (a >> (Fmt<T>::kWidth - 1)) != 0;
    uint16_t want;
    if (is_nan<T>(a)) want = is_snan<T>(a) ? kClassSNaN : kClassQNaN;
    else if (mpfr_inf_p(x)) want = neg ? kClassNegInf : kClassPosInf;
    else if (mpfr_zero_p(x)) want = neg ? kClassNegZero : kClassPosZero;
    else if (mpfr_cmpabs_ui(x, 0) > 0 && mpfr_get_exp(x) <= Fmt<T>::emin) want = neg ? kClassNegSubnormal : kClassPosSubnormal;
    else want = neg ? kClassNegNormal : kClassPosNormal;
    const uint16_t got = sizeof(T) == 4 ? f32_classify(static_cast<uint32_t>(a)) : f64_classify(a);
    if (got != want && ++failed <= 8) UNSCOPED_INFO("a=" << std::hex << uint64_t{a} << " got " << got << " want " << want);
  }
  CHECK(failed == 0);
}

}  // namespace

TEST_CASE("fp: eq/lt/le and min/max follow RISC-V NaN and signed-zero rules", "[fp]") {
  check_compare_minmax<float>();
  check_compare_minmax<double>();
}

TEST_CASE("fp: classify", "[fp]") {
  check_classify<float>();
  check_classify<double>();
  CHECK(f32_classify(0x80000000u) == kClassNegZero);
  CHECK(f32_classify(0x00000001u) == kClassPosSubnormal);
  CHECK(f32_classify(0x7f800001u) == kClassSNaN);
  CHECK(f64_classify(0xfff0000000000000ull) == kClassNegInf);
  CHECK(f64_classify(0x7ff8000000000000ull) == kClassQNaN);
}

// Hand-written expectations, independent of the oracle.
TEST_CASE("fp: spot checks", "[fp]") {
  uint8_t f = 0;
  // Ties: 1 + 2^-24 is halfway between 1 and 1 + 2^-23.
  CHECK(f32_add(0x3f800000u, 0x33800000u, RNE, f) == 0x3f800000u);
  CHECK(f32_add(0x3f800000u, 0x33800000u, RMM, f) == 0x3f800001u);
  CHECK(f32_add(0xbf800000u, 0xb3800000u, RMM, f) == 0xbf800001u);
  CHECK(f32_add(0x3f800000u, 0x33800000u, RUP, f) == 0x3f800001u);
  CHECK(f32_add(0x3f800000u, 0x33800000u, RDN, f) == 0x3f800000u);
  CHECK(f == NX);
  // Overflow: inf or max-finite depending on direction.
  f = 0;
  CHECK(f32_mul(0x7f7fffffu, 0x40000000u, RNE, f) == 0x7f800000u);
  CHECK(f == (OF | NX));
  CHECK(f32_mul(0x7f7fffffu, 0x40000000u, RTZ, f) == 0x7f7fffffu);
  CHECK(f32_mul(0xff7fffffu, 0x40000000u, RUP, f) == 0xff7fffffu);
  CHECK(f32_mul(0xff7fffffu, 0x40000000u, RDN, f) == 0xff800000u);
  CHECK(f32_mul(0xff7fffffu, 0x40000000u, RMM, f) == 0xff800000u);
  // Tininess after rounding: (1 - 2^-53) * 2^-1022 is exact with an
  // unbounded exponent (so tiny) but rounds to 2^-1022 under RNE: UF|NX.
  // (1 + 2^-52)(1 - 2^-52) 2^-1022 rounds up to 2^-1022 under RUP even with
  // an unbounded exponent: not tiny, so NX alone.
  f = 0;
  CHECK(f64_mul(0x3fefffffffffffffull, 0x0010000000000000ull, RNE, f) == 0x0010000000000000ull);
  CHECK(f == (UF | NX));
  f = 0;
  CHECK(f64_mul(0x3fefffffffffffffull, 0x000fffffffffffffull, RUP, f) == 0x000fffffffffffffull);
  CHECK(f == (UF | NX));  // (1 - 2^-53)(1 - 2^-52) 2^-1022: tiny, rounds to the largest subnormal
  f = 0;
  CHECK(f64_mul(0x3ff0000000000001ull, 0x000fffffffffffffull, RUP, f) == 0x0010000000000000ull);
  CHECK(f == NX);  // (1 + 2^-52)(1 - 2^-52) 2^-1022 rounds to 2^-1022 at 53 bits: not tiny
  // Exact subnormal results raise nothing.
  f = 0;
  CHECK(f32_mul(0x00000002u, 0x3f000000u, RNE, f) == 0x00000001u);
  CHECK(f == 0);
  // Zero sums: +0, or -0 under RDN.
  CHECK(f64_add(0x3ff0000000000000ull, 0xbff0000000000000ull, RNE, f) == 0);
  CHECK(f64_add(0x3ff0000000000000ull, 0xbff0000000000000ull, RDN, f) == 0x8000000000000000ull);
  CHECK(f64_add(0x3ff0000000000000ull, 0xbff0000000000000ull, RMM, f) == 0);
  // Fused forms: fnmadd = -(a*b) - c, fnmsub = -(a*b) + c.
  f = 0;
  CHECK(f32_nmadd(0x40000000u, 0x40400000u, 0x3f800000u, RNE, f) == 0xc0e00000u);  // -(2*3)-1 = -7
  CHECK(f32_nmsub(0x40000000u, 0x40400000u, 0x3f800000u, RNE, f) == 0xc0a00000u);  // -(2*3)+1 = -5
  CHECK(f32_msub(0x40000000u, 0x40400000u, 0x3f800000u, RNE, f) == 0x40a00000u);   // 2*3-1 = 5
  CHECK(f == 0);
  // fnmadd of +0*+0 and +0: -(+0) - (+0) = -0.
  CHECK(f64_nmadd(0, 0, 0, RNE, f) == 0x8000000000000000ull);
  // inf*0 + qNaN is invalid.
  f = 0;
  CHECK(f64_madd(0x7ff0000000000000ull, 0, 0x7ff8000000000000ull, RNE, f) == kCanonicalNaN64);
  CHECK(f == NV);
  f = 0;
  CHECK(f32_madd(0, 0xff800000u, 0x7fc00000u, RMM, f) == kCanonicalNaN32);
  CHECK(f == NV);
  // Integer conversions.
  f = 0;
  CHECK(f32_to_u32(0xbf000000u, RTZ, f) == 0);  // -0.5 -> 0, inexact
  CHECK(f == NX);
  f = 0;
  CHECK(f32_to_u32(0xbf000000u, RDN, f) == 0);  // -0.5 -> -1: invalid
  CHECK(f == NV);
  f = 0;
  CHECK(f32_to_u32(0xbf000000u, RMM, f) == 0);  // -0.5 -> -1 (ties away): invalid
  CHECK(f == NV);
  f = 0;
  CHECK(f32_to_i32(0x7fc00000u, RNE, f) == 0x7fffffffull);
  CHECK(f32_to_u32(0x7fc00000u, RNE, f) == ~uint64_t{0});  // 0xffffffff sign-extended
  CHECK(f32_to_i64(0xff800000u, RNE, f) == 0x8000000000000000ull);
  CHECK(f32_to_u64(0x7f800000u, RNE, f) == ~uint64_t{0});
  CHECK(f == NV);
  f = 0;
  CHECK(f64_to_i32(0xc1e0000000000000ull, RNE, f) == 0xffffffff80000000ull);  // INT32_MIN exactly
  CHECK(f == 0);
  CHECK(f64_to_i32(0xc1e0000000200000ull, RNE, f) == 0xffffffff80000000ull);  // INT32_MIN - 1: saturates
  CHECK(f == NV);
  f = 0;
  CHECK(f64_to_i32(0x41dfffffffe00000ull, RTZ, f) == 0x7fffffffull);  // 2147483647.5 -> RTZ
  CHECK(f == NX);
  f = 0;
  CHECK(f64_to_u64(0x43f0000000000000ull, RNE, f) == ~uint64_t{0});  // 2^64: out of range
  CHECK(f == NV);
  f = 0;
  CHECK(i64_to_f32(INT64_MIN, RNE, f) == 0xdf000000u);
  CHECK(u64_to_f64(~uint64_t{0}, RTZ, f) == 0x43efffffffffffffull);
  CHECK(f == NX);
  f = 0;
  CHECK(u64_to_f64(~uint64_t{0}, RNE, f) == 0x43f0000000000000ull);
  // Format conversions.
  f = 0;
  CHECK(f32_to_f64(0x00000001u, f) == 0x36a0000000000000ull);  // 2^-149, now normal
  CHECK(f == 0);
  CHECK(f64_to_f32(0x36a0000000000000ull, RNE, f) == 0x00000001u);
  CHECK(f == 0);
  CHECK(f64_to_f32(0x3690000000000000ull, RMM, f) == 0x00000001u);  // 2^-150: tie, away
  CHECK(f == (UF | NX));
  f = 0;
  CHECK(f64_to_f32(0x3690000000000000ull, RNE, f) == 0);  // tie, even
  CHECK(f == (UF | NX));
}

TEST_CASE("fp: NaN results are canonical", "[fp]") {
  uint8_t f = 0;
  const uint32_t q32 = 0xffc12345u, s32 = 0x7f812345u;
  const uint64_t q64 = 0xfff8000000012345ull, s64 = 0x7ff0000000012345ull;
  for (uint8_t rm : {RNE, RTZ, RDN, RUP, RMM}) {
    f = 0;
    CHECK(f32_add(q32, 0x3f800000u, rm, f) == kCanonicalNaN32);
    CHECK(f == 0);
    CHECK(f32_mul(s32, 0x3f800000u, rm, f) == kCanonicalNaN32);
    CHECK(f == NV);
    f = 0;
    CHECK(f32_sub(0x7f800000u, 0x7f800000u, rm, f) == kCanonicalNaN32);  // host default NaN is negative
    CHECK(f == NV);
    f = 0;
    CHECK(f32_sqrt(0xbf800000u, rm, f) == kCanonicalNaN32);
    CHECK(f == NV);
    f = 0;
    CHECK(f32_sqrt(0x80000000u, rm, f) == 0x80000000u);  // sqrt(-0) = -0
    CHECK(f == 0);
    CHECK(f64_div(0, 0, rm, f) == kCanonicalNaN64);
    CHECK(f == NV);
    f = 0;
    CHECK(f64_madd(q64, 0x3ff0000000000000ull, 0, rm, f) == kCanonicalNaN64);
    CHECK(f == 0);
    CHECK(f64_to_f32(q64, rm, f) == kCanonicalNaN32);
    CHECK(f == 0);
    CHECK(f64_to_f32(s64, rm, f) == kCanonicalNaN32);
    CHECK(f == NV);
  }
  f = 0;
  CHECK(f32_to_f64(q32, f) == kCanonicalNaN64);
  CHECK(f == 0);
  CHECK(f32_min(q32, s32, f) == kCanonicalNaN32);
  CHECK(f == NV);
  f = 0;
  CHECK(f64_max(q64, 0xbff0000000000000ull, f) == 0xbff0000000000000ull);
  CHECK(f == 0);
  // Sign injection passes NaNs through untouched (bit operations).
  CHECK(f32_sgnjn(s32, 0) == (s32 | 0x80000000u));
  CHECK(f64_sgnjx(q64, 0x8000000000000000ull) == (q64 & ~(1ull << 63)));
  CHECK(f64_sgnj(0x3ff0000000000000ull, 0x8000000000000000ull) == 0xbff0000000000000ull);
  CHECK(f32_sgnj(0xbf800000u, 0) == 0x3f800000u);
  CHECK(f32_sgnjx(0xbf800000u, 0x80000000u) == 0x3f800000u);
  CHECK(f64_sgnjn(0x3ff0000000000000ull, 0) == 0xbff0000000000000ull);
}

TEST_CASE("fp: host flag mapping and RoundingScope", "[fp]") {
  CHECK(host_flags_to_riscv(FE_INEXACT) == NX);
  CHECK(host_flags_to_riscv(FE_UNDERFLOW) == UF);
  CHECK(host_flags_to_riscv(FE_OVERFLOW) == OF);
  CHECK(host_flags_to_riscv(FE_DIVBYZERO) == DZ);
  CHECK(host_flags_to_riscv(FE_INVALID) == NV);
  CHECK(host_flags_to_riscv(FE_ALL_EXCEPT) == (NX | UF | OF | DZ | NV));
  CHECK(host_supports(RUP));
  CHECK_FALSE(host_supports(RMM));

  REQUIRE(std::fegetround() == FE_TONEAREST);
  {
    RoundingScope s(RTZ);
    CHECK(std::fegetround() == FE_TOWARDZERO);
    {
      RoundingScope inner(RDN);
      CHECK(std::fegetround() == FE_DOWNWARD);
      CHECK((_mm_getcsr() & 0x6000u) == 0x2000u);  // SSE follows too
    }
    CHECK(std::fegetround() == FE_TOWARDZERO);
  }
  {
    RoundingScope s(RUP);
    CHECK(std::fegetround() == FE_UPWARD);
  }
  CHECK(std::fegetround() == FE_TONEAREST);
}

TEST_CASE("fp: the caller's host FP environment is preserved", "[fp]") {
  // Operations whose results would change under a foreign rounding mode or
  // with FTZ/DAZ (subnormal operands and results).
  auto run = [](uint64_t* r) {
    uint8_t f = 0;
    r[0] = f64_mul(0x000fffffffffffffull, 0x3fe0000000000000ull, RNE, f);
    r[1] = f32_add(0x3f800000u, 0xb3000000u, RTZ, f);
    r[2] = f32_div(0x3f800000u, 0x40400000u, RDN, f);
    r[3] = f64_madd(0x3ff0000000000001ull, 0x3ff0000000000001ull, 0x000fffffffffffffull, RDN, f);
    r[4] = f64_sqrt(0x4000000000000000ull, RMM, f);
    r[5] = f64_to_f32(0x3ff0000000000001ull, RNE, f);
    r[6] = f32_sqrt(0x00000003u, RTZ, f);
    r[7] = f;
  };
  const unsigned saved = _mm_getcsr();
  uint64_t clean[8], messy[8];
  run(clean);
  // Caller state: round up, FTZ and DAZ on, some flags already raised.
  const unsigned caller = (saved & ~0xE07Fu) | (2u << 13) | 0x8040u | 0x21u;
  _mm_setcsr(caller);
  run(messy);
  const unsigned after = _mm_getcsr();
  _mm_setcsr(saved);
  // MXCSR comes back bit for bit, flags included, and results ignore it.
  CHECK(after == caller);
  for (int i = 0; i < 8; ++i) CHECK(messy[i] == clean[i]);
  CHECK(clean[0] == 0x0008000000000000ull);  // DAZ would have made the operand 0
  CHECK(clean[1] == 0x3f7fffffu);
  CHECK(std::fegetround() == FE_TONEAREST);
}
