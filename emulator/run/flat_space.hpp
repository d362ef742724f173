// SPDX-License-Identifier: Apache-2.0
// The flat address space of a bare `tessera-emu run` program: a few regions
// (the loaded image, the stack) each backed by one lazily committed host
// mapping, with R/W/X permissions per 4 KiB page. Everything outside the
// regions is unmapped and faults, like an unmapped page under Linux.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "simt/address_space.hpp"

namespace tessera::emu::run {

class FlatAddressSpace final : public AddressSpace {
 public:
  FlatAddressSpace() = default;
  ~FlatAddressSpace() override;
  FlatAddressSpace(const FlatAddressSpace&) = delete;
  FlatAddressSpace& operator=(const FlatAddressSpace&) = delete;

  // Reserves [base, base+size) (both page aligned) with no access allowed
  // yet. The host memory is mmap'ed with MAP_NORESERVE and reads as zero;
  // only pages that are touched cost memory. Throws std::runtime_error on
  // overlap with an existing region or when the host mapping fails.
  void add_region(uint64_t base, uint64_t size, const std::string& name);

  // ORs T1_ACCESS_* bits into the pages overlapping [va, va+size). The
  // range must lie inside a region.
  void allow(uint64_t va, uint64_t size, uint8_t perms);

  // Host pointer for [va, va+size) if it lies within one region, ignoring
  // permissions (the loader writes read-only pages); nullptr otherwise.
  uint8_t* host_range(uint64_t va, uint64_t size);

  // Checks that every page of [va, va+size) allows `access`. Used by host
  // services to validate guest buffers (an empty range is always valid).
  bool check(uint64_t va, uint64_t size, uint8_t access) const;

  bool resolve(uint64_t va, uint8_t access, PageRef& out, uint32_t& cause) override;

 private:
  struct Region {
    uint64_t base = 0, size = 0;
    uint8_t* host = nullptr;
    std::vector<uint8_t> perms;  // one T1_ACCESS_* set per page
    std::string name;
  };
  const Region* find(uint64_t va) const;
  Region* find(uint64_t va) {
    return const_cast<Region*>(static_cast<const FlatAddressSpace*>(this)->find(va));
  }
  // Few regions (image, stack): a linear scan beats anything cleverer, and
  // the SIMT core caches translations in its TLBs anyway.
  std::vector<Region> regions_;
};

}  // namespace tessera::emu::run
