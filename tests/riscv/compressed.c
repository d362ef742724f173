// SPDX-License-Identifier: Apache-2.0
// RV64C: every compressed instruction form (compressed.S), on a few seeds.
#include "rt.h"

void asm_compressed(uint64_t out[32], uint64_t seed);

int main(void) {
  static const uint64_t kSeeds[] = {0, 1, 0xffffffffffffffffull, 0x80000000ull,
                                    0x123456789abcdef0ull, 0x7fffffff00000001ull};
  for (unsigned s = 0; s < sizeof kSeeds / sizeof kSeeds[0]; ++s) {
    uint64_t out[32] = {0};
    asm_compressed(out, kSeeds[s]);
    rt_printf("seed %016llx:", (unsigned long long)kSeeds[s]);
    for (int i = 0; i < 21; ++i) rt_printf(" %llx", (unsigned long long)out[i]);
    rt_putc('\n');
    CHECK_EQ(out[0], 14);
    CHECK_EQ(out[1], 0xfffffffffffe1000ull);
    CHECK_EQ(out[20], 0x77);
    CHECK_EQ(out[17], kSeeds[s] + 1);
  }
  rt_printf("compressed: %d failures\n", rt_failures());
  return rt_failures();
}
