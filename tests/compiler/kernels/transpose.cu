// SPDX-License-Identifier: Apache-2.0
// out = transpose(in) for a row-major rows x cols matrix of floats, through a
// 32 x 33 shared tile (the padding column keeps column reads from hitting
// one bank). Launch with blockDim = (32, 8), grid = (ceil(cols/32),
// ceil(rows/32)): each thread moves 4 elements.
#include <cuda_runtime.h>

#define TILE_DIM 32
#define BLOCK_ROWS 8

__global__ void transpose_tiled(float* out, const float* in, int rows, int cols) {
  __shared__ float tile[TILE_DIM][TILE_DIM + 1];
  int x = blockIdx.x * TILE_DIM + threadIdx.x;
  int y = blockIdx.y * TILE_DIM + threadIdx.y;
  for (int j = 0; j < TILE_DIM; j += BLOCK_ROWS)
    if (x < cols && y + j < rows)
      tile[threadIdx.y + j][threadIdx.x] = in[(y + j) * cols + x];
  __syncthreads();

  x = blockIdx.y * TILE_DIM + threadIdx.x; // column in out = row in in
  y = blockIdx.x * TILE_DIM + threadIdx.y;
  for (int j = 0; j < TILE_DIM; j += BLOCK_ROWS)
    if (x < rows && y + j < cols)
      out[(y + j) * rows + x] = tile[threadIdx.x][threadIdx.y + j];
}
