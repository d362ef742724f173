// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: the operations __half and __nv_bfloat16 share.
//
// CUDA gives both formats the same function names (__hadd, __hmul2, hsqrt,
// ...). Here they are templates enabled for the types that specialize
// __tessera_small_float (in cuda_fp16.h and cuda_bf16.h). Arithmetic goes
// through float and is rounded once to the 16-bit format: float's 24-bit
// significand is wide enough (>= 2p + 2 bits for p = 11 and p = 8) that
// rounding a float sum, product, quotient or square root again gives the
// correctly rounded 16-bit result. fma is done separately (small_float_bits.h).
// Mixed operands (a __half and a float) use the implicit conversion to float,
// as the templates never match them.
#ifndef TESSERA_DEVICE_SMALL_FLOAT_OPS_H
#define TESSERA_DEVICE_SMALL_FLOAT_OPS_H

#include <cmath>
#include <type_traits>

#include "small_float_bits.h"

// Specialized per scalar type with: exponent_bits, mantissa_bits, a pair type
// `pair`, and static bits(T) / from_bits(unsigned short).
template <typename T> struct __tessera_small_float { static constexpr bool defined = false; };
// Specialized per pair type with: the element type `scalar`.
template <typename T2> struct __tessera_small_float_pair { static constexpr bool defined = false; };

// R, for scalar T only / pair T2 only.
template <typename T, typename R = T>
using __tessera_if_small = typename std::enable_if<__tessera_small_float<T>::defined, R>::type;
template <typename T2, typename R = T2>
using __tessera_if_small_pair =
    typename std::enable_if<__tessera_small_float_pair<T2>::defined, R>::type;

template <typename T> __TESSERA_HD float __tessera_to_float(T v) {
  using traits = __tessera_small_float<T>;
  return __tessera_small_to_float<traits::exponent_bits, traits::mantissa_bits>(traits::bits(v));
}
template <typename T>
__TESSERA_HD T __tessera_from_double(double v, __tessera_rounding mode = __tessera_rn) {
  using traits = __tessera_small_float<T>;
  return traits::from_bits(
      __tessera_round_to_small<traits::exponent_bits, traits::mantissa_bits>(v, mode));
}
template <typename T> __TESSERA_HD T __tessera_from_int(long long v, __tessera_rounding mode) {
  using traits = __tessera_small_float<T>;
  return traits::from_bits(
      __tessera_i64_to_small<traits::exponent_bits, traits::mantissa_bits>(v, mode));
}
template <typename T>
__TESSERA_HD T __tessera_from_uint(unsigned long long v, __tessera_rounding mode) {
  using traits = __tessera_small_float<T>;
  return traits::from_bits(
      __tessera_u64_to_small<traits::exponent_bits, traits::mantissa_bits>(v, mode));
}
template <typename T> __TESSERA_HD T __tessera_nan() {
  return __tessera_small_float<T>::from_bits(__tessera_small_nan);
}
// [0, 1] with NaN flushed to +0, for the _sat operations.
__TESSERA_HD float __tessera_saturate(float x) { return x >= 1.0f ? 1.0f : (x > 0.0f ? x : 0.0f); }

// ---- Arithmetic ----
template <typename T> __TESSERA_HD __tessera_if_small<T> __hadd(T a, T b) {
  return __tessera_from_double<T>(__tessera_to_float(a) + __tessera_to_float(b));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hsub(T a, T b) {
  return __tessera_from_double<T>(__tessera_to_float(a) - __tessera_to_float(b));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hmul(T a, T b) {
  return __tessera_from_double<T>(__tessera_to_float(a) * __tessera_to_float(b));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hdiv(T a, T b) {
  return __tessera_from_double<T>(__tessera_to_float(a) / __tessera_to_float(b));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hfma(T a, T b, T c) {
  using traits = __tessera_small_float<T>;
  return traits::from_bits(__tessera_small_fma<traits::exponent_bits, traits::mantissa_bits>(
      __tessera_to_float(a), __tessera_to_float(b), __tessera_to_float(c), __tessera_rn));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hadd_sat(T a, T b) {
  return __tessera_from_double<T>(
      __tessera_saturate(__tessera_to_float(a) + __tessera_to_float(b)));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hsub_sat(T a, T b) {
  return __tessera_from_double<T>(
      __tessera_saturate(__tessera_to_float(a) - __tessera_to_float(b)));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hmul_sat(T a, T b) {
  return __tessera_from_double<T>(
      __tessera_saturate(__tessera_to_float(a) * __tessera_to_float(b)));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hfma_sat(T a, T b, T c) {
  // Rounding then clamping equals clamping then rounding: 0 and 1 are exact.
  return __tessera_from_double<T>(__tessera_saturate(__tessera_to_float(__hfma(a, b, c))));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hneg(T a) {
  using traits = __tessera_small_float<T>;
  return traits::from_bits(static_cast<unsigned short>(traits::bits(a) ^ 0x8000u));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __habs(T a) {
  using traits = __tessera_small_float<T>;
  return traits::from_bits(static_cast<unsigned short>(traits::bits(a) & 0x7fffu));
}

// ---- Comparisons: ordered ones are false, unordered (..u) true, for NaN ----
#define __TESSERA_SMALL_COMPARE(name, expr)                                                        \
  template <typename T> __TESSERA_HD __tessera_if_small<T, bool> name(T a, T b) {                  \
    const float x = __tessera_to_float(a), y = __tessera_to_float(b);                              \
    return expr;                                                                                   \
  }
__TESSERA_SMALL_COMPARE(__heq, x == y)
__TESSERA_SMALL_COMPARE(__hne, (x < y) || (x > y))
__TESSERA_SMALL_COMPARE(__hlt, x < y)
__TESSERA_SMALL_COMPARE(__hle, x <= y)
__TESSERA_SMALL_COMPARE(__hgt, x > y)
__TESSERA_SMALL_COMPARE(__hge, x >= y)
__TESSERA_SMALL_COMPARE(__hequ, !((x < y) || (x > y)))
__TESSERA_SMALL_COMPARE(__hneu, !(x == y))
__TESSERA_SMALL_COMPARE(__hltu, !(x >= y))
__TESSERA_SMALL_COMPARE(__hleu, !(x > y))
__TESSERA_SMALL_COMPARE(__hgtu, !(x <= y))
__TESSERA_SMALL_COMPARE(__hgeu, !(x < y))
#undef __TESSERA_SMALL_COMPARE

template <typename T> __TESSERA_HD __tessera_if_small<T, bool> __hisnan(T a) {
  return (__tessera_small_float<T>::bits(a) & 0x7fffu) >
         (((1u << __tessera_small_float<T>::exponent_bits) - 1)
          << __tessera_small_float<T>::mantissa_bits);
}
// -1 for -infinity, 1 for +infinity, else 0.
template <typename T> __TESSERA_HD __tessera_if_small<T, int> __hisinf(T a) {
  const float x = __tessera_to_float(a);
  return x == __builtin_huge_valf() ? 1 : (x == -__builtin_huge_valf() ? -1 : 0);
}

// max/min: a NaN operand loses (both NaN: NaN), +0 is above -0. The _nan
// forms return NaN when either operand is NaN.
template <typename T> __TESSERA_HD T __tessera_max_min(T a, T b, bool max, bool nan_wins) {
  using traits = __tessera_small_float<T>;
  const bool a_nan = __hisnan(a), b_nan = __hisnan(b);
  if (a_nan || b_nan)
    return (nan_wins || (a_nan && b_nan)) ? __tessera_nan<T>() : (a_nan ? b : a);
  const float x = __tessera_to_float(a), y = __tessera_to_float(b);
  if (x != y)
    return (x > y) == max ? a : b;
  // Equal: identical bits, or two zeros whose signs decide.
  const unsigned short bits =
      max ? (traits::bits(a) & traits::bits(b)) : (traits::bits(a) | traits::bits(b));
  return traits::from_bits(bits);
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hmax(T a, T b) {
  return __tessera_max_min(a, b, true, false);
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hmin(T a, T b) {
  return __tessera_max_min(a, b, false, false);
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hmax_nan(T a, T b) {
  return __tessera_max_min(a, b, true, true);
}
template <typename T> __TESSERA_HD __tessera_if_small<T> __hmin_nan(T a, T b) {
  return __tessera_max_min(a, b, false, true);
}

// ---- Math functions: the float function, rounded once ----
#define __TESSERA_SMALL_MATH(name, expr)                                                           \
  template <typename T> __TESSERA_HD __tessera_if_small<T> name(T a) {                             \
    const float x = __tessera_to_float(a);                                                         \
    return __tessera_from_double<T>(expr);                                                         \
  }
__TESSERA_SMALL_MATH(hsqrt, std::sqrt(x))
__TESSERA_SMALL_MATH(hrsqrt, 1.0f / std::sqrt(x))
__TESSERA_SMALL_MATH(hrcp, 1.0f / x)
__TESSERA_SMALL_MATH(hexp, std::exp(x))
__TESSERA_SMALL_MATH(hexp2, std::exp2(x))
__TESSERA_SMALL_MATH(hexp10, std::pow(10.0f, x))
__TESSERA_SMALL_MATH(hlog, std::log(x))
__TESSERA_SMALL_MATH(hlog2, std::log2(x))
__TESSERA_SMALL_MATH(hlog10, std::log10(x))
__TESSERA_SMALL_MATH(hsin, std::sin(x))
__TESSERA_SMALL_MATH(hcos, std::cos(x))
__TESSERA_SMALL_MATH(htanh, std::tanh(x))
__TESSERA_SMALL_MATH(hceil, std::ceil(x))
__TESSERA_SMALL_MATH(hfloor, std::floor(x))
__TESSERA_SMALL_MATH(htrunc, std::trunc(x))
__TESSERA_SMALL_MATH(hrint, std::rint(x))
#undef __TESSERA_SMALL_MATH

// ---- Operators ----
#if !defined(__CUDA_NO_HALF_OPERATORS__) && !defined(__CUDA_NO_BFLOAT16_OPERATORS__)
template <typename T> __TESSERA_HD __tessera_if_small<T> operator+(const T& a, const T& b) {
  return __hadd(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T> operator-(const T& a, const T& b) {
  return __hsub(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T> operator*(const T& a, const T& b) {
  return __hmul(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T> operator/(const T& a, const T& b) {
  return __hdiv(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, T&> operator+=(T& a, const T& b) {
  return a = __hadd(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, T&> operator-=(T& a, const T& b) {
  return a = __hsub(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, T&> operator*=(T& a, const T& b) {
  return a = __hmul(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, T&> operator/=(T& a, const T& b) {
  return a = __hdiv(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T> operator+(const T& a) { return a; }
template <typename T> __TESSERA_HD __tessera_if_small<T> operator-(const T& a) { return __hneg(a); }
template <typename T> __TESSERA_HD __tessera_if_small<T, T&> operator++(T& a) {
  return a = __hadd(a, __tessera_from_double<T>(1.0));
}
template <typename T> __TESSERA_HD __tessera_if_small<T, T&> operator--(T& a) {
  return a = __hsub(a, __tessera_from_double<T>(1.0));
}
template <typename T> __TESSERA_HD __tessera_if_small<T> operator++(T& a, int) {
  T old = a;
  ++a;
  return old;
}
template <typename T> __TESSERA_HD __tessera_if_small<T> operator--(T& a, int) {
  T old = a;
  --a;
  return old;
}
template <typename T> __TESSERA_HD __tessera_if_small<T, bool> operator==(const T& a, const T& b) {
  return __heq(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, bool> operator!=(const T& a, const T& b) {
  return __hneu(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, bool> operator<(const T& a, const T& b) {
  return __hlt(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, bool> operator<=(const T& a, const T& b) {
  return __hle(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, bool> operator>(const T& a, const T& b) {
  return __hgt(a, b);
}
template <typename T> __TESSERA_HD __tessera_if_small<T, bool> operator>=(const T& a, const T& b) {
  return __hge(a, b);
}
#endif

// ---- Pairs (__half2, __nv_bfloat162): each operation lane by lane ----
template <typename T2>
using __tessera_pair_scalar = typename __tessera_small_float_pair<T2>::scalar;

#define __TESSERA_PAIR_UNARY(name, scalar_name)                                                    \
  template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2> name(T2 a) {                     \
    return T2(scalar_name(a.x), scalar_name(a.y));                                                 \
  }
#define __TESSERA_PAIR_BINARY(name, scalar_name)                                                   \
  template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2> name(T2 a, T2 b) {               \
    return T2(scalar_name(a.x, b.x), scalar_name(a.y, b.y));                                       \
  }
#define __TESSERA_PAIR_TERNARY(name, scalar_name)                                                  \
  template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2> name(T2 a, T2 b, T2 c) {         \
    return T2(scalar_name(a.x, b.x, c.x), scalar_name(a.y, b.y, c.y));                             \
  }
// Lane results 1.0 / 0.0.
#define __TESSERA_PAIR_COMPARE(name, scalar_name)                                                  \
  template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2> name(T2 a, T2 b) {               \
    using T = __tessera_pair_scalar<T2>;                                                           \
    return T2(__tessera_from_double<T>(scalar_name(a.x, b.x) ? 1.0 : 0.0),                         \
              __tessera_from_double<T>(scalar_name(a.y, b.y) ? 1.0 : 0.0));                        \
  }
// True when both lanes compare true.
#define __TESSERA_PAIR_BOTH(name, scalar_name)                                                     \
  template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2, bool> name(T2 a, T2 b) {         \
    return scalar_name(a.x, b.x) && scalar_name(a.y, b.y);                                         \
  }

__TESSERA_PAIR_BINARY(__hadd2, __hadd)
__TESSERA_PAIR_BINARY(__hsub2, __hsub)
__TESSERA_PAIR_BINARY(__hmul2, __hmul)
__TESSERA_PAIR_BINARY(__h2div, __hdiv)
__TESSERA_PAIR_TERNARY(__hfma2, __hfma)
__TESSERA_PAIR_BINARY(__hadd2_sat, __hadd_sat)
__TESSERA_PAIR_BINARY(__hsub2_sat, __hsub_sat)
__TESSERA_PAIR_BINARY(__hmul2_sat, __hmul_sat)
__TESSERA_PAIR_TERNARY(__hfma2_sat, __hfma_sat)
__TESSERA_PAIR_UNARY(__hneg2, __hneg)
__TESSERA_PAIR_UNARY(__habs2, __habs)
__TESSERA_PAIR_BINARY(__hmax2, __hmax)
__TESSERA_PAIR_BINARY(__hmin2, __hmin)
__TESSERA_PAIR_BINARY(__hmax2_nan, __hmax_nan)
__TESSERA_PAIR_BINARY(__hmin2_nan, __hmin_nan)
__TESSERA_PAIR_COMPARE(__heq2, __heq)
__TESSERA_PAIR_COMPARE(__hne2, __hne)
__TESSERA_PAIR_COMPARE(__hlt2, __hlt)
__TESSERA_PAIR_COMPARE(__hle2, __hle)
__TESSERA_PAIR_COMPARE(__hgt2, __hgt)
__TESSERA_PAIR_COMPARE(__hge2, __hge)
__TESSERA_PAIR_COMPARE(__hequ2, __hequ)
__TESSERA_PAIR_COMPARE(__hneu2, __hneu)
__TESSERA_PAIR_COMPARE(__hltu2, __hltu)
__TESSERA_PAIR_COMPARE(__hleu2, __hleu)
__TESSERA_PAIR_COMPARE(__hgtu2, __hgtu)
__TESSERA_PAIR_COMPARE(__hgeu2, __hgeu)
__TESSERA_PAIR_BOTH(__hbeq2, __heq)
__TESSERA_PAIR_BOTH(__hbne2, __hne)
__TESSERA_PAIR_BOTH(__hblt2, __hlt)
__TESSERA_PAIR_BOTH(__hble2, __hle)
__TESSERA_PAIR_BOTH(__hbgt2, __hgt)
__TESSERA_PAIR_BOTH(__hbge2, __hge)
__TESSERA_PAIR_BOTH(__hbequ2, __hequ)
__TESSERA_PAIR_BOTH(__hbneu2, __hneu)
__TESSERA_PAIR_BOTH(__hbltu2, __hltu)
__TESSERA_PAIR_BOTH(__hbleu2, __hleu)
__TESSERA_PAIR_BOTH(__hbgtu2, __hgtu)
__TESSERA_PAIR_BOTH(__hbgeu2, __hgeu)
__TESSERA_PAIR_UNARY(h2sqrt, hsqrt)
__TESSERA_PAIR_UNARY(h2rsqrt, hrsqrt)
__TESSERA_PAIR_UNARY(h2rcp, hrcp)
__TESSERA_PAIR_UNARY(h2exp, hexp)
__TESSERA_PAIR_UNARY(h2exp2, hexp2)
__TESSERA_PAIR_UNARY(h2exp10, hexp10)
__TESSERA_PAIR_UNARY(h2log, hlog)
__TESSERA_PAIR_UNARY(h2log2, hlog2)
__TESSERA_PAIR_UNARY(h2log10, hlog10)
__TESSERA_PAIR_UNARY(h2sin, hsin)
__TESSERA_PAIR_UNARY(h2cos, hcos)
__TESSERA_PAIR_UNARY(h2ceil, hceil)
__TESSERA_PAIR_UNARY(h2floor, hfloor)
__TESSERA_PAIR_UNARY(h2trunc, htrunc)
__TESSERA_PAIR_UNARY(h2rint, hrint)
#undef __TESSERA_PAIR_BOTH
#undef __TESSERA_PAIR_COMPARE
#undef __TESSERA_PAIR_TERNARY
#undef __TESSERA_PAIR_BINARY
#undef __TESSERA_PAIR_UNARY

template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2> __hisnan2(T2 a) {
  using T = __tessera_pair_scalar<T2>;
  return T2(__tessera_from_double<T>(__hisnan(a.x) ? 1.0 : 0.0),
            __tessera_from_double<T>(__hisnan(a.y) ? 1.0 : 0.0));
}
// Swaps the two lanes.
template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2> __lowhigh2highlow(T2 a) {
  return T2(a.y, a.x);
}

#if !defined(__CUDA_NO_HALF2_OPERATORS__) && !defined(__CUDA_NO_BFLOAT162_OPERATORS__)
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2> operator+(const T2& a, const T2& b) {
  return __hadd2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2> operator-(const T2& a, const T2& b) {
  return __hsub2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2> operator*(const T2& a, const T2& b) {
  return __hmul2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2> operator/(const T2& a, const T2& b) {
  return __h2div(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, T2&> operator+=(T2& a, const T2& b) {
  return a = __hadd2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, T2&> operator-=(T2& a, const T2& b) {
  return a = __hsub2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, T2&> operator*=(T2& a, const T2& b) {
  return a = __hmul2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, T2&> operator/=(T2& a, const T2& b) {
  return a = __h2div(a, b);
}
template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2> operator+(const T2& a) { return a; }
template <typename T2> __TESSERA_HD __tessera_if_small_pair<T2> operator-(const T2& a) {
  return __hneg2(a);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, bool> operator==(const T2& a, const T2& b) {
  return __hbeq2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, bool> operator!=(const T2& a, const T2& b) {
  return __hbneu2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, bool> operator<(const T2& a, const T2& b) {
  return __hblt2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, bool> operator<=(const T2& a, const T2& b) {
  return __hble2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, bool> operator>(const T2& a, const T2& b) {
  return __hbgt2(a, b);
}
template <typename T2>
__TESSERA_HD __tessera_if_small_pair<T2, bool> operator>=(const T2& a, const T2& b) {
  return __hbge2(a, b);
}
#endif

// ---- Device only: warp shuffles and atomics ----
#if defined(__CUDA_ARCH__)
#define __TESSERA_SMALL_SHFL(name)                                                                 \
  template <typename T>                                                                            \
  __TESSERA_D __tessera_if_small<T> name(unsigned int mask, T var, int b, int width = warpSize) {  \
    using traits = __tessera_small_float<T>;                                                       \
    return traits::from_bits(static_cast<unsigned short>(                                          \
        name(mask, static_cast<unsigned int>(traits::bits(var)), b, width)));                      \
  }                                                                                                \
  template <typename T2>                                                                           \
  __TESSERA_D __tessera_if_small_pair<T2> name(unsigned int mask, T2 var, int b,                   \
                                               int width = warpSize) {                             \
    return __builtin_bit_cast(T2, name(mask, __builtin_bit_cast(unsigned int, var), b, width));    \
  }
__TESSERA_SMALL_SHFL(__shfl_sync)
__TESSERA_SMALL_SHFL(__shfl_up_sync)
__TESSERA_SMALL_SHFL(__shfl_down_sync)
__TESSERA_SMALL_SHFL(__shfl_xor_sync)
#undef __TESSERA_SMALL_SHFL

// Adds with a 16-bit (pairs: 32-bit) compare-and-swap loop; returns the old value.
template <typename T> __TESSERA_D __tessera_if_small<T> atomicAdd(T* address, T val) {
  using traits = __tessera_small_float<T>;
  unsigned short* word = reinterpret_cast<unsigned short*>(address);
  return traits::from_bits(__tessera_atomic_update(word, [val](unsigned short old) {
    return traits::bits(__hadd(traits::from_bits(old), val));
  }));
}
template <typename T2> __TESSERA_D __tessera_if_small_pair<T2> atomicAdd(T2* address, T2 val) {
  unsigned int* word = reinterpret_cast<unsigned int*>(address);
  return __builtin_bit_cast(T2, __tessera_atomic_update(word, [val](unsigned int old) {
                              return __builtin_bit_cast(unsigned int,
                                                        __hadd2(__builtin_bit_cast(T2, old), val));
                            }));
}
#endif

#endif // TESSERA_DEVICE_SMALL_FLOAT_OPS_H
