// SPDX-License-Identifier: Apache-2.0
// Emulator throughput, in thread-instructions per second, printed as ratios
// against baselines measured in the same run: qemu-riscv64 executing the
// same RV64GC code as a loop over the threads, and the same C compiled for
// the host (the physical-limit reference).
//
//   tessera-bench-emu [--quick] [--profile KERNEL]
// --profile runs only the emulator side of one kernel, for perf
// (TESSERA_BENCH_HOST_THREADS sets its host threads; default 1).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "run/flat_space.hpp"
#include "simt/engine.hpp"

extern "C" {
#include "work.h"
}


using namespace tessera::emu;
using tessera::bench::Clock;
using tessera::bench::seconds_since;
using tessera::bench::time_command;

namespace {

constexpr uint64_t kCodeBase = 0x10000000;
constexpr uint64_t kDataBase = 0x20000000;

// Code read/execute at kCodeBase, a large data region read/write (the flat
// space of bare programs). Pages are touched by the first of the repeated
// runs; the best run is reported.
class BenchMemory : public AddressSpace {
 public:
  BenchMemory(const std::vector<uint8_t>& code, size_t data_bytes) {
    const uint64_t code_bytes = (code.size() + kPageSize) & ~kPageMask;
    space_.add_region(kCodeBase, code_bytes, "code");
    space_.allow(kCodeBase, code_bytes, T1_ACCESS_READ | T1_ACCESS_EXEC);
    std::memcpy(space_.host_range(kCodeBase, code.size()), code.data(), code.size());
    space_.add_region(kDataBase, data_bytes, "data");
    space_.allow(kDataBase, data_bytes, T1_ACCESS_READ | T1_ACCESS_WRITE);
  }
  bool resolve(uint64_t va, uint8_t access, PageRef& out, uint32_t& cause) override {
    return space_.resolve(va, access, out, cause);
  }
  uint8_t* data() { return space_.host_range(kDataBase, 1); }

 private:
  run::FlatAddressSpace space_;
};

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "tessera-bench-emu: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

struct KernelRun {
  double seconds;
  uint64_t thread_instructions;
  uint64_t warp_instructions;
};

KernelRun run_t1(const std::string& name, uint64_t threads, unsigned host_threads,
                 unsigned repeat = 1) {
  const std::string dir = TESSERA_BENCH_DIR;
  const auto elf = read_file(dir + "/bench_t1_" + name + ".elf");
  uint64_t entry = 0;
  std::memcpy(&entry, elf.data() + 24, 8);  // e_entry of an ELF64 header
  BenchMemory mem(read_file(dir + "/bench_t1_" + name + ".bin"), 64ull << 20);
  // kernarg at the start of data; x at +16 MiB; out at +32 MiB.
  uint8_t* d = mem.data();
  const uint64_t out = kDataBase + (32u << 20), x = kDataBase + (16u << 20);
  std::memcpy(d, &out, 8);
  std::memcpy(d + 8, &x, 8);
  const float a = 2.0f;
  std::memcpy(d + 16, &a, 4);
  EngineConfig cfg;
  cfg.tiles = 8;
  cfg.host_threads = host_threads;
  Engine engine(cfg);
  KernelLaunch L;
  L.block = {256, 1, 1};
  L.grid = {static_cast<uint32_t>(threads / 256), 1, 1};
  L.entry = entry;
  L.kernarg = kDataBase;
  L.stack_base = kDataBase + (48u << 20);  // 8 tiles x 1024 threads x 256 B
  L.stack_size = 256;
  // The best of `repeat` runs: the machines this runs on are noisy.
  double t = 1e30;
  DispatchResult r;
  for (unsigned i = 0; i < repeat; ++i) {
    const auto t0 = Clock::now();
    r = engine.run(L, mem);
    t = std::min(t, seconds_since(t0));
  }
  if (!r.ok) {
    std::fprintf(stderr, "tessera-bench-emu: kernel %s faulted: %s\n", name.c_str(),
                 r.fault.describe().c_str());
    std::exit(1);
  }
  return {t, r.thread_instructions, r.warp_instructions};
}

template <class F>
double time_native(F&& f) {
  const auto t0 = Clock::now();
  f();
  return seconds_since(t0);
}

volatile uint64_t g_sink;

double run_native(const std::string& name, uint64_t threads) {
  if (name == "arith")
    return time_native([&] { uint64_t s = 0; for (uint64_t g = 0; g < threads; ++g) s += static_cast<uint64_t>(work_arith(g)); g_sink = s; });
  if (name == "int")
    return time_native([&] { uint64_t s = 0; for (uint64_t g = 0; g < threads; ++g) s += work_int(g); g_sink = s; });
  if (name == "divergent")
    return time_native([&] { uint64_t s = 0; for (uint64_t g = 0; g < threads; ++g) s += static_cast<uint64_t>(work_divergent(g)); g_sink = s; });
  static std::vector<float> xs(threads, 1.5f), ys(threads, 0.25f);
  return time_native([&] { for (uint64_t g = 0; g < threads; ++g) work_saxpy(g, 2.0f, xs.data(), ys.data()); g_sink = static_cast<uint64_t>(ys[threads / 2]); });
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = false;
  const char* profile = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--quick") == 0) {
      quick = true;
    } else if (std::strcmp(argv[i], "--profile") == 0 && i + 1 < argc) {
      profile = argv[++i];
    } else {
      std::fprintf(stderr, "usage: tessera-bench-emu [--quick] [--profile arith|int|divergent|saxpy]\n");
      return 2;
    }
  }
  const std::string dir = TESSERA_BENCH_DIR;
  const char* qemu = TESSERA_QEMU_RISCV64;
  struct Case {
    const char* name;
    const char* label;
    uint64_t threads;
  };
  const uint64_t scale = quick ? 8 : 1;
  const Case cases[] = {
      {"arith", "(a) convergent arithmetic", 262144 / scale},
      {"int", "(a') integer-only arithmetic", 262144 / scale},
      {"divergent", "(b) divergent arithmetic", 131072 / scale},
      {"saxpy", "(c) memory-bound SAXPY", 4194304 / scale},
  };
  if (profile) {
    for (const Case& c : cases)
      if (std::strcmp(c.name, profile) == 0) {
        const char* ht = std::getenv("TESSERA_BENCH_HOST_THREADS");
        const KernelRun r = run_t1(c.name, c.threads, ht ? static_cast<unsigned>(std::atoi(ht)) : 1, 5);
        std::printf("%s: %.2f G thread-instructions/s, %.1f lanes per warp instruction\n", c.name,
                    static_cast<double>(r.thread_instructions) / r.seconds / 1e9,
                    static_cast<double>(r.thread_instructions) / static_cast<double>(r.warp_instructions));
        return 0;
      }
    std::fprintf(stderr, "tessera-bench-emu: unknown kernel %s\n", profile);
    return 2;
  }
  std::printf("Tessera emulator throughput (G thread-instructions/s); ratios against baselines\n");
  std::printf("measured in this run. qemu-riscv64 runs the same RV64GC code as a loop over\n");
  std::printf("the threads; native is the same C compiled for this host (-O2, x86-64 baseline).\n\n");
  std::printf("%-30s %9s %8s %8s %8s %9s %9s %8s\n", "kernel", "threads", "T1 1thr", "qemu",
              "native", "T1/qemu", "T1/native", "2thr/1thr");
  for (const Case& c : cases) {
    // Best of three everywhere: the machines this runs on are noisy.
    const KernelRun t1 = run_t1(c.name, c.threads, 1, 3);
    const KernelRun t2 = run_t1(c.name, c.threads, 2, 3);
    double tq = 1e30;
    for (int i = 0; i < 3; ++i) {
      const double t = time_command({qemu, dir + "/bench_loop.elf", std::string(c.name),
                                     std::to_string(c.threads)});
      tq = t > 0 ? std::min(tq, t) : tq;
    }
    if (tq == 1e30) tq = -1;
    double tn = 1e30;
    for (int i = 0; i < 3; ++i) tn = std::min(tn, run_native(c.name, c.threads));
    const double insns = static_cast<double>(t1.thread_instructions);
    const double r_t1 = insns / t1.seconds / 1e9;
    const double r_q = tq > 0 ? insns / tq / 1e9 : 0;
    const double r_n = insns / tn / 1e9;
    std::printf("%-30s %9llu %8.2f %8.2f %8.2f %8.1fx %8.2fx %7.2fx\n", c.label,
                static_cast<unsigned long long>(c.threads), r_t1, r_q, r_n,
                r_q > 0 ? r_t1 / r_q : 0.0, r_t1 / r_n, t1.seconds / t2.seconds);
  }

  // A single-threaded Linux-style program: `tessera-emu run` against qemu.
  const std::string emu = TESSERA_EMU_CLI;
  if (!emu.empty()) {
    const uint64_t n = 32768 / scale;
    const double te = time_command({emu, "run", dir + "/bench_loop.elf", "arith", std::to_string(n)});
    const double tq = time_command({qemu, dir + "/bench_loop.elf", "arith", std::to_string(n)});
    if (te > 0 && tq > 0)
      std::printf("\ntessera-emu run (one thread, arith loop, %llu iterations): %.3f s, qemu-riscv64 %.3f s, ratio %.2fx\n",
                  static_cast<unsigned long long>(n), te, tq, tq / te);
  }
  return 0;
}
