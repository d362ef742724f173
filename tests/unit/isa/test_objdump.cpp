// SPDX-License-Identifier: Apache-2.0
// Cross-check against LLVM. Two listings made at build time by clang-16 and
// llvm-objdump-16 -M no-aliases:
//  - all_insns.S, every RV64GC instruction and every RVC instruction followed
//    by its expansion: decoder, disassembler and expansion must agree exactly;
//  - fuzz.S, pseudo-random words and all RVC halfwords: the decoder must agree
//    with LLVM on what is an instruction, up to documented differences.
#include <catch2/catch.hpp>

#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "isa/decode.hpp"
#include "isa/disasm.hpp"
#include "isa/insn_info.hpp"
#include "tessera/hw/t1_isa.h"

using namespace tessera::emu;

namespace {

struct Listed {
  uint64_t addr;
  std::vector<uint8_t> bytes;
  std::string text;  // normalised: single spaces, no symbol, no ", dyn"
};

std::string normalise(std::string s) {
  for (char& c : s)
    if (c == '\t') c = ' ';
  std::string out;  // collapses runs of spaces, drops leading ones
  for (char c : s)
    if (!(c == ' ' && (out.empty() || out.back() == ' '))) out += c;
  // Branch targets come with a symbol: "0x70 <l1>".
  if (auto sym = out.find(" <"); sym != std::string::npos) out.erase(sym);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  // LLVM prints the dynamic rounding mode explicitly; we leave it out.
  if (out.size() > 5 && out.compare(out.size() - 5, 5, ", dyn") == 0) out.resize(out.size() - 5);
  return out;
}

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// Instruction lines look like "      1c: 83 30 81 ff  \tld\tra, -8(sp)".
bool parse_line(const std::string& line, Listed& out) {
  size_t i = line.find_first_not_of(' ');
  const size_t colon = line.find(':');
  if (i == std::string::npos || colon == std::string::npos || colon == i) return false;
  for (size_t k = i; k < colon; ++k)
    if (!is_hex(line[k])) return false;
  out.addr = std::stoull(line.substr(i, colon - i), nullptr, 16);
  out.bytes.clear();
  i = colon + 1;
  while (i + 3 <= line.size() && line[i] == ' ' && is_hex(line[i + 1]) && is_hex(line[i + 2]) &&
         (i + 3 == line.size() || line[i + 3] == ' ' || line[i + 3] == '\t')) {
    out.bytes.push_back(static_cast<uint8_t>(std::stoul(line.substr(i + 1, 2), nullptr, 16)));
    i += 3;
  }
  if (out.bytes.size() != 2 && out.bytes.size() != 4) return false;
  out.text = normalise(line.substr(i));
  return true;
}

std::vector<Listed> read_listing(const char* name) {
  std::ifstream in(std::string(TESSERA_ISA_LISTING_DIR) + "/" + name);
  REQUIRE(in.good());
  std::vector<Listed> out;
  Listed l;
  for (std::string line; std::getline(in, line);)
    if (parse_line(line, l)) out.push_back(l);
  return out;
}

uint32_t word_of(const Listed& l) {
  uint32_t w = 0;
  for (size_t i = l.bytes.size(); i-- > 0;) w = (w << 8) | l.bytes[i];
  return w;
}

}  // namespace

TEST_CASE("objdump: every RV64GC instruction decodes and disassembles like LLVM", "[isa][objdump]") {
  const std::vector<Listed> listing = read_listing("all_insns.dis");
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

namespace {

// Encodings we accept and LLVM 16 does not, each on purpose.
bool accepted_on_purpose(const DecodedInsn& d) {
  const Fmt fmt = insn_info(d.op).fmt;
  const bool has_rm = fmt == Fmt::R4_RM || fmt == Fmt::FFF_RM || fmt == Fmt::FF_RM ||
                      fmt == Fmt::XF_RM || fmt == Fmt::FX_RM;
  switch (d.op) {
    // Xtessera is ours.
    case Op::T_BAR: case Op::T_EXIT: case Op::T_VOTE: case Op::T_ACTIVEMASK: case Op::T_WSYNC:
    case Op::T_SHFL:
      return true;
    // The spec makes reserved fm values plain fences and FENCE.I's operand
    // fields reserved-but-ignored; LLVM rejects them.
    case Op::FENCE: case Op::FENCE_I: return true;
    // The rm field of exact conversions is ignored; LLVM 16 wants 000.
    case Op::FCVT_D_S: case Op::FCVT_D_W: case Op::FCVT_D_WU: return true;
    // rm 5 and 6 are illegal at execute time, not at decode.
    default: return has_rm && (d.rm == 5 || d.rm == 6);
  }
}

// Encodings LLVM 16 prints and the spec reserves.
bool rejected_on_purpose(uint16_t half, const std::string& llvm) {
  if (half == 0) return true;  // c.unimp: the defined-illegal all-zero halfword
  // c.lui with nzimm = 0 is reserved.
  return llvm.rfind("c.lui ", 0) == 0 && llvm.size() > 3 &&
         llvm.compare(llvm.size() - 3, 3, ", 0") == 0;
}

// The text with its second operand (a CSR's name or number) blanked out:
// LLVM names privileged CSRs the T1 does not have, and prints the rest
// (including Xtessera's) in decimal where we print names or hex.
std::string without_csr(const std::string& text) {
  const auto a = text.find(", ");
  const auto b = a == std::string::npos ? a : text.find(", ", a + 2);
  return b == std::string::npos ? text : text.substr(0, a + 2) + "#" + text.substr(b);
}

}  // namespace

TEST_CASE("objdump: random encodings and every RVC halfword agree with LLVM", "[isa][objdump]") {
  const std::vector<Listed> listing = read_listing("fuzz.dis");
  REQUIRE(listing.size() > 90000);
  unsigned valid32 = 0, valid16 = 0, illegal = 0;
  for (const Listed& l : listing) {
    INFO(l.addr << ": " << l.text);
    const uint32_t raw = word_of(l);
    const bool llvm_ok = l.text != "<unknown>";
    if (l.bytes.size() == 4) {
      const DecodedInsn d = decode(raw);
      if (d.op == Op::ILLEGAL) {
        CHECK_FALSE(llvm_ok);
        ++illegal;
      } else if (!llvm_ok) {
        CHECK(accepted_on_purpose(d));
      } else {
        const Fmt fmt = insn_info(d.op).fmt;
        // CSR names: all_insns.S and test_disasm.cpp check the ones we know.
        const bool csr = fmt == Fmt::CSR || fmt == Fmt::CSRI;
        if (csr) {
          CHECK(without_csr(disassemble(d, l.addr)) == without_csr(l.text));
        } else {
          CHECK(disassemble(d, l.addr) == l.text);
        }
        ++valid32;
      }
      continue;
    }
    REQUIRE(l.bytes.size() == 2);
    const DecodedInsn d = decode_compressed(static_cast<uint16_t>(raw));
    if (d.op == Op::ILLEGAL) {
      if (llvm_ok) CHECK(rejected_on_purpose(static_cast<uint16_t>(raw), l.text));
      ++illegal;
    } else {
      CHECK(llvm_ok);
      ++valid16;
    }
  }
  // The generator must reach both sides of the fence.
  CHECK(valid32 > 15000);
  CHECK(valid16 > 45000);
  CHECK(illegal > 5000);
}
