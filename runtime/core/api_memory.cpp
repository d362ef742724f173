// SPDX-License-Identifier: Apache-2.0
// Device and page-locked host memory, copies and fills.
#include <sys/mman.h>

#include <cstring>

#include "core/api_util.hpp"
#include "core/copy.hpp"

using namespace tessera::rt;

namespace {

constexpr uint64_t kPage = T1_PAGE_SIZE;

}  // namespace

extern "C" {

tsError_t tsMalloc(void** devPtr, size_t size) {
  return api_call([&] {
    require_arg(devPtr, "devPtr");
    DeviceState& d = Runtime::get().current();
    if (size == 0) {
      *devPtr = nullptr;
      return;
    }
    if (size > d.hw().info().memory_bytes)
      fail(tsErrorMemoryAllocation, "tsMalloc of " + std::to_string(size) + " bytes: the device has only " +
                                        std::to_string(d.hw().info().memory_bytes) + " bytes");
    DeviceAllocation a;
    a.size = size;
    if (!d.hw().alloc(size, T1_ACCESS_READ | T1_ACCESS_WRITE, a.alloc)) {
      if (d.hw().lost()) fail(tsErrorDeviceLost, "tsMalloc on device " + std::to_string(d.ordinal()) + ": the device was lost");
      fail(tsErrorMemoryAllocation, "out of device memory: tsMalloc of " + std::to_string(size) + " bytes on device " +
                                        std::to_string(d.ordinal()) + " with " + std::to_string(d.hw().memory_free()) +
                                        " bytes free (possibly fragmented)");
    }
    std::lock_guard lock(d.mu);
    d.allocations[a.alloc.va] = a;
    *devPtr = reinterpret_cast<void*>(a.alloc.va);
  });
}

tsError_t tsFree(void* devPtr) {
  return api_call([&] {
    if (!devPtr) return;
    Runtime& rt = Runtime::get();
    const auto va = reinterpret_cast<uint64_t>(devPtr);
    DeviceState* d = rt.owner_of(va);
    if (!d) fail(tsErrorInvalidDevicePointer, "tsFree(" + ptr_text(devPtr) + "): not a device pointer");
    {
      std::lock_guard lock(d->mu);
      if (!d->allocations.count(va))
        fail(tsErrorInvalidDevicePointer, "tsFree(" + ptr_text(devPtr) + "): not the start of a live allocation (freed twice?)");
    }
    d->drain();  // kernels and copies in flight may still use it
    std::lock_guard lock(d->mu);
    auto it = d->allocations.find(va);
    if (it == d->allocations.end())
      fail(tsErrorInvalidDevicePointer, "tsFree(" + ptr_text(devPtr) + "): freed concurrently by another thread");
    d->hw().free(it->second.alloc);
    d->allocations.erase(it);
  });
}

tsError_t tsMallocHost(void** ptr, size_t size) {
  return api_call([&] {
    require_arg(ptr, "ptr");
    Runtime& rt = Runtime::get();
    if (size == 0) {
      *ptr = nullptr;
      return;
    }
    const size_t bytes = (size + kPage - 1) & ~(kPage - 1);
    DeviceState& cur = rt.current();
    if (!cur.hw().has_host_windows()) {
      // No host windows (drm): memory of the current device, mapped into
      // the process, so its kernels and DMA reach it as CUDA's do.
      uint8_t* p = nullptr;
      try {
        p = cur.hw().alloc_host(bytes);
      } catch (const std::bad_alloc&) {
        fail(tsErrorMemoryAllocation, "tsMallocHost of " + std::to_string(size) + " bytes: out of device memory");
      }
      std::lock_guard lock(rt.host_mu);
      rt.host_allocations[reinterpret_cast<uintptr_t>(p)] = {size, bytes, &cur};
      *ptr = p;
      return;
    }
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (p == MAP_FAILED) fail(tsErrorMemoryAllocation, "tsMallocHost of " + std::to_string(size) + " bytes: out of host memory");
    int mapped = 0;
    try {
      for (; mapped < rt.device_count(); ++mapped)
        if (rt.device(mapped).hw().has_host_windows()) rt.device(mapped).hw().map_host(p, bytes);
    } catch (...) {
      for (int i = 0; i < mapped; ++i)
        if (rt.device(i).hw().has_host_windows()) rt.device(i).hw().unmap_host(p, bytes);
      munmap(p, bytes);
      fail(tsErrorMemoryAllocation, "tsMallocHost of " + std::to_string(size) + " bytes: cannot map it into the devices");
    }
    std::lock_guard lock(rt.host_mu);
    rt.host_allocations[reinterpret_cast<uintptr_t>(p)] = {size, bytes, nullptr};
    *ptr = p;
  });
}

tsError_t tsFreeHost(void* ptr) {
  return api_call([&] {
    if (!ptr) return;
    Runtime& rt = Runtime::get();
    Runtime::HostAllocation a;
    {
      std::lock_guard lock(rt.host_mu);
      auto it = rt.host_allocations.find(reinterpret_cast<uintptr_t>(ptr));
      if (it == rt.host_allocations.end())
        fail(tsErrorInvalidValue, "tsFreeHost(" + ptr_text(ptr) + "): not a pointer from tsMallocHost");
      a = it->second;
      rt.host_allocations.erase(it);
    }
    for (int i = 0; i < rt.device_count(); ++i) rt.device(i).drain();
    if (a.home) {
      a.home->hw().free_host(static_cast<uint8_t*>(ptr), a.mapped);
      return;
    }
    for (int i = 0; i < rt.device_count(); ++i)
      if (rt.device(i).hw().has_host_windows()) rt.device(i).hw().unmap_host(ptr, a.mapped);
    munmap(ptr, a.mapped);
  });
}

tsError_t tsMemGetInfo(size_t* free, size_t* total) {
  return api_call([&] {
    require_arg(free, "free");
    require_arg(total, "total");
    DeviceState& d = Runtime::get().current();
    *free = d.hw().memory_free();
    *total = d.hw().info().memory_bytes;
  });
}

tsError_t tsPointerGetAttributes(tsPointerAttributes* attr, const void* ptr) {
  return api_call([&] {
    require_arg(attr, "attributes");
    Runtime& rt = Runtime::get();
    tsPointerAttributes a{};
    a.device = -1;
    const auto va = reinterpret_cast<uint64_t>(ptr);
    uintptr_t base;
    size_t size;
    // Page-locked memory first: without host windows it lies in a
    // device's address range.
    if (rt.find_host(ptr, base, size)) {
      a.type = tsMemoryTypeHost;
      a.devicePointer = reinterpret_cast<void*>(base);
      a.size = size;
    } else if (DeviceState* d = rt.owner_of(va)) {
      std::lock_guard lock(d->mu);
      const auto r = d->find_range(va);
      if (!r) fail(tsErrorInvalidDevicePointer, ptr_text(ptr) + " is not in a live device allocation");
      a.type = tsMemoryTypeDevice;
      a.device = d->ordinal();
      a.devicePointer = reinterpret_cast<void*>(r->base);
      a.size = r->size;
    }
    *attr = a;
  });
}

// ---- copies -----------------------------------------------------------------

#define TS_COPY_ENTRY(name, null_pt, async)                                                       \
  tsError_t name(void* dst, const void* src, size_t count, tsMemcpyKind kind, tsStream_t stream) { \
    return api_call([&] { memcpy_on_stream(dst, src, count, kind, resolve_stream(stream, null_pt), async); }); \
  }

TS_COPY_ENTRY(tsMemcpyAsync, false, true)
TS_COPY_ENTRY(tsMemcpyAsync_ptsz, true, true)
#undef TS_COPY_ENTRY

tsError_t tsMemcpy(void* dst, const void* src, size_t count, tsMemcpyKind kind) {
  return api_call([&] { memcpy_on_stream(dst, src, count, kind, resolve_stream(nullptr, false), false); });
}
tsError_t tsMemcpy_ptds(void* dst, const void* src, size_t count, tsMemcpyKind kind) {
  return api_call([&] { memcpy_on_stream(dst, src, count, kind, resolve_stream(nullptr, true), false); });
}

tsError_t tsMemset(void* devPtr, int value, size_t count) {
  return api_call([&] { memset_on_stream(devPtr, value, count, resolve_stream(nullptr, false), false); });
}
tsError_t tsMemset_ptds(void* devPtr, int value, size_t count) {
  return api_call([&] { memset_on_stream(devPtr, value, count, resolve_stream(nullptr, true), false); });
}
tsError_t tsMemsetAsync(void* devPtr, int value, size_t count, tsStream_t stream) {
  return api_call([&] { memset_on_stream(devPtr, value, count, resolve_stream(stream, false), true); });
}
tsError_t tsMemsetAsync_ptsz(void* devPtr, int value, size_t count, tsStream_t stream) {
  return api_call([&] { memset_on_stream(devPtr, value, count, resolve_stream(stream, true), true); });
}

tsError_t tsMemcpyPeer(void* dst, int dstDevice, const void* src, int srcDevice, size_t count) {
  return api_call([&] { memcpy_peer(dst, dstDevice, src, srcDevice, count, resolve_stream(nullptr, false), false); });
}
tsError_t tsMemcpyPeer_ptds(void* dst, int dstDevice, const void* src, int srcDevice, size_t count) {
  return api_call([&] { memcpy_peer(dst, dstDevice, src, srcDevice, count, resolve_stream(nullptr, true), false); });
}
tsError_t tsMemcpyPeerAsync(void* dst, int dstDevice, const void* src, int srcDevice, size_t count,
                            tsStream_t stream) {
  return api_call([&] { memcpy_peer(dst, dstDevice, src, srcDevice, count, resolve_stream(stream, false), true); });
}
tsError_t tsMemcpyPeerAsync_ptsz(void* dst, int dstDevice, const void* src, int srcDevice, size_t count,
                                 tsStream_t stream) {
  return api_call([&] { memcpy_peer(dst, dstDevice, src, srcDevice, count, resolve_stream(stream, true), true); });
}

}  // extern "C"
