// SPDX-License-Identifier: Apache-2.0
// device-query's kernel: a smoke test run on every device. Each thread writes
// its global index, and the first thread of each block also records the warp
// size the hardware reports, so the host can see that the device executes
// code and that its view of the launch shape matches the request.
extern "C" __global__ void probe(unsigned* indices, int* warp_sizes) {
  const unsigned i = blockIdx.x * blockDim.x + threadIdx.x;
  indices[i] = i;
  if (threadIdx.x == 0)
    warp_sizes[blockIdx.x] = warpSize;
}
