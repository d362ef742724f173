// SPDX-License-Identifier: Apache-2.0
// Submit -> fence latency of an empty kernel (one block of one thread):
// tsLaunchKernel + tsStreamSynchronize, microseconds per round trip, through
// the backend TESSERA_BACKEND names. Meant for the QEMU guest, where `drm`
// goes through tessera.ko to `tessera-emu serve` on the host and `emu` runs
// the chip model inside the guest.
//
//   tessera-bench-fence [ROUNDS]     one backend (the environment's)
//   tessera-bench-fence --compare [ROUNDS]
//       runs itself once per backend (drm, then emu, in child processes:
//       the runtime picks its backend once per process) and prints both
//       figures and their ratio drm / emu.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <tessera/tessera.hpp>

#include "tessera-bench-fence_kernels.h"

namespace {

double measure(int rounds) {
  tessera::Module m = tessera::Module::from_memory(tessera_kernels_empty, tessera_kernels_empty_size);
  const tessera::Function empty = m.function("empty");
  tessera::Stream stream;
  for (int i = 0; i < 20; ++i) {  // warm up: runtime threads, pages, queues
    tessera::check(tsLaunchKernel(empty.get(), tessera::dim3(1), tessera::dim3(1), nullptr, 0, stream.get()));
    stream.synchronize();
  }
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < rounds; ++i) {
    tessera::check(tsLaunchKernel(empty.get(), tessera::dim3(1), tessera::dim3(1), nullptr, 0, stream.get()));
    tessera::check(tsStreamSynchronize(stream.get()));
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return s * 1e6 / rounds;
}

// Runs `self ROUNDS` with TESSERA_BACKEND=backend; the child's one output
// line is "<us>".
bool run_child(const char* self, const char* backend, const char* rounds, double& us) {
  int fds[2];
  if (pipe(fds) != 0) return false;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    setenv("TESSERA_BACKEND", backend, 1);
    execl(self, self, rounds, static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  char buf[128] = {};
  ssize_t n = 0, got;
  while (n < static_cast<ssize_t>(sizeof buf) - 1 && (got = read(fds[0], buf + n, sizeof buf - 1 - n)) > 0) n += got;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "tessera-bench-fence: the %s run failed\n", backend);
    return false;
  }
  us = std::strtod(buf, nullptr);
  return us > 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bool compare = argc > 1 && std::strcmp(argv[1], "--compare") == 0;
  const char* rounds_arg = argc > (compare ? 2 : 1) ? argv[compare ? 2 : 1] : "200";
  const int rounds = std::atoi(rounds_arg);
  if (rounds <= 0) {
    std::fprintf(stderr, "usage: tessera-bench-fence [--compare] [ROUNDS > 0]\n");
    return 2;
  }
  if (!compare) {
    try {
      std::printf("%.3f\n", measure(rounds));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "tessera-bench-fence: %s\n", e.what());
      return 1;
    }
    return 0;
  }
  double drm = 0, emu = 0;
  if (!run_child("/proc/self/exe", "drm", rounds_arg, drm) || !run_child("/proc/self/exe", "emu", rounds_arg, emu))
    return 1;
  std::printf("Submit -> fence round trip of an empty kernel, %d rounds\n", rounds);
  std::printf("  drm (tessera.ko -> tessera-emu serve)  %10.1f us\n", drm);
  std::printf("  emu (chip model in this process)       %10.1f us\n", emu);
  std::printf("  ratio drm / emu                        %10.2f\n", drm / emu);
  return 0;
}
