// SPDX-License-Identifier: Apache-2.0
// One predecoded instruction: what the SIMT core executes. Compressed
// instructions are expanded at decode, so the core sees only 32-bit forms.
#pragma once

#include <cstdint>

#include "op.hpp"

namespace tessera::emu {

struct DecodedInsn {
  Op op = Op::ILLEGAL;
  uint8_t rd = 0, rs1 = 0, rs2 = 0, rs3 = 0;
  // FP: the instruction's rounding-mode field (funct3; 7 = dynamic).
  // T_SHFL: the mode (funct3). T_BAR, T_VOTE: the variant (funct7).
  uint8_t rm = 0;
  uint8_t len = 4;  // 2 for a compressed instruction, else 4
  // Sign-extended immediate (I/S/B/U/J forms, shift amounts, branch and
  // jump offsets relative to the instruction). CSR instructions: the CSR
  // number; their 5-bit immediate (csrrwi ...) is in rs1. FENCE: the
  // unsigned 12-bit fm|pred|succ field (0x833 is fence.tso).
  int64_t imm = 0;
  uint32_t raw = 0;  // the encoding as fetched (16 bits for compressed)
};

}  // namespace tessera::emu
