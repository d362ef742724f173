// SPDX-License-Identifier: Apache-2.0
// matrix-multiply: C = A * B for 256 x 256 float matrices with the classic
// shared-memory tiled kernel (matrix-multiply.cu): two-dimensional blocks of
// 16 x 16 threads and a two-dimensional grid. Times the kernel with events
// and checks every element against a host product in double precision.
//
// This sample uses the C++ header tessera/tessera.hpp instead of the C API:
// buffers, events and the module are RAII objects freed by their
// destructors, a failing call throws tessera::Error (with the runtime's
// detailed message), and tessera::launch builds the argument array.
#include <cmath>
#include <cstdio>
#include <vector>

#include <tessera/tessera.hpp>

#include "sample-matrix-multiply_kernels.h"

namespace {

constexpr int kTile = 16;  // as in matrix-multiply.cu

// Row-major m x k times k x n, accumulated in double: the reference.
std::vector<double> host_matmul(const std::vector<float>& a, const std::vector<float>& b, int m, int n, int k) {
  std::vector<double> c(static_cast<size_t>(m) * n, 0.0);
  for (int row = 0; row < m; ++row)
    for (int i = 0; i < k; ++i) {
      const double a_ri = a[row * k + i];
      for (int col = 0; col < n; ++col)
        c[row * n + col] += a_ri * b[i * n + col];
    }
  return c;
}

bool run() {
  const int m = 256, n = 256, k = 256;
  std::vector<float> a(static_cast<size_t>(m) * k), b(static_cast<size_t>(k) * n);
  for (int i = 0; i < m * k; ++i)
    a[i] = static_cast<float>((i * 7) % 17) / 17.0f - 0.5f;
  for (int i = 0; i < k * n; ++i)
    b[i] = static_cast<float>((i * 5) % 13) / 13.0f - 0.5f;

  const auto module =
      tessera::Module::from_memory(tessera_kernels_matrix_multiply, tessera_kernels_matrix_multiply_size);
  const tessera::Function matmul = module.function("matmul_tiled");

  // Device copies of A and B, and room for C.
  tessera::DeviceBuffer<float> d_a{std::span<const float>(a)};
  tessera::DeviceBuffer<float> d_b{std::span<const float>(b)};
  tessera::DeviceBuffer<float> d_c(static_cast<size_t>(m) * n);

  // One thread per element of C: a 2-D grid of 16 x 16 blocks.
  const tsDim3 block = tessera::dim3(kTile, kTile);
  const tsDim3 grid = tessera::dim3((n + kTile - 1) / kTile, (m + kTile - 1) / kTile);

  // Events record device timestamps around the kernel on the same (default) stream.
  tessera::Event start, stop;
  start.record();
  // matmul_tiled<<<grid, block>>>(a, b, c, m, n, k): a buffer passes its
  // device pointer; the other arguments must have the parameters' exact types.
  tessera::launch(matmul, grid, block, 0, nullptr, d_a, d_b, d_c, m, n, k);
  stop.record();
  stop.synchronize();
  const float ms = tessera::Event::elapsed_ms(start, stop);

  const std::vector<float> c = d_c.to_vector();
  const std::vector<double> expected = host_matmul(a, b, m, n, k);

  // Each element is a float dot product of length k: allow for its rounding.
  int mismatches = 0;
  double max_error = 0.0;
  for (size_t i = 0; i < c.size(); ++i) {
    const double error = std::fabs(c[i] - expected[i]);
    max_error = std::fmax(max_error, error);
    if (error > 1e-4 * k * 0.25 && ++mismatches <= 5)
      std::printf("C[%zu][%zu] = %.6f, expected %.6f\n", i / n, i % n, c[i], expected[i]);
  }
  const double gflops = 2.0 * m * n * k / (ms * 1e-3) / 1e9;
  std::printf("matmul %dx%d * %dx%d: grid %ux%u of %ux%u threads, %.3f ms (%.3f GFLOP/s)\n", m, k, k, n,
              grid.x, grid.y, block.x, block.y, ms, gflops);
  std::printf("largest error %.3g, %d mismatches\n", max_error, mismatches);
  return mismatches == 0;
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
