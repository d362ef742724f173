// SPDX-License-Identifier: Apache-2.0
// Compute-throughput kernel: one compute_loop per thread, one store.
#include "compute_loop.h"

extern "C" __global__ void lcg_loop(unsigned* out, unsigned iterations) {
  const unsigned gid = blockIdx.x * blockDim.x + threadIdx.x;
  out[gid] = compute_loop(gid, iterations);
}
