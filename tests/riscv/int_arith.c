// SPDX-License-Identifier: Apache-2.0
// RV64IM integer instructions on edge-case operands: every R-type and
// immediate ALU op, M (div/rem by zero and overflow, mulh*), *W ops, and
// the branches (branches.S). Inline asm pins each instruction: in C most of
// these cases are undefined behaviour or get folded away.
#include "rt.h"

uint64_t asm_branch_mask(int64_t a, int64_t b);

#define RR(name)                                                         \
  static int64_t op_##name(int64_t a, int64_t b) {                       \
    int64_t r;                                                           \
    __asm__ volatile(#name " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));    \
    return r;                                                            \
  }
RR(add) RR(sub) RR(sll) RR(srl) RR(sra) RR(slt) RR(sltu) RR(xor) RR(or) RR(and)
RR(mul) RR(mulh) RR(mulhsu) RR(mulhu) RR(div) RR(divu) RR(rem) RR(remu)
RR(addw) RR(subw) RR(sllw) RR(srlw) RR(sraw) RR(mulw) RR(divw) RR(divuw) RR(remw) RR(remuw)

typedef int64_t (*rr_fn)(int64_t, int64_t);
static const struct {
  const char* name;
  rr_fn fn;
} kOps[] = {
#define E(n) {#n, op_##n},
    E(add) E(sub) E(sll) E(srl) E(sra) E(slt) E(sltu) E(xor) E(or) E(and)
    E(mul) E(mulh) E(mulhsu) E(mulhu) E(div) E(divu) E(rem) E(remu)
    E(addw) E(subw) E(sllw) E(srlw) E(sraw) E(mulw) E(divw) E(divuw) E(remw) E(remuw)
#undef E
};

static const int64_t kVals[] = {
    0, 1, -1, 2, -2, 7, -7, 31, 32, 63, 64,
    INT32_MAX, INT32_MIN, (int64_t)0x80000000u, (int64_t)0xffffffffu,
    INT64_MAX, INT64_MIN, (int64_t)0x123456789abcdef0ull, (int64_t)0xfedcba9876543210ull,
};
#define NVALS (sizeof kVals / sizeof kVals[0])

static void immediates(int64_t a) {
  int64_t r[15];
  __asm__ volatile(
      "addi %0, %15, -2048\n\t"
      "slti %1, %15, -1\n\t"
      "sltiu %2, %15, -1\n\t"
      "xori %3, %15, -1\n\t"
      "ori %4, %15, 0x555\n\t"
      "andi %5, %15, -16\n\t"
      "slli %6, %15, 63\n\t"
      "srli %7, %15, 33\n\t"
      "srai %8, %15, 61\n\t"
      "addiw %9, %15, 2047\n\t"
      "slliw %10, %15, 31\n\t"
      "srliw %11, %15, 1\n\t"
      "sraiw %12, %15, 31\n\t"
      "sext.w %13, %15\n\t"
      "lui %14, 0x80000\n\t"
      : "=&r"(r[0]), "=&r"(r[1]), "=&r"(r[2]), "=&r"(r[3]), "=&r"(r[4]), "=&r"(r[5]),
        "=&r"(r[6]), "=&r"(r[7]), "=&r"(r[8]), "=&r"(r[9]), "=&r"(r[10]), "=&r"(r[11]),
        "=&r"(r[12]), "=&r"(r[13]), "=&r"(r[14])
      : "r"(a));
  rt_printf("imm %016llx:", (unsigned long long)a);
  for (int i = 0; i < 15; ++i) rt_printf(" %llx", (unsigned long long)r[i]);
  rt_putc('\n');
}

int main(void) {
  for (unsigned o = 0; o < sizeof kOps / sizeof kOps[0]; ++o) {
    for (unsigned i = 0; i < NVALS; ++i) {
      rt_printf("%-6s %016llx:", kOps[o].name, (unsigned long long)kVals[i]);
      for (unsigned j = 0; j < NVALS; ++j)
        rt_printf(" %llx", (unsigned long long)kOps[o].fn(kVals[i], kVals[j]));
      rt_putc('\n');
    }
  }
  for (unsigned i = 0; i < NVALS; ++i) immediates(kVals[i]);
  for (unsigned i = 0; i < NVALS; ++i) {
    rt_printf("branch %016llx:", (unsigned long long)kVals[i]);
    for (unsigned j = 0; j < NVALS; ++j)
      rt_printf(" %02llx", (unsigned long long)asm_branch_mask(kVals[i], kVals[j]));
    rt_putc('\n');
  }

  // The M extension's defined results for the cases C leaves undefined.
  CHECK_EQ(op_div(5, 0), -1);
  CHECK_EQ(op_divu(5, 0), -1);
  CHECK_EQ(op_rem(5, 0), 5);
  CHECK_EQ(op_remu(-5, 0), -5);
  CHECK_EQ(op_div(INT64_MIN, -1), INT64_MIN);
  CHECK_EQ(op_rem(INT64_MIN, -1), 0);
  CHECK_EQ(op_divw(INT32_MIN, -1), INT32_MIN);
  CHECK_EQ(op_remw(INT32_MIN, -1), 0);
  CHECK_EQ(op_divw(7, 0), -1);
  CHECK_EQ(op_divuw(7, 0), -1);
  CHECK_EQ(op_remuw(0x80000007, 0), (int64_t)(int32_t)0x80000007);
  CHECK_EQ(op_mulh(-1, -1), 0);
  CHECK_EQ(op_mulhu(-1, -1), -2);
  CHECK_EQ(op_mulhsu(-1, -1), -1);
  CHECK_EQ(op_mulh(INT64_MIN, INT64_MIN), (int64_t)0x4000000000000000);
  CHECK_EQ(op_sllw(1, 31), (int64_t)INT32_MIN);
  CHECK_EQ(op_srlw(-1, 0), -1);
  CHECK_EQ(op_sraw(0x80000000, 32), (int64_t)INT32_MIN);  // shamt uses 5 bits
  CHECK_EQ(op_sll(1, 64), 1);                                // shamt uses 6 bits
  CHECK_EQ(asm_branch_mask(-1, 1), 0xa6);  // bne, blt, bgeu, c.bnez
  rt_printf("int_arith: %d failures\n", rt_failures());
  return rt_failures();
}
