// SPDX-License-Identifier: Apache-2.0
// CUDA's half-precision (IEEE binary16) types __half and __half2.
//
// A __half is its 16-bit pattern; conversions are done with integer
// operations (tessera_impl/small_float_bits.h) and arithmetic in float,
// rounded once (tessera_impl/small_float_ops.h, shared with cuda_bf16.h).
// Everything is __host__ __device__ except warp shuffles and atomicAdd, and
// the header also compiles as plain C++ for host code and tests.
// __CUDA_NO_HALF_CONVERSIONS__ / _OPERATORS__ / 2_OPERATORS__ are honoured.
#ifndef TESSERA_DEVICE_CUDA_FP16_H
#define TESSERA_DEVICE_CUDA_FP16_H

#include "tessera_impl/conversions.h"
#include "tessera_impl/host_device.h"
#include "tessera_impl/small_float_bits.h"
#include "tessera_impl/small_float_ops.h"
#include "vector_types.h"

#define __CUDA_FP16_DECL__ static __TESSERA_HD
#define __CUDA_FP16_TYPES_EXIST__

// The bare bit patterns.
struct __half_raw {
  unsigned short x;
};
struct __half2_raw {
  unsigned short x, y;
};

struct __align__(2) __half {
  __half() = default;
  __TESSERA_HD constexpr __half(const __half_raw& raw) : __x(raw.x) {}
  __TESSERA_HD __half& operator=(const __half_raw& raw) {
    __x = raw.x;
    return *this;
  }
  __TESSERA_HD constexpr operator __half_raw() const { return __half_raw{__x}; }

#if !defined(__CUDA_NO_HALF_CONVERSIONS__)
  // Round to nearest even, as __float2half.
  __TESSERA_HD __half(float f) : __x(__tessera_round_to_small<5, 10>(f, __tessera_rn)) {}
  __TESSERA_HD __half(double f) : __x(__tessera_round_to_small<5, 10>(f, __tessera_rn)) {}
  __TESSERA_HD __half(short v) : __x(__tessera_i64_to_small<5, 10>(v, __tessera_rn)) {}
  __TESSERA_HD __half(unsigned short v) : __x(__tessera_u64_to_small<5, 10>(v, __tessera_rn)) {}
  __TESSERA_HD __half(int v) : __x(__tessera_i64_to_small<5, 10>(v, __tessera_rn)) {}
  __TESSERA_HD __half(unsigned int v) : __x(__tessera_u64_to_small<5, 10>(v, __tessera_rn)) {}
  __TESSERA_HD __half(long v) : __x(__tessera_i64_to_small<5, 10>(v, __tessera_rn)) {}
  __TESSERA_HD __half(unsigned long v) : __x(__tessera_u64_to_small<5, 10>(v, __tessera_rn)) {}
  __TESSERA_HD __half(long long v) : __x(__tessera_i64_to_small<5, 10>(v, __tessera_rn)) {}
  __TESSERA_HD __half(unsigned long long v) : __x(__tessera_u64_to_small<5, 10>(v, __tessera_rn)) {}
  __TESSERA_HD operator float() const { return __tessera_small_to_float<5, 10>(__x); }
#endif

protected:
  unsigned short __x;
  friend struct __tessera_small_float<__half>;
};

struct __align__(4) __half2 {
  __half x, y;
  __half2() = default;
  __TESSERA_HD constexpr __half2(const __half& a, const __half& b) : x(a), y(b) {}
  __TESSERA_HD constexpr __half2(const __half2_raw& raw)
      : x(__half_raw{raw.x}), y(__half_raw{raw.y}) {}
  __TESSERA_HD __half2& operator=(const __half2_raw& raw) {
    x = __half_raw{raw.x};
    y = __half_raw{raw.y};
    return *this;
  }
  __TESSERA_HD constexpr operator __half2_raw() const {
    return __half2_raw{static_cast<__half_raw>(x).x, static_cast<__half_raw>(y).x};
  }
};

typedef __half half;
typedef __half2 half2;
// CUDA 11+ spellings.
typedef __half __nv_half;
typedef __half2 __nv_half2;

template <> struct __tessera_small_float<__half> {
  static constexpr bool defined = true;
  static constexpr int exponent_bits = 5;
  static constexpr int mantissa_bits = 10;
  __TESSERA_HD static unsigned short bits(const __half& h) { return h.__x; }
  __TESSERA_HD static __half from_bits(unsigned short b) { return __half(__half_raw{b}); }
};
template <> struct __tessera_small_float_pair<__half2> {
  static constexpr bool defined = true;
  typedef __half scalar;
};

// ---- Conversions to and from float and double ----
__CUDA_FP16_DECL__ __half __float2half(float f) { return __tessera_from_double<__half>(f); }
__CUDA_FP16_DECL__ __half __float2half_rn(float f) { return __tessera_from_double<__half>(f); }
__CUDA_FP16_DECL__ __half __float2half_rz(float f) {
  return __tessera_from_double<__half>(f, __tessera_rz);
}
__CUDA_FP16_DECL__ __half __float2half_rd(float f) {
  return __tessera_from_double<__half>(f, __tessera_rd);
}
__CUDA_FP16_DECL__ __half __float2half_ru(float f) {
  return __tessera_from_double<__half>(f, __tessera_ru);
}
__CUDA_FP16_DECL__ __half __double2half(double d) { return __tessera_from_double<__half>(d); }
__CUDA_FP16_DECL__ float __half2float(__half h) { return __tessera_to_float(h); }
__CUDA_FP16_DECL__ __half2 __float2half2_rn(float f) {
  return __half2(__float2half_rn(f), __float2half_rn(f));
}
__CUDA_FP16_DECL__ __half2 __floats2half2_rn(float a, float b) {
  return __half2(__float2half_rn(a), __float2half_rn(b));
}
__CUDA_FP16_DECL__ __half2 __float22half2_rn(float2 f) { return __floats2half2_rn(f.x, f.y); }
__CUDA_FP16_DECL__ float2 __half22float2(__half2 h) {
  return float2{__half2float(h.x), __half2float(h.y)};
}
__CUDA_FP16_DECL__ float __low2float(__half2 h) { return __half2float(h.x); }
__CUDA_FP16_DECL__ float __high2float(__half2 h) { return __half2float(h.y); }

// ---- Building and taking apart __half2 ----
__CUDA_FP16_DECL__ __half2 __halves2half2(__half low, __half high) { return __half2(low, high); }
__CUDA_FP16_DECL__ __half2 __half2half2(__half h) { return __half2(h, h); }
__CUDA_FP16_DECL__ __half __low2half(__half2 h) { return h.x; }
__CUDA_FP16_DECL__ __half __high2half(__half2 h) { return h.y; }
__CUDA_FP16_DECL__ __half2 __low2half2(__half2 h) { return __half2(h.x, h.x); }
__CUDA_FP16_DECL__ __half2 __high2half2(__half2 h) { return __half2(h.y, h.y); }
__CUDA_FP16_DECL__ __half2 __lows2half2(__half2 a, __half2 b) { return __half2(a.x, b.x); }
__CUDA_FP16_DECL__ __half2 __highs2half2(__half2 a, __half2 b) { return __half2(a.y, b.y); }

// ---- Reinterpretations ----
__CUDA_FP16_DECL__ short __half_as_short(__half h) {
  return static_cast<short>(static_cast<__half_raw>(h).x);
}
__CUDA_FP16_DECL__ unsigned short __half_as_ushort(__half h) {
  return static_cast<__half_raw>(h).x;
}
__CUDA_FP16_DECL__ __half __short_as_half(short s) {
  return __half(__half_raw{static_cast<unsigned short>(s)});
}
__CUDA_FP16_DECL__ __half __ushort_as_half(unsigned short s) { return __half(__half_raw{s}); }

// ---- Integer conversions: _rn nearest even, _rz toward zero, _rd down, _ru up ----
// To integers: through float (exact), saturating, NaN gives 0.
#define __TESSERA_HALF2INT(name, I)                                                                \
  __CUDA_FP16_DECL__ I __half2##name##_rn(__half h) {                                              \
    return __tessera_saturate_to_int<I>(__builtin_rintf(__half2float(h)));                         \
  }                                                                                                \
  __CUDA_FP16_DECL__ I __half2##name##_rz(__half h) {                                              \
    return __tessera_saturate_to_int<I>(__builtin_truncf(__half2float(h)));                        \
  }                                                                                                \
  __CUDA_FP16_DECL__ I __half2##name##_rd(__half h) {                                              \
    return __tessera_saturate_to_int<I>(__builtin_floorf(__half2float(h)));                        \
  }                                                                                                \
  __CUDA_FP16_DECL__ I __half2##name##_ru(__half h) {                                              \
    return __tessera_saturate_to_int<I>(__builtin_ceilf(__half2float(h)));                         \
  }
// From integers: rounded once.
#define __TESSERA_INT2HALF(name, I, convert)                                                       \
  __CUDA_FP16_DECL__ __half __##name##2half_rn(I v) { return convert<__half>(v, __tessera_rn); }   \
  __CUDA_FP16_DECL__ __half __##name##2half_rz(I v) { return convert<__half>(v, __tessera_rz); }   \
  __CUDA_FP16_DECL__ __half __##name##2half_rd(I v) { return convert<__half>(v, __tessera_rd); }   \
  __CUDA_FP16_DECL__ __half __##name##2half_ru(I v) { return convert<__half>(v, __tessera_ru); }
__TESSERA_HALF2INT(short, short)
__TESSERA_HALF2INT(ushort, unsigned short)
__TESSERA_HALF2INT(int, int)
__TESSERA_HALF2INT(uint, unsigned int)
__TESSERA_HALF2INT(ll, long long)
__TESSERA_HALF2INT(ull, unsigned long long)
__TESSERA_INT2HALF(short, short, __tessera_from_int)
__TESSERA_INT2HALF(ushort, unsigned short, __tessera_from_uint)
__TESSERA_INT2HALF(int, int, __tessera_from_int)
__TESSERA_INT2HALF(uint, unsigned int, __tessera_from_uint)
__TESSERA_INT2HALF(ll, long long, __tessera_from_int)
__TESSERA_INT2HALF(ull, unsigned long long, __tessera_from_uint)
#undef __TESSERA_INT2HALF
#undef __TESSERA_HALF2INT

#endif // TESSERA_DEVICE_CUDA_FP16_H
