# SPDX-License-Identifier: Apache-2.0
# Faulting kernels, selected by kernarg[2]:
#  0: thread gid 37 loads from 0xdead0000 (unmapped)
#  1: thread gid 70 stores into the code (read/execute only)
#  2: every thread executes an illegal instruction
#  3: thread 3 reads shared memory just past the block's allocation
#  4: threads 0..15 wait at the block barrier, 16..31 at a full-warp shuffle
#  5: thread 9 executes ebreak
#  6: thread 1 runs an unaligned amoadd.w
#  7: thread 2 jumps to an unmapped address
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  ld s0, 16(a0)
  GID
  li a1, 0
  beq s0, a1, k0
  li a1, 1
  beq s0, a1, k1
  li a1, 2
  beq s0, a1, k2
  li a1, 3
  beq s0, a1, k3
  li a1, 4
  beq s0, a1, k4
  li a1, 5
  beq s0, a1, k5
  li a1, 6
  beq s0, a1, k6
  j k7
k0:
  li a2, 37
  bne t5, a2, ok
  li a3, 0xdead0000
.globl fault_load
fault_load:
  ld a4, 0(a3)
  j ok
k1:
  li a2, 70
  bne t5, a2, ok
  la a3, _start
  sw a2, 0(a3)
  j ok
k2:
  .word 0xffffffff
k3:
  li a2, 3
  bne t5, a2, ok
  li a3, T1_SHARED_APERTURE_BASE
  csrr a4, T1_CSR_DYNSHARED
  lw a5, 64(a4)          # shared_bytes is 64 + dynshared offset in the test
  j ok
k4:
  li a2, 16
  bgeu t1, a2, k4_shfl
  T_BAR
  j ok
k4_shfl:
  li s2, -1
  li a2, 0x1F01
  T_SHFL_DOWN(a3, t1, a2, s2)
  j ok
k5:
  li a2, 9
  bne t5, a2, ok
  ebreak
  j ok
k6:
  li a2, 1
  bne t5, a2, ok
  addi a3, t0, 2
  amoadd.w zero, a2, (a3)
  j ok
k7:
  li a2, 2
  bne t5, a2, ok
  li a3, 0x5550000
  jalr a3
ok:
  T_EXIT
