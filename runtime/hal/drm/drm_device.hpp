// SPDX-License-Identifier: Apache-2.0
// The `drm` backend: a T1 reached through the tessera kernel driver
// (include/uapi/drm/tessera_drm.h) on a render node. The driver owns the
// chip: it allocates device memory, writes this client's page tables, owns
// the rings and turns interrupts into fences; this backend only speaks the
// uAPI. Device memory is mapped into the process at its device VA, so host
// and device addresses stay unified as with `emu`.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "hal/backend.hpp"
#include "hal/range_allocator.hpp"

namespace tessera::rt::hal {

class DrmDevice final : public Device {
 public:
  // Opens `path` (a render node of the tessera driver). Throws
  // std::runtime_error naming the node and the reason.
  explicit DrmDevice(const std::string& path);
  ~DrmDevice() override;

  const DeviceInfo& info() const override { return info_; }
  std::string emulator_version() const override;
  uint32_t context_id() const override { return context_id_; }

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
  void arm_completion_event() override {}  // the event thread always listens
  std::vector<t1_fault_record> take_faults() override;
  void reset() override;
  std::vector<uint32_t> link_peers() const override { return link_peers_; }
  void attach_peer(Device& peer) override;
  std::string watchdog_text() const override {
    return "(the device's watchdog, or the driver's job timeout of " + std::to_string(info_.watchdog_ms) +
           " ms: module parameter tessera.job_timeout_ms; an emulated device's watchdog is set by "
           "tessera-emu serve --watchdog-ms)";
  }
  bool lost() const override { return lost_.load(std::memory_order_acquire); }

  // ioctl with EINTR/EAGAIN retry; returns 0 or -errno.
  int ioctl(unsigned long request, void* arg) const;
  // Throws std::runtime_error("<what>: <strerror>") when ioctl fails.
  void ioctl_or_throw(unsigned long request, void* arg, const char* what) const;
  // The client's event count grew (a job completed or failed, a fault).
  uint64_t events() const { return events_.load(std::memory_order_acquire); }

  // Fault records are translated to the runtime's queue numbering: the
  // driver's queue `kernel_id` is runtime queue `id` from index `base` on.
  void register_queue(uint32_t kernel_id, uint32_t id, uint64_t base);
  void unregister_queue(uint32_t kernel_id);

 private:
  struct Mapping {
    uint64_t size;
    uint32_t handle;
    uint32_t perms;
  };
  void open_node();
  void close_node();
  void event_loop();
  int map_bo(uint32_t handle, uint64_t va, uint64_t offset, uint64_t size, uint32_t perms);  // 0 or -errno
  void unmap_va(uint64_t va);
  void release(uint64_t va, const Mapping& m);

  std::string path_;
  int fd_ = -1;
  DeviceInfo info_;
  uint32_t context_id_ = 0;
  std::vector<uint32_t> link_peers_;
  std::string driver_version_;
  uint64_t va_base_ = 0, va_size_ = 0;
  void* va_reservation_ = nullptr;
  size_t va_reservation_size_ = 0;

  mutable std::mutex mu_;  // VA allocator, mappings, queues
  RangeAllocator vas_;
  std::map<uint64_t, Mapping> mappings_;  // allocation VA -> its BO
  struct QueueName {
    uint32_t id;
    uint64_t base;
  };
  std::map<uint32_t, QueueName> queues_;  // driver queue id -> runtime terms

  std::mutex event_mu_;
  std::function<void()> on_event_;
  std::atomic<uint64_t> events_{0};
  std::atomic<bool> stop_{false};
  mutable std::atomic<bool> lost_{false};  // an ioctl said -ENODEV
  std::thread event_thread_;
};

}  // namespace tessera::rt::hal
