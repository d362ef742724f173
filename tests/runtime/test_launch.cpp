// SPDX-License-Identifier: Apache-2.0
// tsLaunchKernel: grid and block shapes, argument passing, shared memory,
// the checks made at the call, and the occupancy queries.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "runtime_test.hpp"

using namespace runtime_test;

TEST_CASE("three-dimensional grids and blocks reach every thread once", "[launch]") {
  Module module(basic_code());
  const tsDim3 grid = TS_DIM3(3, 2, 2), block = TS_DIM3(4, 3, 2);
  const uint32_t blocks = 3 * 2 * 2, threads = 4 * 3 * 2;
  DeviceBuffer out(blocks * threads * sizeof(uint32_t)), dims(6 * sizeof(uint32_t));
  TS_REQUIRE(tsMemset(out.get(), 0xFF, out.size()));
  uint32_t* out_ptr = out.as<uint32_t>();
  uint32_t* dims_ptr = dims.as<uint32_t>();
  void* args[] = {&out_ptr, &dims_ptr};
  TS_REQUIRE(tsLaunchKernel(module.function("write_coordinates"), grid, block, args, 0, nullptr));
  TS_REQUIRE(tsDeviceSynchronize());

  const auto seen_dims = read_u32(dims.get(), 6);
  CHECK(seen_dims == std::vector<uint32_t>{3, 2, 2, 4, 3, 2});
  const auto values = read_u32(out.get(), blocks * threads);
  for (uint32_t bz = 0; bz < 2; ++bz)
    for (uint32_t by = 0; by < 2; ++by)
      for (uint32_t bx = 0; bx < 3; ++bx)
        for (uint32_t tz = 0; tz < 2; ++tz)
          for (uint32_t ty = 0; ty < 3; ++ty)
            for (uint32_t tx = 0; tx < 4; ++tx) {
              const uint32_t b = bx + 3 * (by + 2 * bz), t = tx + 4 * (ty + 3 * tz);
              const uint32_t expected =
                  bx | by << 4 | bz << 8 | tx << 12 | ty << 16 | tz << 20;
              if (values[b * threads + t] != expected)
                FAIL_CHECK("block " << b << " thread " << t << ": " << values[b * threads + t]);
            }
}

TEST_CASE("arguments of every kind arrive intact", "[launch]") {
  struct MixedPair {  // as in kernels/basic.cu
    int a;
    double b;
    char c;
  };
  Module module(basic_code());
  DeviceBuffer out(10 * sizeof(double));
  char c = -5;
  short s = -30000;
  int i = 2000000000;
  long long ll = (1LL << 40) + 3;
  float f = 1.5f;
  double d = -0.0625;
  MixedPair pair{-7, 3.25, 'x'};
  unsigned char u8 = 250;
  double* out_ptr = out.as<double>();
  void* args[] = {&c, &s, &i, &ll, &f, &d, &pair, &u8, &out_ptr};
  TS_REQUIRE(tsLaunchKernel(module.function("mixed_args"), TS_DIM3(1, 1, 1), TS_DIM3(1, 1, 1),
                            args, 0, nullptr));
  // The values were copied at the call: changing them now has no effect.
  c = 0, s = 0, i = 0, ll = 0, f = 0, d = 0, pair = {}, u8 = 0;
  TS_REQUIRE(tsDeviceSynchronize());
  double seen[10] = {};
  TS_REQUIRE(tsMemcpy(seen, out.get(), sizeof seen, tsMemcpyDeviceToHost));
  CHECK(seen[0] == -5);
  CHECK(seen[1] == -30000);
  CHECK(seen[2] == 2000000000);
  CHECK(seen[3] == static_cast<double>((1LL << 40) + 3));
  CHECK(seen[4] == 1.5);
  CHECK(seen[5] == -0.0625);
  CHECK(seen[6] == -7);
  CHECK(seen[7] == 3.25);
  CHECK(seen[8] == 'x');
  CHECK(seen[9] == 250);
}

TEST_CASE("static and dynamic shared memory work", "[launch]") {
  Module module(basic_code());
  const uint32_t blocks = 4, threads = 256, n = blocks * threads;
  std::vector<int> input(n);
  std::iota(input.begin(), input.end(), 1);
  DeviceBuffer data(n * sizeof(int)), sums(blocks * sizeof(int));
  TS_REQUIRE(tsMemcpy(data.get(), input.data(), n * sizeof(int), tsMemcpyHostToDevice));

  int* sums_ptr = sums.as<int>();
  int* data_ptr = data.as<int>();
  void* sum_args[] = {&data_ptr, &sums_ptr};
  TS_REQUIRE(tsLaunchKernel(module.function("dynamic_shared_sum"), TS_DIM3(blocks, 1, 1),
                            TS_DIM3(threads, 1, 1), sum_args, threads * sizeof(int), nullptr));
  void* reverse_args[] = {&data_ptr};
  TS_REQUIRE(tsLaunchKernel(module.function("reverse_block"), TS_DIM3(blocks, 1, 1),
                            TS_DIM3(threads, 1, 1), reverse_args, 0, nullptr));
  TS_REQUIRE(tsDeviceSynchronize());

  std::vector<int> seen_sums(blocks);
  TS_REQUIRE(tsMemcpy(seen_sums.data(), sums.get(), blocks * sizeof(int), tsMemcpyDeviceToHost));
  std::vector<int> reversed(n);
  TS_REQUIRE(tsMemcpy(reversed.data(), data.get(), n * sizeof(int), tsMemcpyDeviceToHost));
  for (uint32_t b = 0; b < blocks; ++b) {
    INFO("block " << b);
    CHECK(seen_sums[b] == std::accumulate(input.begin() + b * threads,
                                          input.begin() + (b + 1) * threads, 0));
    CHECK(std::equal(reversed.begin() + b * threads, reversed.begin() + (b + 1) * threads,
                     input.rbegin() + (blocks - 1 - b) * threads));
  }
}

TEST_CASE("bad launch configurations are refused at the call and enqueue nothing", "[launch]") {
  Module module(basic_code());
  const tsFunction_t increment = module.function("increment_u32");
  const tsDeviceProp prop = properties(0);
  DeviceBuffer counter(64 * sizeof(uint32_t));
  TS_REQUIRE(tsMemset(counter.get(), 0, counter.size()));
  uint32_t* data = counter.as<uint32_t>();
  uint32_t n = 64;
  void* args[] = {&data, &n};
  Stream stream;

  auto launch = [&](tsDim3 grid, tsDim3 block, size_t shared) {
    return tsLaunchKernel(increment, grid, block, args, shared, stream);
  };
  CHECK(launch(TS_DIM3(0, 1, 1), TS_DIM3(64, 1, 1), 0) == tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 0, 1), TS_DIM3(64, 1, 1), 0) == tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 1, 0), TS_DIM3(64, 1, 1), 0) == tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 1, 1), TS_DIM3(0, 1, 1), 0) == tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 1, 1), TS_DIM3(64, 0, 1), 0) == tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 1, 1), TS_DIM3(1025, 1, 1), 0) == tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 1, 1), TS_DIM3(32, 32, 2), 0) == tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 1, 1), TS_DIM3(1, 1, static_cast<unsigned>(prop.maxThreadsDim[2]) + 1), 0) ==
        tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(static_cast<unsigned>(prop.maxGridSize[0]) + 1, 1, 1), TS_DIM3(1, 1, 1),
               0) == tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), prop.sharedMemPerBlock + 1) ==
        tsErrorInvalidConfiguration);
  CHECK(launch(TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), size_t{1} << 40) ==
        tsErrorInvalidConfiguration);
  CHECK_FALSE(std::string(tsGetLastErrorMessage()).empty());

  // Arguments: NULL for a kernel with parameters.
  CHECK(tsLaunchKernel(increment, TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), nullptr, 0, stream) ==
        tsErrorInvalidValue);
  // A null function: a null argument or an unknown handle, either way refused.
  const tsError_t null_function =
      tsLaunchKernel(nullptr, TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), args, 0, stream);
  CHECK((null_function == tsErrorInvalidValue || null_function == tsErrorInvalidResourceHandle));
  (void)tsGetLastError();

  // None of them ran, and the stream is fine: one good launch counts once.
  TS_REQUIRE(launch(TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), 0));
  TS_REQUIRE(tsStreamSynchronize(stream));
  const auto values = read_u32(counter.get(), 64);
  CHECK(std::count(values.begin(), values.end(), 1u) == 64);
}

TEST_CASE("shared memory is checked against the scratchpad, static part included", "[launch]") {
  Module module(basic_code());
  const tsFunction_t sum = module.function("dynamic_shared_sum");
  const tsFunction_t reverse = module.function("reverse_block");
  tsFuncAttributes sum_attr{}, reverse_attr{};
  TS_REQUIRE(tsFuncGetAttributes(&sum_attr, sum));
  TS_REQUIRE(tsFuncGetAttributes(&reverse_attr, reverse));
  DeviceBuffer data(64 * sizeof(int)), out(sizeof(int));
  TS_REQUIRE(tsMemset(data.get(), 0, data.size()));
  int* data_ptr = data.as<int>();
  int* out_ptr = out.as<int>();
  void* sum_args[] = {&data_ptr, &out_ptr};
  void* reverse_args[] = {&data_ptr};

  // Exactly the maximum is fine, one byte more is not.
  TS_CHECK(tsLaunchKernel(sum, TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), sum_args,
                          sum_attr.maxDynamicSharedSizeBytes, nullptr));
  CHECK(tsLaunchKernel(sum, TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), sum_args,
                       sum_attr.maxDynamicSharedSizeBytes + 1, nullptr) ==
        tsErrorInvalidConfiguration);
  TS_CHECK(tsLaunchKernel(reverse, TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), reverse_args,
                          reverse_attr.maxDynamicSharedSizeBytes, nullptr));
  CHECK(tsLaunchKernel(reverse, TS_DIM3(1, 1, 1), TS_DIM3(64, 1, 1), reverse_args,
                       reverse_attr.maxDynamicSharedSizeBytes + 1, nullptr) ==
        tsErrorInvalidConfiguration);
  (void)tsGetLastError();
  TS_CHECK(tsDeviceSynchronize());
}

TEST_CASE("a block larger than the kernel's __launch_bounds__ is refused", "[launch]") {
  Module module(basic_code());
  const tsFunction_t bounded = module.function("bounded_fill");
  DeviceBuffer out(256 * sizeof(uint32_t));
  TS_REQUIRE(tsMemset(out.get(), 0, out.size()));
  uint32_t* out_ptr = out.as<uint32_t>();
  uint32_t value = 9;
  void* args[] = {&out_ptr, &value};
  CHECK(tsLaunchKernel(bounded, TS_DIM3(1, 1, 1), TS_DIM3(256, 1, 1), args, 0, nullptr) ==
        tsErrorLaunchOutOfResources);
  CHECK(tsLaunchKernel(bounded, TS_DIM3(1, 1, 1), TS_DIM3(16, 16, 1), args, 0, nullptr) ==
        tsErrorLaunchOutOfResources);
  (void)tsGetLastError();
  TS_REQUIRE(tsLaunchKernel(bounded, TS_DIM3(2, 1, 1), TS_DIM3(128, 1, 1), args, 0, nullptr));
  TS_REQUIRE(tsDeviceSynchronize());
  const auto values = read_u32(out.get(), 256);
  CHECK(std::count(values.begin(), values.end(), 9u) == 256);
}

TEST_CASE("a kernel without parameters takes NULL args", "[launch]") {
  Module module(basic_code());
  void* launches = nullptr;
  TS_REQUIRE(tsModuleGetGlobal(&launches, nullptr, module.get(), "g_launches"));
  TS_REQUIRE(tsLaunchKernel(module.function("noop"), TS_DIM3(4, 1, 1), TS_DIM3(1024, 1, 1),
                            nullptr, 0, nullptr));
  TS_REQUIRE(tsLaunchKernel(module.function("count_launch"), TS_DIM3(1, 1, 1), TS_DIM3(1, 1, 1),
                            nullptr, 0, nullptr));
  TS_REQUIRE(tsDeviceSynchronize());
  unsigned long long count = 0;
  TS_REQUIRE(tsMemcpy(&count, launches, sizeof count, tsMemcpyDeviceToHost));
  CHECK(count == 1);
}

TEST_CASE("launches on destroyed streams are refused", "[launch]") {
  Module module(basic_code());
  tsStream_t s = nullptr;
  TS_REQUIRE(tsStreamCreate(&s));
  TS_REQUIRE(tsStreamDestroy(s));
  CHECK(tsLaunchKernel(module.function("noop"), TS_DIM3(1, 1, 1), TS_DIM3(1, 1, 1), nullptr, 0, s) ==
        tsErrorInvalidResourceHandle);
  (void)tsGetLastError();
}

TEST_CASE("occupancy queries", "[launch]") {
  Module module(basic_code());
  const tsDeviceProp prop = properties(0);
  const tsFunction_t fill = module.function("fill_u32");
  const tsFunction_t bounded = module.function("bounded_fill");
  const tsFunction_t reverse = module.function("reverse_block");

  int blocks = -1;
  TS_REQUIRE(tsOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, fill, 256, 0));
  CHECK(blocks == 1);
  TS_REQUIRE(tsOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, fill, 1024, 0));
  CHECK(blocks == 1);
  TS_REQUIRE(tsOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, bounded, 256, 0));
  CHECK(blocks == 0);  // beyond the kernel's limit
  TS_REQUIRE(tsOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, fill, 64, prop.sharedMemPerBlock + 1));
  CHECK(blocks == 0);  // too much shared memory
  TS_REQUIRE(tsOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, reverse, 64, prop.sharedMemPerBlock));
  CHECK(blocks == 0);  // with the static 1024 bytes it does not fit

  int min_grid = -1, block = -1;
  TS_REQUIRE(tsOccupancyMaxPotentialBlockSize(&min_grid, &block, fill, 0, 0));
  CHECK(block == prop.maxThreadsPerBlock);
  CHECK(min_grid == prop.multiProcessorCount);  // one block per tile fills the device
  TS_REQUIRE(tsOccupancyMaxPotentialBlockSize(&min_grid, &block, bounded, 0, 0));
  CHECK(block == 128);
  TS_REQUIRE(tsOccupancyMaxPotentialBlockSize(&min_grid, &block, fill, 0, 96));
  CHECK(block == 96);
  CHECK(min_grid == prop.multiProcessorCount);

  CHECK(tsOccupancyMaxActiveBlocksPerMultiprocessor(nullptr, fill, 64, 0) == tsErrorInvalidValue);
  CHECK(tsOccupancyMaxPotentialBlockSize(nullptr, &block, fill, 0, 0) == tsErrorInvalidValue);
  (void)tsGetLastError();
}
