# SPDX-License-Identifier: Apache-2.0
# Two lanes of one warp wait for each other through memory: lane 0 spins
# (on the lower PC) until lane 31 sets a flag; lane 31 then spins until
# lane 0 answers. Lockstep execution would deadlock; T1 must not.
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  csrr t1, T1_CSR_TID_X
  bnez t1, other
spin:
  lw a1, 4(t0)
  beqz a1, spin
  addi a1, a1, 1
  sw a1, 0(t0)
  T_EXIT
other:
  li a2, 31
  bne t1, a2, fin
  li a3, 42
  sw a3, 4(t0)
wait_answer:
  lw a1, 0(t0)
  beqz a1, wait_answer
  addi a1, a1, 100
  sw a1, 8(t0)
fin:
  T_EXIT
