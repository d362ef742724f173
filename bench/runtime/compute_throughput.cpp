// SPDX-License-Identifier: Apache-2.0
// Thread-instructions per second of a convergent compute kernel through the
// full runtime path (tsLaunchKernel + tsStreamSynchronize per launch). The
// instructions per thread come from the kernel's own assembly: tessc's
// library compiles kernels/compute.cu as tessera_add_kernels did and the
// loop's instructions are counted (loop_count.hpp). The same loop compiled
// for this host, on one host thread, is the native reference.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <thread>
#include <vector>

#include <tessera/compiler.hpp>

#include "benchmarks.hpp"
#include "guard.hpp"
#include "kernels/compute_loop.h"
#include "loop_count.hpp"
#include "results.hpp"

namespace tessera::bench {

namespace {

constexpr unsigned kBlock = 256;
constexpr unsigned kBlocks = 64;  // 16384 threads: every tile busy
constexpr unsigned kThreads = kBlock * kBlocks;
constexpr unsigned kIterations = 2000;

// Instructions one thread executes, from the kernel's assembly.
const LoopCount& kernel_loop() {
  static const LoopCount count = [] {
    std::ifstream f(TESSERA_BENCH_COMPUTE_CU);
    tessera::compiler::Source src{TESSERA_BENCH_COMPUTE_CU, std::string(std::istreambuf_iterator<char>(f), {}), {}};
    tessera::compiler::Options o;
    o.opt_level = TESSERA_BENCH_KERNEL_OPT_LEVEL;  // as tessera_add_kernels compiled it
    tessera::compiler::Compiler cc;
    const tessera::compiler::Result r = cc.compile(src, o, tessera::compiler::Output::Assembly);
    if (!r.ok) {
      LoopCount failed;
      failed.error = "cannot compile " TESSERA_BENCH_COMPUTE_CU ": " + r.log;
      return failed;
    }
    return count_loop_instructions(r.text, "lcg_loop");
  }();
  return count;
}

double thread_instructions() {
  const LoopCount& c = kernel_loop();
  return static_cast<double>(kThreads) * (c.outside + static_cast<double>(kIterations) * c.body);
}

void compute_on_device(benchmark::State& state) {
  if (!kernel_loop().ok) {
    state.SkipWithError(kernel_loop().error.c_str());
    return;
  }
  guarded(state, [&] {
    const tessera::Function fn = compute_module().function("lcg_loop");
    tessera::DeviceBuffer<unsigned> out(kThreads);
    tessera::Stream stream;
    tessera::launch(fn, dim3(kBlocks), dim3(kBlock), 0, stream, out, kIterations);
    stream.synchronize();
    // The results must be the loop's, or the figure means nothing.
    const std::vector<unsigned> got = out.to_vector();
    for (unsigned g = 0; g < kThreads; g += 97) {
      if (got[g] != compute_loop(g, kIterations)) {
        state.SkipWithError("the kernel's results differ from the host's");
        return;
      }
    }
    for (auto _ : state) {
      tessera::launch(fn, dim3(kBlocks), dim3(kBlock), 0, stream, out, kIterations);
      stream.synchronize();
    }
    const double insns = thread_instructions();
    state.counters["thread_insns_per_s"] = benchmark::Counter(insns, benchmark::Counter::kIsIterationInvariantRate);
    state.counters["insns_per_thread"] = insns / kThreads;
  });
}

void compute_on_host(benchmark::State& state) {
  if (!kernel_loop().ok) {
    state.SkipWithError(kernel_loop().error.c_str());
    return;
  }
  for (auto _ : state) {
    unsigned sum = 0;
    for (unsigned g = 0; g < kThreads; ++g) sum += compute_loop(g, kIterations);
    benchmark::DoNotOptimize(sum);
  }
  // The T1 instruction count over the host's time: the same work.
  state.counters["thread_insns_per_s"] =
      benchmark::Counter(thread_instructions(), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

void register_compute_benchmarks() {
  benchmark::RegisterBenchmark("compute/t1_runtime", compute_on_device)->UseRealTime()->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("compute/native_1_thread", compute_on_host)->UseRealTime()->Unit(benchmark::kMillisecond);
}

void print_compute_summary() {
  const LoopCount& c = kernel_loop();
  std::printf("\nCompute: %u threads x %u iterations of a convergent integer loop\n", kThreads, kIterations);
  if (!c.ok) {
    std::printf("  %s\n", c.error.c_str());
    return;
  }
  std::printf("  %u instructions per iteration + %u outside the loop = %.0f per thread (kernel assembly)\n",
              c.body, c.outside, thread_instructions() / kThreads);
  const auto t1 = result("thread_insns_per_s.compute/t1_runtime");
  const auto native = result("thread_insns_per_s.compute/native_1_thread");
  auto row = [](const char* label, const std::optional<double>& rate) {
    if (rate) {
      std::printf("  %-44s %8.2f G thread-instructions/s\n", label, *rate / 1e9);
    } else {
      std::printf("  %-44s %8s\n", label, "-");
    }
  };
  row("T1 through the runtime (all host threads)", t1);
  row("native, one host thread (same T1 count)", native);
  if (t1 && native)
    std::printf("  %-44s %8.2f (host CPUs: %u)\n", "ratio T1 / native", *t1 / *native,
                std::thread::hardware_concurrency());
}

}  // namespace tessera::bench
