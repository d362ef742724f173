// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: warp shuffles, votes, matches and __activemask.
//
// The shuffles pass PTX's control operand c to the __nvvm_shfl_sync_*
// builtins: bits 12:8 hold 32 - width (the segment mask) and bits 4:0 the
// clamp lane, 31 for idx/down/xor and 0 for up (the lowest lane of the segment).
// 64-bit values travel as two 32-bit shuffles.
#ifndef TESSERA_DEVICE_WARP_H
#define TESSERA_DEVICE_WARP_H

#include "builtin_vars.h"

// The lowering pass replaces calls with the t.activemask instruction.
extern "C" __device__ unsigned __tessera_activemask(void);

// The lanes of this warp that are executing this call together.
__TESSERA_D unsigned int __activemask() { return __tessera_activemask(); }

__TESSERA_D int __all_sync(unsigned int mask, int predicate) {
  return __nvvm_vote_all_sync(mask, predicate);
}
__TESSERA_D int __any_sync(unsigned int mask, int predicate) {
  return __nvvm_vote_any_sync(mask, predicate);
}
__TESSERA_D int __uni_sync(unsigned int mask, int predicate) {
  return __nvvm_vote_uni_sync(mask, predicate);
}
__TESSERA_D unsigned int __ballot_sync(unsigned int mask, int predicate) {
  return __nvvm_vote_ballot_sync(mask, predicate);
}

__TESSERA_D int __tessera_shfl_c(int width) { return (warpSize - width) << 8; }

// All overloads of one shuffle mode: int and float map onto the builtins, the
// other types onto those.
#define __TESSERA_SHFL_32(name, mode, clamp)                                                       \
  __TESSERA_D int name(unsigned int mask, int var, int b, int width = warpSize) {                  \
    return __nvvm_shfl_sync_##mode##_i32(mask, var, b, __tessera_shfl_c(width) | clamp);           \
  }                                                                                                \
  __TESSERA_D float name(unsigned int mask, float var, int b, int width = warpSize) {              \
    return __nvvm_shfl_sync_##mode##_f32(mask, var, b, __tessera_shfl_c(width) | clamp);           \
  }                                                                                                \
  __TESSERA_D unsigned int name(unsigned int mask, unsigned int var, int b,                        \
                                int width = warpSize) {                                            \
    return static_cast<unsigned int>(name(mask, static_cast<int>(var), b, width));                 \
  }                                                                                                \
  __TESSERA_D unsigned long long int name(unsigned int mask, unsigned long long int var, int b,    \
                                          int width = warpSize) {                                  \
    unsigned int lo = name(mask, static_cast<unsigned int>(var), b, width);                        \
    unsigned int hi = name(mask, static_cast<unsigned int>(var >> 32), b, width);                  \
    return (static_cast<unsigned long long int>(hi) << 32) | lo;                                   \
  }                                                                                                \
  __TESSERA_D long long int name(unsigned int mask, long long int var, int b,                      \
                                 int width = warpSize) {                                           \
    return static_cast<long long int>(                                                             \
        name(mask, static_cast<unsigned long long int>(var), b, width));                           \
  }                                                                                                \
  __TESSERA_D long int name(unsigned int mask, long int var, int b, int width = warpSize) {        \
    return static_cast<long int>(name(mask, static_cast<unsigned long long int>(var), b, width));  \
  }                                                                                                \
  __TESSERA_D unsigned long int name(unsigned int mask, unsigned long int var, int b,              \
                                     int width = warpSize) {                                       \
    return static_cast<unsigned long int>(                                                         \
        name(mask, static_cast<unsigned long long int>(var), b, width));                           \
  }                                                                                                \
  __TESSERA_D double name(unsigned int mask, double var, int b, int width = warpSize) {            \
    return __builtin_bit_cast(                                                                     \
        double, name(mask, __builtin_bit_cast(unsigned long long int, var), b, width));            \
  }

// var from lane srcLane of this lane's segment.
__TESSERA_SHFL_32(__shfl_sync, idx, 0x1f)
// var from lane (this lane - delta), or this lane's own below the segment start.
__TESSERA_SHFL_32(__shfl_up_sync, up, 0)
// var from lane (this lane + delta), or this lane's own past the segment end.
__TESSERA_SHFL_32(__shfl_down_sync, down, 0x1f)
// var from lane (this lane ^ laneMask).
__TESSERA_SHFL_32(__shfl_xor_sync, bfly, 0x1f)
#undef __TESSERA_SHFL_32

// __match_*_sync compare bit patterns (NaN matches itself, -0 differs from 0).
// The lanes in mask whose value equals this lane's.
template <typename U> __TESSERA_D unsigned int __tessera_match_any(unsigned int mask, U value) {
  unsigned int same = 0;
  for (int lane = 0; lane < warpSize; ++lane) {
    if ((mask >> lane) & 1u) {
      if (__shfl_sync(mask, value, lane) == value)
        same |= 1u << lane;
    }
  }
  return same;
}
// mask if every lane in mask has the same value (*pred = 1), else 0 (*pred = 0).
template <typename U>
__TESSERA_D unsigned int __tessera_match_all(unsigned int mask, U value, int* pred) {
  U first = __shfl_sync(mask, value, __builtin_ffs(static_cast<int>(mask)) - 1);
  int all = __all_sync(mask, first == value);
  *pred = all;
  return all ? mask : 0u;
}
#define __TESSERA_MATCH(T, U)                                                                      \
  __TESSERA_D unsigned int __match_any_sync(unsigned int mask, T value) {                          \
    return __tessera_match_any(mask, __builtin_bit_cast(U, value));                                \
  }                                                                                                \
  __TESSERA_D unsigned int __match_all_sync(unsigned int mask, T value, int* pred) {               \
    return __tessera_match_all(mask, __builtin_bit_cast(U, value), pred);                          \
  }
__TESSERA_MATCH(int, unsigned int)
__TESSERA_MATCH(unsigned int, unsigned int)
__TESSERA_MATCH(long int, unsigned long long int)
__TESSERA_MATCH(unsigned long int, unsigned long long int)
__TESSERA_MATCH(long long int, unsigned long long int)
__TESSERA_MATCH(unsigned long long int, unsigned long long int)
__TESSERA_MATCH(float, unsigned int)
__TESSERA_MATCH(double, unsigned long long int)
#undef __TESSERA_MATCH

#endif // TESSERA_DEVICE_WARP_H
