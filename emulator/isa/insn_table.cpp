// SPDX-License-Identifier: Apache-2.0
#include "insn_info.hpp"

namespace tessera::emu {

namespace {

constexpr InsnInfo kTable[] = {
    {"ILLEGAL", "illegal", 0, 0, Fmt::NONE},
#define T1_INSN(name, mnemonic, mask, match, fmt) {#name, mnemonic, mask, match, Fmt::fmt},
#include "insn_table.def"
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == kOpCount);

}  // namespace

const InsnInfo& insn_info(Op op) {
  const auto i = static_cast<unsigned>(op);
  return kTable[i < kOpCount ? i : 0];
}

const char* op_name(Op op) {
  const auto i = static_cast<unsigned>(op);
  return i < kOpCount ? kTable[i].name : "?";
}

}  // namespace tessera::emu
