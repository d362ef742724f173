// SPDX-License-Identifier: Apache-2.0
// The view of memory that a running thread has. The SIMT core asks an
// AddressSpace to resolve 4 KiB pages and caches the answers in per-warp
// TLBs; the device MMU (Sv48 page tables) and the flat space of bare
// `tessera-emu run` programs both implement it.
#pragma once

#include <cstdint>

#include <tessera/hw/t1_fault.h>

namespace tessera::emu {

inline constexpr uint64_t kPageShift = 12;
inline constexpr uint64_t kPageSize = uint64_t{1} << kPageShift;
inline constexpr uint64_t kPageMask = kPageSize - 1;

// What one 4 KiB page of virtual memory resolves to.
struct PageRef {
  uint8_t* host = nullptr;  // host address of the first byte of the page
  uint8_t perms = 0;        // T1_ACCESS_* bits the page allows
};

class AddressSpace {
 public:
  virtual ~AddressSpace() = default;
  // Resolves the page containing `va` for an access of kind `access`
  // (T1_ACCESS_* bits). On failure returns false and sets `cause` to a
  // T1_FAULT_* code. Must be safe to call from several host threads.
  virtual bool resolve(uint64_t va, uint8_t access, PageRef& out, uint32_t& cause) = 0;
};

}  // namespace tessera::emu
