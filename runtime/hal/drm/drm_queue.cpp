// SPDX-License-Identifier: Apache-2.0
#include "hal/drm/drm_queue.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "hal/drm/drm_device.hpp"
#include "hal/drm/drm_uapi.hpp"

namespace tessera::rt::hal {
DrmQueue::DrmQueue(DrmDevice& dev, uint32_t ring_packets, uint32_t priority)
    : dev_(dev), ring_packets_(ring_packets), priority_(priority) {
  create();
}

DrmQueue::~DrmQueue() { destroy(); }

void DrmQueue::create() {
  auto c = uapi_struct<drm_tessera_queue_create>();
  // Each job takes one more ring slot for the driver's fence packet.
  uint32_t ring = 4;
  while (ring < 2 * ring_packets_ && ring < (1u << 20)) ring <<= 1;
  c.ring_packets = ring;
  c.priority = priority_;
  int r = dev_.ioctl(DRM_IOCTL_TESSERA_QUEUE_CREATE, &c);
  if (r == -EINVAL) {  // larger than the driver allows: its default
    c.ring_packets = 0;
    r = dev_.ioctl(DRM_IOCTL_TESSERA_QUEUE_CREATE, &c);
  }
  if (r == -EBUSY || r == -ENOSPC) throw NoQueue{};
  if (r) throw std::runtime_error(std::string("DRM_IOCTL_TESSERA_QUEUE_CREATE: ") + std::strerror(-r));
  kernel_id_ = c.queue_id;
  if (id_ == UINT32_MAX) id_ = kernel_id_;  // the runtime keeps its first name
  dev_.register_queue(kernel_id_, id_, base_);
}

void DrmQueue::destroy() {
  dev_.unregister_queue(kernel_id_);
  auto d = uapi_struct<drm_tessera_queue_destroy>();
  d.queue_id = kernel_id_;
  dev_.ioctl(DRM_IOCTL_TESSERA_QUEUE_DESTROY, &d);
}

uint64_t DrmQueue::submit(const t1_packet* packets, size_t count) {
  std::lock_guard lock(mu_);
  const uint64_t first = write_index_;
  auto s = uapi_struct<drm_tessera_submit>();
  s.queue_id = kernel_id_;
  s.packet_count = static_cast<uint32_t>(count);
  s.packets_ptr = reinterpret_cast<uint64_t>(packets);
  for (;;) {
    const int r = dev_.ioctl(DRM_IOCTL_TESSERA_SUBMIT, &s);
    if (r == -EAGAIN || r == -EBUSY) {  // the driver holds enough jobs already
      usleep(50);
      continue;
    }
    if (r != 0) {
      // A stopped queue (or a lost device): the packets never run; the
      // caller learns why from error() and completes their signals.
      refresh_locked(true);
      if (!stopped_) {
        stopped_ = true;
        cause_ = T1_FAULT_ABORTED;
        error_index_ = first;
      }
    }
    break;
  }
  write_index_ += count;
  return first;
}

void DrmQueue::refresh_locked(bool force) {
  const uint64_t ev = dev_.events();
  if (!force && ev == events_seen_) return;  // nothing happened since the last look
  events_seen_ = ev;
  auto st = uapi_struct<drm_tessera_queue_status>();
  st.queue_id = kernel_id_;
  if (dev_.ioctl(DRM_IOCTL_TESSERA_QUEUE_STATUS, &st) != 0) {
    stopped_ = true;
    cause_ = T1_FAULT_ABORTED;
    error_index_ = read_index_;
    return;
  }
  read_index_ = base_ + st.read_index;
  if (st.state != DRM_TESSERA_QUEUE_STATE_OK && !stopped_) {
    stopped_ = true;
    cause_ = st.error_cause;
    if (st.state == DRM_TESSERA_QUEUE_STATE_TIMEOUT) cause_ = T1_FAULT_WATCHDOG;  // the driver's job timeout
    if (st.state == DRM_TESSERA_QUEUE_STATE_LOST) cause_ = T1_FAULT_ABORTED;
    error_index_ = base_ + st.error_index;
  }
}

bool DrmQueue::error(uint32_t& cause, uint64_t& index) {
  std::lock_guard lock(mu_);
  refresh_locked(false);
  if (!stopped_) return false;
  cause = cause_;
  index = error_index_;
  return true;
}

uint64_t DrmQueue::read_index() {
  std::lock_guard lock(mu_);
  refresh_locked(false);
  return read_index_;
}

void DrmQueue::restart() {
  std::lock_guard lock(mu_);
  destroy();
  base_ = write_index_;
  read_index_ = write_index_;
  stopped_ = false;
  cause_ = 0;
  try {
    create();
  } catch (const std::runtime_error&) {
    if (!dev_.lost()) throw;
    // A lost device has no queue to give: stay stopped, so that every
    // later packet is abandoned with the device's error.
    stopped_ = true;
    cause_ = T1_FAULT_ABORTED;
    error_index_ = write_index_;
  }
}

}  // namespace tessera::rt::hal
