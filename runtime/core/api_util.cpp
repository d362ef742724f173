// SPDX-License-Identifier: Apache-2.0
#include "core/api_util.hpp"

#include <cinttypes>
#include <cstdio>

namespace tessera::rt {

std::string ptr_text(const void* p) {
  char b[32];
  std::snprintf(b, sizeof b, "%p", p);
  return b;
}

tsStream* resolve_stream(tsStream_t s, bool null_is_per_thread) {
  Runtime& rt = Runtime::get();
  if (!s) s = null_is_per_thread ? tsStreamPerThread : tsStreamLegacy;
  if (s == tsStreamLegacy) return rt.current().legacy_stream();
  if (s == tsStreamPerThread) return rt.current().per_thread_stream();
  return resolve_handle(s, "stream");
}

PtrInfo classify(const void* p, size_t count, const char* name) {
  Runtime& rt = Runtime::get();
  PtrInfo info;
  const auto a = reinterpret_cast<uint64_t>(p);
  uintptr_t base;
  size_t size;
  // Page-locked memory first: without host windows it lies in a device's
  // address range.
  if (rt.find_host(p, base, size, &info.home)) {
    if (count > base + size - a)
      fail(tsErrorInvalidValue, std::string(name) + " " + ptr_text(p) + ": " + std::to_string(count) +
                                    " bytes run past the end of its page-locked allocation");
    info.kind = PtrInfo::kPinned;
    info.host = const_cast<uint8_t*>(static_cast<const uint8_t*>(p));
    info.va = a;
    return info;
  }
  if (DeviceState* d = rt.owner_of(a)) {
    std::lock_guard lock(d->mu);
    const auto r = d->find_range(a);
    if (!r)
      fail(tsErrorInvalidDevicePointer, std::string(name) + " " + ptr_text(p) + " is in device " +
                                            std::to_string(d->ordinal()) + "'s address range but not in a live allocation (freed?)");
    const uint64_t off = a - r->base;
    if (count > r->size - off)
      fail(tsErrorInvalidValue, std::string(name) + " " + ptr_text(p) + ": " + std::to_string(count) +
                                    " bytes run past the end of its " + (r->module ? "module" : "allocation") + " of " +
                                    std::to_string(r->size) + " bytes");
    info.kind = PtrInfo::kDevice;
    info.dev = d;
    info.host = r->host + off;
    info.va = a;
    return info;
  }
  info.host = const_cast<uint8_t*>(static_cast<const uint8_t*>(p));
  info.va = a;
  return info;
}

void throw_if_failed(const Command& c) {
  if (c.state.load(std::memory_order_acquire) == Command::kFailed) fail(c.error, c.message);
}

void wait_ok(DeviceState& d, const CommandPtr& c) {
  d.wait(c);
  throw_if_failed(*c);
}

}  // namespace tessera::rt
