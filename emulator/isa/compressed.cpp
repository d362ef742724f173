// SPDX-License-Identifier: Apache-2.0
// RV64C: each compressed instruction is rewritten to its 32-bit equivalent,
// which the ordinary decoder then handles. The core never sees a compressed
// form. Encodings follow the RISC-V unprivileged spec, chapter "C" (RV64 column;
// the RV32-only C.JAL and C.FLW/C.FSW slots are C.ADDIW and C.LD/C.SD here).
// HINTs (e.g. c.addi x0, 1, c.slli with rd = x0) are legal and expand to the
// corresponding no-op; reserved encodings return 0.
#include "decode.hpp"

namespace tessera::emu {

namespace {

constexpr uint32_t bit(uint32_t v, unsigned n) { return (v >> n) & 1; }
constexpr uint32_t bits(uint32_t v, unsigned hi, unsigned lo) {
  return (v >> lo) & ((1u << (hi - lo + 1)) - 1);
}
constexpr int32_t sext(uint32_t v, unsigned width) {
  const uint32_t m = 1u << (width - 1);
  v &= (m << 1) - 1;
  return static_cast<int32_t>((v ^ m) - m);
}

// 32-bit encoders. Immediates are taken modulo their field width.
constexpr uint32_t enc_r(uint32_t opc, uint32_t f3, uint32_t f7, uint32_t rd, uint32_t rs1,
                         uint32_t rs2) {
  return opc | rd << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | f7 << 25;
}
constexpr uint32_t enc_i(uint32_t opc, uint32_t f3, uint32_t rd, uint32_t rs1, int32_t imm) {
  return opc | rd << 7 | f3 << 12 | rs1 << 15 | (static_cast<uint32_t>(imm) & 0xfff) << 20;
}
constexpr uint32_t enc_s(uint32_t opc, uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  const auto u = static_cast<uint32_t>(imm);
  return opc | (u & 0x1f) << 7 | f3 << 12 | rs1 << 15 | rs2 << 20 | bits(u, 11, 5) << 25;
}
constexpr uint32_t enc_b(uint32_t f3, uint32_t rs1, uint32_t rs2, int32_t imm) {
  const auto u = static_cast<uint32_t>(imm);
  return 0x63 | bit(u, 11) << 7 | bits(u, 4, 1) << 8 | f3 << 12 | rs1 << 15 | rs2 << 20 |
         bits(u, 10, 5) << 25 | bit(u, 12) << 31;
}
constexpr uint32_t enc_j(uint32_t rd, int32_t imm) {
  const auto u = static_cast<uint32_t>(imm);
  return 0x6f | rd << 7 | bits(u, 19, 12) << 12 | bit(u, 11) << 20 | bits(u, 10, 1) << 21 |
         bit(u, 20) << 31;
}

enum : uint32_t {
  kLoad = 0x03, kLoadFp = 0x07, kOpImm = 0x13, kOpImm32 = 0x1b, kStore = 0x23,
  kStoreFp = 0x27, kOp = 0x33, kLui = 0x37, kOp32 = 0x3b, kJalr = 0x67, kSystem = 0x73,
};
constexpr uint32_t kSp = 2, kRa = 1;

// Register fields: full 5-bit and the 3-bit "prime" forms (x8..x15).
constexpr uint32_t rd_full(uint32_t c) { return bits(c, 11, 7); }
constexpr uint32_t rs2_full(uint32_t c) { return bits(c, 6, 2); }
constexpr uint32_t r_9_7(uint32_t c) { return 8 + bits(c, 9, 7); }
constexpr uint32_t r_4_2(uint32_t c) { return 8 + bits(c, 4, 2); }

// Immediates, by the instruction forms that share them.
constexpr int32_t imm6(uint32_t c) { return sext(bit(c, 12) << 5 | bits(c, 6, 2), 6); }
constexpr uint32_t shamt6(uint32_t c) { return bit(c, 12) << 5 | bits(c, 6, 2); }
// CL/CS word offset: uimm[5:3] = c[12:10], uimm[2] = c[6], uimm[6] = c[5].
constexpr int32_t uimm_w(uint32_t c) {
  return static_cast<int32_t>(bits(c, 12, 10) << 3 | bit(c, 6) << 2 | bit(c, 5) << 6);
}
// CL/CS doubleword offset: uimm[5:3] = c[12:10], uimm[7:6] = c[6:5].
constexpr int32_t uimm_d(uint32_t c) {
  return static_cast<int32_t>(bits(c, 12, 10) << 3 | bits(c, 6, 5) << 6);
}
constexpr int32_t imm_cj(uint32_t c) {
  return sext(bit(c, 12) << 11 | bit(c, 11) << 4 | bits(c, 10, 9) << 8 | bit(c, 8) << 10 |
                  bit(c, 7) << 6 | bit(c, 6) << 7 | bits(c, 5, 3) << 1 | bit(c, 2) << 5,
              12);
}
constexpr int32_t imm_cb(uint32_t c) {
  return sext(bit(c, 12) << 8 | bits(c, 11, 10) << 3 | bits(c, 6, 5) << 6 | bits(c, 4, 3) << 1 |
                  bit(c, 2) << 5,
              9);
}

uint32_t quadrant0(uint32_t c) {
  const uint32_t rs1 = r_9_7(c), r = r_4_2(c);
  switch (bits(c, 15, 13)) {
    case 0: {  // c.addi4spn (nzuimm = 0, which includes the all-zero halfword, is reserved)
      const uint32_t nzuimm =
          bits(c, 12, 11) << 4 | bits(c, 10, 7) << 6 | bit(c, 6) << 2 | bit(c, 5) << 3;
      return nzuimm ? enc_i(kOpImm, 0, r, kSp, static_cast<int32_t>(nzuimm)) : 0;
    }
    case 1: return enc_i(kLoadFp, 3, r, rs1, uimm_d(c));  // c.fld
    case 2: return enc_i(kLoad, 2, r, rs1, uimm_w(c));    // c.lw
    case 3: return enc_i(kLoad, 3, r, rs1, uimm_d(c));    // c.ld
    case 4: return 0;                                     // reserved
    case 5: return enc_s(kStoreFp, 3, rs1, r, uimm_d(c)); // c.fsd
    case 6: return enc_s(kStore, 2, rs1, r, uimm_w(c));   // c.sw
    default: return enc_s(kStore, 3, rs1, r, uimm_d(c));  // c.sd
  }
}

uint32_t quadrant1(uint32_t c) {
  const uint32_t rd = rd_full(c);
  switch (bits(c, 15, 13)) {
    case 0: return enc_i(kOpImm, 0, rd, rd, imm6(c));             // c.addi, c.nop
    case 1: return rd ? enc_i(kOpImm32, 0, rd, rd, imm6(c)) : 0;  // c.addiw
    case 2: return enc_i(kOpImm, 0, rd, 0, imm6(c));              // c.li
    case 3: {
      if (rd == kSp) {  // c.addi16sp
        const int32_t nzimm = sext(bit(c, 12) << 9 | bit(c, 6) << 4 | bit(c, 5) << 6 |
                                       bits(c, 4, 3) << 7 | bit(c, 2) << 5,
                                   10);
        return nzimm ? enc_i(kOpImm, 0, kSp, kSp, nzimm) : 0;
      }
      const int32_t nzimm = imm6(c);  // c.lui: imm[17:12]
      return nzimm ? kLui | rd << 7 | (static_cast<uint32_t>(nzimm) & 0xfffff) << 12 : 0;
    }
    case 4: {
      const uint32_t r = r_9_7(c), rs2 = r_4_2(c);
      switch (bits(c, 11, 10)) {
        case 0: return enc_i(kOpImm, 5, r, r, static_cast<int32_t>(shamt6(c)));          // c.srli
        case 1: return enc_i(kOpImm, 5, r, r, static_cast<int32_t>(shamt6(c) | 0x400));  // c.srai
        case 2: return enc_i(kOpImm, 7, r, r, imm6(c));                                 // c.andi
        default: break;
      }
      static constexpr struct { uint8_t opc, f3, f7; } kArith[8] = {
          {kOp, 0, 0x20}, {kOp, 4, 0}, {kOp, 6, 0}, {kOp, 7, 0},  // c.sub c.xor c.or c.and
          {kOp32, 0, 0x20}, {kOp32, 0, 0}, {0, 0, 0}, {0, 0, 0},  // c.subw c.addw, reserved
      };
      const auto& a = kArith[bit(c, 12) << 2 | bits(c, 6, 5)];
      return a.opc ? enc_r(a.opc, a.f3, a.f7, r, r, rs2) : 0;
    }
    case 5: return enc_j(0, imm_cj(c));                 // c.j
    case 6: return enc_b(0, r_9_7(c), 0, imm_cb(c));    // c.beqz
    default: return enc_b(1, r_9_7(c), 0, imm_cb(c));   // c.bnez
  }
}

uint32_t quadrant2(uint32_t c) {
  const uint32_t rd = rd_full(c), rs2 = rs2_full(c);
  switch (bits(c, 15, 13)) {
    case 0: return enc_i(kOpImm, 1, rd, rd, static_cast<int32_t>(shamt6(c)));  // c.slli
    case 1: {  // c.fldsp: uimm[5] = c[12], uimm[4:3] = c[6:5], uimm[8:6] = c[4:2]
      const uint32_t off = bit(c, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6;
      return enc_i(kLoadFp, 3, rd, kSp, static_cast<int32_t>(off));
    }
    case 2: {  // c.lwsp: uimm[5] = c[12], uimm[4:2] = c[6:4], uimm[7:6] = c[3:2]
      const uint32_t off = bit(c, 12) << 5 | bits(c, 6, 4) << 2 | bits(c, 3, 2) << 6;
      return rd ? enc_i(kLoad, 2, rd, kSp, static_cast<int32_t>(off)) : 0;
    }
    case 3: {  // c.ldsp
      const uint32_t off = bit(c, 12) << 5 | bits(c, 6, 5) << 3 | bits(c, 4, 2) << 6;
      return rd ? enc_i(kLoad, 3, rd, kSp, static_cast<int32_t>(off)) : 0;
    }
    case 4:
      if (!bit(c, 12)) {
        if (rs2) return enc_r(kOp, 0, 0, rd, 0, rs2);  // c.mv
        return rd ? enc_i(kJalr, 0, 0, rd, 0) : 0;     // c.jr (rs1 = x0 reserved)
      }
      if (rs2) return enc_r(kOp, 0, 0, rd, rd, rs2);   // c.add
      return rd ? enc_i(kJalr, 0, kRa, rd, 0)          // c.jalr
                : enc_i(kSystem, 0, 0, 0, 1);          // c.ebreak
    case 5: {  // c.fsdsp: uimm[5:3] = c[12:10], uimm[8:6] = c[9:7]
      const uint32_t off = bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6;
      return enc_s(kStoreFp, 3, kSp, rs2, static_cast<int32_t>(off));
    }
    case 6: {  // c.swsp: uimm[5:2] = c[12:9], uimm[7:6] = c[8:7]
      const uint32_t off = bits(c, 12, 9) << 2 | bits(c, 8, 7) << 6;
      return enc_s(kStore, 2, kSp, rs2, static_cast<int32_t>(off));
    }
    default: {  // c.sdsp
      const uint32_t off = bits(c, 12, 10) << 3 | bits(c, 9, 7) << 6;
      return enc_s(kStore, 3, kSp, rs2, static_cast<int32_t>(off));
    }
  }
}

}  // namespace

uint32_t expand_compressed(uint16_t raw) {
  const uint32_t c = raw;
  switch (c & 3) {
    case 0: return quadrant0(c);
    case 1: return quadrant1(c);
    case 2: return quadrant2(c);
    default: return 0;  // not a compressed instruction
  }
}

}  // namespace tessera::emu
