# SPDX-License-Identifier: Apache-2.0
# Shuffles and votes. v = gid*7 + 1; out[gid*8 + k] for k = 0..7:
# shfl.down 1, shfl.bfly 3, shfl.idx 5, shfl.up 2, shfl.idx 3 in 8-lane
# segments, ballot(gid%3==0), all(gid<1000), any(gid==5).
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  GID
  li a1, 7
  mul s1, t5, a1
  addi s1, s1, 1
  li s2, -1                       # member mask: the whole warp
  li a2, 0x1F01
  T_SHFL_DOWN(s3, s1, a2, s2)
  li a2, 0x1F03
  T_SHFL_BFLY(s4, s1, a2, s2)
  li a2, 0x1F05
  T_SHFL_IDX(s5, s1, a2, s2)
  li a2, 2
  T_SHFL_UP(s6, s1, a2, s2)
  li a2, 0x180703                 # b=3, clamp=7, segmask=0x18: width 8
  T_SHFL_IDX(s7, s1, a2, s2)
  li a2, 3
  remu a3, t5, a2
  seqz a3, a3
  T_VOTE_BALLOT(s8, a3, s2)
  sltiu a3, t5, 1000
  T_VOTE_ALL(s9, a3, s2)
  addi a3, t5, -5
  seqz a3, a3
  T_VOTE_ANY(s10, a3, s2)
  slli a4, t5, 6
  add a4, a4, t0
  sd s3, 0(a4)
  sd s4, 8(a4)
  sd s5, 16(a4)
  sd s6, 24(a4)
  sd s7, 32(a4)
  sd s8, 40(a4)
  sd s9, 48(a4)
  sd s10, 56(a4)
  T_EXIT
