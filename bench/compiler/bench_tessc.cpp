// SPDX-License-Identifier: Apache-2.0
// Compile time of tessc -O2 on the test kernel files, against Clang 16
// running only its CUDA device front end and optimizer on the same files
// (same headers), both as separate processes measured in this run; tessc's
// library compiling in process (warm); and the cache-hit time of the
// compiler library. Printed as ratios, since these machines are noisy.
//
//   tessera-bench-tessc [--quick]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <tessera/compiler.hpp>

#include "bench_util.hpp"

namespace {

using tessera::bench::Clock;
using tessera::bench::seconds_since;

double time_command(const std::vector<std::string>& argv) { return tessera::bench::time_command(argv, true); }
namespace fs = std::filesystem;

// Best of `n` runs.
template <class F>
double best_of(unsigned n, F&& f) {
  double best = 1e30;
  for (unsigned i = 0; i < n; ++i) best = std::min(best, f());
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const unsigned reps = quick ? 1 : 3;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(TESSERA_KERNEL_DIR))
    if (e.path().extension() == ".cu") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  const std::string out = (fs::temp_directory_path() / "tessera-bench-tessc.out").string();

  std::printf("tessc compile time against Clang 16's CUDA device front end + optimizer\n"
              "(clang++-16 -x cuda --cuda-device-only -nocudainc -nocudalib -O2 -c -emit-llvm, with\n"
              "tessc's CUDA-path and PTX settings and the same device headers), best of %u,\n"
              "processes timed in this run.\n\n", reps);
  std::printf("%-20s %10s %10s %8s %12s\n", "file", "tessc ms", "clang ms", "ratio", "in-proc ms");
  tessera::compiler::Compiler cc;
  double sum_tessc = 0, sum_clang = 0, sum_lib = 0;
  for (const fs::path& f : files) {
    const double t = best_of(reps, [&] { return time_command({TESSERA_TESSC, "-O2", f.string(), "-o", out}); });
    const double c = best_of(reps, [&] {
      return time_command({TESSERA_CLANGXX, "-x", "cuda", "--cuda-device-only", "-nocudainc", "-nocudalib",
                           "--cuda-gpu-arch=sm_70", "--cuda-path=/nonexistent/tessera-no-cuda",
                           "--cuda-feature=+ptx78", "-O2", "-c", "-emit-llvm",
                           "-isystem", TESSERA_DEVICE_INCLUDE_DIR, "-include", "tessera_device.h", f.string(),
                           "-o", out});
    });
    std::ifstream in(f);
    tessera::compiler::Source src{f.filename().string(), std::string(std::istreambuf_iterator<char>(in), {}), {}};
    const double lib = best_of(reps + 1, [&] {
      const auto t0 = Clock::now();
      const bool ok = cc.compile(src).ok;
      return ok ? seconds_since(t0) : -1;
    });
    if (t < 0 || c < 0 || lib < 0) {
      std::printf("%-20s failed to compile (tessc %s, clang %s)\n", f.filename().c_str(), t < 0 ? "failed" : "ok",
                  c < 0 ? "failed" : "ok");
      continue;
    }
    sum_tessc += t;
    sum_clang += c;
    sum_lib += lib;
    std::printf("%-20s %10.1f %10.1f %7.2fx %12.1f\n", f.filename().c_str(), t * 1e3, c * 1e3, t / c, lib * 1e3);
  }
  if (sum_clang > 0)
    std::printf("%-20s %10.1f %10.1f %7.2fx %12.1f\n\n", "total", sum_tessc * 1e3, sum_clang * 1e3,
                sum_tessc / sum_clang, sum_lib * 1e3);

  // Cache hits: the runtime-compilation path for a kernel already compiled.
  const fs::path cache_dir = fs::temp_directory_path() / ("tessera-bench-cache-" + std::to_string(getpid()));
  tessera::compiler::Compiler cached(tessera::compiler::CacheConfig{true, cache_dir.string()});
  std::ifstream in(files.empty() ? fs::path() : files.front());
  tessera::compiler::Source src{"k.cu", std::string(std::istreambuf_iterator<char>(in), {}), {}};
  const auto t0 = Clock::now();
  const bool cold_ok = cached.compile(src).ok;
  const double cold = seconds_since(t0);
  unsigned hits = 0;
  const unsigned n = quick ? 20 : 200;
  const auto t1 = Clock::now();
  for (unsigned i = 0; i < n; ++i) hits += cached.compile(src).cache_hit;
  const double hit = seconds_since(t1) / n;
  fs::remove_all(cache_dir);
  if (!cold_ok || hits != n) {
    std::printf("cache: FAILED (%u of %u lookups hit)\n", hits, n);
    return 1;
  }
  std::printf("runtime compilation of %s: %.1f ms cold, %.3f ms per cache hit (%.0fx faster)\n",
              files.front().filename().c_str(), cold * 1e3, hit * 1e3, cold / hit);
  return 0;
}
