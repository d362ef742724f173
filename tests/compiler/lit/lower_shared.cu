// SPDX-License-Identifier: Apache-2.0
// RUN: %tessc -O0 --stop-after=lower-shared %s -o - | %FileCheck %s
// RUN: %tessc --list-kernels %s | %FileCheck %s --check-prefix=LIST
// __shared__ variables get fixed addresses in the scratchpad aperture
// (0x7F0000000000 = 139637976727552); extern __shared__ reads DYNSHARED.

// CHECK-NOT: addrspace(3) global
// CHECK-LABEL: @_Z11static_onlyPf(
// CHECK: inttoptr (i64 139637976727552 to ptr addrspace(3))
__global__ void static_only(float* out) {
  __shared__ float tile[64];
  tile[threadIdx.x] = out[threadIdx.x];
  __syncthreads();
  out[threadIdx.x] = tile[63 - threadIdx.x];
}

// CHECK-LABEL: @_Z7dynamicPf(
// CHECK: call i64 asm "csrr $0, 0xCD0", "=r"()
__global__ void dynamic(float* out) {
  extern __shared__ float dyn[];
  dyn[threadIdx.x] = 1.0f;
  __syncthreads();
  out[threadIdx.x] = dyn[0];
}

// LIST-LABEL: kernel static_only(float*)
// LIST: static shared{{ +}}256 bytes
// LIST-LABEL: kernel dynamic(float*)
// LIST: static shared{{ +}}0 bytes (+ dynamic shared memory)
