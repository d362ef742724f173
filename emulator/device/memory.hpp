// SPDX-License-Identifier: Apache-2.0
// Device memory and host windows: the two halves of the T1 physical
// address space (t1_mmu.h).
#pragma once

#include <cstdint>
#include <map>
#include <shared_mutex>

namespace tessera::emu {

// Device memory: a memfd mapped MAP_SHARED | MAP_NORESERVE. Pages are
// allocated by the kernel on first touch, so a 96 GiB device costs nothing
// until used, and the fd can be handed to another process (QEMU).
class DeviceMemory {
 public:
  explicit DeviceMemory(uint64_t size);  // throws std::system_error
  ~DeviceMemory();
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;

  uint8_t* base() const { return base_; }
  uint64_t size() const { return size_; }
  int fd() const { return fd_; }
  // Zeroes the range; whole pages are released to the host.
  void scrub(uint64_t offset, uint64_t length);

 private:
  int fd_ = -1;
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
};

// Host buffers registered in the host aperture. Windows are placed at
// increasing physical addresses and never reused, so a stale page-table entry
// into an unmapped window faults instead of reaching a newer buffer.
class HostWindows {
 public:
  uint64_t map(void* host, uint64_t size);  // throws std::invalid_argument
  void unmap(uint64_t phys);                // throws std::invalid_argument
  // Host address of physical address `pa` (in the aperture), or nullptr.
  // `left`, when given, receives the bytes from pa to the window's end.
  uint8_t* lookup(uint64_t pa, uint64_t* left = nullptr) const;

 private:
  struct Window {
    uint8_t* host;
    uint64_t size;
  };
  mutable std::shared_mutex mu_;
  std::map<uint64_t, Window> windows_;  // by physical base
  uint64_t next_ = 0;                   // offset of the next window in the aperture
};

}  // namespace tessera::emu
