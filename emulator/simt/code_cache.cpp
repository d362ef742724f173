// SPDX-License-Identifier: Apache-2.0
#include "code_cache.hpp"

#include <cstring>

#include "isa/decode.hpp"
#include "isa/op.hpp"

namespace tessera::emu {

namespace {

DecodedInsn decode_at(const uint8_t* p) {
  uint16_t lo;
  std::memcpy(&lo, p, 2);
  if ((lo & 3) != 3) return decode_compressed(lo);
  uint32_t word;
  std::memcpy(&word, p, 4);
  return decode(word);
}

void mark_loop_heads(DecodedPage& page) {
  std::memset(page.loop_end, 0, sizeof page.loop_end);
  for (unsigned i = 0; i < DecodedPage::kSlots; ++i) {
    const DecodedInsn& d = page.slot[i];
    const bool branch = d.op == Op::BEQ || d.op == Op::BNE || d.op == Op::BLT ||
                        d.op == Op::BGE || d.op == Op::BLTU || d.op == Op::BGEU || d.op == Op::JAL;
    if (!branch || d.imm >= 0) continue;
    const int64_t target = static_cast<int64_t>(i) * 2 + d.imm;
    if (target < 0) continue;  // the loop starts on another page
    uint16_t& end = page.loop_end[target / 2];
    const uint16_t here = static_cast<uint16_t>(i * 2 + 1);
    if (here > end) end = here;
  }
}

std::shared_ptr<DecodedPage> decode_page(const uint8_t* host) {
  auto page = std::make_shared<DecodedPage>();
  for (unsigned i = 0; i + 1 < DecodedPage::kSlots; ++i) page->slot[i] = decode_at(host + 2 * i);
  uint16_t last;
  std::memcpy(&last, host + kPageSize - 2, 2);
  if ((last & 3) != 3) {
    page->slot[DecodedPage::kSlots - 1] = decode_compressed(last);
  } else {
    page->last_straddles = true;
  }
  mark_loop_heads(*page);
  return page;
}

}  // namespace

std::shared_ptr<const DecodedPage> DecodedPageStore::find(uint64_t vpage, const uint8_t* host) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pages_.find(vpage);
  if (it == pages_.end() || std::memcmp(it->second.bytes.get(), host, kPageSize) != 0) return nullptr;
  return it->second.page;
}

void DecodedPageStore::put(uint64_t vpage, const uint8_t* host, std::shared_ptr<const DecodedPage> page) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (pages_.size() >= kMaxPages && !pages_.count(vpage)) pages_.clear();
  Entry& e = pages_[vpage];
  e.bytes = std::make_unique<uint8_t[]>(kPageSize);
  std::memcpy(e.bytes.get(), host, kPageSize);
  e.page = std::move(page);
}

const DecodedPage* CodeCache::page(uint64_t pc, uint32_t& cause) {
  const uint64_t vpage = pc >> kPageShift;
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pages_.find(vpage);
  if (it != pages_.end()) return it->second.get();
  PageRef ref;
  if (!mem_.resolve(pc & ~kPageMask, T1_ACCESS_EXEC, ref, cause)) return nullptr;
  std::shared_ptr<const DecodedPage> page;
  if (auto stored = store_ ? store_->find(vpage, ref.host) : nullptr) {
    page = std::move(stored);
  } else {
    std::shared_ptr<DecodedPage> fresh = decode_page(ref.host);
    if (store_) store_->put(vpage, ref.host, fresh);
    page = std::move(fresh);
  }
  const DecodedPage* result = page.get();
  pages_.emplace(vpage, std::move(page));
  return result;
}

const DecodedInsn* CodeCache::fetch_straddling(const DecodedPage& page, uint64_t pc,
                                               uint32_t& cause, uint64_t& fault_addr) {
  if (!store_ && page.straddle_ready.load(std::memory_order_acquire)) return &page.straddle;
  std::lock_guard<std::mutex> lock(mutex_);
  if (store_) {
    auto it = straddles_.find(pc);
    if (it != straddles_.end()) return &it->second;
  }
  if (store_ || !page.straddle_ready.load(std::memory_order_relaxed)) {
    PageRef a, b;
    fault_addr = pc;
    if (!mem_.resolve(pc, T1_ACCESS_EXEC, a, cause)) return nullptr;
    fault_addr = pc + 2;
    if (!mem_.resolve(pc + 2, T1_ACCESS_EXEC, b, cause)) return nullptr;
    uint16_t lo, hi;
    std::memcpy(&lo, a.host + (pc & kPageMask), 2);
    std::memcpy(&hi, b.host, 2);
    const DecodedInsn insn = decode(uint32_t{lo} | (uint32_t{hi} << 16));
    if (store_) return &straddles_.emplace(pc, insn).first->second;
    page.straddle = insn;
    page.straddle_ready.store(true, std::memory_order_release);
  }
  return &page.straddle;
}

void CodeCache::flush() {
  std::lock_guard<std::mutex> lock(mutex_);
  // Other warps may still execute from the old pages: keep them alive.
  for (auto& [vpage, page] : pages_) retired_.push_back(std::move(page));
  pages_.clear();
  retired_straddles_.push_back(std::move(straddles_));
  straddles_.clear();
}

}  // namespace tessera::emu
