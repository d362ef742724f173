// SPDX-License-Identifier: Apache-2.0
// CUDA's cooperative groups, the block-local part: this_thread_block() and
// tiled_partition<N>() (warp tiles of N = 1, 2, 4, 8, 16 or 32 threads).
//
// Grid-wide and multi-device groups (this_grid(), grid.sync()) would need all
// blocks of a grid resident at once, which T1's dispatcher does not promise;
// they are declared unavailable so that a use fails with a message. Dynamic
// tiles (tiled_partition(parent, n)), coalesced_threads() and cluster groups
// are not provided yet. cooperative_groups/reduce.h adds cg::reduce.
#ifndef TESSERA_DEVICE_COOPERATIVE_GROUPS_H
#define TESSERA_DEVICE_COOPERATIVE_GROUPS_H

#include "tessera_device.h"

namespace cooperative_groups {

// All threads of the block.
class thread_block {
public:
  __TESSERA_D void sync() const { __syncthreads(); }
  // Linear thread index within the block (x fastest).
  __TESSERA_D unsigned int thread_rank() const {
    return (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
  }
  __TESSERA_D unsigned int size() const { return blockDim.x * blockDim.y * blockDim.z; }
  __TESSERA_D unsigned int num_threads() const { return size(); }
  __TESSERA_D dim3 group_index() const { return dim3(blockIdx.x, blockIdx.y, blockIdx.z); }
  __TESSERA_D dim3 thread_index() const { return dim3(threadIdx.x, threadIdx.y, threadIdx.z); }
  __TESSERA_D dim3 group_dim() const { return dim3(blockDim.x, blockDim.y, blockDim.z); }
  __TESSERA_D dim3 dim_threads() const { return group_dim(); }

private:
  __TESSERA_D thread_block() {}
  friend __TESSERA_D thread_block this_thread_block();
};

__TESSERA_D thread_block this_thread_block() { return thread_block(); }

// N consecutive lanes of a warp (a block's threads are laid out in warps of
// 32 by linear thread index, so lane / N picks the tile).
template <unsigned int N> class thread_block_tile {
  static_assert(N >= 1 && N <= 32 && (N & (N - 1)) == 0,
                "tiled_partition<N>: N must be a power of two from 1 to 32");

public:
  // The lanes of this thread's tile.
  __TESSERA_D unsigned int mask() const {
    const unsigned int tile_bits = N == 32 ? 0xffffffffu : ((1u << N) - 1u);
    return tile_bits << (__nvvm_read_ptx_sreg_laneid() & ~(N - 1));
  }
  __TESSERA_D void sync() const { __syncwarp(mask()); }
  __TESSERA_D unsigned int thread_rank() const { return __nvvm_read_ptx_sreg_laneid() & (N - 1); }
  __TESSERA_D static constexpr unsigned int size() { return N; }
  __TESSERA_D static constexpr unsigned int num_threads() { return N; }
  // Which tile of the block this is, and how many tiles the block has.
  __TESSERA_D unsigned int meta_group_rank() const { return this_thread_block().thread_rank() / N; }
  __TESSERA_D unsigned int meta_group_size() const {
    return (this_thread_block().size() + N - 1) / N;
  }

  template <typename T> __TESSERA_D T shfl(T var, int src_rank) const {
    return __shfl_sync(mask(), var, src_rank, N);
  }
  template <typename T> __TESSERA_D T shfl_up(T var, unsigned int delta) const {
    return __shfl_up_sync(mask(), var, delta, N);
  }
  template <typename T> __TESSERA_D T shfl_down(T var, unsigned int delta) const {
    return __shfl_down_sync(mask(), var, delta, N);
  }
  template <typename T> __TESSERA_D T shfl_xor(T var, unsigned int lane_mask) const {
    return __shfl_xor_sync(mask(), var, lane_mask, N);
  }
  __TESSERA_D int any(int predicate) const { return __any_sync(mask(), predicate); }
  __TESSERA_D int all(int predicate) const { return __all_sync(mask(), predicate); }
  // Bit i is thread_rank i's predicate.
  __TESSERA_D unsigned int ballot(int predicate) const {
    return __ballot_sync(mask(), predicate) >> (__nvvm_read_ptx_sreg_laneid() & ~(N - 1));
  }
};

template <unsigned int N> __TESSERA_D thread_block_tile<N> tiled_partition(const thread_block&) {
  return thread_block_tile<N>();
}
// A tile of a larger tile is a tile of the block.
template <unsigned int N, unsigned int M>
__TESSERA_D thread_block_tile<N> tiled_partition(const thread_block_tile<M>&) {
  static_assert(N <= M, "tiled_partition<N>(tile<M>): N must not exceed M");
  return thread_block_tile<N>();
}

template <typename Group> __TESSERA_D void sync(const Group& group) { group.sync(); }
template <typename Group> __TESSERA_D unsigned int thread_rank(const Group& group) {
  return group.thread_rank();
}
template <typename Group> __TESSERA_D unsigned int group_size(const Group& group) {
  return group.size();
}

// ---- Not supported ----
#define __TESSERA_CG_UNSUPPORTED(what)                                                             \
  __attribute__((unavailable(what " is not supported by Tessera")))
#define __TESSERA_CG_GRID_SYNC                                                                     \
  __TESSERA_CG_UNSUPPORTED(                                                                        \
      "grid-wide synchronization (cooperative_groups::this_grid, grid_group::sync)")
#define __TESSERA_CG_MULTI_GRID                                                                    \
  __TESSERA_CG_UNSUPPORTED("multi-device synchronization (cooperative_groups::this_multi_grid)")
// Complete types, so that declaring a variable of them reaches the message.
class grid_group {
public:
  __device__ void sync() const __TESSERA_CG_GRID_SYNC;
  __device__ unsigned long long thread_rank() const __TESSERA_CG_GRID_SYNC;
  __device__ unsigned long long size() const __TESSERA_CG_GRID_SYNC;
  __device__ bool is_valid() const __TESSERA_CG_GRID_SYNC;

private:
  grid_group() = default;
};
class multi_grid_group {
public:
  __device__ void sync() const __TESSERA_CG_MULTI_GRID;

private:
  multi_grid_group() = default;
};
class coalesced_group {
private:
  coalesced_group() = default;
};
__device__ grid_group this_grid() __TESSERA_CG_GRID_SYNC;
__device__ multi_grid_group this_multi_grid() __TESSERA_CG_MULTI_GRID;
__device__ coalesced_group coalesced_threads()
    __TESSERA_CG_UNSUPPORTED("cooperative_groups::coalesced_threads (not yet)");
#undef __TESSERA_CG_MULTI_GRID
#undef __TESSERA_CG_GRID_SYNC
#undef __TESSERA_CG_UNSUPPORTED

} // namespace cooperative_groups

#endif // TESSERA_DEVICE_COOPERATIVE_GROUPS_H
