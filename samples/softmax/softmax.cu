// SPDX-License-Identifier: Apache-2.0
// softmax's kernel: row-wise softmax of a rows x cols row-major matrix,
//   out[r][c] = exp(in[r][c] - max_r) / sum_c' exp(in[r][c'] - max_r),
// one block per row. Subtracting the row's maximum keeps expf from
// overflowing and does not change the result.
//
// The block needs two reductions over its row, a maximum and then a sum.
// Both use the same shared-memory tree: each thread puts its partial value
// in shared memory, then at every step the first half of the active threads
// combine their value with one from the second half, until element 0 holds
// the block's result.
constexpr int kMaxThreads = 1024;

template <typename Combine>
__device__ float block_reduce(float value, Combine combine) {
  __shared__ float scratch[kMaxThreads];
  scratch[threadIdx.x] = value;
  __syncthreads();
  // blockDim.x must be a power of two.
  for (unsigned active = blockDim.x / 2; active > 0; active /= 2) {
    if (threadIdx.x < active)
      scratch[threadIdx.x] = combine(scratch[threadIdx.x], scratch[threadIdx.x + active]);
    __syncthreads();
  }
  const float result = scratch[0];
  __syncthreads();  // everyone has read it before scratch is reused
  return result;
}

extern "C" __global__ void softmax_rows(const float* in, float* out, int cols) {
  const float* row_in = in + static_cast<size_t>(blockIdx.x) * cols;
  float* row_out = out + static_cast<size_t>(blockIdx.x) * cols;

  float local_max = -INFINITY;
  for (int c = threadIdx.x; c < cols; c += blockDim.x)
    local_max = fmaxf(local_max, row_in[c]);
  const float row_max = block_reduce(local_max, [](float x, float y) { return fmaxf(x, y); });

  float local_sum = 0.0f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) {
    const float e = expf(row_in[c] - row_max);
    row_out[c] = e;  // kept so the exponential is computed once
    local_sum += e;
  }
  const float row_sum = block_reduce(local_sum, [](float x, float y) { return x + y; });

  const float scale = 1.0f / row_sum;
  for (int c = threadIdx.x; c < cols; c += blockDim.x)
    row_out[c] *= scale;
}
