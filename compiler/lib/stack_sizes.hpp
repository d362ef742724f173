// SPDX-License-Identifier: Apache-2.0
// Per-thread stack size of each kernel: the back end's frame size of every
// function (its .stack_sizes section) summed along the deepest call path.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace llvm {
class Function;
}

namespace tessera::compiler {

// Frame size of every function in a relocatable object, by symbol name.
std::map<std::string, uint64_t> read_frame_sizes(const std::vector<uint8_t>& object);

// Bytes of stack one thread of the kernel starting at `entry` needs, or
// T1_STACK_UNKNOWN (indirect calls, dynamic allocas). Recursion sets
// T1_KERNEL_FLAG_RECURSION in `flags` and the result is a lower bound.
// Calls into the precompiled libraries (libm, libc, libgcc) add a fixed
// allowance, kLibraryStackAllowance.
uint32_t kernel_stack_bytes(llvm::Function& entry, const std::map<std::string, uint64_t>& frames,
                            uint32_t& flags);

inline constexpr uint32_t kLibraryStackAllowance = 1024;

}  // namespace tessera::compiler
