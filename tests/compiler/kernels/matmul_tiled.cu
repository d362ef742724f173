// SPDX-License-Identifier: Apache-2.0
// C = A * B for row-major A (M x K), B (K x N), C (M x N): each TILE x TILE
// block computes one tile of C, staging tiles of A and B through shared
// memory. Launch with blockDim = (TILE, TILE), grid = (ceil(N/TILE),
// ceil(M/TILE)). Instantiated for float (16x16 tiles) and double (8x8).
#include <cuda_runtime.h>

template <typename T, int TILE>
__global__ void __launch_bounds__(TILE* TILE)
    matmul_tiled(const T* __restrict__ A, const T* __restrict__ B, T* __restrict__ C, int M, int N,
                 int K) {
  __shared__ T As[TILE][TILE];
  __shared__ T Bs[TILE][TILE];
  const int row = blockIdx.y * TILE + threadIdx.y;
  const int col = blockIdx.x * TILE + threadIdx.x;
  T acc = 0;
  for (int t = 0; t < (K + TILE - 1) / TILE; ++t) {
    const int a_col = t * TILE + threadIdx.x;
    const int b_row = t * TILE + threadIdx.y;
    As[threadIdx.y][threadIdx.x] = (row < M && a_col < K) ? A[row * K + a_col] : T(0);
    Bs[threadIdx.y][threadIdx.x] = (b_row < K && col < N) ? B[b_row * N + col] : T(0);
    __syncthreads();
#pragma unroll
    for (int k = 0; k < TILE; ++k)
      acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
    __syncthreads();
  }
  if (row < M && col < N)
    C[row * N + col] = acc;
}

template __global__ void matmul_tiled<float, 16>(const float*, const float*, float*, int, int, int);
template __global__ void matmul_tiled<double, 8>(const double*, const double*, double*, int, int,
                                                 int);
