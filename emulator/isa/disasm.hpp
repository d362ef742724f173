// SPDX-License-Identifier: Apache-2.0
// Disassembly of decoded instructions, for traces and diagnostics. The output
// follows llvm-objdump -M no-aliases (ABI register names, decimal immediates,
// absolute branch targets in hex), except that a dynamic rounding mode is not
// printed and Xtessera instructions and CSRs have names.
#pragma once

#include <cstdint>
#include <string>

#include "decoded_insn.hpp"

namespace tessera::emu {

// "addi a0, a0, 1", "beq a0, a1, 0x10078", "t.shfl.down a0, a1, a2, a3".
// `pc` is the instruction's address, used for branch and jump targets.
// A compressed instruction prints as its 32-bit expansion; an illegal one as
// ".insn 0x..." (".insn 2, 0x..." for 16 bits).
std::string disassemble(const DecodedInsn& insn, uint64_t pc);

// ABI names: "zero", "ra", ..., "t6" and "ft0", ..., "ft11". reg < 32.
const char* xreg_name(unsigned reg);
const char* freg_name(unsigned reg);

// Name of a CSR the T1 knows ("fflags", "cycle", "t1.tid.x", ...), or nullptr.
const char* csr_name(uint32_t csr);

}  // namespace tessera::emu
