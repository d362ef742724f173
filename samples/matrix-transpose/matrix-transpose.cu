// SPDX-License-Identifier: Apache-2.0
// matrix-transpose's kernels: out = transpose(in) for a rows x cols
// row-major float matrix (out is cols x rows).
//
// transpose_naive reads rows and writes columns: its writes are strided.
// transpose_tiled stages a kTile x kTile tile in shared memory so that both
// the reads from `in` and the writes to `out` walk along rows. The tile has
// one padding column: without it, the column reads from shared memory
// (tile[x][y] for consecutive x) would all fall in the same bank on a GPU
// with 32 banks; the padding shifts each row by one bank. Blocks are
// kTile x kBlockRows threads, each thread moving kTile / kBlockRows elements.
constexpr int kTile = 32;
constexpr int kBlockRows = 8;

extern "C" __global__ void transpose_naive(const float* in, float* out, int rows, int cols) {
  const int col = blockIdx.x * kTile + threadIdx.x;
  for (int r = blockIdx.y * kTile + threadIdx.y; r < (blockIdx.y + 1) * kTile; r += kBlockRows)
    if (r < rows && col < cols)
      out[col * rows + r] = in[r * cols + col];
}

extern "C" __global__ void transpose_tiled(const float* in, float* out, int rows, int cols) {
  __shared__ float tile[kTile][kTile + 1];  // + 1: the padding column

  // Read the tile starting at (blockIdx.y * kTile, blockIdx.x * kTile) row by row.
  const int col = blockIdx.x * kTile + threadIdx.x;
  for (int dy = threadIdx.y; dy < kTile; dy += kBlockRows) {
    const int r = blockIdx.y * kTile + dy;
    if (r < rows && col < cols)
      tile[dy][threadIdx.x] = in[r * cols + col];
  }
  __syncthreads();

  // Write it to the mirrored position in out, again row by row: consecutive
  // threads read down a column of the tile.
  const int out_col = blockIdx.y * kTile + threadIdx.x;  // a row index of in
  for (int dy = threadIdx.y; dy < kTile; dy += kBlockRows) {
    const int out_row = blockIdx.x * kTile + dy;          // a column index of in
    if (out_row < cols && out_col < rows)
      out[out_row * rows + out_col] = tile[threadIdx.x][dy];
  }
}
