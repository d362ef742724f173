// SPDX-License-Identifier: Apache-2.0
// Kernel faults: the error code at the next synchronization, the detailed
// message (kernel, block, thread, PC, source line, address, access kind),
// isolation of the faulted stream, and recovery through tsDeviceReset.
//
// Every test resets the devices it faulted on the way out, since a faulted
// stream stays in error until then. Handles are kept raw (no RAII owners):
// after the reset they are invalid and must not be released again.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

// Resets `devices` at scope exit (also when a REQUIRE fails), then makes
// device 0 current again.
class ResetOnExit {
 public:
  explicit ResetOnExit(std::vector<int> devices) : devices_(std::move(devices)) {}
  ~ResetOnExit() {
    for (int d : devices_) {
      tsSetDevice(d);
      tsDeviceReset();
    }
    tsSetDevice(0);
    (void)tsGetLastError();
  }

 private:
  std::vector<int> devices_;
};

tsModule_t load(std::span<const uint8_t> code) {
  tsModule_t module = nullptr;
  TS_REQUIRE(tsModuleLoadData(&module, code.data(), code.size()));
  return module;
}

tsFunction_t function(tsModule_t module, const char* name) {
  tsFunction_t f = nullptr;
  TS_REQUIRE(tsModuleGetFunction(&f, module, name));
  return f;
}

// Launches fault_store so that thread 5 of block 2 writes to `target`.
tsError_t launch_fault_store(tsModule_t faults, int* target, tsStream_t stream) {
  unsigned block = 2, thread = 5;
  void* args[] = {&target, &block, &thread};
  return tsLaunchKernel(function(faults, "fault_store"), TS_DIM3(4, 1, 1), TS_DIM3(64, 1, 1), args,
                        0, stream);
}

// Runs fill_u32 on the current device through a fresh module and stream and
// checks the result: the device (and runtime) still work.
void check_device_works(uint32_t value) {
  tsModule_t module = load(basic_code());
  tsStream_t stream = nullptr;
  TS_REQUIRE(tsStreamCreate(&stream));
  void* buffer = nullptr;
  TS_REQUIRE(tsMalloc(&buffer, 512 * sizeof(uint32_t)));
  TS_REQUIRE(launch_fill(function(module, "fill_u32"), static_cast<uint32_t*>(buffer), value, 512,
                         stream));
  TS_REQUIRE(tsStreamSynchronize(stream));
  const auto values = read_u32(buffer, 512);
  CHECK(std::count(values.begin(), values.end(), value) == 512);
  TS_CHECK(tsFree(buffer));
  TS_CHECK(tsStreamDestroy(stream));
  TS_CHECK(tsModuleUnload(module));
}

int marker_line(const char* marker) {
  const int line = find_marker_line(kernel_source("faults.cu"), marker);
  REQUIRE(line > 0);
  return line;
}

}  // namespace

TEST_CASE("a kernel writing to unmapped memory faults its stream only", "[faults]") {
  require_devices(2);
  ResetOnExit reset({0});
  tsModule_t faults = load(fault_code());
  tsStream_t faulty = nullptr, healthy = nullptr;
  TS_REQUIRE(tsStreamCreate(&faulty));
  TS_REQUIRE(tsStreamCreate(&healthy));

  int* const unmapped = reinterpret_cast<int*>(0x40);
  TS_REQUIRE(launch_fault_store(faults, unmapped, faulty));  // the launch itself is fine
  REQUIRE(tsStreamSynchronize(faulty) == tsErrorIllegalAddress);
  const std::string message = tsGetLastErrorMessage();
  CHECK(tsPeekAtLastError() == tsErrorIllegalAddress);

  SECTION("the message says what, where and who") {
    INFO("message: " << message);
    CHECK(message.find("fault_store") != std::string::npos);
    CHECK(matches_nocase(message, R"(block\D{0,12}2\b)"));
    CHECK(matches_nocase(message, R"(thread\D{0,12}5\b)"));
    CHECK(matches_nocase(message, R"(\bpc\b\W{0,4}(0x)?[0-9a-f]+)"));
    CHECK(message.find("faults.cu:" + std::to_string(marker_line("FAULT_LINE_STORE"))) !=
          std::string::npos);
    CHECK(matches_nocase(message, R"(0x0*40\b)"));
    CHECK(contains_nocase(message, "write"));
  }
  SECTION("the stream stays in error") {
    CHECK(tsStreamQuery(faulty) == tsErrorIllegalAddress);
    CHECK(tsStreamSynchronize(faulty) == tsErrorIllegalAddress);
    // Work enqueued on it now does not run (or the enqueue is refused).
    void* buffer = nullptr;
    TS_REQUIRE(tsMalloc(&buffer, 64));
    TS_REQUIRE(tsMemset(buffer, 0x11, 64));
    (void)tsMemsetAsync(buffer, 0x22, 64, faulty);
    CHECK(tsStreamSynchronize(faulty) == tsErrorIllegalAddress);
    std::vector<uint8_t> back(64);
    TS_REQUIRE(tsMemcpy(back.data(), buffer, 64, tsMemcpyDeviceToHost));
    CHECK(back[0] == 0x11);
  }
  SECTION("other streams of the device keep working") {
    tsModule_t basic = load(basic_code());
    void* buffer = nullptr;
    TS_REQUIRE(tsMalloc(&buffer, 256 * sizeof(uint32_t)));
    TS_REQUIRE(launch_fill(function(basic, "fill_u32"), static_cast<uint32_t*>(buffer), 0xF00D, 256,
                           healthy));
    TS_REQUIRE(tsStreamSynchronize(healthy));
    const auto values = read_u32(buffer, 256);
    CHECK(std::count(values.begin(), values.end(), 0xF00Du) == 256);
    check_device_works(0xF00E);  // new streams too
  }
  SECTION("the other device keeps working") {
    DeviceScope one(1);
    check_device_works(0xD0D0);
  }
  SECTION("tsDeviceReset recovers the device") {
    TS_REQUIRE(tsDeviceReset());
    CHECK(tsStreamQuery(faulty) == tsErrorInvalidResourceHandle);
    CHECK(tsStreamQuery(healthy) == tsErrorInvalidResourceHandle);
    (void)tsGetLastError();
    TS_CHECK(tsDeviceSynchronize());
    TS_CHECK(tsStreamQuery(nullptr));  // the legacy stream exists afresh
    check_device_works(0xBEEF);
    // And a new fault is reported again, not the old one.
    tsModule_t again = load(fault_code());
    tsStream_t stream = nullptr;
    TS_REQUIRE(tsStreamCreate(&stream));
    TS_REQUIRE(launch_fault_store(again, reinterpret_cast<int*>(0x80), stream));
    CHECK(tsStreamSynchronize(stream) == tsErrorIllegalAddress);
    CHECK(matches_nocase(tsGetLastErrorMessage(), R"(0x0*80\b)"));
  }
}

TEST_CASE("a fault is reported by tsDeviceSynchronize", "[faults]") {
  ResetOnExit reset({0});
  tsModule_t faults = load(fault_code());
  tsStream_t stream = nullptr;
  TS_REQUIRE(tsStreamCreate(&stream));
  TS_REQUIRE(launch_fault_store(faults, reinterpret_cast<int*>(0x40), stream));
  CHECK(tsDeviceSynchronize() == tsErrorIllegalAddress);
  CHECK(std::string(tsGetLastErrorMessage()).find("fault_store") != std::string::npos);
}

TEST_CASE("a fault on the legacy stream", "[faults]") {
  ResetOnExit reset({0});
  tsModule_t faults = load(fault_code());
  TS_REQUIRE(launch_fault_store(faults, reinterpret_cast<int*>(0x40), nullptr));
  CHECK(tsStreamSynchronize(nullptr) == tsErrorIllegalAddress);
  CHECK(tsStreamQuery(nullptr) == tsErrorIllegalAddress);
  TS_REQUIRE(tsDeviceReset());
  TS_CHECK(tsStreamQuery(nullptr));
  check_device_works(0x1E6AC7);
}

TEST_CASE("a kernel reading unmapped memory reports a read", "[faults]") {
  ResetOnExit reset({0});
  tsModule_t faults = load(fault_code());
  tsStream_t stream = nullptr;
  TS_REQUIRE(tsStreamCreate(&stream));
  void* out = nullptr;
  TS_REQUIRE(tsMalloc(&out, 64));
  const int* source = reinterpret_cast<const int*>(0x1000);
  void* args[] = {&source, &out};
  TS_REQUIRE(tsLaunchKernel(function(faults, "fault_load"), TS_DIM3(1, 1, 1), TS_DIM3(32, 1, 1),
                            args, 0, stream));
  REQUIRE(tsStreamSynchronize(stream) == tsErrorIllegalAddress);
  const std::string message = tsGetLastErrorMessage();
  INFO("message: " << message);
  CHECK(message.find("fault_load") != std::string::npos);
  CHECK(contains_nocase(message, "read"));
  CHECK_FALSE(contains_nocase(message, "write"));
  CHECK(matches_nocase(message, R"(0x0*1000\b)"));
  CHECK(message.find("faults.cu:" + std::to_string(marker_line("FAULT_LINE_LOAD"))) !=
        std::string::npos);
}

TEST_CASE("assert() and __trap() in a kernel give tsErrorAssert", "[faults]") {
  ResetOnExit reset({0});
  tsModule_t faults = load(fault_code());
  tsStream_t stream = nullptr;
  TS_REQUIRE(tsStreamCreate(&stream));

  SECTION("assert") {
    unsigned failing = 3;
    void* args[] = {&failing};
    TS_REQUIRE(tsLaunchKernel(function(faults, "fault_assert"), TS_DIM3(2, 1, 1), TS_DIM3(64, 1, 1),
                              args, 0, stream));
    CHECK(tsStreamSynchronize(stream) == tsErrorAssert);
    const std::string message = tsGetLastErrorMessage();
    INFO("message: " << message);
    CHECK(message.find("fault_assert") != std::string::npos);
    CHECK(matches_nocase(message, R"(thread\D{0,12}3\b)"));
  }
  SECTION("__trap") {
    TS_REQUIRE(tsLaunchKernel(function(faults, "fault_trap"), TS_DIM3(1, 1, 1), TS_DIM3(1, 1, 1),
                              nullptr, 0, stream));
    CHECK(tsStreamSynchronize(stream) == tsErrorAssert);
    CHECK(std::string(tsGetLastErrorMessage()).find("fault_trap") != std::string::npos);
  }
}

TEST_CASE("the watchdog stops a kernel that never ends", "[faults][watchdog]") {
  require_devices(2);
  ResetOnExit reset({0});
  tsModule_t faults = load(fault_code());
  tsStream_t stream = nullptr;
  TS_REQUIRE(tsStreamCreate(&stream));
  void* flag = nullptr;
  TS_REQUIRE(tsMalloc(&flag, sizeof(int)));
  TS_REQUIRE(tsMemset(flag, 0, sizeof(int)));
  void* args[] = {&flag};
  const auto start = std::chrono::steady_clock::now();
  TS_REQUIRE(tsLaunchKernel(function(faults, "hang_forever"), TS_DIM3(1, 1, 1), TS_DIM3(32, 1, 1),
                            args, 0, stream));
  // The other device is not held up meanwhile.
  {
    DeviceScope one(1);
    check_device_works(0x0D1);
  }
  CHECK(tsStreamSynchronize(stream) == tsErrorLaunchTimeout);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string message = tsGetLastErrorMessage();
  INFO("message: " << message << ", after " << seconds << " s");
  CHECK(message.find("hang_forever") != std::string::npos);
  CHECK((contains_nocase(message, "watchdog") || contains_nocase(message, "timeout")));
  CHECK(seconds >= 1.5);   // TESSERA_EMU_WATCHDOG_MS=2000
  CHECK(seconds < 60.0);
  TS_REQUIRE(tsDeviceReset());
  check_device_works(0x7E5E7);
}

TEST_CASE("a misaligned atomic gives tsErrorMisalignedAddress", "[faults]") {
  ResetOnExit reset({0});
  tsModule_t faults = load(fault_code());
  tsStream_t stream = nullptr;
  TS_REQUIRE(tsStreamCreate(&stream));
  void* base = nullptr;
  TS_REQUIRE(tsMalloc(&base, 64));
  void* args[] = {&base};
  TS_REQUIRE(tsLaunchKernel(function(faults, "misaligned_atomic"), TS_DIM3(1, 1, 1),
                            TS_DIM3(1, 1, 1), args, 0, stream));
  CHECK(tsStreamSynchronize(stream) == tsErrorMisalignedAddress);
  const std::string message = tsGetLastErrorMessage();
  INFO("message: " << message);
  CHECK(message.find("misaligned_atomic") != std::string::npos);
  char expected_address[32];
  std::snprintf(expected_address, sizeof expected_address, "%llx",
                static_cast<unsigned long long>(reinterpret_cast<uintptr_t>(base) + 2));
  CHECK(contains_nocase(message, expected_address));
}

TEST_CASE("jumping to data gives tsErrorInvalidPc", "[faults]") {
  ResetOnExit reset({0});
  tsModule_t faults = load(fault_code());
  tsStream_t stream = nullptr;
  TS_REQUIRE(tsStreamCreate(&stream));
  void* data = nullptr;
  TS_REQUIRE(tsMalloc(&data, 4096));
  TS_REQUIRE(tsMemset(data, 0, 4096));
  unsigned long long target = reinterpret_cast<uintptr_t>(data);
  void* args[] = {&target};
  TS_REQUIRE(tsLaunchKernel(function(faults, "jump_to"), TS_DIM3(1, 1, 1), TS_DIM3(1, 1, 1), args,
                            0, stream));
  CHECK(tsStreamSynchronize(stream) == tsErrorInvalidPc);
  CHECK(std::string(tsGetLastErrorMessage()).find("jump_to") != std::string::npos);
}
