// SPDX-License-Identifier: Apache-2.0
#include "disasm.hpp"

#include <cstdarg>
#include <cstdio>

#include "insn_info.hpp"
#include "tessera/hw/t1_isa.h"

namespace tessera::emu {

namespace {

// printf into a std::string; disassembly lines are short.
[[gnu::format(printf, 1, 2)]] std::string format(const char* f, ...) {
  char buf[128];
  va_list ap;
  va_start(ap, f);
  const int n = std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return std::string(buf, n < 0 ? 0 : (n < static_cast<int>(sizeof buf) ? n : sizeof buf - 1));
}

constexpr const char* kXNames[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6"};
constexpr const char* kFNames[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",  "fs0",  "fs1", "fa0",
    "fa1", "fa2", "fa3",  "fa4",  "fa5", "fa6", "fa7",  "fs2",  "fs3",  "fs4", "fs5",
    "fs6", "fs7", "fs8",  "fs9",  "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

// Indexed by CSR number - T1_CSR_FIRST.
constexpr const char* kT1CsrNames[] = {
    "t1.tid.x",    "t1.tid.y",    "t1.tid.z",    "t1.ntid.x",   "t1.ntid.y",   "t1.ntid.z",
    "t1.ctaid.x",  "t1.ctaid.y",  "t1.ctaid.z",  "t1.nctaid.x", "t1.nctaid.y", "t1.nctaid.z",
    "t1.laneid",   "t1.warpid",   "t1.nwarps",   "t1.tileid",   "t1.dynshared", "t1.deviceid"};
static_assert(sizeof(kT1CsrNames) / sizeof(kT1CsrNames[0]) == T1_CSR_LAST - T1_CSR_FIRST + 1);

constexpr const char* kHpmCounters[] = {
    "hpmcounter3",  "hpmcounter4",  "hpmcounter5",  "hpmcounter6",  "hpmcounter7",
    "hpmcounter8",  "hpmcounter9",  "hpmcounter10", "hpmcounter11", "hpmcounter12",
    "hpmcounter13", "hpmcounter14", "hpmcounter15", "hpmcounter16", "hpmcounter17",
    "hpmcounter18", "hpmcounter19", "hpmcounter20", "hpmcounter21", "hpmcounter22",
    "hpmcounter23", "hpmcounter24", "hpmcounter25", "hpmcounter26", "hpmcounter27",
    "hpmcounter28", "hpmcounter29", "hpmcounter30", "hpmcounter31"};

std::string rm_suffix(uint8_t rm) {
  static constexpr const char* kNames[8] = {"rne", "rtz", "rdn", "rup", "rmm", "", "", "dyn"};
  if (rm == 7) return {};
  if (rm == 5 || rm == 6) return format(", rm%u", rm);  // reserved; faults when executed
  return format(", %s", kNames[rm]);
}

std::string fence_set(unsigned bits4) {
  if (bits4 == 0) return "0";
  std::string s;
  if (bits4 & 8) s += 'i';
  if (bits4 & 4) s += 'o';
  if (bits4 & 2) s += 'r';
  if (bits4 & 1) s += 'w';
  return s;
}

std::string csr_text(int64_t csr) {
  const char* name = csr_name(static_cast<uint32_t>(csr));
  return name ? std::string(name) : format("0x%x", static_cast<unsigned>(csr));
}

// ".aq", ".rl", ".aqrl" from bits 26:25 of an A encoding.
const char* aqrl_suffix(uint32_t raw) {
  static constexpr const char* kSuffix[4] = {"", ".rl", ".aq", ".aqrl"};
  return kSuffix[(raw >> 25) & 3];
}

std::string mnemonic(const DecodedInsn& d, const InsnInfo& info) {
  static constexpr const char* kBar[4] = {"", ".popc", ".and", ".or"};
  static constexpr const char* kVote[4] = {".all", ".any", ".ballot", ".uni"};
  static constexpr const char* kShfl[4] = {".idx", ".up", ".down", ".bfly"};
  switch (info.fmt) {
    case Fmt::LR: case Fmt::AMO: return std::string(info.mnemonic) + aqrl_suffix(d.raw);
    case Fmt::TBAR: return std::string(info.mnemonic) + kBar[d.rm & 3];
    case Fmt::TVOTE: return std::string(info.mnemonic) + kVote[d.rm & 3];
    case Fmt::TSHFL: return std::string(info.mnemonic) + kShfl[d.rm & 3];
    case Fmt::FENCE:
      // FENCE.TSO is fm = 1000 with pred = succ = rw.
      if (d.imm == 0x833) return "fence.tso";
      [[fallthrough]];
    default: return info.mnemonic;
  }
}

}  // namespace

const char* xreg_name(unsigned reg) { return kXNames[reg & 31]; }
const char* freg_name(unsigned reg) { return kFNames[reg & 31]; }

const char* csr_name(uint32_t csr) {
  switch (csr) {
    case 0x001: return "fflags";
    case 0x002: return "frm";
    case 0x003: return "fcsr";
    case 0xc00: return "cycle";
    case 0xc01: return "time";
    case 0xc02: return "instret";
    default: break;
  }
  if (csr >= 0xc03 && csr <= 0xc1f) return kHpmCounters[csr - 0xc03];
  if (csr >= T1_CSR_FIRST && csr <= T1_CSR_LAST) return kT1CsrNames[csr - T1_CSR_FIRST];
  return nullptr;
}

std::string disassemble(const DecodedInsn& d, uint64_t pc) {
  if (d.op == Op::ILLEGAL) {
    return d.len == 2 ? format(".insn 2, 0x%04x", d.raw) : format(".insn 4, 0x%08x", d.raw);
  }
  const InsnInfo& info = insn_info(d.op);
  const std::string mn = mnemonic(d, info);
  const char* m = mn.c_str();
  const char *xd = kXNames[d.rd & 31], *x1 = kXNames[d.rs1 & 31], *x2 = kXNames[d.rs2 & 31],
             *x3 = kXNames[d.rs3 & 31];
  const char *fd = kFNames[d.rd & 31], *f1 = kFNames[d.rs1 & 31], *f2 = kFNames[d.rs2 & 31],
             *f3 = kFNames[d.rs3 & 31];
  const auto imm = static_cast<long long>(d.imm);
  const auto target = static_cast<unsigned long long>(pc + static_cast<uint64_t>(d.imm));
  const std::string rm = rm_suffix(d.rm);
  switch (info.fmt) {
    case Fmt::NONE: return mn;
    case Fmt::R: return format("%s %s, %s, %s", m, xd, x1, x2);
    case Fmt::I: case Fmt::SHIFT64: case Fmt::SHIFT32: return format("%s %s, %s, %lld", m, xd, x1, imm);
    case Fmt::LOAD: case Fmt::JALR: return format("%s %s, %lld(%s)", m, xd, imm, x1);
    case Fmt::STORE: return format("%s %s, %lld(%s)", m, x2, imm, x1);
    case Fmt::B: return format("%s %s, %s, 0x%llx", m, x1, x2, target);
    // The 20-bit field as written in assembly (lui a0, 1048575 for 0xfffff).
    case Fmt::U: return format("%s %s, %llu", m, xd, static_cast<unsigned long long>(d.imm >> 12) & 0xfffff);
    case Fmt::J: return format("%s %s, 0x%llx", m, xd, target);
    case Fmt::FENCE:
      if (d.imm == 0x833) return mn;
      return format("%s %s, %s", m, fence_set((d.imm >> 4) & 15).c_str(), fence_set(d.imm & 15).c_str());
    case Fmt::CSR: return format("%s %s, %s, %s", m, xd, csr_text(d.imm).c_str(), x1);
    case Fmt::CSRI: return format("%s %s, %s, %u", m, xd, csr_text(d.imm).c_str(), d.rs1);
    case Fmt::LR: return format("%s %s, (%s)", m, xd, x1);
    case Fmt::AMO: return format("%s %s, %s, (%s)", m, xd, x2, x1);
    case Fmt::FLOAD: return format("%s %s, %lld(%s)", m, fd, imm, x1);
    case Fmt::FSTORE: return format("%s %s, %lld(%s)", m, f2, imm, x1);
    case Fmt::R4_RM: return format("%s %s, %s, %s, %s%s", m, fd, f1, f2, f3, rm.c_str());
    case Fmt::FFF_RM: return format("%s %s, %s, %s%s", m, fd, f1, f2, rm.c_str());
    case Fmt::FFF: return format("%s %s, %s, %s", m, fd, f1, f2);
    case Fmt::FF_RM: return format("%s %s, %s%s", m, fd, f1, rm.c_str());
    case Fmt::FF_EXACT: return format("%s %s, %s", m, fd, f1);
    case Fmt::XF_RM: return format("%s %s, %s%s", m, xd, f1, rm.c_str());
    case Fmt::XF: return format("%s %s, %s", m, xd, f1);
    case Fmt::XFF: return format("%s %s, %s, %s", m, xd, f1, f2);
    case Fmt::FX_RM: return format("%s %s, %s%s", m, fd, x1, rm.c_str());
    case Fmt::FX_EXACT: case Fmt::FX: return format("%s %s, %s", m, fd, x1);
    case Fmt::TBAR:
      if (d.rm == T1_BAR_SYNC) return mn;
      return format("%s %s, %s", m, xd, x1);
    case Fmt::TVOTE: return format("%s %s, %s, %s", m, xd, x1, x2);
    case Fmt::TRD: return format("%s %s", m, xd);
    case Fmt::TRS1: return format("%s %s", m, x1);
    case Fmt::TSHFL: return format("%s %s, %s, %s, %s", m, xd, x1, x2, x3);
  }
  return mn;
}

}  // namespace tessera::emu
