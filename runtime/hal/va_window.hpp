// SPDX-License-Identifier: Apache-2.0
// The host address range a backend reserves for device allocations
// (unified addressing: a device VA is also the host address of the same
// bytes). It must avoid the scratchpad aperture, which the device never
// translates, and stay inside the VAs the device accepts.
#pragma once

#include <cstdint>
#include <cstddef>

namespace tessera::rt::hal {

struct VaWindow {
  void* reservation = nullptr;  // what to munmap
  size_t reservation_size = 0;
  uint64_t base = 0;            // 2 MiB aligned, `size` bytes usable
};

// Reserves (PROT_NONE, no memory) `size` bytes in [lo, hi) outside the
// shared aperture. Returns false when no such range could be found.
bool reserve_va_window(uint64_t size, uint64_t lo, uint64_t hi, VaWindow& out);

}  // namespace tessera::rt::hal
