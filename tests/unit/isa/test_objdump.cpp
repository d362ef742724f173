// SPDX-License-Identifier: Apache-2.0
// Cross-check against LLVM: all_insns.S (every RV64GC instruction, and every
// RVC instruction followed by its expansion) is assembled by clang-16 and
// listed by llvm-objdump-16 -M no-aliases at build time. For each listed
// instruction our decoder must agree on validity, our disassembler on the
// text, and our RVC expansion on the 32-bit equivalent.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "isa/decode.hpp"
#include "isa/disasm.hpp"
#include "isa/insn_info.hpp"

using namespace tessera::emu;

namespace {

struct Listed {
  uint64_t addr;
  std::vector<uint8_t> bytes;
  std::string text;  // normalised: single spaces, no symbol, no ", dyn"
};

std::string normalise(std::string s) {
  if (auto lt = s.find(" <"); lt != std::string::npos) s.erase(lt);
  for (char& c : s)
    if (c == '\t') c = ' ';
  std::string out;
  for (char c : s)
    if (!(c == ' ' && (out.empty() || out.back() == ' '))) out += c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  // LLVM prints the dynamic rounding mode explicitly; we leave it out.
  if (out.size() > 5 && out.compare(out.size() - 5, 5, ", dyn") == 0) out.resize(out.size() - 5);
  return out;
}

std::vector<Listed> read_listing() {
  std::ifstream in(TESSERA_ISA_OBJDUMP);
  REQUIRE(in.good());
  static const std::regex kLine(R"(^\s*([0-9a-f]+):\s((?:[0-9a-f]{2} )+)\s*(.*)$)");
  std::vector<Listed> out;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, kLine)) continue;
    Listed l;
    l.addr = std::stoull(m[1].str(), nullptr, 16);
    const std::string hex = m[2].str();
    for (size_t i = 0; i + 1 < hex.size(); i += 3) l.bytes.push_back(static_cast<uint8_t>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    l.text = normalise(m[3].str());
    out.push_back(std::move(l));
  }
  return out;
}

uint32_t word_of(const Listed& l) {
  uint32_t w = 0;
  for (size_t i = l.bytes.size(); i-- > 0;) w = (w << 8) | l.bytes[i];
  return w;
}

}  // namespace

TEST_CASE("objdump: every RV64GC instruction decodes and disassembles like LLVM", "[isa][objdump]") {
  const std::vector<Listed> listing = read_listing();
  REQUIRE(listing.size() > 600);
  std::set<Op> seen;
  unsigned compressed = 0;
  for (size_t i = 0; i < listing.size(); ++i) {
    const Listed& l = listing[i];
    INFO(l.addr << ": " << l.text);
    REQUIRE(l.text != "<unknown>");
    if (l.bytes.size() == 4) {
      const DecodedInsn d = decode(word_of(l));
      CHECK(d.op != Op::ILLEGAL);
      CHECK(disassemble(d, l.addr) == l.text);
      seen.insert(d.op);
      continue;
    }
    // A compressed instruction, followed in all_insns.S by its expansion.
    REQUIRE(l.bytes.size() == 2);
    REQUIRE(l.text.rfind("c.", 0) == 0);
    REQUIRE(i + 1 < listing.size());
    const Listed& e = listing[i + 1];
    REQUIRE(e.bytes.size() == 4);
    INFO("expansion " << e.text);
    const auto half = static_cast<uint16_t>(word_of(l));
    CHECK(expand_compressed(half) == word_of(e));
    const DecodedInsn c = decode_compressed(half), w = decode(word_of(e));
    CHECK(c.op == w.op);
    CHECK(c.rd == w.rd);
    CHECK(c.rs1 == w.rs1);
    CHECK(c.rs2 == w.rs2);
    CHECK(c.imm == w.imm);
    CHECK(c.len == 2);
    CHECK(c.raw == half);
    // Same text as the expansion (branch targets from each one's own pc).
    CHECK(disassemble(c, e.addr) == disassemble(w, e.addr));
    ++compressed;
  }
  CHECK(compressed >= 60);
  // Coverage: every table entry outside Xtessera appeared at least once.
  for (unsigned i = 1; i < kOpCount; ++i) {
    const Op op = static_cast<Op>(i);
    const std::string name = op_name(op);
    if (name.rfind("T_", 0) == 0) continue;  // test_decode.cpp / test_disasm.cpp
    INFO("not exercised by all_insns.S: " << name);
    CHECK(seen.count(op) == 1);
  }
}
