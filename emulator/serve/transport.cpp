// SPDX-License-Identifier: Apache-2.0
#include "transport.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <system_error>

namespace tessera::emu::serve {

namespace {

template <typename T>
std::atomic_ref<T> field(T& f) {
  return std::atomic_ref<T>(f);
}

UniqueFd make_eventfd() {
  UniqueFd fd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!fd) throw std::system_error(errno, std::generic_category(), "eventfd");
  return fd;
}

void drain(int fd) {
  uint64_t v;
  while (::read(fd, &v, sizeof v) > 0) {
  }
}

// A posted write the chip can take: 4 or 8 bytes, naturally aligned,
// inside the register page.
bool well_formed(const t1_ivshmem_rwq_entry& e) {
  if (e.width != 4 && e.width != 8) return false;
  return e.offset % e.width == 0 && e.offset <= T1_REG_PAGE_SIZE - e.width;
}

}  // namespace

Transport::Transport(Device& device) : dev_(device), t_(device.transport()) {
  for (auto& fd : server_fds_) fd = make_eventfd();
  stop_ = make_eventfd();
  timer_.reset(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!timer_) throw std::system_error(errno, std::generic_category(), "timerfd_create");
  itimerspec period{};
  period.it_interval.tv_nsec = T1_IVSHMEM_HEARTBEAT_MS * 1000000L;
  period.it_value = period.it_interval;
  if (::timerfd_settime(timer_.get(), 0, &period, nullptr) != 0)
    throw std::system_error(errno, std::generic_category(), "timerfd_settime");

  // The block is written before any QEMU can connect; magic goes last, so a
  // reader that sees it sees the rest.
  std::memset(static_cast<void*>(t_), 0, sizeof *t_);
  t_->version = T1_IVSHMEM_VERSION;
  t_->server_peer_id = kServerPeerId;
  t_->rwq_entries = T1_IVSHMEM_RWQ_ENTRIES;
  t_->mem_offset = dev_.shared_offset_of_memory();
  t_->mem_size = dev_.memory_size();
  t_->state = T1_IVSHMEM_STATE_RUNNING;
  field(t_->magic).store(T1_IVSHMEM_MAGIC, std::memory_order_release);

  dev_.set_interrupt_handler([this](uint32_t v) { on_interrupt(v); });
  thread_ = std::thread([this] { thread_main(); });
}

Transport::~Transport() { stop(); }

VectorFds Transport::server_fds() const {
  VectorFds fds;
  for (size_t v = 0; v < fds.size(); ++v) fds[v] = server_fds_[v].get();
  return fds;
}

VectorFds Transport::attach() {
  std::array<UniqueFd, T1_IVSHMEM_VECTORS> fresh;
  for (auto& fd : fresh) fd = make_eventfd();
  VectorFds out;
  for (size_t v = 0; v < out.size(); ++v) out[v] = fresh[v].get();
  std::lock_guard lock(irq_mu_);
  guest_fds_ = std::move(fresh);
  return out;
}

void Transport::detach() {
  {
    std::lock_guard lock(irq_mu_);
    for (auto& fd : guest_fds_) fd.reset();
  }
  // Not under irq_mu_: the reset waits for queue workers, which may be
  // delivering an interrupt.
  std::lock_guard lock(apply_mu_);
  dev_.write32(T1_REG_RESET, 1);
  // The next guest must not see this one's data.
  dev_.scrub(0, dev_.memory_size());
  for (auto& fd : server_fds_) drain(fd.get());
  warned_head_ = false;
  // Last, so that an empty RWQ means the device is ready for the next guest.
  field(t_->rwq_dropped).store(0, std::memory_order_relaxed);
  field(t_->rwq_tail).store(0, std::memory_order_relaxed);
  field(t_->rwq_head).store(0, std::memory_order_release);
}

void Transport::stop() {
  if (stopped_) return;
  stopped_ = true;
  field(t_->state).store(T1_IVSHMEM_STATE_STOPPED, std::memory_order_release);
  const uint64_t one = 1;
  if (::write(stop_.get(), &one, sizeof one) < 0) {
    // An eventfd write fails only on overflow, which one write cannot cause.
  }
  if (thread_.joinable()) thread_.join();
  dev_.set_interrupt_handler(nullptr);
  std::lock_guard lock(irq_mu_);
  for (auto& fd : guest_fds_) fd.reset();
}

uint64_t Transport::dropped() const {
  return field(t_->rwq_dropped).load(std::memory_order_acquire);
}

void Transport::on_interrupt(uint32_t vector) {
  std::lock_guard lock(irq_mu_);
  if (vector >= guest_fds_.size() || !guest_fds_[vector]) return;  // no guest: lost, as on silicon
  const uint64_t one = 1;
  // EAGAIN only if the guest never consumed 2^64 - 2 interrupts.
  if (::write(guest_fds_[vector].get(), &one, sizeof one) < 0) {
  }
}

void Transport::apply_rwq() {
  std::lock_guard lock(apply_mu_);
  uint64_t tail = field(t_->rwq_tail).load(std::memory_order_relaxed);
  for (;;) {
    const uint64_t head = field(t_->rwq_head).load(std::memory_order_acquire);
    if (head == tail) return;
    if (head - tail > T1_IVSHMEM_RWQ_ENTRIES) {
      // A head behind the tail or more than a queue ahead: no driver posts
      // that, and the slots cannot be trusted. Skip to it so a driver
      // waiting for rwq_tail == rwq_head is not stuck, and count it once.
      if (!warned_head_) {
        std::fprintf(stderr,
                     "tessera-emu serve: device %u: invalid rwq_head %llu (rwq_tail %llu); "
                     "posted writes skipped\n",
                     dev_.index(), static_cast<unsigned long long>(head),
                     static_cast<unsigned long long>(tail));
        warned_head_ = true;
      }
      field(t_->rwq_dropped).fetch_add(1, std::memory_order_relaxed);
      tail = head;
      field(t_->rwq_tail).store(tail, std::memory_order_release);
      return;
    }
    for (; tail != head; ++tail) {
      t1_ivshmem_rwq_entry& slot = t_->rwq[tail % T1_IVSHMEM_RWQ_ENTRIES];
      t1_ivshmem_rwq_entry e;
      e.offset = field(slot.offset).load(std::memory_order_relaxed);
      e.width = field(slot.width).load(std::memory_order_relaxed);
      e.value = field(slot.value).load(std::memory_order_relaxed);
      bool applied = false;
      if (well_formed(e)) {
        try {
          if (e.width == 4)
            dev_.write32(e.offset, static_cast<uint32_t>(e.value));
          else
            dev_.write64(e.offset, e.value);
          applied = true;
        } catch (const std::exception&) {
          // well_formed() rules out every case the device refuses.
        }
      }
      if (!applied) field(t_->rwq_dropped).fetch_add(1, std::memory_order_relaxed);
      // After the write's side effects: a driver waiting on rwq_tail sees them.
      field(t_->rwq_tail).store(tail + 1, std::memory_order_release);
    }
  }
}

void Transport::thread_main() {
  pollfd fds[2 + T1_IVSHMEM_VECTORS];
  fds[0] = {stop_.get(), POLLIN, 0};
  fds[1] = {timer_.get(), POLLIN, 0};
  for (size_t v = 0; v < T1_IVSHMEM_VECTORS; ++v) fds[2 + v] = {server_fds_[v].get(), POLLIN, 0};
  for (;;) {
    const int n = ::poll(fds, std::size(fds), -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "tessera-emu serve: device %u: poll: %s\n", dev_.index(),
                   std::strerror(errno));
      return;
    }
    if (fds[0].revents) return;
    bool apply = false;
    if (fds[1].revents) {
      drain(timer_.get());
      field(t_->heartbeat).fetch_add(1, std::memory_order_release);
      {
        // Refreshes TIMESTAMP in the page; under apply_mu_, since a reset
        // (always applied under it) rewrites the whole page.
        std::lock_guard lock(apply_mu_);
        dev_.read64(T1_REG_TIMESTAMP);
      }
      apply = true;  // also catches a doorbell a guest forgot to ring
    }
    for (size_t v = 0; v < T1_IVSHMEM_VECTORS; ++v) {
      if (!fds[2 + v].revents) continue;
      drain(server_fds_[v].get());
      // Only vector 0 means something (T1_IVSHMEM_VEC_RWQ); the others are
      // drained and ignored.
      if (v == T1_IVSHMEM_VEC_RWQ) apply = true;
    }
    if (apply) apply_rwq();
  }
}

}  // namespace tessera::emu::serve
