// SPDX-License-Identifier: Apache-2.0
// The warp interpreter: runs one warp's lanes until they block, exit,
// fault or use up an instruction budget.
#pragma once

#include <cstdint>

#include "exec_context.hpp"
#include "warp.hpp"

namespace tessera::emu {

enum class WarpStop : uint8_t {
  Budget,   // budget used up; runnable lanes remain
  Blocked,  // every live lane waits at the block barrier
  Exited,   // no live lanes remain
  Fault,    // ctx.fault holds the fault
  Stopped,  // ctx.stop was raised
};

// Resets the warp's registers and places lanes `live` at `pc`.
void reset_warp(Warp& w, LaneMask live, uint64_t pc);

// Runs the warp with the interpreter build that suits the host CPU.
WarpStop run_warp(ExecContext& ctx, Warp& w, uint64_t budget);


}  // namespace tessera::emu
