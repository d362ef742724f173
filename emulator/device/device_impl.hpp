// SPDX-License-Identifier: Apache-2.0
// Internals of one emulated T1 chip: register side effects, interrupts,
// fault records, the per-queue command processors, DMA and links.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <tessera/emu/device.hpp>
#include <tessera/hw/t1.h>

#include "memory.hpp"
#include "mmu.hpp"
#include "regs.hpp"
#include "simt/engine.hpp"

namespace tessera::emu {

// The command processor of one hardware queue. Every queue has its own host
// thread (started on first enable, kept until the device is destroyed), so a
// long dispatch or a blocked BARRIER_AND on one queue never holds up another.
// Fields marked (mu) are guarded by Device::Impl::mu.
struct QueueState {
  uint32_t id = 0;
  std::thread worker;
  // Written under mu; atomic so that the worker's fast path (work already
  // in the ring) can check liveness without taking mu.
  std::atomic<bool> enabled{false};   // CONTROL.ENABLE
  std::atomic<uint64_t> epoch{0};     // bumped on every 0 -> 1 enable
  bool running = false;      // (mu) the worker is between latch and stop
  std::atomic<bool> cancel{false};          // aborts the running dispatch
  std::atomic<bool> reset_abort{false};     // the abort comes from a device reset
  std::atomic<bool> watchdog_fired{false};
  std::atomic<int64_t> dispatch_start{-1};  // host ns of the running dispatch, -1 = none
  // Wakes this queue's worker (doorbell, enable, control changes); with mu.
  // Per queue, so a doorbell does not wake every other queue's thread.
  std::condition_variable wake;
  // Set (under mu) while the worker sleeps on `wake` waiting for a
  // doorbell: a doorbell takes mu to notify only then.
  std::atomic<bool> sleeping{false};
  // Latched at enable.
  uint64_t ring_base = 0;
  uint32_t ring_size = 0;
  uint32_t context = 0;
};

// Outcome of one packet.
struct PacketResult {
  uint32_t status = T1_SIGNAL_STATUS_OK;  // for the completion signal
  bool error = false;                     // stop the queue (a fault record was written)
  bool write_signal = true;               // false when aborted by a reset
};

struct Device::Impl {
  Impl(Device& owner, const DeviceConfig& config, uint32_t index, Fabric* fabric);
  ~Impl();

  // Registers (device.cpp).
  uint32_t read32(uint32_t off);
  uint64_t read64(uint32_t off);
  void write32(uint32_t off, uint32_t value);
  void write64(uint32_t off, uint64_t value);
  void init_registers();
  void queue_control(uint32_t q, uint32_t value);
  void reset();

  // Interrupts and faults (device.cpp).
  void raise(uint32_t vector);
  void deliver(uint32_t bits);
  void record_fault(t1_fault_record rec);

  // Time: host nanoseconds since creation, or the deterministic counter.
  uint64_t now_ns();
  uint64_t tick(uint64_t ns);  // deterministic mode: advance and return; else now_ns()
  int64_t host_ns() const;

  // Command processor (queue.cpp).
  void worker_main(QueueState& q);
  void run_queue(QueueState& q, uint64_t epoch);
  bool queue_live(const QueueState& q, uint64_t epoch);
  PacketResult execute(QueueState& q, ContextSpace& space, const union t1_packet& pkt,
                       uint64_t index);
  PacketResult dispatch(QueueState& q, ContextSpace& space, const t1_kernel_dispatch_packet& p,
                        uint64_t index);
  PacketResult dma_copy(QueueState& q, ContextSpace& space, const t1_dma_copy_packet& p,
                        uint64_t index);
  PacketResult dma_fill(QueueState& q, ContextSpace& space, const t1_dma_fill_packet& p,
                        uint64_t index);
  PacketResult barrier_and(QueueState& q, ContextSpace& space, const t1_barrier_and_packet& p,
                           uint64_t index, uint64_t epoch);
  PacketResult signal_op(QueueState& q, ContextSpace& space, const t1_signal_packet& p,
                         uint64_t index);
  PacketResult timestamp(QueueState& q, ContextSpace& space, const t1_timestamp_packet& p,
                         uint64_t index);
  // Writes a fault record for packet `index` of `q` and returns an error result.
  PacketResult fail(QueueState& q, uint64_t index, uint32_t cause, uint8_t access,
                    uint64_t address, uint64_t entry = 0);
  void queue_error(QueueState& q, uint32_t cause, uint64_t index);
  void watchdog_main();

  Device& owner;
  DeviceConfig cfg;
  uint32_t index;
  Fabric* fabric;

  DeviceMemory mem;              // the shared memory: register page, transport, device memory
  uint8_t* page = nullptr;       // the 64 KiB register page (start of mem's file)
  RegisterFile regs;
  HostWindows windows;
  Mmu mmu;
  std::unique_ptr<Engine> engine;

  std::array<QueueState, T1_MAX_QUEUES> queues;
  std::mutex mu;               // queue states, doorbells, control
  std::condition_variable cv;  // completions (barrier waits), control changes, reset
  std::atomic<int> barrier_waiters{0};  // BARRIER_AND packets waiting on cv
  // Bumped by TLB_INVALIDATE, context-table changes and reset: drops the
  // command processor's cached translations of queue memory (QueueTlb).
  std::atomic<uint64_t> tlb_generation{0};
  // Wakes every queue worker and every waiter on cv (control changes).
  void wake_all() {
    for (auto& q : queues) q.wake.notify_all();
    cv.notify_all();
  }
  // A doorbell for queue `q` (WRITE_INDEX already stored): its worker if
  // it sleeps, and barriers that re-check. The worker sets `sleeping`
  // before it checks WRITE_INDEX under mu, and we store WRITE_INDEX before
  // reading `sleeping` (both sequentially consistent): either it sees the
  // new index or we see it asleep and notify under mu.
  void wake_doorbell(uint32_t q) {
    doorbells.fetch_add(1);
    if (queues[q].sleeping.load()) {
      { std::lock_guard lock(mu); }
      queues[q].wake.notify_all();
    }
    if (barrier_waiters.load(std::memory_order_acquire)) cv.notify_all();
  }
  std::atomic<uint64_t> doorbells{0};
  std::atomic<bool> shutdown{false};  // written under mu

  std::recursive_mutex irq_mu;  // serialises interrupt delivery
  std::function<void(uint32_t)> irq_handler;
  std::mutex fault_mu;
  std::mutex reset_mu;

  std::chrono::steady_clock::time_point start;
  std::atomic<uint64_t> det_clock{0};

  struct Link {
    uint32_t peer = T1_LINK_NO_PEER;
    std::mutex mu;
    int64_t busy_until = 0;  // host ns when the last transfer ends
  };
  std::vector<std::unique_ptr<Link>> links;

  std::thread watchdog;
};

}  // namespace tessera::emu
