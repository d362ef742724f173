// SPDX-License-Identifier: Apache-2.0
#include "server.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace tessera::emu::serve {

namespace {

constexpr int64_t kQemuPeerId = 1;  // each chip is its own ivshmem "bus": QEMU is always peer 1

std::string mib(uint64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

}  // namespace

Server::Server(ServeOptions options) : opt_(std::move(options)) {
  if (opt_.devices < 1 || opt_.devices > 64) throw ServeError("devices must be 1..64");
  // A guest cannot lend the emulator its memory.
  opt_.config.host_windows = false;
  opt_.config.validate();
  stop_.reset(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!stop_) throw std::system_error(errno, std::generic_category(), "eventfd");
  fabric_ = std::make_unique<Fabric>(std::vector<DeviceConfig>(opt_.devices, opt_.config));
  for (uint32_t d = 0; d < opt_.devices; ++d)
    transports_.push_back(std::make_unique<Transport>(fabric_->device(d)));
  connections_.resize(opt_.devices);
  // Last: a QEMU may connect as soon as the socket exists.
  socket_ = std::make_unique<ListeningSocket>(opt_.socket_path);
  if (opt_.announce) {
    for (uint32_t d = 0; d < opt_.devices; ++d) {
      Device& dev = fabric_->device(d);
      std::printf("tessera-emu serve: device %u: %s, shm %s, socket %s\n", d,
                  mib(dev.memory_size()).c_str(), mib(dev.shared_size()).c_str(),
                  opt_.socket_path.c_str());
    }
    std::printf("tessera-emu serve: ready\n");
    std::fflush(stdout);
  }
}

Server::~Server() { shutdown(); }

void Server::stop() {
  const uint64_t one = 1;
  if (::write(stop_.get(), &one, sizeof one) < 0) {
    // Cannot fail short of 2^64 - 1 stops.
  }
}

int Server::run() {
  std::vector<pollfd> fds;
  std::vector<size_t> owner;  // device of each connection entry in fds
  for (;;) {
    fds.clear();
    owner.clear();
    fds.push_back({stop_.get(), POLLIN, 0});
    fds.push_back({opt_.stop_fd, POLLIN, 0});  // poll ignores a negative fd
    fds.push_back({socket_->fd(), POLLIN, 0});
    for (size_t d = 0; d < connections_.size(); ++d) {
      if (!connections_[d]) continue;
      fds.push_back({connections_[d].get(), POLLIN, 0});
      owner.push_back(d);
    }
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      std::fprintf(stderr, "tessera-emu serve: poll: %s\n", std::strerror(errno));
      break;
    }
    if (fds[0].revents || fds[1].revents) break;
    for (size_t i = 0; i < owner.size(); ++i) {
      if (!fds[3 + i].revents) continue;
      // QEMU never sends anything: data is ignored, EOF or an error means
      // it is gone.
      char buf[256];
      const ssize_t n = ::recv(fds[3 + i].fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EINTR))) continue;
      disconnect(owner[i]);
    }
    if (fds[2].revents) accept_connection();
  }
  shutdown();
  return 0;
}

void Server::accept_connection() {
  UniqueFd conn(socket_->accept());
  if (!conn) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != ECONNABORTED)
      std::fprintf(stderr, "tessera-emu serve: accept: %s\n", std::strerror(errno));
    return;
  }
  size_t d = 0;
  while (d < connections_.size() && connections_[d]) ++d;
  if (d == connections_.size()) {
    std::fprintf(stderr,
                 "tessera-emu serve: all %zu device%s in use; closing a new connection "
                 "(start QEMU with at most --devices ivshmem-doorbell devices)\n",
                 connections_.size(), connections_.size() == 1 ? " is" : "s are");
    return;
  }
  Transport& t = *transports_[d];
  PeerSetup setup;
  setup.qemu_id = kQemuPeerId;
  setup.shm_fd = t.device().shared_fd();
  setup.server_id = Transport::kServerPeerId;
  setup.server_fds = t.server_fds();
  try {
    setup.qemu_fds = t.attach();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tessera-emu serve: device %zu: %s; closing the connection\n", d, e.what());
    return;
  }
  if (!send_setup(conn.get(), setup)) {
    std::fprintf(stderr, "tessera-emu serve: device %zu: QEMU went away during setup\n", d);
    t.detach();
    return;
  }
  connections_[d] = std::move(conn);
  std::fprintf(stderr, "tessera-emu serve: device %zu: QEMU connected\n", d);
}

void Server::disconnect(size_t d) {
  connections_[d].reset();
  transports_[d]->detach();
  std::fprintf(stderr, "tessera-emu serve: device %zu: QEMU disconnected; device reset\n", d);
}

void Server::shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  // STOPPED first, on every chip, so guests learn it before the heartbeat
  // stands still.
  for (auto& t : transports_) t->stop();
  for (auto& c : connections_) c.reset();
  if (socket_) socket_->close_and_unlink();
  transports_.clear();
  fabric_.reset();
}

}  // namespace tessera::emu::serve
