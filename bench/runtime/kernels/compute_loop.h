// SPDX-License-Identifier: Apache-2.0
// The per-thread work of the compute benchmark, for the kernel and for the
// host (result check and native reference): convergent integer arithmetic
// in the shape of bench/emulator/work.h's work_int, no memory traffic. The
// loop is kept rolled on the device so that the benchmark can count one
// iteration's instructions in the kernel's assembly.
#pragma once

#ifdef __CUDACC__
#define COMPUTE_HD __host__ __device__
#define COMPUTE_NOUNROLL _Pragma("nounroll")
#else
#define COMPUTE_HD
#define COMPUTE_NOUNROLL
#endif

COMPUTE_HD inline unsigned compute_loop(unsigned gid, unsigned iterations) {
  unsigned x = gid * 2654435761u + 1u, acc = gid, y = 7;
  COMPUTE_NOUNROLL
  for (unsigned i = 0; i < iterations; ++i) {
    x = x * 1664525u + 1013904223u;
    acc = (acc ^ (x >> 13)) + (acc << 3);
    y = y * 31u + (acc >> 7);
  }
  return acc + y;
}
