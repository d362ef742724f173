// SPDX-License-Identifier: Apache-2.0
// The A extension: every AMO in .W and .D form (with aq/rl variants), on
// negative and boundary values, and LR/SC success and failure.
#include "rt.h"

static int64_t mem_d __attribute__((aligned(8)));
static int32_t mem_w[2] __attribute__((aligned(8)));

#define AMO(name)                                                                    \
  static int64_t name##_d(int64_t init, int64_t v, int64_t* after) {                 \
    int64_t old;                                                                     \
    mem_d = init;                                                                    \
    __asm__ volatile(#name ".d %0, %2, (%1)" : "=r"(old) : "r"(&mem_d), "r"(v) : "memory"); \
    *after = mem_d;                                                                  \
    return old;                                                                      \
  }                                                                                  \
  static int64_t name##_w(int32_t init, int64_t v, int64_t* after) {                 \
    int64_t old;                                                                     \
    mem_w[0] = init;                                                                 \
    mem_w[1] = 0x5a5a5a5a; /* must not change */                                     \
    __asm__ volatile(#name ".w.aqrl %0, %2, (%1)" : "=r"(old) : "r"(mem_w), "r"(v) : "memory"); \
    *after = mem_w[0];                                                               \
    if (mem_w[1] != 0x5a5a5a5a) rt_puts("amo.w clobbered the next word\n");          \
    return old;                                                                      \
  }
AMO(amoswap) AMO(amoadd) AMO(amoxor) AMO(amoand) AMO(amoor)
AMO(amomin) AMO(amomax) AMO(amominu) AMO(amomaxu)

typedef int64_t (*amo_fn)(int64_t, int64_t, int64_t*);
static const struct {
  const char* name;
  amo_fn d;
  int64_t (*w)(int32_t, int64_t, int64_t*);
} kAmos[] = {
#define E(n) {#n, n##_d, n##_w},
    E(amoswap) E(amoadd) E(amoxor) E(amoand) E(amoor)
    E(amomin) E(amomax) E(amominu) E(amomaxu)
#undef E
};

static const int64_t kVals[] = {0, 1, -1, -2, 0x7fffffff, (int64_t)0xffffffff80000000ll,
                                0x100000000ll, INT64_MAX, INT64_MIN};
#define NV (sizeof kVals / sizeof kVals[0])

int main(void) {
  for (unsigned a = 0; a < sizeof kAmos / sizeof kAmos[0]; ++a) {
    for (unsigned i = 0; i < NV; ++i) {
      rt_printf("%-8s %llx:", kAmos[a].name, (unsigned long long)kVals[i]);
      for (unsigned j = 0; j < NV; ++j) {
        int64_t after_d, after_w;
        int64_t old_d = kAmos[a].d(kVals[i], kVals[j], &after_d);
        int64_t old_w = kAmos[a].w((int32_t)kVals[i], kVals[j], &after_w);
        rt_printf(" d:%llx>%llx w:%llx>%llx", (unsigned long long)old_d,
                  (unsigned long long)after_d, (unsigned long long)old_w,
                  (unsigned long long)after_w);
      }
      rt_putc('\n');
    }
  }
  int64_t after;
  CHECK_EQ(amomin_w(-1, 1, &after), -1);
  CHECK_EQ(after, -1);
  CHECK_EQ(amominu_w(-1, 1, &after), -1);  // old value, sign-extended
  CHECK_EQ(after, 1);
  CHECK_EQ(amomax_d(INT64_MIN, -1, &after), INT64_MIN);
  CHECK_EQ(after, -1);
  CHECK_EQ(amomaxu_d(1, -1, &after), 1);
  CHECK_EQ(after, -1);
  CHECK_EQ(amoadd_w(0x7fffffff, 1, &after), 0x7fffffff);
  CHECK_EQ(after, (int64_t)INT32_MIN);

  // LR/SC: a paired SC succeeds (0), a second SC without a reservation fails.
  int64_t loaded, sc1, sc2;
  mem_d = 41;
  __asm__ volatile(
      "lr.d.aq %0, (%3)\n\t"
      "addi %0, %0, 1\n\t"
      "sc.d.rl %1, %0, (%3)\n\t"
      "sc.d %2, %0, (%3)\n\t"
      : "=&r"(loaded), "=&r"(sc1), "=&r"(sc2)
      : "r"(&mem_d)
      : "memory");
  rt_printf("lr/sc.d: value %lld sc1 %lld sc2 %s\n", (long long)mem_d, (long long)sc1,
            sc2 ? "failed" : "succeeded");
  CHECK_EQ(mem_d, 42);
  CHECK_EQ(sc1, 0);
  CHECK(sc2 != 0);

  mem_w[0] = -5;
  int64_t lw_val, scw;
  __asm__ volatile(
      "lr.w %0, (%2)\n\t"
      "sc.w %1, %3, (%2)\n\t"
      : "=&r"(lw_val), "=&r"(scw)
      : "r"(mem_w), "r"((int64_t)-6)
      : "memory");
  rt_printf("lr/sc.w: loaded %lld sc %lld value %d\n", (long long)lw_val, (long long)scw,
            mem_w[0]);
  CHECK_EQ(lw_val, -5);  // lr.w sign-extends
  CHECK_EQ(scw, 0);
  CHECK_EQ(mem_w[0], -6);

  // A CAS loop, as compilers emit for __atomic_compare_exchange.
  int64_t expected = -6;
  int ok = __atomic_compare_exchange_n(&mem_w[0], (int32_t*)&expected, 77, 0,
                                       __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
  rt_printf("cas: %d value %d\n", ok, mem_w[0]);
  CHECK(ok);
  rt_printf("atomics: %d failures\n", rt_failures());
  return rt_failures();
}
