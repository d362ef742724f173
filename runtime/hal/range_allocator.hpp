// SPDX-License-Identifier: Apache-2.0
// A range allocator: hands out aligned sub-ranges of [base, base + size).
// Address-ordered first fit with coalescing on free; O(free ranges) per
// call, which is plenty for device-memory allocations. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

namespace tessera::rt::hal {

class RangeAllocator {
 public:
  RangeAllocator() = default;
  RangeAllocator(uint64_t base, uint64_t size) { reset(base, size); }

  void reset(uint64_t base, uint64_t size);
  // `align` is a power of two. nullopt when no free range fits.
  std::optional<uint64_t> alloc(uint64_t size, uint64_t align);
  // Returns a range handed out by alloc (same offset and size).
  void free(uint64_t offset, uint64_t size);
  uint64_t free_bytes() const { return free_bytes_; }

 private:
  std::map<uint64_t, uint64_t> free_;  // offset -> size, never adjacent
  uint64_t free_bytes_ = 0;
};

}  // namespace tessera::rt::hal
