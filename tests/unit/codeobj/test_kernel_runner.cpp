// SPDX-License-Identifier: Apache-2.0
// The test kernel runner on the assembled code object: kernels read packed
// arguments, a relocated __device__ pointer, dynamic shared memory and the
// stack, and write thread-derived values that the host checks.
#include <catch2/catch.hpp>

#include <cstring>
#include <stdexcept>

#include <tessera/hw/t1_codeobj.h>
#include <tessera/hw/t1_fault.h>

#include "elf_patch.hpp"
#include "kernel_runner.hpp"

using tessera::testing::KernelRunner;
using namespace codeobj_test;

namespace {

// fill's third argument, laid out as the note describes it (16 bytes, align 8).
struct FillParams {
  uint32_t a;
  uint64_t b;
};
static_assert(sizeof(FillParams) == 16 && alignof(FillParams) == 8);

constexpr uint64_t kTable[4] = {1000, 2000, 3000, 4000};

}  // namespace

TEST_CASE("fill writes thread-derived values through its pointer argument") {
  const Bytes file = two_kernels();
  KernelRunner runner(file);
  const unsigned blocks = 3, threads = 96, n = blocks * threads;
  const uint64_t out = runner.alloc(n * 8);
  const FillParams p{5, uint64_t{1} << 40};
  const auto r = runner.launch_args("fill", {blocks, 1, 1}, {threads, 1, 1}, 0, out, uint32_t{7}, p);
  INFO(r.fault.describe());
  REQUIRE(r.ok);
  const auto got = runner.download<uint64_t>(out, n);
  for (uint64_t g = 0; g < n; ++g) {
    INFO("gid " << g);
    CHECK(got[g] == g * 7 + 5 + (uint64_t{1} << 40) + kTable[g % 4]);
  }
  // The .bss counter, found through the exported symbol, counted every thread.
  uint64_t counter = 0;
  runner.read(runner.global("counter"), &counter, 8);
  CHECK(counter == n);
  // The relocated pointer holds the table's device address.
  uint64_t table_ptr = 0;
  runner.read(runner.global("table_ptr"), &table_ptr, 8);
  CHECK(table_ptr > KernelRunner::kCodeBase);
  CHECK(table_ptr < KernelRunner::kCodeBase + runner.image().size);
  uint64_t first = 0;
  runner.read(table_ptr, &first, 8);
  CHECK(first == 1000);

  // Raw-byte arguments give the same result; launches are repeatable.
  std::vector<std::vector<uint8_t>> args(3);
  args[0].resize(8);
  std::memcpy(args[0].data(), &out, 8);
  args[1] = {2, 0, 0, 0};
  args[2].resize(16);
  std::memcpy(args[2].data(), &p, 16);
  REQUIRE(runner.launch("fill", {1, 1, 1}, {32, 1, 1}, args).ok);
  const auto again = runner.download<uint64_t>(out, 32);
  for (uint64_t g = 0; g < 32; ++g) CHECK(again[g] == g * 2 + 5 + (uint64_t{1} << 40) + kTable[g % 4]);
  runner.read(runner.global("counter"), &counter, 8);
  CHECK(counter == n + 32);
}

TEST_CASE("scale uses dynamic shared memory after the static part, and the stack") {
  const Bytes file = two_kernels();
  KernelRunner runner(file);
  const unsigned blocks = 4, threads = 128, n = blocks * threads;
  std::vector<uint64_t> data(n);
  for (uint64_t i = 0; i < n; ++i) data[i] = i * i;
  const uint64_t va = runner.upload(data);
  const auto r = runner.launch_args("scale", {blocks, 1, 1}, {threads, 1, 1}, threads * 8, va,
                                    uint64_t{3});
  INFO(r.fault.describe());
  REQUIRE(r.ok);
  const auto got = runner.download<uint64_t>(va, n);
  for (uint64_t g = 0; g < n; ++g) {
    const uint64_t block = g / threads, tid = g % threads;
    INFO("gid " << g);
    CHECK(got[g] == g * g * 3 + block * threads + (tid + 1) % threads);
  }
  CHECK(KernelRunner::stack_size_for(runner.image().kernels[1]) == 16);
  CHECK(KernelRunner::stack_size_for(runner.image().kernels[0]) == KernelRunner::kDefaultStackBytes);

  // Without the dynamic part the shared stores run past the block's shared
  // memory: the launch really sized shared memory from the metadata.
  const auto small = runner.launch_args("scale", {1, 1, 1}, {threads, 1, 1}, 0, va, uint64_t{3});
  REQUIRE_FALSE(small.ok);
  CHECK(small.fault.cause == T1_FAULT_SHARED_BOUNDS);
}

TEST_CASE("launch refuses what the metadata forbids, naming the kernel") {
  const Bytes file = two_kernels();
  KernelRunner runner(file);
  const uint64_t buf = runner.alloc(4096);
  CHECK_THROWS_WITH(runner.launch_args("nope", {1, 1, 1}, {1, 1, 1}, 0, buf),
                    "the code object has no kernel 'nope'");
  CHECK_THROWS_WITH(runner.launch_args("scale", {1, 1, 1}, {32, 1, 1}, 256, buf),
                    "kernel 'scale': takes 2 arguments, 1 given");
  CHECK_THROWS_WITH(
      runner.launch_args("fill", {1, 1, 1}, {32, 1, 1}, 0, buf, uint64_t{7}, FillParams{}),
      "kernel 'fill': argument 1 has 4 bytes, 8 given");
  CHECK_THROWS_WITH(runner.launch_args("scale", {1, 1, 1}, {256, 1, 1}, 2048, buf, uint64_t{1}),
                    "kernel 'scale': a block of 256 threads is outside [1, 128]");
  CHECK_THROWS_WITH(runner.launch_args("fill", {1, 1, 1}, {2048, 1, 1}, 0, buf, uint32_t{1}, FillParams{}),
                    "kernel 'fill': a block of 2048 threads is outside [1, 1024]");
  CHECK_THROWS_WITH(
      runner.launch_args("scale", {1, 1, 1}, {32, 1, 1}, 256 * 1024, buf, uint64_t{1}),
      "kernel 'scale': 262192 bytes of shared memory exceed the 262144-byte scratchpad");
  CHECK_THROWS_WITH(runner.global("missing"), "the code object exports no global 'missing'");
  CHECK_THROWS_AS(runner.alloc(1ull << 40), std::runtime_error);
  uint64_t word = 0;
  CHECK_THROWS_AS(runner.read(0, &word, 8), std::runtime_error);
}

TEST_CASE("a runner refuses an invalid code object with the parser's message") {
  const Bytes host = host_library();
  CHECK_THROWS_WITH(KernelRunner(host), "invalid code object: ELF machine is x86-64, expected RISC-V");
}
