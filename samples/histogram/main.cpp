// SPDX-License-Identifier: Apache-2.0
// histogram: a 256-bin histogram of 2^22 bytes, counted per block with
// shared-memory atomics and merged with global atomicAdd (histogram.cu).
// Counts are integers, so the check against the host's histogram is exact.
#include <cstdio>
#include <vector>

#include "check.h"
#include "sample-histogram_kernels.h"

int main() {
  int n = 1 << 22;
  constexpr int kBins = 256;
  constexpr int kBlocks = 64;  // each block's shared histogram covers n / 64 bytes
  constexpr int kThreadsPerBlock = 256;

  // Each byte is the average of two pseudo-random bytes: a triangular
  // distribution, so the bins hold visibly different counts.
  std::vector<unsigned char> data(n);
  std::vector<unsigned> expected(kBins, 0);
  unsigned state = 7;
  for (int i = 0; i < n; ++i) {
    state = state * 1664525u + 1013904223u;
    data[i] = static_cast<unsigned char>(((state >> 24) + ((state >> 16) & 0xff)) / 2);
    ++expected[data[i]];
  }

  tsModule_t module;
  tsFunction_t histogram;
  TS_CHECK(tsModuleLoadData(&module, tessera_kernels_histogram, tessera_kernels_histogram_size));
  TS_CHECK(tsModuleGetFunction(&histogram, module, "histogram_bytes"));

  unsigned char* d_data;
  unsigned* d_bins;
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_data), n));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_bins), kBins * sizeof(unsigned)));
  TS_CHECK(tsMemcpy(d_data, data.data(), n, tsMemcpyHostToDevice));
  TS_CHECK(tsMemset(d_bins, 0, kBins * sizeof(unsigned)));  // the kernel only adds

  void* args[] = {&d_data, &n, &d_bins};
  TS_CHECK(tsLaunchKernel(histogram, TS_DIM3(kBlocks, 1, 1), TS_DIM3(kThreadsPerBlock, 1, 1), args, 0, nullptr));
  std::vector<unsigned> bins(kBins);
  TS_CHECK(tsMemcpy(bins.data(), d_bins, kBins * sizeof(unsigned), tsMemcpyDeviceToHost));

  int wrong_bins = 0;
  unsigned long long total = 0;
  for (int b = 0; b < kBins; ++b) {
    total += bins[b];
    if (bins[b] != expected[b] && ++wrong_bins <= 5)
      std::printf("bin %d: %u, expected %u\n", b, bins[b], expected[b]);
  }
  // A coarse picture of the distribution: 16 groups of 16 bins.
  for (int g = 0; g < kBins / 16; ++g) {
    unsigned group = 0;
    for (int b = g * 16; b < (g + 1) * 16; ++b)
      group += bins[b];
    std::printf("  %3d-%3d %8u %.*s\n", g * 16, g * 16 + 15, group,
                static_cast<int>(60.0 * group / (n / 8.0)),
                "############################################################");
  }
  std::printf("histogram of %d bytes: %llu counted, %d wrong bins\n", n, total, wrong_bins);

  TS_CHECK(tsFree(d_data));
  TS_CHECK(tsFree(d_bins));
  TS_CHECK(tsModuleUnload(module));
  const bool pass = wrong_bins == 0 && total == static_cast<unsigned long long>(n);
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
