// SPDX-License-Identifier: Apache-2.0
// Runs one thread block on one tile: places its threads into warps, round-
// robins the warps, and implements the block barrier.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine.hpp"
#include "exec_context.hpp"
#include "warp.hpp"

namespace tessera::emu {

struct BlockSetup {
  Dim3 block_dim, grid_dim, block_idx;
  uint64_t entry = 0;
  uint64_t a0 = 0;                // kernarg address
  uint64_t stack_top_base = 0;    // sp of thread i = stack_top_base + (i+1)*stack_size
  uint32_t stack_size = 0;
  uint64_t fixed_sp = 0;          // bare programs: the one thread's sp
  bool use_fixed_sp = false;
  uint64_t max_instructions = 0;  // 0 = unlimited (bare programs)
};

struct BlockOutcome {
  bool ok = true;                 // false: ctx.fault is set, or stopped
  bool stopped = false;
  uint64_t thread_instructions = 0;
  uint64_t warp_instructions = 0;
};

// Reusable storage for the warps of one block (kept per host thread, since
// a warp's register file is ~17 KiB).
class BlockRunner {
 public:
  BlockOutcome run(ExecContext& ctx, const BlockSetup& setup);

 private:
  struct WarpDeleter {
    void operator()(Warp* w) const;
  };
  std::vector<std::unique_ptr<Warp, WarpDeleter>> warps_;
  std::vector<uint8_t> done_;
  Warp& warp(unsigned i);
};

}  // namespace tessera::emu
