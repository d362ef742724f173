// SPDX-License-Identifier: Apache-2.0
// libtessera-emu: the Tessera T1 chip model as a library.
//
// A Device is one emulated T1 chip: its 64 KiB register page
// (tessera/hw/t1_regs.h), its device memory, its command processor and its
// links. A driver (the runtime's in-process backend, or the QEMU device
// server) talks to it exactly as it would talk to silicon: it reads and
// writes registers, writes page tables, rings and packets into device memory,
// rings doorbells, and receives interrupts. This header is the whole public
// API; everything else of the chip model is internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <tessera/hw/t1.h>

namespace tessera::emu {

// The shape of one emulated chip. Defaults follow the reference design.
struct DeviceConfig {
  uint32_t tiles = 8;
  uint32_t threads_per_tile = 1024;
  uint32_t scratchpad_bytes = 256 * 1024;
  uint64_t memory_bytes = uint64_t{4} << 30;  // lazily backed; < T1_MAX_MEM_SIZE
  uint32_t queues = T1_MAX_QUEUES;            // 1..T1_MAX_QUEUES
  uint32_t contexts = 256;                    // context-table entries supported
  uint32_t host_threads = 0;                  // tile worker threads; 0 = one per host CPU
  // One tile thread, fixed block schedule, and a TIMESTAMP that counts
  // instead of reading a clock: repeated runs give identical results.
  bool deterministic = false;
  uint32_t link_bandwidth_mbps = T1_LINK_DEFAULT_BANDWIDTH_MBPS;  // per link, MB/s
  uint32_t link_latency_ns = T1_LINK_DEFAULT_LATENCY_NS;
  // Sleep for the modelled link transfer time during peer DMA. When false
  // the time is only accounted in the completion timestamps.
  bool model_link_time = true;
  uint32_t watchdog_ms = 0;  // maximum dispatch time; 0 = no watchdog
  // Host windows (map_host_window, T1_CAP_HOST_WINDOWS). A device served to
  // a QEMU guest has none: the guest cannot lend the emulator its memory.
  bool host_windows = true;

  // `base` overridden by the environment (invalid values throw
  // std::invalid_argument naming the variable):
  //   TESSERA_EMU_TILES, TESSERA_EMU_THREADS_PER_TILE, TESSERA_EMU_QUEUES,
  //   TESSERA_EMU_CONTEXTS, TESSERA_EMU_HOST_THREADS     decimal integers
  //   TESSERA_EMU_SCRATCHPAD, TESSERA_EMU_MEMORY          bytes, with an
  //                                                       optional K/M/G/T suffix
  //   TESSERA_EMU_DETERMINISTIC, TESSERA_EMU_MODEL_LINK_TIME  0 or 1
  //   TESSERA_EMU_LINK_BANDWIDTH_MBPS, TESSERA_EMU_LINK_LATENCY_NS,
  //   TESSERA_EMU_WATCHDOG_MS                             decimal integers
  static DeviceConfig from_env(DeviceConfig base);
  static DeviceConfig from_env() { return from_env(DeviceConfig{}); }

  // Throws std::invalid_argument when a field is out of range.
  void validate() const;
};

class Fabric;

// One emulated T1 chip. Thread-safe: registers may be accessed and doorbells
// rung from any thread. Interrupt handlers run on device threads.
class Device {
 public:
  // A standalone chip (fabric index 0, no links). Throws std::system_error
  // when device memory cannot be reserved.
  explicit Device(const DeviceConfig& config);
  ~Device();  // stops the command processor; running work is aborted
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  const DeviceConfig& config() const;
  uint32_t index() const;  // fabric index (T1_REG_DEVICE_INDEX)

  // ---- Registers ---------------------------------------------------------
  // The register page, for reading (e.g. to map it into another process
  // view). Writes must go through write32/write64: they are MMIO writes with
  // side effects (handshake, W1C, queue enable, reset). TIMESTAMP in the page
  // is refreshed only by read64(T1_REG_TIMESTAMP).
  const volatile uint8_t* regs() const;
  // Atomic, naturally aligned accesses (acquire loads, release stores).
  // Misaligned or out-of-page offsets throw std::out_of_range. A 64-bit
  // register must be written with write64; a write32 to either half of it
  // is ignored, as are writes to read-only registers.
  uint32_t read32(uint32_t offset) const;
  uint64_t read64(uint32_t offset) const;
  void write32(uint32_t offset, uint32_t value);
  void write64(uint32_t offset, uint64_t value);

  // ---- Memory ------------------------------------------------------------
  // Host view of device memory: device-physical address p is
  // memory_base()[p]. The driver writes context tables, page tables, rings,
  // packets and signals here directly; use atomics for fields the device
  // reads concurrently (packet headers, signal values).
  uint8_t* memory_base() const;
  uint64_t memory_size() const;
  // The memfd backing device memory (so another process, e.g. QEMU, can map
  // the same memory). Owned by the Device. Device memory starts
  // shared_offset_of_memory() bytes into it (it is the shared_fd()).
  int memory_fd() const;
  // Zeroes [phys, phys + size) of device memory and returns whole pages of
  // it to the host (fallocate PUNCH_HOLE). For scrubbing freed memory.
  void scrub(uint64_t phys, uint64_t size);

  // ---- Shared memory (the ivshmem BAR2 layout, tessera/hw/t1_ivshmem.h) --
  // One memfd holds the register page at offset 0, the transport block at
  // T1_IVSHMEM_TRANSPORT_OFFSET and device memory at
  // shared_offset_of_memory() (== T1_IVSHMEM_MEM_OFFSET). Its size,
  // shared_size(), is the smallest power of two that holds all of it (QEMU
  // needs a power of two); the tail past device memory is never used.
  // Pages are allocated on first touch. `tessera-emu serve` hands this fd
  // to QEMU as the guest's BAR2.
  int shared_fd() const;
  uint64_t shared_size() const;
  uint64_t shared_offset_of_memory() const;
  // The transport block in the shared memory. The chip model never reads or
  // writes it: it belongs to whoever serves the device (starts zeroed).
  t1_ivshmem_transport* transport() const;

  // Makes `size` bytes of host memory at `host` (both 4 KiB aligned; the
  // caller keeps the memory alive and resident) reachable by the device at
  // the returned physical address in the host aperture
  // [T1_HOST_APERTURE_BASE, +T1_HOST_APERTURE_SIZE). Page tables map it like
  // device memory. Throws std::invalid_argument on misalignment, and
  // std::logic_error when the config has host_windows = false.
  uint64_t map_host_window(void* host, uint64_t size);
  // Removes the window starting at `phys`. The driver must make sure no
  // queued work still uses it. Throws std::invalid_argument if unknown.
  void unmap_host_window(uint64_t phys);

  // ---- Queues and interrupts ---------------------------------------------
  // Tells the command processor that queue `queue`'s WRITE_INDEX changed
  // (or that signals a BARRIER_AND may wait for changed).
  void ring_doorbell(uint32_t queue);
  // `handler(vector)` is called on a device thread for every delivered
  // interrupt (see T1_REG_INT_STATUS). It must not write T1_REG_RESET or
  // destroy the device; it may read and write any other register.
  void set_interrupt_handler(std::function<void(uint32_t vector)> handler);

  // The model's internals (emulator/device/device_impl.hpp), for the
  // emulator's own tools and tests; not part of the stable API.
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  friend class Fabric;
  Device(const DeviceConfig& config, uint32_t index, Fabric* fabric);
  std::unique_ptr<Impl> impl_;
};

// Several chips in one process, joined by chip-to-chip links.
class Fabric {
 public:
  enum class Topology {
    // Every chip linked to every other when there are at most 8 chips (7
    // links each). With more, chip i is linked to i±1, i±2, i±3 (mod n), a
    // 1-D torus of 6 links per chip.
    kFullyConnected,
    kRing,  // chip i linked to i±1 (mod n)
  };
  // Throws std::invalid_argument for an empty list.
  explicit Fabric(std::vector<DeviceConfig> configs,
                  Topology topology = Topology::kFullyConnected);
  ~Fabric();
  Fabric(const Fabric&) = delete;
  Fabric& operator=(const Fabric&) = delete;

  size_t size() const { return devices_.size(); }
  Device& device(size_t index) { return *devices_.at(index); }
  // Link number on chip `from` that reaches chip `to`, or -1 when they are
  // not directly linked. Peer DMA needs a direct link.
  int link_between(uint32_t from, uint32_t to) const;
  // Peers of chip `device`, in link order (entry l is the peer of link l).
  const std::vector<uint32_t>& peers(uint32_t device) const { return peers_.at(device); }

 private:
  std::vector<std::unique_ptr<Device>> devices_;
  std::vector<std::vector<uint32_t>> peers_;  // peers_[d][link] = peer index
};

}  // namespace tessera::emu
