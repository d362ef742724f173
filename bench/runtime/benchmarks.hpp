// SPDX-License-Identifier: Apache-2.0
// The runtime benchmarks: each area registers its Google Benchmark cases
// and prints its part of the summary from the recorded results.
#pragma once

#include <tessera/tessera.hpp>

namespace tessera::bench {

void register_launch_benchmarks();
void print_launch_summary();

void register_copy_benchmarks();
void print_copy_summary();

void register_compute_benchmarks();
void print_compute_summary();

// The embedded benchmark kernels, loaded once on device 0.
const tessera::Module& empty_module();
const tessera::Module& compute_module();

}  // namespace tessera::bench
