/* SPDX-License-Identifier: Apache-2.0 */
/* The benchmark kernels as T1 kernels: a0 = kernarg, one thread per gid. */
#include "work.h"
#include <tessera/hw/t1_isa.h>

struct args {
  void* out;
  const float* x;
  float a;
};

#define STR2(x) #x
#define STR(x) STR2(x)
static inline uint64_t gid(void) {
  uint64_t t, b, n;
  __asm__("csrr %0, " STR(T1_CSR_TID_X) : "=r"(t));
  __asm__("csrr %0, " STR(T1_CSR_CTAID_X) : "=r"(b));
  __asm__("csrr %0, " STR(T1_CSR_NTID_X) : "=r"(n));
  return b * n + t;
}
static inline __attribute__((noreturn)) void t_exit(void) {
  __asm__ volatile(".insn r CUSTOM_0, 1, 0, x0, x0, x0");
  __builtin_unreachable();
}

#if defined(KERNEL_ARITH)
void _start(const struct args* a) { uint64_t g = gid(); ((float*)a->out)[g] = work_arith(g); t_exit(); }
#elif defined(KERNEL_INT)
void _start(const struct args* a) { uint64_t g = gid(); ((uint32_t*)a->out)[g] = work_int(g); t_exit(); }
#elif defined(KERNEL_DIVERGENT)
void _start(const struct args* a) { uint64_t g = gid(); ((float*)a->out)[g] = work_divergent(g); t_exit(); }
#elif defined(KERNEL_SAXPY)
void _start(const struct args* a) { work_saxpy(gid(), a->a, a->x, (float*)a->out); t_exit(); }
#endif
