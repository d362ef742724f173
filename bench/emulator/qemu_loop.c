/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The benchmark kernels as one RISC-V Linux program looping over the gids,
 * for qemu-riscv64 and `tessera-emu run` (built with the tests/riscv
 * runtime). Usage: bench_loop.elf arith|int|divergent|saxpy THREADS
 * Prints a checksum so the work cannot be optimized away.
 */
#include "rt.h"
#include "work.h"

#define SAXPY_MAX (1u << 22)
static float xs[SAXPY_MAX], ys[SAXPY_MAX];

static uint64_t parse(const char* s) {
  uint64_t v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + (uint64_t)(*s++ - '0');
  return v;
}

static uint32_t bits(float f) {
  uint32_t b;
  __builtin_memcpy(&b, &f, 4);
  return b;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    rt_printf("usage: bench_loop.elf arith|int|divergent|saxpy THREADS\n");
    return 2;
  }
  uint64_t n = parse(argv[2]), sum = 0;
  switch (argv[1][0]) {
    case 'a': for (uint64_t g = 0; g < n; ++g) sum += bits(work_arith(g)); break;
    case 'i': for (uint64_t g = 0; g < n; ++g) sum += work_int(g); break;
    case 'd': for (uint64_t g = 0; g < n; ++g) sum += bits(work_divergent(g)); break;
    default:
      if (n > SAXPY_MAX) n = SAXPY_MAX;
      for (uint64_t g = 0; g < n; ++g) work_saxpy(g, 2.0f, xs, ys);
      for (uint64_t g = 0; g < n; ++g) sum += bits(ys[g]);
  }
  rt_printf("%llu\n", (unsigned long long)sum);
  return 0;
}
