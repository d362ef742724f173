// SPDX-License-Identifier: Apache-2.0
// A hardware queue of the tessera kernel driver. Every submit() is one job
// (DRM_IOCTL_TESSERA_SUBMIT); the driver owns the ring. The runtime's
// packet indices continue across restart(), which replaces the driver's
// queue (the driver's way to clear an error).
#pragma once

#include <cstdint>
#include <mutex>

#include "hal/backend.hpp"

namespace tessera::rt::hal {

class DrmDevice;

class DrmQueue final : public Queue {
 public:
  struct NoQueue {};  // the driver has no queue left for this client

  DrmQueue(DrmDevice& dev, uint32_t ring_packets, uint32_t priority);
  ~DrmQueue() override;

  uint32_t id() const override { return id_; }
  uint64_t submit(const t1_packet* packets, size_t count) override;
  void wait_for_room(size_t) override {}  // the driver queues jobs while the ring is full
  void kick() override {}  // the device re-checks BARRIER_AND signals every millisecond
  bool error(uint32_t& cause, uint64_t& index) override;
  uint64_t read_index() override;
  void restart() override;

 private:
  void create();
  void destroy();
  void refresh_locked(bool force);

  DrmDevice& dev_;
  uint32_t ring_packets_, priority_;
  uint32_t id_ = UINT32_MAX;  // stable: the first driver queue id
  uint32_t kernel_id_ = 0;  // the driver's current queue
  mutable std::mutex mu_;
  uint64_t base_ = 0;         // runtime index of the driver queue's packet 0
  uint64_t write_index_ = 0;  // runtime indices
  uint64_t read_index_ = 0;
  uint64_t events_seen_ = ~uint64_t{0};
  bool stopped_ = false;
  uint32_t cause_ = 0;
  uint64_t error_index_ = 0;
};

}  // namespace tessera::rt::hal
