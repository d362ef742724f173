// SPDX-License-Identifier: Apache-2.0
// Launch latency of an empty kernel (one block of one thread) on a stream:
//   round trip  1000 x (tsLaunchKernel + tsStreamSynchronize)
//   pipelined   1000 x tsLaunchKernel, then one tsStreamSynchronize
// reported in microseconds per launch. References: CUDA on a P100, 6.6 us
// and 2.2 us; targets for the T1 runtime: <= 5 us and <= 1 us.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>

#include "benchmarks.hpp"
#include "guard.hpp"
#include "results.hpp"

namespace tessera::bench {

namespace {

constexpr int kLaunches = 1000;

void launch_latency(benchmark::State& state, bool pipelined) {
  guarded(state, [&] {
    const tessera::Function empty = empty_module().function("empty");
    tessera::Stream stream;
    // Warm up: first launches fault pages in and start runtime threads.
    for (int i = 0; i < 100; ++i) tessera::check(tsLaunchKernel(empty.get(), dim3(1), dim3(1), nullptr, 0, stream.get()));
    stream.synchronize();
    double seconds = 0;
    for (auto _ : state) {
      const auto t0 = std::chrono::steady_clock::now();
      for (int i = 0; i < kLaunches; ++i) {
        tessera::check(tsLaunchKernel(empty.get(), dim3(1), dim3(1), nullptr, 0, stream.get()));
        if (!pipelined) tessera::check(tsStreamSynchronize(stream.get()));
      }
      if (pipelined) tessera::check(tsStreamSynchronize(stream.get()));
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    const double us = seconds * 1e6 / (static_cast<double>(state.iterations()) * kLaunches);
    state.counters["us_per_launch"] = us;
    state.SetItemsProcessed(state.iterations() * kLaunches);
    record(pipelined ? "launch.pipelined" : "launch.round_trip", us);
  });
}

void print_row(const char* label, const char* key, double p100, double target) {
  const auto v = result(key);
  if (!v) {
    std::printf("  %-48s %10s %8.1f %8s%.0f\n", label, "-", p100, "<= ", target);
    return;
  }
  std::printf("  %-48s %10.2f %8.1f %8s%.0f  %s\n", label, *v, p100, "<= ", target,
              *v <= target ? "met" : "not met");
}

}  // namespace

void register_launch_benchmarks() {
  benchmark::RegisterBenchmark("launch/round_trip_x1000", launch_latency, false)->UseRealTime()->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("launch/pipelined_x1000", launch_latency, true)->UseRealTime()->Unit(benchmark::kMillisecond);
}

void print_launch_summary() {
  std::printf("\nLaunch latency of an empty kernel, us per launch  %10s %8s %9s\n", "measured", "P100", "target");
  print_row("launch + tsStreamSynchronize, 1000 round trips", "launch.round_trip", 6.6, 5);
  print_row("1000 launches, then one synchronize", "launch.pipelined", 2.2, 1);
}

}  // namespace tessera::bench
