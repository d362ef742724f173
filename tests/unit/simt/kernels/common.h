/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the SIMT test kernels: Xtessera macros and the global thread id. */
#include "xtessera.h"
.option norvc
/* t1 = threadIdx.x, t2 = blockIdx.x, t3 = blockDim.x, t5 = global id */
.macro GID
  csrr t1, T1_CSR_TID_X
  csrr t2, T1_CSR_CTAID_X
  csrr t3, T1_CSR_NTID_X
  mul t5, t2, t3
  add t5, t5, t1
.endm
