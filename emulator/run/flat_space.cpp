// SPDX-License-Identifier: Apache-2.0
#include "flat_space.hpp"

#include <sys/mman.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tessera::emu::run {

FlatAddressSpace::~FlatAddressSpace() {
  for (Region& r : regions_) munmap(r.host, r.size);
}

void FlatAddressSpace::add_region(uint64_t base, uint64_t size, const std::string& name) {
  if ((base | size) & kPageMask || size == 0 || base + size < base)
    throw std::runtime_error("internal error: bad region for " + name);
  for (const Region& r : regions_)
    if (base < r.base + r.size && r.base < base + size)
      throw std::runtime_error(name + " overlaps " + r.name);
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED)
    throw std::runtime_error("cannot reserve " + std::to_string(size) + " bytes of host memory for " +
                             name + ": " + std::strerror(errno));
  Region r;
  r.base = base;
  r.size = size;
  r.host = static_cast<uint8_t*>(p);
  r.perms.assign(size >> kPageShift, 0);
  r.name = name;
  regions_.push_back(std::move(r));
}

const FlatAddressSpace::Region* FlatAddressSpace::find(uint64_t va) const {
  for (const Region& r : regions_)
    if (va - r.base < r.size) return &r;
  return nullptr;
}

void FlatAddressSpace::allow(uint64_t va, uint64_t size, uint8_t perms) {
  if (size == 0) return;
  Region* r = find(va);
  if (!r || va + size - r->base > r->size)
    throw std::runtime_error("internal error: permission range outside every region");
  const uint64_t first = (va - r->base) >> kPageShift;
  const uint64_t last = (va + size - 1 - r->base) >> kPageShift;
  for (uint64_t p = first; p <= last; ++p) r->perms[p] |= perms;
}

uint8_t* FlatAddressSpace::host_range(uint64_t va, uint64_t size) {
  Region* r = find(va);
  if (!r || size > r->size - (va - r->base)) return nullptr;
  return r->host + (va - r->base);
}

bool FlatAddressSpace::check(uint64_t va, uint64_t size, uint8_t access) const {
  if (size == 0) return true;
  if (va + size < va) return false;
  for (uint64_t page = va & ~kPageMask; page < va + size; page += kPageSize) {
    const Region* r = find(page);
    if (!r || (r->perms[(page - r->base) >> kPageShift] & access) != access) return false;
    if (page + kPageSize < page) break;  // top of the 64-bit space
  }
  return true;
}

bool FlatAddressSpace::resolve(uint64_t va, uint8_t access, PageRef& out, uint32_t& cause) {
  const Region* r = find(va);
  if (!r) {
    cause = T1_FAULT_UNMAPPED;
    return false;
  }
  const uint64_t page = (va - r->base) >> kPageShift;
  const uint8_t perms = r->perms[page];
  if (perms == 0) {
    // Reserved but never granted: a gap between segments, or the guard
    // page below the stack. To the program that is an unmapped page.
    cause = T1_FAULT_UNMAPPED;
    return false;
  }
  if ((perms & access) != access) {
    cause = T1_FAULT_PERMISSION;
    return false;
  }
  out.host = r->host + (page << kPageShift);
  out.perms = perms;
  return true;
}

}  // namespace tessera::emu::run
