# SPDX-License-Identifier: Apache-2.0
# Nested divergence inside a loop whose trip count differs per thread.
# out[gid] = f(gid), see the reference in test_simt.cpp.
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  GID
  li a1, 0                # acc
  li a2, 0                # i
  li a3, 7
  remu a4, t5, a3
  addi a4, a4, 3          # n = gid % 7 + 3
loop:
  bgeu a2, a4, done
  andi a5, a2, 1
  beqz a5, even
  andi a6, t5, 2
  beqz a6, odd_b
  mul a7, a2, t5
  add a1, a1, a7
  j next
odd_b:
  sub a1, a1, a2
  j next
even:
  xor a1, a1, a2
  slli a1, a1, 1
next:
  addi a2, a2, 1
  j loop
done:
  slli t4, t5, 3
  add t4, t4, t0
  sd a1, 0(t4)
  T_EXIT
