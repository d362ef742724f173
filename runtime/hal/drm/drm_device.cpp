// SPDX-License-Identifier: Apache-2.0
#include "hal/drm/drm_device.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <xf86drm.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

#include "hal/drm/drm_queue.hpp"
#include "hal/drm/drm_uapi.hpp"
#include "hal/va_window.hpp"

namespace tessera::rt::hal {
namespace {

constexpr uint64_t kPage = T1_PAGE_SIZE;
uint64_t page_round(uint64_t n) { return (n + kPage - 1) & ~(kPage - 1); }

}  // namespace

DrmDevice::DrmDevice(const std::string& path) : path_(path) { open_node(); }

DrmDevice::~DrmDevice() { close_node(); }

int DrmDevice::ioctl(unsigned long request, void* arg) const {
  // drmIoctl restarts on EINTR and EAGAIN itself.
  if (drmIoctl(fd_, request, arg) == 0) return 0;
  const int e = errno;
  if (e == ENODEV) lost_.store(true, std::memory_order_release);  // the driver declared the device lost
  return -e;
}

void DrmDevice::ioctl_or_throw(unsigned long request, void* arg, const char* what) const {
  if (const int r = ioctl(request, arg))
    throw std::runtime_error(path_ + ": " + what + ": " + std::strerror(-r));
}

void DrmDevice::open_node() {
  fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0) throw std::runtime_error("cannot open " + path_ + ": " + std::strerror(errno));
  try {
    drmVersionPtr v = drmGetVersion(fd_);
    if (!v) throw std::runtime_error(path_ + ": DRM_IOCTL_VERSION failed: " + std::strerror(errno));
    const std::string name(v->name, v->name_len);
    driver_version_ = std::to_string(v->version_major) + "." + std::to_string(v->version_minor) + "." +
                      std::to_string(v->version_patchlevel);
    drmFreeVersion(v);
    if (name != "tessera") throw std::runtime_error(path_ + " belongs to the '" + name + "' driver, not tessera");

    auto di = uapi_struct<drm_tessera_device_info>();
    ioctl_or_throw(DRM_IOCTL_TESSERA_DEVICE_INFO, &di, "DRM_IOCTL_TESSERA_DEVICE_INFO");
    if ((di.uapi_version >> 16) != DRM_TESSERA_UAPI_VERSION_MAJOR)
      throw VersionMismatch(path_ + ": the tessera driver speaks uAPI " + version_text(di.uapi_version) +
                            ", this runtime supports " + std::to_string(DRM_TESSERA_UAPI_VERSION_MAJOR) + ".x");
    if (T1_VERSION_MAJOR(di.hw_version) != T1_HW_VERSION_MAJOR)
      throw VersionMismatch(path_ + ": the device speaks T1 interface " + version_text(di.hw_version) +
                            ", this runtime supports " + version_text(T1_HW_VERSION) + " (same major required)");
    info_ = {};
    info_.device_id = di.device_id;
    info_.revision = di.revision;
    info_.hw_version_device = di.hw_version_device;
    info_.hw_version = T1_VERSION(T1_HW_VERSION_MAJOR, std::min<uint32_t>(T1_HW_VERSION_MINOR, T1_VERSION_MINOR(di.hw_version)));
    info_.caps = di.caps & ~T1_CAP_HOST_WINDOWS;  // not through the driver
    info_.tiles = di.tiles;
    info_.threads_per_tile = di.threads_per_tile;
    info_.warp_size = di.warp_size;
    info_.scratchpad_bytes = di.scratchpad_bytes;
    info_.memory_bytes = di.memory_bytes;
    info_.queues = di.queues;
    info_.links = di.links;
    info_.clock_khz = di.clock_khz;
    info_.fabric_index = di.fabric_index;
    info_.watchdog_ms = di.job_timeout_ms;
    context_id_ = di.context_id;
    link_peers_.clear();
    for (uint32_t l = 0; l < di.links && l < 8; ++l)
      if (di.link_peer[l] != T1_LINK_NO_PEER) link_peers_.push_back(di.link_peer[l]);

    // Device VAs come from a host reservation (unified addressing): BOs are
    // mapped at the same address in the process and in the context. Twice
    // the memory leaves room for fragmentation.
    va_size_ = 2 * page_round(di.memory_bytes);
    VaWindow w;
    if (!reserve_va_window(va_size_, di.va_start, di.va_end, w))
      throw std::runtime_error(path_ + ": cannot reserve a device address range in this process");
    va_reservation_ = w.reservation;
    va_reservation_size_ = w.reservation_size;
    va_base_ = w.base;
    vas_.reset(va_base_, va_size_);
  } catch (...) {
    ::close(fd_);
    fd_ = -1;
    throw;
  }
  stop_ = false;
  event_thread_ = std::thread([this] { event_loop(); });
}

void DrmDevice::close_node() {
  stop_ = true;
  if (event_thread_.joinable()) event_thread_.join();
  {
    std::lock_guard lock(mu_);
    mappings_.clear();
  }
  // Closing the file drops the context, its BOs, mappings and queues.
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (va_reservation_) munmap(va_reservation_, va_reservation_size_);
  va_reservation_ = nullptr;
}

std::string DrmDevice::emulator_version() const { return "T1 model through tessera.ko " + driver_version_; }

// ---- memory ---------------------------------------------------------------

int DrmDevice::map_bo(uint32_t handle, uint64_t va, uint64_t offset, uint64_t size, uint32_t perms) {
  if (!(perms & DRM_TESSERA_VM_PERMS)) return 0;  // no access at all: leave unmapped
  auto m = uapi_struct<drm_tessera_vm_map>();
  m.flags = perms & DRM_TESSERA_VM_PERMS;
  if (m.flags & (DRM_TESSERA_VM_WRITE | DRM_TESSERA_VM_EXEC)) m.flags |= DRM_TESSERA_VM_READ;
  m.handle = handle;
  m.bo_offset = offset;
  m.va = va;
  m.length = size;
  return ioctl(DRM_IOCTL_TESSERA_VM_MAP, &m);
}

void DrmDevice::unmap_va(uint64_t va) {
  auto u = uapi_struct<drm_tessera_vm_unmap>();
  u.va = va;
  ioctl(DRM_IOCTL_TESSERA_VM_UNMAP, &u);
}

bool DrmDevice::alloc(uint64_t size, uint32_t perms, Allocation& out) {
  const uint64_t bytes = page_round(size ? size : 1);
  const uint64_t align = bytes >= T1_HUGE_PAGE_SIZE ? T1_HUGE_PAGE_SIZE : kPage;
  std::lock_guard lock(mu_);
  const auto va = vas_.alloc(bytes, align);
  if (!va) return false;
  auto c = uapi_struct<drm_tessera_bo_create>();
  c.bytes = bytes;
  if (ioctl(DRM_IOCTL_TESSERA_BO_CREATE, &c) != 0) {
    vas_.free(*va, bytes);
    return false;
  }
  auto gem_close = [&] {
    drm_gem_close g{};
    g.handle = c.handle;
    ioctl(DRM_IOCTL_GEM_CLOSE, &g);
    vas_.free(*va, bytes);
  };
  auto bi = uapi_struct<drm_tessera_bo_info>();
  bi.handle = c.handle;
  void* p = MAP_FAILED;
  if (ioctl(DRM_IOCTL_TESSERA_BO_INFO, &bi) == 0)
    p = mmap(reinterpret_cast<void*>(*va), bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd_, static_cast<off_t>(bi.mmap_offset));
  if (p == MAP_FAILED) {
    gem_close();
    return false;
  }
  if (map_bo(c.handle, *va, 0, bytes, perms) != 0) {
    mmap(p, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
    gem_close();
    return false;
  }
  mappings_[*va] = {bytes, c.handle, perms};
  out.va = *va;
  out.size = bytes;
  out.host = static_cast<uint8_t*>(p);
  out.handle = c.handle;
  return true;
}

void DrmDevice::release(uint64_t va, const Mapping& m) {
  if (m.perms) unmap_va(va);  // waits for the context's jobs, invalidates the TLB
  mmap(reinterpret_cast<void*>(va), m.size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
}

void DrmDevice::free(const Allocation& a) {
  std::lock_guard lock(mu_);
  auto it = mappings_.find(a.va);
  if (it == mappings_.end()) return;  // dropped by a reset
  // protect() may have split the allocation into pieces (same handle).
  const uint64_t end = a.va + std::max(a.size, it->second.size);
  const uint32_t handle = it->second.handle;
  uint64_t total = 0;
  while (it != mappings_.end() && it->first < end && it->second.handle == handle) {
    if (it->second.perms) unmap_va(it->first);
    total += it->second.size;
    it = mappings_.erase(it);
  }
  mmap(reinterpret_cast<void*>(a.va), total, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
  drm_gem_close g{};
  g.handle = handle;
  ioctl(DRM_IOCTL_GEM_CLOSE, &g);  // the driver scrubs the memory
  vas_.free(a.va, total);
}

void DrmDevice::protect(uint64_t va, uint64_t size, uint32_t perms) {
  const uint64_t end = va + page_round(size);
  std::lock_guard lock(mu_);
  // Pieces of allocations overlapping [va, end) are remapped with the new
  // permissions; the parts outside keep theirs.
  auto it = mappings_.upper_bound(va);
  if (it != mappings_.begin()) --it;
  while (it != mappings_.end() && it->first < end) {
    const uint64_t s = it->first, e = s + it->second.size;
    if (e <= va) {
      ++it;
      continue;
    }
    const Mapping m = it->second;
    // BO offset of the piece = distance from the allocation's first piece.
    auto first = it;
    while (first != mappings_.begin()) {
      auto prev = std::prev(first);
      if (prev->second.handle != m.handle || prev->first + prev->second.size != first->first) break;
      first = prev;
    }
    const uint64_t bo_base = first->first;
    if (m.perms) unmap_va(s);
    it = mappings_.erase(it);
    const uint64_t cut0 = std::max(s, va), cut1 = std::min(e, end);
    struct Piece {
      uint64_t from, to;
      uint32_t perms;
    } pieces[3] = {{s, cut0, m.perms}, {cut0, cut1, perms}, {cut1, e, m.perms}};
    for (const Piece& p : pieces) {
      if (p.from >= p.to) continue;
      if (const int r = map_bo(m.handle, p.from, p.from - bo_base, p.to - p.from, p.perms))
        throw std::runtime_error(path_ + ": DRM_IOCTL_TESSERA_VM_MAP of " + std::to_string(p.to - p.from) +
                                 " bytes at " + std::to_string(p.from) + " while changing page permissions: " +
                                 std::strerror(-r));
      it = mappings_.emplace(p.from, Mapping{p.to - p.from, m.handle, p.perms}).first;
    }
    ++it;
  }
}

uint64_t DrmDevice::memory_free() const {
  auto di = uapi_struct<drm_tessera_device_info>();
  return ioctl(DRM_IOCTL_TESSERA_DEVICE_INFO, &di) == 0 ? di.memory_free : 0;
}

void DrmDevice::map_host(void*, uint64_t) {
  throw std::runtime_error("host memory windows are not available through the tessera kernel driver");
}

void DrmDevice::unmap_host(void*, uint64_t) {}

uint8_t* DrmDevice::alloc_host(uint64_t size) {
  Allocation a;
  if (!alloc(size, T1_ACCESS_READ | T1_ACCESS_WRITE, a)) throw std::bad_alloc();
  return a.host;  // == its device VA
}

void DrmDevice::free_host(uint8_t* p, uint64_t size) {
  Allocation a;
  a.va = reinterpret_cast<uint64_t>(p);
  a.size = page_round(size);
  free(a);
}

void DrmDevice::attach_peer(Device& peer) {
  auto* p = dynamic_cast<DrmDevice*>(&peer);
  if (!p) throw std::runtime_error("peer access between devices of different backends");
  auto a = uapi_struct<drm_tessera_peer_attach>();
  a.peer_fd = p->fd_;
  ioctl_or_throw(DRM_IOCTL_TESSERA_PEER_ATTACH, &a, "DRM_IOCTL_TESSERA_PEER_ATTACH");
  if (a.peer_device != p->info().fabric_index || a.peer_context != p->context_id())
    throw std::runtime_error(path_ + ": the driver attached chip " + std::to_string(a.peer_device) + " context " +
                             std::to_string(a.peer_context) + ", expected chip " +
                             std::to_string(p->info().fabric_index) + " context " + std::to_string(p->context_id()));
}

// ---- queues, events, faults -----------------------------------------------

std::unique_ptr<Queue> DrmDevice::create_queue(uint32_t ring_packets, uint32_t priority) {
  try {
    return std::make_unique<DrmQueue>(*this, ring_packets, std::min<uint32_t>(priority, T1_QUEUE_PRIORITY_MAX));
  } catch (const DrmQueue::NoQueue&) {
    return nullptr;
  }
}

void DrmDevice::register_queue(uint32_t kernel_id, uint32_t id, uint64_t base) {
  std::lock_guard lock(mu_);
  queues_[kernel_id] = {id, base};
}

void DrmDevice::unregister_queue(uint32_t kernel_id) {
  std::lock_guard lock(mu_);
  queues_.erase(kernel_id);
}

void DrmDevice::set_event_handler(std::function<void()> on_event) {
  std::lock_guard lock(event_mu_);
  on_event_ = std::move(on_event);
}

void DrmDevice::event_loop() {
  uint64_t seen = 0;
  while (!stop_.load(std::memory_order_acquire)) {
    auto w = uapi_struct<drm_tessera_wait>();
    w.flags = DRM_TESSERA_WAIT_CONTEXT_EVENT;
    w.seqno = seen;
    w.timeout_ns = 100'000'000;  // to notice stop_
    const int r = ioctl(DRM_IOCTL_TESSERA_WAIT, &w);
    if (r == 0 && w.seqno != seen) {
      seen = w.seqno;
      events_.store(seen, std::memory_order_release);
    } else if (r == -ETIMEDOUT || r == -EINTR) {
      continue;
    } else if (r != 0) {
      // Device lost (or a driver bug): let waiters look at their queues,
      // which now report the loss, and do not spin.
      events_.fetch_add(1, std::memory_order_acq_rel);
      usleep(100'000);
    }
    std::function<void()> cb;
    {
      std::lock_guard lock(event_mu_);
      cb = on_event_;
    }
    if (cb) cb();
  }
}

std::vector<t1_fault_record> DrmDevice::take_faults() {
  std::vector<t1_fault_record> out;
  for (;;) {
    t1_fault_record recs[16];
    auto g = uapi_struct<drm_tessera_get_faults>();
    g.count = 16;
    g.records_ptr = reinterpret_cast<uint64_t>(recs);
    if (ioctl(DRM_IOCTL_TESSERA_GET_FAULTS, &g) != 0) break;
    std::lock_guard lock(mu_);
    for (uint32_t i = 0; i < g.count && i < 16; ++i) {
      t1_fault_record r = recs[i];
      // The driver numbers packets per kernel queue; the runtime's queue
      // may have been recreated under one stable id.
      if (auto q = queues_.find(r.queue); q != queues_.end()) {
        r.queue = q->second.id;
        r.packet_index += q->second.base;
      }
      out.push_back(r);
    }
    if (g.count < 16) break;
  }
  return out;
}

void DrmDevice::reset() {
  // A fresh file is a fresh context: everything of the old one (BOs,
  // mappings, queues, faults) goes with the old file.
  close_node();
  {
    std::lock_guard lock(mu_);
    queues_.clear();
  }
  open_node();
}

}  // namespace tessera::rt::hal
