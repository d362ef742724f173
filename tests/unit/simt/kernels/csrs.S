# SPDX-License-Identifier: Apache-2.0
# Every identity CSR. out[linear * 21 + k]: tid xyz, ntid xyz, ctaid xyz,
# nctaid xyz, laneid, warpid, nwarps, tileid, dynshared, deviceid, sp, a0,
# time (out[linear * 21 + k]).
#include "common.h"
.globl _start
_start:
  ld t0, 0(a0)
  # linear global thread index = ((ctaid.z*ny + ctaid.y)*nx + ctaid.x) * nthreads + linear tid
  csrr a1, T1_CSR_CTAID_Z
  csrr a2, T1_CSR_NCTAID_Y
  mul a1, a1, a2
  csrr a2, T1_CSR_CTAID_Y
  add a1, a1, a2
  csrr a2, T1_CSR_NCTAID_X
  mul a1, a1, a2
  csrr a2, T1_CSR_CTAID_X
  add a1, a1, a2
  csrr a2, T1_CSR_NTID_X
  csrr a3, T1_CSR_NTID_Y
  csrr a4, T1_CSR_NTID_Z
  mul a5, a2, a3
  mul a5, a5, a4                 # threads per block
  mul a1, a1, a5
  csrr a6, T1_CSR_TID_Z
  mul a6, a6, a3
  csrr a7, T1_CSR_TID_Y
  add a6, a6, a7
  mul a6, a6, a2
  csrr a7, T1_CSR_TID_X
  add a6, a6, a7
  add a1, a1, a6
  li a2, 168
  mul a1, a1, a2
  add t0, t0, a1
  csrr a1, T1_CSR_TID_X
  sd a1, 0(t0)
  csrr a1, T1_CSR_TID_Y
  sd a1, 8(t0)
  csrr a1, T1_CSR_TID_Z
  sd a1, 16(t0)
  csrr a1, T1_CSR_NTID_X
  sd a1, 24(t0)
  csrr a1, T1_CSR_NTID_Y
  sd a1, 32(t0)
  csrr a1, T1_CSR_NTID_Z
  sd a1, 40(t0)
  csrr a1, T1_CSR_CTAID_X
  sd a1, 48(t0)
  csrr a1, T1_CSR_CTAID_Y
  sd a1, 56(t0)
  csrr a1, T1_CSR_CTAID_Z
  sd a1, 64(t0)
  csrr a1, T1_CSR_NCTAID_X
  sd a1, 72(t0)
  csrr a1, T1_CSR_NCTAID_Y
  sd a1, 80(t0)
  csrr a1, T1_CSR_NCTAID_Z
  sd a1, 88(t0)
  csrr a1, T1_CSR_LANEID
  sd a1, 96(t0)
  csrr a1, T1_CSR_WARPID
  sd a1, 104(t0)
  csrr a1, T1_CSR_NWARPS
  sd a1, 112(t0)
  csrr a1, T1_CSR_TILEID
  sd a1, 120(t0)
  csrr a1, T1_CSR_DYNSHARED
  sd a1, 128(t0)
  csrr a1, T1_CSR_DEVICEID
  sd a1, 136(t0)
  sd sp, 144(t0)
  sd a0, 152(t0)
  rdtime a1
  sd a1, 160(t0)
  T_EXIT
