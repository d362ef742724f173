// SPDX-License-Identifier: Apache-2.0
// matrix-multiply's kernel: C = A * B for row-major float matrices
// (A is m x k, B is k x n, C is m x n), tiled through shared memory.
//
// Each block computes one kTile x kTile tile of C, one element per thread.
// It walks along k in steps of kTile: the block loads a tile of A and a tile
// of B into shared memory (one element per thread), waits, and every thread
// accumulates its dot product from shared memory. Each element of A and B is
// thus read from device memory k / kTile times instead of k times.
constexpr int kTile = 16;  // the block must be kTile x kTile threads

extern "C" __global__ void matmul_tiled(const float* a, const float* b, float* c, int m, int n, int k) {
  __shared__ float a_tile[kTile][kTile];
  __shared__ float b_tile[kTile][kTile];
  const int tx = threadIdx.x, ty = threadIdx.y;
  const int row = blockIdx.y * kTile + ty;
  const int col = blockIdx.x * kTile + tx;

  float sum = 0.0f;
  for (int t = 0; t < k; t += kTile) {
    // Out-of-range elements load as 0 so matrices need not be multiples of kTile.
    a_tile[ty][tx] = row < m && t + tx < k ? a[row * k + t + tx] : 0.0f;
    b_tile[ty][tx] = t + ty < k && col < n ? b[(t + ty) * n + col] : 0.0f;
    __syncthreads();  // the tiles are complete
    for (int i = 0; i < kTile; ++i)
      sum += a_tile[ty][i] * b_tile[i][tx];
    __syncthreads();  // everyone is done with them before they are overwritten
  }
  if (row < m && col < n)
    c[row * n + col] = sum;
}
