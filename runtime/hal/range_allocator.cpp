// SPDX-License-Identifier: Apache-2.0
#include "hal/range_allocator.hpp"

#include <iterator>
#include <stdexcept>

namespace tessera::rt::hal {

void RangeAllocator::reset(uint64_t base, uint64_t size) {
  free_.clear();
  free_bytes_ = size;
  if (size) free_[base] = size;
}

std::optional<uint64_t> RangeAllocator::alloc(uint64_t size, uint64_t align) {
  if (size == 0 || align == 0 || (align & (align - 1))) return std::nullopt;
  for (auto it = free_.begin(); it != free_.end(); ++it) {
    const uint64_t start = it->first, len = it->second;
    const uint64_t aligned = (start + align - 1) & ~(align - 1);
    if (aligned < start || aligned - start > len || len - (aligned - start) < size) continue;
    const uint64_t tail = len - (aligned - start) - size;
    free_.erase(it);
    if (aligned > start) free_[start] = aligned - start;
    if (tail) free_[aligned + size] = tail;
    free_bytes_ -= size;
    return aligned;
  }
  return std::nullopt;
}

void RangeAllocator::free(uint64_t offset, uint64_t size) {
  if (size == 0) return;
  auto next = free_.lower_bound(offset);
  if (next != free_.end() && next->first < offset + size)
    throw std::logic_error("RangeAllocator: range freed twice");
  if (next != free_.begin()) {
    auto prev = std::prev(next);
    if (prev->first + prev->second > offset) throw std::logic_error("RangeAllocator: range freed twice");
    if (prev->first + prev->second == offset) {
      prev->second += size;
      if (next != free_.end() && prev->first + prev->second == next->first) {
        prev->second += next->second;
        free_.erase(next);
      }
      free_bytes_ += size;
      return;
    }
  }
  uint64_t len = size;
  if (next != free_.end() && offset + size == next->first) {
    len += next->second;
    free_.erase(next);
  }
  free_[offset] = len;
  free_bytes_ += size;
}

}  // namespace tessera::rt::hal
