// SPDX-License-Identifier: Apache-2.0
// A "real" program: FNV-1a, CRC-32 (bitwise and table-driven) and a
// SipHash-like mix over generated data; checks against known values.
#include "rt.h"

static uint32_t crc_table[256];

static void crc_init(void) {
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    crc_table[i] = c;
  }
}

static uint32_t crc32_table(const uint8_t* p, size_t n) {
  uint32_t c = 0xffffffffu;
  while (n--) c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return ~c;
}

static uint32_t crc32_bitwise(const uint8_t* p, size_t n) {
  uint32_t c = 0xffffffffu;
  while (n--) {
    c ^= *p++;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
  }
  return ~c;
}

static uint64_t fnv1a64(const uint8_t* p, size_t n) {
  uint64_t h = 0xcbf29ce484222325ull;
  while (n--) h = (h ^ *p++) * 0x100000001b3ull;
  return h;
}

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t mix(const uint64_t* w, size_t n) {
  uint64_t a = 0x736f6d6570736575ull, b = 0x646f72616e646f6dull;
  for (size_t i = 0; i < n; ++i) {
    a += w[i];
    b ^= a;
    a = rotl(a, 13) * 0x9e3779b97f4a7c15ull;
    b = rotl(b, 29) + (a >> 7);
  }
  return a ^ rotl(b, 17);
}

static uint8_t data[8192];

int main(void) {
  static const char kCheck[] = "123456789";
  crc_init();
  uint32_t c1 = crc32_table((const uint8_t*)kCheck, 9);
  uint32_t c2 = crc32_bitwise((const uint8_t*)kCheck, 9);
  uint64_t f = fnv1a64((const uint8_t*)kCheck, 9);
  rt_printf("crc32(\"123456789\") = %08x / %08x, fnv1a64 = %016llx\n", c1, c2,
            (unsigned long long)f);
  CHECK_EQ(c1, 0xcbf43926u);  // the standard CRC-32 check value
  CHECK_EQ(c2, 0xcbf43926u);
  CHECK_EQ(f, 0x06d5573923c6cdfcull);
  for (size_t i = 0; i < sizeof data; ++i) data[i] = (uint8_t)(i * 131 + (i >> 5));
  for (size_t n = 1; n <= sizeof data; n *= 4)
    rt_printf("n=%5zu crc %08x fnv %016llx mix %016llx\n", n, crc32_table(data, n),
              (unsigned long long)fnv1a64(data, n),
              (unsigned long long)mix((const uint64_t*)data, n / 8));
  CHECK_EQ(crc32_table(data, sizeof data), crc32_bitwise(data, sizeof data));
  return rt_failures();
}
