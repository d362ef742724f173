// SPDX-License-Identifier: Apache-2.0
#include "linux_host.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

namespace tessera::emu::run {

LinuxHost::LinuxHost(FlatAddressSpace& mem, int stdout_fd, int stderr_fd)
    : mem_(mem), out_fd_(stdout_fd), err_fd_(stderr_fd) {}

bool LinuxHost::ecall(uint64_t nr, const uint64_t args[6], AddressSpace& /*mem*/, uint64_t& ret,
                      int& exit_code) {
  switch (nr) {
    case kSysExit:
    case kSysExitGroup:
      exit_code = static_cast<int>(args[0] & 0xff);
      return false;
    case kSysWrite:
      ret = static_cast<uint64_t>(sys_write(args[0], args[1], args[2]));
      return true;
    default:
      if (warned_.insert(nr).second) {
        if (before_output_) before_output_();
        std::fprintf(stderr, "tessera-emu: warning: unsupported system call %llu (returns -ENOSYS)\n",
                     static_cast<unsigned long long>(nr));
      }
      ret = static_cast<uint64_t>(-int64_t{ENOSYS});
      return true;
  }
}

int64_t LinuxHost::sys_write(uint64_t fd, uint64_t buf, uint64_t count) {
  int host_fd;
  if (fd == 1) host_fd = out_fd_;
  else if (fd == 2) host_fd = err_fd_;
  else return -EBADF;
  // Linux caps a single write at just under 2 GiB; so do we.
  count = std::min<uint64_t>(count, 0x7ffff000);
  if (count == 0) return 0;
  if (!mem_.check(buf, count, T1_ACCESS_READ)) return -EFAULT;
  const uint8_t* p = mem_.host_range(buf, count);
  if (!p) return -EFAULT;  // valid pages, but spanning two regions
  if (before_output_) before_output_();
  uint64_t done = 0;
  while (done < count) {
    const ssize_t n = ::write(host_fd, p + done, count - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return done ? static_cast<int64_t>(done) : -int64_t{errno};
    }
    done += static_cast<uint64_t>(n);
  }
  return static_cast<int64_t>(done);
}

}  // namespace tessera::emu::run
