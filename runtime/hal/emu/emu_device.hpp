// SPDX-License-Identifier: Apache-2.0
// The `emu` backend: the runtime plays the kernel driver's part for chips
// of libtessera-emu in this process, using only the T1 device protocol
// (register page, page tables, rings, doorbells, interrupts).
#pragma once

#include <mutex>
#include <unordered_map>

#include <tessera/emu/device.hpp>

#include "hal/backend.hpp"
#include "hal/emu/page_tables.hpp"
#include "hal/range_allocator.hpp"
#include "hal/va_window.hpp"

namespace tessera::rt::hal {

class EmuDevice final : public Device {
 public:
  // Takes over `chip` (the handshake, the context table, interrupts).
  // Throws std::runtime_error when the chip refuses the interface version.
  EmuDevice(emu::Device& chip, std::vector<uint32_t> link_peers);
  ~EmuDevice() override;

  const DeviceInfo& info() const override { return info_; }
  std::string emulator_version() const override;
  uint32_t context_id() const override { return kContext; }

  bool alloc(uint64_t size, uint32_t perms, Allocation& out) override;
  void free(const Allocation& a) override;
  void protect(uint64_t va, uint64_t size, uint32_t perms) override;
  uint64_t memory_free() const override;
  uint64_t va_base() const override { return va_base_; }
  uint64_t va_size() const override { return va_size_; }

  void map_host(void* host, uint64_t size) override;
  void unmap_host(void* host, uint64_t size) override;
  uint8_t* alloc_host(uint64_t size) override;
  void free_host(uint8_t* p, uint64_t size) override;

  std::unique_ptr<Queue> create_queue(uint32_t ring_packets, uint32_t priority) override;
  uint32_t queue_limit() const override { return info_.queues; }

  void set_event_handler(std::function<void()> on_event) override;
  void arm_completion_event() override;
  std::vector<t1_fault_record> take_faults() override;
  void reset() override;
  std::vector<uint32_t> link_peers() const override { return link_peers_; }
  std::string watchdog_text() const override {
    return "after " + std::to_string(info_.watchdog_ms) +
           " ms (TESSERA_EMU_WATCHDOG_MS sets the limit of the emulator, 0 disables it)";
  }

  emu::Device& chip() { return chip_; }
  void release_queue_id(uint32_t id);

 private:
  static constexpr uint32_t kContext = 0;
  // The context table lives at physical 0; allocations start above it.
  static constexpr uint64_t kReservedLow = T1_HUGE_PAGE_SIZE;

  void start();  // handshake, context table, interrupts, enable
  void on_interrupt(uint32_t vector);
  void invalidate_tlb();

  emu::Device& chip_;
  std::vector<uint32_t> link_peers_;
  DeviceInfo info_;
  uint64_t va_base_ = 0, va_size_ = 0;
  void* va_reservation_ = nullptr;
  size_t va_reservation_size_ = 0;

  mutable std::mutex mu_;  // allocator, page tables, windows, queue ids
  RangeAllocator phys_;
  PageTables tables_;
  struct Window {
    uint64_t phys, size;
  };
  std::unordered_map<uintptr_t, Window> windows_;  // host address -> window
  std::vector<bool> queue_used_;

  std::mutex fault_mu_;
  std::vector<t1_fault_record> faults_;
  std::function<void()> on_event_;
};

}  // namespace tessera::rt::hal
