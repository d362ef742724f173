// SPDX-License-Identifier: Apache-2.0
// multi-device's kernels: the sum of squares of integers, in 64 bits so the
// result is exact.
//
// sum_squares runs on every device over that device's slice and leaves one
// partial sum per block; sum_partials runs on device 0, as one block, over
// the partial sums gathered from all devices. blockDim.x must be a power of
// two, at most kMaxThreads.
constexpr int kMaxThreads = 1024;

// The block's total of `value`, returned to thread 0 (shared-memory tree).
__device__ unsigned long long block_sum(unsigned long long value) {
  __shared__ unsigned long long scratch[kMaxThreads];
  scratch[threadIdx.x] = value;
  __syncthreads();
  for (unsigned active = blockDim.x / 2; active > 0; active /= 2) {
    if (threadIdx.x < active)
      scratch[threadIdx.x] += scratch[threadIdx.x + active];
    __syncthreads();
  }
  return scratch[0];
}

extern "C" __global__ void sum_squares(const int* x, int n, unsigned long long* partials) {
  unsigned long long sum = 0;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    sum += static_cast<unsigned long long>(static_cast<long long>(x[i]) * x[i]);
  sum = block_sum(sum);
  if (threadIdx.x == 0)
    partials[blockIdx.x] = sum;
}

extern "C" __global__ void sum_partials(const unsigned long long* partials, int count,
                                        unsigned long long* total) {
  unsigned long long sum = 0;
  for (int i = threadIdx.x; i < count; i += blockDim.x)
    sum += partials[i];
  sum = block_sum(sum);
  if (threadIdx.x == 0)
    *total = sum;
}
