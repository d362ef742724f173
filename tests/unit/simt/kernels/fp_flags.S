# SPDX-License-Identifier: Apache-2.0
# Exception flags per lane in a full warp: every lane runs the same
# instructions on its own operands (a = in[tid], b = in[64 + tid], floats),
# and records each result and the flags that instruction raised.
# out[tid*8 + k] (u64): mul, flags, div, flags, sqrt(a), flags, add, flags.
# Then again with NX already set in every lane and flags accumulating (the
# interpreter's steady state): out[512 + tid*4 + k] = flags after each op.
# A third pass starts with NX in odd lanes only and operands that raise at
# most NX: out[768 + tid*4 + k] = tid/3, its flags, (tid/3)*3 + tid (fused),
# its flags.
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  ld t4, 8(a0)
  csrr t1, T1_CSR_TID_X
  slli a1, t1, 2
  add a1, a1, t4
  flw fa0, 0(a1)
  flw fa1, 256(a1)
  slli a2, t1, 6
  add a2, a2, t0
  fmul.s fa2, fa0, fa1
  frflags a3
  fsflags zero
  fsw fa2, 0(a2)
  sd a3, 8(a2)
  fdiv.s fa2, fa0, fa1
  frflags a3
  fsflags zero
  fsw fa2, 16(a2)
  sd a3, 24(a2)
  fsqrt.s fa2, fa0
  frflags a3
  fsflags zero
  fsw fa2, 32(a2)
  sd a3, 40(a2)
  fadd.s fa2, fa0, fa1
  frflags a3
  fsw fa2, 48(a2)
  sd a3, 56(a2)
  # second pass: sticky flags, NX in every lane from the start
  li a4, 1
  fsflags a4
  slli a2, t1, 5
  add a2, a2, t0
  li a4, 4096
  add a2, a2, a4
  fmul.s fa2, fa0, fa1
  frflags a3
  sd a3, 0(a2)
  fdiv.s fa2, fa0, fa1
  frflags a3
  sd a3, 8(a2)
  fsqrt.s fa2, fa0
  frflags a3
  sd a3, 16(a2)
  fadd.s fa2, fa0, fa1
  frflags a3
  sd a3, 24(a2)
  # third pass: NX in odd lanes only
  slli a2, t1, 5
  add a2, a2, t0
  li a4, 6144
  add a2, a2, a4
  fcvt.s.w fa3, t1
  li a5, 3
  fcvt.s.w fa4, a5
  andi a4, t1, 1
  fsflags a4
  fdiv.s fa5, fa3, fa4
  frflags a3
  fsw fa5, 0(a2)
  sd a3, 8(a2)
  fsflags a4
  fmadd.s fa6, fa5, fa4, fa3
  frflags a3
  fsw fa6, 16(a2)
  sd a3, 24(a2)
  T_EXIT
