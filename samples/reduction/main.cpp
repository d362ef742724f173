// SPDX-License-Identifier: Apache-2.0
// reduction: sums 2^22 floats on the device, with shared memory and warp
// shuffles (see reduction.cu), in two ways:
//   - two passes: 256 blocks each write a partial sum, then one block sums
//     the partial sums;
//   - one pass: every block adds its partial sum to the total with atomicAdd.
// Both are compared with the host's sum in double precision. A float sum
// (in any order) has rounding error, so the check allows a relative error of
// 1e-5.
#include <cmath>
#include <cstdio>
#include <vector>

#include "check.h"
#include "sample-reduction_kernels.h"

int main() {
  int n = 1 << 22;
  constexpr int kBlocks = 256;
  constexpr int kThreadsPerBlock = 256;

  std::vector<float> data(n);
  double expected = 0.0;
  unsigned state = 12345;  // a small LCG: the same pseudo-random data every run
  for (int i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    data[i] = static_cast<float>(state >> 8) / static_cast<float>(1u << 24);  // [0, 1)
    expected += data[i];
  }

  tsModule_t module;
  tsFunction_t reduce_sum, reduce_sum_atomic;
  TS_CHECK(tsModuleLoadData(&module, tessera_kernels_reduction, tessera_kernels_reduction_size));
  TS_CHECK(tsModuleGetFunction(&reduce_sum, module, "reduce_sum"));
  TS_CHECK(tsModuleGetFunction(&reduce_sum_atomic, module, "reduce_sum_atomic"));

  float *d_data, *d_partial, *d_total;
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_data), n * sizeof(float)));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_partial), kBlocks * sizeof(float)));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_total), sizeof(float)));
  TS_CHECK(tsMemcpy(d_data, data.data(), n * sizeof(float), tsMemcpyHostToDevice));

  // Two passes. The second reads the first's output: launches on one stream
  // run in order, so no synchronization is needed in between.
  void* pass1[] = {&d_data, &d_partial, &n};
  TS_CHECK(tsLaunchKernel(reduce_sum, TS_DIM3(kBlocks, 1, 1), TS_DIM3(kThreadsPerBlock, 1, 1), pass1, 0,
                          nullptr));
  int partial_count = kBlocks;
  void* pass2[] = {&d_partial, &d_total, &partial_count};
  TS_CHECK(tsLaunchKernel(reduce_sum, TS_DIM3(1, 1, 1), TS_DIM3(kThreadsPerBlock, 1, 1), pass2, 0, nullptr));
  float two_pass = 0.0f;
  TS_CHECK(tsMemcpy(&two_pass, d_total, sizeof(float), tsMemcpyDeviceToHost));

  // One pass with atomics, into a total cleared first.
  TS_CHECK(tsMemset(d_total, 0, sizeof(float)));
  void* atomic_args[] = {&d_data, &d_total, &n};
  TS_CHECK(tsLaunchKernel(reduce_sum_atomic, TS_DIM3(kBlocks, 1, 1), TS_DIM3(kThreadsPerBlock, 1, 1),
                          atomic_args, 0, nullptr));
  float atomic = 0.0f;
  TS_CHECK(tsMemcpy(&atomic, d_total, sizeof(float), tsMemcpyDeviceToHost));

  const double tolerance = 1e-5 * expected;
  const bool two_pass_ok = std::fabs(two_pass - expected) <= tolerance;
  const bool atomic_ok = std::fabs(atomic - expected) <= tolerance;
  std::printf("sum of %d floats: host (double) %.6f\n", n, expected);
  std::printf("  two passes: %.6f  relative error %.2e  %s\n", two_pass,
              std::fabs(two_pass - expected) / expected, two_pass_ok ? "ok" : "WRONG");
  std::printf("  atomicAdd:  %.6f  relative error %.2e  %s\n", atomic,
              std::fabs(atomic - expected) / expected, atomic_ok ? "ok" : "WRONG");

  TS_CHECK(tsFree(d_data));
  TS_CHECK(tsFree(d_partial));
  TS_CHECK(tsFree(d_total));
  TS_CHECK(tsModuleUnload(module));
  const bool pass = two_pass_ok && atomic_ok;
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
