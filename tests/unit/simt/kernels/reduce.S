# SPDX-License-Identifier: Apache-2.0
# Block-wide tree reduction in shared memory with barriers (blockDim.x a
# power of two). out[blockIdx.x] = sum over the block of gid*gid.
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  GID
  mul t6, t5, t5
  li s0, T1_SHARED_APERTURE_BASE
  slli a1, t1, 3
  add a1, a1, s0
  sd t6, 0(a1)
  T_BAR
  srli a2, t3, 1
rloop:
  beqz a2, rdone
  bgeu t1, a2, skip
  slli a3, a2, 3
  add a3, a3, a1
  ld a4, 0(a1)
  ld a5, 0(a3)
  add a4, a4, a5
  sd a4, 0(a1)
skip:
  T_BAR
  srli a2, a2, 1
  j rloop
rdone:
  bnez t1, end
  ld a4, 0(s0)
  slli a5, t2, 3
  add a5, a5, t0
  sd a4, 0(a5)
end:
  T_EXIT
