// SPDX-License-Identifier: Apache-2.0
// Conversions against MPFR in all five rounding modes: f64 <-> f32,
// float -> integer (RISC-V saturation, sign-extended 32-bit results),
// integer -> float. Integer operands concentrate on the type limits +- a
// few units and on values with more significant bits than the format holds.
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "oracle.hpp"

using namespace fpt;

namespace {

constexpr uint8_t kModes[] = {RNE, RTZ, RDN, RUP, RMM};


struct Mismatches {
  long checked = 0;
  long failed = 0;
  void compare(const char* what, uint8_t rm, uint64_t in, uint64_t got, uint8_t gf, uint64_t want, uint8_t wf) {
    ++checked;
    if (got == want && gf == wf) return;
    if (++failed > 12) return;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s rm=%u (%#" PRIx64 ") got %#" PRIx64 "/%02x want %#" PRIx64 "/%02x", what, rm,
                  in, got, gf, want, wf);
    UNSCOPED_INFO(buf);
  }
};

// ---- float -> integer ----

struct IntResult {
  uint64_t bits;
  uint8_t flags;
};

enum class IntKind { I32, U32, I64, U64 };

// The RISC-V register value for an integer conversion, from MPFR: round to
// an integer (mpfr_round is ties-away, i.e. RMM), then saturate.
template <class T>
IntResult int_reference(typename Fmt<T>::Bits a, IntKind k, uint8_t rm) {
  static Var x, r;
  using F = Fmt<T>;
  mpfr_set_prec(x, F::p);
  F::set(x, a);
  const bool is_signed = k == IntKind::I32 || k == IntKind::I64;
  const bool is32 = k == IntKind::I32 || k == IntKind::U32;
  const int64_t smin = is32 ? INT32_MIN : INT64_MIN;
  const int64_t smax = is32 ? INT32_MAX : INT64_MAX;
  const uint64_t umax = is32 ? UINT32_MAX : UINT64_MAX;
  auto reg = [&](uint64_t v) { return is32 ? static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(v))) : v; };
  const uint64_t vmax = is_signed ? static_cast<uint64_t>(smax) : umax;
  const uint64_t vmin = is_signed ? static_cast<uint64_t>(smin) : 0;
  if (mpfr_nan_p(x)) return {reg(vmax), NV};
  if (mpfr_inf_p(x)) return {reg(mpfr_signbit(x.v) ? vmin : vmax), NV};
  const int t = rm == RMM ? mpfr_round(r, x) : mpfr_rint(r, x, to_mpfr(rm));
  const bool too_big = is_signed ? mpfr_cmp_si(r, smax) > 0 : mpfr_cmp_ui(r, umax) > 0;
  const bool too_small = is_signed ? mpfr_cmp_si(r, smin) < 0 : mpfr_sgn(r.v) < 0;
  if (too_big) return {reg(vmax), NV};
  if (too_small) return {reg(vmin), NV};
  const uint64_t v = is_signed ? static_cast<uint64_t>(mpfr_get_si(r, MPFR_RNDN)) : mpfr_get_ui(r, MPFR_RNDN);
  return {reg(v), static_cast<uint8_t>(t != 0 ? NX : 0)};
}

uint64_t int_ours32(uint32_t a, IntKind k, uint8_t rm, uint8_t& f) {
  switch (k) {
    case IntKind::I32: return f32_to_i32(a, rm, f);
    case IntKind::U32: return f32_to_u32(a, rm, f);
    case IntKind::I64: return f32_to_i64(a, rm, f);
    default: return f32_to_u64(a, rm, f);
  }
}
uint64_t int_ours64(uint64_t a, IntKind k, uint8_t rm, uint8_t& f) {
  switch (k) {
    case IntKind::I32: return f64_to_i32(a, rm, f);
    case IntKind::U32: return f64_to_u32(a, rm, f);
    case IntKind::I64: return f64_to_i64(a, rm, f);
    default: return f64_to_u64(a, rm, f);
  }
}

// Values around every integer limit (+- a few ulps of the float just at it),
// halves and small values.
template <class T>
std::vector<typename Fmt<T>::Bits> int_corners() {
  using Bits = typename Fmt<T>::Bits;
  std::vector<Bits> out;
  auto add_around = [&](T v) {
    Bits b;
    std::memcpy(&b, &v, sizeof b);
    for (int d = -3; d <= 3; ++d) {
      out.push_back(static_cast<Bits>(b + d));
      out.push_back(static_cast<Bits>((b + d) ^ (Bits{1} << (sizeof(Bits) * 8 - 1))));
    }
  };
  const T pts[] = {T(0), T(0.25), T(0.5), T(0.75), T(1), T(1.5), T(2.5), T(3.5),
                   T(2147483648.0), T(4294967296.0), T(9223372036854775808.0), T(18446744073709551616.0),
                   T(1 << 23), T(1 << 24), T(9007199254740992.0)};
  for (T v : pts) add_around(v);
  for (Bits special : {Fmt<T>::kExpMask, static_cast<Bits>(Fmt<T>::kExpMask | 1), Fmt<T>::kNaN}) {
    out.push_back(special);
    out.push_back(static_cast<Bits>(special | (Bits{1} << (sizeof(Bits) * 8 - 1))));
  }
  return out;
}

template <class T>
void run_to_int(IntKind k, const char* name) {
  using Bits = typename Fmt<T>::Bits;
  Mismatches m;
  std::vector<Bits> vals = int_corners<T>();
  Rng g{0xc0ffee00ull + unsigned(k) + sizeof(T)};
  for (int i = 0; i < 4000; ++i) {
    // Exponents from 2^-3 to 2^70, random significands.
    const int e = int(g.next() % 74) - 3;
    const uint64_t bias = sizeof(T) == 4 ? 127 : 1023;
    const int fb = Fmt<T>::p - 1;
    const uint64_t bits = (uint64_t(g.next() & 1) << (sizeof(Bits) * 8 - 1)) | ((bias + e) << fb) |
                          (g.next() & ((uint64_t{1} << fb) - 1));
    vals.push_back(static_cast<Bits>(bits));
  }
  // A sweep of the whole encoding space: every exponent, both signs.
  for (uint64_t i = 0; i < 16384; ++i) {
    const uint64_t v = sizeof(T) == 4 ? i * 262147u : (i << 50) ^ (i * 0x9e3779b97f4a7c15ull >> 14);
    vals.push_back(static_cast<Bits>(v));
  }
  for (uint8_t rm : kModes) {
    for (Bits a : vals) {
      uint8_t f = 0;
      const uint64_t got = sizeof(T) == 4 ? int_ours32(static_cast<uint32_t>(a), k, rm, f) : int_ours64(a, k, rm, f);
      const IntResult want = int_reference<T>(a, k, rm);
      m.compare(name, rm, a, got, f, want.bits, want.flags);
    }
  }
  INFO(m.checked << " checked");
  CHECK(m.failed == 0);
}

// ---- integer -> float ----

std::vector<uint64_t> int_operands() {
  std::vector<uint64_t> out;
  const uint64_t pts[] = {0,
                          1,
                          (1ull << 24) + 1,
                          (1ull << 25) + 3,
                          (1ull << 53) + 1,
                          (1ull << 54) + 6,
                          0x7fffffffull,
                          0x80000000ull,
                          0xffffffffull,
                          0x7fffffffffffffffull,
                          0x8000000000000000ull,
                          0xffffffffffffffffull};
  for (uint64_t p : pts)
    for (int d = -3; d <= 3; ++d) {
      out.push_back(p + d);
      out.push_back(0 - (p + d));
    }
  Rng g{0x1234};
  for (int i = 0; i < 4000; ++i) {
    const uint64_t v = g.next() >> (g.next() % 64);
    out.push_back(v & ~((1ull << (g.next() % 40)) - 1));  // trailing zeros: ties
    out.push_back(v);
  }
  return out;
}

enum class FromKind { I32, U32, I64, U64 };

template <class T>
void run_from_int(FromKind k, const char* name) {
  Mismatches m;
  for (uint8_t rm : kModes) {
    for (uint64_t raw : int_operands()) {
      uint8_t f = 0;
      uint64_t got = 0;
      Result<T> want{};
      switch (k) {
        case FromKind::I32: {
          const int32_t v = static_cast<int32_t>(raw);
          got = sizeof(T) == 4 ? i32_to_f32(v, rm, f) : i32_to_f64(v, rm, f);
          want = oracle<T>(rm, false, false, [&](mpfr_ptr o, mpfr_rnd_t d) { return mpfr_set_si(o, v, d); });
          break;
        }
        case FromKind::U32: {
          const uint32_t v = static_cast<uint32_t>(raw);
          got = sizeof(T) == 4 ? u32_to_f32(v, rm, f) : u32_to_f64(v, rm, f);
          want = oracle<T>(rm, false, false, [&](mpfr_ptr o, mpfr_rnd_t d) { return mpfr_set_ui(o, v, d); });
          break;
        }
        case FromKind::I64: {
          const int64_t v = static_cast<int64_t>(raw);
          got = sizeof(T) == 4 ? i64_to_f32(v, rm, f) : i64_to_f64(v, rm, f);
          want = oracle<T>(rm, false, false, [&](mpfr_ptr o, mpfr_rnd_t d) { return mpfr_set_si(o, v, d); });
          break;
        }
        case FromKind::U64: {
          got = sizeof(T) == 4 ? u64_to_f32(raw, rm, f) : u64_to_f64(raw, rm, f);
          want = oracle<T>(rm, false, false, [&](mpfr_ptr o, mpfr_rnd_t d) { return mpfr_set_ui(o, raw, d); });
          break;
        }
      }
      m.compare(name, rm, raw, got, f, want.bits, want.flags);
    }
  }
  INFO(m.checked << " checked");
  CHECK(m.failed == 0);
}

}  // namespace

TEST_CASE("fp: float to integer conversions match MPFR with RISC-V saturation", "[fp]") {
  run_to_int<float>(IntKind::I32, "fcvt.w.s");
  run_to_int<float>(IntKind::U32, "fcvt.wu.s");
  run_to_int<float>(IntKind::I64, "fcvt.l.s");
  run_to_int<float>(IntKind::U64, "fcvt.lu.s");
  run_to_int<double>(IntKind::I32, "fcvt.w.d");
  run_to_int<double>(IntKind::U32, "fcvt.wu.d");
  run_to_int<double>(IntKind::I64, "fcvt.l.d");
  run_to_int<double>(IntKind::U64, "fcvt.lu.d");
}

TEST_CASE("fp: integer to float conversions match MPFR", "[fp]") {
  run_from_int<float>(FromKind::I32, "fcvt.s.w");
  run_from_int<float>(FromKind::U32, "fcvt.s.wu");
  run_from_int<float>(FromKind::I64, "fcvt.s.l");
  run_from_int<float>(FromKind::U64, "fcvt.s.lu");
  run_from_int<double>(FromKind::I32, "fcvt.d.w");
  run_from_int<double>(FromKind::U32, "fcvt.d.wu");
  run_from_int<double>(FromKind::I64, "fcvt.d.l");
  run_from_int<double>(FromKind::U64, "fcvt.d.lu");
}

TEST_CASE("fp: f64 <-> f32 conversions match MPFR", "[fp]") {
  static Var x;
  Mismatches m;
  Rng g{0xf64f32};
  std::vector<uint64_t> vals = {0, 1, 0x000fffffffffffffull, 0x0010000000000000ull, 0x3ff0000000000000ull,
                                0x7fefffffffffffffull, 0x7ff0000000000000ull, 0x7ff8000000000000ull,
                                0x7ff0000000000001ull, 0x7ff4000000000000ull};
  // Around the binary32 limits, in binary64: max finite, overflow threshold,
  // smallest normal, smallest subnormal and half of it, with tie patterns.
  for (int e : {127, 128, -126, -127, -149, -150, -151, 0}) {
    const uint64_t exp = static_cast<uint64_t>(1023 + e) << 52;
    for (uint64_t frac : {0ull, 1ull, 0x0000000010000000ull, 0x000fffffe0000000ull, 0x000fffff00000000ull,
                          0x000ffffff0000000ull, 0x000fffffefffffffull, 0x000ffffff0000001ull, 0x0000000020000000ull})
      vals.push_back(exp | frac);
  }
  for (int i = 0; i < 6000; ++i) {
    const uint64_t e = 1023 - 160 + g.next() % 300;  // the whole binary32 range and beyond
    uint64_t frac = g.next() & 0x000fffffffffffffull;
    if (g.next() & 1) frac &= ~((1ull << (g.next() % 52)) - 1);
    vals.push_back(e << 52 | frac);
  }
  const size_t n = vals.size();
  for (size_t i = 0; i < n; ++i) vals.push_back(vals[i] | (1ull << 63));
  for (uint8_t rm : kModes) {
    for (uint64_t a : vals) {
      uint8_t f = 0;
      const uint32_t got = f64_to_f32(a, rm, f);
      mpfr_set_prec(x, 53);
      Fmt<double>::set(x, a);
      const Result<float> want =
          oracle<float>(rm, is_nan<double>(a), is_snan<double>(a), [&](mpfr_ptr o, mpfr_rnd_t d) { return mpfr_set(o, x, d); });
      m.compare("fcvt.s.d", rm, a, got, f, want.bits, want.flags);
    }
  }
  // f32 -> f64 is exact: every class, including subnormals that become normal.
  for (int i = 0; i < 20000; ++i) {
    const uint32_t a = i < 64 ? (i < 32 ? 1u << i : 0x80000000u | (1u << (i - 32))) : static_cast<uint32_t>(g.next());
    uint8_t f = 0;
    const uint64_t got = f32_to_f64(a, f);
    mpfr_set_prec(x, 24);
    Fmt<float>::set(x, a);
    const Result<double> want =
        oracle<double>(RNE, is_nan<float>(a), is_snan<float>(a), [&](mpfr_ptr o, mpfr_rnd_t d) { return mpfr_set(o, x, d); });
    m.compare("fcvt.d.s", RNE, a, got, f, want.bits, want.flags);
  }
  INFO(m.checked << " checked");
  CHECK(m.failed == 0);
}
