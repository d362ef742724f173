// SPDX-License-Identifier: Apache-2.0
// Error names and strings, and the per-thread last error.
#include <set>
#include <string>
#include <thread>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

struct NamedError {
  tsError_t code;
  const char* name;
};

// Every enumerator of tsError_t with its spelling.
constexpr NamedError kAllErrors[] = {
    {tsSuccess, "tsSuccess"},
    {tsErrorInvalidValue, "tsErrorInvalidValue"},
    {tsErrorMemoryAllocation, "tsErrorMemoryAllocation"},
    {tsErrorInitializationError, "tsErrorInitializationError"},
    {tsErrorInvalidConfiguration, "tsErrorInvalidConfiguration"},
    {tsErrorInvalidPitchValue, "tsErrorInvalidPitchValue"},
    {tsErrorInvalidDevicePointer, "tsErrorInvalidDevicePointer"},
    {tsErrorInvalidMemcpyDirection, "tsErrorInvalidMemcpyDirection"},
    {tsErrorNoDevice, "tsErrorNoDevice"},
    {tsErrorInvalidDevice, "tsErrorInvalidDevice"},
    {tsErrorInvalidImage, "tsErrorInvalidImage"},
    {tsErrorInvalidResourceHandle, "tsErrorInvalidResourceHandle"},
    {tsErrorNotFound, "tsErrorNotFound"},
    {tsErrorNotReady, "tsErrorNotReady"},
    {tsErrorIllegalAddress, "tsErrorIllegalAddress"},
    {tsErrorLaunchOutOfResources, "tsErrorLaunchOutOfResources"},
    {tsErrorLaunchTimeout, "tsErrorLaunchTimeout"},
    {tsErrorPeerAccessAlreadyEnabled, "tsErrorPeerAccessAlreadyEnabled"},
    {tsErrorPeerAccessNotEnabled, "tsErrorPeerAccessNotEnabled"},
    {tsErrorAssert, "tsErrorAssert"},
    {tsErrorIllegalInstruction, "tsErrorIllegalInstruction"},
    {tsErrorMisalignedAddress, "tsErrorMisalignedAddress"},
    {tsErrorInvalidPc, "tsErrorInvalidPc"},
    {tsErrorLaunchFailure, "tsErrorLaunchFailure"},
    {tsErrorPeerAccessUnsupported, "tsErrorPeerAccessUnsupported"},
    {tsErrorIncompatibleVersion, "tsErrorIncompatibleVersion"},
    {tsErrorNotSupported, "tsErrorNotSupported"},
    {tsErrorDeviceLost, "tsErrorDeviceLost"},
    {tsErrorUnknown, "tsErrorUnknown"},
};

// Clears this thread's last error so a test starts from a known state.
void clear_last_error() { (void)tsGetLastError(); }

}  // namespace

TEST_CASE("every error code has its own name and description", "[errors]") {
  std::set<std::string> descriptions;
  for (const NamedError& e : kAllErrors) {
    INFO("code " << static_cast<int>(e.code));
    const char* name = tsGetErrorName(e.code);
    REQUIRE(name != nullptr);
    CHECK(std::string(name) == e.name);
    const char* description = tsGetErrorString(e.code);
    REQUIRE(description != nullptr);
    CHECK(std::string(description).size() > 3);
    CHECK(std::string(description) != e.name);
    descriptions.insert(description);
  }
  // One line per code: no two codes share a description.
  CHECK(descriptions.size() == std::size(kAllErrors));
}

TEST_CASE("unknown error codes still get a name and a description", "[errors]") {
  const auto bogus = static_cast<tsError_t>(12345);
  REQUIRE(tsGetErrorName(bogus) != nullptr);
  REQUIRE(tsGetErrorString(bogus) != nullptr);
  CHECK(std::string(tsGetErrorName(bogus)) != "tsSuccess");
  CHECK(std::string(tsGetErrorString(bogus)).size() > 0);
}

TEST_CASE("tsGetLastError resets the last error, tsPeekAtLastError does not", "[errors]") {
  clear_last_error();
  CHECK(tsPeekAtLastError() == tsSuccess);
  CHECK(tsGetLastError() == tsSuccess);

  REQUIRE(tsSetDevice(1000) == tsErrorInvalidDevice);
  CHECK(tsPeekAtLastError() == tsErrorInvalidDevice);
  CHECK(tsPeekAtLastError() == tsErrorInvalidDevice);  // peeking twice changes nothing

  // A later successful call leaves the recorded error alone.
  int count = 0;
  TS_REQUIRE(tsGetDeviceCount(&count));
  CHECK(tsPeekAtLastError() == tsErrorInvalidDevice);

  CHECK(tsGetLastError() == tsErrorInvalidDevice);
  CHECK(tsGetLastError() == tsSuccess);
  CHECK(tsPeekAtLastError() == tsSuccess);
}

TEST_CASE("the last error is the most recent failure", "[errors]") {
  clear_last_error();
  REQUIRE(tsSetDevice(-1) == tsErrorInvalidDevice);
  REQUIRE(tsMalloc(nullptr, 16) == tsErrorInvalidValue);
  CHECK(tsGetLastError() == tsErrorInvalidValue);
}

TEST_CASE("the last error belongs to the host thread that made the call", "[errors]") {
  clear_last_error();
  tsError_t seen_in_thread_before = tsErrorUnknown;
  tsError_t seen_in_thread_after = tsErrorUnknown;
  tsError_t failure_in_thread = tsSuccess;
  std::string message_in_thread;
  std::thread other([&] {
    seen_in_thread_before = tsPeekAtLastError();
    failure_in_thread = tsSetDevice(4242);
    seen_in_thread_after = tsPeekAtLastError();
    message_in_thread = tsGetLastErrorMessage();
  });
  other.join();
  CHECK(seen_in_thread_before == tsSuccess);
  CHECK(failure_in_thread == tsErrorInvalidDevice);
  CHECK(seen_in_thread_after == tsErrorInvalidDevice);
  CHECK(message_in_thread.find("4242") != std::string::npos);
  // Nothing leaked into this thread.
  CHECK(tsPeekAtLastError() == tsSuccess);
  CHECK(std::string(tsGetLastErrorMessage()).empty());

  // And the other way round: a failure here is not seen by a new thread.
  REQUIRE(tsSetDevice(-7) == tsErrorInvalidDevice);
  tsError_t seen_by_fresh_thread = tsErrorUnknown;
  std::thread fresh([&] { seen_by_fresh_thread = tsPeekAtLastError(); });
  fresh.join();
  CHECK(seen_by_fresh_thread == tsSuccess);
  CHECK(tsGetLastError() == tsErrorInvalidDevice);
}

TEST_CASE("tsGetLastErrorMessage explains the failure", "[errors]") {
  clear_last_error();
  CHECK(std::string(tsGetLastErrorMessage()).empty());

  SECTION("a device ordinal out of range names the ordinal and the device count") {
    REQUIRE(tsSetDevice(77) == tsErrorInvalidDevice);
    const std::string message = tsGetLastErrorMessage();
    INFO("message: " << message);
    CHECK(message.find("77") != std::string::npos);
    CHECK(message.find(std::to_string(device_count())) != std::string::npos);
  }
  SECTION("a null output pointer names the argument") {
    REQUIRE(tsMalloc(nullptr, 64) == tsErrorInvalidValue);
    const std::string message = tsGetLastErrorMessage();
    INFO("message: " << message);
    CHECK(message.find("devPtr") != std::string::npos);
  }
  SECTION("an unknown kernel name is quoted") {
    Module module(basic_code());
    tsFunction_t f = nullptr;
    REQUIRE(tsModuleGetFunction(&f, module.get(), "no_such_kernel") == tsErrorNotFound);
    const std::string message = tsGetLastErrorMessage();
    INFO("message: " << message);
    CHECK(message.find("no_such_kernel") != std::string::npos);
  }
  // Once the error is taken, there is no message any more.
  CHECK(tsGetLastError() != tsSuccess);
  CHECK(std::string(tsGetLastErrorMessage()).empty());
}

TEST_CASE("a failing call leaves its output arguments alone", "[errors]") {
  void* const sentinel = reinterpret_cast<void*>(0x5a5a5a5a);

  void* ptr = sentinel;
  REQUIRE(tsMalloc(&ptr, size_t{1} << 50) == tsErrorMemoryAllocation);
  CHECK(ptr == sentinel);

  auto stream = reinterpret_cast<tsStream_t>(sentinel);
  REQUIRE(tsStreamCreateWithFlags(&stream, 0x80) == tsErrorInvalidValue);
  CHECK(stream == reinterpret_cast<tsStream_t>(sentinel));

  tsDeviceProp prop{};
  prop.warpSize = -123;
  REQUIRE(tsGetDeviceProperties(&prop, 99) == tsErrorInvalidDevice);
  CHECK(prop.warpSize == -123);

  int device = -55;
  REQUIRE(tsSetDevice(99) == tsErrorInvalidDevice);
  TS_REQUIRE(tsGetDevice(&device));
  CHECK(device == 0);  // the failed tsSetDevice did not change the current device
  clear_last_error();
}
