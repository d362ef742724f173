// SPDX-License-Identifier: Apache-2.0
// Shared helpers of the runtime API tests: readable error values in Catch2
// output, checked calls, RAII owners for runtime objects, the embedded test
// kernels, and a gate that holds a stream until the test opens it.
//
// Every test case creates what it uses and destroys it again: fault tests
// reset devices (tsDeviceReset invalidates every handle of the device), so
// nothing may be cached across test cases.
#pragma once

#include <catch2/catch.hpp>

#include <tessera/tessera.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <future>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "runtime_test_support_kernels.h"

// Catch2 prints tsError_t values by name, e.g. "tsErrorInvalidValue (1)".
namespace Catch {
template <>
struct StringMaker<tsError_t> {
  static std::string convert(tsError_t e) {
    return std::string(tsGetErrorName(e)) + " (" + std::to_string(static_cast<int>(e)) + ")";
  }
};
}  // namespace Catch

// Checks that a runtime call succeeds; on failure shows the call, the error
// and the runtime's detailed message.
#define TS_REQUIRE(call)                                                                       \
  do {                                                                                         \
    const tsError_t ts_result_ = (call);                                                       \
    INFO(#call " -> " << tsGetErrorName(ts_result_) << ": " << tsGetLastErrorMessage());       \
    REQUIRE(ts_result_ == tsSuccess);                                                          \
  } while (0)
#define TS_CHECK(call)                                                                         \
  do {                                                                                         \
    const tsError_t ts_result_ = (call);                                                       \
    INFO(#call " -> " << tsGetErrorName(ts_result_) << ": " << tsGetLastErrorMessage());       \
    CHECK(ts_result_ == tsSuccess);                                                            \
  } while (0)

namespace runtime_test {

using namespace std::chrono_literals;

// The code objects of kernels/basic.cu and kernels/faults.cu.
inline std::span<const uint8_t> basic_code() {
  return {tessera_kernels_basic, static_cast<size_t>(tessera_kernels_basic_size)};
}
inline std::span<const uint8_t> fault_code() {
  return {tessera_kernels_faults, static_cast<size_t>(tessera_kernels_faults_size)};
}

// Device count, failing the test if it cannot be read.
int device_count();
// Fails the test unless at least `n` devices are visible (the ctest
// environment sets TESSERA_EMU_DEVICES=2).
void require_devices(int n);
// Properties of `device`.
tsDeviceProp properties(int device);
// The backend these tests run on: TESSERA_BACKEND, else "emu" (the QEMU
// test runs them through the kernel driver with TESSERA_BACKEND=drm).
std::string expected_backend();

// A module loaded on the current device, unloaded at scope exit.
class Module {
 public:
  explicit Module(std::span<const uint8_t> code);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  tsModule_t get() const { return module_; }
  // The named kernel; fails the test if it is missing.
  tsFunction_t function(const char* name) const;
  // Forget the handle without unloading (after tsDeviceReset).
  void abandon() { module_ = nullptr; }

 private:
  tsModule_t module_ = nullptr;
};

// Device memory on the current device, freed at scope exit.
class DeviceBuffer {
 public:
  explicit DeviceBuffer(size_t bytes);
  ~DeviceBuffer();
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void* get() const { return ptr_; }
  template <class T>
  T* as() const { return static_cast<T*>(ptr_); }
  size_t size() const { return bytes_; }
  void abandon() { ptr_ = nullptr; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

// Page-locked host memory, freed at scope exit.
class HostBuffer {
 public:
  explicit HostBuffer(size_t bytes);
  ~HostBuffer();
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;
  void* get() const { return ptr_; }
  template <class T>
  T* as() const { return static_cast<T*>(ptr_); }
  size_t size() const { return bytes_; }

 private:
  void* ptr_ = nullptr;
  size_t bytes_ = 0;
};

// A stream of the current device, destroyed at scope exit.
class Stream {
 public:
  explicit Stream(unsigned flags = tsStreamDefault);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  tsStream_t get() const { return stream_; }
  operator tsStream_t() const { return stream_; }
  void abandon() { stream_ = nullptr; }

 private:
  tsStream_t stream_ = nullptr;
};

// An event, destroyed at scope exit.
class Event {
 public:
  explicit Event(unsigned flags = tsEventDefault);
  ~Event();
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  tsEvent_t get() const { return event_; }
  operator tsEvent_t() const { return event_; }
  void abandon() { event_ = nullptr; }

 private:
  tsEvent_t event_ = nullptr;
};

// Makes `device` current for this thread; restores the previous one at
// scope exit, so no test leaves another device current for the next.
class DeviceScope {
 public:
  explicit DeviceScope(int device);
  ~DeviceScope();
  DeviceScope(const DeviceScope&) = delete;
  DeviceScope& operator=(const DeviceScope&) = delete;

 private:
  int previous_ = 0;
};

// Holds a stream: hold() enqueues a host function that blocks until open()
// (or the destructor) runs, so work enqueued behind it cannot start. The
// blocked function keeps its own reference to the shared state, so the Gate
// may go away while the runtime thread is still inside it.
class Gate {
 public:
  Gate();
  ~Gate();
  Gate(const Gate&) = delete;
  Gate& operator=(const Gate&) = delete;
  // Enqueues the blocking host function on `stream`; at most once.
  tsError_t hold(tsStream_t stream);
  void open();
  // Whether the host function has started (the stream reached the gate).
  bool reached() const;

 private:
  struct State;
  State* state_;
  bool enqueued_ = false;
};

// On every path out of a scope: opens `gate`, lets the helper thread
// `other` go on (`may_exit`) and joins it, so a failing check cannot leave
// a stream blocked or a thread running.
struct GateRelease {
  Gate& gate;
  std::promise<void>& may_exit;
  std::thread& other;
  ~GateRelease() {
    gate.open();
    may_exit.set_value();
    other.join();
  }
};

// Polls tsStreamQuery until it stops returning tsErrorNotReady or `timeout`
// passes; returns the last result.
tsError_t wait_for_stream(tsStream_t stream, std::chrono::milliseconds timeout = 10s);
// The same for an event.
tsError_t wait_for_event(tsEvent_t event, std::chrono::milliseconds timeout = 10s);

// Launch helpers: one-dimensional grid covering n threads in blocks of 64.
tsError_t launch_fill(tsFunction_t fill_u32, uint32_t* out, uint32_t value, uint32_t n,
                      tsStream_t stream);
tsError_t launch_increment(tsFunction_t increment_u32, uint32_t* data, uint32_t n,
                           tsStream_t stream);

// Copies n values (bytes) from device memory to a vector (synchronous
// tsMemcpy); the vector is prefilled so that a copy that did nothing shows.
std::vector<uint32_t> read_u32(const void* device, size_t n);
std::vector<uint8_t> read_bytes(const void* device, size_t n);

// Case-insensitive substring test, and a regex search (ECMAScript,
// case-insensitive).
bool contains_nocase(const std::string& text, const std::string& part);
bool matches_nocase(const std::string& text, const std::string& regex);

// 1-based line of the first line of `file` containing `marker`, 0 if none.
int find_marker_line(const std::string& file, const std::string& marker);

// Path of a kernel source (kernels/<name>) in the source tree.
std::string kernel_source(const std::string& name);

// Reads a whole file / writes one (binary).
std::vector<uint8_t> read_binary(const std::string& path);
void write_binary(const std::string& path, std::span<const uint8_t> bytes);

// File offset of the Tessera note's descriptor in a code object (the
// t1_codeobj_header), found through the ELF section headers; 0 if absent.
size_t codeobj_note_descriptor_offset(std::span<const uint8_t> file);

}  // namespace runtime_test
