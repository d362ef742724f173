// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <span>

#include "core/runtime.hpp"

namespace tessera::rt {

// Validates a code object and places it in `d`'s memory with per-page
// permissions. Throws ApiError (invalid image, version, out of memory).
std::shared_ptr<ModuleImage> load_module(DeviceState& d, std::span<const uint8_t> bytes);

}  // namespace tessera::rt
