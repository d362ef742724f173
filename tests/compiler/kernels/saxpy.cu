// SPDX-License-Identifier: Apache-2.0
// SAXPY: y[i] = a * x[i] + y[i] for i < n, one thread per element with a
// grid-stride loop so any grid size covers any n.
#include <cuda_runtime.h>

__global__ void saxpy(int n, float a, const float* __restrict__ x, float* __restrict__ y) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    y[i] = a * x[i] + y[i];
}
