// SPDX-License-Identifier: Apache-2.0
// Device memory and host windows: the two halves of the T1 physical
// address space (t1_mmu.h).
#pragma once

#include <cstdint>
#include <map>
#include <shared_mutex>

namespace tessera::emu {

// The chip's shared memory: one memfd laid out as the BAR2 of QEMU's
// ivshmem device (tessera/hw/t1_ivshmem.h) — the register page at offset 0,
// the transport block at T1_IVSHMEM_TRANSPORT_OFFSET, device memory at
// T1_IVSHMEM_MEM_OFFSET. In process the layout costs nothing; served to
// QEMU the same fd is the guest's BAR2. The file is sized to a power of two
// (QEMU's BAR rule) and every part is mapped MAP_SHARED | MAP_NORESERVE:
// pages are allocated on first touch, so a 96 GiB device costs nothing
// until used.
class DeviceMemory {
 public:
  explicit DeviceMemory(uint64_t size);  // throws std::system_error
  ~DeviceMemory();
  DeviceMemory(const DeviceMemory&) = delete;
  DeviceMemory& operator=(const DeviceMemory&) = delete;

  // Device memory: physical address p is base()[p].
  uint8_t* base() const { return base_; }
  uint64_t size() const { return size_; }
  int fd() const { return fd_; }
  uint64_t file_size() const { return file_size_; }
  // The first T1_IVSHMEM_MEM_OFFSET bytes of the file: the register page
  // at 0, the transport block at T1_IVSHMEM_TRANSPORT_OFFSET.
  uint8_t* control() const { return control_; }
  // Zeroes the range; whole pages are released to the host.
  void scrub(uint64_t offset, uint64_t length);

 private:
  int fd_ = -1;
  uint8_t* control_ = nullptr;
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t file_size_ = 0;
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
