// SPDX-License-Identifier: Apache-2.0
// Sum of in[0..n): each block reduces its part (grid-stride accumulation,
// warp shuffles, one partial per warp in shared memory, then the first warp
// combines them) and adds its total to *out with one atomicAdd. Works for
// any block size that is a multiple of 32, up to 1024. reduce_sum_cg does the
// same with cooperative groups.
#include <cooperative_groups.h>
#include <cooperative_groups/reduce.h>
#include <cuda_runtime.h>

namespace cg = cooperative_groups;

template <typename T> __device__ __forceinline__ T warp_reduce_sum(T v) {
  for (int offset = warpSize / 2; offset > 0; offset /= 2)
    v += __shfl_down_sync(0xffffffffu, v, offset);
  return v;
}

template <typename T> __device__ T block_reduce_sum(T v) {
  __shared__ T warp_sums[32];
  const int lane = threadIdx.x % warpSize;
  const int warp = threadIdx.x / warpSize;
  v = warp_reduce_sum(v);
  if (lane == 0)
    warp_sums[warp] = v;
  __syncthreads();
  const int warps = blockDim.x / warpSize;
  v = lane < warps ? warp_sums[lane] : T(0);
  if (warp == 0)
    v = warp_reduce_sum(v);
  return v;
}

__global__ void reduce_sum_f32(const float* in, float* out, int n) {
  float sum = 0.0f;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    sum += in[i];
  sum = block_reduce_sum(sum);
  if (threadIdx.x == 0)
    atomicAdd(out, sum);
}

// The same for integers, exact whatever the order of the additions.
__global__ void reduce_sum_u64(const unsigned int* in, unsigned long long* out, int n) {
  unsigned long long sum = 0;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x)
    sum += in[i];
  sum = block_reduce_sum(sum);
  if (threadIdx.x == 0)
    atomicAdd(out, sum);
}

// Cooperative groups: 32-thread tiles reduce with cg::reduce, tile leaders
// combine through shared memory after a block-wide sync, 4-thread sub-tiles
// check shfl/ballot on the way (sub_tile_max[t] = max of t's 4-lane tile).
__global__ void reduce_sum_cg(const int* in, int* out, int* sub_tile_max, int n) {
  cg::thread_block block = cg::this_thread_block();
  cg::thread_block_tile<32> warp = cg::tiled_partition<32>(block);
  cg::thread_block_tile<4> quad = cg::tiled_partition<4>(warp);
  __shared__ int partial[32];

  const int i = blockIdx.x * blockDim.x + block.thread_rank();
  const int v = i < n ? in[i] : 0;
  const int quad_max = cg::reduce(quad, v, cg::greater<int>());
  if (i < n)
    sub_tile_max[i] = quad.ballot(v == quad_max) != 0 ? quad.shfl(quad_max, 0) : -1;

  const int warp_sum = cg::reduce(warp, v, cg::plus<int>());
  if (warp.thread_rank() == 0)
    partial[warp.meta_group_rank()] = warp_sum;
  block.sync();
  if (warp.meta_group_rank() == 0) {
    int s = warp.thread_rank() < warp.meta_group_size() ? partial[warp.thread_rank()] : 0;
    s = cg::reduce(warp, s, cg::plus<int>());
    if (warp.thread_rank() == 0)
      atomicAdd(out, s);
  }
}
