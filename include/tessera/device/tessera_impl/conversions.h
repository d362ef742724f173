// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: CUDA's reinterpretations and explicitly rounded
// conversions between floating-point and integer types.
//
// Float-to-integer conversions saturate like the GPU's: out-of-range values
// give the type's minimum or maximum, NaN gives 0 (a C++ cast would be
// undefined). _rn rounds to nearest even, _rz toward zero, _rd down, _ru up.
// Integer-to-float conversions exist in the _rn form only (see
// docs/cuda-features.md).
#ifndef TESSERA_DEVICE_CONVERSIONS_H
#define TESSERA_DEVICE_CONVERSIONS_H

#include <limits>

#include "host_device.h"

// ---- Reinterpretations ----
__TESSERA_HD int __float_as_int(float x) { return __builtin_bit_cast(int, x); }
__TESSERA_HD unsigned int __float_as_uint(float x) { return __builtin_bit_cast(unsigned int, x); }
__TESSERA_HD float __int_as_float(int x) { return __builtin_bit_cast(float, x); }
__TESSERA_HD float __uint_as_float(unsigned int x) { return __builtin_bit_cast(float, x); }
__TESSERA_HD long long int __double_as_longlong(double x) {
  return __builtin_bit_cast(long long int, x);
}
__TESSERA_HD double __longlong_as_double(long long int x) { return __builtin_bit_cast(double, x); }
__TESSERA_HD int __double2hiint(double x) {
  return static_cast<int>(__builtin_bit_cast(unsigned long long int, x) >> 32);
}
__TESSERA_HD int __double2loint(double x) {
  return static_cast<int>(__builtin_bit_cast(unsigned long long int, x));
}
__TESSERA_HD double __hiloint2double(int hi, int lo) {
  return __builtin_bit_cast(double, (static_cast<unsigned long long int>(hi) << 32) |
                                        static_cast<unsigned int>(lo));
}

// ---- Floating point to integer ----
// r is already integral.
template <typename I, typename F> __TESSERA_HD I __tessera_saturate_to_int(F r) {
  constexpr int bits = 8 * static_cast<int>(sizeof(I));
  constexpr bool is_signed = std::numeric_limits<I>::is_signed;
  // The smallest value too large for I (2^(bits-1) or 2^bits), exact in F.
  constexpr F upper = static_cast<F>(1ull << (bits - 1)) * (is_signed ? 1 : 2);
  constexpr F lower = is_signed ? -static_cast<F>(1ull << (bits - 1)) : F(0);
  if (r != r)
    return 0;
  if (r >= upper)
    return std::numeric_limits<I>::max();
  if (r < lower)
    return std::numeric_limits<I>::min();
  return static_cast<I>(r);
}

#define __TESSERA_F2I(prefix, F, I, name, rint, trunc, floor, ceil)                                \
  __TESSERA_HD I prefix##2##name##_rn(F x) { return __tessera_saturate_to_int<I>(rint(x)); }       \
  __TESSERA_HD I prefix##2##name##_rz(F x) { return __tessera_saturate_to_int<I>(trunc(x)); }      \
  __TESSERA_HD I prefix##2##name##_rd(F x) { return __tessera_saturate_to_int<I>(floor(x)); }      \
  __TESSERA_HD I prefix##2##name##_ru(F x) { return __tessera_saturate_to_int<I>(ceil(x)); }
#define __TESSERA_FLOAT2I(I, name)                                                                 \
  __TESSERA_F2I(__float, float, I, name, __builtin_rintf, __builtin_truncf, __builtin_floorf,      \
                __builtin_ceilf)
#define __TESSERA_DOUBLE2I(I, name)                                                                \
  __TESSERA_F2I(__double, double, I, name, __builtin_rint, __builtin_trunc, __builtin_floor,       \
                __builtin_ceil)
__TESSERA_FLOAT2I(int, int)
__TESSERA_FLOAT2I(unsigned int, uint)
__TESSERA_FLOAT2I(long long int, ll)
__TESSERA_FLOAT2I(unsigned long long int, ull)
__TESSERA_DOUBLE2I(int, int)
__TESSERA_DOUBLE2I(unsigned int, uint)
__TESSERA_DOUBLE2I(long long int, ll)
__TESSERA_DOUBLE2I(unsigned long long int, ull)
#undef __TESSERA_DOUBLE2I
#undef __TESSERA_FLOAT2I
#undef __TESSERA_F2I

// ---- Integer to floating point, and double to float (round to nearest) ----
__TESSERA_HD float __int2float_rn(int x) { return static_cast<float>(x); }
__TESSERA_HD float __uint2float_rn(unsigned int x) { return static_cast<float>(x); }
__TESSERA_HD float __ll2float_rn(long long int x) { return static_cast<float>(x); }
__TESSERA_HD float __ull2float_rn(unsigned long long int x) { return static_cast<float>(x); }
__TESSERA_HD double __int2double_rn(int x) { return static_cast<double>(x); }
__TESSERA_HD double __uint2double_rn(unsigned int x) { return static_cast<double>(x); }
__TESSERA_HD double __ll2double_rn(long long int x) { return static_cast<double>(x); }
__TESSERA_HD double __ull2double_rn(unsigned long long int x) { return static_cast<double>(x); }
__TESSERA_HD float __double2float_rn(double x) { return static_cast<float>(x); }

#endif // TESSERA_DEVICE_CONVERSIONS_H
