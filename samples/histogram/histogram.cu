// SPDX-License-Identifier: Apache-2.0
// histogram's kernel: counts how often each byte value occurs in the input
// (256 bins).
//
// Incrementing 256 global counters from every thread would make all threads
// contend for the same few words. Instead each block first counts into its
// own copy of the histogram in shared memory (atomics there are cheap and
// only the block's threads contend), then adds its non-zero counts to the
// global histogram with one atomicAdd per bin.
constexpr int kBins = 256;

extern "C" __global__ void histogram_bytes(const unsigned char* data, int n, unsigned* bins) {
  __shared__ unsigned block_bins[kBins];
  for (int b = threadIdx.x; b < kBins; b += blockDim.x)
    block_bins[b] = 0;
  __syncthreads();  // cleared before anyone counts

  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    atomicAdd(&block_bins[data[i]], 1u);
  __syncthreads();  // all of the block's counts are in

  for (int b = threadIdx.x; b < kBins; b += blockDim.x)
    if (block_bins[b] != 0)
      atomicAdd(&bins[b], block_bins[b]);
}
