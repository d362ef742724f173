# SPDX-License-Identifier: Apache-2.0
# Reducing barriers: out[gid*3 + k] = popc / and / or over the block of
# predicates (tid % 3 == 0), (tid < 1000), (tid == 5).
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  GID
  li a2, 3
  remu a3, t1, a2
  seqz a3, a3
  T_BAR_POPC(a4, a3)
  sltiu a3, t1, 1000
  T_BAR_AND(a5, a3)
  addi a3, t1, -5
  seqz a3, a3
  T_BAR_OR(a6, a3)
  li a2, 24
  mul a7, t5, a2
  add a7, a7, t0
  sd a4, 0(a7)
  sd a5, 8(a7)
  sd a6, 16(a7)
  T_EXIT
