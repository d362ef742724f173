// SPDX-License-Identifier: Apache-2.0
// The pre-CUDA 9 shuffle without a member mask does not exist on Tessera.
// EXPECT-ERROR: __shfl_down without a member mask is not supported: use __shfl_down_sync
__global__ void sum_warp(float* v) {
  float x = v[threadIdx.x];
  for (int offset = 16; offset > 0; offset /= 2)
    x += __shfl_down(x, offset);
  v[threadIdx.x] = x;
}
