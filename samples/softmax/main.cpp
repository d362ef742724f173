// SPDX-License-Identifier: Apache-2.0
// softmax: row-wise softmax of a 512 x 1000 float matrix, one block per row,
// with two block reductions (the row's maximum, then the sum of the
// exponentials) in shared memory and expf on the device (softmax.cu).
// Checked element by element against a double-precision host softmax, and
// every row must sum to 1.
//
// Like matrix-multiply, this sample uses the C++ header tessera/tessera.hpp:
// RAII buffers and module, exceptions, and the typed tessera::launch.
#include <cmath>
#include <cstdio>
#include <vector>

#include <tessera/tessera.hpp>

#include "sample-softmax_kernels.h"

namespace {

bool run() {
  const int rows = 512;
  const int cols = 1000;
  constexpr unsigned kThreadsPerBlock = 256;  // a power of two (softmax.cu)
  const size_t count = static_cast<size_t>(rows) * cols;

  // Values spread over [-20, 20): without subtracting the row's maximum the
  // exponentials would span e^40 and lose the small terms.
  std::vector<float> in(count);
  unsigned state = 2024;
  for (size_t i = 0; i < count; ++i) {
    state = state * 1664525u + 1013904223u;
    in[i] = static_cast<float>(state >> 8) / static_cast<float>(1u << 24) * 40.0f - 20.0f;
  }

  const auto module = tessera::Module::from_memory(tessera_kernels_softmax, tessera_kernels_softmax_size);
  const tessera::Function softmax = module.function("softmax_rows");
  tessera::DeviceBuffer<float> d_in{std::span<const float>(in)};
  tessera::DeviceBuffer<float> d_out(count);
  // softmax_rows<<<rows, 256>>>(in, out, cols)
  tessera::launch(softmax, tessera::dim3(rows), tessera::dim3(kThreadsPerBlock), 0, nullptr, d_in, d_out, cols);
  const std::vector<float> out = d_out.to_vector();  // waits for the kernel

  int mismatches = 0, bad_rows = 0;
  double max_relative_error = 0.0;
  std::vector<double> expected(cols);
  for (int r = 0; r < rows; ++r) {
    const float* x = &in[static_cast<size_t>(r) * cols];
    const float* y = &out[static_cast<size_t>(r) * cols];
    double row_max = x[0], sum = 0.0;
    for (int c = 1; c < cols; ++c)
      row_max = std::fmax(row_max, x[c]);
    for (int c = 0; c < cols; ++c)
      sum += expected[c] = std::exp(x[c] - row_max);
    double device_row_sum = 0.0;
    for (int c = 0; c < cols; ++c) {
      expected[c] /= sum;
      device_row_sum += y[c];
      // The device rounds x - max to float and sums 1000 floats; expf itself
      // is within a couple of ulps. 1e-5 relative covers all of it.
      const double relative_error = std::fabs(y[c] - expected[c]) / expected[c];
      max_relative_error = std::fmax(max_relative_error, relative_error);
      if (relative_error > 1e-5 && ++mismatches <= 5)
        std::printf("out[%d][%d] = %.9g, expected %.9g\n", r, c, y[c], expected[c]);
    }
    if (std::fabs(device_row_sum - 1.0) > 1e-5 && ++bad_rows <= 5)
      std::printf("row %d sums to %.9g\n", r, device_row_sum);
  }
  std::printf("softmax of %d rows x %d columns: largest relative error %.3g, %d mismatches, "
              "%d rows not summing to 1\n",
              rows, cols, max_relative_error, mismatches, bad_rows);
  return mismatches == 0 && bad_rows == 0;
}

}  // namespace

int main() {
  try {
    const bool pass = run();
    std::printf("%s\n", pass ? "PASS" : "FAIL");
    return pass ? 0 : 1;
  } catch (const tessera::Error& e) {
    std::fprintf(stderr, "runtime error: %s\n", e.what());
    std::printf("FAIL\n");
    return 1;
  }
}
