// SPDX-License-Identifier: Apache-2.0
// Independent 32-bit encoders for the ISA tests (written from the spec's
// field diagrams, deliberately not shared with the decoder).
#pragma once

#include <cstdint>

namespace tessera::emu::test {

inline uint32_t enc_r(uint32_t opc, uint32_t f3, uint32_t f7, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return opc | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
}
inline uint32_t enc_r4(uint32_t opc, uint32_t f3, uint32_t f2, uint32_t rd, uint32_t rs1, uint32_t rs2,
                       uint32_t rs3) {
  return opc | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f2 << 25 | rs3 << 27;
}
inline uint32_t enc_i(uint32_t opc, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm) {
  return opc | rd << 7 | f3 << 12 | rs1 << 15 | (static_cast<uint32_t>(imm) & 0xfff) << 20;
}
inline uint32_t enc_s(uint32_t opc, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  const auto u = static_cast<uint32_t>(imm);
  return opc | (u & 0x1f) << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | ((u >> 5) & 0x7f) << 25;
}
inline uint32_t enc_b(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t off) {
  const auto u = static_cast<uint32_t>(off);
  return 0x63 | ((u >> 11) & 1) << 7 | ((u >> 1) & 0xf) << 8 | f3 << 12 | rs1 << 15 | rs2 << 20 |
         ((u >> 5) & 0x3f) << 25 | ((u >> 12) & 1) << 31;
}
inline uint32_t enc_u(uint32_t opc, uint32_t rd, uint32_t imm20) { return opc | rd << 7 | imm20 << 12; }
inline uint32_t enc_j(uint32_t rd, int32_t off) {
  const auto u = static_cast<uint32_t>(off);
  return 0x6f | rd << 7 | ((u >> 12) & 0xff) << 12 | ((u >> 11) & 1) << 20 | ((u >> 1) & 0x3ff) << 21 |
         ((u >> 20) & 1) << 31;
}

}  // namespace tessera::emu::test
