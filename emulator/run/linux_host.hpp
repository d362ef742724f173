// SPDX-License-Identifier: Apache-2.0
// Host services for bare programs: the few Linux RV64 system calls a
// freestanding test program needs, with Linux's numbers and error returns,
// so that a program behaves the same under `tessera-emu run` and under
// qemu-riscv64.
//   93 exit, 94 exit_group   end the program; status = a0 & 0xff
//   64 write                 fd 1 and 2 go to the host's stdout and stderr;
//                            other fds: -EBADF; a buffer that is not
//                            readable guest memory: -EFAULT
//   anything else            -ENOSYS, with one warning per number on stderr
#pragma once

#include <cstdint>
#include <functional>
#include <set>

#include "flat_space.hpp"
#include "simt/engine.hpp"

namespace tessera::emu::run {

inline constexpr uint64_t kSysWrite = 64;
inline constexpr uint64_t kSysExit = 93;
inline constexpr uint64_t kSysExitGroup = 94;

class LinuxHost final : public BareHost {
 public:
  // `mem` is the program's address space (used for buffer validation).
  // `stdout_fd`/`stderr_fd`: host descriptors that guest fds 1 and 2 write to.
  explicit LinuxHost(FlatAddressSpace& mem, int stdout_fd = 1, int stderr_fd = 2);

  // Called before the program's output reaches a host descriptor, so that a
  // buffered --trace stream stays in order with it.
  void set_before_output(std::function<void()> fn) { before_output_ = std::move(fn); }

  bool ecall(uint64_t nr, const uint64_t args[6], AddressSpace& mem, uint64_t& ret,
             int& exit_code) override;

 private:
  int64_t sys_write(uint64_t fd, uint64_t buf, uint64_t count);

  FlatAddressSpace& mem_;
  int out_fd_, err_fd_;
  std::function<void()> before_output_;
  std::set<uint64_t> warned_;  // syscalls already reported as unsupported
};

}  // namespace tessera::emu::run
