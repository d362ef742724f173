// SPDX-License-Identifier: Apache-2.0
// prefix-scan's kernels: an exclusive prefix sum, out[i] = in[0] + ... +
// in[i - 1], of unsigned integers, in two levels.
//
// scan_blocks: each block scans its own chunk of 2 * blockDim.x elements (two
// per thread) in shared memory with the work-efficient up-sweep / down-sweep
// algorithm, and records the chunk's total in block_sums. The chunk size
// depends on the launch, so the shared array is dynamic: `extern __shared__`
// with its size given at launch (sharedMemBytes = 2 * blockDim.x * 4).
//
// add_block_offsets: once the block totals have themselves been scanned,
// adds to every element the sum of all earlier chunks.

extern "C" __global__ void scan_blocks(const unsigned* in, unsigned* out, unsigned* block_sums, int n) {
  extern __shared__ unsigned chunk[];  // 2 * blockDim.x elements
  const int size = 2 * blockDim.x;
  const int base = blockIdx.x * size;
  const int t = threadIdx.x;
  chunk[2 * t] = base + 2 * t < n ? in[base + 2 * t] : 0;
  chunk[2 * t + 1] = base + 2 * t + 1 < n ? in[base + 2 * t + 1] : 0;

  // Up-sweep: build partial sums in a balanced tree; afterwards the last
  // element holds the chunk's total.
  int stride = 1;
  for (int active = size / 2; active > 0; active /= 2) {
    __syncthreads();
    if (t < active) {
      const int right = stride * (2 * t + 2) - 1;
      chunk[right] += chunk[right - stride];
    }
    stride *= 2;
  }

  // Keep the total, then clear it: the root of an exclusive scan is 0.
  if (t == 0) {
    if (block_sums != nullptr)
      block_sums[blockIdx.x] = chunk[size - 1];
    chunk[size - 1] = 0;
  }

  // Down-sweep: walk back down the tree. Each node holds the sum of all
  // elements before its subtree; it hands that to its left child and that
  // plus the left child's (up-sweep) sum to its right child.
  for (int active = 1; active < size; active *= 2) {
    stride /= 2;
    __syncthreads();
    if (t < active) {
      const int right = stride * (2 * t + 2) - 1;
      const int left = right - stride;
      const unsigned left_sum = chunk[left];
      chunk[left] = chunk[right];
      chunk[right] += left_sum;
    }
  }
  __syncthreads();

  if (base + 2 * t < n)
    out[base + 2 * t] = chunk[2 * t];
  if (base + 2 * t + 1 < n)
    out[base + 2 * t + 1] = chunk[2 * t + 1];
}

extern "C" __global__ void add_block_offsets(unsigned* out, const unsigned* scanned_block_sums, int n) {
  const int size = 2 * blockDim.x;
  const unsigned offset = scanned_block_sums[blockIdx.x];
  const int i = blockIdx.x * size + threadIdx.x;
  if (i < n)
    out[i] += offset;
  if (i + blockDim.x < n)
    out[i + blockDim.x] += offset;
}
