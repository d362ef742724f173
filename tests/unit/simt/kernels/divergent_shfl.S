# SPDX-License-Identifier: Apache-2.0
# A warp-synchronous shuffle reached on two different paths: odd and even
# lanes diverge, then each path shuffles with the full member mask. The
# shuffle must wait until both halves arrive (independent scheduling) and
# then exchange across them. out[gid] = value of lane (lane ^ 1).
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  GID
  addi s1, t5, 100
  li s2, -1
  li a2, 0x1F01
  andi a3, t5, 1
  bnez a3, odd
  addi s1, s1, 1000               # even lanes add 1000 first
  j meet
odd:
  addi s1, s1, 2000
meet:
  T_SHFL_BFLY(s3, s1, a2, s2)
  slli a4, t5, 3
  add a4, a4, t0
  sd s3, 0(a4)
  T_EXIT
