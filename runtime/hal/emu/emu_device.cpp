// SPDX-License-Identifier: Apache-2.0
#include "hal/emu/emu_device.hpp"

#include <sys/mman.h>

#include <atomic>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

namespace tessera::rt::hal {
namespace {

constexpr uint64_t kPage = T1_PAGE_SIZE;
uint64_t page_round(uint64_t n) { return (n + kPage - 1) & ~(kPage - 1); }

uint64_t pte_flags(uint32_t perms) {
  uint64_t f = 0;
  if (perms & T1_ACCESS_READ) f |= T1_PTE_R;
  if (perms & T1_ACCESS_WRITE) f |= T1_PTE_R | T1_PTE_W;  // W requires R
  if (perms & T1_ACCESS_EXEC) f |= T1_PTE_X;
  return f;
}

// Completion interrupts are off until a waiter arms them (one-shot); the
// other vectors are always on.
constexpr uint32_t kMaskAll = (1u << T1_NUM_VECTORS) - 1;
constexpr uint32_t kMaskIdle = kMaskAll & ~T1_INT_BIT(T1_VEC_QUEUE_COMPLETION);

// One hardware queue: a ring of packets in page-locked host memory mapped
// into the context (the device reads it through its MMU like any memory).
class EmuQueue final : public Queue {
 public:
  EmuQueue(EmuDevice& dev, uint32_t id, uint32_t packets, uint32_t priority)
      : dev_(dev), id_(id), size_(packets) {
    bytes_ = page_round(uint64_t{packets} * T1_PACKET_SIZE);
    void* p = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ring_ = static_cast<uint8_t*>(p);
    dev_.map_host(ring_, bytes_);
    auto& chip = dev_.chip();
    const uint32_t base = T1_REG_QUEUE(id_);
    chip.write64(base + T1_QREG_RING_BASE, reinterpret_cast<uint64_t>(ring_));
    chip.write32(base + T1_QREG_RING_SIZE, size_);
    chip.write32(base + T1_QREG_CONTEXT, dev_.context_id());
    chip.write32(base + T1_QREG_PRIORITY, priority);
    // A previous owner of this queue number may have left packets behind.
    write_index_ = chip.read64(base + T1_QREG_WRITE_INDEX);
    chip.write64(base + T1_QREG_READ_INDEX, write_index_);
    chip.write32(base + T1_QREG_CONTROL, T1_QCTL_ENABLE);
  }
  ~EmuQueue() override {
    disable();
    dev_.unmap_host(ring_, bytes_);
    munmap(ring_, bytes_);
    dev_.release_queue_id(id_);
  }

  uint32_t id() const override { return id_; }

  void wait_for_room(size_t count) override {
    std::lock_guard lock(mu_);
    room_locked(count);
  }

  uint64_t submit(const t1_packet* packets, size_t count) override {
    std::lock_guard lock(mu_);
    const uint64_t first = write_index_;
    auto& chip = dev_.chip();
    for (size_t i = 0; i < count; ++i) {
      if (!room_locked(1)) return first;
      uint8_t* slot = ring_ + (write_index_ % size_) * T1_PACKET_SIZE;
      std::memcpy(slot + 2, reinterpret_cast<const uint8_t*>(&packets[i]) + 2, T1_PACKET_SIZE - 2);
      std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(slot)).store(packets[i].header, std::memory_order_release);
      ++write_index_;
    }
    chip.write64(T1_REG_DOORBELL(id_), write_index_);
    return first;
  }

  void kick() override { dev_.chip().ring_doorbell(id_); }

  // Waits for `count` free slots; false when the queue stopped on an error
  // (a stopped queue never frees a slot; the caller learns of the error
  // from the queue and its signals).
  bool room_locked(size_t count) {
    for (unsigned spins = 0; write_index_ + count - read_index() > size_; ++spins) {
      uint32_t cause;
      uint64_t at;
      if (error(cause, at)) return false;
      if (spins > 64) std::this_thread::sleep_for(std::chrono::microseconds(20));
      else std::this_thread::yield();
    }
    return true;
  }

  bool error(uint32_t& cause, uint64_t& index) override {
    const uint32_t st = dev_.chip().read32(T1_REG_QUEUE(id_) + T1_QREG_STATUS);
    if (!(st & T1_QSTATUS_ERROR)) return false;
    cause = T1_QSTATUS_CAUSE(st);
    index = dev_.chip().read64(T1_REG_QUEUE(id_) + T1_QREG_ERROR_INDEX);
    return true;
  }

  uint64_t read_index() override { return dev_.chip().read64(T1_REG_QUEUE(id_) + T1_QREG_READ_INDEX); }

  void restart() override {
    std::lock_guard lock(mu_);
    disable();
    auto& chip = dev_.chip();
    const uint32_t base = T1_REG_QUEUE(id_);
    std::memset(ring_, 0, bytes_);  // no stale packet may run later
    chip.write64(base + T1_QREG_READ_INDEX, write_index_);
    chip.write64(base + T1_QREG_WRITE_INDEX, write_index_);
    chip.write32(base + T1_QREG_CONTROL, T1_QCTL_ENABLE);
  }

 private:
  void disable() {
    auto& chip = dev_.chip();
    const uint32_t base = T1_REG_QUEUE(id_);
    chip.write32(base + T1_QREG_CONTROL, 0);
    while (chip.read32(base + T1_QREG_STATUS) & T1_QSTATUS_ACTIVE) std::this_thread::yield();
  }

  EmuDevice& dev_;
  uint32_t id_, size_;
  uint64_t bytes_ = 0;
  uint8_t* ring_ = nullptr;
  std::mutex mu_;
  uint64_t write_index_ = 0;
};

}  // namespace

EmuDevice::EmuDevice(emu::Device& chip, std::vector<uint32_t> link_peers)
    : chip_(chip), link_peers_(std::move(link_peers)), tables_(chip.memory_base(), [this] {
        return phys_.alloc(T1_HUGE_PAGE_SIZE, T1_HUGE_PAGE_SIZE);
      }) {
  info_.device_id = chip_.read32(T1_REG_DEVICE_ID);
  info_.revision = chip_.read32(T1_REG_REVISION);
  info_.hw_version_device = chip_.read32(T1_REG_HW_VERSION);
  info_.caps = chip_.read64(T1_REG_CAPS);
  info_.tiles = chip_.read32(T1_REG_NUM_TILES);
  info_.threads_per_tile = chip_.read32(T1_REG_THREADS_PER_TILE);
  info_.warp_size = chip_.read32(T1_REG_WARP_SIZE);
  info_.scratchpad_bytes = chip_.read32(T1_REG_SCRATCHPAD_SIZE);
  info_.memory_bytes = chip_.read64(T1_REG_MEM_SIZE);
  info_.queues = chip_.read32(T1_REG_NUM_QUEUES);
  info_.links = chip_.read32(T1_REG_NUM_LINKS);
  info_.clock_khz = chip_.read32(T1_REG_CLOCK_KHZ);
  info_.fabric_index = chip_.read32(T1_REG_DEVICE_INDEX);
  info_.watchdog_ms = chip_.config().watchdog_ms;
  queue_used_.assign(info_.queues, false);

  // Device VAs come from a host reservation so that they never collide with
  // host pointers (unified addressing); VA = va_base_ + physical address.
  va_size_ = info_.memory_bytes;
  VaWindow w;
  if (!reserve_va_window(va_size_, T1_PAGE_SIZE, uint64_t{1} << (T1_VA_BITS - 1), w))
    throw std::runtime_error("cannot reserve the device address range");
  va_reservation_ = w.reservation;
  va_reservation_size_ = w.reservation_size;
  va_base_ = w.base;
  start();
}

EmuDevice::~EmuDevice() {
  chip_.set_interrupt_handler(nullptr);
  chip_.write32(T1_REG_CONTROL, 0);
  for (auto& [host, w] : windows_) chip_.unmap_host_window(w.phys);
  munmap(va_reservation_, va_reservation_size_);
}

std::string EmuDevice::emulator_version() const { return std::string("libtessera-emu ") + TESSERA_PROJECT_VERSION; }

void EmuDevice::start() {
  chip_.write32(T1_REG_DRV_VERSION, T1_HW_VERSION);
  const uint32_t hs = chip_.read32(T1_REG_HANDSHAKE);
  if (!(hs & T1_HANDSHAKE_ACK))
    throw VersionMismatch("the device speaks T1 interface " + version_text(T1_HANDSHAKE_VERSION(hs)) +
                             ", this runtime supports " + version_text(T1_HW_VERSION) + " (same major required)");
  info_.hw_version = T1_VERSION(T1_HW_VERSION_MAJOR, std::min<uint32_t>(T1_HW_VERSION_MINOR, T1_VERSION_MINOR(info_.hw_version_device)));
  phys_.reset(kReservedLow, info_.memory_bytes - kReservedLow);
  tables_.clear();
  auto root = tables_.root();
  if (!root) throw std::runtime_error("device memory too small for page tables");
  auto* ctx = reinterpret_cast<t1_context_entry*>(chip_.memory_base());
  std::memset(ctx, 0, sizeof *ctx);
  ctx->root = *root | T1_CTX_VALID;
  chip_.write64(T1_REG_CTX_TABLE_BASE, 0);
  chip_.write32(T1_REG_CTX_TABLE_ENTRIES, 1);
  chip_.write32(T1_REG_INT_MASK, kMaskIdle);
  chip_.set_interrupt_handler([this](uint32_t v) { on_interrupt(v); });
  chip_.write32(T1_REG_CONTROL, T1_CONTROL_DRIVER_READY | T1_CONTROL_ENABLE);
}

void EmuDevice::on_interrupt(uint32_t vector) {
  if (vector == T1_VEC_FAULT) {
    std::lock_guard lock(fault_mu_);
    const uint32_t count = chip_.read32(T1_REG_FAULT_COUNT);
    uint32_t ack = chip_.read32(T1_REG_FAULT_ACK);
    if (count - ack > T1_FAULT_RING_ENTRIES) ack = count - T1_FAULT_RING_ENTRIES;  // overwritten
    for (; ack != count; ++ack) {
      t1_fault_record r;
      const volatile uint8_t* p = chip_.regs() + T1_REG_FAULT_SLOT(ack % T1_FAULT_RING_ENTRIES);
      std::memcpy(&r, const_cast<const uint8_t*>(p), sizeof r);
      faults_.push_back(r);
    }
    chip_.write32(T1_REG_FAULT_ACK, count);
  }
  // Disarm before acknowledging: a completion after this point stays
  // pending in INT_STATUS and fires when a waiter arms again.
  if (vector == T1_VEC_QUEUE_COMPLETION) chip_.write32(T1_REG_INT_MASK, kMaskIdle);
  chip_.write32(T1_REG_INT_STATUS, T1_INT_BIT(vector));
  if (vector == T1_VEC_QUEUE_COMPLETION || vector == T1_VEC_QUEUE_ERROR)
    chip_.write64(T1_REG_QUEUE_INT_STATUS, chip_.read64(T1_REG_QUEUE_INT_STATUS));
  std::function<void()> cb;
  {
    std::lock_guard lock(fault_mu_);
    cb = on_event_;
  }
  if (cb) cb();
}

void EmuDevice::set_event_handler(std::function<void()> on_event) {
  std::lock_guard lock(fault_mu_);
  on_event_ = std::move(on_event);
}

void EmuDevice::arm_completion_event() {
  // Unmasking delivers a completion that happened while disarmed (the
  // handler may then run on this thread).
  chip_.write32(T1_REG_INT_MASK, kMaskAll);
}

std::vector<t1_fault_record> EmuDevice::take_faults() {
  std::lock_guard lock(fault_mu_);
  return std::exchange(faults_, {});
}

void EmuDevice::invalidate_tlb() {
  chip_.write32(T1_REG_TLB_INVALIDATE, kContext);
  while (chip_.read32(T1_REG_TLB_INVALIDATE) != 0) std::this_thread::yield();
}

bool EmuDevice::alloc(uint64_t size, uint32_t perms, Allocation& out) {
  const uint64_t bytes = page_round(size ? size : 1);
  const uint64_t align = bytes >= T1_HUGE_PAGE_SIZE ? T1_HUGE_PAGE_SIZE : kPage;
  std::lock_guard lock(mu_);
  auto pa = phys_.alloc(bytes, align);
  if (!pa) return false;
  if (!tables_.map(va_base_ + *pa, *pa, bytes, pte_flags(perms))) {
    tables_.unmap(va_base_ + *pa, bytes);
    phys_.free(*pa, bytes);
    return false;
  }
  out.va = va_base_ + *pa;
  out.size = bytes;
  out.host = chip_.memory_base() + *pa;
  out.handle = *pa;
  return true;
}

void EmuDevice::free(const Allocation& a) {
  std::lock_guard lock(mu_);
  tables_.unmap(a.va, a.size);
  invalidate_tlb();
  chip_.scrub(a.handle, a.size);  // the next owner sees zeros, host memory is returned
  phys_.free(a.handle, a.size);
}

void EmuDevice::protect(uint64_t va, uint64_t size, uint32_t perms) {
  std::lock_guard lock(mu_);
  const uint64_t flags = pte_flags(perms);
  // No permission at all: split any 2 MiB leaf first, then drop the pages.
  if (!tables_.protect(va, page_round(size), flags ? flags : T1_PTE_R)) throw std::bad_alloc();
  if (!flags) tables_.unmap(va, page_round(size));
  invalidate_tlb();
}

uint64_t EmuDevice::memory_free() const {
  std::lock_guard lock(mu_);
  return phys_.free_bytes();
}

void EmuDevice::map_host(void* host, uint64_t size) {
  size = page_round(size);
  std::lock_guard lock(mu_);
  const uint64_t phys = chip_.map_host_window(host, size);
  if (!tables_.map(reinterpret_cast<uint64_t>(host), phys, size, T1_PTE_R | T1_PTE_W)) {
    chip_.unmap_host_window(phys);
    throw std::bad_alloc();
  }
  windows_[reinterpret_cast<uintptr_t>(host)] = {phys, size};
}

void EmuDevice::unmap_host(void* host, uint64_t size) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(reinterpret_cast<uintptr_t>(host));
  if (it == windows_.end()) return;
  tables_.unmap(reinterpret_cast<uint64_t>(host), page_round(size));
  invalidate_tlb();
  chip_.unmap_host_window(it->second.phys);
  windows_.erase(it);
}

uint8_t* EmuDevice::alloc_host(uint64_t size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  try {
    map_host(p, size);
  } catch (...) {
    munmap(p, size);
    throw;
  }
  return static_cast<uint8_t*>(p);
}

void EmuDevice::free_host(uint8_t* p, uint64_t size) {
  unmap_host(p, size);
  munmap(p, size);
}

std::unique_ptr<Queue> EmuDevice::create_queue(uint32_t ring_packets, uint32_t priority) {
  uint32_t id = 0;
  {
    std::lock_guard lock(mu_);
    while (id < queue_used_.size() && queue_used_[id]) ++id;
    if (id == queue_used_.size()) return nullptr;
    queue_used_[id] = true;
  }
  try {
    return std::make_unique<EmuQueue>(*this, id, ring_packets, std::min<uint32_t>(priority, T1_QUEUE_PRIORITY_MAX));
  } catch (...) {
    release_queue_id(id);
    throw;
  }
}

void EmuDevice::release_queue_id(uint32_t id) {
  std::lock_guard lock(mu_);
  queue_used_.at(id) = false;
}

void EmuDevice::reset() {
  chip_.write32(T1_REG_RESET, 1);
  while (chip_.read32(T1_REG_RESET) != 0) std::this_thread::yield();
  {
    std::lock_guard lock(mu_);
    for (auto& [host, w] : windows_) chip_.unmap_host_window(w.phys);
    windows_.clear();
    chip_.scrub(0, info_.memory_bytes);
    queue_used_.assign(info_.queues, false);
  }
  {
    std::lock_guard lock(fault_mu_);
    faults_.clear();
  }
  start();
}

}  // namespace tessera::rt::hal
