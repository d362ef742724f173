// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: CUDA's integer and bit intrinsics, global min/max,
// cache-hinted loads and stores, clocks and traps.
#ifndef TESSERA_DEVICE_INT_INTRINSICS_H
#define TESSERA_DEVICE_INT_INTRINSICS_H

#include <time.h>

#include "host_device.h"

// ---- Bit counting and reversal ----
__TESSERA_D int __popc(unsigned int x) { return __builtin_popcount(x); }
__TESSERA_D int __popcll(unsigned long long int x) { return __builtin_popcountll(x); }
// Leading zeros, 32 (64) for zero: __builtin_clz leaves zero undefined.
__TESSERA_D int __clz(int x) { return x ? __builtin_clz(static_cast<unsigned int>(x)) : 32; }
__TESSERA_D int __clzll(long long int x) {
  return x ? __builtin_clzll(static_cast<unsigned long long int>(x)) : 64;
}
// 1 + index of the least significant set bit, 0 for zero.
__TESSERA_D int __ffs(int x) { return __builtin_ffs(x); }
__TESSERA_D int __ffsll(long long int x) { return __builtin_ffsll(x); }
__TESSERA_D unsigned int __brev(unsigned int x) { return __builtin_bitreverse32(x); }
__TESSERA_D unsigned long long int __brevll(unsigned long long int x) {
  return __builtin_bitreverse64(x);
}

// Result byte i is byte (s >> 4i) & 7 of the 8-byte value {y:x}.
__TESSERA_D unsigned int __byte_perm(unsigned int x, unsigned int y, unsigned int s) {
  unsigned long long int bytes = (static_cast<unsigned long long int>(y) << 32) | x;
  unsigned int result = 0;
  for (int i = 0; i < 4; ++i) {
    unsigned int sel = (s >> (4 * i)) & 7u;
    result |= static_cast<unsigned int>((bytes >> (8 * sel)) & 0xffu) << (8 * i);
  }
  return result;
}

// ---- Funnel shifts: the 64-bit value {hi:lo} shifted, 32 bits kept ----
// _l keeps the high word after a left shift, _r the low word after a right
// shift; the plain forms take the shift mod 32, the _c forms clamp it to 32.
__TESSERA_D unsigned int __tessera_funnel_l(unsigned int lo, unsigned int hi, unsigned int n) {
  unsigned long long int v = (static_cast<unsigned long long int>(hi) << 32) | lo;
  return static_cast<unsigned int>((v << n) >> 32);
}
__TESSERA_D unsigned int __tessera_funnel_r(unsigned int lo, unsigned int hi, unsigned int n) {
  unsigned long long int v = (static_cast<unsigned long long int>(hi) << 32) | lo;
  return static_cast<unsigned int>(v >> n);
}
__TESSERA_D unsigned int __funnelshift_l(unsigned int lo, unsigned int hi, unsigned int shift) {
  return __tessera_funnel_l(lo, hi, shift & 31u);
}
__TESSERA_D unsigned int __funnelshift_lc(unsigned int lo, unsigned int hi, unsigned int shift) {
  return __tessera_funnel_l(lo, hi, shift < 32u ? shift : 32u);
}
__TESSERA_D unsigned int __funnelshift_r(unsigned int lo, unsigned int hi, unsigned int shift) {
  return __tessera_funnel_r(lo, hi, shift & 31u);
}
__TESSERA_D unsigned int __funnelshift_rc(unsigned int lo, unsigned int hi, unsigned int shift) {
  return __tessera_funnel_r(lo, hi, shift < 32u ? shift : 32u);
}

// ---- Multiplies ----
// Product of the low 24 bits of each operand (sign-extended for __mul24).
__TESSERA_D int __mul24(int x, int y) {
  long long int a = static_cast<int>(static_cast<unsigned int>(x) << 8) >> 8;
  long long int b = static_cast<int>(static_cast<unsigned int>(y) << 8) >> 8;
  return static_cast<int>(a * b);
}
__TESSERA_D unsigned int __umul24(unsigned int x, unsigned int y) {
  return (x & 0xffffffu) * (y & 0xffffffu);
}
// High halves of the full products.
__TESSERA_D int __mulhi(int x, int y) {
  return static_cast<int>((static_cast<long long int>(x) * y) >> 32);
}
__TESSERA_D unsigned int __umulhi(unsigned int x, unsigned int y) {
  return static_cast<unsigned int>((static_cast<unsigned long long int>(x) * y) >> 32);
}
__TESSERA_D long long int __mul64hi(long long int x, long long int y) {
  return static_cast<long long int>((static_cast<__int128>(x) * y) >> 64);
}
__TESSERA_D unsigned long long int __umul64hi(unsigned long long int x, unsigned long long int y) {
  return static_cast<unsigned long long int>((static_cast<unsigned __int128>(x) * y) >> 64);
}

// ---- Averages and absolute differences, without intermediate overflow ----
__TESSERA_D int __hadd(int x, int y) {
  return static_cast<int>((static_cast<long long int>(x) + y) >> 1);
}
__TESSERA_D int __rhadd(int x, int y) {
  return static_cast<int>((static_cast<long long int>(x) + y + 1) >> 1);
}
__TESSERA_D unsigned int __uhadd(unsigned int x, unsigned int y) {
  return static_cast<unsigned int>((static_cast<unsigned long long int>(x) + y) >> 1);
}
__TESSERA_D unsigned int __urhadd(unsigned int x, unsigned int y) {
  return static_cast<unsigned int>((static_cast<unsigned long long int>(x) + y + 1) >> 1);
}
// |x - y| + z
__TESSERA_D unsigned int __sad(int x, int y, unsigned int z) {
  return (x > y ? static_cast<unsigned int>(x) - static_cast<unsigned int>(y)
                : static_cast<unsigned int>(y) - static_cast<unsigned int>(x)) +
         z;
}
__TESSERA_D unsigned int __usad(unsigned int x, unsigned int y, unsigned int z) {
  return (x > y ? x - y : y - x) + z;
}

// ---- Dot products of packed bytes / halfwords (sm_61) ----
// Four byte products of a and b, plus c.
__TESSERA_D int __dp4a(int a, int b, int c) {
  for (int i = 0; i < 32; i += 8)
    c += static_cast<signed char>(a >> i) * static_cast<signed char>(b >> i);
  return c;
}
__TESSERA_D unsigned int __dp4a(unsigned int a, unsigned int b, unsigned int c) {
  for (int i = 0; i < 32; i += 8)
    c += ((a >> i) & 0xffu) * ((b >> i) & 0xffu);
  return c;
}
// Two 16-bit halves of a times two bytes of b (low or high pair), plus c.
__TESSERA_D int __tessera_dp2a(int a, int b, int c, int byte0) {
  for (int i = 0; i < 2; ++i)
    c += static_cast<short>(a >> (16 * i)) * static_cast<signed char>(b >> (8 * (byte0 + i)));
  return c;
}
__TESSERA_D unsigned int __tessera_dp2a(unsigned int a, unsigned int b, unsigned int c, int byte0) {
  for (int i = 0; i < 2; ++i)
    c += ((a >> (16 * i)) & 0xffffu) * ((b >> (8 * (byte0 + i))) & 0xffu);
  return c;
}
__TESSERA_D int __dp2a_lo(int a, int b, int c) { return __tessera_dp2a(a, b, c, 0); }
__TESSERA_D int __dp2a_hi(int a, int b, int c) { return __tessera_dp2a(a, b, c, 2); }
__TESSERA_D unsigned int __dp2a_lo(unsigned int a, unsigned int b, unsigned int c) {
  return __tessera_dp2a(a, b, c, 0);
}
__TESSERA_D unsigned int __dp2a_hi(unsigned int a, unsigned int b, unsigned int c) {
  return __tessera_dp2a(a, b, c, 2);
}

// ---- CUDA's global min and max ----
// Mixed signed/unsigned arguments compare as unsigned, as in CUDA; mixed
// float/double as double. Floats follow fminf/fmaxf (a NaN operand loses).
#define __TESSERA_MINMAX(T, A, B, minexpr, maxexpr)                                                \
  __TESSERA_HD T min(A a, B b) { return minexpr; }                                                 \
  __TESSERA_HD T max(A a, B b) { return maxexpr; }
template <typename T> __TESSERA_HD T __tessera_min(T a, T b) { return b < a ? b : a; }
template <typename T> __TESSERA_HD T __tessera_max(T a, T b) { return a < b ? b : a; }
#define __TESSERA_MINMAX_INT(T, A, B)                                                              \
  __TESSERA_MINMAX(T, A, B, __tessera_min<T>(a, b), __tessera_max<T>(a, b))
__TESSERA_MINMAX_INT(int, int, int)
__TESSERA_MINMAX_INT(unsigned int, unsigned int, unsigned int)
__TESSERA_MINMAX_INT(unsigned int, int, unsigned int)
__TESSERA_MINMAX_INT(unsigned int, unsigned int, int)
__TESSERA_MINMAX_INT(long int, long int, long int)
__TESSERA_MINMAX_INT(unsigned long int, unsigned long int, unsigned long int)
__TESSERA_MINMAX_INT(unsigned long int, long int, unsigned long int)
__TESSERA_MINMAX_INT(unsigned long int, unsigned long int, long int)
__TESSERA_MINMAX_INT(long long int, long long int, long long int)
__TESSERA_MINMAX_INT(unsigned long long int, unsigned long long int, unsigned long long int)
__TESSERA_MINMAX_INT(unsigned long long int, long long int, unsigned long long int)
__TESSERA_MINMAX_INT(unsigned long long int, unsigned long long int, long long int)
__TESSERA_MINMAX(float, float, float, __builtin_fminf(a, b), __builtin_fmaxf(a, b))
__TESSERA_MINMAX(double, double, double, __builtin_fmin(a, b), __builtin_fmax(a, b))
__TESSERA_MINMAX(double, float, double, __builtin_fmin(a, b), __builtin_fmax(a, b))
__TESSERA_MINMAX(double, double, float, __builtin_fmin(a, b), __builtin_fmax(a, b))
#undef __TESSERA_MINMAX_INT
#undef __TESSERA_MINMAX
__TESSERA_HD unsigned int umin(unsigned int a, unsigned int b) { return min(a, b); }
__TESSERA_HD unsigned int umax(unsigned int a, unsigned int b) { return max(a, b); }
__TESSERA_HD long long int llmin(long long int a, long long int b) { return min(a, b); }
__TESSERA_HD long long int llmax(long long int a, long long int b) { return max(a, b); }
__TESSERA_HD unsigned long long int ullmin(unsigned long long int a, unsigned long long int b) {
  return min(a, b);
}
__TESSERA_HD unsigned long long int ullmax(unsigned long long int a, unsigned long long int b) {
  return max(a, b);
}

// ---- Cache-hinted loads and stores: plain accesses on T1 ----
// (Device memory has no separate read-only or streaming paths to choose.)
template <typename T> __TESSERA_D T __ldg(const T* p) { return *p; }
template <typename T> __TESSERA_D T __ldcg(const T* p) { return *p; }
template <typename T> __TESSERA_D T __ldca(const T* p) { return *p; }
template <typename T> __TESSERA_D T __ldcs(const T* p) { return *p; }
template <typename T> __TESSERA_D T __ldlu(const T* p) { return *p; }
template <typename T> __TESSERA_D T __ldcv(const T* p) { return *p; }
template <typename T> __TESSERA_D void __stwb(T* p, T v) { *p = v; }
template <typename T> __TESSERA_D void __stcg(T* p, T v) { *p = v; }
template <typename T> __TESSERA_D void __stcs(T* p, T v) { *p = v; }
template <typename T> __TESSERA_D void __stwt(T* p, T v) { *p = v; }

// ---- Clocks and traps ----
// Per-thread cycle counters (rdcycle).
__TESSERA_D clock_t clock() { return static_cast<clock_t>(__nvvm_read_ptx_sreg_clock()); }
__TESSERA_D long long int clock64() { return __nvvm_read_ptx_sreg_clock64(); }
// PTX allows any delay in [0, 2 * ns]; T1 returns at once.
__TESSERA_D void __nanosleep(unsigned int) {}
// Stop the thread with a BREAKPOINT fault (ebreak), as docs/hardware/faults.md
// says; __builtin_trap would be an illegal instruction (unimp). nodebug: the
// inlined ebreak takes the caller's source line, which a fault report names.
__attribute__((nodebug)) __TESSERA_D void __trap() {
  __builtin_debugtrap();
  __builtin_unreachable();
}
__attribute__((nodebug)) __TESSERA_D void __brkpt() {
  __builtin_debugtrap();
  __builtin_unreachable();
}

#endif // TESSERA_DEVICE_INT_INTRINSICS_H
