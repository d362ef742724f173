// SPDX-License-Identifier: Apache-2.0
// The warp interpreter: fetch loop, lane-group scheduling (divergence and
// reconvergence) and the integer, memory, atomic, CSR and Xtessera
// instructions. Every instruction's semantics is written once, as a lane
// expression handed to a lane-loop helper (interp_core.hpp).
#include <atomic>
#include <chrono>
#include <climits>

#include "interp_core.hpp"
#include "isa/op.hpp"

namespace tessera::emu::TESSERA_SIMT_VARIANT {

namespace {

// A group that has run this many instructions while other lanes of its
// warp wait is rotated out at its next backward jump, so that a spin-wait
// between lanes of one warp always makes progress.
constexpr uint32_t kFairnessSlice = 1024;

using u64 = uint64_t;
using s64 = int64_t;
using u32 = uint32_t;
using s32 = int32_t;

inline u64 mulhu(u64 a, u64 b) { return static_cast<u64>((static_cast<unsigned __int128>(a) * b) >> 64); }
inline u64 mulh(u64 a, u64 b) {
  return static_cast<u64>(static_cast<unsigned __int128>(static_cast<__int128>(static_cast<s64>(a)) *
                                                         static_cast<s64>(b)) >> 64);
}
inline u64 mulhsu(u64 a, u64 b) {
  return static_cast<u64>(static_cast<unsigned __int128>(static_cast<__int128>(static_cast<s64>(a)) *
                                                         static_cast<__int128>(b)) >> 64);
}
// Division semantics of the M extension: no traps, defined results.
inline u64 div64(u64 a, u64 b) {
  const s64 x = static_cast<s64>(a), y = static_cast<s64>(b);
  if (y == 0) return ~u64{0};
  if (x == LLONG_MIN && y == -1) return a;
  return static_cast<u64>(x / y);
}
inline u64 rem64(u64 a, u64 b) {
  const s64 x = static_cast<s64>(a), y = static_cast<s64>(b);
  if (y == 0) return a;
  if (x == LLONG_MIN && y == -1) return 0;
  return static_cast<u64>(x % y);
}
inline u64 divu64(u64 a, u64 b) { return b == 0 ? ~u64{0} : a / b; }
inline u64 remu64(u64 a, u64 b) { return b == 0 ? a : a % b; }
inline u64 div32(u64 a, u64 b) {
  const s32 x = static_cast<s32>(a), y = static_cast<s32>(b);
  if (y == 0) return ~u64{0};
  if (x == INT_MIN && y == -1) return sext32(static_cast<u32>(x));
  return sext32(static_cast<u32>(x / y));
}
inline u64 rem32(u64 a, u64 b) {
  const s32 x = static_cast<s32>(a), y = static_cast<s32>(b);
  if (y == 0) return sext32(static_cast<u32>(x));
  if (x == INT_MIN && y == -1) return 0;
  return sext32(static_cast<u32>(x % y));
}
inline u64 divu32(u64 a, u64 b) {
  const u32 x = static_cast<u32>(a), y = static_cast<u32>(b);
  return y == 0 ? ~u64{0} : sext32(x / y);
}
inline u64 remu32(u64 a, u64 b) {
  const u32 x = static_cast<u32>(a), y = static_cast<u32>(b);
  return y == 0 ? sext32(x) : sext32(x % y);
}

class Runner : public Interp {
 public:
  Runner(ExecContext& c, Warp& warp) : Interp(c, warp) {}

  WarpStop run(u64 budget);

 private:
  uint32_t since_pick_ = 0;
  bool rotated_ = false;

  LaneMask runnable() const { return w.live & ~w.at_barrier & ~w.at_sync; }

  // Lanes outside the running group (not at the block barrier), grouped by
  // PC. Rebuilt whenever a group is picked, so the per-instruction
  // reconvergence check compares gpc with a few PCs instead of 32 lanes.
  struct Parked {
    u64 pc;
    LaneMask mask;
  };
  Parked parked_[kLanes];
  unsigned nparked_ = 0;
  u64 min_runnable_parked_ = ~u64{0};  // lowest PC of a parked runnable group

  void index_parked() {
    nparked_ = 0;
    for (LaneMask m = w.live & ~w.at_barrier & ~active; m; m &= m - 1) {
      const unsigned l = first_lane(m);
      unsigned i = 0;
      while (i < nparked_ && parked_[i].pc != w.pc[l]) ++i;
      if (i == nparked_) parked_[nparked_++] = Parked{w.pc[l], 0};
      parked_[i].mask |= 1u << l;
    }
    update_min_parked();
  }

  void update_min_parked() {
    min_runnable_parked_ = ~u64{0};
    for (unsigned i = 0; i < nparked_; ++i)
      if ((parked_[i].mask & ~w.at_sync) && parked_[i].pc < min_runnable_parked_)
        min_runnable_parked_ = parked_[i].pc;
  }

  // Picks the next lane group: the lowest PC among runnable lanes (so that
  // lanes behind catch up and reconverge), or with `rotate`, the lowest PC
  // above `after`, wrapping (fair rotation). Lanes parked at a warp-sync on
  // the chosen PC join the group.
  bool pick(bool rotate, u64 after) {
    const LaneMask r = runnable();
    if (!r) return false;
    if (r == w.live && !w.at_barrier && !w.at_sync) {
      // Common case (a warp starting, or reconverged): every live lane at
      // one PC.
      const u64 pc0 = w.pc[first_lane(r)];
      u64 differ = 0;
      for (unsigned l = 0; l < kLanes; ++l) differ |= (w.pc[l] ^ pc0) & -static_cast<u64>((r >> l) & 1u);
      if (!differ) {
        set_active(r, pc0);
        nparked_ = 0;
        min_runnable_parked_ = ~u64{0};
        since_pick_ = 0;
        rotated_ = false;
        return true;
      }
    }
    u64 best = ~u64{0}, lowest = ~u64{0};
    for (LaneMask m = r; m; m &= m - 1) {
      const u64 pc = w.pc[first_lane(m)];
      lowest = pc < lowest ? pc : lowest;
      if (rotate && pc > after && pc < best) best = pc;
    }
    const u64 chosen = (rotate && best != ~u64{0}) ? best : lowest;
    LaneMask group = 0;
    const LaneMask candidates = r | w.at_sync;
    for (LaneMask m = candidates; m; m &= m - 1) {
      const unsigned l = first_lane(m);
      if (w.pc[l] == chosen) group |= 1u << l;
    }
    w.at_sync &= ~group;
    set_active(group, chosen);
    index_parked();
    since_pick_ = 0;
    rotated_ = rotate;
    return true;
  }

  // After an instruction: lanes parked at gpc join the running group.
  void merge_waiting() {
    for (unsigned i = 0; i < nparked_; ++i) {
      if (parked_[i].pc != gpc) continue;
      const LaneMask join = parked_[i].mask;
      parked_[i] = parked_[--nparked_];
      w.at_sync &= ~join;
      set_active(active | join, gpc);
      update_min_parked();
      return;
    }
  }

  // The running group reached a loop head while other lanes wait inside
  // that loop's body (an earlier iteration, typically on a branch path laid
  // out after the head). Run those first: they come back to the head on the
  // back edge and the warp reconverges there, once per iteration, instead of
  // the head group racing ahead and splitting ever smaller.
  bool yield_to_loop_body(u64 loop_end) {
    unsigned best = nparked_;
    for (unsigned i = 0; i < nparked_; ++i) {
      const Parked& p = parked_[i];
      if (p.pc > gpc && p.pc <= loop_end && (p.mask & ~w.at_sync) &&
          (best == nparked_ || p.pc < parked_[best].pc))
        best = i;
    }
    if (best == nparked_) return false;
    switch_to(best);
    return true;
  }

  // Parks the running group and runs parked group `idx` instead, keeping
  // the parked-group index up to date without rescanning lanes.
  void switch_to(unsigned idx) {
    const Parked next = parked_[idx];
    parked_[idx] = parked_[--nparked_];
    park(gpc);
    add_parked(gpc, active);
    w.at_sync &= ~next.mask;
    set_active(next.mask, next.pc);
    update_min_parked();
    since_pick_ = 0;
    rotated_ = false;
  }

  // A uniform jump. Returns Reschedule when another group should run first.
  Flow jump(u64 target) {
    const bool backward = target <= gpc;
    gpc = target;
    if (min_runnable_parked_ == ~u64{0}) return Flow::Jump;
    if (backward && since_pick_ >= kFairnessSlice) {
      park(gpc);
      pick(true, gpc);
      return Flow::Reschedule;
    }
    if (rotated_ && since_pick_ < kFairnessSlice) return Flow::Jump;
    if (min_runnable_parked_ < target) {
      for (unsigned i = 0; i < nparked_; ++i)
        if (parked_[i].pc == min_runnable_parked_ && (parked_[i].mask & ~w.at_sync)) {
          switch_to(i);
          return Flow::Reschedule;
        }
    }
    return Flow::Jump;
  }

  // A conditional branch: `taken` is the set of running lanes that branch.
  Flow branch(LaneMask taken, const DecodedInsn& d) {
    taken &= active;
    if (taken == active) return jump(gpc + static_cast<u64>(d.imm));
    if (taken == 0) return Flow::Next;
    const u64 target = gpc + static_cast<u64>(d.imm), fall = gpc + d.len;
    const LaneMask stay = active & ~taken;
    for (unsigned l = 0; l < kLanes; ++l) {
      const u64 t = -static_cast<u64>((taken >> l) & 1u), f = -static_cast<u64>((stay >> l) & 1u);
      w.pc[l] = (target & t) | (fall & f) | (w.pc[l] & ~(t | f));
    }
    // Both halves join the parked groups and the lowest PC runs next, as
    // pick() would decide, without rescanning every lane.
    add_parked(target, taken);
    add_parked(fall, stay);
    unsigned best = nparked_;
    for (unsigned i = 0; i < nparked_; ++i)
      if ((parked_[i].mask & ~w.at_sync) && (best == nparked_ || parked_[i].pc < parked_[best].pc)) best = i;
    const Parked next = parked_[best];
    parked_[best] = parked_[--nparked_];
    w.at_sync &= ~next.mask;
    set_active(next.mask, next.pc);
    update_min_parked();
    since_pick_ = 0;
    rotated_ = false;
    return Flow::Reschedule;
  }

  void add_parked(u64 pc, LaneMask m) {
    for (unsigned i = 0; i < nparked_; ++i)
      if (parked_[i].pc == pc) {
        parked_[i].mask |= m;
        return;
      }
    parked_[nparked_++] = Parked{pc, m};
  }

  // The lanes for which cond(l) holds, as a mask. The conditions are
  // evaluated into bytes (a vectorizable loop), then packed 8 at a time.
  template <class C>
  LaneMask lanes_where(C&& cond) const {
    if (single >= 0) return cond(static_cast<unsigned>(single)) ? active : 0;
    alignas(32) uint8_t t[kLanes];
    for (unsigned l = 0; l < kLanes; ++l) t[l] = cond(l) ? 1 : 0;
    LaneMask m = 0;
    for (unsigned i = 0; i < kLanes / 8; ++i) {
      uint64_t bytes;
      std::memcpy(&bytes, t + 8 * i, 8);
      // Gathers bit 0 of each byte into the top byte, lane order kept.
      m |= static_cast<LaneMask>((bytes * 0x0102040810204080ull) >> 56) << (8 * i);
    }
    return m;
  }

  // No lane can run: the warp has ended, waits at the block barrier, or has
  // lanes at a warp-sync whose partners can never come (they have exited or
  // wait at the barrier, which in turn waits for these lanes): a deadlock.
  WarpStop no_group() {
    if (w.live == 0) return WarpStop::Exited;
    if (!w.at_sync) return WarpStop::Blocked;
    const unsigned l = first_lane(w.at_sync);
    gpc = w.pc[l];
    fault(l, T1_FAULT_BARRIER, 0, gpc, nullptr);
    return WarpStop::Fault;
  }

  Flow illegal(const DecodedInsn& d) {
    fault(first_lane(active), T1_FAULT_ILLEGAL_INSN, T1_ACCESS_EXEC, gpc, &d);
    return Flow::Stop;
  }

  // Inlined into the fetch loop: no call frame per instruction.
  [[gnu::always_inline]] inline Flow exec(const DecodedInsn& d);
  Flow exec_amo(const DecodedInsn& d);
  Flow exec_csr(const DecodedInsn& d);
  Flow exec_ecall(const DecodedInsn& d);
  Flow exec_exit();
  Flow exec_barrier(const DecodedInsn& d);
  bool warp_sync_ready(LaneMask members);
  Flow exec_warp_op(const DecodedInsn& d);
  void trace(const DecodedInsn& d, u64 pc, LaneMask ran);
};

// ------------------------------------------------------------------------
WarpStop Runner::run(u64 budget) {
  if (!pick(false, 0)) return no_group();
  const DecodedPage*& page = ctx.page;
  const DecodedPage*& other_page = ctx.other_page;
  u64& page_vpn = ctx.page_vpn;
  u64& other_vpn = ctx.other_vpn;
  const bool tracing = ctx.hooks.trace != nullptr;
  while (budget != 0) {
    --budget;
    const u64 vpn = gpc >> kPageShift;
    if (vpn != page_vpn) [[unlikely]] {
      // Two pages are cached: loops that cross a page boundary alternate.
      std::swap(page, other_page);
      std::swap(page_vpn, other_vpn);
      if (vpn != page_vpn) {
        uint32_t cause = 0;
        page = ctx.code->page(gpc, cause);
        if (!page) {
          fault(first_lane(active), cause, T1_ACCESS_EXEC, gpc, nullptr);
          return WarpStop::Fault;
        }
        page_vpn = vpn;
      }
    }
    const unsigned slot = static_cast<unsigned>((gpc & kPageMask) >> 1);
    const DecodedInsn* d = &page->slot[slot];
    if (slot == DecodedPage::kSlots - 1 && page->last_straddles) [[unlikely]] {
      uint32_t cause = 0;
      u64 fault_addr = 0;
      d = ctx.code->fetch_straddling(*page, gpc, cause, fault_addr);
      if (!d) {
        fault(first_lane(active), cause, T1_ACCESS_EXEC, fault_addr, nullptr);
        return WarpStop::Fault;
      }
    }
    if (nparked_ && page->loop_end[slot]) [[unlikely]] {
      if (yield_to_loop_body((gpc & ~kPageMask) + page->loop_end[slot] - 1)) continue;
    }
    const LaneMask ran = active;
    const u64 pc = gpc;
    wrote = 0;
    const Flow flow = exec(*d);
    ++w.retired;
    w.lane_retired += lane_count(ran);
    ++since_pick_;
    if (tracing) [[unlikely]] trace(*d, pc, ran);
    if (d->op == Op::FENCE_I) page_vpn = other_vpn = ~u64{0};
    switch (flow) {
      case Flow::Next:
        gpc += d->len;
        break;
      case Flow::Jump:
        break;
      case Flow::Reschedule:
        break;
      case Flow::Stop:
        if (ctx.faulted()) return WarpStop::Fault;
        if (ctx.hooks.exited) return WarpStop::Exited;
        // Exit or barrier: the group is gone; find another.
        if (!pick(false, 0)) return no_group();
        continue;
    }
    if (nparked_) merge_waiting();
    if ((w.retired & 0x3FF) == 0 && ctx.stop_requested()) [[unlikely]] {
      park(gpc);
      return WarpStop::Stopped;
    }
  }
  park(gpc);
  return WarpStop::Budget;
}

void Runner::trace(const DecodedInsn& d, u64 pc, LaneMask ran) {
  // Traces follow the first lane that ran (bare programs have only one).
  const unsigned l = first_lane(ran);
  TraceRecord r{};
  r.pc = pc;
  r.raw = d.raw;
  r.len = d.len;
  r.rd = d.rd;
  r.rd_kind = wrote;
  r.rd_value = wrote == 1 ? w.x[d.rd][l] : wrote == 2 ? w.f[d.rd][l] : 0;
  (*ctx.hooks.trace)(r);
}

// ------------------------------------------------------------------------
Flow Runner::exec(const DecodedInsn& d) {
  auto& X = w.x;
  const u64* a = X[d.rs1];
  const u64* b = X[d.rs2];
  const u64 imm = static_cast<u64>(d.imm);
  const unsigned rd = d.rd;

  switch (d.op) {
    // ---- RV64I ----
    case Op::LUI: write_x(rd, [&](unsigned) { return imm; }); return Flow::Next;
    case Op::AUIPC: write_x(rd, [&](unsigned) { return gpc + imm; }); return Flow::Next;
    case Op::ADDI: write_x(rd, [&](unsigned l) { return a[l] + imm; }); return Flow::Next;
    case Op::SLTI: write_x(rd, [&](unsigned l) { return u64{static_cast<s64>(a[l]) < static_cast<s64>(imm)}; }); return Flow::Next;
    case Op::SLTIU: write_x(rd, [&](unsigned l) { return u64{a[l] < imm}; }); return Flow::Next;
    case Op::XORI: write_x(rd, [&](unsigned l) { return a[l] ^ imm; }); return Flow::Next;
    case Op::ORI: write_x(rd, [&](unsigned l) { return a[l] | imm; }); return Flow::Next;
    case Op::ANDI: write_x(rd, [&](unsigned l) { return a[l] & imm; }); return Flow::Next;
    case Op::SLLI: write_x(rd, [&](unsigned l) { return a[l] << (imm & 63); }); return Flow::Next;
    case Op::SRLI: write_x(rd, [&](unsigned l) { return a[l] >> (imm & 63); }); return Flow::Next;
    case Op::SRAI: write_x(rd, [&](unsigned l) { return static_cast<u64>(static_cast<s64>(a[l]) >> (imm & 63)); }); return Flow::Next;
    case Op::ADD: write_x(rd, [&](unsigned l) { return a[l] + b[l]; }); return Flow::Next;
    case Op::SUB: write_x(rd, [&](unsigned l) { return a[l] - b[l]; }); return Flow::Next;
    case Op::SLL: write_x(rd, [&](unsigned l) { return a[l] << (b[l] & 63); }); return Flow::Next;
    case Op::SLT: write_x(rd, [&](unsigned l) { return u64{static_cast<s64>(a[l]) < static_cast<s64>(b[l])}; }); return Flow::Next;
    case Op::SLTU: write_x(rd, [&](unsigned l) { return u64{a[l] < b[l]}; }); return Flow::Next;
    case Op::XOR: write_x(rd, [&](unsigned l) { return a[l] ^ b[l]; }); return Flow::Next;
    case Op::SRL: write_x(rd, [&](unsigned l) { return a[l] >> (b[l] & 63); }); return Flow::Next;
    case Op::SRA: write_x(rd, [&](unsigned l) { return static_cast<u64>(static_cast<s64>(a[l]) >> (b[l] & 63)); }); return Flow::Next;
    case Op::OR: write_x(rd, [&](unsigned l) { return a[l] | b[l]; }); return Flow::Next;
    case Op::AND: write_x(rd, [&](unsigned l) { return a[l] & b[l]; }); return Flow::Next;
    case Op::ADDIW: write_x(rd, [&](unsigned l) { return sext32(a[l] + imm); }); return Flow::Next;
    case Op::SLLIW: write_x(rd, [&](unsigned l) { return sext32(static_cast<u32>(a[l]) << (imm & 31)); }); return Flow::Next;
    case Op::SRLIW: write_x(rd, [&](unsigned l) { return sext32(static_cast<u32>(a[l]) >> (imm & 31)); }); return Flow::Next;
    case Op::SRAIW: write_x(rd, [&](unsigned l) { return sext32(static_cast<u32>(static_cast<s32>(a[l]) >> (imm & 31))); }); return Flow::Next;
    case Op::ADDW: write_x(rd, [&](unsigned l) { return sext32(a[l] + b[l]); }); return Flow::Next;
    case Op::SUBW: write_x(rd, [&](unsigned l) { return sext32(a[l] - b[l]); }); return Flow::Next;
    case Op::SLLW: write_x(rd, [&](unsigned l) { return sext32(static_cast<u32>(a[l]) << (b[l] & 31)); }); return Flow::Next;
    case Op::SRLW: write_x(rd, [&](unsigned l) { return sext32(static_cast<u32>(a[l]) >> (b[l] & 31)); }); return Flow::Next;
    case Op::SRAW: write_x(rd, [&](unsigned l) { return sext32(static_cast<u32>(static_cast<s32>(a[l]) >> (b[l] & 31))); }); return Flow::Next;

    // ---- M ----
    case Op::MUL: write_x(rd, [&](unsigned l) { return a[l] * b[l]; }); return Flow::Next;
    case Op::MULH: write_x(rd, [&](unsigned l) { return mulh(a[l], b[l]); }); return Flow::Next;
    case Op::MULHSU: write_x(rd, [&](unsigned l) { return mulhsu(a[l], b[l]); }); return Flow::Next;
    case Op::MULHU: write_x(rd, [&](unsigned l) { return mulhu(a[l], b[l]); }); return Flow::Next;
    case Op::DIV: write_x(rd, [&](unsigned l) { return div64(a[l], b[l]); }); return Flow::Next;
    case Op::DIVU: write_x(rd, [&](unsigned l) { return divu64(a[l], b[l]); }); return Flow::Next;
    case Op::REM: write_x(rd, [&](unsigned l) { return rem64(a[l], b[l]); }); return Flow::Next;
    case Op::REMU: write_x(rd, [&](unsigned l) { return remu64(a[l], b[l]); }); return Flow::Next;
    case Op::MULW: write_x(rd, [&](unsigned l) { return sext32(a[l] * b[l]); }); return Flow::Next;
    case Op::DIVW: write_x(rd, [&](unsigned l) { return div32(a[l], b[l]); }); return Flow::Next;
    case Op::DIVUW: write_x(rd, [&](unsigned l) { return divu32(a[l], b[l]); }); return Flow::Next;
    case Op::REMW: write_x(rd, [&](unsigned l) { return rem32(a[l], b[l]); }); return Flow::Next;
    case Op::REMUW: write_x(rd, [&](unsigned l) { return remu32(a[l], b[l]); }); return Flow::Next;

    // ---- control transfer ----
    case Op::JAL: {
      const u64 link = gpc + d.len;
      write_x(rd, [&](unsigned) { return link; });
      return jump(gpc + imm);
    }
    case Op::JALR: {
      // Targets may differ per lane (function pointers): compute them all
      // before writing rd, which may be rs1.
      alignas(64) u64 target[kLanes];
      for (unsigned l = 0; l < kLanes; ++l) target[l] = (a[l] + imm) & ~u64{1};
      const u64 link = gpc + d.len;
      write_x(rd, [&](unsigned) { return link; });
      const u64 t0 = target[first_lane(active)];
      LaneMask same = 0;
      for (unsigned l = 0; l < kLanes; ++l) same |= static_cast<LaneMask>(target[l] == t0) << l;
      if ((same & active) == active) return jump(t0);
      for (unsigned l = 0; l < kLanes; ++l)
        if ((active >> l) & 1u) w.pc[l] = target[l];
      pick(false, 0);
      return Flow::Reschedule;
    }
    case Op::BEQ: return branch(lanes_where([&](unsigned l) { return a[l] == b[l]; }), d);
    case Op::BNE: return branch(lanes_where([&](unsigned l) { return a[l] != b[l]; }), d);
    case Op::BLT: return branch(lanes_where([&](unsigned l) { return static_cast<s64>(a[l]) < static_cast<s64>(b[l]); }), d);
    case Op::BGE: return branch(lanes_where([&](unsigned l) { return static_cast<s64>(a[l]) >= static_cast<s64>(b[l]); }), d);
    case Op::BLTU: return branch(lanes_where([&](unsigned l) { return a[l] < b[l]; }), d);
    case Op::BGEU: return branch(lanes_where([&](unsigned l) { return a[l] >= b[l]; }), d);

    // ---- loads and stores ----
    case Op::LB: case Op::LH: case Op::LW: case Op::LD:
    case Op::LBU: case Op::LHU: case Op::LWU: {
      alignas(64) u64 v[kLanes];
      bool ok = false;
      switch (d.op) {
        case Op::LB: ok = gather<int8_t>(a, d.imm, v, d); break;
        case Op::LH: ok = gather<int16_t>(a, d.imm, v, d); break;
        case Op::LW: ok = gather<int32_t>(a, d.imm, v, d); break;
        case Op::LD: ok = gather<uint64_t>(a, d.imm, v, d); break;
        case Op::LBU: ok = gather<uint8_t>(a, d.imm, v, d); break;
        case Op::LHU: ok = gather<uint16_t>(a, d.imm, v, d); break;
        default: ok = gather<uint32_t>(a, d.imm, v, d); break;
      }
      if (!ok) return Flow::Stop;
      write_x(rd, [&](unsigned l) { return v[l]; });
      return Flow::Next;
    }
    case Op::SB: return scatter<uint8_t>(a, d.imm, b, d) ? Flow::Next : Flow::Stop;
    case Op::SH: return scatter<uint16_t>(a, d.imm, b, d) ? Flow::Next : Flow::Stop;
    case Op::SW: return scatter<uint32_t>(a, d.imm, b, d) ? Flow::Next : Flow::Stop;
    case Op::SD: return scatter<uint64_t>(a, d.imm, b, d) ? Flow::Next : Flow::Stop;

    // ---- ordering ----
    case Op::FENCE:
      std::atomic_thread_fence(std::memory_order_seq_cst);
      return Flow::Next;
    case Op::FENCE_I:
      ctx.code->flush();
      // The fetch loop holds a page pointer; make it refetch.
      return jump(gpc + d.len);

    // ---- system ----
    case Op::ECALL: return exec_ecall(d);
    case Op::EBREAK:
      fault(first_lane(active), T1_FAULT_BREAKPOINT, 0, gpc, &d);
      return Flow::Stop;
    case Op::CSRRW: case Op::CSRRS: case Op::CSRRC:
    case Op::CSRRWI: case Op::CSRRSI: case Op::CSRRCI:
      return exec_csr(d);

    // ---- A ----
    case Op::LR_W: case Op::LR_D: case Op::SC_W: case Op::SC_D:
    case Op::AMOSWAP_W: case Op::AMOADD_W: case Op::AMOXOR_W: case Op::AMOAND_W:
    case Op::AMOOR_W: case Op::AMOMIN_W: case Op::AMOMAX_W: case Op::AMOMINU_W:
    case Op::AMOMAXU_W:
    case Op::AMOSWAP_D: case Op::AMOADD_D: case Op::AMOXOR_D: case Op::AMOAND_D:
    case Op::AMOOR_D: case Op::AMOMIN_D: case Op::AMOMAX_D: case Op::AMOMINU_D:
    case Op::AMOMAXU_D:
      return exec_amo(d);

    // ---- Xtessera ----
    case Op::T_EXIT: return exec_exit();
    case Op::T_BAR: return exec_barrier(d);
    case Op::T_VOTE: case Op::T_SHFL: case Op::T_WSYNC: case Op::T_ACTIVEMASK:
      return exec_warp_op(d);

    case Op::ILLEGAL: return illegal(d);
    default: return exec_fp(*this, d);
  }
}

// ------------------------------------------------------------------------
// Atomics. Each lane's read-modify-write is one host atomic operation, so
// atomics stay correct when tiles run on several host threads. Lanes of a
// warp act in lane order. LR/SC: SC succeeds if memory still holds the
// value LR read (a compare-and-swap), the usual emulation of a reservation.
template <typename T, class F>
static bool amo_rmw(Interp& in, const DecodedInsn& d, u64* out, F&& f) {
  const u64* a = in.w.x[d.rs1];
  const u64* b = in.w.x[d.rs2];
  for (LaneMask m = in.active; m; m &= m - 1) {
    const unsigned l = first_lane(m);
    uint8_t* p = in.atomic_ptr(l, a[l], sizeof(T), T1_ACCESS_READ | T1_ACCESS_WRITE, d);
    if (!p) return false;
    std::atomic_ref<T> ref(*reinterpret_cast<T*>(p));
    const T operand = static_cast<T>(b[l]);
    T old = ref.load(std::memory_order_relaxed);
    while (!ref.compare_exchange_weak(old, f(old, operand), std::memory_order_seq_cst)) {
    }
    out[l] = static_cast<u64>(static_cast<std::make_signed_t<T>>(old));
  }
  return true;
}

Flow Runner::exec_amo(const DecodedInsn& d) {
  alignas(64) u64 v[kLanes] = {};
  const u64* a = w.x[d.rs1];
  const u64* b = w.x[d.rs2];
  bool ok = true;
  switch (d.op) {
    case Op::LR_W: case Op::LR_D: {
      const unsigned size = d.op == Op::LR_W ? 4 : 8;
      for (LaneMask m = active; m; m &= m - 1) {
        const unsigned l = first_lane(m);
        uint8_t* p = atomic_ptr(l, a[l], size, T1_ACCESS_READ, d);
        if (!p) return Flow::Stop;
        if (size == 4) {
          v[l] = sext32(std::atomic_ref<uint32_t>(*reinterpret_cast<uint32_t*>(p)).load());
        } else {
          v[l] = std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(p)).load();
        }
        w.reserve_addr[l] = a[l];
        w.reserve_value[l] = v[l];
      }
      w.reserved |= active;
      break;
    }
    case Op::SC_W: case Op::SC_D: {
      const unsigned size = d.op == Op::SC_W ? 4 : 8;
      for (LaneMask m = active; m; m &= m - 1) {
        const unsigned l = first_lane(m);
        uint8_t* p = atomic_ptr(l, a[l], size, T1_ACCESS_WRITE, d);
        if (!p) return Flow::Stop;
        bool success = false;
        if (((w.reserved >> l) & 1u) && w.reserve_addr[l] == a[l]) {
          if (size == 4) {
            uint32_t expected = static_cast<uint32_t>(w.reserve_value[l]);
            success = std::atomic_ref<uint32_t>(*reinterpret_cast<uint32_t*>(p))
                          .compare_exchange_strong(expected, static_cast<uint32_t>(b[l]));
          } else {
            uint64_t expected = w.reserve_value[l];
            success = std::atomic_ref<uint64_t>(*reinterpret_cast<uint64_t*>(p))
                          .compare_exchange_strong(expected, b[l]);
          }
        }
        v[l] = success ? 0 : 1;
      }
      w.reserved &= ~active;
      break;
    }
    case Op::AMOSWAP_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t, uint32_t y) { return y; }); break;
    case Op::AMOADD_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t x, uint32_t y) { return x + y; }); break;
    case Op::AMOXOR_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t x, uint32_t y) { return x ^ y; }); break;
    case Op::AMOAND_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t x, uint32_t y) { return x & y; }); break;
    case Op::AMOOR_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t x, uint32_t y) { return x | y; }); break;
    case Op::AMOMIN_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t x, uint32_t y) { return static_cast<s32>(x) < static_cast<s32>(y) ? x : y; }); break;
    case Op::AMOMAX_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t x, uint32_t y) { return static_cast<s32>(x) > static_cast<s32>(y) ? x : y; }); break;
    case Op::AMOMINU_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t x, uint32_t y) { return x < y ? x : y; }); break;
    case Op::AMOMAXU_W: ok = amo_rmw<uint32_t>(*this, d, v, [](uint32_t x, uint32_t y) { return x > y ? x : y; }); break;
    case Op::AMOSWAP_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64, u64 y) { return y; }); break;
    case Op::AMOADD_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64 x, u64 y) { return x + y; }); break;
    case Op::AMOXOR_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64 x, u64 y) { return x ^ y; }); break;
    case Op::AMOAND_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64 x, u64 y) { return x & y; }); break;
    case Op::AMOOR_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64 x, u64 y) { return x | y; }); break;
    case Op::AMOMIN_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64 x, u64 y) { return static_cast<s64>(x) < static_cast<s64>(y) ? x : y; }); break;
    case Op::AMOMAX_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64 x, u64 y) { return static_cast<s64>(x) > static_cast<s64>(y) ? x : y; }); break;
    case Op::AMOMINU_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64 x, u64 y) { return x < y ? x : y; }); break;
    case Op::AMOMAXU_D: ok = amo_rmw<uint64_t>(*this, d, v, [](u64 x, u64 y) { return x > y ? x : y; }); break;
    default: return illegal(d);
  }
  if (!ok) return Flow::Stop;
  write_x(d.rd, [&](unsigned l) { return v[l]; });
  return Flow::Next;
}

// ------------------------------------------------------------------------
// CSRs. FP CSRs are per thread; counters are per warp; Xtessera CSRs are
// read-only identity registers.
Flow Runner::exec_csr(const DecodedInsn& d) {
  const unsigned csr = static_cast<unsigned>(d.imm) & 0xFFF;
  const bool imm_form = d.op == Op::CSRRWI || d.op == Op::CSRRSI || d.op == Op::CSRRCI;
  const bool is_write = d.op == Op::CSRRW || d.op == Op::CSRRWI || d.rs1 != 0;
  const bool read_only = (csr >> 10) == 3;  // csr[11:10] == 3: read-only space
  if (read_only && is_write) return illegal(d);

  alignas(64) u64 old[kLanes] = {};
  const bool fp_csr = csr == 0x001 || csr == 0x002 || csr == 0x003;
  switch (csr) {
    case 0x001: for (unsigned l = 0; l < kLanes; ++l) old[l] = w.fflags[l]; break;
    case 0x002: for (unsigned l = 0; l < kLanes; ++l) old[l] = w.frm[l]; break;
    case 0x003: for (unsigned l = 0; l < kLanes; ++l) old[l] = (u64{w.frm[l]} << 5) | w.fflags[l]; break;
    case 0xC00: case 0xC02: for (unsigned l = 0; l < kLanes; ++l) old[l] = w.retired; break;
    case 0xC01: {
      const u64 ns = ctx.clock ? (*ctx.clock)()
                               : static_cast<u64>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::steady_clock::now().time_since_epoch()).count());
      for (unsigned l = 0; l < kLanes; ++l) old[l] = ns;
      break;
    }
    case T1_CSR_TID_X: case T1_CSR_TID_Y: case T1_CSR_TID_Z:
      for (unsigned l = 0; l < kLanes; ++l) old[l] = w.tid[csr - T1_CSR_TID_X][l];
      break;
    case T1_CSR_NTID_X: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.block_dim.x; break;
    case T1_CSR_NTID_Y: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.block_dim.y; break;
    case T1_CSR_NTID_Z: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.block_dim.z; break;
    case T1_CSR_CTAID_X: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.block_idx.x; break;
    case T1_CSR_CTAID_Y: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.block_idx.y; break;
    case T1_CSR_CTAID_Z: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.block_idx.z; break;
    case T1_CSR_NCTAID_X: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.grid_dim.x; break;
    case T1_CSR_NCTAID_Y: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.grid_dim.y; break;
    case T1_CSR_NCTAID_Z: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.grid_dim.z; break;
    case T1_CSR_LANEID: for (unsigned l = 0; l < kLanes; ++l) old[l] = l; break;
    case T1_CSR_WARPID: for (unsigned l = 0; l < kLanes; ++l) old[l] = w.warp_id; break;
    case T1_CSR_NWARPS: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.nwarps; break;
    case T1_CSR_TILEID: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.tile; break;
    case T1_CSR_DYNSHARED: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.dynshared; break;
    case T1_CSR_DEVICEID: for (unsigned l = 0; l < kLanes; ++l) old[l] = ctx.device_id; break;
    default: return illegal(d);
  }
  if (is_write) {
    if (!fp_csr) return illegal(d);
    const u64* src = w.x[d.rs1];
    for (unsigned l = 0; l < kLanes; ++l) {
      if (!((active >> l) & 1u)) continue;
      const u64 operand = imm_form ? d.rs1 : src[l];
      u64 nv;
      switch (d.op) {
        case Op::CSRRW: case Op::CSRRWI: nv = operand; break;
        case Op::CSRRS: case Op::CSRRSI: nv = old[l] | operand; break;
        default: nv = old[l] & ~operand; break;
      }
      if (csr == 0x001) {
        w.fflags[l] = nv & kFflagsMask;
      } else if (csr == 0x002) {
        w.frm[l] = nv & 7;
      } else {
        w.fflags[l] = nv & kFflagsMask;
        w.frm[l] = (nv >> 5) & 7;
      }
    }
    if (csr != 0x001) update_frm_uniform(w);
  }
  write_x(d.rd, [&](unsigned l) { return old[l]; });
  return Flow::Next;
}

// ------------------------------------------------------------------------
Flow Runner::exec_ecall(const DecodedInsn& d) {
  if (!ctx.hooks.host) {
    fault(first_lane(active), T1_FAULT_ECALL, 0, gpc, &d);
    return Flow::Stop;
  }
  // Bare programs: one host call per running lane, in lane order.
  for (LaneMask m = active; m; m &= m - 1) {
    const unsigned l = first_lane(m);
    const u64 args[6] = {w.x[10][l], w.x[11][l], w.x[12][l], w.x[13][l], w.x[14][l], w.x[15][l]};
    u64 ret = 0;
    int code = 0;
    if (!ctx.hooks.host->ecall(w.x[17][l], args, *ctx.mem, ret, code)) {
      ctx.hooks.exited = true;
      ctx.hooks.exit_code = code;
      w.live = 0;
      active = 0;
      return Flow::Stop;
    }
    w.x[10][l] = ret;
    w.dirty_x |= 1u << 10;
  }
  return Flow::Next;
}

Flow Runner::exec_exit() {
  w.live &= ~active;
  w.reserved &= ~active;
  active = 0;
  return Flow::Stop;
}

// Block barrier: running lanes park after the barrier and wait; the block
// scheduler releases them when every live thread of the block has arrived.
Flow Runner::exec_barrier(const DecodedInsn& d) {
  if (d.rm == T1_BAR_SYNC && d.rd != 0) return illegal(d);
  const u64* a = w.x[d.rs1];
  BarrierState& bs = ctx.barrier;
  for (LaneMask m = active; m; m &= m - 1) {
    const unsigned l = first_lane(m);
    const bool p = a[l] != 0;
    bs.popc += p;
    bs.all = bs.all && p;
    bs.any = bs.any || p;
  }
  bs.arrived += lane_count(active);
  bs.variant = d.rm;
  w.bar_rd = d.rd;
  park(gpc + d.len);
  w.at_barrier |= active;
  active = 0;
  return Flow::Stop;
}

// Warp-synchronous instructions wait until every live lane of the member
// mask has arrived at the same instruction (independent thread scheduling:
// partners may be on another path), then execute for all of them at once.
bool Runner::warp_sync_ready(LaneMask members) {
  const LaneMask missing = members & w.live & ~active;
  if (!missing) return true;
  park(gpc);
  w.at_sync |= active;
  active = 0;
  return false;
}

Flow Runner::exec_warp_op(const DecodedInsn& d) {
  const unsigned l0 = first_lane(active);
  const u64* a = w.x[d.rs1];
  switch (d.op) {
    case Op::T_ACTIVEMASK: {
      const u64 m = active;
      write_x(d.rd, [&](unsigned) { return m; });
      return Flow::Next;
    }
    case Op::T_WSYNC: {
      const LaneMask members = static_cast<LaneMask>(a[l0]);
      if (!warp_sync_ready(members)) return Flow::Stop;
      return Flow::Next;
    }
    case Op::T_VOTE: {
      const LaneMask members = static_cast<LaneMask>(w.x[d.rs2][l0]);
      if (!warp_sync_ready(members)) return Flow::Stop;
      const LaneMask part = members & active;
      const LaneMask pred = lanes_where([&](unsigned l) { return a[l] != 0; }) & part;
      u64 result = 0;
      switch (d.rm) {
        case T1_VOTE_ALL: result = pred == part; break;
        case T1_VOTE_ANY: result = pred != 0; break;
        case T1_VOTE_BALLOT: result = pred; break;
        case T1_VOTE_UNI: result = pred == part || pred == 0; break;
        default: return illegal(d);
      }
      write_x(d.rd, [&](unsigned) { return result; });
      return Flow::Next;
    }
    case Op::T_SHFL: {
      const LaneMask members = static_cast<LaneMask>(w.x[d.rs3][l0]);
      if (d.rm > T1_SHFL_BFLY) return illegal(d);
      if (!warp_sync_ready(members)) return Flow::Stop;
      const u64* ctl = w.x[d.rs2];
      alignas(64) u64 v[kLanes];
      for (unsigned l = 0; l < kLanes; ++l) {
        const unsigned bval = ctl[l] & 31, clamp = (ctl[l] >> 8) & 31, seg = (ctl[l] >> 16) & 31;
        const unsigned min_lane = l & seg, max_lane = min_lane | (clamp & ~seg);
        int j;
        bool in_range;
        switch (d.rm) {
          case T1_SHFL_IDX: j = static_cast<int>(min_lane | (bval & ~seg)); in_range = j <= static_cast<int>(max_lane); break;
          case T1_SHFL_UP: j = static_cast<int>(l) - static_cast<int>(bval); in_range = j >= static_cast<int>(max_lane); break;
          case T1_SHFL_DOWN: j = static_cast<int>(l + bval); in_range = j <= static_cast<int>(max_lane); break;
          default: j = static_cast<int>(l ^ bval); in_range = j <= static_cast<int>(max_lane); break;
        }
        v[l] = a[in_range ? static_cast<unsigned>(j) : l];
      }
      write_x(d.rd, [&](unsigned l) { return v[l]; });
      return Flow::Next;
    }
    default: return illegal(d);
  }
}

}  // namespace

// ------------------------------------------------------------------------
WarpStop run_warp(ExecContext& ctx, Warp& w, uint64_t budget) {
  Runner r(ctx, w);
  return r.run(budget);
}

}  // namespace tessera::emu::TESSERA_SIMT_VARIANT
