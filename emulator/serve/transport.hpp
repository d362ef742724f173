// SPDX-License-Identifier: Apache-2.0
// The ivshmem transport of one served chip (tessera/hw/t1_ivshmem.h): the
// transport block, the register-write queue (RWQ) applier, the heartbeat,
// and interrupts forwarded to the guest's eventfds.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <thread>

#include <tessera/emu/device.hpp>

#include "ivshmem_socket.hpp"
#include "unique_fd.hpp"

namespace tessera::emu::serve {

class Transport {
 public:
  static constexpr uint32_t kServerPeerId = 0;

  // Writes the transport block (state RUNNING), creates the emulator's
  // doorbell eventfds, hooks the chip's interrupts and starts the
  // transport thread (RWQ applier + heartbeat). Throws std::system_error.
  explicit Transport(Device& device);
  ~Transport();  // stop()
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  Device& device() { return dev_; }
  // The eventfds the guest's doorbells to kServerPeerId signal, by vector.
  VectorFds server_fds() const;

  // A QEMU takes the device: creates the eventfds that raise its MSI-X
  // vectors (returned, to be sent to it) and routes interrupts to them.
  // Throws std::system_error.
  VectorFds attach();
  // The QEMU is gone: interrupts go nowhere, the chip is reset (queues
  // stopped, CONTROL.DRIVER_READY and INT_MASK cleared), the RWQ is emptied
  // (rwq_head = rwq_tail = rwq_dropped = 0) and device memory is scrubbed,
  // so the next guest gets a fresh device.
  void detach();

  // Sets state STOPPED and stops the thread; interrupts go nowhere.
  // Idempotent.
  void stop();

  // Posted writes dropped since the last detach (also rwq_dropped).
  uint64_t dropped() const;

 private:
  void thread_main();
  void apply_rwq();  // applies rwq_tail..rwq_head; with apply_mu_
  void on_interrupt(uint32_t vector);

  Device& dev_;
  t1_ivshmem_transport* t_;
  std::array<UniqueFd, T1_IVSHMEM_VECTORS> server_fds_;
  UniqueFd timer_;
  UniqueFd stop_;

  std::mutex irq_mu_;  // guest_fds_
  std::array<UniqueFd, T1_IVSHMEM_VECTORS> guest_fds_;

  std::mutex apply_mu_;  // the RWQ and the chip's reset
  bool warned_head_ = false;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace tessera::emu::serve
