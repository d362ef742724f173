// SPDX-License-Identifier: Apache-2.0
// A minimal driver for device tests: context table, page tables (identity
// VA = PA unless told otherwise), queue set-up, packet submission and signal
// waits. The runtime owns the real page-table management; this only does
// what the tests need.
#pragma once

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include <tessera/emu/device.hpp>

namespace tessera::emu::test {

inline DeviceConfig small_config() {
  DeviceConfig c;
  c.tiles = 2;
  c.threads_per_tile = 256;
  c.memory_bytes = 64ull << 20;
  c.host_threads = 1;
  return c;
}

class TestDriver {
 public:
  static constexpr uint64_t kCtxTable = 0x1000;
  static constexpr uint64_t kTablesBase = 0x10000;  // page tables from here up to 2 MiB
  static constexpr uint64_t kDataBase = 2ull << 20;

  explicit TestDriver(Device& dev, bool start = true) : dev_(dev) {
    if (start) {
      dev_.write32(T1_REG_DRV_VERSION, T1_HW_VERSION);
      REQUIRE((dev_.read32(T1_REG_HANDSHAKE) & T1_HANDSHAKE_ACK) != 0);
      dev_.write64(T1_REG_CTX_TABLE_BASE, kCtxTable);
      dev_.write32(T1_REG_CTX_TABLE_ENTRIES, 4);
      dev_.write32(T1_REG_CONTROL, T1_CONTROL_ENABLE);
    }
  }

  Device& dev() { return dev_; }
  uint8_t* mem(uint64_t pa) { return dev_.memory_base() + pa; }
  template <typename T>
  T* at(uint64_t pa) {
    return reinterpret_cast<T*>(mem(pa));
  }

  uint64_t alloc_table() {
    const uint64_t pa = next_table_;
    next_table_ += T1_PAGE_SIZE;
    REQUIRE(next_table_ <= kDataBase);
    std::memset(mem(pa), 0, T1_PAGE_SIZE);
    return pa;
  }
  // Device memory for data, 4 KiB aligned (or 2 MiB with huge).
  uint64_t alloc(uint64_t size, bool huge = false) {
    const uint64_t align = huge ? T1_HUGE_PAGE_SIZE : T1_PAGE_SIZE;
    next_data_ = (next_data_ + align - 1) & ~(align - 1);
    const uint64_t pa = next_data_;
    next_data_ += (size + T1_PAGE_SIZE - 1) & ~(T1_PAGE_SIZE - 1);
    REQUIRE(next_data_ <= dev_.memory_size());
    return pa;
  }

  uint64_t root(uint32_t ctx) {
    auto* e = at<t1_context_entry>(kCtxTable + ctx * T1_CTX_ENTRY_SIZE);
    if (!(e->root & T1_CTX_VALID)) e->root = alloc_table() | T1_CTX_VALID;
    return e->root & T1_CTX_ROOT_MASK;
  }
  // Writes one PTE at `level` for `va`, creating intermediate tables.
  void set_pte(uint32_t ctx, uint64_t va, int level, uint64_t pte) {
    uint64_t table = root(ctx);
    for (int l = T1_PT_LEVELS - 1; l > level; --l) {
      uint64_t* e = at<uint64_t>(table + T1_PT_INDEX(va, l) * 8);
      if (!(*e & T1_PTE_V)) *e = T1_PTE(alloc_table(), T1_PTE_V);
      table = T1_PTE_ADDR(*e);
    }
    *at<uint64_t>(table + T1_PT_INDEX(va, level) * 8) = pte;
  }
  void map(uint32_t ctx, uint64_t va, uint64_t pa, uint64_t size,
           uint64_t flags = T1_PTE_R | T1_PTE_W) {
    for (uint64_t off = 0; off < size; off += T1_PAGE_SIZE)
      set_pte(ctx, va + off, 0, T1_PTE(pa + off, flags | T1_PTE_V));
  }
  void map_huge(uint32_t ctx, uint64_t va, uint64_t pa, uint64_t flags = T1_PTE_R | T1_PTE_W) {
    set_pte(ctx, va, 1, T1_PTE(pa, flags | T1_PTE_V));
  }
  // Allocates and identity-maps `size` bytes in `ctx`.
  uint64_t alloc_mapped(uint64_t size, uint32_t ctx = 0, uint64_t flags = T1_PTE_R | T1_PTE_W) {
    const uint64_t pa = alloc(size);
    map(ctx, pa, pa, (size + T1_PAGE_SIZE - 1) & ~(T1_PAGE_SIZE - 1), flags);
    std::memset(mem(pa), 0, size);
    return pa;
  }

  // Ring of `size` packets, identity-mapped in ctx, enabled.
  uint64_t setup_queue(uint32_t q, uint32_t size = 16, uint32_t ctx = 0) {
    const uint64_t ring = alloc_mapped(uint64_t{size} * T1_PACKET_SIZE, ctx);
    setup_queue_at(q, ring, size, ctx);
    return ring;
  }
  void setup_queue_at(uint32_t q, uint64_t ring_va, uint32_t size, uint32_t ctx) {
    rings_[q] = ring_va;
    sizes_[q] = size;
    ctxs_[q] = ctx;
    dev_.write64(T1_REG_QUEUE(q) + T1_QREG_RING_BASE, ring_va);
    dev_.write32(T1_REG_QUEUE(q) + T1_QREG_RING_SIZE, size);
    dev_.write32(T1_REG_QUEUE(q) + T1_QREG_CONTEXT, ctx);
    dev_.write32(T1_REG_QUEUE(q) + T1_QREG_CONTROL, T1_QCTL_ENABLE);
  }
  // Identity-mapped rings only: the slot is found at PA = VA. With
  // `mmio_doorbell`, one write to the queue's doorbell register replaces
  // the WRITE_INDEX store and ring_doorbell().
  uint64_t submit(uint32_t q, const union t1_packet& p, bool mmio_doorbell = false) {
    const uint64_t wi = dev_.read64(T1_REG_QUEUE(q) + T1_QREG_WRITE_INDEX);
    uint8_t* slot = mem(rings_[q] + (wi % sizes_[q]) * T1_PACKET_SIZE);
    std::memcpy(slot + 2, reinterpret_cast<const uint8_t*>(&p) + 2, T1_PACKET_SIZE - 2);
    std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(slot))
        .store(p.header, std::memory_order_release);
    if (mmio_doorbell) {
      dev_.write64(T1_REG_DOORBELL(q), wi + 1);
      return wi;
    }
    dev_.write64(T1_REG_QUEUE(q) + T1_QREG_WRITE_INDEX, wi + 1);
    dev_.ring_doorbell(q);
    return wi;
  }

  // A signal in device memory (identity-mapped in ctx) with value `v`.
  uint64_t new_signal(int64_t v = 1, uint32_t ctx = 0) {
    if (signal_page_[ctx] == 0 || signal_used_[ctx] + T1_SIGNAL_SIZE > T1_PAGE_SIZE) {
      signal_page_[ctx] = alloc_mapped(T1_PAGE_SIZE, ctx);
      signal_used_[ctx] = 0;
    }
    const uint64_t va = signal_page_[ctx] + signal_used_[ctx];
    signal_used_[ctx] += T1_SIGNAL_SIZE;
    t1_signal* s = at<t1_signal>(va);
    std::memset(s, 0, sizeof *s);
    s->value = v;
    return va;
  }
  t1_signal& signal(uint64_t va) { return *at<t1_signal>(va); }
  int64_t signal_value(uint64_t va) {
    return std::atomic_ref<int64_t>(signal(va).value).load(std::memory_order_acquire);
  }
  void set_signal(uint64_t va, int64_t v) {
    std::atomic_ref<int64_t>(signal(va).value).store(v, std::memory_order_release);
  }
  // Waits until the signal's value <= 0; false on timeout.
  bool wait(uint64_t va, std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (signal_value(va) > 0) {
      if (std::chrono::steady_clock::now() > end) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return true;
  }
  // Waits until `pred()` holds; false on timeout.
  template <typename F>
  static bool wait_for(F pred, std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
      if (std::chrono::steady_clock::now() > end) return false;
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
    return true;
  }

  uint32_t queue_status(uint32_t q) { return dev_.read32(T1_REG_QUEUE(q) + T1_QREG_STATUS); }
  t1_fault_record fault(uint32_t n) {
    t1_fault_record r;
    const volatile uint8_t* p = dev_.regs() + T1_REG_FAULT_SLOT(n % T1_FAULT_RING_ENTRIES);
    std::memcpy(&r, const_cast<const uint8_t*>(p), sizeof r);
    return r;
  }

 private:
  Device& dev_;
  uint64_t next_table_ = kTablesBase;
  uint64_t next_data_ = kDataBase;
  uint64_t rings_[T1_MAX_QUEUES] = {};
  uint32_t sizes_[T1_MAX_QUEUES] = {};
  uint32_t ctxs_[T1_MAX_QUEUES] = {};
  uint64_t signal_page_[8] = {};
  uint64_t signal_used_[8] = {};
};

// Packet builders.
inline union t1_packet fill_packet(uint64_t dst, uint64_t size, uint32_t pattern, uint16_t width,
                                   uint64_t signal = 0, uint16_t flags = 0) {
  union t1_packet p{};
  p.fill.header = static_cast<uint16_t>(T1_PKT_TYPE_DMA_FILL | flags);
  p.fill.width = width;
  p.fill.pattern = pattern;
  p.fill.dst = dst;
  p.fill.size = size;
  p.fill.completion_signal = signal;
  return p;
}
inline union t1_packet copy_packet(uint64_t dst, uint64_t src, uint64_t size, uint64_t signal = 0,
                                   uint16_t flags = 0) {
  union t1_packet p{};
  p.copy.header = static_cast<uint16_t>(T1_PKT_TYPE_DMA_COPY | flags);
  p.copy.src = src;
  p.copy.dst = dst;
  p.copy.size = size;
  p.copy.completion_signal = signal;
  return p;
}
inline union t1_packet signal_packet(uint16_t op, uint64_t target, int64_t value,
                                     uint64_t signal = 0, uint16_t flags = 0) {
  union t1_packet p{};
  p.signal.header = static_cast<uint16_t>(T1_PKT_TYPE_SIGNAL | flags);
  p.signal.op = op;
  p.signal.signal = target;
  p.signal.value = value;
  p.signal.completion_signal = signal;
  return p;
}
inline union t1_packet barrier_and_packet(std::initializer_list<uint64_t> deps, uint64_t signal = 0,
                                          uint16_t flags = 0) {
  union t1_packet p{};
  p.barrier_and.header = static_cast<uint16_t>(T1_PKT_TYPE_BARRIER_AND | flags);
  int i = 0;
  for (uint64_t d : deps) p.barrier_and.dep_signal[i++] = d;
  p.barrier_and.completion_signal = signal;
  return p;
}
inline union t1_packet timestamp_packet(uint64_t dst, uint64_t signal = 0, uint16_t flags = 0) {
  union t1_packet p{};
  p.timestamp.header = static_cast<uint16_t>(T1_PKT_TYPE_TIMESTAMP | flags);
  p.timestamp.dst = dst;
  p.timestamp.completion_signal = signal;
  return p;
}

}  // namespace tessera::emu::test
