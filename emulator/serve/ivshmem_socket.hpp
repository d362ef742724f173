// SPDX-License-Identifier: Apache-2.0
// The UNIX socket QEMU's ivshmem-doorbell connects to, and the server side
// of its protocol (docs/hardware/ivshmem-transport.md): every message is one
// little-endian int64, optionally carrying one file descriptor.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <tessera/hw/t1_ivshmem.h>

#include "unique_fd.hpp"

namespace tessera::emu::serve {

// A condition that stops the server from starting (bad socket path, ...).
class ServeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A listening socket bound at a path, unlinked on destruction when the
// path still names this socket.
class ListeningSocket {
 public:
  // A stale socket at `path` (nothing accepts on it) is replaced; a socket
  // another server listens on, or any other kind of file, is a ServeError.
  explicit ListeningSocket(const std::string& path);
  ~ListeningSocket() { close_and_unlink(); }
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;

  int fd() const { return fd_.get(); }
  const std::string& path() const { return path_; }
  // Accepts one connection (close-on-exec); -1 when none was pending.
  int accept() const;
  void close_and_unlink();

 private:
  std::string path_;
  UniqueFd fd_;
  dev_t dev_ = 0;  // identity of the socket file we created
  ino_t ino_ = 0;
};

using VectorFds = std::array<int, T1_IVSHMEM_VECTORS>;

// Everything QEMU is told when it connects.
struct PeerSetup {
  int64_t qemu_id = 1;     // QEMU's peer id (its IVPosition)
  int shm_fd = -1;         // the BAR2 memory
  int64_t server_id = 0;   // the emulator's peer id (doorbell target)
  VectorFds server_fds{};  // eventfds the guest's doorbells to server_id signal
  VectorFds qemu_fds{};    // eventfds that raise the guest's MSI-X vectors
};

// Sends one message; false when the peer is gone or the send failed.
bool send_message(int sock, int64_t value, int fd = -1);
// Sends the setup sequence: protocol version 0; QEMU's id; -1 with the
// shared memory; the server's id with each of its vector eventfds; QEMU's
// id with each of its own. False when a send failed.
bool send_setup(int sock, const PeerSetup& setup);

}  // namespace tessera::emu::serve
