// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: conversions between float/double/integers and the
// 16-bit formats (binary16 for __half, bfloat16 for __nv_bfloat16) with
// integer operations only.
//
// _Float16 and __bf16 would be simpler, but their RISC-V calling convention
// changes between LLVM 16 and 17; these routines keep 16-bit values in plain
// unsigned shorts. A format has E exponent bits and M stored mantissa bits
// (binary16: 5, 10; bfloat16: 8, 7). Usable from host code too.
#ifndef TESSERA_DEVICE_SMALL_FLOAT_BITS_H
#define TESSERA_DEVICE_SMALL_FLOAT_BITS_H

#include "host_device.h"

// IEEE rounding directions of CUDA's _rn, _rz, _rd and _ru conversions.
enum __tessera_rounding { __tessera_rn, __tessera_rz, __tessera_rd, __tessera_ru };

// The one NaN CUDA's conversions produce (binary16 and bfloat16 alike).
constexpr unsigned short __tessera_small_nan = 0x7fff;

// x rounded to the E/M format. Going through double is exact for float
// inputs, so float and double share this single rounding step.
template <int E, int M>
__TESSERA_HD unsigned short __tessera_round_to_small(double x, __tessera_rounding mode) {
  const unsigned long long bits = __builtin_bit_cast(unsigned long long, x);
  const bool negative = (bits >> 63) != 0;
  const unsigned short sign = static_cast<unsigned short>(negative ? 1u << (E + M) : 0u);
  const unsigned long long magnitude = bits & 0x7fffffffffffffffull;
  const unsigned long long inf = ((1ull << E) - 1) << M;
  if (magnitude >= 0x7ff0000000000000ull)
    return magnitude == 0x7ff0000000000000ull ? static_cast<unsigned short>(sign | inf)
                                              : __tessera_small_nan;
  if (magnitude == 0)
    return sign;

  // magnitude = m * 2^(e - 52) with m's leading bit at 52. Double subnormals
  // (far below any result) keep a leading bit too: only their sign matters.
  const int e = static_cast<int>(magnitude >> 52) - 1023;
  const unsigned long long m = (magnitude & ((1ull << 52) - 1)) | (1ull << 52);
  const int target_exponent = e + (1 << (E - 1)) - 1; // biased; <= 0 means subnormal
  // Low bits of m that do not fit; more for subnormal results.
  const int drop = 52 - M + (target_exponent >= 1 ? 0 : 1 - target_exponent);

  unsigned long long result, rest, half;
  if (drop >= 64) {
    result = 0;
    rest = 1; // nonzero, below half
    half = 2;
  } else {
    // For normal results the leading bit of m >> drop lands on the exponent
    // field's lowest bit, which the (exponent - 1) term accounts for.
    result = (m >> drop) +
             (target_exponent >= 1 ? static_cast<unsigned long long>(target_exponent - 1) << M : 0);
    rest = m & ((1ull << drop) - 1);
    half = 1ull << (drop - 1);
  }
  bool up = false;
  switch (mode) {
  case __tessera_rn:
    up = rest > half || (rest == half && (result & 1));
    break;
  case __tessera_rz:
    up = false;
    break;
  case __tessera_rd:
    up = negative && rest != 0;
    break;
  case __tessera_ru:
    up = !negative && rest != 0;
    break;
  }
  result += up ? 1 : 0;
  if (result >= inf) {
    // Overflow: infinity unless rounding toward zero's side of it.
    const bool to_inf = mode == __tessera_rn || (mode == __tessera_rd && negative) ||
                        (mode == __tessera_ru && !negative);
    result = to_inf ? inf : inf - 1;
  }
  return static_cast<unsigned short>(sign | result);
}

// The E/M value h as a float (always exact).
template <int E, int M> __TESSERA_HD float __tessera_small_to_float(unsigned short h) {
  const unsigned int sign = static_cast<unsigned int>(h >> (E + M)) << 31;
  const unsigned int exponent = (h >> M) & ((1u << E) - 1);
  const unsigned int mantissa = h & ((1u << M) - 1);
  constexpr int bias = (1 << (E - 1)) - 1;
  unsigned int bits;
  if (E == 8) {
    bits = static_cast<unsigned int>(h) << 16; // bfloat16 is float's upper half
  } else if (exponent == (1u << E) - 1) {
    bits = sign | 0x7f800000u | (mantissa << (23 - M)); // infinity or NaN
  } else if (exponent != 0) {
    bits = sign | ((exponent - bias + 127) << 23) | (mantissa << (23 - M));
  } else if (mantissa == 0) {
    bits = sign;
  } else {
    // Subnormal: mantissa * 2^(1 - bias - M), normal as a float.
    const int top = 31 - __builtin_clz(mantissa);
    const unsigned int float_exponent = static_cast<unsigned int>(1 - bias - M + top + 127);
    bits = sign | (float_exponent << 23) | ((mantissa << (23 - top)) & 0x7fffffu);
  }
  return __builtin_bit_cast(float, bits);
}

// v as a double, truncated with the dropped bits ORed into the last place
// ("round to odd"): rounding that once more to a format of at most 51
// mantissa bits gives the same result as rounding v directly.
__TESSERA_HD double __tessera_u64_to_double_odd(unsigned long long v) {
  if (v < (1ull << 53))
    return static_cast<double>(v);
  const int drop = 11 - __builtin_clzll(v); // keep 53 significant bits
  const unsigned long long kept = (v >> drop) | ((v & ((1ull << drop) - 1)) != 0 ? 1 : 0);
  const double scale =
      __builtin_bit_cast(double, static_cast<unsigned long long>(1023 + drop) << 52);
  return static_cast<double>(kept) * scale;
}

template <int E, int M>
__TESSERA_HD unsigned short __tessera_u64_to_small(unsigned long long v, __tessera_rounding mode) {
  return __tessera_round_to_small<E, M>(__tessera_u64_to_double_odd(v), mode);
}
template <int E, int M>
__TESSERA_HD unsigned short __tessera_i64_to_small(long long v, __tessera_rounding mode) {
  if (v >= 0)
    return __tessera_u64_to_small<E, M>(static_cast<unsigned long long>(v), mode);
  // Rounding -v down is rounding v up, and vice versa.
  const __tessera_rounding mirrored = mode == __tessera_rd   ? __tessera_ru
                                      : mode == __tessera_ru ? __tessera_rd
                                                             : mode;
  const unsigned short magnitude =
      __tessera_u64_to_small<E, M>(0ull - static_cast<unsigned long long>(v), mirrored);
  return static_cast<unsigned short>(magnitude | (1u << (E + M)));
}

// fma(a, b, c) for E/M values a, b, c, rounded once: the product is exact in
// double, and the sum is made round-to-odd with the exact error of a
// two-sum, so the final rounding to E/M is correct.
template <int E, int M>
__TESSERA_HD unsigned short __tessera_small_fma(float a, float b, float c,
                                                __tessera_rounding mode) {
  __TESSERA_NO_CONTRACT
  const double product = static_cast<double>(a) * static_cast<double>(b);
  const double addend = static_cast<double>(c);
  const double sum = product + addend;
  // Knuth's two-sum: error = (product + addend) - sum exactly.
  const double addend_part = sum - product;
  const double product_part = sum - addend_part;
  const double error = (product - product_part) + (addend - addend_part);
  double odd = sum;
  if (error != 0 && sum == sum && !__builtin_isinf(sum)) {
    unsigned long long bits = __builtin_bit_cast(unsigned long long, sum);
    if ((bits & 1) == 0) {
      // Step one place toward the exact value.
      const bool away_from_zero = (error > 0) == (sum > 0);
      bits += away_from_zero ? 1 : -1ull;
      odd = __builtin_bit_cast(double, bits);
    }
  }
  return __tessera_round_to_small<E, M>(odd, mode);
}

#endif // TESSERA_DEVICE_SMALL_FLOAT_BITS_H
