// SPDX-License-Identifier: Apache-2.0
// saxpy's kernel: y = a * x + y (BLAS's single-precision "a x plus y").
//
// A grid-stride loop: each thread handles elements i, i + stride, ...,
// so any grid size covers any n. That lets the host size the grid to fill
// the device (tsOccupancyMaxPotentialBlockSize) instead of to the data.
extern "C" __global__ void saxpy(int n, float a, const float* __restrict__ x, float* __restrict__ y) {
  const int stride = gridDim.x * blockDim.x;
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride)
    y[i] = a * x[i] + y[i];
}
