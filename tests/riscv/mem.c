// SPDX-License-Identifier: Apache-2.0
// Loads and stores of every width and signedness, aligned and misaligned,
// FP loads/stores, compressed stack accesses, and .bss/.data initialization.
#include "rt.h"

static uint8_t buf[64] __attribute__((aligned(16)));
static int64_t bss_words[512];  // must read as zero
static int32_t data_words[4] = {1, -2, 0x7fffffff, (int32_t)0x80000000};

#define LOAD(insn, T)                                                      \
  static int64_t ld_##insn(const void* p) {                                \
    int64_t r;                                                             \
    __asm__ volatile(#insn " %0, 0(%1)" : "=r"(r) : "r"(p) : "memory");    \
    return r;                                                              \
  }
LOAD(lb, int8_t) LOAD(lbu, uint8_t) LOAD(lh, int16_t) LOAD(lhu, uint16_t)
LOAD(lw, int32_t) LOAD(lwu, uint32_t) LOAD(ld, int64_t)

#define STORE(insn)                                                        \
  static void st_##insn(void* p, int64_t v) {                              \
    __asm__ volatile(#insn " %1, 0(%0)" : : "r"(p), "r"(v) : "memory");    \
  }
STORE(sb) STORE(sh) STORE(sw) STORE(sd)

static void dump(const char* what) {
  rt_printf("%-10s", what);
  for (int i = 0; i < 24; ++i) rt_printf(" %02x", buf[i]);
  rt_putc('\n');
}

int main(void) {
  for (int i = 0; i < 64; ++i) buf[i] = (uint8_t)(0x80 + i * 7);
  for (int off = 0; off < 8; ++off) {  // off > 0 includes misaligned accesses
    const uint8_t* p = buf + off;
    rt_printf("off %d: lb %llx lbu %llx lh %llx lhu %llx lw %llx lwu %llx ld %llx\n", off,
              (unsigned long long)ld_lb(p), (unsigned long long)ld_lbu(p),
              (unsigned long long)ld_lh(p), (unsigned long long)ld_lhu(p),
              (unsigned long long)ld_lw(p), (unsigned long long)ld_lwu(p),
              (unsigned long long)ld_ld(p));
  }
  st_sb(buf + 1, 0x1234567890abcdefll);
  dump("sb");
  st_sh(buf + 2, -2);
  dump("sh");
  st_sw(buf + 4, 0x7eadbeef);
  dump("sw");
  st_sd(buf + 8, (int64_t)0x0102030405060708ll);
  dump("sd");
  st_sw(buf + 17, -1);  // misaligned
  st_sd(buf + 21, 0x1122334455667788ll);
  dump("misal");

  // FP loads and stores move raw bits (flw NaN-boxes, fsw stores the low 32).
  float f;
  double d;
  uint64_t dbits;
  __asm__ volatile("flw %0, 0(%1)" : "=f"(f) : "r"(buf + 8) : "memory");
  __asm__ volatile("fld %0, 0(%1)" : "=f"(d) : "r"(buf + 8) : "memory");
  __asm__ volatile("fsw %0, 32(%1)\n\tfsd %2, 40(%1)" : : "f"(f), "r"(buf), "f"(d) : "memory");
  __asm__ volatile("fmv.x.d %0, %1" : "=r"(dbits) : "f"(f));
  rt_printf("flw boxed %016llx\n", (unsigned long long)dbits);
  rt_printf("fsw/fsd %016llx %016llx\n", (unsigned long long)ld_ld(buf + 32),
            (unsigned long long)ld_ld(buf + 40));

  // A larger stack frame: clang emits c.sdsp/c.ldsp and c.sd/c.ld here.
  volatile int64_t frame[32];
  for (int i = 0; i < 32; ++i) frame[i] = (int64_t)i * -0x0101010101ll;
  int64_t sum = 0;
  for (int i = 0; i < 32; ++i) sum += frame[i] ^ (sum << 1);
  rt_printf("stack sum %llx\n", (unsigned long long)sum);

  int64_t bss_or = 0;
  for (int i = 0; i < 512; ++i) bss_or |= bss_words[i];
  CHECK_EQ(bss_or, 0);
  CHECK_EQ(data_words[1], -2);
  CHECK_EQ(ld_lw(&data_words[3]), (int64_t)INT32_MIN);
  CHECK_EQ(ld_lwu(&data_words[3]), 0x80000000ll);
  CHECK_EQ(ld_lb(buf + 1), -17);  // 0xef
  rt_printf("mem: %d failures\n", rt_failures());
  return rt_failures();
}
