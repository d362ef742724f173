// SPDX-License-Identifier: Apache-2.0
// Host side of the math accuracy test (test_math_accuracy.cpp): the error
// measure in ulps, reference values in long double, CUDA's float-to-integer
// conversions, and the test inputs.
//
// References are glibc's x87 long double functions (64-bit significand): for
// float functions that is 40 bits beyond the result, for double functions
// 11 bits, so their own error (a few long double ulps) is below 0.01 ulp of
// the result. Where a function has no long double counterpart it is built
// from ones that do, reducing arguments exactly first (sinpi, cospi) or
// carrying the rounding error of the argument (normcdf).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

namespace tessera::testing::math {

using ld = long double;

constexpr ld kPi = 3.141592653589793238462643383279502884L;

// The spacing of T's values at magnitude |v| (subnormal spacing below the
// normal range): one ulp of a T result near v.
template <typename T>
ld ulp_at(ld v) {
  using L = std::numeric_limits<T>;
  v = std::fabs(v);
  if (!(v >= static_cast<ld>(L::min()))) return static_cast<ld>(L::denorm_min());
  return std::ldexp(1.0L, std::ilogb(v) - (L::digits - 1));
}

// The error of a T result `got` for the exact value `want`, in ulps of T at
// |scale| (|want| unless given). Both NaN is no error; one NaN, or a finite
// result where the exact value is infinite, is an infinite error. An
// infinite result counts as 2^max_exponent (one ulp past the largest
// finite value), so overflowing early or late costs what it should.
template <typename T>
ld ulp_error(T got, ld want, ld scale) {
  using L = std::numeric_limits<T>;
  if (std::isnan(want) || std::isnan(got)) return std::isnan(want) && std::isnan(got) ? 0 : INFINITY;
  if (std::isinf(got)) {
    if (std::isinf(static_cast<T>(want)) && std::signbit(static_cast<T>(want)) == std::signbit(got)) return 0;
  }
  if (std::isinf(want)) return INFINITY;
  const ld g = std::isinf(got) ? std::copysign(std::ldexp(1.0L, L::max_exponent), static_cast<ld>(got))
                               : static_cast<ld>(got);
  return std::fabs(g - want) / ulp_at<T>(scale);
}

// sin(pi x) and cos(pi x): x = n/2 + r with |r| <= 1/4 exactly, so only
// pi * r is rounded (relative error 2^-64), also near the zeros.
inline void sincospi_ref(ld x, ld& s, ld& c) {
  if (!std::isfinite(x)) {
    s = c = NAN;
    return;
  }
  const ld n = std::rint(2 * x), r = x - n / 2;
  ld quadrant = std::fmod(n, 4.0L);
  if (quadrant < 0) quadrant += 4;
  const ld sr = std::sin(kPi * r), cr = std::cos(kPi * r);
  switch (static_cast<int>(quadrant)) {
    case 0: s = sr, c = cr; break;
    case 1: s = cr, c = -sr; break;
    case 2: s = -sr, c = -cr; break;
    default: s = -cr, c = sr; break;
  }
}
inline ld sinpi_ref(ld x) {
  ld s, c;
  sincospi_ref(x, s, c);
  return s;
}
inline ld cospi_ref(ld x) {
  ld s, c;
  sincospi_ref(x, s, c);
  return c;
}

// P(X <= x) = erfc(-x / sqrt(2)) / 2. The argument t is formed in binary128
// and split into t_hi + t_lo; erfc(t_hi + t_lo) = erfc(t_hi) - t_lo * 2/sqrt(pi)
// * exp(-t_hi^2) to first order. Without the correction the argument's
// rounding (relative 2^-64) would cost up to 2 t^2 2^-64 relatively, about one
// double ulp in the far left tail (t ~ 27).
inline ld normcdf_ref(ld x) {
  if (std::isnan(x)) return NAN;
  if (std::isinf(x)) return x > 0 ? 1 : 0;
  const __float128 t = -static_cast<__float128>(x) * 0.707106781186547524400844362104849039Q;
  const ld t_hi = static_cast<ld>(t), t_lo = static_cast<ld>(t - static_cast<__float128>(t_hi));
  return 0.5L * (std::erfc(t_hi) - t_lo * 1.128379167095512573896158903121545172L * std::exp(-t_hi * t_hi));
}

// CUDA's __float2int_rn & co: round, then saturate; NaN gives 0.
template <typename I, typename F>
I cuda_to_int(F x, ld (*round)(ld)) {
  if (std::isnan(x)) return 0;
  const ld r = round(static_cast<ld>(x));
  if (r >= static_cast<ld>(std::numeric_limits<I>::max()) + 1) return std::numeric_limits<I>::max();
  if (r < static_cast<ld>(std::numeric_limits<I>::min())) return std::numeric_limits<I>::min();
  return static_cast<I>(r);
}
inline ld round_nearest_even(ld x) { return std::nearbyint(x); }
inline ld round_toward_zero(ld x) { return std::trunc(x); }
inline ld round_down(ld x) { return std::floor(x); }
inline ld round_up(ld x) { return std::ceil(x); }

// CUDA's ilogb: INT_MIN for 0 and NaN, INT_MAX for infinities.
template <typename F>
int cuda_ilogb(F x) {
  if (x == 0 || std::isnan(x)) return std::numeric_limits<int>::min();
  if (std::isinf(x)) return std::numeric_limits<int>::max();
  return std::ilogb(x);
}

// remquo's result plus its quotient: the remainder r = x - n y (n the
// nearest integer to x / y, ties to even) and the low `quotient_bits` bits
// of |n| with the sign of x / y, added in F. C requires at least 3 bits;
// how many an implementation returns is its choice.
template <typename F>
F remquo_plus_quotient(F x, F y, int quotient_bits) {
  const F r = std::remainder(x, y);
  if (std::isnan(r)) return r;
  // |n| mod 2^k from t = |x| mod (2^k |y|), exact: quotients differing by
  // a multiple of 2^k (even) round the same way.
  const ld ay = std::fabs(static_cast<ld>(y));
  const ld t = std::fmod(std::fabs(static_cast<ld>(x)), std::ldexp(ay, quotient_bits));
  ld q = std::floor(t / ay);
  // The division rounded; settle q so that 0 <= t - q |y| < |y| exactly.
  while (std::fma(-q, ay, t) < 0) q -= 1;
  while (std::fma(-(q + 1), ay, t) >= 0) q += 1;
  const ld rest = std::fma(-q, ay, t);
  if (2 * rest > ay || (2 * rest == ay && std::fmod(q, 2.0L) != 0)) q += 1;
  q = std::fmod(q, std::ldexp(1.0L, quotient_bits));
  const int quotient = static_cast<int>(q) * ((std::signbit(x) != std::signbit(y)) ? -1 : 1);
  return r + static_cast<F>(quotient);
}

// Test inputs: first every pair of the special values (so each special
// case can be looked up), then random pairs, x and y drawn independently
// from a mixture: any finite value (uniform over bit patterns, i.e.
// log-uniform over the whole range, subnormals included, both signs),
// uniform in [-1, 1], [-10, 10] and [-100, 100], near multiples of 1/2
// (integers and half-integers within a few ulps, where rounding functions,
// sinpi and the gamma functions change), around 1, tiny (below 2^-10),
// large (above 2^10), and near multiples of pi/2.
template <typename T>
std::vector<T> special_values() {
  using L = std::numeric_limits<T>;
  std::vector<T> v = {T(0),         T(-0.0),       L::denorm_min(), -L::denorm_min(), L::min(),    -L::min(),
                      L::max(),     -L::max(),     L::infinity(),   -L::infinity(),   L::quiet_NaN(), T(1),
                      T(-1),        T(0.5),        T(-0.5),         T(2),             T(-2),       T(2.5),
                      T(-2.5),      T(3),          T(-3),           T(5),             T(7),        T(-8),
                      T(8),         T(0.7),        T(-0.7),         T(1) + L::epsilon(), T(1) - L::epsilon() / 2,
                      T(10),        T(-10),        T(100),          T(-100),          T(3e9),      T(-3e9),
                      T(1e20),      T(-1e20),      T(0.1),          T(1e-3),          T(-0.25),    T(kPi / 2)};
  if constexpr (sizeof(T) == 4) {
    for (T x : {88.72f, 89.0f, -87.3f, -103.9f, 35.0f, 35.1f, -41.5f}) v.push_back(x);
  } else {
    for (T x : {709.78, 710.0, -708.4, -745.2, 171.6, 172.0, -180.5}) v.push_back(x);
  }
  return v;
}

template <typename T>
T random_input(std::mt19937_64& rng, unsigned category) {
  using L = std::numeric_limits<T>;
  using Bits = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  auto unit = [&] { return static_cast<T>(static_cast<ld>(rng() >> 11) * 0x1p-53L); };  // [0, 1)
  auto sign = [&](T x) { return rng() & 1 ? -x : x; };
  const int digits = L::digits;
  switch (category) {
    case 0:
    case 1:
      for (;;) {  // any finite value
        const Bits b = static_cast<Bits>(rng());
        const T x = std::bit_cast<T>(b);
        if (std::isfinite(x)) return x;
      }
    case 2: return sign(unit());
    case 3: return sign(10 * unit());
    case 4: return sign(100 * unit());
    case 5: {  // within a few ulps of a multiple of 1/2 in [-64, 64]
      T x = static_cast<T>(static_cast<int>(rng() % 257) - 128) / 2;
      for (int steps = static_cast<int>(rng() % 7) - 3; steps != 0; steps += steps > 0 ? -1 : 1)
        x = std::nextafter(x, steps > 0 ? L::infinity() : -L::infinity());
      return x;
    }
    case 6:  // 1 +- 2^-e for e in [1, digits]
      return T(1) + sign(std::ldexp(T(1) + unit(), -1 - static_cast<int>(rng() % digits)));
    case 7:  // tiny: 2^[min_exponent - digits, -10)
      return sign(std::ldexp(T(1) + unit(), -10 - static_cast<int>(rng() % (-L::min_exponent + digits - 10))));
    case 8:  // large: 2^[10, max_exponent)
      return sign(std::ldexp(T(1) + unit(), 10 + static_cast<int>(rng() % (L::max_exponent - 11))));
    default: {  // near k pi / 2, |k| <= 1000
      const ld k = static_cast<ld>(static_cast<int>(rng() % 2001) - 1000);
      T x = static_cast<T>(k * kPi / 2);
      if (rng() & 1) x = std::nextafter(x, rng() & 1 ? L::infinity() : -L::infinity());
      return x;
    }
  }
}

template <typename T>
void make_inputs(size_t random_count, std::vector<T>& x, std::vector<T>& y) {
  const std::vector<T> special = special_values<T>();
  for (T a : special)
    for (T b : special) {
      x.push_back(a);
      y.push_back(b);
    }
  // Lanes of a warp that take the same path through the math library run
  // together; 32 different paths take the emulator 32 times as long. So the
  // categories change per 32 inputs, and the pairs end up sorted by x.
  std::mt19937_64 rng(sizeof(T) == 4 ? 0xf10a7 : 0xd0b1e);
  unsigned category_x = 0, category_y = 0;
  for (size_t i = 0; i < random_count; ++i) {
    if (i % 32 == 0) {
      category_x = static_cast<unsigned>(rng() % 10);
      category_y = static_cast<unsigned>(rng() % 10);
    }
    x.push_back(random_input<T>(rng, category_x));
    y.push_back(random_input<T>(rng, category_y));
  }
  std::vector<std::pair<T, T>> pairs;
  const size_t first = x.size() - random_count;
  for (size_t i = first; i < x.size(); ++i) pairs.push_back({x[i], y[i]});
  std::stable_sort(pairs.begin(), pairs.end(), [](auto a, auto b) { return a.first < b.first; });
  for (size_t i = 0; i < pairs.size(); ++i) x[first + i] = pairs[i].first, y[first + i] = pairs[i].second;
}

}  // namespace tessera::testing::math
