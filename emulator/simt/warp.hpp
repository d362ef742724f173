// SPDX-License-Identifier: Apache-2.0
// Architectural state of one warp: 32 RISC-V harts kept as structure-of-
// arrays (register r of every lane is contiguous), so that one decoded
// instruction runs as a loop over lanes the host compiler can vectorize.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

#include <tessera/hw/t1_isa.h>

namespace tessera::emu {

inline constexpr unsigned kLanes = T1_WARP_SIZE;
using LaneMask = uint32_t;
inline constexpr LaneMask kFullMask = 0xFFFFFFFFu;

struct alignas(64) Warp {
  uint64_t x[32][kLanes];  // x[reg][lane]; x[0] stays zero
  uint64_t f[32][kLanes];  // FP registers as raw bits (singles NaN-boxed)
  uint64_t pc[kLanes];     // per-lane PC; valid for lanes outside the running group
  // All-ones for lanes of the running group, zero elsewhere: lets masked
  // lane loops blend with bitwise operations instead of branches.
  uint64_t blend[kLanes];
  uint64_t reserve_addr[kLanes];  // LR/SC reservation
  uint64_t reserve_value[kLanes];
  uint8_t fflags[kLanes];
  uint8_t frm[kLanes];

  LaneMask live = 0;           // lanes that exist and have not exited
  LaneMask at_barrier = 0;     // lanes waiting at the block barrier
  LaneMask at_sync = 0;        // lanes waiting for a warp-sync partner set
  LaneMask reserved = 0;       // lanes holding an LR reservation
  uint8_t bar_rd = 0;          // destination of the pending T_BAR variant
  // frm of every lane when they all agree, else kFrmMixed: lets FP
  // instructions with the dynamic rounding mode skip a per-lane check.
  uint8_t frm_uniform = 0;

  // Identity of the warp's lanes.
  uint32_t warp_id = 0;
  uint32_t tid[3][kLanes];     // threadIdx per lane
  uint32_t linear_tid[kLanes]; // linear thread index in the block

  // Registers written since the last reset (bit r: x[r] / f[r]); reset
  // clears only those. A new Warp starts zeroed, hence all clean.
  uint32_t dirty_x = 0, dirty_f = 0;

  uint64_t retired = 0;        // warp instructions executed
  uint64_t lane_retired = 0;   // thread instructions executed
};

inline constexpr uint8_t kFrmMixed = 0xFF;

inline void update_frm_uniform(Warp& w) {
  w.frm_uniform = w.frm[0];
  for (unsigned l = 1; l < kLanes; ++l)
    if (w.frm[l] != w.frm[0]) w.frm_uniform = kFrmMixed;
}

inline unsigned lane_count(LaneMask m) { return static_cast<unsigned>(std::popcount(m)); }
inline unsigned first_lane(LaneMask m) { return static_cast<unsigned>(std::countr_zero(m)); }

}  // namespace tessera::emu
