// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: the parts of CUDA's math API that C and C++ lack.
//
// The C functions themselves (expf, sin, erff, ...) and libstdc++'s overloads
// (exp(float), std::sqrt, ...) come from <math.h>/<cmath>, made callable by
// host_libc.h, and are resolved at link time by picolibc. CUDA's fast
// intrinsics (__expf, __sinf, ...) are the accurate functions here: T1 has no
// special-function unit to trade accuracy for speed.
#ifndef TESSERA_DEVICE_DEVICE_MATH_H
#define TESSERA_DEVICE_DEVICE_MATH_H

#include <cmath>
#include <limits>

#include "host_device.h"

// ---- Reciprocals of roots ----
__TESSERA_D float rsqrtf(float x) { return 1.0f / __builtin_sqrtf(x); }
__TESSERA_D double rsqrt(double x) { return 1.0 / __builtin_sqrt(x); }
__TESSERA_D float rcbrtf(float x) { return 1.0f / cbrtf(x); }
__TESSERA_D double rcbrt(double x) { return 1.0 / cbrt(x); }

// ---- sin(pi x) and cos(pi x) ----
// x = n/2 + r with |r| <= 1/4 is exact, so only pi*r is rounded, and exact
// zeros and ones come out where they belong (sinpi(-2) = -0, cospi(0.5) = +0).
template <typename F> __TESSERA_D void __tessera_sincospi(F x, F* s, F* c) {
  constexpr F pi = static_cast<F>(3.14159265358979323846);
  // From 2^digits on, every value is an even integer.
  constexpr F all_even = static_cast<F>(1ull << std::numeric_limits<F>::digits);
  if (std::isinf(x) || std::isnan(x)) {
    *s = *c = x - x;
    return;
  }
  if (std::fabs(x) >= all_even)
    x = std::copysign(F(0), x);
  F n = std::rint(F(2) * x);
  F r = x - F(0.5) * n;
  long long int quadrant = static_cast<long long int>(n) & 3;
  F sr, cr;
  if (r == F(0)) {
    sr = std::copysign(F(0), quadrant & 1 ? F(1) : x);
    cr = F(1);
  } else {
    sr = std::sin(pi * r);
    cr = std::cos(pi * r);
  }
  switch (quadrant) {
  case 0:
    *s = sr;
    *c = cr;
    break;
  case 1:
    *s = cr;
    *c = r == F(0) ? F(0) : -sr;
    break;
  case 2:
    *s = r == F(0) ? sr : -sr;
    *c = -cr;
    break;
  default:
    *s = -cr;
    *c = r == F(0) ? F(0) : sr;
    break;
  }
}
__TESSERA_D void sincospif(float x, float* s, float* c) { __tessera_sincospi(x, s, c); }
__TESSERA_D void sincospi(double x, double* s, double* c) { __tessera_sincospi(x, s, c); }
__TESSERA_D float sinpif(float x) {
  float s, c;
  __tessera_sincospi(x, &s, &c);
  return s;
}
__TESSERA_D float cospif(float x) {
  float s, c;
  __tessera_sincospi(x, &s, &c);
  return c;
}
__TESSERA_D double sinpi(double x) {
  double s, c;
  __tessera_sincospi(x, &s, &c);
  return s;
}
__TESSERA_D double cospi(double x) {
  double s, c;
  __tessera_sincospi(x, &s, &c);
  return c;
}

// ---- Normal distribution, norms ----
// P(X <= x) for a standard normal X: erfc(t) / 2 with t = -x / sqrt(2). In
// the left tail a relative error d in t costs about 2 t^2 d in the result
// (t ~ 27 at the bottom of the double range), so t's rounding error t_lo is
// kept and applied to first order: erfc(t + t_lo) = erfc(t) - t_lo * 2/sqrt(pi) * exp(-t^2).
__TESSERA_D double normcdf(double x) {
  constexpr double c_hi = -0.70710678118654757;   // -1/sqrt(2) rounded
  constexpr double c_lo = 4.8336466567264567e-17; // -1/sqrt(2) - c_hi
  const double t = x * c_hi;
  const double t_lo = __builtin_fma(x, c_hi, -t) + x * c_lo;
  const double e = erfc(t);
  if (t_lo == 0.0 || !__builtin_isfinite(t))
    return 0.5 * e;
  return 0.5 * (e - t_lo * 1.1283791670955126 * exp(-t * t));
}
// In double: float's own erfcf loses tens of ulps in the tail.
__TESSERA_D float normcdff(float x) { return static_cast<float>(normcdf(static_cast<double>(x))); }

// The Euclidean norm of v[0..n) as m * 2^*e: the components are scaled by a
// power of two (exactly) so that the largest lies in [0.5, 1) and squares
// cannot overflow or underflow, which also keeps 1/norm finite where it is
// representable. An infinite component gives +inf even beside a NaN;
// otherwise a NaN gives NaN.
template <typename F> __TESSERA_D F __tessera_scaled_norm(int n, const F* v, int* e) {
  F m = 0, nan_or_zero = 0;
  for (int i = 0; i < n; ++i) {
    m = std::fmax(m, std::fabs(v[i])); // fmax skips NaNs
    nan_or_zero += v[i] - v[i];
  }
  *e = 0;
  if (std::isinf(m))
    return m;
  if (m == F(0) || nan_or_zero != F(0))
    return m + nan_or_zero;
  std::frexp(m, e);
  F sum = 0;
  for (int i = 0; i < n; ++i) {
    const F s = std::ldexp(v[i], -*e);
    sum += s * s;
  }
  return std::sqrt(sum);
}
template <typename F> __TESSERA_D F __tessera_norm(int n, const F* v) {
  int e;
  const F m = __tessera_scaled_norm(n, v, &e);
  return std::ldexp(m, e);
}
template <typename F> __TESSERA_D F __tessera_rnorm(int n, const F* v) {
  int e;
  const F m = __tessera_scaled_norm(n, v, &e);
  return std::ldexp(F(1) / m, -e);
}
__TESSERA_D float rhypotf(float x, float y) {
  const float v[] = {x, y};
  return __tessera_rnorm(2, v);
}
__TESSERA_D double rhypot(double x, double y) {
  const double v[] = {x, y};
  return __tessera_rnorm(2, v);
}
__TESSERA_D float norm3df(float a, float b, float c) {
  const float v[] = {a, b, c};
  return __tessera_norm(3, v);
}
__TESSERA_D float norm4df(float a, float b, float c, float d) {
  const float v[] = {a, b, c, d};
  return __tessera_norm(4, v);
}
__TESSERA_D double norm3d(double a, double b, double c) {
  const double v[] = {a, b, c};
  return __tessera_norm(3, v);
}
__TESSERA_D double norm4d(double a, double b, double c, double d) {
  const double v[] = {a, b, c, d};
  return __tessera_norm(4, v);
}
__TESSERA_D float rnorm3df(float a, float b, float c) {
  const float v[] = {a, b, c};
  return __tessera_rnorm(3, v);
}
__TESSERA_D float rnorm4df(float a, float b, float c, float d) {
  const float v[] = {a, b, c, d};
  return __tessera_rnorm(4, v);
}
__TESSERA_D double rnorm3d(double a, double b, double c) {
  const double v[] = {a, b, c};
  return __tessera_rnorm(3, v);
}
__TESSERA_D double rnorm4d(double a, double b, double c, double d) {
  const double v[] = {a, b, c, d};
  return __tessera_rnorm(4, v);
}

// ---- ilogb with CUDA's results ----
// INT_MIN for 0 and NaN, which are also the FP_ILOGB0 and FP_ILOGBNAN that
// device code sees in glibc's math.h; picolibc's own would return -INT_MAX
// and INT_MAX. Defined here (matching glibc's declarations) so that calls,
// std::ilogb included, never reach picolibc's.
template <typename F> __TESSERA_HD int __tessera_ilogb(F x) {
  if (x == F(0) || x != x)
    return -__INT_MAX__ - 1;
  if (__builtin_isinf(x))
    return __INT_MAX__;
  int e;
  __builtin_frexp(static_cast<double>(x), &e); // exact: every float is a double
  return e - 1;
}
extern "C" {
__TESSERA_HD int ilogbf(float x) noexcept { return __tessera_ilogb(x); }
__TESSERA_HD int ilogb(double x) noexcept { return __tessera_ilogb(x); }
}

// ---- CUDA's fast intrinsics: the accurate functions ----
// glibc's math.h already declares these names (its internal aliases) as
// extern "C" noexcept functions, made __host__ __device__ by host_libc.h; a
// definition must match that declaration, so these are host-device too.
extern "C" {
__TESSERA_HD float __expf(float x) noexcept { return expf(x); }
__TESSERA_HD float __exp10f(float x) noexcept { return exp10f(x); }
__TESSERA_HD float __logf(float x) noexcept { return logf(x); }
__TESSERA_HD float __log2f(float x) noexcept { return log2f(x); }
__TESSERA_HD float __log10f(float x) noexcept { return log10f(x); }
__TESSERA_HD float __sinf(float x) noexcept { return sinf(x); }
__TESSERA_HD float __cosf(float x) noexcept { return cosf(x); }
__TESSERA_HD float __tanf(float x) noexcept { return tanf(x); }
__TESSERA_HD void __sincosf(float x, float* s, float* c) noexcept { sincosf(x, s, c); }
__TESSERA_HD float __powf(float x, float y) noexcept { return powf(x, y); }
}
__TESSERA_D float __fdividef(float x, float y) { return x / y; }
__TESSERA_D float fdividef(float x, float y) { return x / y; }

// ---- Explicitly rounded arithmetic (round to nearest even) ----
// Never contracted into a fused multiply-add, as CUDA promises.
__TESSERA_D float __fadd_rn(float x, float y) { __TESSERA_NO_CONTRACT return x + y; }
__TESSERA_D float __fsub_rn(float x, float y) { __TESSERA_NO_CONTRACT return x - y; }
__TESSERA_D float __fmul_rn(float x, float y) { __TESSERA_NO_CONTRACT return x * y; }
__TESSERA_D float __fdiv_rn(float x, float y) { __TESSERA_NO_CONTRACT return x / y; }
__TESSERA_D float __frcp_rn(float x) { __TESSERA_NO_CONTRACT return 1.0f / x; }
__TESSERA_D float __fsqrt_rn(float x) { return __builtin_sqrtf(x); }
__TESSERA_D float __fmaf_rn(float x, float y, float z) { return __builtin_fmaf(x, y, z); }
// Via double: off by one ulp only when 1/sqrt(x) lies within 2^-53 of a
// float rounding boundary.
__TESSERA_D float __frsqrt_rn(float x) {
  return static_cast<float>(1.0 / __builtin_sqrt(static_cast<double>(x)));
}
__TESSERA_D double __dadd_rn(double x, double y) { __TESSERA_NO_CONTRACT return x + y; }
__TESSERA_D double __dsub_rn(double x, double y) { __TESSERA_NO_CONTRACT return x - y; }
__TESSERA_D double __dmul_rn(double x, double y) { __TESSERA_NO_CONTRACT return x * y; }
__TESSERA_D double __ddiv_rn(double x, double y) { __TESSERA_NO_CONTRACT return x / y; }
__TESSERA_D double __drcp_rn(double x) { __TESSERA_NO_CONTRACT return 1.0 / x; }
__TESSERA_D double __dsqrt_rn(double x) { return __builtin_sqrt(x); }
__TESSERA_D double __fma_rn(double x, double y, double z) { return __builtin_fma(x, y, z); }

// Clamps to [0, 1]; NaN gives 0.
__TESSERA_D float __saturatef(float x) { return x >= 1.0f ? 1.0f : (x > 0.0f ? x : 0.0f); }

// ---- C++ float overloads CUDA adds for its own functions ----
__TESSERA_D float rsqrt(float x) { return rsqrtf(x); }
__TESSERA_D float rcbrt(float x) { return rcbrtf(x); }
__TESSERA_D float sinpi(float x) { return sinpif(x); }
__TESSERA_D float cospi(float x) { return cospif(x); }
__TESSERA_D void sincospi(float x, float* s, float* c) { sincospif(x, s, c); }
__TESSERA_D float exp10(float x) { return exp10f(x); }
__TESSERA_D void sincos(float x, float* s, float* c) { sincosf(x, s, c); }
__TESSERA_D float normcdf(float x) { return normcdff(x); }
__TESSERA_D float rhypot(float x, float y) { return rhypotf(x, y); }
__TESSERA_D float norm3d(float a, float b, float c) { return norm3df(a, b, c); }
__TESSERA_D float rnorm3d(float a, float b, float c) { return rnorm3df(a, b, c); }

#endif // TESSERA_DEVICE_DEVICE_MATH_H
