# SPDX-License-Identifier: Apache-2.0
# A 32-bit instruction that starts on the last halfword of a code page and
# ends on the next one, executed by every thread, twice (the second time it
# comes from the decode cache). out[tid] = 2 * (77 + tid).
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  csrr t1, T1_CSR_TID_X
  li a1, 0
  li a2, 2
  j across
.org 0xFFE
across:
  addi a1, a1, 77          # bytes 0xFFE..0x1001: straddles the page boundary
  add a1, a1, t1
  addi a2, a2, -1
  bnez a2, across
  slli a3, t1, 3
  add a3, a3, t0
  sd a1, 0(a3)
  T_EXIT
