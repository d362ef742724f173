// SPDX-License-Identifier: Apache-2.0
// Argument checking shared by the API files: handles, streams, pointers.
#pragma once

#include <string>

#include "core/runtime.hpp"

namespace tessera::rt {

// Largest grid, as CUDA's (tsDeviceProp::maxGridSize).
inline constexpr unsigned kMaxGrid[3] = {0x7FFFFFFFu, 65535u, 65535u};

std::string ptr_text(const void* p);

// A stream argument: NULL means the legacy default stream (or this thread's
// default stream when `null_is_per_thread`), of the current device.
tsStream* resolve_stream(tsStream_t s, bool null_is_per_thread);

template <class T>
T* resolve_handle(T* h, const char* kind) {
  if (!h || !Runtime::get().valid_handle(h))
    fail(tsErrorInvalidResourceHandle, std::string(kind) + " handle " + ptr_text(h) + " is not valid (never created, destroyed, or lost in a device reset)");
  return h;
}

template <class T>
void require_arg(T* p, const char* name) {
  if (!p) fail(tsErrorInvalidValue, std::string(name) + " is NULL");
}

// What a pointer refers to, with its range checked.
struct PtrInfo {
  enum Kind { kPageable, kPinned, kDevice } kind = kPageable;
  DeviceState* dev = nullptr;  // kDevice
  DeviceState* home = nullptr; // kPinned in a device's memory (no host windows)
  uint8_t* host = nullptr;     // CPU view of the first byte
  uint64_t va = 0;             // device VA (kDevice, kPinned)
};
// Throws tsErrorInvalidDevicePointer for a pointer inside a device's range
// but in no live allocation, tsErrorInvalidValue when [p, p+count) leaves
// its allocation.
PtrInfo classify(const void* p, size_t count, const char* name);
// True when a packet on `d` can reach the memory.
inline bool reachable(const PtrInfo& i, const DeviceState& d) {
  if (i.kind == PtrInfo::kPinned) return i.home ? i.home == &d : d.hw().has_host_windows();
  return i.kind == PtrInfo::kDevice && i.dev == &d;
}

// Throws the command's error if it failed.
void throw_if_failed(const Command& c);
// Waits for a command and throws its error if it failed.
void wait_ok(DeviceState& d, const CommandPtr& c);

}  // namespace tessera::rt
