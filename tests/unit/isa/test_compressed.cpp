// SPDX-License-Identifier: Apache-2.0
// RV64C expansion: reserved encodings and hand-picked fields. (test_objdump.cpp
// checks one or more of every c.* instruction against the assembler.)
#include <catch2/catch.hpp>

#include "isa/decode.hpp"

using namespace tessera::emu;

TEST_CASE("compressed: reserved encodings are illegal", "[isa][rvc]") {
  const struct { uint16_t raw; const char* what; } kReserved[] = {
      {0x0000, "all-zero halfword"},
      {0x0004, "c.addi4spn with nzuimm = 0, rd' = x9"},
      {0x8000, "quadrant 0, funct3 100"},
      {0x9c00 | 0x0040 | 0x01 | 0x0000, "c.subw slot with bits 6:5 = 10"},
      {0x9c41 | 0x0020, "bits 6:5 = 11 with bit 12 set"},
      {0x2001, "c.addiw with rd = x0"},
      {0x6101, "c.addi16sp with nzimm = 0"},
      {0x6501, "c.lui with nzimm = 0"},
      {0x4002, "c.lwsp with rd = x0"},
      {0x6002, "c.ldsp with rd = x0"},
      {0x8002, "c.jr with rs1 = x0"},
  };
  for (const auto& r : kReserved) {
    INFO(r.what);
    CHECK(expand_compressed(r.raw) == 0);
    const DecodedInsn d = decode_compressed(r.raw);
    CHECK(d.op == Op::ILLEGAL);
    CHECK(d.len == 2);
    CHECK(d.raw == r.raw);
  }
}

TEST_CASE("compressed: HINTs are legal no-ops", "[isa][rvc]") {
  // c.addi x0, 1 / c.li x0, 1 / c.lui x0, 1 / c.slli x0, 1 / c.mv x0, a0 / c.add x0, a0
  for (uint16_t raw : {uint16_t{0x0005}, uint16_t{0x4005}, uint16_t{0x6005}, uint16_t{0x0006},
                       uint16_t{0x802a}, uint16_t{0x902a}}) {
    INFO(raw);
    const DecodedInsn d = decode_compressed(raw);
    CHECK(d.op != Op::ILLEGAL);
    CHECK(d.rd == 0);
  }
}

TEST_CASE("compressed: fields", "[isa][rvc]") {
  SECTION("c.lui sign-extends into the upper bits") {
    const DecodedInsn d = decode_compressed(0x7541);  // c.lui a0, 0xfffff0 -> imm[17] set
    CHECK(d.op == Op::LUI);
    CHECK(d.rd == 10);
    CHECK(d.imm == -0x10000);
    CHECK(d.len == 2);
    CHECK(d.raw == 0x7541);
  }
  SECTION("c.addi16sp") {
    const DecodedInsn d = decode_compressed(0x7139);  // c.addi16sp sp, -64
    CHECK(d.op == Op::ADDI);
    CHECK(d.rd == 2);
    CHECK(d.rs1 == 2);
    CHECK(d.imm == -64);
  }
  SECTION("c.ldsp / c.sdsp") {
    const DecodedInsn l = decode_compressed(0x60a2);  // c.ldsp ra, 8(sp)
    CHECK(l.op == Op::LD);
    CHECK(l.rd == 1);
    CHECK(l.rs1 == 2);
    CHECK(l.imm == 8);
    const DecodedInsn s = decode_compressed(0xe406);  // c.sdsp ra, 8(sp)
    CHECK(s.op == Op::SD);
    CHECK(s.rs2 == 1);
    CHECK(s.rs1 == 2);
    CHECK(s.imm == 8);
  }
  SECTION("c.srai shamt 32..63 (RV64)") {
    const DecodedInsn d = decode_compressed(0x9501);  // c.srai a0, 32
    CHECK(d.op == Op::SRAI);
    CHECK(d.rd == 10);
    CHECK(d.rs1 == 10);
    CHECK(d.imm == 32);
  }
  SECTION("c.jalr / c.jr / c.ebreak") {
    CHECK(decode_compressed(0x9502).op == Op::JALR);   // c.jalr a0
    CHECK(decode_compressed(0x9502).rd == 1);
    CHECK(decode_compressed(0x8082).op == Op::JALR);   // c.jr ra (ret)
    CHECK(decode_compressed(0x8082).rd == 0);
    CHECK(decode_compressed(0x9002).op == Op::EBREAK);
  }
  SECTION("c.j backwards") {
    const DecodedInsn d = decode_compressed(0xbfe5);  // c.j -8
    CHECK(d.op == Op::JAL);
    CHECK(d.rd == 0);
    CHECK(d.imm == -8);
  }
}

TEST_CASE("compressed: every halfword is handled consistently", "[isa][rvc]") {
  unsigned legal = 0;
  for (uint32_t h = 0; h < 0x10000; ++h) {
    if ((h & 3) == 3) continue;
    const uint32_t word = expand_compressed(static_cast<uint16_t>(h));
    const DecodedInsn d = decode_compressed(static_cast<uint16_t>(h));
    REQUIRE(d.len == 2);
    REQUIRE(d.raw == h);
    if (word == 0) {
      REQUIRE(d.op == Op::ILLEGAL);
      continue;
    }
    // A valid expansion is always a real 32-bit instruction.
    const DecodedInsn w = decode(word);
    INFO(h);
    REQUIRE(w.op != Op::ILLEGAL);
    REQUIRE(d.op == w.op);
    REQUIRE(d.imm == w.imm);
    ++legal;
  }
  // 3 quadrants x 64Ki/4 halfwords, less the reserved ones.
  CHECK(legal > 45000);
  CHECK(legal < 49152);
}
