/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-thread work of the emulator benchmark. The same C source is compiled
 * three times: as T1 kernels (one thread per gid), as a qemu-riscv64 program
 * that loops over the gids, and natively for the host as the reference.
 */
#ifndef TESSERA_BENCH_WORK_H
#define TESSERA_BENCH_WORK_H
#include <stdint.h>

#define BENCH_ITERS 96

/* (a) convergent arithmetic: an integer LCG feeding float multiply-adds. */
static inline float work_arith(uint64_t gid) {
  uint32_t x = (uint32_t)gid * 2654435761u + 1u;
  float acc = (float)(gid & 255) * 0.001f, y = 1.0f;
  for (int i = 0; i < BENCH_ITERS; ++i) {
    x = x * 1664525u + 1013904223u;
    acc = acc * 0.999f + (float)(x >> 16) * 1e-6f;
    y = y * 1.0001f + acc;
  }
  return acc + y;
}

/* (a') the same shape with integer operations only. */
static inline uint32_t work_int(uint64_t gid) {
  uint32_t x = (uint32_t)gid * 2654435761u + 1u, acc = (uint32_t)gid, y = 7;
  for (int i = 0; i < BENCH_ITERS; ++i) {
    x = x * 1664525u + 1013904223u;
    acc = (acc ^ (x >> 13)) + (acc << 3);
    y = y * 31u + (acc >> 7);
  }
  return acc + y;
}

/* (b) divergent: each iteration branches on a random bit of the thread. */
static inline float work_divergent(uint64_t gid) {
  uint32_t x = (uint32_t)gid * 2654435761u + 1u;
  float acc = (float)(gid & 255) * 0.001f, y = 1.0f;
  for (int i = 0; i < BENCH_ITERS; ++i) {
    x = x * 1664525u + 1013904223u;
    if (x & 0x10000u) {
      acc = acc * 0.999f + (float)(x >> 16) * 1e-6f;
    } else {
      y = y * 1.0001f + acc;
      acc = acc - y * 1e-7f;
    }
  }
  return acc + y;
}

/* (c) memory bound: SAXPY, one element per thread. */
static inline void work_saxpy(uint64_t gid, float a, const float* x, float* y) {
  y[gid] = a * x[gid] + y[gid];
}

#endif
