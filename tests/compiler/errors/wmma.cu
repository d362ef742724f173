// SPDX-License-Identifier: Apache-2.0
// Tensor-core WMMA is not supported yet.
// EXPECT-ERROR: tensor-core WMMA (mma.h, nvcuda::wmma) is not supported by Tessera yet
#include <mma.h>
using namespace nvcuda;

__global__ void tile_mma(const half* a, const half* b, float* c) {
  wmma::fragment<wmma::matrix_a, 16, 16, 16, half, wmma::row_major> fa;
  wmma::load_matrix_sync(fa, a, 16);
}
