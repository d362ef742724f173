// SPDX-License-Identifier: Apache-2.0
// reduction's kernels: the sum of n floats.
//
// Each block reduces in three steps:
//   1. every thread sums its elements (a grid-stride loop) in a register;
//   2. each warp sums its 32 values with __shfl_down_sync: after the shifts
//      by 16, 8, 4, 2 and 1 lane 0 holds the warp's sum, without touching
//      memory or needing __syncthreads;
//   3. lane 0 of every warp leaves its sum in shared memory, and the first
//      warp sums those (at most 1024 / 32 = 32 of them) the same way.
// What happens to the block's sum is the only difference between the two
// kernels.

constexpr unsigned kFullMask = 0xffffffffu;

__device__ float warp_sum(float value) {
  for (int offset = warpSize / 2; offset > 0; offset /= 2)
    value += __shfl_down_sync(kFullMask, value, offset);
  return value;
}

// The sum of the block's values, valid in thread 0. blockDim.x must be a
// multiple of 32.
__device__ float block_sum(float value) {
  __shared__ float warp_sums[32];
  const int lane = threadIdx.x % warpSize;
  const int warp = threadIdx.x / warpSize;
  value = warp_sum(value);
  if (lane == 0)
    warp_sums[warp] = value;
  __syncthreads();
  if (warp == 0) {
    const int warps = blockDim.x / warpSize;
    value = lane < warps ? warp_sums[lane] : 0.0f;
    value = warp_sum(value);
  }
  return value;
}

__device__ float thread_sum(const float* in, int n) {
  float sum = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    sum += in[i];
  return sum;
}

// Two-pass form: block b writes its sum to partial[b]. Launched once over the
// data and once more, as a single block, over the partial sums.
extern "C" __global__ void reduce_sum(const float* in, float* partial, int n) {
  const float sum = block_sum(thread_sum(in, n));
  if (threadIdx.x == 0)
    partial[blockIdx.x] = sum;
}

// One-pass form: every block adds its sum to *total with a global atomicAdd
// (*total must start at 0). The order of the additions varies from run to
// run, so the last bits of the result may too.
extern "C" __global__ void reduce_sum_atomic(const float* in, float* total, int n) {
  const float sum = block_sum(thread_sum(in, n));
  if (threadIdx.x == 0)
    atomicAdd(total, sum);
}
