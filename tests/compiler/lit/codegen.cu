// SPDX-License-Identifier: Apache-2.0
// RUN: %tessc -O2 %s -o %t.tsco
// RUN: %objdump -d %t.tsco | %FileCheck %s
// RUN: %readelf -n --dyn-syms -r %t.tsco | %FileCheck %s --check-prefix=ELF
// RUN: %tessc -O2 -S %s -o - | %FileCheck %s --check-prefix=ASM
// The code object disassembles; the entry reads its parameters off a0 and
// ends with t.exit (0x0000100B); only kernels are exported.

// CHECK-LABEL: <_Z5saxpyifPKfPf>:
// CHECK-DAG: lw {{.*}}, 0(a0)
// CHECK-DAG: csrr {{.*}}, 3264
// CHECK: fmadd.s
// CHECK: 0b 10 00 00 <unknown>
__global__ void saxpy(int n, float a, const float* x, float* y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

static __device__ float helper(float v) { return v * 2.0f; }

__global__ void twice(float* y) { y[threadIdx.x] = helper(y[threadIdx.x]); }

// ELF: There are no relocations in this file.
// ELF: Symbol table '.dynsym' contains 3 entries
// ELF-DAG: FUNC GLOBAL DEFAULT {{.*}} _Z5saxpyifPKfPf
// ELF-DAG: FUNC GLOBAL DEFAULT {{.*}} _Z5twicePf
// ELF: Tessera

// ASM: .text
// ASM: _Z5saxpyifPKfPf:
// ASM: csrr
// ASM: .insn r 11, 1, 0, zero, zero, zero
