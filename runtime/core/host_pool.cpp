// SPDX-License-Identifier: Apache-2.0
#include "core/host_pool.hpp"

#include <bit>
#include <cstring>
#include <new>

namespace tessera::rt {

HostPool::~HostPool() {
  for (uint8_t* c : chunks_) hw_.free_host(c, kChunk);
}

PoolBlock HostPool::get(size_t bytes) {
  if (bytes > kMaxBlock) throw std::bad_alloc();
  const size_t size = std::bit_ceil(bytes < kMinBlock ? kMinBlock : bytes);
  const unsigned cls = static_cast<unsigned>(std::countr_zero(size) - std::countr_zero(kMinBlock));
  uint8_t* p = nullptr;
  {
    std::lock_guard lock(mu_);
    if (!free_[cls].empty()) {
      p = free_[cls].back();
      free_[cls].pop_back();
    } else {
      if (chunk_used_ + size > kChunk) {
        chunks_.push_back(hw_.alloc_host(kChunk));
        chunk_used_ = 0;
      }
      p = chunks_.back() + chunk_used_;  // sizes are powers of two: aligned
      chunk_used_ += size;
    }
  }
  std::memset(p, 0, size);
  PoolBlock b;
  b.host = p;
  auto self = shared_from_this();
  b.owner = std::shared_ptr<void>(p, [self, cls](void* q) { self->put(cls, static_cast<uint8_t*>(q)); });
  return b;
}

void HostPool::put(unsigned cls, uint8_t* p) {
  std::lock_guard lock(mu_);
  free_[cls].push_back(p);
}

}  // namespace tessera::rt
