// SPDX-License-Identifier: Apache-2.0
// Static facts about each Op, straight from insn_table.def.
#pragma once

#include <cstdint>

#include "op.hpp"

namespace tessera::emu {

// Operand layout of an encoding: which fields decode() extracts into
// DecodedInsn and how disassemble() prints them. x = integer register,
// f = FP register; "_RM" forms carry a rounding mode in funct3 (DecodedInsn::rm).
enum class Fmt : uint8_t {
  NONE,      // no operands (ecall, fence.i, t.exit)
  R,         // x rd, x rs1, x rs2
  I,         // x rd, x rs1, imm12
  SHIFT64,   // x rd, x rs1, shamt[5:0]
  SHIFT32,   // x rd, x rs1, shamt[4:0]
  LOAD,      // x rd, imm(x rs1)
  STORE,     // x rs2, imm(x rs1)
  B,         // x rs1, x rs2, pc-relative byte offset
  U,         // x rd, imm20 << 12
  J,         // x rd, pc-relative byte offset
  JALR,      // x rd, imm(x rs1)
  FENCE,     // pred, succ (fm in imm[11:8])
  CSR,       // x rd, csr, x rs1
  CSRI,      // x rd, csr, zimm (in rs1)
  LR,        // x rd, (x rs1)            aq/rl in the mnemonic
  AMO,       // x rd, x rs2, (x rs1)     aq/rl in the mnemonic
  FLOAD,     // f rd, imm(x rs1)
  FSTORE,    // f rs2, imm(x rs1)
  R4_RM,     // f rd, f rs1, f rs2, f rs3, rm
  FFF_RM,    // f rd, f rs1, f rs2, rm
  FFF,       // f rd, f rs1, f rs2
  FF_RM,     // f rd, f rs1, rm
  FF_EXACT,  // f rd, f rs1 (rm encoded but irrelevant: the result is exact)
  XF_RM,     // x rd, f rs1, rm
  XF,        // x rd, f rs1
  XFF,       // x rd, f rs1, f rs2
  FX_RM,     // f rd, x rs1, rm
  FX_EXACT,  // f rd, x rs1 (rm encoded but irrelevant: the result is exact)
  FX,        // f rd, x rs1
  TBAR,      // x rd, x rs1; variant (funct7) in rm
  TVOTE,     // x rd, x rs1, x rs2; variant (funct7) in rm
  TRD,       // x rd
  TRS1,      // x rs1
  TSHFL,     // x rd, x rs1, x rs2, x rs3; mode (funct3) in rm
};

struct InsnInfo {
  const char* name;      // enumerator name, "FADD_S"
  const char* mnemonic;  // assembly mnemonic, "fadd.s"
  uint32_t mask, match;
  Fmt fmt;
};

// Op::ILLEGAL has name "ILLEGAL", mnemonic "illegal", mask = match = 0.
const InsnInfo& insn_info(Op op);

}  // namespace tessera::emu
