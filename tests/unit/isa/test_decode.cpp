// SPDX-License-Identifier: Apache-2.0
// The instruction table itself, operand extraction and illegal encodings.
#include <catch2/catch.hpp>

#include <cctype>
#include <string>

#include "encode.hpp"
#include "isa/decode.hpp"
#include "isa/insn_info.hpp"
#include "tessera/hw/t1_isa.h"

using namespace tessera::emu;
using namespace tessera::emu::test;

namespace {
constexpr uint32_t kOpImm = 0x13, kOpImm32 = 0x1b, kLoad = 0x03, kStore = 0x23, kSystem = 0x73;
constexpr uint32_t kA0 = 10, kA1 = 11, kA2 = 12, kA3 = 13;
}  // namespace

TEST_CASE("table: entries are well formed and never overlap", "[isa]") {
  for (unsigned i = 1; i < kOpCount; ++i) {
    const InsnInfo& a = insn_info(static_cast<Op>(i));
    INFO(a.name);
    CHECK((a.match & ~a.mask) == 0);
    CHECK((a.mask & 0x7f) == 0x7f);  // the major opcode is always decided
    CHECK((a.match & 3) == 3);
    for (unsigned j = i + 1; j < kOpCount; ++j) {
      const InsnInfo& b = insn_info(static_cast<Op>(j));
      INFO(b.name);
      // Overlap iff no bit that both masks fix differs.
      CHECK(((a.match ^ b.match) & a.mask & b.mask) != 0);
    }
  }
}

TEST_CASE("table: Op names follow the mnemonics", "[isa]") {
  CHECK(static_cast<unsigned>(Op::ILLEGAL) == 0);
  CHECK(std::string(op_name(Op::ILLEGAL)) == "ILLEGAL");
  CHECK(std::string(op_name(Op::COUNT)) == "?");
  CHECK(std::string(insn_info(Op::COUNT).name) == "ILLEGAL");
  for (unsigned i = 1; i < kOpCount; ++i) {
    const InsnInfo& info = insn_info(static_cast<Op>(i));
    std::string expect;
    for (const char* p = info.mnemonic; *p; ++p)
      expect += *p == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
    CHECK(std::string(op_name(static_cast<Op>(i))) == expect);
  }
  CHECK(std::string(op_name(Op::FCVT_S_LU)) == "FCVT_S_LU");
  CHECK(std::string(insn_info(Op::AMOMAXU_D).mnemonic) == "amomaxu.d");
}

TEST_CASE("table: every entry decodes from its own match value", "[isa]") {
  for (unsigned i = 1; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    const InsnInfo& info = insn_info(op);
    INFO(info.name);
    // T_BAR's match value (variant 0, rd = x0) is legal; everything else too.
    CHECK(decode(info.match).op == op);
    // Operand bits set to ones everywhere outside the mask: still the same
    // instruction unless a field constraint applies.
    const DecodedInsn d = decode(info.match | ~info.mask);
    if (op != Op::T_BAR) CHECK(d.op == op);
  }
}

TEST_CASE("decode: integer immediates", "[isa]") {
  SECTION("I-type, sign extension at the edges") {
    for (int32_t imm : {0, 1, -1, 2047, -2048, 1000, -1000}) {
      const DecodedInsn d = decode(enc_i(kOpImm, 0, kA0, kA1, imm));
      CHECK(d.op == Op::ADDI);
      CHECK(d.rd == kA0);
      CHECK(d.rs1 == kA1);
      CHECK(d.imm == imm);
      CHECK(d.len == 4);
    }
    const DecodedInsn ld = decode(enc_i(kLoad, 3, 1, 2, -8));
    CHECK(ld.op == Op::LD);
    CHECK(ld.imm == -8);
  }
  SECTION("S-type") {
    for (int32_t imm : {0, 31, 32, -1, 2047, -2048}) {
      const DecodedInsn d = decode(enc_s(kStore, 3, 2, 1, imm));
      CHECK(d.op == Op::SD);
      CHECK(d.rs1 == 2);
      CHECK(d.rs2 == 1);
      CHECK(d.rd == 0);
      CHECK(d.imm == imm);
    }
  }
  SECTION("B-type: byte offsets, both signs") {
    for (int32_t off : {0, 2, 4, -2, -4, 4094, -4096, 2048, -2050}) {
      const DecodedInsn d = decode(enc_b(5, kA0, kA1, off));
      CHECK(d.op == Op::BGE);
      CHECK(d.rs1 == kA0);
      CHECK(d.rs2 == kA1);
      CHECK(d.imm == off);
    }
  }
  SECTION("J-type") {
    for (int32_t off : {0, 2, -2, 2048, (1 << 20) - 2, -(1 << 20), 0x7ff00, -0x800}) {
      const DecodedInsn d = decode(enc_j(1, off));
      CHECK(d.op == Op::JAL);
      CHECK(d.rd == 1);
      CHECK(d.imm == off);
    }
  }
  SECTION("U-type: shifted by 12 and sign-extended to 64 bits") {
    CHECK(decode(enc_u(0x37, kA0, 0x12345)).imm == 0x12345000);
    CHECK(decode(enc_u(0x37, kA0, 0xfffff)).imm == -4096);
    CHECK(decode(enc_u(0x37, kA0, 0x80000)).imm == static_cast<int64_t>(0xffffffff80000000ull));
    CHECK(decode(enc_u(0x37, kA0, 0x7ffff)).imm == 0x7ffff000);
    const DecodedInsn d = decode(enc_u(0x17, 5, 0x80001));
    CHECK(d.op == Op::AUIPC);
    CHECK(d.rd == 5);
    CHECK(d.imm == static_cast<int64_t>(0xffffffff80001000ull));
  }
  SECTION("shift amounts") {
    for (uint32_t sh = 0; sh < 64; ++sh) {
      const DecodedInsn l = decode(enc_i(kOpImm, 1, kA0, kA1, static_cast<int32_t>(sh)));
      const DecodedInsn r = decode(enc_i(kOpImm, 5, kA0, kA1, static_cast<int32_t>(sh)));
      const DecodedInsn a = decode(enc_i(kOpImm, 5, kA0, kA1, static_cast<int32_t>(sh | 0x400)));
      CHECK(l.op == Op::SLLI);
      CHECK(r.op == Op::SRLI);
      CHECK(a.op == Op::SRAI);
      CHECK(l.imm == sh);
      CHECK(r.imm == sh);
      CHECK(a.imm == sh);
      const DecodedInsn w = decode(enc_i(kOpImm32, 5, kA0, kA1, static_cast<int32_t>(sh | 0x400)));
      if (sh < 32) {
        CHECK(w.op == Op::SRAIW);
        CHECK(w.imm == sh);
      } else {
        CHECK(w.op == Op::ILLEGAL);  // shamt[5] is reserved for the *W shifts
      }
    }
  }
}

TEST_CASE("decode: CSR operands", "[isa]") {
  // The CSR number is unsigned: 0xfff must not come out as -1.
  const DecodedInsn d = decode(enc_i(kSystem, 2, kA0, kA1, 0xfff));
  CHECK(d.op == Op::CSRRS);
  CHECK(d.imm == 0xfff);
  CHECK(d.rd == kA0);
  CHECK(d.rs1 == kA1);
  const DecodedInsn t = decode(enc_i(kSystem, 2, kA0, 0, T1_CSR_TID_X));
  CHECK(t.imm == T1_CSR_TID_X);
  const DecodedInsn i = decode(enc_i(kSystem, 5, kA0, 31, 0x003));
  CHECK(i.op == Op::CSRRWI);
  CHECK(i.rs1 == 31);  // the 5-bit zimm
  CHECK(i.imm == 3);
  CHECK(decode(enc_i(kSystem, 7, 0, 17, 0x800)).op == Op::CSRRCI);
  CHECK(decode(enc_i(kSystem, 7, 0, 17, 0x800)).imm == 0x800);
  CHECK(decode(enc_i(kSystem, 4, kA0, kA1, 0x001)).op == Op::ILLEGAL);  // funct3 4: no such CSR op
}

TEST_CASE("decode: FP, A and system fields", "[isa]") {
  SECTION("rounding mode is funct3, including the reserved values") {
    for (uint32_t rm = 0; rm < 8; ++rm) {
      const DecodedInsn d = decode(enc_r(0x53, rm, 0x01, 1, 2, 3));
      CHECK(d.op == Op::FADD_D);
      CHECK(d.rm == rm);
      CHECK(d.rd == 1);
      CHECK(d.rs1 == 2);
      CHECK(d.rs2 == 3);
    }
  }
  SECTION("R4: rs3 and fmt") {
    const DecodedInsn d = decode(enc_r4(0x4f, 1, 1, 1, 2, 3, 31));
    CHECK(d.op == Op::FNMADD_D);
    CHECK(d.rs3 == 31);
    CHECK(d.rm == 1);
    CHECK(decode(enc_r4(0x43, 7, 0, 1, 2, 3, 4)).op == Op::FMADD_S);
    CHECK(decode(enc_r4(0x43, 7, 2, 1, 2, 3, 4)).op == Op::ILLEGAL);  // fmt H: not in RV64GC
    CHECK(decode(enc_r4(0x43, 7, 3, 1, 2, 3, 4)).op == Op::ILLEGAL);  // fmt Q
  }
  SECTION("conversions pick the integer width from rs2") {
    CHECK(decode(enc_r(0x53, 1, 0x60, kA0, 1, 0)).op == Op::FCVT_W_S);
    CHECK(decode(enc_r(0x53, 1, 0x60, kA0, 1, 3)).op == Op::FCVT_LU_S);
    CHECK(decode(enc_r(0x53, 1, 0x60, kA0, 1, 4)).op == Op::ILLEGAL);
    CHECK(decode(enc_r(0x53, 7, 0x69, 1, kA0, 3)).op == Op::FCVT_D_LU);
    CHECK(decode(enc_r(0x53, 7, 0x20, 1, 2, 1)).op == Op::FCVT_S_D);
    CHECK(decode(enc_r(0x53, 7, 0x20, 1, 2, 0)).op == Op::ILLEGAL);  // fcvt.s.s
    CHECK(decode(enc_r(0x53, 0, 0x21, 1, 2, 0)).op == Op::FCVT_D_S);
  }
  SECTION("fixed funct3 and rs2 fields") {
    CHECK(decode(enc_r(0x53, 0, 0x70, kA0, 1, 0)).op == Op::FMV_X_W);
    CHECK(decode(enc_r(0x53, 1, 0x70, kA0, 1, 0)).op == Op::FCLASS_S);
    CHECK(decode(enc_r(0x53, 2, 0x70, kA0, 1, 0)).op == Op::ILLEGAL);
    CHECK(decode(enc_r(0x53, 0, 0x70, kA0, 1, 1)).op == Op::ILLEGAL);
    CHECK(decode(enc_r(0x53, 3, 0x10, 1, 2, 3)).op == Op::ILLEGAL);  // fsgnj funct3 3
    CHECK(decode(enc_r(0x53, 7, 0x2c, 1, 2, 1)).op == Op::ILLEGAL);  // fsqrt.s with rs2 != 0
  }
  SECTION("atomics: aq/rl accepted, LR needs rs2 = 0") {
    for (uint32_t aqrl = 0; aqrl < 4; ++aqrl) {
      const DecodedInsn d = decode(enc_r(0x2f, 3, (0x1c << 2) | aqrl, kA0, kA1, kA2));
      CHECK(d.op == Op::AMOMAXU_D);
      CHECK(d.rd == kA0);
      CHECK(d.rs1 == kA1);
      CHECK(d.rs2 == kA2);
      CHECK(decode(enc_r(0x2f, 2, (0x02 << 2) | aqrl, kA0, kA1, 0)).op == Op::LR_W);
    }
    CHECK(decode(enc_r(0x2f, 2, 0x02 << 2, kA0, kA1, 1)).op == Op::ILLEGAL);
    CHECK(decode(enc_r(0x2f, 4, 0, kA0, kA1, kA2)).op == Op::ILLEGAL);   // no .q / .b
    CHECK(decode(enc_r(0x2f, 2, 0x1e << 2, kA0, kA1, kA2)).op == Op::ILLEGAL);
  }
  SECTION("system") {
    CHECK(decode(0x00000073).op == Op::ECALL);
    CHECK(decode(0x00100073).op == Op::EBREAK);
    CHECK(decode(0x000000f3).op == Op::ILLEGAL);  // ecall with rd != 0
    CHECK(decode(0x30200073).op == Op::ILLEGAL);  // mret: no privileged ISA on the T1
    CHECK(decode(0x10500073).op == Op::ILLEGAL);  // wfi
    const DecodedInsn f = decode(0x8330000f);     // fence.tso
    CHECK(f.op == Op::FENCE);
    CHECK(f.imm == 0x833);
    CHECK(decode(0x0000100f).op == Op::FENCE_I);
    CHECK(decode(0x0000200f).op == Op::ILLEGAL);  // MISC-MEM funct3 2
  }
}

TEST_CASE("decode: Xtessera", "[isa]") {
  auto custom0 = [](uint32_t f3, uint32_t f7, uint32_t rd, uint32_t rs1, uint32_t rs2) {
    return decode(T1_ENCODE_R(T1_OPCODE_CUSTOM0, f3, f7, rd, rs1, rs2));
  };
  SECTION("t.bar") {
    const DecodedInsn sync = custom0(T1_F3_BAR, T1_BAR_SYNC, 0, 0, 0);
    CHECK(sync.op == Op::T_BAR);
    CHECK(sync.rm == T1_BAR_SYNC);
    CHECK(custom0(T1_F3_BAR, T1_BAR_SYNC, kA0, 0, 0).op == Op::ILLEGAL);  // sync writes no rd
    for (uint32_t v : {T1_BAR_POPC, T1_BAR_AND, T1_BAR_OR}) {
      const DecodedInsn d = custom0(T1_F3_BAR, v, kA0, kA1, 0);
      CHECK(d.op == Op::T_BAR);
      CHECK(d.rm == v);
      CHECK(d.rd == kA0);
      CHECK(d.rs1 == kA1);
    }
    for (uint32_t v : {4u, 5u, 0x40u, 0x7fu}) CHECK(custom0(T1_F3_BAR, v, 0, 0, 0).op == Op::ILLEGAL);
  }
  SECTION("t.vote") {
    for (uint32_t v = 0; v < 4; ++v) {
      const DecodedInsn d = custom0(T1_F3_VOTE, v, kA0, kA1, kA2);
      CHECK(d.op == Op::T_VOTE);
      CHECK(d.rm == v);
      CHECK(d.rd == kA0);
      CHECK(d.rs1 == kA1);
      CHECK(d.rs2 == kA2);
    }
    CHECK(custom0(T1_F3_VOTE, 4, kA0, kA1, kA2).op == Op::ILLEGAL);
  }
  SECTION("t.exit, t.activemask, t.wsync") {
    CHECK(custom0(T1_F3_EXIT, 0, 0, 0, 0).op == Op::T_EXIT);
    CHECK(custom0(T1_F3_EXIT, 1, 0, 0, 0).op == Op::ILLEGAL);
    const DecodedInsn am = custom0(T1_F3_ACTIVEMASK, 0, kA3, 0, 0);
    CHECK(am.op == Op::T_ACTIVEMASK);
    CHECK(am.rd == kA3);
    const DecodedInsn ws = custom0(T1_F3_WSYNC, 0, 0, kA1, 0);
    CHECK(ws.op == Op::T_WSYNC);
    CHECK(ws.rs1 == kA1);
    for (uint32_t f3 = 5; f3 < 8; ++f3) CHECK(custom0(f3, 0, 0, 0, 0).op == Op::ILLEGAL);
  }
  SECTION("t.shfl") {
    for (uint32_t mode = 0; mode < 4; ++mode) {
      const DecodedInsn d =
          decode(T1_ENCODE_R4(T1_OPCODE_CUSTOM1, mode, 0, kA0, kA1, kA2, kA3));
      CHECK(d.op == Op::T_SHFL);
      CHECK(d.rm == mode);
      CHECK(d.rd == kA0);
      CHECK(d.rs1 == kA1);
      CHECK(d.rs2 == kA2);
      CHECK(d.rs3 == kA3);
    }
    for (uint32_t f2 = 1; f2 < 4; ++f2)
      CHECK(decode(T1_ENCODE_R4(T1_OPCODE_CUSTOM1, 0, f2, kA0, kA1, kA2, kA3)).op == Op::ILLEGAL);
    for (uint32_t mode = 4; mode < 8; ++mode)
      CHECK(decode(T1_ENCODE_R4(T1_OPCODE_CUSTOM1, mode, 0, kA0, kA1, kA2, kA3)).op == Op::ILLEGAL);
  }
}

TEST_CASE("decode: illegal encodings", "[isa]") {
  for (uint32_t raw : {0x00000000u, 0xffffffffu, 0x0000001fu, 0x0000003fu, 0x0000007fu,
                       0x00000001u, 0x00000002u,           // compressed, not 32-bit
                       0x40001013u,                        // slli with imm[11:6] = 0x10
                       0x02000033u | 0x40000000u,          // add with funct7 = 0x21
                       0x00007033u | 0x20000000u,          // and with funct7 = 0x10
                       0x04000053u,                        // fadd.h
                       0x00000077u, 0x0000005bu, 0x0000007bu, // reserved / custom-2/3
                       0x00007003u, 0x00004023u, 0x00004007u, 0x00001027u}) {  // ld/st widths
    INFO(raw);
    const DecodedInsn d = decode(raw);
    CHECK(d.op == Op::ILLEGAL);
    CHECK(d.raw == raw);
    CHECK(d.len == 4);
    CHECK(d.rd == 0);
    CHECK(d.imm == 0);
  }
}

TEST_CASE("insn_length", "[isa]") {
  CHECK(insn_length(0x0000) == 2);
  CHECK(insn_length(0x4501) == 2);
  CHECK(insn_length(0x8082) == 2);
  CHECK(insn_length(0x0513) == 4);
  CHECK(insn_length(0xffff) == 4);  // >= 48-bit encodings: 4, and decode() makes them ILLEGAL
  CHECK(decode(0xffffffff).op == Op::ILLEGAL);
}
