// SPDX-License-Identifier: Apache-2.0
// Integer and bit intrinsics, vector types, cache-hinted loads, clocks: for
// each i with a = a_in[i], b = b_in[i] (as unsigned and as int), writes the
// results in the order below to row i of out (64-bit each), so the host can
// compare them with a reference written in plain C++.
#include <cuda_runtime.h>
#include <vector_functions.h>

#define INT_RESULTS(X)                                                                             \
  X(__popc(ua))                                                                                    \
  X(__popcll(ull))                                                                                 \
  X(__clz(sa)) X(__clzll(sll)) X(__ffs(sa)) X(__ffsll(sll)) X(__brev(ua)) X(__brevll(ull))         \
      X(__byte_perm(ua, ub, 0x3210u)) X(__byte_perm(ua, ub, 0x7654u))                              \
          X(__byte_perm(ua, ub, ub & 0x7777u)) X(__mul24(sa, sb)) X(__umul24(ua, ub))              \
              X(__mulhi(sa, sb)) X(__umulhi(ua, ub)) X(__mul64hi(sll, sll_plus))                   \
                  X(__umul64hi(ull, ull ^ 0xdeadbeefull)) X(__sad(sa, sb, 7u))                     \
                      X(__usad(ua, ub, 7u)) X(__hadd(sa, sb)) X(__rhadd(sa, sb))                   \
                          X(__uhadd(ua, ub)) X(__urhadd(ua, ub)) X(__funnelshift_l(ua, ub, ub))    \
                              X(__funnelshift_lc(ua, ub, ub)) X(__funnelshift_r(ua, ub, ub))       \
                                  X(__funnelshift_rc(ua, ub, ub)) X(__dp4a(sa, sb, 5))             \
                                      X(__dp4a(ua, ub, 5u)) X(__dp2a_lo(sa, sb, 3))                \
                                          X(__dp2a_hi(ua, ub, 3u)) X(min(sa, sb)) X(max(sa, sb))   \
                                              X(min(ua, ub)) X(max(ua, sb)) X(min(sll, sll_neg))   \
                                                  X(max(ull, 3ull)) X(umin(ua, ub))                \
                                                      X(llmax(sll, 0ll))

__global__ void int_intrinsics(const unsigned int* a_in, const unsigned int* b_in,
                               unsigned long long* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  const unsigned int ua = __ldg(a_in + i), ub = __ldcs(b_in + i);
  const int sa = static_cast<int>(ua), sb = static_cast<int>(ub);
  const unsigned long long ull = (static_cast<unsigned long long>(ua) << 32) | ub;
  const long long sll = static_cast<long long>(ull);
  // sll + 12345 and -sll, wrapping: signed overflow would be undefined.
  const long long sll_plus = static_cast<long long>(ull + 12345),
                  sll_neg = static_cast<long long>(0 - ull);
  unsigned long long* row = out + static_cast<long>(i) * 64;
  int k = 0;
#define STORE(expr) row[k++] = static_cast<unsigned long long>(expr);
  INT_RESULTS(STORE)
#undef STORE

  // Vector types and their layouts.
  const int4 v4 = make_int4(sa, sb, 1, 2);
  const uchar4 c4 = make_uchar4(1, 2, 3, 4);
  const double2 d2 = make_double2(1.5, -2.5);
  static_assert(sizeof(int4) == 16 && alignof(int4) == 16, "int4 layout");
  static_assert(sizeof(float3) == 12 && alignof(float3) == 4, "float3 layout");
  static_assert(alignof(double2) == 16 && alignof(longlong4) == 16, "16-byte alignment cap");
  // Summed in 64 bits: int a + b may overflow, and a negative double does not
  // convert to unsigned.
  row[k++] = static_cast<unsigned long long>(static_cast<long long>(
      static_cast<long long>(v4.x) + v4.y + v4.z + v4.w + c4.w + d2.x + d2.y));

  // Clocks advance; the elapsed count is not compared, only that it is not negative.
  const long long start = clock64();
  __nanosleep(100);
  row[k++] = clock64() >= start ? 1 : 0;
  if (ua == 0xdeadbeefu)
    __trap();
}
