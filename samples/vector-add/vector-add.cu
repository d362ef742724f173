// SPDX-License-Identifier: Apache-2.0
// vector-add's kernel: c[i] = a[i] + b[i], one element per thread.
//
// `extern "C"` keeps the name unmangled, so the host finds the kernel as
// "vector_add" with tsModuleGetFunction.
extern "C" __global__ void vector_add(const float* a, const float* b, float* c, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  // The grid is rounded up to whole blocks, so the last block has threads
  // past the end of the arrays.
  if (i < n)
    c[i] = a[i] + b[i];
}
