// SPDX-License-Identifier: Apache-2.0
// Each thread evaluates every device math function on its input x = in[i]
// (and y = in2[i] for two-argument functions) and writes the results to row i
// of out (float functions) and outd (double functions), in the order of the
// F_ / D_ lists below, so the host can compare each one with a reference.
#include <cuda_runtime.h>
#include <math.h>

#define F_FUNCS(X)                                                                                 \
  X(sqrtf(x))                                                                                      \
  X(rsqrtf(x))                                                                                     \
  X(cbrtf(x)) X(rcbrtf(x)) X(expf(x)) X(exp2f(x)) X(exp10f(x)) X(expm1f(x)) X(logf(x)) X(          \
      log2f(x)) X(log10f(x)) X(log1pf(x)) X(sinf(x)) X(cosf(x)) X(tanf(x)) X(asinf(x)) X(acosf(x)) \
      X(atanf(x)) X(sinhf(x)) X(coshf(x)) X(tanhf(x)) X(asinhf(x)) X(acoshf(x)) X(atanhf(x)) X(    \
          sinpif(x)) X(cospif(x)) X(erff(x)) X(erfcf(x)) X(normcdff(x)) X(lgammaf(x))              \
          X(tgammaf(x)) X(fabsf(x)) X(floorf(x)) X(ceilf(x)) X(truncf(x)) X(roundf(x)) X(rintf(x)) \
              X(nearbyintf(x)) X(logbf(x)) X(__expf(x)) X(__exp10f(x)) X(__logf(x)) X(__log2f(x))  \
                  X(__log10f(x)) X(__sinf(x)) X(__cosf(x)) X(__tanf(x)) X(                         \
                      __saturatef(x)) X(__frcp_rn(x)) X(__fsqrt_rn(x)) X(__frsqrt_rn(x))           \
                      X(powf(x, y)) X(__powf(x, y)) X(atan2f(x, y)) X(                             \
                          fmodf(x, y)) X(remainderf(x, y)) X(hypotf(x, y)) X(rhypotf(x, y))        \
                          X(fminf(x, y)) X(fmaxf(x, y)) X(fdimf(x, y)) X(copysignf(x, y)) X(       \
                              nextafterf(x, y)) X(fmaf(x, y, 1.5f))                                \
                              X(__fmaf_rn(x, y, 1.5f)) X(__fdividef(x, y)) X(__fdiv_rn(x, y)) X(   \
                                  __fadd_rn(x, y)) X(__fsub_rn(x, y))                              \
                                  X(__fmul_rn(x, y)) X(ldexpf(x, 3)) X(scalbnf(x, -2)) X(          \
                                      norm3df(x, y, 2.0f)) X(rnorm3df(x, y, 2.0f))                 \
                                      X(norm4df(x, y, 2.0f, 1.0f)) X(sinf_plus_cosf(x)) X(         \
                                          sinpif_cospif(x)) X(frexpf_mantissa(x))                  \
                                          X(modff_fraction(x)) X(remquof_quotient(x, y)) X(        \
                                              float(ilogbf(x))) X(float(isnan(x)))                 \
                                              X(float(isinf(x))) X(float(isfinite(x)))             \
                                                  X(float(signbit(x))) X(float(__float2int_rn(x))) \
                                                      X(float(__float2int_rz(x)))                  \
                                                          X(float(__float2int_rd(x)))              \
                                                              X(float(__float2int_ru(x)))          \
                                                                  X(float(__float2uint_rn(x))) X(  \
                                                                      float(__float2ll_rn(x)))     \
                                                                      X(float(__float2ull_rz(x)))  \
                                                                          X(rnorm4df(x, y, 2.0f,   \
                                                                                     1.0f))

// Overloads of the C++ names on float, as CUDA code writes them.
#define F_OVERLOADS(X)                                                                             \
  X(sqrt(x))                                                                                       \
  X(exp(x))                                                                                        \
  X(log(x)) X(sin(x)) X(cos(x)) X(tan(x)) X(pow(x, y)) X(fabs(x)) X(abs(x)) X(floor(x)) X(ceil(x)) \
      X(fmin(x, y)) X(fmax(x, y)) X(min(x, y)) X(max(x, y)) X(rsqrt(x)) X(exp10(x)) X(erf(x))      \
          X(tanh(x)) X(atan2(x, y)) X(fma(x, y, 0.5f)) X(hypot(x, y)) X(std::exp(x))               \
              X(std::sqrt(x)) X(std::min(x, y)) X(std::max(x, y))

#define D_FUNCS(X)                                                                                 \
  X(sqrt(x))                                                                                       \
  X(rsqrt(x))                                                                                      \
  X(cbrt(x)) X(rcbrt(x)) X(exp(x)) X(exp2(x)) X(exp10(x)) X(expm1(x)) X(log(x)) X(log2(x)) X(      \
      log10(x)) X(log1p(x)) X(sin(x)) X(cos(x)) X(tan(x)) X(asin(x)) X(acos(x)) X(atan(x))         \
      X(sinh(x)) X(cosh(x)) X(tanh(x)) X(asinh(x)) X(acosh(x)) X(atanh(x)) X(sinpi(x)) X(          \
          cospi(x)) X(erf(x)) X(erfc(x)) X(normcdf(x)) X(lgamma(x)) X(tgamma(x)) X(fabs(x))        \
          X(floor(x)) X(ceil(x)) X(trunc(x)) X(round(x)) X(rint(x)) X(pow(x, y)) X(atan2(x, y)) X( \
              fmod(x, y)) X(remainder(x, y)) X(hypot(x, y)) X(rhypot(x, y)) X(fmin(x, y))          \
              X(fmax(x, y)) X(min(x, y)) X(max(x, y)) X(copysign(x, y)) X(fma(x, y, 1.5)) X(       \
                  __fma_rn(x, y, 1.5)) X(__dadd_rn(x, y)) X(__dsub_rn(x, y)) X(__dmul_rn(x, y))    \
                  X(__ddiv_rn(x, y)) X(__drcp_rn(x)) X(__dsqrt_rn(x)) X(norm3d(x, y, 2.0)) X(      \
                      rnorm3d(x, y, 2.0)) X(sin_plus_cos(x)) X(double(__double2int_rn(x)))         \
                      X(double(__double2ll_rz(x))) X(double(__double2float_rn(x))) X(              \
                          __hiloint2double(__double2hiint(x), __double2loint(x))) X(nearbyint(x))  \
                          X(logb(x)) X(ldexp(x, 3)) X(scalbn(x, -2)) X(nextafter(x, y)) X(         \
                              fdim(x, y)) X(norm4d(x, y, 2.0, 1.0)) X(rnorm4d(x, y, 2.0, 1.0))     \
                              X(sinpi_cospi(x)) X(frexp_mantissa(x)) X(modf_fraction(x))           \
                                  X(remquo_quotient(x, y)) X(double(ilogb(x))) X(double(isnan(x))) \
                                      X(double(isinf(x)))                                          \
                                          X(double(isfinite(x))) X(double(signbit(x)))             \
                                              X(double(__double2int_rz(x)))                        \
                                                  X(double(__double2int_rd(x)))                    \
                                                      X(double(__double2int_ru(x)))                \
                                                          X(double(__double2uint_rn(x)))           \
                                                              X(double(__double2ll_rn(x)))         \
                                                                  X(double(__double2ull_rz(x)))

__device__ float sinf_plus_cosf(float x) {
  float s, c;
  sincosf(x, &s, &c);
  float s2, c2;
  __sincosf(x, &s2, &c2);
  return s + c + s2 + c2;
}
__device__ float sinpif_cospif(float x) {
  float s, c;
  sincospif(x, &s, &c);
  return s - c;
}
__device__ float frexpf_mantissa(float x) {
  int e;
  return frexpf(x, &e) + e;
}
__device__ float modff_fraction(float x) {
  float whole;
  return modff(x, &whole) + whole * 2.0f;
}
__device__ float remquof_quotient(float x, float y) {
  int q;
  return remquof(x, y, &q) + q;
}
__device__ double sin_plus_cos(double x) {
  double s, c;
  sincos(x, &s, &c);
  return s + c;
}
__device__ double sinpi_cospi(double x) {
  double s, c;
  sincospi(x, &s, &c);
  return s - c;
}
__device__ double frexp_mantissa(double x) {
  int e;
  return frexp(x, &e) + e;
}
__device__ double modf_fraction(double x) {
  double whole;
  return modf(x, &whole) + whole * 2.0;
}
__device__ double remquo_quotient(double x, double y) {
  int q;
  return remquo(x, y, &q) + q;
}

#define COUNT(expr) +1
constexpr int kFloatFuncs = 0 F_FUNCS(COUNT) F_OVERLOADS(COUNT);
constexpr int kDoubleFuncs = 0 D_FUNCS(COUNT);

__global__ void math_float(const float* in, const float* in2, float* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  const float x = in[i], y = in2[i];
  float* row = out + static_cast<long>(i) * kFloatFuncs;
  int k = 0;
#define STORE(expr) row[k++] = (expr);
  F_FUNCS(STORE)
  F_OVERLOADS(STORE)
}

__global__ void math_double(const double* in, const double* in2, double* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  const double x = in[i], y = in2[i];
  double* row = out + static_cast<long>(i) * kDoubleFuncs;
  int k = 0;
  D_FUNCS(STORE)
}
#undef STORE
