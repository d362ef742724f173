/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The benchmark kernels as one RISC-V Linux program looping over the gids,
 * for qemu-riscv64 (and `tessera-emu run`). argv[1] = number of threads.
 * Prints a checksum so the work cannot be optimized away.
 */
#include "work.h"

static long sys3(long n, long a, long b, long c) {
  register long a7 __asm__("a7") = n;
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
  return a0;
}

static uint64_t parse(const char* s) {
  uint64_t v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + (uint64_t)(*s++ - '0');
  return v;
}

static float xs[1 << 22], ys[1 << 22];

static void run(uint64_t n, const char* which) {
  uint64_t sum = 0;
  if (which[0] == 'a') {
    for (uint64_t g = 0; g < n; ++g) { float r = work_arith(g); uint32_t b; __builtin_memcpy(&b, &r, 4); sum += b; }
  } else if (which[0] == 'i') {
    for (uint64_t g = 0; g < n; ++g) sum += work_int(g);
  } else if (which[0] == 'd') {
    for (uint64_t g = 0; g < n; ++g) { float r = work_divergent(g); uint32_t b; __builtin_memcpy(&b, &r, 4); sum += b; }
  } else {
    if (n > (1u << 22)) n = 1u << 22;
    for (uint64_t g = 0; g < n; ++g) work_saxpy(g, 2.0f, xs, ys);
    for (uint64_t g = 0; g < n; ++g) { uint32_t b; __builtin_memcpy(&b, &ys[g], 4); sum += b; }
  }
  char buf[24];
  int i = 23;
  buf[i] = '\n';
  do { buf[--i] = (char)('0' + sum % 10); sum /= 10; } while (sum);
  sys3(64, 1, (long)(buf + i), 24 - i);
}

__attribute__((used)) void start_c(long* sp) {
  long argc = sp[0];
  char** argv = (char**)(sp + 1);
  if (argc < 3) sys3(93, 2, 0, 0);
  run(parse(argv[2]), argv[1]);
  sys3(93, 0, 0, 0);
}

__asm__(".globl _start\n_start:\n  mv a0, sp\n  call start_c\n");
