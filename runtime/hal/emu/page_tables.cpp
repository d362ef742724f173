// SPDX-License-Identifier: Apache-2.0
#include "hal/emu/page_tables.hpp"

#include <atomic>
#include <cstring>

#include <tessera/hw/t1_mmu.h>

namespace tessera::rt::hal {
namespace {
// PTE stores are seen by device threads walking the tables concurrently.
void store_pte(uint64_t* p, uint64_t v) { std::atomic_ref<uint64_t>(*p).store(v, std::memory_order_release); }
constexpr uint64_t kPermMask = T1_PTE_R | T1_PTE_W | T1_PTE_X;
}  // namespace

std::optional<uint64_t> PageTables::new_table() {
  if (free_tables_.empty()) {
    auto chunk = grab_chunk_();
    if (!chunk) return std::nullopt;
    for (uint64_t off = T1_HUGE_PAGE_SIZE; off > 0; off -= T1_PAGE_SIZE)
      free_tables_.push_back(*chunk + off - T1_PAGE_SIZE);
  }
  const uint64_t pa = free_tables_.back();
  free_tables_.pop_back();
  std::memset(mem_ + pa, 0, T1_PAGE_SIZE);
  return pa;
}

std::optional<uint64_t> PageTables::root() {
  if (!root_) root_ = new_table();
  return root_;
}

void PageTables::clear() {
  root_.reset();
  free_tables_.clear();
}

std::optional<uint64_t> PageTables::table_for(uint64_t va, int level, bool split) {
  auto table = root();
  if (!table) return std::nullopt;
  for (int l = T1_PT_LEVELS - 1; l > level; --l) {
    uint64_t* e = entry(*table, T1_PT_INDEX(va, l));
    const uint64_t pte = *e;
    if (!(pte & T1_PTE_V)) {
      auto t = new_table();
      if (!t) return std::nullopt;
      store_pte(e, T1_PTE(*t, T1_PTE_V));
    } else if (pte & kPermMask) {
      // A 2 MiB leaf where a table is needed: only when splitting.
      if (!split || l != 1) return std::nullopt;
      auto t = new_table();
      if (!t) return std::nullopt;
      const uint64_t base = T1_PTE_ADDR(pte), flags = pte & (kPermMask | T1_PTE_V);
      for (unsigned i = 0; i < T1_PT_ENTRIES; ++i)
        *entry(*t, i) = T1_PTE(base + uint64_t{i} * T1_PAGE_SIZE, flags);
      store_pte(e, T1_PTE(*t, T1_PTE_V));
    }
    table = T1_PTE_ADDR(*e);
  }
  return table;
}

bool PageTables::map(uint64_t va, uint64_t pa, uint64_t size, uint64_t flags) {
  flags = (flags & kPermMask) | T1_PTE_V;
  uint64_t off = 0;
  while (off < size) {
    const uint64_t v = va + off, p = pa + off;
    const bool huge = (v % T1_HUGE_PAGE_SIZE) == 0 && (p % T1_HUGE_PAGE_SIZE) == 0 &&
                      size - off >= T1_HUGE_PAGE_SIZE;
    const int level = huge ? 1 : 0;
    auto table = table_for(v, level, false);
    if (!table) return false;
    store_pte(entry(*table, T1_PT_INDEX(v, level)), T1_PTE(p, flags));
    off += huge ? T1_HUGE_PAGE_SIZE : T1_PAGE_SIZE;
  }
  return true;
}

void PageTables::unmap(uint64_t va, uint64_t size) {
  if (!root_) return;
  uint64_t off = 0;
  while (off < size) {
    const uint64_t v = va + off;
    uint64_t table = *root_;
    int l = T1_PT_LEVELS - 1;
    uint64_t* e = nullptr;
    for (;; --l) {
      e = entry(table, T1_PT_INDEX(v, l));
      if (!(*e & T1_PTE_V) || (*e & kPermMask) || l == 0) break;
      table = T1_PTE_ADDR(*e);
    }
    const uint64_t span = l == 1 ? T1_HUGE_PAGE_SIZE : T1_PAGE_SIZE;
    if (*e & T1_PTE_V) store_pte(e, 0);
    // Table pages are kept: the VA window is reused by later allocations.
    off += span - (v % span);
  }
}

bool PageTables::protect(uint64_t va, uint64_t size, uint64_t flags) {
  flags = (flags & kPermMask) | T1_PTE_V;
  for (uint64_t off = 0; off < size; off += T1_PAGE_SIZE) {
    auto table = table_for(va + off, 0, true);
    if (!table) return false;
    uint64_t* e = entry(*table, T1_PT_INDEX(va + off, 0));
    if (*e & T1_PTE_V) store_pte(e, T1_PTE(T1_PTE_ADDR(*e), flags));
  }
  return true;
}

}  // namespace tessera::rt::hal
