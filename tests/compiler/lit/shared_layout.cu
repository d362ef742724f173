// SPDX-License-Identifier: Apache-2.0
// RUN: %tessc --list-kernels %s | %FileCheck %s
// Static shared variables: one address each. A variable several kernels
// reach (through a device function) comes first; each kernel's own
// variables follow the shared ones it reaches, overlapping other kernels'
// own variables, so each kernel's size is about what it uses.
__device__ int bump() {
  __shared__ int common[4];  // reached by a and b: offset 0, 16 bytes
  return ++common[threadIdx.x % 4];
}

// CHECK-LABEL: kernel a(int*)
// CHECK: static shared{{ +}}272 bytes
__global__ void a(int* p) {
  __shared__ int own_a[64];  // 16 .. 272
  own_a[threadIdx.x] = bump();
  __syncthreads();
  p[threadIdx.x] = own_a[63 - threadIdx.x];
}

// CHECK-LABEL: kernel b(int*)
// CHECK: static shared{{ +}}80 bytes
__global__ void b(int* p) {
  __shared__ double own_b[8];  // 16 .. 80
  own_b[threadIdx.x % 8] = bump();
  __syncthreads();
  p[threadIdx.x] = static_cast<int>(own_b[0]);
}

// CHECK-LABEL: kernel c(int*)
// CHECK: static shared{{ +}}304 bytes
__global__ void c(int* p) {
  __shared__ char own_c[300];  // reaches no shared variable: 0 .. 300
  own_c[threadIdx.x] = 1;
  __syncthreads();
  p[threadIdx.x] = own_c[299 - threadIdx.x];
}

// CHECK-LABEL: kernel d(int*)
// CHECK: static shared{{ +}}0 bytes
__global__ void d(int* p) { p[threadIdx.x] = 0; }
