// SPDX-License-Identifier: Apache-2.0
// Timing helpers shared by the benchmarks.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <vector>

extern char** environ;

namespace tessera::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Runs a command with standard output (and, if asked, standard error)
// discarded and returns its wall time, or a negative value on failure.
inline double time_command(const std::vector<std::string>& argv, bool quiet_stderr = false) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  if (quiet_stderr) posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  const auto t0 = Clock::now();
  pid_t pid;
  const int spawned = posix_spawnp(&pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (spawned != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  const double t = seconds_since(t0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t : -1;
}

}  // namespace tessera::bench
