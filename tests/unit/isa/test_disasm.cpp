// SPDX-License-Identifier: Apache-2.0
// Disassembly of what llvm-objdump cannot check: Xtessera, T1 CSR names,
// illegal encodings, reserved rounding modes.
#include <catch2/catch.hpp>

#include "encode.hpp"
#include "isa/decode.hpp"
#include "isa/disasm.hpp"
#include "tessera/hw/t1_isa.h"

using namespace tessera::emu;
using namespace tessera::emu::test;

namespace {
std::string dis32(uint32_t raw, uint64_t pc = 0x1000) { return disassemble(decode(raw), pc); }
std::string custom0(uint32_t f3, uint32_t f7, uint32_t rd, uint32_t rs1, uint32_t rs2) {
  return dis32(T1_ENCODE_R(T1_OPCODE_CUSTOM0, f3, f7, rd, rs1, rs2));
}
}  // namespace

TEST_CASE("disasm: Xtessera", "[isa][disasm]") {
  CHECK(custom0(T1_F3_BAR, T1_BAR_SYNC, 0, 0, 0) == "t.bar");
  CHECK(custom0(T1_F3_BAR, T1_BAR_POPC, 10, 11, 0) == "t.bar.popc a0, a1");
  CHECK(custom0(T1_F3_BAR, T1_BAR_AND, 10, 11, 0) == "t.bar.and a0, a1");
  CHECK(custom0(T1_F3_BAR, T1_BAR_OR, 5, 6, 0) == "t.bar.or t0, t1");
  CHECK(custom0(T1_F3_EXIT, 0, 0, 0, 0) == "t.exit");
  CHECK(custom0(T1_F3_VOTE, T1_VOTE_ALL, 10, 11, 12) == "t.vote.all a0, a1, a2");
  CHECK(custom0(T1_F3_VOTE, T1_VOTE_ANY, 10, 11, 12) == "t.vote.any a0, a1, a2");
  CHECK(custom0(T1_F3_VOTE, T1_VOTE_BALLOT, 10, 11, 12) == "t.vote.ballot a0, a1, a2");
  CHECK(custom0(T1_F3_VOTE, T1_VOTE_UNI, 10, 11, 12) == "t.vote.uni a0, a1, a2");
  CHECK(custom0(T1_F3_ACTIVEMASK, 0, 10, 0, 0) == "t.activemask a0");
  CHECK(custom0(T1_F3_WSYNC, 0, 0, 11, 0) == "t.wsync a1");
  CHECK(dis32(T1_ENCODE_R4(T1_OPCODE_CUSTOM1, T1_SHFL_IDX, 0, 10, 11, 12, 13)) ==
        "t.shfl.idx a0, a1, a2, a3");
  CHECK(dis32(T1_ENCODE_R4(T1_OPCODE_CUSTOM1, T1_SHFL_UP, 0, 10, 11, 12, 13)) ==
        "t.shfl.up a0, a1, a2, a3");
  CHECK(dis32(T1_ENCODE_R4(T1_OPCODE_CUSTOM1, T1_SHFL_DOWN, 0, 10, 11, 12, 13)) ==
        "t.shfl.down a0, a1, a2, a3");
  CHECK(dis32(T1_ENCODE_R4(T1_OPCODE_CUSTOM1, T1_SHFL_BFLY, 0, 31, 0, 1, 2)) ==
        "t.shfl.bfly t6, zero, ra, sp");
}

TEST_CASE("disasm: CSR names", "[isa][disasm]") {
  const char* const kT1[] = {"t1.tid.x",    "t1.tid.y",    "t1.tid.z",    "t1.ntid.x",
                             "t1.ntid.y",   "t1.ntid.z",   "t1.ctaid.x",  "t1.ctaid.y",
                             "t1.ctaid.z",  "t1.nctaid.x", "t1.nctaid.y", "t1.nctaid.z",
                             "t1.laneid",   "t1.warpid",   "t1.nwarps",   "t1.tileid",
                             "t1.dynshared", "t1.deviceid"};
  for (uint32_t csr = T1_CSR_FIRST; csr <= T1_CSR_LAST; ++csr) {
    REQUIRE(csr_name(csr) != nullptr);
    CHECK(std::string(csr_name(csr)) == kT1[csr - T1_CSR_FIRST]);
  }
  CHECK(dis32(enc_i(0x73, 2, 10, 0, T1_CSR_LANEID)) == "csrrs a0, t1.laneid, zero");
  CHECK(dis32(enc_i(0x73, 2, 10, 0, 0x7c0)) == "csrrs a0, 0x7c0, zero");  // unknown: hex
  CHECK(dis32(enc_i(0x73, 5, 0, 7, 0x002)) == "csrrwi zero, frm, 7");
  CHECK(csr_name(0x300) == nullptr);
  CHECK(csr_name(T1_CSR_LAST + 1) == nullptr);
}

TEST_CASE("disasm: rounding modes, targets, illegal", "[isa][disasm]") {
  CHECK(dis32(enc_r(0x53, 7, 0x01, 10, 11, 12)) == "fadd.d fa0, fa1, fa2");
  CHECK(dis32(enc_r(0x53, 1, 0x01, 10, 11, 12)) == "fadd.d fa0, fa1, fa2, rtz");
  CHECK(dis32(enc_r(0x53, 5, 0x01, 10, 11, 12)) == "fadd.d fa0, fa1, fa2, rm5");
  CHECK(dis32(enc_b(0, 10, 11, 0x78), 0x10000) == "beq a0, a1, 0x10078");
  CHECK(dis32(enc_b(1, 10, 0, -8), 0x10000) == "bne a0, zero, 0xfff8");
  CHECK(dis32(enc_j(1, -0x10000), 0x80010000) == "jal ra, 0x80000000");
  CHECK(dis32(0x8330000f) == "fence.tso");
  CHECK(dis32(0x0000000f) == "fence 0, 0");
  CHECK(dis32(0x00000000) == ".insn 4, 0x00000000");
  CHECK(dis32(0xffffffff) == ".insn 4, 0xffffffff");
  CHECK(disassemble(decode_compressed(0x0000), 0) == ".insn 2, 0x0000");
  CHECK(disassemble(decode_compressed(0x4501), 0) == "addi a0, zero, 0");  // c.li a0, 0
  CHECK(disassemble(decode_compressed(0x8082), 0) == "jalr zero, 0(ra)");  // ret
  CHECK(std::string(xreg_name(8)) == "s0");
  CHECK(std::string(freg_name(31)) == "ft11");
}
