// SPDX-License-Identifier: Apache-2.0
// Host tests of the device headers' 16-bit float types (cuda_fp16.h,
// cuda_bf16.h) and saturating conversions (conversions.h), which compile as
// plain C++. References are computed independently: binary16 with GCC's
// _Float16 (libgcc's correctly rounded conversions), wider intermediates in
// double or __float128, bfloat16 with its classic bit formula or by choosing
// between the two neighbouring values explicitly.
#include <catch2/catch.hpp>

#include <algorithm>
#include <bit>
#include <climits>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace {

uint16_t bits(__half h) { return __half_as_ushort(h); }
uint16_t bits(__nv_bfloat16 b) { return __bfloat16_as_ushort(b); }
uint16_t bits(_Float16 h) { return std::bit_cast<uint16_t>(h); }
_Float16 f16(uint16_t b) { return std::bit_cast<_Float16>(b); }
float f32(uint32_t b) { return std::bit_cast<float>(b); }
bool is_nan16(uint16_t b) { return (b & 0x7fffu) > 0x7c00u; }
bool is_nan_bf16(uint16_t b) { return (b & 0x7fffu) > 0x7f80u; }

// Floats whose bits above `low_bits` take every value and whose low bits are
// 0, 1, the top low bit alone, all ones, or random: the first low bit is
// the rounding bit of a normal result and the rest only matter as a sticky
// bit, so this covers every case of the conversion.
template <typename F> void for_each_rounding_case(int low_bits, F check) {
  std::mt19937 rng(12345);
  const uint32_t low_mask = (1u << low_bits) - 1;
  const uint32_t patterns[] = {0, 1, 1u << (low_bits - 1), low_mask, (1u << (low_bits - 1)) | 1u};
  for (uint64_t high = 0; high < (1ull << (32 - low_bits)); ++high) {
    for (uint32_t low : patterns)
      check(static_cast<uint32_t>(high << low_bits) | low);
    check(static_cast<uint32_t>(high << low_bits) | (rng() & low_mask));
  }
}

// The next value up in magnitude of a 16-bit format (infinity after the
// largest finite value).
uint16_t next_magnitude(uint16_t b) { return static_cast<uint16_t>(b + 1); }

// Directed roundings from the correctly rounded (nearest) binary16 value:
// the neighbours of f are r and the value one step beyond it.
uint16_t half_reference(float f, __tessera_rounding mode) {
  const _Float16 r = static_cast<_Float16>(f);
  if (mode == __tessera_rn || std::isnan(f) || static_cast<float>(r) == f)
    return bits(r);
  // r and its neighbour on f's side bracket f; lo/hi are by magnitude.
  uint16_t lo = bits(r), hi = bits(r);
  if (std::fabs(static_cast<float>(r)) < std::fabs(f))
    hi = next_magnitude(lo);
  else
    lo = static_cast<uint16_t>(hi - 1); // hi is not +-0: f is not exact
  const bool negative = f < 0;
  const bool toward_zero = mode == __tessera_rz || (mode == __tessera_rd && !negative) ||
                           (mode == __tessera_ru && negative);
  return toward_zero ? lo : hi;
}

// bfloat16 from float by truncating the magnitude to 16 bits and stepping
// once away from zero when rounding says so.
uint16_t bf16_reference(float f, __tessera_rounding mode) {
  const uint32_t b = std::bit_cast<uint32_t>(f);
  if (std::isnan(f))
    return 0x7fff;
  if (mode == __tessera_rn)
    return static_cast<uint16_t>((b + 0x7fffu + ((b >> 16) & 1u)) >> 16);
  const uint16_t truncated = static_cast<uint16_t>(b >> 16);
  const bool exact = (b & 0xffffu) == 0;
  const bool negative = (b >> 31) != 0;
  const bool away =
      !exact && ((mode == __tessera_ru && !negative) || (mode == __tessera_rd && negative));
  return away ? next_magnitude(truncated) : truncated;
}

// The magnitude of a bfloat16 pattern, with the pattern after the largest
// finite one taken as 2^128 (rounding treats the exponent as unbounded).
double bf16_magnitude(uint16_t b) {
  b &= 0x7fffu;
  return b == 0x7f80u ? std::ldexp(1.0, 128)
                      : static_cast<double>(f32(static_cast<uint32_t>(b) << 16));
}

// bfloat16 nearest to a double, ties to even: lo and lo + 1 are the
// magnitudes just below and above |d|, found by stepping from a first guess;
// distances to |d| are exact in double (Sterbenz).
uint16_t bf16_reference(double d) {
  if (std::isnan(d))
    return 0x7fff;
  const double m = std::fabs(d);
  const uint16_t sign = std::signbit(d) ? 0x8000u : 0u;
  if (m >= std::ldexp(1.0, 128))
    return sign | 0x7f80u;
  uint16_t lo = static_cast<uint16_t>(std::bit_cast<uint32_t>(static_cast<float>(m)) >> 16);
  while (lo > 0 && bf16_magnitude(lo) > m)
    --lo;
  while (bf16_magnitude(static_cast<uint16_t>(lo + 1)) <= m)
    ++lo;
  const uint16_t hi = static_cast<uint16_t>(lo + 1);
  const double below = m - bf16_magnitude(lo), above = bf16_magnitude(hi) - m;
  if (below < above || (below == above && (lo & 1) == 0))
    return sign | lo;
  return sign | hi;
}

} // namespace

TEST_CASE("binary16 to float is exact for every pattern", "[device][half]") {
  for (uint32_t b = 0; b < 0x10000; ++b) {
    const float mine = __half2float(__ushort_as_half(static_cast<uint16_t>(b)));
    const float ref = static_cast<float>(f16(static_cast<uint16_t>(b)));
    if (std::isnan(ref)) {
      REQUIRE(std::isnan(mine));
      // The payload survives: converting back gives a NaN with the same sign.
      REQUIRE(std::signbit(mine) == std::signbit(ref));
    } else {
      INFO("pattern " << b);
      REQUIRE(std::bit_cast<uint32_t>(mine) == std::bit_cast<uint32_t>(ref));
    }
  }
}

TEST_CASE("float to binary16 rounds to nearest even like _Float16", "[device][half]") {
  uint64_t mismatches = 0, checked = 0;
  for_each_rounding_case(12, [&](uint32_t b) {
    const float f = f32(b);
    const uint16_t mine = bits(__float2half_rn(f));
    const uint16_t ref = half_reference(f, __tessera_rn);
    const bool ok = std::isnan(f) ? mine == 0x7fff : mine == ref;
    mismatches += ok ? 0 : 1;
    ++checked;
  });
  REQUIRE(checked > 6'000'000);
  REQUIRE(mismatches == 0);
  // The boundaries by name.
  REQUIRE(bits(__float2half(65504.0f)) == 0x7bff);
  REQUIRE(bits(__float2half(65519.996f)) == 0x7bff);
  REQUIRE(bits(__float2half(65520.0f)) == 0x7c00); // tie, rounds to even = inf
  REQUIRE(bits(__float2half(-1e10f)) == 0xfc00);
  REQUIRE(bits(__float2half(5.9604645e-08f)) == 0x0001); // 2^-24, smallest subnormal
  REQUIRE(bits(__float2half(2.9802322e-08f)) == 0x0000); // 2^-25 ties to even (zero)
  REQUIRE(bits(__float2half(2.9802326e-08f)) == 0x0001); // just above the tie
  REQUIRE(bits(__float2half(-0.0f)) == 0x8000);
  REQUIRE(bits(__float2half(std::numeric_limits<float>::infinity())) == 0x7c00);
  REQUIRE(bits(__float2half(std::numeric_limits<float>::quiet_NaN())) == 0x7fff);
}

TEST_CASE("float to binary16 with directed rounding", "[device][half]") {
  uint64_t mismatches = 0;
  for (__tessera_rounding mode : {__tessera_rz, __tessera_rd, __tessera_ru}) {
    for_each_rounding_case(14, [&](uint32_t b) {
      const float f = f32(b);
      if (std::isnan(f))
        return;
      const uint16_t mine = __tessera_round_to_small<5, 10>(f, mode);
      mismatches += mine == half_reference(f, mode) ? 0 : 1;
    });
  }
  REQUIRE(mismatches == 0);
  REQUIRE(bits(__float2half_rz(1e6f)) == 0x7bff); // overflow toward zero: largest finite
  REQUIRE(bits(__float2half_ru(1e6f)) == 0x7c00);
  REQUIRE(bits(__float2half_rd(-1e6f)) == 0xfc00);
  REQUIRE(bits(__float2half_ru(-1e6f)) == 0xfbff);
  REQUIRE(bits(__float2half_ru(1e-30f)) == 0x0001);
  REQUIRE(bits(__float2half_rd(1e-30f)) == 0x0000);
}

TEST_CASE("binary16 round trips through float for every value", "[device][half]") {
  for (uint32_t b = 0; b < 0x10000; ++b) {
    const uint16_t h = static_cast<uint16_t>(b);
    const uint16_t back = bits(__float2half(__half2float(__ushort_as_half(h))));
    REQUIRE(back == (is_nan16(h) ? 0x7fff : h));
  }
}

TEST_CASE("double to binary16 rounds once", "[device][half]") {
  std::mt19937_64 rng(777);
  uint64_t mismatches = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    // Exponents around binary16's range, random 52-bit mantissas.
    const uint64_t exponent = 1023 - 30 + rng() % 50;
    const uint64_t d_bits = (rng() & 0x800fffffffffffffull) | (exponent << 52);
    const double d = std::bit_cast<double>(d_bits);
    mismatches += bits(__double2half(d)) == bits(static_cast<_Float16>(d)) ? 0 : 1;
  }
  REQUIRE(mismatches == 0);
  // 2^-40 above the midpoint between 1 and 1 + 2^-10: rounding to float
  // first would lose the 2^-40 and round the tie to 1.
  const double tricky = 1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40);
  REQUIRE(bits(__double2half(tricky)) == 0x3c01);
  const double below = 1.0 + std::ldexp(1.0, -11) - std::ldexp(1.0, -40);
  REQUIRE(bits(__double2half(below)) == 0x3c00);
}

TEST_CASE("bfloat16 conversions", "[device][bf16]") {
  SECTION("to float: the upper half of a float") {
    for (uint32_t b = 0; b < 0x10000; ++b) {
      const float mine = __bfloat162float(__ushort_as_bfloat16(static_cast<uint16_t>(b)));
      REQUIRE(std::bit_cast<uint32_t>(mine) == b << 16);
    }
  }
  SECTION("from float, every rounding direction") {
    uint64_t mismatches = 0;
    for (__tessera_rounding mode : {__tessera_rn, __tessera_rz, __tessera_rd, __tessera_ru}) {
      for_each_rounding_case(15, [&](uint32_t b) {
        const uint16_t mine = __tessera_round_to_small<8, 7>(f32(b), mode);
        mismatches += mine == bf16_reference(f32(b), mode) ? 0 : 1;
      });
    }
    REQUIRE(mismatches == 0);
    REQUIRE(bits(__float2bfloat16(std::numeric_limits<float>::quiet_NaN())) == 0x7fff);
    // Halfway between the largest finite value and 2^128: ties to even = inf.
    REQUIRE(bits(__float2bfloat16(f32(0x7f7f8000u))) == 0x7f80);
    REQUIRE(bits(__float2bfloat16_rz(f32(0x7f7f8000u))) == 0x7f7f);
    REQUIRE(bits(__float2bfloat16(1e-40f)) == 0x0001); // float subnormal
  }
  SECTION("from double, rounded once") {
    std::mt19937_64 rng(4242);
    uint64_t mismatches = 0;
    for (int i = 0; i < 1'000'000; ++i) {
      const uint64_t exponent = 1023 - 140 + rng() % 270;
      const double d = std::bit_cast<double>((rng() & 0x800fffffffffffffull) | (exponent << 52));
      mismatches += bits(__double2bfloat16(d)) == bf16_reference(d) ? 0 : 1;
    }
    REQUIRE(mismatches == 0);
    const double tricky = 1.0 + std::ldexp(1.0, -8) + std::ldexp(1.0, -40);
    REQUIRE(bits(__double2bfloat16(tricky)) == 0x3f81);
  }
  SECTION("round trips") {
    for (uint32_t b = 0; b < 0x10000; ++b) {
      const uint16_t h = static_cast<uint16_t>(b);
      const uint16_t back = bits(__float2bfloat16(__bfloat162float(__ushort_as_bfloat16(h))));
      REQUIRE(back == (is_nan_bf16(h) ? 0x7fff : h));
    }
  }
}

TEST_CASE("integer conversions of binary16 and bfloat16", "[device][half][bf16]") {
  for (int i = -70000; i <= 70000; ++i) {
    REQUIRE(bits(__int2half_rn(i)) == bits(static_cast<_Float16>(static_cast<double>(i))));
    REQUIRE(bits(__int2bfloat16_rn(i)) == bf16_reference(static_cast<double>(i)));
  }
  // 63-bit values: the last bit must not be lost before rounding.
  const long long tie = (1ll << 62) + (1ll << 54); // halfway between two bfloat16 values
  REQUIRE(__bfloat162float(__ll2bfloat16_rn(tie)) == std::ldexp(1.0f, 62));
  REQUIRE(__bfloat162float(__ll2bfloat16_rn(tie + 1)) ==
          std::ldexp(1.0f, 62) + std::ldexp(1.0f, 55));
  REQUIRE(__bfloat162float(__ll2bfloat16_rn(-tie - 1)) ==
          -(std::ldexp(1.0f, 62) + std::ldexp(1.0f, 55)));
  REQUIRE(__bfloat162float(__ull2bfloat16_rz(~0ull)) == std::ldexp(255.0f, 56));
  REQUIRE(__bfloat162float(__ull2bfloat16_ru(~0ull)) == std::ldexp(1.0f, 64));
  REQUIRE(bits(__int2half_rn(65520)) == 0x7c00);
  REQUIRE(bits(__int2half_rz(70000)) == 0x7bff);
  REQUIRE(bits(__ll2half_rd(-(1ll << 40))) == 0xfc00);
  REQUIRE(bits(__uint2half_ru(2049u)) == bits(static_cast<_Float16>(2050.0)));

  for (uint32_t b = 0; b < 0x10000; ++b) {
    const __half h = __ushort_as_half(static_cast<uint16_t>(b));
    const float f = __half2float(h);
    if (std::isnan(f)) {
      REQUIRE(__half2int_rn(h) == 0);
      continue;
    }
    if (std::isinf(f)) {
      REQUIRE(__half2int_rz(h) == (f > 0 ? INT_MAX : INT_MIN));
      REQUIRE(__half2uint_rz(h) == (f > 0 ? UINT_MAX : 0u));
      continue;
    }
    REQUIRE(__half2int_rn(h) == static_cast<int>(std::nearbyint(f)));
    REQUIRE(__half2int_rz(h) == static_cast<int>(std::trunc(f)));
    REQUIRE(__half2int_rd(h) == static_cast<int>(std::floor(f)));
    REQUIRE(__half2ll_ru(h) == static_cast<long long>(std::ceil(f)));
    REQUIRE(__half2short_rz(h) ==
            static_cast<short>(std::max(-32768.0f, std::min(32767.0f, std::trunc(f)))));
    REQUIRE(__half2uint_rn(h) == (f <= 0 ? 0u : static_cast<unsigned>(std::nearbyint(f))));
  }
}

TEST_CASE("binary16 arithmetic is correctly rounded", "[device][half]") {
  std::mt19937 rng(99);
  std::vector<uint16_t> others(24);
  for (uint16_t& b : others)
    b = static_cast<uint16_t>(rng());
  others.push_back(0x0000);
  others.push_back(0x8001);
  others.push_back(0x7c00);
  others.push_back(0x7bff);
  uint64_t mismatches = 0;
  auto check = [&](uint16_t mine, double exact) {
    const uint16_t ref = bits(static_cast<_Float16>(exact));
    mismatches += (is_nan16(ref) ? is_nan16(mine) : mine == ref) ? 0 : 1;
  };
  for (uint32_t ab = 0; ab < 0x10000; ++ab) {
    const __half a = __ushort_as_half(static_cast<uint16_t>(ab));
    const double x = __half2float(a);
    // sqrt of a double is correctly rounded and 53 >= 2 * 11 + 2 bits, so
    // rounding it again to binary16 is too.
    check(bits(hsqrt(a)), std::sqrt(x));
    for (uint16_t bb : others) {
      const __half b = __ushort_as_half(bb);
      const double y = __half2float(b);
      check(bits(__hadd(a, b)), x + y); // exact in double
      check(bits(__hsub(a, b)), x - y);
      check(bits(__hmul(a, b)), x * y);
      check(bits(__hdiv(a, b)), x / y);
      // Operators round after each step.
      check(bits(a * b + a), static_cast<double>(__half2float(__hmul(a, b))) + x);
    }
  }
  REQUIRE(mismatches == 0);

  // fma rounds once: the exact a * b + c fits in __float128.
  uint64_t fma_mismatches = 0;
  for (int i = 0; i < 2'000'000; ++i) {
    const uint16_t ab = static_cast<uint16_t>(rng()), bb = static_cast<uint16_t>(rng()),
                   cb = static_cast<uint16_t>(rng());
    const __float128 exact = static_cast<__float128>(static_cast<float>(f16(ab))) *
                                 static_cast<__float128>(static_cast<float>(f16(bb))) +
                             static_cast<__float128>(static_cast<float>(f16(cb)));
    const uint16_t ref = bits(static_cast<_Float16>(exact));
    const uint16_t mine =
        bits(__hfma(__ushort_as_half(ab), __ushort_as_half(bb), __ushort_as_half(cb)));
    fma_mismatches += (is_nan16(ref) ? is_nan16(mine) : mine == ref) ? 0 : 1;
  }
  REQUIRE(fma_mismatches == 0);
  // The product is exactly halfway between two binary16 values; the
  // smallest subnormal addend decides the rounding.
  const __half a = __float2half(1.0f + 0x1p-10f), b = __float2half(1.0f + 0x1p-1f);
  const __half tiny = __ushort_as_half(0x0001);
  REQUIRE(__half2float(__hfma(a, b, tiny)) == 1.5f + 0x1p-9f);
}

TEST_CASE("bfloat16 arithmetic is correctly rounded", "[device][bf16]") {
  std::mt19937 rng(5);
  uint64_t mismatches = 0;
  for (int i = 0; i < 1'000'000; ++i) {
    const uint16_t ab = static_cast<uint16_t>(rng()), bb = static_cast<uint16_t>(rng());
    const __nv_bfloat16 a = __ushort_as_bfloat16(ab), b = __ushort_as_bfloat16(bb);
    const double x = __bfloat162float(a), y = __bfloat162float(b);
    auto same = [](uint16_t mine, uint16_t ref) {
      return is_nan_bf16(ref) ? is_nan_bf16(mine) : mine == ref;
    };
    // Products are exact in double. Sums and quotients are rounded to
    // double first, which cannot turn a value near a bfloat16 midpoint into
    // the midpoint itself (53 >= 2 * 8 + 2 bits, and a sum near a midpoint is
    // exact).
    mismatches += same(bits(__hmul(a, b)), bf16_reference(x * y)) ? 0 : 1;
    mismatches += same(bits(__hadd(a, b)), bf16_reference(x + y)) ? 0 : 1;
    mismatches += same(bits(__hdiv(a, b)), bf16_reference(x / y)) ? 0 : 1;
  }
  REQUIRE(mismatches == 0);
  const __nv_bfloat16 one = 1.0f, third = __float2bfloat16(1.0f / 3.0f);
  REQUIRE(__bfloat162float(one + third) == __bfloat162float(__float2bfloat16(1.0f + 1.0f / 3.0f)));
}

TEST_CASE("16-bit comparisons, min/max and pairs", "[device][half][bf16]") {
  const __half nan = __ushort_as_half(0x7e00), one = 1.0f, two = 2.0f;
  const __half pzero = __ushort_as_half(0x0000), nzero = __ushort_as_half(0x8000);
  REQUIRE(one < two);
  REQUIRE_FALSE(nan == nan);
  REQUIRE(nan != nan);            // operator!= is the unordered form
  REQUIRE_FALSE(__hne(nan, one)); // __hne is ordered
  REQUIRE(__hneu(nan, one));
  REQUIRE(__hisnan(nan));
  REQUIRE(__hisinf(__ushort_as_half(0xfc00)) == -1);
  REQUIRE(bits(__hmax(nan, one)) == bits(one));
  REQUIRE(bits(__hmax_nan(nan, one)) == 0x7fff);
  REQUIRE(bits(__hmax(pzero, nzero)) == 0x0000);
  REQUIRE(bits(__hmin(pzero, nzero)) == 0x8000);
  REQUIRE(bits(__hneg(one)) == 0xbc00);
  REQUIRE(__half2float(__hadd_sat(one, two)) == 1.0f);
  REQUIRE(__half2float(__hsub_sat(one, two)) == 0.0f);

  __half2 p = __halves2half2(one, two);
  p = p * p + __float2half2_rn(0.5f);
  const float2 f = __half22float2(p);
  REQUIRE(f.x == 1.5f);
  REQUIRE(f.y == 4.5f);
  REQUIRE(__half2float(__low2half(p)) == 1.5f);
  REQUIRE(__high2float(__lowhigh2highlow(p)) == 1.5f);
  REQUIRE(__hbgt2(p, __float2half2_rn(1.0f)));
  REQUIRE(__high2float(__hlt2(p, __float2half2_rn(2.0f))) == 0.0f);

  __nv_bfloat162 q = __floats2bfloat162_rn(3.0f, -2.0f);
  q = __hfma2(q, q, q);
  REQUIRE(__low2float(q) == 12.0f);
  REQUIRE(__high2float(q) == 2.0f);
  __nv_bfloat16 counter = 0;
  for (int i = 0; i < 10; ++i)
    counter++;
  REQUIRE(__bfloat162float(counter) == 10.0f);
  REQUIRE(__bfloat162float(hsqrt(__float2bfloat16(16.0f))) == 4.0f);
}

TEST_CASE("saturating float-to-integer conversions", "[device][conversions]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  REQUIRE(__float2int_rn(2.5f) == 2);
  REQUIRE(__float2int_rn(3.5f) == 4);
  REQUIRE(__float2int_rn(-2.5f) == -2);
  REQUIRE(__float2int_rz(-2.7f) == -2);
  REQUIRE(__float2int_rd(-2.2f) == -3);
  REQUIRE(__float2int_ru(2.2f) == 3);
  REQUIRE(__float2int_rn(nan) == 0);
  REQUIRE(__float2int_rn(3e9f) == INT_MAX);
  REQUIRE(__float2int_rn(-3e9f) == INT_MIN);
  REQUIRE(__float2int_rz(-2147483648.0f) == INT_MIN);
  REQUIRE(__float2uint_rn(-1.0f) == 0u);
  REQUIRE(__float2uint_rn(5e9f) == UINT_MAX);
  REQUIRE(__float2ull_rz(1e20f) == ULLONG_MAX);
  REQUIRE(__float2ll_rd(-1e19f) == LLONG_MIN);
  REQUIRE(__double2ll_rd(-0.5) == -1);
  REQUIRE(__double2uint_ru(4294967295.5) == UINT_MAX);
  REQUIRE(__double2int_rn(2147483647.4) == INT_MAX);
  REQUIRE(__double_as_longlong(__hiloint2double(__double2hiint(-1.25), __double2loint(-1.25))) ==
          __double_as_longlong(-1.25));
  REQUIRE(__float_as_uint(__int_as_float(0x3f800000)) == 0x3f800000u);
}
