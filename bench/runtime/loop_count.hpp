// SPDX-License-Identifier: Apache-2.0
// Counts a kernel's instructions in its T1 assembly (tessc -S): the
// instructions of its one loop (from the loop's label to the backward
// branch) and all others. For a kernel whose only loop runs N times and
// whose other instructions all run once, a thread executes
// outside + N * body instructions.
#pragma once

#include <string>

namespace tessera::bench {

struct LoopCount {
  bool ok = false;
  std::string error;
  unsigned body = 0;     // instructions in the loop, branch included
  unsigned outside = 0;  // the function's other instructions
};

LoopCount count_loop_instructions(const std::string& assembly, const std::string& function);

}  // namespace tessera::bench
