// SPDX-License-Identifier: Apache-2.0
// saxpy: y = a * x + y on 2^20 floats. Besides the basics of vector-add it
// shows a kernel with scalar and pointer parameters, a launch shape chosen by
// the runtime's occupancy calculator (tsOccupancyMaxPotentialBlockSize) for a
// grid-stride kernel, the kernel's attributes (tsFuncGetAttributes), and
// initialising device memory with tsMemset.
#include <cmath>
#include <cstdio>
#include <vector>

#include "check.h"
#include "sample-saxpy_kernels.h"

int main() {
  int n = 1 << 20;
  float a = 2.5f;
  const size_t bytes = n * sizeof(float);

  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i % 1000) * 0.001f;
    y[i] = static_cast<float>(i % 7) - 3.0f;
  }

  tsModule_t module;
  tsFunction_t saxpy;
  TS_CHECK(tsModuleLoadData(&module, tessera_kernels_saxpy, tessera_kernels_saxpy_size));
  TS_CHECK(tsModuleGetFunction(&saxpy, module, "saxpy"));

  // What tessc recorded about the kernel, as cudaFuncGetAttributes.
  tsFuncAttributes attr;
  TS_CHECK(tsFuncGetAttributes(&attr, saxpy));
  std::printf("kernel %s: %d registers, %zu bytes of stack per thread, %zu bytes of static shared "
              "memory, at most %d threads per block\n",
              attr.name, attr.numRegs, attr.localSizeBytes, attr.sharedSizeBytes, attr.maxThreadsPerBlock);

  // The block size the kernel and device allow, and the smallest grid that
  // keeps every tile busy; the grid-stride loop covers the rest.
  int min_grid = 0, block = 0;
  TS_CHECK(tsOccupancyMaxPotentialBlockSize(&min_grid, &block, saxpy, 0, 0));
  std::printf("occupancy calculator: blocks of %d threads, grid of %d blocks\n", block, min_grid);
  const tsDim3 grid_shape = TS_DIM3(min_grid, 1, 1);
  const tsDim3 block_shape = TS_DIM3(block, 1, 1);

  float *d_x, *d_y;
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_x), bytes));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_y), bytes));
  TS_CHECK(tsMemcpy(d_x, x.data(), bytes, tsMemcpyHostToDevice));
  TS_CHECK(tsMemcpy(d_y, y.data(), bytes, tsMemcpyHostToDevice));

  void* args[] = {&n, &a, &d_x, &d_y};
  TS_CHECK(tsLaunchKernel(saxpy, grid_shape, block_shape, args, 0, nullptr));
  std::vector<float> result(n);
  TS_CHECK(tsMemcpy(result.data(), d_y, bytes, tsMemcpyDeviceToHost));

  // The device may fuse a * x + y into one FMA (one rounding instead of
  // two), so allow a few ulps rather than demanding identical bits.
  int mismatches = 0;
  double max_error = 0;
  for (int i = 0; i < n; ++i) {
    const double expected = static_cast<double>(a) * x[i] + y[i];
    const double error = std::fabs(result[i] - expected);
    max_error = std::fmax(max_error, error);
    if (error > 1e-6 * std::fmax(1.0, std::fabs(expected)) && ++mismatches <= 5)
      std::printf("y[%d] = %.9g, expected %.9g\n", i, result[i], expected);
  }
  std::printf("saxpy: %d elements, a = %g, largest error %.3g, %d mismatches\n", n, a, max_error,
              mismatches);

  // Run it again from a known state set by tsMemset: y = 0 gives y = a * x.
  TS_CHECK(tsMemset(d_y, 0, bytes));
  TS_CHECK(tsLaunchKernel(saxpy, grid_shape, block_shape, args, 0, nullptr));
  TS_CHECK(tsMemcpy(result.data(), d_y, bytes, tsMemcpyDeviceToHost));
  int zero_mismatches = 0;
  for (int i = 0; i < n; ++i)
    zero_mismatches += result[i] != a * x[i];  // one rounding either way: exact
  std::printf("saxpy after tsMemset(y, 0): %d mismatches\n", zero_mismatches);

  TS_CHECK(tsFree(d_x));
  TS_CHECK(tsFree(d_y));
  TS_CHECK(tsModuleUnload(module));
  const bool pass = mismatches == 0 && zero_mismatches == 0;
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
