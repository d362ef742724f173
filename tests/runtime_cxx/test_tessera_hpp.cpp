// SPDX-License-Identifier: Apache-2.0
// tessera.hpp, the C++ layer over the runtime: exceptions with the runtime's
// message, the RAII owners and their moves, streams, events, host functions,
// modules, the typed launch helper, the device guard.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <numeric>
#include <string>
#include <vector>

#include <tessera/tessera.hpp>

#include "test_runtime_cxx_kernels.h"

namespace fs = std::filesystem;
using tessera::dim3;

namespace {

tessera::Module load_kernels() {
  return tessera::Module::from_memory(tessera_kernels_cxx_kernels, tessera_kernels_cxx_kernels_size);
}

struct Affine {
  int scale;
  int offset;
};

bool is_device_memory(const void* p) {
  tsPointerAttributes a{};
  const tsError_t e = tsPointerGetAttributes(&a, p);
  (void)tsGetLastError();
  return e == tsSuccess && a.type == tsMemoryTypeDevice;
}

}  // namespace

TEST_CASE("check() turns a failure into tessera::Error with the code and the runtime's message") {
  CHECK_NOTHROW(tessera::check(tsSuccess));
  try {
    tessera::set_device(12345);
    FAIL("set_device(12345) did not throw");
  } catch (const tessera::Error& e) {
    CHECK(e.code() == tsErrorInvalidDevice);
    CHECK(std::string(e.what()).rfind("tsErrorInvalidDevice: ", 0) == 0);
    CHECK_FALSE(e.detail().empty());
  }
  // The exception reported the error: the thread's last error is clear.
  CHECK(tsGetLastError() == tsSuccess);
  // It is a std::runtime_error too.
  CHECK_THROWS_AS(tessera::check(tsErrorInvalidValue), std::runtime_error);
  // Without a runtime message the code's description is used.
  const tessera::Error e(tsErrorNotSupported, "");
  CHECK(std::string(e.what()) == std::string("tsErrorNotSupported: ") + tsGetErrorString(tsErrorNotSupported));
}

TEST_CASE("DeviceBuffer: copies both ways, size checks, moves free and transfer ownership") {
  std::vector<int> host(1000);
  std::iota(host.begin(), host.end(), 7);
  tessera::DeviceBuffer<int> buf(host);
  REQUIRE(buf.size() == 1000);
  CHECK(buf.size_bytes() == 4000);
  CHECK(is_device_memory(buf.data()));
  CHECK(buf.to_vector() == host);

  // Partial copies at an offset.
  const std::vector<int> patch = {-1, -2, -3};
  buf.copy_from_host(patch, 10);
  std::vector<int> back(5);
  buf.copy_to_host(back, 8);
  CHECK(back == std::vector<int>{15, 16, -1, -2, -3});

  // A span that does not fit throws before any copy.
  std::vector<int> too_big(1001);
  CHECK_THROWS_AS(buf.copy_from_host(too_big), tessera::Error);
  CHECK_THROWS_AS(buf.copy_to_host(std::span<int>(back), 998), tessera::Error);
  try {
    buf.copy_from_host(patch, 999);
  } catch (const tessera::Error& e) {
    CHECK(e.code() == tsErrorInvalidValue);
  }

  buf.fill_bytes(0xff);
  CHECK(buf.to_vector() == std::vector<int>(1000, -1));

  // Moves: the source is left empty; assignment frees the old memory.
  int* const p = buf.data();
  tessera::DeviceBuffer<int> moved(std::move(buf));
  CHECK(buf.data() == nullptr);
  CHECK(buf.empty());
  CHECK(moved.data() == p);
  tessera::DeviceBuffer<int> other(16);
  int* const q = other.data();
  REQUIRE(is_device_memory(q));
  other = std::move(moved);
  CHECK(other.data() == p);
  CHECK_FALSE(is_device_memory(q));
  // release() hands the pointer over.
  int* const r = other.release();
  CHECK(other.data() == nullptr);
  CHECK(is_device_memory(r));
  CHECK(tsFree(r) == tsSuccess);

  // Zero elements: no memory, no error.
  tessera::DeviceBuffer<float> none(0);
  CHECK(none.data() == nullptr);
  CHECK(none.to_vector().empty());
}

TEST_CASE("HostBuffer is page-locked, zeroed, and kernels can use it") {
  tessera::HostBuffer<float> x(256), y(256);
  tsPointerAttributes a{};
  REQUIRE(tsPointerGetAttributes(&a, x.data()) == tsSuccess);
  CHECK(a.type == tsMemoryTypeHost);
  CHECK(y[17] == 0.0f);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = static_cast<float>(i);
    y[i] = 1.0f;
  }
  auto mod = load_kernels();
  tessera::launch(mod.function("saxpy"), dim3(1), dim3(256), 0, nullptr, 256, 2.0f, x, y);
  tessera::device_synchronize();
  CHECK(y[0] == 1.0f);
  CHECK(y[100] == 201.0f);
  CHECK(y[255] == 511.0f);

  tessera::HostBuffer<float> moved(std::move(x));
  CHECK(x.data() == nullptr);
  CHECK(moved.size() == 256);
  CHECK(moved[3] == 3.0f);
}

TEST_CASE("launch passes scalars, structs, 64-bit values and buffers; a stream orders async copies") {
  auto mod = load_kernels();
  tessera::Stream stream;
  constexpr int n = 3000;
  tessera::HostBuffer<float> hx(n), hy(n);
  for (int i = 0; i < n; ++i) {
    hx[i] = static_cast<float>(i);
    hy[i] = 0.25f * static_cast<float>(i);
  }
  tessera::DeviceBuffer<float> x(n), y(n);
  x.copy_from_host_async(hx, stream);
  y.copy_from_host_async(hy, stream);
  tessera::launch(mod.function("saxpy"), dim3((n + 255) / 256), dim3(256), 0, stream, n, 3.0f, x, y);
  tessera::HostBuffer<float> out(n);
  y.copy_to_host_async(out, stream);
  stream.synchronize();
  int wrong = 0;
  for (int i = 0; i < n; ++i) wrong += out[i] != 3.0f * hx[i] + hy[i];
  CHECK(wrong == 0);

  // A struct by value and a 64-bit scalar, launched on a raw stream handle.
  tessera::DeviceBuffer<long long> filled(100);
  const long long base = 1ll << 40;
  tessera::launch(mod.function("affine_fill"), dim3(1), dim3(128), 0, stream.get(), Affine{3, -5}, base, filled,
                  100);
  stream.synchronize();
  const std::vector<long long> f = filled.to_vector();
  CHECK(f[0] == base - 5);
  CHECK(f[99] == base + 3 * 99 - 5);

  // A launch error (block too large) throws with the runtime's code.
  try {
    tessera::launch(mod.function("saxpy"), dim3(1), dim3(1u << 20), 0, stream, n, 3.0f, x, y);
    FAIL("an oversized block launched");
  } catch (const tessera::Error& e) {
    CHECK(e.code() == tsErrorInvalidConfiguration);
  }
}

TEST_CASE("Module: from memory, from a span, from a file; globals; kernels without parameters") {
  auto from_memory = load_kernels();
  auto from_span = tessera::Module::from_memory(
      std::span<const uint8_t>(tessera_kernels_cxx_kernels, tessera_kernels_cxx_kernels_size));

  char path_template[] = "/tmp/tessera-cxx-XXXXXX";
  const int fd = mkstemp(path_template);
  REQUIRE(fd >= 0);
  REQUIRE(write(fd, tessera_kernels_cxx_kernels, tessera_kernels_cxx_kernels_size) ==
          static_cast<ssize_t>(tessera_kernels_cxx_kernels_size));
  close(fd);
  auto from_file = tessera::Module::from_file(path_template);
  fs::remove(path_template);

  CHECK_THROWS_AS(tessera::Module::from_file("/nonexistent/tessera.tsco"), tessera::Error);
  try {
    (void)from_file.function("no_such_kernel");
    FAIL("a missing kernel was found");
  } catch (const tessera::Error& e) {
    CHECK(e.code() == tsErrorNotFound);
  }

  // Each module has its own g_counter, zero when loaded.
  const tessera::DeviceSymbol counter = from_span.global("g_counter");
  REQUIRE(counter.address != nullptr);
  CHECK(counter.size == sizeof(int));
  CHECK(from_memory.global("g_counter").address != counter.address);
  tessera::DeviceBuffer<int> value(1);
  auto read = [&](const tessera::Module& m) {
    tessera::launch(m.function("read_counter"), dim3(1), dim3(1), 0, nullptr, value);
    return value.to_vector()[0];
  };
  CHECK(read(from_span) == 0);
  const tessera::Function bump = from_span.function("bump");
  for (int i = 0; i < 5; ++i) tessera::launch(bump, dim3(2), dim3(32), 0, nullptr);
  CHECK(read(from_span) == 5 * 64);
  CHECK(read(from_memory) == 0);

  // Moving a module keeps its functions usable; the moved-from one is empty.
  tessera::Module moved(std::move(from_span));
  CHECK(from_span.get() == nullptr);
  tessera::launch(moved.function("bump"), dim3(1), dim3(1), 0, nullptr);
  CHECK(read(moved) == 5 * 64 + 1);
}

// tsMemcpy/tsMemset on a module global's address: how host code ports
// cudaMemcpyToSymbol/FromSymbol.
TEST_CASE("module globals can be read and written with tsMemcpy and tsMemset") {
  auto mod = load_kernels();
  const tessera::DeviceSymbol counter = mod.global("g_counter");
  const int seven = 7;
  tessera::check(tsMemcpy(counter.address, &seven, sizeof seven, tsMemcpyHostToDevice));
  tessera::launch(mod.function("bump"), dim3(1), dim3(1), 0, nullptr);
  tessera::device_synchronize();
  int value = 0;
  tessera::check(tsMemcpy(&value, counter.address, sizeof value, tsMemcpyDeviceToHost));
  CHECK(value == 8);
  tessera::check(tsMemset(counter.address, 0, sizeof(int)));
  tessera::check(tsMemcpy(&value, counter.address, sizeof value, tsMemcpyDeviceToHost));
  CHECK(value == 0);
}

TEST_CASE("Function::attributes reports the kernel") {
  auto mod = load_kernels();
  const tsFuncAttributes a = mod.function("saxpy").attributes();
  CHECK(std::string(a.name) == "saxpy");
  CHECK(a.maxThreadsPerBlock > 0);
  CHECK(a.sharedSizeBytes == 0);
  const auto [min_grid, block] = mod.function("saxpy").max_potential_block_size();
  CHECK(block > 0);
  CHECK(block <= a.maxThreadsPerBlock);
  CHECK(min_grid > 0);
}

TEST_CASE("Stream: flags, priority, query, wait on an event, host functions") {
  int least = 0, greatest = 0;
  tessera::check(tsDeviceGetStreamPriorityRange(&least, &greatest));
  tessera::Stream high(tsStreamNonBlocking, greatest);
  CHECK(high.flags() == tsStreamNonBlocking);
  CHECK(high.priority() == greatest);
  tessera::Stream plain;
  CHECK(plain.flags() == tsStreamDefault);

  auto mod = load_kernels();
  // The spin writes its results to page-locked memory the host can read.
  tessera::HostBuffer<unsigned> out(32);
  // Long enough (tens of milliseconds at least) to be seen running.
  tessera::launch(mod.function("spin"), dim3(1), dim3(32), 0, plain, 5000000u, out);
  CHECK_FALSE(plain.query());
  // `high` waits for the spin through an event, then runs a host function.
  tessera::Event done;
  done.record(plain);
  high.wait(done);
  std::atomic<bool> ran{false};
  std::atomic<bool> spin_finished_first{false};
  auto token = std::make_shared<int>(42);  // the callable owns a copy
  high.host_func([&ran, &spin_finished_first, &out, token] {
    // Host functions must not call the runtime: only host memory is read.
    spin_finished_first = out[0] != 0 && out[31] != 0;
    ran = *token == 42;
  });
  CHECK(token.use_count() == 2);
  high.synchronize();
  CHECK(ran);
  CHECK(spin_finished_first);
  CHECK(plain.query());
  CHECK(done.query());
  // The trampoline deleted the callable and what it captured.
  CHECK(token.use_count() == 1);

  // Moving a stream transfers the handle.
  tsStream_t raw = plain.get();
  tessera::Stream moved(std::move(plain));
  CHECK(moved.get() == raw);
  CHECK(plain.get() == nullptr);
}

TEST_CASE("Event: record, synchronize, elapsed time") {
  auto mod = load_kernels();
  tessera::Stream stream;
  tessera::DeviceBuffer<unsigned> out(32);
  tessera::Event start, stop;
  start.record(stream);
  tessera::launch(mod.function("spin"), dim3(1), dim3(32), 0, stream, 200000u, out);
  stop.record(stream);
  stop.synchronize();
  CHECK(stop.query());
  const float ms = tessera::Event::elapsed_ms(start, stop);
  CHECK(ms > 0.0f);
  CHECK(ms < 60000.0f);
  // Timing disabled: elapsed time is refused.
  tessera::Event untimed(tsEventDisableTiming);
  untimed.record(stream);
  untimed.synchronize();
  CHECK_THROWS_AS(tessera::Event::elapsed_ms(start, untimed), tessera::Error);
}

TEST_CASE("DeviceGuard sets a device and restores the previous one") {
  const int count = tessera::device_count();
  REQUIRE(count >= 1);
  tessera::set_device(0);
  {
    tessera::DeviceGuard guard(count - 1);
    CHECK(guard.previous() == 0);
    CHECK(tessera::current_device() == count - 1);
    {
      tessera::DeviceGuard inner(0);
      CHECK(tessera::current_device() == 0);
    }
    CHECK(tessera::current_device() == count - 1);
  }
  CHECK(tessera::current_device() == 0);
  // An invalid device throws and changes nothing.
  CHECK_THROWS_AS(tessera::DeviceGuard(count), tessera::Error);
  CHECK(tessera::current_device() == 0);
  if (count >= 2) {
    // Memory allocated under a guard belongs to the guard's device.
    tessera::DeviceGuard guard(1);
    tessera::DeviceBuffer<int> b(4);
    tsPointerAttributes a{};
    tessera::check(tsPointerGetAttributes(&a, b.data()));
    CHECK(a.device == 1);
  }
  CHECK(tessera::current_device() == 0);
}
