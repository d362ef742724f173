// SPDX-License-Identifier: Apache-2.0
#include "block.hpp"

#include <bit>
#include <cstring>
#include <new>

#include <emmintrin.h>

#include "interpreter.hpp"

namespace tessera::emu {

namespace {

// Instructions a warp runs before the next warp of the block gets its turn.
// Long enough to keep one warp's registers hot in cache, short enough that
// warps spinning on each other's flags make progress.
constexpr uint64_t kWarpSlice = 2048;

}  // namespace

namespace {

// One register of all lanes (256 bytes, 64-byte aligned) with 16-byte
// stores (see CMakeLists.txt: not turned back into a memset call).
inline void clear_row(uint64_t* row) {
  const __m128i zero = _mm_setzero_si128();
  for (unsigned i = 0; i < kLanes; i += 2) _mm_store_si128(reinterpret_cast<__m128i*>(row + i), zero);
}

}  // namespace

void reset_warp(Warp& w, LaneMask live, uint64_t pc) {
  // Registers start zeroed (no values leak from the previous block), but
  // only those the previous block wrote need clearing: kernels touch few.
  for (uint32_t m = w.dirty_x; m; m &= m - 1) clear_row(w.x[std::countr_zero(m)]);
  for (uint32_t m = w.dirty_f; m; m &= m - 1) clear_row(w.f[std::countr_zero(m)]);
  w.dirty_x = w.dirty_f = 0;
  std::memset(w.fflags, 0, sizeof(w.fflags));
  std::memset(w.frm, 0, sizeof(w.frm));
  for (unsigned l = 0; l < kLanes; ++l) w.pc[l] = pc;
  w.frm_uniform = 0;
  w.live = live;
  w.at_barrier = w.at_sync = w.reserved = 0;
  w.retired = w.lane_retired = 0;
}

void BlockRunner::WarpDeleter::operator()(Warp* w) const {
  w->~Warp();
  ::operator delete(w, std::align_val_t{alignof(Warp)});
}

Warp& BlockRunner::warp(unsigned i) {
  while (warps_.size() <= i) {
    void* mem = ::operator new(sizeof(Warp), std::align_val_t{alignof(Warp)});
    warps_.emplace_back(new (mem) Warp());
  }
  return *warps_[i];
}

BlockOutcome BlockRunner::run(ExecContext& ctx, const BlockSetup& s) {
  BlockOutcome out;
  const uint64_t nthreads = s.block_dim.count();
  const unsigned nwarps = static_cast<unsigned>((nthreads + kLanes - 1) / kLanes);
  ctx.block_dim = s.block_dim;
  ctx.grid_dim = s.grid_dim;
  ctx.block_idx = s.block_idx;
  ctx.nwarps = nwarps;
  ctx.barrier.reset();

  // Thread indices advance x fastest; counting them avoids three integer
  // divisions per thread, which cost more than short kernels themselves.
  uint32_t tx = 0, ty = 0, tz = 0;
  for (unsigned wi = 0; wi < nwarps; ++wi) {
    Warp& w = warp(wi);
    const uint64_t first = uint64_t{wi} * kLanes;
    const uint64_t n = nthreads - first < kLanes ? nthreads - first : kLanes;
    const LaneMask live = n == kLanes ? kFullMask : ((1u << n) - 1);
    reset_warp(w, live, s.entry);
    w.warp_id = wi;
    for (unsigned l = 0; l < kLanes; ++l) {
      const uint64_t t = first + l;  // linear thread index
      w.linear_tid[l] = static_cast<uint32_t>(t);
      w.tid[0][l] = tx;
      w.tid[1][l] = ty;
      w.tid[2][l] = tz;
      if (++tx == s.block_dim.x) {
        tx = 0;
        if (++ty == s.block_dim.y) {
          ty = 0;
          ++tz;
        }
      }
      w.x[10][l] = s.a0;
      w.x[2][l] = s.use_fixed_sp ? s.fixed_sp
                 : s.stack_size ? s.stack_top_base + (t + 1) * s.stack_size
                                : 0;
    }
    w.dirty_x |= (1u << 2) | (1u << 10);
  }

  // Which warps have finished (kept in the runner: no allocation per block).
  done_.assign(nwarps, 0);
  uint8_t* done = done_.data();
  unsigned remaining = nwarps;
  while (remaining) {
    if (ctx.stop_requested()) {
      out.stopped = true;
      return out.ok = false, out;
    }
    bool progress = false;
    for (unsigned wi = 0; wi < nwarps; ++wi) {
      if (done[wi]) continue;
      Warp& w = warp(wi);
      if (!(w.live & ~w.at_barrier)) continue;  // waiting for the release
      uint64_t budget = kWarpSlice;
      if (s.max_instructions) {
        const uint64_t used = out.warp_instructions;
        if (used >= s.max_instructions) {
          const unsigned l = first_lane(w.live);
          ctx.fault.cause = T1_FAULT_WATCHDOG;
          ctx.fault.pc = ctx.fault.address = w.pc[l];
          ctx.fault.block = ctx.block_idx;
          ctx.fault.thread = Dim3{w.tid[0][l], w.tid[1][l], w.tid[2][l]};
          ctx.fault.warp = wi;
          ctx.fault.lane = l;
          return out.ok = false, out;
        }
        budget = std::min(budget, s.max_instructions - used);
      }
      const uint64_t before = w.retired, lanes_before = w.lane_retired;
      const WarpStop st = run_warp(ctx, w, budget);
      out.warp_instructions += w.retired - before;
      out.thread_instructions += w.lane_retired - lanes_before;
      if (w.retired != before) progress = true;
      switch (st) {
        case WarpStop::Fault: return out.ok = false, out;
        case WarpStop::Stopped: out.stopped = true; return out.ok = false, out;
        case WarpStop::Exited:
          if (ctx.hooks.exited) return out;
          done[wi] = 1;
          --remaining;
          progress = true;
          break;
        case WarpStop::Budget:
        case WarpStop::Blocked:
          break;
      }
    }
    // Release the barrier once every live thread of the block waits at it.
    uint32_t live_threads = 0, waiting = 0;
    for (unsigned wi = 0; wi < nwarps; ++wi) {
      live_threads += lane_count(warp(wi).live);
      waiting += lane_count(warp(wi).at_barrier);
    }
    if (waiting && waiting == live_threads) {
      const BarrierState& b = ctx.barrier;
      const uint64_t value = b.variant == T1_BAR_POPC  ? b.popc
                           : b.variant == T1_BAR_AND ? uint64_t{b.all}
                           : b.variant == T1_BAR_OR  ? uint64_t{b.any}
                                                     : 0;
      for (unsigned wi = 0; wi < nwarps; ++wi) {
        Warp& w = warp(wi);
        if (w.bar_rd) {
          for (LaneMask m = w.at_barrier; m; m &= m - 1) w.x[w.bar_rd][first_lane(m)] = value;
          w.dirty_x |= 1u << w.bar_rd;
        }
        w.at_barrier = 0;
      }
      ctx.barrier.reset();
      progress = true;
    }
    if (remaining && !progress) {
      // Every warp waits for threads that can never arrive (a barrier or
      // warp-sync some threads never reach): report it instead of hanging.
      for (unsigned wi = 0; wi < nwarps; ++wi) {
        Warp& w = warp(wi);
        const LaneMask stuck = w.at_sync ? w.at_sync : w.at_barrier;
        if (!stuck) continue;
        const unsigned l = first_lane(stuck);
        FaultInfo& f = ctx.fault;
        f.cause = T1_FAULT_BARRIER;
        f.pc = w.pc[l];
        f.address = w.pc[l];
        f.block = ctx.block_idx;
        f.thread = Dim3{w.tid[0][l], w.tid[1][l], w.tid[2][l]};
        f.tile = ctx.tile;
        f.warp = wi;
        f.lane = l;
        break;
      }
      return out.ok = false, out;
    }
  }
  return out;
}

}  // namespace tessera::emu
