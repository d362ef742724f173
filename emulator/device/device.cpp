// SPDX-License-Identifier: Apache-2.0
// The Device API, the register page and its side effects, interrupts, fault
// records and reset.
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "device_impl.hpp"

namespace tessera::emu {

namespace {

EngineConfig engine_config(const DeviceConfig& c, uint32_t index, Device::Impl* device) {
  EngineConfig e;
  // Kernels read the TIMESTAMP clock through the `time` CSR.
  e.clock = [device] { return device->now_ns(); };
  e.tiles = c.tiles;
  e.threads_per_tile = c.threads_per_tile;
  e.scratchpad_bytes = c.scratchpad_bytes;
  e.host_threads = c.host_threads;
  e.deterministic = c.deterministic;
  e.device_id = index;
  return e;
}

bool is_queue_reg(uint32_t off, uint32_t& q, uint32_t& r) {
  if (off < T1_REG_QUEUE_BASE || off >= T1_REG_QUEUE(T1_MAX_QUEUES)) return false;
  q = (off - T1_REG_QUEUE_BASE) / T1_QUEUE_REGS_SIZE;
  r = (off - T1_REG_QUEUE_BASE) % T1_QUEUE_REGS_SIZE;
  return true;
}

}  // namespace

Device::Impl::Impl(Device& o, const DeviceConfig& config, uint32_t idx, Fabric* fab)
    : owner(o),
      cfg(config),
      index(idx),
      fabric(fab),
      mem(config.memory_bytes),
      page(mem.control() + T1_IVSHMEM_REGS_OFFSET),
      regs(page),
      mmu(mem, windows, regs, config.contexts),
      engine(std::make_unique<Engine>(engine_config(config, idx, this))),
      start(std::chrono::steady_clock::now()) {
  for (uint32_t q = 0; q < T1_MAX_QUEUES; ++q) queues[q].id = q;
  if (fabric) {
    for (uint32_t peer : fabric->peers(index)) {
      auto l = std::make_unique<Link>();
      l->peer = peer;
      links.push_back(std::move(l));
    }
  }
  // Identification and link blocks are written once; reset keeps them.
  regs.store32(T1_REG_SIGNATURE, T1_SIGNATURE);
  regs.store32(T1_REG_VENDOR_ID, T1_VENDOR_ID);
  regs.store32(T1_REG_DEVICE_ID, T1_DEVICE_ID_T1_EMU);
  regs.store32(T1_REG_REVISION, 1);
  regs.store32(T1_REG_HW_VERSION, T1_HW_VERSION);
  uint64_t caps = T1_CAP_EMULATED | T1_CAP_PEER_DMA | T1_CAP_FP64;
  if (cfg.host_windows) caps |= T1_CAP_HOST_WINDOWS;
  if (cfg.deterministic) caps |= T1_CAP_DETERMINISTIC;
  if (cfg.watchdog_ms) caps |= T1_CAP_WATCHDOG;
  regs.store64(T1_REG_CAPS, caps);
  regs.store32(T1_REG_NUM_TILES, cfg.tiles);
  regs.store32(T1_REG_THREADS_PER_TILE, cfg.threads_per_tile);
  regs.store32(T1_REG_WARP_SIZE, T1_WARP_SIZE);
  regs.store32(T1_REG_SCRATCHPAD_SIZE, cfg.scratchpad_bytes);
  regs.store64(T1_REG_MEM_SIZE, cfg.memory_bytes);
  regs.store32(T1_REG_NUM_QUEUES, cfg.queues);
  regs.store32(T1_REG_NUM_LINKS, static_cast<uint32_t>(links.size()));
  regs.store32(T1_REG_NUM_CONTEXTS, cfg.contexts);
  regs.store32(T1_REG_CLOCK_KHZ, 1000000);  // nominal 1 GHz
  regs.store32(T1_REG_DEVICE_INDEX, index);
  regs.store32(T1_REG_FAULT_RING_SIZE, T1_FAULT_RING_ENTRIES);
  for (uint32_t l = 0; l < T1_MAX_LINKS; ++l) {
    const uint32_t base = T1_REG_LINK(l);
    const bool present = l < links.size();
    regs.store32(base + T1_LREG_PEER_DEVICE, present ? links[l]->peer : T1_LINK_NO_PEER);
    regs.store32(base + T1_LREG_STATUS, present ? T1_LINK_STATUS_UP : 0);
    regs.store32(base + T1_LREG_BANDWIDTH_MBPS, present ? cfg.link_bandwidth_mbps : 0);
    regs.store32(base + T1_LREG_LATENCY_NS, present ? cfg.link_latency_ns : 0);
  }
  init_registers();
  if (cfg.watchdog_ms) watchdog = std::thread([this] { watchdog_main(); });
}

Device::Impl::~Impl() {
  {
    std::lock_guard lock(mu);
    shutdown = true;
    for (auto& q : queues) {
      q.reset_abort = true;
      q.cancel = true;
    }
  }
  wake_all();
  for (auto& q : queues)
    if (q.worker.joinable()) q.worker.join();
  if (watchdog.joinable()) watchdog.join();
}

// Clears everything between the identification and the link blocks.
void Device::Impl::init_registers() {
  std::memset(page + 0x100, 0, T1_REG_LINK_BASE - 0x100);
}

int64_t Device::Impl::host_ns() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() -
                                                              start)
      .count();
}

uint64_t Device::Impl::now_ns() {
  return cfg.deterministic ? det_clock.load(std::memory_order_relaxed)
                           : static_cast<uint64_t>(host_ns());
}

uint64_t Device::Impl::tick(uint64_t ns) {
  if (!cfg.deterministic) return static_cast<uint64_t>(host_ns());
  return det_clock.fetch_add(ns, std::memory_order_relaxed) + ns;
}

// ---- Registers ------------------------------------------------------------

uint32_t Device::Impl::read32(uint32_t off) { return regs.load32(off); }

uint64_t Device::Impl::read64(uint32_t off) {
  if (off == T1_REG_TIMESTAMP) regs.store64(off, now_ns());
  return regs.load64(off);
}

void Device::Impl::write32(uint32_t off, uint32_t v) {
  uint32_t q, r;
  if (is_queue_reg(off, q, r)) {
    if (q >= cfg.queues) return;
    switch (r) {
      case T1_QREG_RING_SIZE:
      case T1_QREG_CONTEXT:
      case T1_QREG_PRIORITY: regs.store32(off, v); return;
      case T1_QREG_CONTROL: queue_control(q, v); return;
      default: return;
    }
  }
  switch (off) {
    case T1_REG_DRV_VERSION: {
      regs.store32(off, v);
      const bool ok = T1_VERSION_MAJOR(v) == T1_HW_VERSION_MAJOR;
      regs.store32(T1_REG_HANDSHAKE, (ok ? T1_HANDSHAKE_ACK : T1_HANDSHAKE_NAK) | T1_HW_VERSION);
      if (ok) {
        regs.or32(T1_REG_STATUS, T1_STATUS_HANDSHAKE_OK);
      } else {
        // A refused driver loses the command processor until it agrees.
        regs.and32(T1_REG_STATUS, ~(T1_STATUS_HANDSHAKE_OK | T1_STATUS_ENABLED));
        regs.and32(T1_REG_CONTROL, ~T1_CONTROL_ENABLE);
      }
      return;
    }
    case T1_REG_CONTROL: {
      v &= T1_CONTROL_DRIVER_READY | T1_CONTROL_ENABLE;
      if (!(regs.load32(T1_REG_STATUS) & T1_STATUS_HANDSHAKE_OK)) v &= ~T1_CONTROL_ENABLE;
      {
        std::lock_guard lock(mu);
        regs.store32(off, v);
        if (v & T1_CONTROL_ENABLE)
          regs.or32(T1_REG_STATUS, T1_STATUS_ENABLED);
        else
          regs.and32(T1_REG_STATUS, ~T1_STATUS_ENABLED);
      }
      wake_all();
      if (v & T1_CONTROL_DRIVER_READY) deliver(regs.load32(T1_REG_INT_STATUS));
      return;
    }
    case T1_REG_RESET:
      if (v & 1) reset();
      return;
    case T1_REG_CTX_TABLE_ENTRIES:
      regs.store32(off, v);
      tlb_generation.fetch_add(1);
      return;
    case T1_REG_TLB_INVALIDATE:
      // Running dispatches keep their SIMT TLBs until they end; the command
      // processor's queue TLBs are dropped now. Done at once.
      tlb_generation.fetch_add(1);
      regs.store32(off, 0);
      return;
    case T1_REG_INT_STATUS: regs.and32(off, ~v); return;
    case T1_REG_INT_MASK: {
      const uint32_t old = regs.load32(off);
      regs.store32(off, v);
      deliver(regs.load32(T1_REG_INT_STATUS) & v & ~old);
      return;
    }
    case T1_REG_FAULT_ACK: {
      std::lock_guard lock(fault_mu);
      regs.store32(off, v);
      if (v == regs.load32(T1_REG_FAULT_COUNT)) regs.and32(T1_REG_STATUS, ~T1_STATUS_FAULT);
      return;
    }
    default: return;  // read-only or reserved
  }
}

void Device::Impl::write64(uint32_t off, uint64_t v) {
  uint32_t q, r;
  if (is_queue_reg(off, q, r)) {
    if (q >= cfg.queues) return;
    switch (r) {
      case T1_QREG_RING_BASE:
      case T1_QREG_WRITE_INDEX: regs.store64(off, v); return;
      case T1_QREG_READ_INDEX: {
        // The device owns READ_INDEX while the queue runs.
        std::lock_guard lock(mu);
        if (!queues[q].enabled && !queues[q].running) regs.store64(off, v);
        return;
      }
      default: return;
    }
  }
  if (off >= T1_REG_DOORBELL_BASE && off < T1_REG_DOORBELL(T1_MAX_QUEUES)) {
    const uint32_t dq = (off - T1_REG_DOORBELL_BASE) / 8;
    if (dq >= cfg.queues || (off & 7)) return;
    // The MMIO doorbell: the new write index and the wake-up in one write.
    regs.store64(T1_REG_QUEUE(dq) + T1_QREG_WRITE_INDEX, v);
    wake_doorbell(dq);
    return;
  }
  switch (off) {
    case T1_REG_CTX_TABLE_BASE:
      regs.store64(off, v);
      tlb_generation.fetch_add(1);
      return;
    case T1_REG_QUEUE_INT_STATUS: regs.and64(off, ~v); return;
    default: return;
  }
}

void Device::Impl::queue_control(uint32_t qi, uint32_t v) {
  QueueState& q = queues[qi];
  const uint32_t base = T1_REG_QUEUE(qi);
  {
    std::lock_guard lock(mu);
    const bool enable = v & T1_QCTL_ENABLE;
    regs.store32(base + T1_QREG_CONTROL, v & T1_QCTL_ENABLE);
    if (enable && !q.enabled) {
      q.enabled = true;
      ++q.epoch;
      q.ring_base = regs.load64(base + T1_QREG_RING_BASE);
      q.ring_size = regs.load32(base + T1_QREG_RING_SIZE);
      q.context = regs.load32(base + T1_QREG_CONTEXT);
      // Clear a previous error and start.
      regs.store32(base + T1_QREG_STATUS, T1_QSTATUS_ACTIVE);
      if (!q.worker.joinable()) q.worker = std::thread([this, &q] { worker_main(q); });
    } else if (!enable && q.enabled) {
      q.enabled = false;
      q.cancel = true;  // a running dispatch ends with T1_FAULT_ABORTED
      // ACTIVE stays until the worker has stopped (worker_main clears it);
      // a worker that already stopped on an error left it set: clear it.
      uint32_t clear = T1_QSTATUS_ERROR | 0xFF00u;
      if (!q.running) clear |= T1_QSTATUS_ACTIVE;
      regs.and32(base + T1_QREG_STATUS, ~clear);
    } else if (!enable) {
      regs.and32(base + T1_QREG_STATUS, ~(T1_QSTATUS_ERROR | 0xFF00u));
    }
  }
  wake_all();
}

void Device::Impl::reset() {
  std::lock_guard reset_lock(reset_mu);
  regs.store32(T1_REG_RESET, 1);
  regs.or32(T1_REG_STATUS, T1_STATUS_RESETTING);
  tlb_generation.fetch_add(1);
  std::unique_lock lock(mu);
  for (auto& q : queues) {
    if (!q.enabled && !q.running) continue;
    q.enabled = false;
    q.reset_abort = true;
    q.cancel = true;
  }
  wake_all();
  // Wait until every queue worker has left its packet loop; a worker never
  // calls reset itself (interrupt handlers must not), so this terminates.
  cv.wait(lock, [&] {
    for (auto& q : queues)
      if (q.running) return false;
    return true;
  });
  for (auto& q : queues) q.reset_abort = false;
  {
    std::lock_guard fl(fault_mu);
    init_registers();  // also clears RESET and STATUS
  }
  if (cfg.deterministic) det_clock = 0;
}

// ---- Interrupts and faults --------------------------------------------------

void Device::Impl::raise(uint32_t vector) {
  const uint32_t bit = T1_INT_BIT(vector);
  regs.or32(T1_REG_INT_STATUS, bit);
  deliver(bit);
}

void Device::Impl::deliver(uint32_t bits) {
  std::lock_guard lock(irq_mu);
  if (!(regs.load32(T1_REG_CONTROL) & T1_CONTROL_DRIVER_READY)) return;
  bits &= regs.load32(T1_REG_INT_MASK) & regs.load32(T1_REG_INT_STATUS);
  if (!irq_handler) return;
  for (uint32_t v = 0; v < T1_NUM_VECTORS; ++v)
    if (bits & T1_INT_BIT(v)) irq_handler(v);
}

void Device::Impl::record_fault(t1_fault_record rec) {
  {
    std::lock_guard lock(fault_mu);
    const uint32_t n = regs.load32(T1_REG_FAULT_COUNT);
    rec.sequence = n;
    rec.flags |= T1_FAULT_FLAG_VALID;
    rec.timestamp = now_ns();
    std::memcpy(page + T1_REG_FAULT_SLOT(n % T1_FAULT_RING_ENTRIES), &rec, sizeof rec);
    regs.store32(T1_REG_FAULT_COUNT, n + 1);  // release: the record is visible first
    regs.or32(T1_REG_STATUS, T1_STATUS_FAULT);
  }
  raise(T1_VEC_FAULT);
}

void Device::Impl::watchdog_main() {
  const int64_t limit = int64_t{cfg.watchdog_ms} * 1000000;
  const auto period = std::chrono::milliseconds(std::max<uint32_t>(1, std::min<uint32_t>(10, cfg.watchdog_ms / 4)));
  std::unique_lock lock(mu);
  while (!shutdown) {
    cv.wait_for(lock, period);
    const int64_t now = host_ns();
    for (auto& q : queues) {
      const int64_t t = q.dispatch_start.load();
      if (t >= 0 && now - t > limit && !q.watchdog_fired) {
        q.watchdog_fired = true;
        q.cancel = true;
      }
    }
  }
}

// ---- Device -----------------------------------------------------------------

Device::Device(const DeviceConfig& config) : Device(config, 0, nullptr) {}

Device::Device(const DeviceConfig& config, uint32_t index, Fabric* fabric) {
  config.validate();
  impl_ = std::make_unique<Impl>(*this, config, index, fabric);
}

Device::~Device() = default;

const DeviceConfig& Device::config() const { return impl_->cfg; }
uint32_t Device::index() const { return impl_->index; }
const volatile uint8_t* Device::regs() const { return impl_->page; }

static void check_offset(uint32_t off, uint32_t size) {
  if (off % size || off > T1_REG_PAGE_SIZE - size)
    throw std::out_of_range("T1 register offset misaligned or beyond the register page");
}

uint32_t Device::read32(uint32_t off) const {
  check_offset(off, 4);
  return impl_->read32(off);
}
uint64_t Device::read64(uint32_t off) const {
  check_offset(off, 8);
  return impl_->read64(off);
}
void Device::write32(uint32_t off, uint32_t v) {
  check_offset(off, 4);
  impl_->write32(off, v);
}
void Device::write64(uint32_t off, uint64_t v) {
  check_offset(off, 8);
  impl_->write64(off, v);
}

uint8_t* Device::memory_base() const { return impl_->mem.base(); }
uint64_t Device::memory_size() const { return impl_->mem.size(); }
int Device::memory_fd() const { return impl_->mem.fd(); }
void Device::scrub(uint64_t phys, uint64_t size) { impl_->mem.scrub(phys, size); }

int Device::shared_fd() const { return impl_->mem.fd(); }
uint64_t Device::shared_size() const { return impl_->mem.file_size(); }
uint64_t Device::shared_offset_of_memory() const { return T1_IVSHMEM_MEM_OFFSET; }
t1_ivshmem_transport* Device::transport() const {
  return reinterpret_cast<t1_ivshmem_transport*>(impl_->mem.control() +
                                                 T1_IVSHMEM_TRANSPORT_OFFSET);
}

uint64_t Device::map_host_window(void* host, uint64_t size) {
  if (!impl_->cfg.host_windows)
    throw std::logic_error("host windows are disabled on this device (T1_CAP_HOST_WINDOWS is clear)");
  return impl_->windows.map(host, size);
}
void Device::unmap_host_window(uint64_t phys) { impl_->windows.unmap(phys); }

void Device::ring_doorbell(uint32_t queue) {
  if (queue >= impl_->cfg.queues) throw std::out_of_range("doorbell: no such queue");
  impl_->wake_doorbell(queue);
}

void Device::set_interrupt_handler(std::function<void(uint32_t)> handler) {
  std::lock_guard lock(impl_->irq_mu);
  impl_->irq_handler = std::move(handler);
}

}  // namespace tessera::emu
