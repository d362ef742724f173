// SPDX-License-Identifier: Apache-2.0
// 256-bin histogram of bytes: each block counts into a private histogram in
// shared memory with shared-memory atomics, then adds it to the global one.
#include <cuda_runtime.h>
#include <stdint.h>

#define NUM_BINS 256

__global__ void histogram256(const uint8_t* data, size_t n, unsigned int* bins) {
  __shared__ unsigned int local[NUM_BINS];
  for (int b = threadIdx.x; b < NUM_BINS; b += blockDim.x)
    local[b] = 0;
  __syncthreads();

  const size_t stride = static_cast<size_t>(blockDim.x) * gridDim.x;
  for (size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x; i < n; i += stride)
    atomicAdd(&local[data[i]], 1u);
  __syncthreads();

  for (int b = threadIdx.x; b < NUM_BINS; b += blockDim.x) {
    const unsigned int count = local[b];
    if (count != 0)
      atomicAdd(&bins[b], count);
  }
}
