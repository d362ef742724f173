// SPDX-License-Identifier: Apache-2.0
// What a warp needs from its surroundings while it executes: memory (with a
// software TLB in front of the AddressSpace), the block's scratchpad, the
// decoded code, the launch's identity CSRs, and where to report a fault.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>
#include <functional>

#include "address_space.hpp"
#include "code_cache.hpp"
#include "engine.hpp"
#include "warp.hpp"

namespace tessera::emu {

// Direct-mapped cache of resolved pages. An entry answers only accesses its
// permissions allow; anything else goes back to the AddressSpace.
class Tlb {
 public:
  static constexpr unsigned kEntries = 256;

  // Host pointer for [va, va+size) within one page, or nullptr (cause set).
  // always_inline: the interpreter is compiled for several x86-64 levels and
  // must not share an out-of-line copy of this with other code.
  [[gnu::always_inline]] uint8_t* lookup(AddressSpace& mem, uint64_t va, uint8_t access, uint32_t& cause) {
    const uint64_t vpage = va >> kPageShift;
    Entry& e = entries_[vpage % kEntries];
    if (e.tag == vpage && e.epoch == epoch_ && (e.perms & access) == access) [[likely]]
      return e.host + (va & kPageMask);
    PageRef ref;
    if (!mem.resolve(va, access, ref, cause)) return nullptr;
    e.tag = vpage;
    e.epoch = epoch_;
    e.host = ref.host;
    e.perms = ref.perms;
    return ref.host + (va & kPageMask);
  }

  // Drops every entry in O(1) (a new epoch), so a TLB can be reused from
  // one dispatch to the next without clearing its entries.
  void flush() {
    if (++epoch_ == 0) {
      for (Entry& e : entries_) e = Entry{};
      epoch_ = 1;
    }
  }

 private:
  struct Entry {
    uint64_t tag = ~uint64_t{0};
    uint8_t* host = nullptr;
    uint8_t perms = 0;
    uint32_t epoch = 0;
  };
  Entry entries_[kEntries];
  uint32_t epoch_ = 1;
};

// Callbacks for bare programs (ecall) and tracing; null in dispatches.
struct ExecHooks {
  BareHost* host = nullptr;
  const std::function<void(const TraceRecord&)>* trace = nullptr;
  bool exited = false;
  int exit_code = 0;
};

// Arrivals at the block barrier (T_BAR) since its last release.
struct BarrierState {
  uint32_t arrived = 0;
  uint32_t popc = 0;
  bool all = true;
  bool any = false;
  uint8_t variant = 0;
  void reset() { *this = BarrierState{}; }
};

// Everything of an ExecContext but its TLB (which is kept from one
// dispatch to the next and flushed instead of rebuilt).
struct ExecState {
  AddressSpace* mem = nullptr;
  CodeCache* code = nullptr;
  // The last two code pages this host thread fetched from (loops may cross
  // a page boundary): most fetches skip the shared cache and its lock.
  const DecodedPage* page = nullptr;
  const DecodedPage* other_page = nullptr;
  uint64_t page_vpn = ~uint64_t{0}, other_vpn = ~uint64_t{0};

  uint8_t* scratch = nullptr;  // the tile's scratchpad
  uint32_t shared_bytes = 0;   // the block's allocation in it

  // Identity CSRs shared by the block.
  Dim3 block_dim, grid_dim, block_idx;
  uint32_t nwarps = 1;
  uint32_t tile = 0;
  uint32_t device_id = 0;
  uint64_t dynshared = 0;
  const std::function<uint64_t()>* clock = nullptr;  // the `time` CSR

  ExecHooks hooks;
  BarrierState barrier;

  // First fault of this context; `fault.cause != T1_FAULT_NONE` stops it.
  FaultInfo fault;
  // Raised by another block's fault (stop) or by the dispatch's owner
  // (cancel: reset, queue disable, watchdog); either ends the block promptly.
  const std::atomic<bool>* stop = nullptr;
  const std::atomic<bool>* cancel = nullptr;
};

struct ExecContext : ExecState {
  Tlb tlb;

  // Back to a fresh context for a new dispatch, without touching the TLB's
  // entries (a 6 KiB clear per dispatch is a large share of a short one).
  void reset_for_dispatch() {
    static_cast<ExecState&>(*this) = ExecState{};
    tlb.flush();
  }

  bool faulted() const { return fault.cause != T1_FAULT_NONE; }
  bool stop_requested() const {
    return (stop && stop->load(std::memory_order_relaxed)) ||
           (cancel && cancel->load(std::memory_order_relaxed));
  }

  // Host pointer for a data access of `size` bytes that stays in one page
  // (callers split page-crossing accesses). Handles the shared aperture.
  [[gnu::always_inline]] uint8_t* data_ptr(uint64_t va, unsigned size, uint8_t access, uint32_t& cause) {
    const uint64_t off = va - T1_SHARED_APERTURE_BASE;
    if (off < T1_SHARED_APERTURE_SIZE) [[unlikely]] {
      if (off + size > shared_bytes) {
        cause = T1_FAULT_SHARED_BOUNDS;
        return nullptr;
      }
      return scratch + off;
    }
    return tlb.lookup(*mem, va, access, cause);
  }
};

}  // namespace tessera::emu
