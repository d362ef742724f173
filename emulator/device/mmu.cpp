// SPDX-License-Identifier: Apache-2.0
#include "mmu.hpp"

#include <algorithm>

#include <tessera/hw/t1_mmu.h>
#include <tessera/hw/t1_regs.h>

namespace tessera::emu {

bool Mmu::phys_to_host(uint64_t pa, uint8_t*& host, uint32_t& cause) const {
  if (pa < mem_.size()) {
    host = mem_.base() + pa;
    return true;
  }
  if (pa - T1_HOST_APERTURE_BASE < T1_HOST_APERTURE_SIZE) {
    host = windows_.lookup(pa);
    if (host) return true;
  }
  cause = T1_FAULT_PHYS_RANGE;
  return false;
}

bool Mmu::read_phys64(uint64_t pa, uint64_t& value, uint32_t& cause) const {
  uint8_t* p;
  if ((pa & 7) || !phys_to_host(pa, p, cause)) {
    cause = T1_FAULT_PHYS_RANGE;
    return false;
  }
  // Acquire: a driver publishing a table with a release store is seen whole.
  value = aref<uint64_t>(p).load(std::memory_order_acquire);
  return true;
}

bool Mmu::translate(uint32_t ctx, uint64_t va, uint8_t access, PageRef& out,
                    uint32_t& cause) const {
  uint64_t table;
  int level;
  return walk(ctx, va, access, out, cause, table, level);
}

bool Mmu::walk(uint32_t ctx, uint64_t va, uint8_t access, PageRef& out, uint32_t& cause,
               uint64_t& leaf_table, int& leaf_level) const {
  // Canonical form: bits 63:47 all equal.
  const int64_t sva = static_cast<int64_t>(va);
  if ((sva << (64 - T1_VA_BITS)) >> (64 - T1_VA_BITS) != sva) {
    cause = T1_FAULT_UNMAPPED;
    return false;
  }
  if (ctx >= max_contexts_ || ctx >= regs_.load32(T1_REG_CTX_TABLE_ENTRIES)) {
    cause = T1_FAULT_UNMAPPED;
    return false;
  }
  uint64_t root;
  if (!read_phys64(regs_.load64(T1_REG_CTX_TABLE_BASE) + uint64_t{ctx} * T1_CTX_ENTRY_SIZE, root,
                   cause))
    return false;
  if (!(root & T1_CTX_VALID)) {
    cause = T1_FAULT_UNMAPPED;
    return false;
  }
  uint64_t table = root & T1_CTX_ROOT_MASK;
  for (int level = T1_PT_LEVELS - 1; level >= 0; --level) {
    uint64_t pte;
    if (!read_phys64(table + T1_PT_INDEX(va, level) * 8, pte, cause)) return false;
    if (!(pte & T1_PTE_V)) {
      cause = T1_FAULT_UNMAPPED;
      return false;
    }
    if ((pte & T1_PTE_RESERVED_MASK) || ((pte & T1_PTE_W) && !(pte & T1_PTE_R))) {
      cause = T1_FAULT_BAD_PAGE_TABLE;
      return false;
    }
    const uint64_t target = T1_PTE_ADDR(pte);
    const bool leaf = pte & (T1_PTE_R | T1_PTE_W | T1_PTE_X);
    if (!leaf) {
      if (level == 0) {
        cause = T1_FAULT_BAD_PAGE_TABLE;
        return false;
      }
      table = target;
      continue;
    }
    // Only 4 KiB (level 0) and 2 MiB (level 1, aligned) leaves exist.
    if (level > 1 || (level == 1 && (target & (T1_HUGE_PAGE_SIZE - 1)))) {
      cause = T1_FAULT_BAD_PAGE_TABLE;
      return false;
    }
    uint8_t perms = 0;
    if (pte & T1_PTE_R) perms |= T1_ACCESS_READ;
    if (pte & T1_PTE_W) perms |= T1_ACCESS_WRITE;
    if (pte & T1_PTE_X) perms |= T1_ACCESS_EXEC;
    if ((access & perms) != access) {
      cause = T1_FAULT_PERMISSION;
      return false;
    }
    const uint64_t page_off = level == 1 ? (va & (T1_HUGE_PAGE_SIZE - 1) & ~(T1_PAGE_SIZE - 1)) : 0;
    if (!phys_to_host(target + page_off, out.host, cause)) return false;
    out.perms = perms;
    leaf_table = table;
    leaf_level = level;
    return true;
  }
  cause = T1_FAULT_BAD_PAGE_TABLE;  // unreachable: level 0 always ends the walk
  return false;
}

bool Mmu::translate_run(uint32_t ctx, uint64_t va, uint8_t access, uint64_t want, uint8_t*& host,
                        uint64_t& n, uint32_t& cause) const {
  PageRef ref;
  uint64_t table;
  int level;
  if (!walk(ctx, va, access, ref, cause, table, level)) return false;
  host = ref.host + (va & kPageMask);
  const uint64_t leaf_size = level == 1 ? T1_HUGE_PAGE_SIZE : kPageSize;
  n = std::min(want, leaf_size - (va & (leaf_size - 1)));
  // Host contiguity of what the leaf maps: device memory is one block; a
  // host window is contiguous up to its end.
  const uint64_t leaf_pa = [&] {
    uint64_t pte;
    uint32_t c;
    read_phys64(table + T1_PT_INDEX(va, level) * 8, pte, c);
    return T1_PTE_ADDR(pte) + (va & (leaf_size - 1));
  }();
  auto contiguous_bytes = [&](uint64_t pa) -> uint64_t {
    if (pa < mem_.size()) return mem_.size() - pa;
    uint64_t left = 0;
    return windows_.lookup(pa, &left) ? left : 0;
  };
  n = std::min(n, contiguous_bytes(leaf_pa));
  // Following 4 KiB leaves of the same table, while physically contiguous,
  // allowing the access and inside the same memory block.
  if (level == 0) {
    uint64_t pa = leaf_pa - (va & kPageMask) + kPageSize;
    uint64_t block_left = contiguous_bytes(leaf_pa) - n;
    for (unsigned i = T1_PT_INDEX(va, 0) + 1; i < T1_PT_ENTRIES && n < want && block_left; ++i, pa += kPageSize) {
      uint64_t pte;
      uint32_t c;
      if (!read_phys64(table + i * 8, pte, c) || !(pte & T1_PTE_V) || (pte & T1_PTE_RESERVED_MASK) ||
          T1_PTE_ADDR(pte) != pa)
        break;
      uint8_t perms = 0;
      if (pte & T1_PTE_R) perms |= T1_ACCESS_READ;
      if ((pte & T1_PTE_W) && (pte & T1_PTE_R)) perms |= T1_ACCESS_WRITE;
      if (pte & T1_PTE_X) perms |= T1_ACCESS_EXEC;
      if ((access & perms) != access) break;
      const uint64_t step = std::min({want - n, kPageSize, block_left});
      n += step;
      block_left -= step;
    }
  }
  return true;
}

}  // namespace tessera::emu
