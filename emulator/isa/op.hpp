// SPDX-License-Identifier: Apache-2.0
// The operation of a decoded instruction, one enumerator per line of
// insn_table.def, named after the mnemonic (uppercase, '.' -> '_').
#pragma once

#include <cstdint>

namespace tessera::emu {

enum class Op : uint16_t {
  ILLEGAL = 0,  // any encoding not in the table, or with a reserved field set
#define T1_INSN(name, mnemonic, mask, match, fmt) name,
#include "insn_table.def"
  COUNT
};

inline constexpr unsigned kOpCount = static_cast<unsigned>(Op::COUNT);

// The enumerator's name ("FADD_S", "ILLEGAL"); "?" for values out of range.
// For the assembly mnemonic, see insn_info().
const char* op_name(Op op);

}  // namespace tessera::emu
