// SPDX-License-Identifier: Apache-2.0
// Block-wide inclusive prefix sum: out[i] = in[0] + ... + in[i] within each
// block's chunk of blockDim.x elements (Hillis-Steele in dynamic shared
// memory, double-buffered), plus each block's total in block_sums[blockIdx.x]
// so a second pass can add the totals of earlier blocks.
// Launch with blockDim.x * 2 * sizeof(int) bytes of dynamic shared memory.
#include <cuda_runtime.h>

__global__ void scan_inclusive(const int* in, int* out, int* block_sums, int n) {
  extern __shared__ int buffer[]; // two halves of blockDim.x ints
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  int* src = buffer;
  int* dst = buffer + blockDim.x;
  src[threadIdx.x] = i < n ? in[i] : 0;
  __syncthreads();
  for (unsigned int offset = 1; offset < blockDim.x; offset *= 2) {
    int v = src[threadIdx.x];
    if (threadIdx.x >= offset)
      v += src[threadIdx.x - offset];
    dst[threadIdx.x] = v;
    __syncthreads();
    int* t = src;
    src = dst;
    dst = t;
  }
  if (i < n)
    out[i] = src[threadIdx.x];
  if (threadIdx.x == blockDim.x - 1)
    block_sums[blockIdx.x] = src[threadIdx.x];
}

// Second pass: adds the sum of all earlier blocks' totals (scanned) to each element.
__global__ void scan_add_block_offsets(int* out, const int* scanned_block_sums, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (blockIdx.x > 0 && i < n)
    out[i] += scanned_block_sums[blockIdx.x - 1];
}
