// SPDX-License-Identifier: Apache-2.0
// The runtime's hardware abstraction layer: what the runtime needs from a T1
// device, whoever plays the kernel driver's part. Two backends implement it:
// `emu` (the emulator in this process, the runtime acting as the driver) and
// `drm` (the kernel module, issue 5). Everything above this layer speaks only
// packets (tessera/hw/t1_packet.h), signals and device virtual addresses.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <tessera/hw/t1.h>

namespace tessera::rt::hal {

// What the register page (or the driver's query) says about a chip.
struct DeviceInfo {
  uint32_t device_id = 0;  // T1_DEVICE_ID_*
  uint32_t revision = 0;
  uint32_t hw_version_device = 0;  // what the chip speaks
  uint32_t hw_version = 0;         // agreed in the handshake
  uint64_t caps = 0;               // T1_CAP_*
  uint32_t tiles = 0, threads_per_tile = 0, warp_size = 0, scratchpad_bytes = 0;
  uint64_t memory_bytes = 0;
  uint32_t queues = 0, links = 0, clock_khz = 0, fabric_index = 0;
  uint32_t watchdog_ms = 0;        // 0: none
};

// Device memory mapped into this process's context and into the host.
struct Allocation {
  uint64_t va = 0;        // device virtual address (unified with host addresses)
  uint64_t size = 0;      // bytes reserved (page multiple)
  uint8_t* host = nullptr;  // CPU view of the same bytes
  uint64_t handle = 0;    // backend's own (physical address for emu)
};

// A hardware queue owned by this process. Packets carry the BARRIER bit
// when the caller sets it; indices count packets since creation.
class Queue {
 public:
  virtual ~Queue() = default;
  virtual uint32_t id() const = 0;
  // Copies the packets into the ring (header last), then rings the
  // doorbell. Blocks while the ring is full. Returns the index of the first.
  virtual uint64_t submit(const t1_packet* packets, size_t count) = 0;
  // Waits until `count` more packets fit in the ring (or the queue stopped
  // on an error), so that the submit() that follows does not block.
  virtual void wait_for_room(size_t count) = 0;
  // Rings the doorbell without new packets (BARRIER_AND re-checks).
  virtual void kick() = 0;
  // True when the queue stopped on an error; `cause` and `index` say why
  // and at which packet.
  virtual bool error(uint32_t& cause, uint64_t& index) = 0;
  // Packets taken by the device so far.
  virtual uint64_t read_index() = 0;
  // Abandons what is left in the ring and makes the queue usable again
  // (clears the error). Indices continue from the write index.
  virtual void restart() = 0;
};

class Device {
 public:
  virtual ~Device() = default;
  virtual const DeviceInfo& info() const = 0;
  virtual std::string emulator_version() const = 0;  // "" on silicon
  virtual uint32_t context_id() const = 0;

  // Device memory of at least `size` bytes, mapped at a VA inside the VA
  // window, with R/W/X permissions `perms` (T1_ACCESS_*). False when out of
  // memory.
  virtual bool alloc(uint64_t size, uint32_t perms, Allocation& out) = 0;
  virtual void free(const Allocation& a) = 0;
  // Changes the permissions of whole pages [va, va+size) of an allocation.
  virtual void protect(uint64_t va, uint64_t size, uint32_t perms) = 0;
  virtual uint64_t memory_free() const = 0;
  // The VA range device allocations come from (reserved in the host too).
  virtual uint64_t va_base() const = 0;
  virtual uint64_t va_size() const = 0;

  // Makes page-aligned host memory reachable by this device at VA == its
  // host address (read/write). The memory stays valid until unmapped.
  // Only with T1_CAP_HOST_WINDOWS in info().caps; otherwise map_host throws
  // std::runtime_error.
  virtual void map_host(void* host, uint64_t size) = 0;
  virtual void unmap_host(void* host, uint64_t size) = 0;
  bool has_host_windows() const { return (info().caps & T1_CAP_HOST_WINDOWS) != 0; }

  // `size` bytes (a page multiple) of zeroed memory that both the CPU and
  // this device reach at the same address, for completion signals and
  // kernel arguments: page-locked host memory in a host window (emu), or
  // device memory mapped into the process at its device VA (drm). Throws
  // std::bad_alloc.
  virtual uint8_t* alloc_host(uint64_t size) = 0;
  virtual void free_host(uint8_t* p, uint64_t size) = 0;

  virtual std::unique_ptr<Queue> create_queue(uint32_t ring_packets, uint32_t priority) = 0;
  // Number of hardware queues this process may create.
  virtual uint32_t queue_limit() const = 0;

  // `on_event()` is called (on a backend thread) when a fault is recorded,
  // a queue stops on an error, or — once after each arm_completion_event()
  // — a packet with the INTERRUPT bit completes. Completion events are
  // one-shot so that a busy device does not interrupt for every packet
  // while nobody sleeps; a waiter arms them right before it sleeps (after
  // its last look at the signals: a completion since then still fires).
  virtual void set_event_handler(std::function<void()> on_event) = 0;
  virtual void arm_completion_event() = 0;
  // Fault records not yet taken, oldest first.
  virtual std::vector<t1_fault_record> take_faults() = 0;

  // Resets the chip: every queue is stopped and its work abandoned, every
  // mapping of this process is dropped; the device is then as after open.
  virtual void reset() = 0;

  // Says what limits a dispatch's run time and how to change it, for the
  // message of a watchdog timeout.
  virtual std::string watchdog_text() const = 0;

  // True once the device went away (the kernel driver reports it lost: the
  // chip, or the emulator serving it, stopped responding). Every later
  // operation on it fails; the in-process emulator is never lost.
  virtual bool lost() const { return false; }

  // Fabric index of the chip at the other end of each link.
  virtual std::vector<uint32_t> link_peers() const = 0;
  // Lets this device's peer DMA write into `peer`'s context (a linked chip
  // of the same backend). The kernel driver needs to be told; the emulator
  // in this process does not. Throws std::runtime_error when refused.
  virtual void attach_peer(Device& peer) { (void)peer; }
};

// All devices of a backend, in fabric order.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual const char* name() const = 0;  // "emu" or "drm"
  virtual int version() const = 0;       // backend interface version
  virtual size_t device_count() const = 0;
  virtual Device& device(size_t index) = 0;
};

// Thrown when a device refuses the interface version the runtime speaks
// (or the reverse); the message names both versions.
class VersionMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "major.minor" of a T1_VERSION() value, for those messages.
inline std::string version_text(uint32_t v) {
  return std::to_string(T1_VERSION_MAJOR(v)) + "." + std::to_string(T1_VERSION_MINOR(v));
}

// Opens the backend the environment asks for (TESSERA_BACKEND=emu|drm;
// default: drm when a render node of the tessera driver exists, else emu). Throws
// std::runtime_error with a message for the user when that fails.
std::unique_ptr<Backend> open_backend();

// The emu backend alone (used by open_backend and by tests).
std::unique_ptr<Backend> open_emu_backend();
// The drm backend alone: every render node whose driver is `tessera`.
// Throws std::runtime_error when there is none or one cannot be opened.
std::unique_ptr<Backend> open_drm_backend();
// True when a render node of the tessera kernel driver exists.
bool drm_device_present();

}  // namespace tessera::rt::hal
