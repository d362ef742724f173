// SPDX-License-Identifier: Apache-2.0
// Instruction decoding: raw encodings to DecodedInsn, driven by insn_table.def.
// Never fails: anything the T1 does not implement decodes to Op::ILLEGAL, which
// the core turns into a precise illegal-instruction fault.
#pragma once

#include <cstdint>

#include "decoded_insn.hpp"

namespace tessera::emu {

// Length in bytes of the instruction whose first (lowest-addressed) halfword
// is given: 2 (compressed) or 4. Encodings of 48 bits and more are not part
// of the T1 ISA; they report 4 and decode() makes them ILLEGAL.
inline constexpr uint32_t insn_length(uint16_t first_halfword) {
  return (first_halfword & 3) == 3 ? 4 : 2;
}

// Decodes a 32-bit encoding (len = 4, raw = word).
DecodedInsn decode(uint32_t raw);

// Expands an RV64C instruction and decodes the expansion (len = 2,
// raw = the halfword). Reserved encodings decode to ILLEGAL.
DecodedInsn decode_compressed(uint16_t raw);

// The 32-bit equivalent of a compressed instruction, or 0 if the halfword is
// not a valid RV64C encoding (0 is itself an illegal 32-bit encoding).
uint32_t expand_compressed(uint16_t raw);

}  // namespace tessera::emu
