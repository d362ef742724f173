// SPDX-License-Identifier: Apache-2.0
#include "decode.hpp"

#include <array>
#include <vector>

#include "insn_info.hpp"

namespace tessera::emu {

namespace {

constexpr uint32_t bits(uint32_t v, unsigned hi, unsigned lo) {
  return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}

// Sign-extends the low `width` bits of v.
constexpr int64_t sext(uint64_t v, unsigned width) {
  const uint64_t m = uint64_t{1} << (width - 1);
  v &= (m << 1) - 1;
  return static_cast<int64_t>((v ^ m) - m);
}

constexpr int64_t imm_i(uint32_t r) { return sext(r >> 20, 12); }
constexpr int64_t imm_s(uint32_t r) { return sext((bits(r, 31, 25) << 5) | bits(r, 11, 7), 12); }
constexpr int64_t imm_b(uint32_t r) {
  return sext((bits(r, 31, 31) << 12) | (bits(r, 7, 7) << 11) | (bits(r, 30, 25) << 5) |
                  (bits(r, 11, 8) << 1),
              13);
}
constexpr int64_t imm_u(uint32_t r) { return sext(r & 0xfffff000u, 32); }
constexpr int64_t imm_j(uint32_t r) {
  return sext((bits(r, 31, 31) << 20) | (bits(r, 19, 12) << 12) | (bits(r, 20, 20) << 11) |
                  (bits(r, 30, 21) << 1),
              21);
}

// Table entries bucketed by major opcode (bits 6:2), in table order. Built
// once; a lookup scans only its bucket (at most ~30 entries, for OP-FP).
class Buckets {
 public:
  Buckets() {
    for (unsigned i = 1; i < kOpCount; ++i) {
      const InsnInfo& info = insn_info(static_cast<Op>(i));
      bucket_[bits(info.match, 6, 2)].push_back(static_cast<Op>(i));
    }
  }
  Op find(uint32_t raw) const {
    for (Op op : bucket_[bits(raw, 6, 2)]) {
      const InsnInfo& info = insn_info(op);
      if ((raw & info.mask) == info.match) return op;
    }
    return Op::ILLEGAL;
  }

 private:
  std::array<std::vector<Op>, 32> bucket_;
};

const Buckets& buckets() {
  static const Buckets b;
  return b;
}

// Field constraints that a mask/match pair cannot express.
bool reserved_fields_ok(const DecodedInsn& d) {
  switch (d.op) {
    case Op::T_BAR: return d.rm != 0 || d.rd == 0;  // t.bar (sync) writes nothing
    default: return true;
  }
}

}  // namespace

DecodedInsn decode(uint32_t raw) {
  DecodedInsn d;
  d.raw = raw;
  d.len = 4;
  // Not a 32-bit encoding: compressed (bits 1:0 != 11) or 48 bits and longer
  // (bits 4:2 == 111).
  if ((raw & 3) != 3 || bits(raw, 4, 2) == 7) return d;
  const Op op = buckets().find(raw);
  if (op == Op::ILLEGAL) return d;

  const uint8_t rd = bits(raw, 11, 7), rs1 = bits(raw, 19, 15), rs2 = bits(raw, 24, 20);
  const uint8_t f3 = bits(raw, 14, 12);
  d.op = op;
  switch (insn_info(op).fmt) {
    case Fmt::NONE: break;
    case Fmt::R: case Fmt::FFF: case Fmt::XFF:
      d.rd = rd, d.rs1 = rs1, d.rs2 = rs2;
      break;
    case Fmt::I: case Fmt::LOAD: case Fmt::JALR: case Fmt::FLOAD:
      d.rd = rd, d.rs1 = rs1, d.imm = imm_i(raw);
      break;
    case Fmt::SHIFT64: d.rd = rd, d.rs1 = rs1, d.imm = bits(raw, 25, 20); break;
    case Fmt::SHIFT32: d.rd = rd, d.rs1 = rs1, d.imm = bits(raw, 24, 20); break;
    case Fmt::STORE: case Fmt::FSTORE:
      d.rs1 = rs1, d.rs2 = rs2, d.imm = imm_s(raw);
      break;
    case Fmt::B: d.rs1 = rs1, d.rs2 = rs2, d.imm = imm_b(raw); break;
    case Fmt::U: d.rd = rd, d.imm = imm_u(raw); break;
    case Fmt::J: d.rd = rd, d.imm = imm_j(raw); break;
    // fm, pred and succ stay together in imm[11:0] (unsigned), rd/rs1 are
    // reserved and ignored.
    case Fmt::FENCE: d.imm = bits(raw, 31, 20); break;
    case Fmt::CSR: case Fmt::CSRI:  // CSRI: rs1 holds the 5-bit zimm
      d.rd = rd, d.rs1 = rs1, d.imm = bits(raw, 31, 20);
      break;
    case Fmt::LR: d.rd = rd, d.rs1 = rs1; break;
    case Fmt::AMO: d.rd = rd, d.rs1 = rs1, d.rs2 = rs2; break;
    case Fmt::R4_RM:
      d.rd = rd, d.rs1 = rs1, d.rs2 = rs2, d.rs3 = bits(raw, 31, 27), d.rm = f3;
      break;
    case Fmt::FFF_RM: d.rd = rd, d.rs1 = rs1, d.rs2 = rs2, d.rm = f3; break;
    case Fmt::FF_RM: case Fmt::FF_EXACT: case Fmt::XF_RM: case Fmt::FX_RM: case Fmt::FX_EXACT:
      d.rd = rd, d.rs1 = rs1, d.rm = f3;
      break;
    case Fmt::XF: case Fmt::FX: d.rd = rd, d.rs1 = rs1; break;
    case Fmt::TBAR: d.rd = rd, d.rs1 = rs1, d.rm = bits(raw, 26, 25); break;
    case Fmt::TVOTE: d.rd = rd, d.rs1 = rs1, d.rs2 = rs2, d.rm = bits(raw, 26, 25); break;
    case Fmt::TRD: d.rd = rd; break;
    case Fmt::TRS1: d.rs1 = rs1; break;
    case Fmt::TSHFL: d.rd = rd, d.rs1 = rs1, d.rs2 = rs2, d.rs3 = bits(raw, 31, 27), d.rm = f3; break;
  }
  if (!reserved_fields_ok(d)) {
    DecodedInsn illegal;
    illegal.raw = raw;
    return illegal;
  }
  return d;
}

DecodedInsn decode_compressed(uint16_t raw) {
  const uint32_t word = expand_compressed(raw);
  DecodedInsn d = word ? decode(word) : DecodedInsn{};
  if (d.op == Op::ILLEGAL) d = DecodedInsn{};  // no operand residue from a failed expansion
  d.len = 2;
  d.raw = raw;
  return d;
}

}  // namespace tessera::emu
