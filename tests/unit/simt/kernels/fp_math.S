# SPDX-License-Identifier: Apache-2.0
# FP per thread: x = in[gid] (float), y = in2[gid] (double).
# out[gid*6 + k]: fmadd.s(x, 3, 0.5), fdiv.s(x, 3), fsqrt.d(y),
# fcvt.w.s(x) (rtz), fadd.s x+1/3 with dynamic rounding mode gid % 4, and
# the thread's fflags.
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)           # out
  ld t4, 8(a0)           # in (floats then doubles at +4096)
  GID
  slli a1, t5, 2
  add a1, a1, t4
  flw fa0, 0(a1)
  slli a2, t5, 3
  add a2, a2, t4
  li a3, 4096
  add a2, a2, a3
  fld fa1, 0(a2)
  li a3, 3
  fcvt.s.w fa2, a3
  li a3, 0x3f000000
  fmv.w.x fa3, a3        # 0.5f
  fmadd.s fa4, fa0, fa2, fa3
  fdiv.s fa5, fa0, fa2
  fsqrt.d fa6, fa1
  fcvt.w.s a4, fa0, rtz
  li a3, 1
  fcvt.s.w fa7, a3
  fdiv.s fa7, fa7, fa2   # 1/3
  andi a5, t5, 3
  fsrm a5
  fadd.s ft0, fa0, fa7   # dynamic rounding
  fsrm zero
  frflags a6
  li a3, 48
  mul a3, a3, t5
  add a3, a3, t0
  fsw fa4, 0(a3)
  fsw fa5, 8(a3)
  fsd fa6, 16(a3)
  sd a4, 24(a3)
  fsw ft0, 32(a3)
  sd a6, 40(a3)
  T_EXIT
