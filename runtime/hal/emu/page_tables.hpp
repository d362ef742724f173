// SPDX-License-Identifier: Apache-2.0
// Writes one context's Sv48-format page tables (tessera/hw/t1_mmu.h) into
// device memory through the host's view of it, as a kernel driver would.
// Table pages come from a pool of 2 MiB chunks taken from the device-memory
// allocator. Not thread-safe: the owner serializes calls.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace tessera::rt::hal {

class PageTables {
 public:
  // `mem` is the host view of device-physical address 0. `grab_chunk`
  // returns a 2 MiB-aligned physical chunk of 2 MiB, or nullopt.
  PageTables(uint8_t* mem, std::function<std::optional<uint64_t>()> grab_chunk)
      : mem_(mem), grab_chunk_(std::move(grab_chunk)) {}

  // Physical address of the root table (allocated on first use).
  std::optional<uint64_t> root();
  // Maps [va, va+size) to [pa, pa+size) with PTE flags `flags` (R/W/X),
  // using 2 MiB leaves where va, pa and the remaining size allow. Both
  // addresses and size are 4 KiB multiples. False when out of table memory.
  bool map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags);
  // Clears the leaves covering [va, va+size) (as mapped by map()).
  void unmap(uint64_t va, uint64_t size);
  // Sets new R/W/X flags on mapped 4 KiB pages; a 2 MiB leaf in the range
  // is first split into 4 KiB leaves. False when out of table memory.
  bool protect(uint64_t va, uint64_t size, uint64_t flags);
  // Forgets every table (the memory is reclaimed by the owner).
  void clear();

 private:
  uint64_t* entry(uint64_t table_pa, unsigned index) {
    return reinterpret_cast<uint64_t*>(mem_ + table_pa) + index;
  }
  std::optional<uint64_t> new_table();
  // The table at `level` covering va, creating tables above it; nullopt
  // when out of memory. `split` turns a 2 MiB leaf on the way into a table.
  std::optional<uint64_t> table_for(uint64_t va, int level, bool split);

  uint8_t* mem_;
  std::function<std::optional<uint64_t>()> grab_chunk_;
  std::optional<uint64_t> root_;
  std::vector<uint64_t> free_tables_;
};

}  // namespace tessera::rt::hal
