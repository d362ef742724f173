// SPDX-License-Identifier: Apache-2.0
// CUDA's bfloat16 types __nv_bfloat16 and __nv_bfloat162 (float's upper 16 bits).
//
// A __nv_bfloat16 is its 16-bit pattern; conversions are done with integer
// operations (tessera_impl/small_float_bits.h) and arithmetic in float,
// rounded once (tessera_impl/small_float_ops.h, shared with cuda_fp16.h).
// Everything is __host__ __device__ except warp shuffles and atomicAdd, and
// the header also compiles as plain C++ for host code and tests.
// __CUDA_NO_BFLOAT16_CONVERSIONS__ / _OPERATORS__ and
// __CUDA_NO_BFLOAT162_OPERATORS__ are honoured.
#ifndef TESSERA_DEVICE_CUDA_BF16_H
#define TESSERA_DEVICE_CUDA_BF16_H

#include "tessera_impl/conversions.h"
#include "tessera_impl/host_device.h"
#include "tessera_impl/small_float_bits.h"
#include "tessera_impl/small_float_ops.h"
#include "vector_types.h"

#define __CUDA_BF16_DECL__ static __TESSERA_HD
#define __CUDA_BF16_TYPES_EXIST__

// The bare bit patterns.
struct __nv_bfloat16_raw {
  unsigned short x;
};
struct __nv_bfloat162_raw {
  unsigned short x, y;
};

struct __align__(2) __nv_bfloat16 {
  __nv_bfloat16() = default;
  __TESSERA_HD constexpr __nv_bfloat16(const __nv_bfloat16_raw& raw) : __x(raw.x) {}
  __TESSERA_HD __nv_bfloat16& operator=(const __nv_bfloat16_raw& raw) {
    __x = raw.x;
    return *this;
  }
  __TESSERA_HD constexpr operator __nv_bfloat16_raw() const { return __nv_bfloat16_raw{__x}; }

#if !defined(__CUDA_NO_BFLOAT16_CONVERSIONS__)
  // Round to nearest even, as __float2bfloat16.
  __TESSERA_HD __nv_bfloat16(float f) : __x(__tessera_round_to_small<8, 7>(f, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(double f) : __x(__tessera_round_to_small<8, 7>(f, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(short v) : __x(__tessera_i64_to_small<8, 7>(v, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(unsigned short v)
      : __x(__tessera_u64_to_small<8, 7>(v, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(int v) : __x(__tessera_i64_to_small<8, 7>(v, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(unsigned int v) : __x(__tessera_u64_to_small<8, 7>(v, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(long v) : __x(__tessera_i64_to_small<8, 7>(v, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(unsigned long v)
      : __x(__tessera_u64_to_small<8, 7>(v, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(long long v) : __x(__tessera_i64_to_small<8, 7>(v, __tessera_rn)) {}
  __TESSERA_HD __nv_bfloat16(unsigned long long v)
      : __x(__tessera_u64_to_small<8, 7>(v, __tessera_rn)) {}
  __TESSERA_HD operator float() const { return __tessera_small_to_float<8, 7>(__x); }
#endif

protected:
  unsigned short __x;
  friend struct __tessera_small_float<__nv_bfloat16>;
};

struct __align__(4) __nv_bfloat162 {
  __nv_bfloat16 x, y;
  __nv_bfloat162() = default;
  __TESSERA_HD constexpr __nv_bfloat162(const __nv_bfloat16& a, const __nv_bfloat16& b)
      : x(a), y(b) {}
  __TESSERA_HD constexpr __nv_bfloat162(const __nv_bfloat162_raw& raw)
      : x(__nv_bfloat16_raw{raw.x}), y(__nv_bfloat16_raw{raw.y}) {}
  __TESSERA_HD __nv_bfloat162& operator=(const __nv_bfloat162_raw& raw) {
    x = __nv_bfloat16_raw{raw.x};
    y = __nv_bfloat16_raw{raw.y};
    return *this;
  }
  __TESSERA_HD constexpr operator __nv_bfloat162_raw() const {
    return __nv_bfloat162_raw{static_cast<__nv_bfloat16_raw>(x).x,
                              static_cast<__nv_bfloat16_raw>(y).x};
  }
};

typedef __nv_bfloat16 nv_bfloat16;
typedef __nv_bfloat162 nv_bfloat162;

template <> struct __tessera_small_float<__nv_bfloat16> {
  static constexpr bool defined = true;
  static constexpr int exponent_bits = 8;
  static constexpr int mantissa_bits = 7;
  __TESSERA_HD static unsigned short bits(const __nv_bfloat16& h) { return h.__x; }
  __TESSERA_HD static __nv_bfloat16 from_bits(unsigned short b) {
    return __nv_bfloat16(__nv_bfloat16_raw{b});
  }
};
template <> struct __tessera_small_float_pair<__nv_bfloat162> {
  static constexpr bool defined = true;
  typedef __nv_bfloat16 scalar;
};

// ---- Conversions to and from float and double ----
__CUDA_BF16_DECL__ __nv_bfloat16 __float2bfloat16(float f) {
  return __tessera_from_double<__nv_bfloat16>(f);
}
__CUDA_BF16_DECL__ __nv_bfloat16 __float2bfloat16_rn(float f) {
  return __tessera_from_double<__nv_bfloat16>(f);
}
__CUDA_BF16_DECL__ __nv_bfloat16 __float2bfloat16_rz(float f) {
  return __tessera_from_double<__nv_bfloat16>(f, __tessera_rz);
}
__CUDA_BF16_DECL__ __nv_bfloat16 __float2bfloat16_rd(float f) {
  return __tessera_from_double<__nv_bfloat16>(f, __tessera_rd);
}
__CUDA_BF16_DECL__ __nv_bfloat16 __float2bfloat16_ru(float f) {
  return __tessera_from_double<__nv_bfloat16>(f, __tessera_ru);
}
__CUDA_BF16_DECL__ __nv_bfloat16 __double2bfloat16(double d) {
  return __tessera_from_double<__nv_bfloat16>(d);
}
__CUDA_BF16_DECL__ float __bfloat162float(__nv_bfloat16 h) { return __tessera_to_float(h); }
__CUDA_BF16_DECL__ __nv_bfloat162 __float2bfloat162_rn(float f) {
  return __nv_bfloat162(__float2bfloat16_rn(f), __float2bfloat16_rn(f));
}
__CUDA_BF16_DECL__ __nv_bfloat162 __floats2bfloat162_rn(float a, float b) {
  return __nv_bfloat162(__float2bfloat16_rn(a), __float2bfloat16_rn(b));
}
__CUDA_BF16_DECL__ __nv_bfloat162 __float22bfloat162_rn(float2 f) {
  return __floats2bfloat162_rn(f.x, f.y);
}
__CUDA_BF16_DECL__ float2 __bfloat1622float2(__nv_bfloat162 h) {
  return float2{__bfloat162float(h.x), __bfloat162float(h.y)};
}
__CUDA_BF16_DECL__ float __low2float(__nv_bfloat162 h) { return __bfloat162float(h.x); }
__CUDA_BF16_DECL__ float __high2float(__nv_bfloat162 h) { return __bfloat162float(h.y); }

// ---- Building and taking apart __nv_bfloat162 ----
__CUDA_BF16_DECL__ __nv_bfloat162 __halves2bfloat162(__nv_bfloat16 low, __nv_bfloat16 high) {
  return __nv_bfloat162(low, high);
}
__CUDA_BF16_DECL__ __nv_bfloat162 __bfloat162bfloat162(__nv_bfloat16 h) {
  return __nv_bfloat162(h, h);
}
__CUDA_BF16_DECL__ __nv_bfloat16 __low2bfloat16(__nv_bfloat162 h) { return h.x; }
__CUDA_BF16_DECL__ __nv_bfloat16 __high2bfloat16(__nv_bfloat162 h) { return h.y; }
__CUDA_BF16_DECL__ __nv_bfloat162 __low2bfloat162(__nv_bfloat162 h) {
  return __nv_bfloat162(h.x, h.x);
}
__CUDA_BF16_DECL__ __nv_bfloat162 __high2bfloat162(__nv_bfloat162 h) {
  return __nv_bfloat162(h.y, h.y);
}
__CUDA_BF16_DECL__ __nv_bfloat162 __lows2bfloat162(__nv_bfloat162 a, __nv_bfloat162 b) {
  return __nv_bfloat162(a.x, b.x);
}
__CUDA_BF16_DECL__ __nv_bfloat162 __highs2bfloat162(__nv_bfloat162 a, __nv_bfloat162 b) {
  return __nv_bfloat162(a.y, b.y);
}

// ---- Reinterpretations ----
__CUDA_BF16_DECL__ short __bfloat16_as_short(__nv_bfloat16 h) {
  return static_cast<short>(static_cast<__nv_bfloat16_raw>(h).x);
}
__CUDA_BF16_DECL__ unsigned short __bfloat16_as_ushort(__nv_bfloat16 h) {
  return static_cast<__nv_bfloat16_raw>(h).x;
}
__CUDA_BF16_DECL__ __nv_bfloat16 __short_as_bfloat16(short s) {
  return __nv_bfloat16(__nv_bfloat16_raw{static_cast<unsigned short>(s)});
}
__CUDA_BF16_DECL__ __nv_bfloat16 __ushort_as_bfloat16(unsigned short s) {
  return __nv_bfloat16(__nv_bfloat16_raw{s});
}

// ---- Integer conversions: _rn nearest even, _rz toward zero, _rd down, _ru up ----
// To integers: through float (exact), saturating, NaN gives 0.
#define __TESSERA_BF162INT(name, I)                                                                \
  __CUDA_BF16_DECL__ I __bfloat162##name##_rn(__nv_bfloat16 h) {                                   \
    return __tessera_saturate_to_int<I>(__builtin_rintf(__bfloat162float(h)));                     \
  }                                                                                                \
  __CUDA_BF16_DECL__ I __bfloat162##name##_rz(__nv_bfloat16 h) {                                   \
    return __tessera_saturate_to_int<I>(__builtin_truncf(__bfloat162float(h)));                    \
  }                                                                                                \
  __CUDA_BF16_DECL__ I __bfloat162##name##_rd(__nv_bfloat16 h) {                                   \
    return __tessera_saturate_to_int<I>(__builtin_floorf(__bfloat162float(h)));                    \
  }                                                                                                \
  __CUDA_BF16_DECL__ I __bfloat162##name##_ru(__nv_bfloat16 h) {                                   \
    return __tessera_saturate_to_int<I>(__builtin_ceilf(__bfloat162float(h)));                     \
  }
// From integers: rounded once.
#define __TESSERA_INT2BF16(name, I, convert)                                                       \
  __CUDA_BF16_DECL__ __nv_bfloat16 __##name##2bfloat16_rn(I v) {                                   \
    return convert<__nv_bfloat16>(v, __tessera_rn);                                                \
  }                                                                                                \
  __CUDA_BF16_DECL__ __nv_bfloat16 __##name##2bfloat16_rz(I v) {                                   \
    return convert<__nv_bfloat16>(v, __tessera_rz);                                                \
  }                                                                                                \
  __CUDA_BF16_DECL__ __nv_bfloat16 __##name##2bfloat16_rd(I v) {                                   \
    return convert<__nv_bfloat16>(v, __tessera_rd);                                                \
  }                                                                                                \
  __CUDA_BF16_DECL__ __nv_bfloat16 __##name##2bfloat16_ru(I v) {                                   \
    return convert<__nv_bfloat16>(v, __tessera_ru);                                                \
  }
__TESSERA_BF162INT(short, short)
__TESSERA_BF162INT(ushort, unsigned short)
__TESSERA_BF162INT(int, int)
__TESSERA_BF162INT(uint, unsigned int)
__TESSERA_BF162INT(ll, long long)
__TESSERA_BF162INT(ull, unsigned long long)
__TESSERA_INT2BF16(short, short, __tessera_from_int)
__TESSERA_INT2BF16(ushort, unsigned short, __tessera_from_uint)
__TESSERA_INT2BF16(int, int, __tessera_from_int)
__TESSERA_INT2BF16(uint, unsigned int, __tessera_from_uint)
__TESSERA_INT2BF16(ll, long long, __tessera_from_int)
__TESSERA_INT2BF16(ull, unsigned long long, __tessera_from_uint)
#undef __TESSERA_INT2BF16
#undef __TESSERA_BF162INT

#endif // TESSERA_DEVICE_CUDA_BF16_H
