# SPDX-License-Identifier: Apache-2.0
# Atomics under contention from every thread of every block.
# aux (kernarg[1]) is an array of 8 u64 counters.
#include "common.h"
.globl _start
_start:
  ld t0, 8(a0)
  GID
  li a1, 1
  amoadd.w zero, a1, (t0)              # c[0] += 1 (32-bit)
  addi a2, t0, 8
  amoadd.d zero, t5, (a2)              # c[1] += gid
  addi a2, t0, 16
  amomax.w zero, t5, (a2)              # c[2] = max(gid)
  addi a2, t0, 24
  neg a3, t5
  amomin.d zero, a3, (a2)              # c[3] = min(-gid)
  addi a2, t0, 32                      # c[4] += 2 with LR/SC
retry:
  lr.d a4, (a2)
  addi a4, a4, 2
  sc.d a5, a4, (a2)
  bnez a5, retry
  addi a2, t0, 40
  andi a3, t5, 63
  li a4, 1
  sll a4, a4, a3
  amoor.d zero, a4, (a2)               # c[5] |= 1 << (gid % 64)
  addi a2, t0, 48
  amoxor.w zero, t5, (a2)              # c[6] ^= gid
  addi a2, t0, 56
  amomaxu.w zero, a3, (a2)             # c[7] = max(gid % 64)
  T_EXIT
