// SPDX-License-Identifier: Apache-2.0
// lld, in process: kernel objects plus the device libraries to a code object.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tessera::compiler {

// Links relocatable RISC-V objects into a code object: a position-
// independent shared object exporting the kernels (see docs/tessc.md).
// Returns false with lld's messages in `log` on failure.
bool link_code_object(const std::vector<std::vector<uint8_t>>& objects, std::vector<uint8_t>& out,
                      std::string& log);

}  // namespace tessera::compiler
