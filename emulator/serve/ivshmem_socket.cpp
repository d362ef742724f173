// SPDX-License-Identifier: Apache-2.0
#include "ivshmem_socket.hpp"

#include <endian.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace tessera::emu::serve {

namespace {

sockaddr_un unix_address(const std::string& path) {
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  if (path.empty()) throw ServeError("the socket path is empty");
  if (path.size() >= sizeof a.sun_path)
    throw ServeError(path + ": socket path too long (at most " +
                     std::to_string(sizeof a.sun_path - 1) + " bytes)");
  std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
  return a;
}

std::string errno_text(int e) { return std::strerror(e); }

// True when a server accepts connections on the socket at `path`.
bool someone_listens(const sockaddr_un& a) {
  UniqueFd probe(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!probe) throw std::system_error(errno, std::generic_category(), "socket");
  return ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) == 0;
}

}  // namespace

ListeningSocket::ListeningSocket(const std::string& path) : path_(path) {
  const sockaddr_un a = unix_address(path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) throw ServeError(path + ": exists and is not a socket");
    if (someone_listens(a)) throw ServeError(path + ": another server is listening on this socket");
    // A stale socket left by a server that died: nobody is behind it.
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      throw ServeError(path + ": cannot remove the stale socket: " + errno_text(errno));
  } else if (errno != ENOENT) {
    throw ServeError(path + ": " + errno_text(errno));
  }
  fd_.reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd_) throw std::system_error(errno, std::generic_category(), "socket");
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&a), sizeof a) != 0)
    throw ServeError(path + ": cannot bind: " + errno_text(errno));
  if (::lstat(path.c_str(), &st) == 0) {
    dev_ = st.st_dev;
    ino_ = st.st_ino;
  }
  if (::listen(fd_.get(), 16) != 0) {
    const int e = errno;
    close_and_unlink();
    throw ServeError(path + ": cannot listen: " + errno_text(e));
  }
}

int ListeningSocket::accept() const {
  for (;;) {
    const int c = ::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (c >= 0 || errno != EINTR) return c;
  }
}

void ListeningSocket::close_and_unlink() {
  if (!fd_) return;
  fd_.reset();
  // Only our own socket file: a newer server may have taken the path.
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_)
    ::unlink(path_.c_str());
}

bool send_message(int sock, int64_t value, int fd) {
  const uint64_t le = htole64(static_cast<uint64_t>(value));
  iovec iov{const_cast<uint64_t*>(&le), sizeof le};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  if (fd >= 0) {
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr* c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof fd);
  }
  for (;;) {
    const ssize_t n = ::sendmsg(sock, &msg, MSG_NOSIGNAL);
    if (n == static_cast<ssize_t>(sizeof le)) return true;
    if (n < 0 && errno == EINTR) continue;
    return false;  // a short write of 8 bytes on a stream socket: the peer is gone
  }
}

bool send_setup(int sock, const PeerSetup& s) {
  if (!send_message(sock, 0)) return false;  // protocol version
  if (!send_message(sock, s.qemu_id)) return false;
  if (!send_message(sock, -1, s.shm_fd)) return false;
  for (int fd : s.server_fds)
    if (!send_message(sock, s.server_id, fd)) return false;
  for (int fd : s.qemu_fds)
    if (!send_message(sock, s.qemu_id, fd)) return false;
  return true;
}

}  // namespace tessera::emu::serve
