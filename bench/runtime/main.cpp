// SPDX-License-Identifier: Apache-2.0
// Runtime benchmarks through the full `ts*` path on the emulator backend:
// launch latency, host<->device copy bandwidth against host memcpy, and a
// compute kernel's thread-instructions per second. Google Benchmark reports
// each case; a summary of ratios and targets follows.
//
//   tessera-bench-runtime [--benchmark_filter=REGEX] [other Google Benchmark flags]
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <cstdio>
#include <vector>

#include "benchmarks.hpp"
#include "results.hpp"
#include "tessera-bench-runtime_kernels.h"

namespace tessera::bench {

const tessera::Module& empty_module() {
  // Never unloaded: the process ends right after the benchmarks.
  static auto* m = new tessera::Module(tessera::Module::from_memory(tessera_kernels_empty, tessera_kernels_empty_size));
  return *m;
}

const tessera::Module& compute_module() {
  static auto* m =
      new tessera::Module(tessera::Module::from_memory(tessera_kernels_compute, tessera_kernels_compute_size));
  return *m;
}

namespace {

// Google Benchmark's console report, also recording every counter of every
// case as "<counter>.<case name>" for the summary: the counters are final
// here (rates divided by the measured time).
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  using ConsoleReporter::ConsoleReporter;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& r : runs) {
      if (r.error_occurred || r.run_type != Run::RT_Iteration) continue;
      for (const auto& [name, counter] : r.counters) record(name + "." + r.run_name.function_name, counter.value);
    }
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

}  // namespace tessera::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  try {
    const tsDeviceProp p = tessera::device_properties(0);
    std::printf("device 0: %s, %d tiles, %.1f GiB, backend %s\n", p.name, p.multiProcessorCount,
                static_cast<double>(p.totalGlobalMem) / (1ull << 30), p.backend);
    tessera::bench::register_launch_benchmarks();
    tessera::bench::register_copy_benchmarks();
    tessera::bench::register_compute_benchmarks();
    tessera::bench::RecordingReporter reporter(isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_Defaults
                                                                      : benchmark::ConsoleReporter::OO_Tabular);
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::printf("\nSummary (figures from this run)\n");
    tessera::bench::print_launch_summary();
    tessera::bench::print_copy_summary();
    tessera::bench::print_compute_summary();
  } catch (const tessera::Error& e) {
    std::fprintf(stderr, "tessera-bench-runtime: %s\n", e.what());
    return 1;
  }
  benchmark::Shutdown();
  return 0;
}
