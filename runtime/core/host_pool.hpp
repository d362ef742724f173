// SPDX-License-Identifier: Apache-2.0
// Small blocks of memory that the CPU and one device reach at the same
// address, for completion signals and kernel argument buffers. Blocks come
// in power-of-two size classes carved from 1 MiB chunks of
// hal::Device::alloc_host; a block returns to its class's free list when
// its last PoolBlock copy goes away. Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "hal/backend.hpp"

namespace tessera::rt {

class HostPool;

// A block: host pointer == device VA. Copies share ownership.
struct PoolBlock {
  uint8_t* host = nullptr;
  uint64_t va() const { return reinterpret_cast<uint64_t>(host); }
  std::shared_ptr<void> owner;  // returns the block when the last copy dies
  explicit operator bool() const { return host != nullptr; }
};

class HostPool : public std::enable_shared_from_this<HostPool> {
 public:
  static constexpr size_t kMinBlock = 32, kMaxBlock = 64 * 1024, kChunk = 1 << 20;
  static std::shared_ptr<HostPool> create(hal::Device& hw) { return std::shared_ptr<HostPool>(new HostPool(hw)); }
  ~HostPool();
  // A zeroed block of at least `bytes` (<= kMaxBlock), aligned to its size
  // class. Throws std::bad_alloc.
  PoolBlock get(size_t bytes);

 private:
  explicit HostPool(hal::Device& hw) : hw_(hw) {}
  void put(unsigned cls, uint8_t* p);
  hal::Device& hw_;
  std::mutex mu_;
  std::vector<uint8_t*> chunks_;
  std::vector<uint8_t*> free_[12];  // 32 B .. 64 KiB
  size_t chunk_used_ = kChunk;      // bytes used of chunks_.back()
};

}  // namespace tessera::rt
