// SPDX-License-Identifier: Apache-2.0
// Predecoded instructions, one page at a time: every instruction is decoded
// once per dispatch and then served to every warp that executes it.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "address_space.hpp"
#include "isa/decoded_insn.hpp"

namespace tessera::emu {

// One 4 KiB code page decoded at every halfword (instruction boundaries are
// not known in advance; decoding a non-boundary is harmless and never used).
struct DecodedPage {
  static constexpr unsigned kSlots = kPageSize / 2;
  DecodedInsn slot[kSlots];
  // For a slot that backward branches on this page jump to (a loop head):
  // 1 + the page offset of the furthest such branch (the loop's end), else 0.
  // Only a scheduling hint (see Runner::yield_to_loop_body).
  uint16_t loop_end[kSlots];
  // Slot kSlots-1 may start a 32-bit instruction that continues on the next
  // page; such a slot is decoded at fetch time instead (see CodeCache::fetch).
  bool last_straddles = false;
  // That instruction, decoded on first execution (it needs the next page).
  mutable std::atomic<bool> straddle_ready{false};
  mutable DecodedInsn straddle;
};

// Decoded pages kept from one dispatch to the next, so that launching the
// same kernel again does not decode its code again (decoding a page costs
// far more than a short kernel runs). An entry is reused only when the page
// still holds the same bytes at the same virtual address, so it is correct
// whatever changed in between (page tables, a module loaded at the same
// address, another context). Thread-safe; bounded.
class DecodedPageStore {
 public:
  // The pristine decode of `vpage` if its bytes still equal `host`'s.
  std::shared_ptr<const DecodedPage> find(uint64_t vpage, const uint8_t* host);
  void put(uint64_t vpage, const uint8_t* host, std::shared_ptr<const DecodedPage> page);

 private:
  static constexpr size_t kMaxPages = 1024;
  struct Entry {
    std::unique_ptr<uint8_t[]> bytes;
    std::shared_ptr<const DecodedPage> page;
  };
  std::mutex mutex_;
  std::unordered_map<uint64_t, Entry> pages_;
};

// Shared by all host threads running one dispatch (or one bare program).
// The code is snapshotted on first use: like a GPU's instruction cache it is
// not coherent with stores made while the dispatch runs (RISC-V requires
// fence.i for that, which flushes this cache).
class CodeCache {
 public:
  // `store` (may be null) keeps decoded pages across dispatches.
  explicit CodeCache(AddressSpace& mem, DecodedPageStore* store = nullptr) : mem_(mem), store_(store) {}

  // Returns the decoded page containing `pc`, decoding it on first use, or
  // nullptr with `cause` set when the page cannot be fetched from.
  const DecodedPage* page(uint64_t pc, uint32_t& cause);

  // The 32-bit instruction that starts on the last halfword of `page` (at
  // `pc`) and ends on the next page; decoded once, then served from `page`.
  const DecodedInsn* fetch_straddling(const DecodedPage& page, uint64_t pc, uint32_t& cause,
                                      uint64_t& fault_addr);

  void flush();

 private:
  AddressSpace& mem_;
  DecodedPageStore* store_;
  std::mutex mutex_;
  // Pages may be shared with the store and other dispatches, so with a
  // store the instruction straddling into the next page (which depends on
  // that page) is kept here, per dispatch, by its pc (node addresses are
  // stable).
  std::unordered_map<uint64_t, std::shared_ptr<const DecodedPage>> pages_;
  std::unordered_map<uint64_t, DecodedInsn> straddles_;
  std::vector<std::unordered_map<uint64_t, DecodedInsn>> retired_straddles_;
  std::vector<std::shared_ptr<const DecodedPage>> retired_;
};

}  // namespace tessera::emu
