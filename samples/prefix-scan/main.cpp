// SPDX-License-Identifier: Apache-2.0
// prefix-scan: the exclusive prefix sum of 2^20 unsigned integers in three
// launches (prefix-scan.cu):
//   1. scan_blocks over the data: 1024 blocks of 512 threads each scan a
//      chunk of 1024 elements and write the chunk's total to block_sums;
//   2. scan_blocks again, as one block, over the 1024 block totals (in
//      place), giving each chunk's offset;
//   3. add_block_offsets adds each chunk's offset to its elements.
// scan_blocks uses dynamic shared memory: its size is the launch's
// sharedMemBytes argument. The result must equal the host's scan exactly.
#include <cstdio>
#include <vector>

#include "check.h"
#include "sample-prefix-scan_kernels.h"

int main() {
  constexpr int kThreadsPerBlock = 512;
  constexpr int kChunk = 2 * kThreadsPerBlock;  // elements per block
  int n = 1 << 20;
  int chunks = (n + kChunk - 1) / kChunk;
  // Two levels suffice while the chunk totals fit in one chunk.
  static_assert((1 << 20) <= kChunk * kChunk);

  std::vector<unsigned> in(n);
  for (int i = 0; i < n; ++i)
    in[i] = (i * 2654435761u) >> 28;  // pseudo-random values 0..15

  tsModule_t module;
  tsFunction_t scan_blocks, add_block_offsets;
  TS_CHECK(tsModuleLoadData(&module, tessera_kernels_prefix_scan, tessera_kernels_prefix_scan_size));
  TS_CHECK(tsModuleGetFunction(&scan_blocks, module, "scan_blocks"));
  TS_CHECK(tsModuleGetFunction(&add_block_offsets, module, "add_block_offsets"));

  unsigned *d_in, *d_out, *d_block_sums;
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_in), n * sizeof(unsigned)));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_out), n * sizeof(unsigned)));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_block_sums), chunks * sizeof(unsigned)));
  TS_CHECK(tsMemcpy(d_in, in.data(), n * sizeof(unsigned), tsMemcpyHostToDevice));

  // The dynamic shared memory each scan_blocks block gets.
  const size_t shared_bytes = kChunk * sizeof(unsigned);
  const tsDim3 block = TS_DIM3(kThreadsPerBlock, 1, 1);
  const tsDim3 grid = TS_DIM3(chunks, 1, 1);

  void* level1[] = {&d_in, &d_out, &d_block_sums, &n};
  TS_CHECK(tsLaunchKernel(scan_blocks, grid, block, level1, shared_bytes, nullptr));

  unsigned* no_block_sums = nullptr;  // one chunk: no totals to record
  void* level2[] = {&d_block_sums, &d_block_sums, &no_block_sums, &chunks};
  TS_CHECK(tsLaunchKernel(scan_blocks, TS_DIM3(1, 1, 1), block, level2, shared_bytes, nullptr));

  void* offsets[] = {&d_out, &d_block_sums, &n};
  TS_CHECK(tsLaunchKernel(add_block_offsets, grid, block, offsets, 0, nullptr));

  std::vector<unsigned> out(n);
  TS_CHECK(tsMemcpy(out.data(), d_out, n * sizeof(unsigned), tsMemcpyDeviceToHost));

  int mismatches = 0;
  unsigned running = 0;
  for (int i = 0; i < n; ++i) {
    if (out[i] != running && ++mismatches <= 5)
      std::printf("out[%d] = %u, expected %u\n", i, out[i], running);
    running += in[i];
  }
  std::printf("exclusive scan of %d values (%d chunks of %d): total %u, last prefix %u, %d mismatches\n", n,
              chunks, kChunk, running, out[n - 1], mismatches);

  TS_CHECK(tsFree(d_in));
  TS_CHECK(tsFree(d_out));
  TS_CHECK(tsFree(d_block_sums));
  TS_CHECK(tsModuleUnload(module));
  std::printf("%s\n", mismatches == 0 ? "PASS" : "FAIL");
  return mismatches == 0 ? 0 : 1;
}
