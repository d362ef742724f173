// SPDX-License-Identifier: Apache-2.0
// `tessera-emu serve`: emulated T1 chips served to QEMU guests as
// `ivshmem-doorbell` PCI devices (tessera/hw/t1_ivshmem.h,
// docs/hardware/ivshmem-transport.md).
//
// One Fabric of N chips, one listening UNIX socket. Each QEMU connection
// takes the lowest-numbered free chip (a QEMU with N ivshmem-doorbell
// devices on the same socket connects them in device order); when it
// disconnects the chip is reset and scrubbed and waits for the next one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <tessera/emu/device.hpp>

#include "ivshmem_socket.hpp"
#include "transport.hpp"
#include "unique_fd.hpp"

namespace tessera::emu::serve {

struct ServeOptions {
  std::string socket_path;
  uint32_t devices = 1;  // chips in the fabric, 1..64
  DeviceConfig config;   // per chip; host_windows is forced off
  // Optional: when this fd becomes readable the server stops (the command
  // passes a signalfd for SIGTERM/SIGINT). Not owned.
  int stop_fd = -1;
  // Print the start lines (one per device, then "ready") to stdout.
  bool announce = true;
};

class Server {
 public:
  // Creates the chips, their transports and the listening socket, then
  // announces. Throws ServeError for a bad socket path or option, and
  // std::exception (invalid config, out of memory) otherwise.
  explicit Server(ServeOptions options);
  ~Server();  // shuts down if run() did not
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Serves until stop() or the stop fd, then shuts down: every transport
  // block says STOPPED, threads are joined, connections closed, the socket
  // unlinked. Returns 0.
  int run();
  // Ends run(). Any thread; async-signal-safe.
  void stop();

  Fabric& fabric() { return *fabric_; }
  const std::string& socket_path() const { return opt_.socket_path; }

 private:
  void accept_connection();
  void disconnect(size_t device);
  void shutdown();

  ServeOptions opt_;
  std::unique_ptr<Fabric> fabric_;
  std::vector<std::unique_ptr<Transport>> transports_;
  std::vector<UniqueFd> connections_;  // by device; empty = free
  std::unique_ptr<ListeningSocket> socket_;
  UniqueFd stop_;
  bool shut_down_ = false;
};

}  // namespace tessera::emu::serve
