// SPDX-License-Identifier: Apache-2.0
#include "hal/va_window.hpp"

#include <sys/mman.h>

#include <tessera/hw/t1.h>

namespace tessera::rt::hal {
namespace {

bool fits(uint64_t base, uint64_t size, uint64_t lo, uint64_t hi) {
  const uint64_t end = base + size;
  if (base < lo || end > hi) return false;
  return end <= T1_SHARED_APERTURE_BASE || base >= T1_SHARED_APERTURE_BASE + T1_SHARED_APERTURE_SIZE;
}

}  // namespace

bool reserve_va_window(uint64_t size, uint64_t lo, uint64_t hi, VaWindow& out) {
  const size_t bytes = size + T1_HUGE_PAGE_SIZE;  // room to align the base
  // First wherever the kernel likes; the mmap area lies near the top of the
  // address space, as does the aperture, so then at hints from 1 TiB up
  // (a hint that is taken makes the kernel pick elsewhere: try the next).
  for (unsigned attempt = 0; attempt <= 64; ++attempt) {
    void* hint = attempt == 0 ? nullptr : reinterpret_cast<void*>(lo + (uint64_t{attempt} << 40));
    void* p = mmap(hint, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) continue;
    const uint64_t base = (reinterpret_cast<uint64_t>(p) + T1_HUGE_PAGE_SIZE - 1) & ~(T1_HUGE_PAGE_SIZE - 1);
    if (fits(base, size, lo, hi)) {
      out = {p, bytes, base};
      return true;
    }
    munmap(p, bytes);
  }
  return false;
}

}  // namespace tessera::rt::hal
