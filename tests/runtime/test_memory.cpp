// SPDX-License-Identifier: Apache-2.0
// Device and page-locked host memory: allocation, copies of every kind,
// memset, memory info, exhaustion and pointer attributes.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <vector>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(seed + i * 13 + (i >> 8));
  return bytes;
}

}  // namespace

TEST_CASE("tsMalloc returns aligned, distinct device memory", "[memory]") {
  std::vector<void*> pointers;
  for (size_t size : {size_t{1}, size_t{100}, size_t{256}, size_t{4097}, size_t{1} << 20}) {
    void* p = nullptr;
    TS_REQUIRE(tsMalloc(&p, size));
    REQUIRE(p != nullptr);
    CHECK(reinterpret_cast<uintptr_t>(p) % 256 == 0);
    pointers.push_back(p);
  }
  std::vector<void*> sorted = pointers;
  std::sort(sorted.begin(), sorted.end());
  CHECK(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
  for (void* p : pointers) TS_CHECK(tsFree(p));
}

TEST_CASE("tsMalloc of 0 bytes gives NULL and tsFree(NULL) is a no-op", "[memory]") {
  void* p = reinterpret_cast<void*>(0x1);
  TS_REQUIRE(tsMalloc(&p, 0));
  CHECK(p == nullptr);
  TS_CHECK(tsFree(nullptr));
  TS_CHECK(tsFreeHost(nullptr));
  CHECK(tsMalloc(nullptr, 16) == tsErrorInvalidValue);
  CHECK(tsMallocHost(nullptr, 16) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("tsFree refuses pointers it did not hand out", "[memory]") {
  SECTION("double free") {
    void* p = nullptr;
    TS_REQUIRE(tsMalloc(&p, 1024));
    TS_REQUIRE(tsFree(p));
    CHECK(tsFree(p) == tsErrorInvalidDevicePointer);
  }
  SECTION("a host stack address") {
    int local = 0;
    CHECK(tsFree(&local) == tsErrorInvalidDevicePointer);
  }
  SECTION("a pointer inside an allocation") {
    DeviceBuffer buffer(4096);
    CHECK(tsFree(buffer.as<char>() + 256) == tsErrorInvalidDevicePointer);
    // The allocation is still intact and usable.
    TS_CHECK(tsMemset(buffer.get(), 1, buffer.size()));
  }
  SECTION("page-locked host memory") {
    HostBuffer host(4096);
    CHECK(tsFree(host.get()) == tsErrorInvalidDevicePointer);
  }
  SECTION("tsFreeHost of device memory") {
    DeviceBuffer buffer(4096);
    CHECK(tsFreeHost(buffer.get()) != tsSuccess);
    TS_CHECK(tsMemset(buffer.get(), 1, buffer.size()));
  }
  CHECK_FALSE(std::string(tsGetLastErrorMessage()).empty());
  (void)tsGetLastError();
}

TEST_CASE("tsMemcpy copies in every direction", "[memory]") {
  const size_t n = 10000;  // not a multiple of any DMA granule
  const auto source = pattern(n, 7);
  DeviceBuffer a(n), b(n);
  HostBuffer pinned(n);

  SECTION("explicit kinds") {
    TS_REQUIRE(tsMemcpy(a.get(), source.data(), n, tsMemcpyHostToDevice));
    TS_REQUIRE(tsMemcpy(b.get(), a.get(), n, tsMemcpyDeviceToDevice));
    TS_REQUIRE(tsMemcpy(pinned.get(), b.get(), n, tsMemcpyDeviceToHost));
    CHECK(std::memcmp(pinned.get(), source.data(), n) == 0);
    std::vector<uint8_t> host(n, 0);
    TS_REQUIRE(tsMemcpy(host.data(), pinned.get(), n, tsMemcpyHostToHost));
    CHECK(host == source);
  }
  SECTION("tsMemcpyDefault infers the direction from the pointers") {
    std::vector<uint8_t> host(n, 0);
    TS_REQUIRE(tsMemcpy(a.get(), source.data(), n, tsMemcpyDefault));  // pageable -> device
    TS_REQUIRE(tsMemcpy(b.get(), a.get(), n, tsMemcpyDefault));        // device -> device
    TS_REQUIRE(tsMemcpy(pinned.get(), b.get(), n, tsMemcpyDefault));   // device -> pinned
    TS_REQUIRE(tsMemcpy(host.data(), pinned.get(), n, tsMemcpyDefault));  // pinned -> pageable
    CHECK(host == source);
    std::vector<uint8_t> copy(n, 0);
    TS_REQUIRE(tsMemcpy(copy.data(), host.data(), n, tsMemcpyDefault));  // pageable -> pageable
    CHECK(copy == source);
  }
  SECTION("page-locked memory is host memory for the explicit kinds") {
    std::memcpy(pinned.get(), source.data(), n);
    TS_REQUIRE(tsMemcpy(a.get(), pinned.get(), n, tsMemcpyHostToDevice));
    CHECK(read_bytes(a.get(), n) == source);
  }
  SECTION("offsets into allocations and odd sizes") {
    TS_REQUIRE(tsMemset(a.get(), 0, n));
    TS_REQUIRE(tsMemcpy(a.as<uint8_t>() + 3, source.data() + 5, 1001, tsMemcpyHostToDevice));
    const auto back = read_bytes(a.get(), n);
    CHECK(std::all_of(back.begin(), back.begin() + 3, [](uint8_t v) { return v == 0; }));
    CHECK(std::equal(back.begin() + 3, back.begin() + 1004, source.begin() + 5));
    CHECK(std::all_of(back.begin() + 1004, back.end(), [](uint8_t v) { return v == 0; }));
  }
  SECTION("zero bytes") {
    TS_CHECK(tsMemcpy(a.get(), source.data(), 0, tsMemcpyHostToDevice));
  }
}

TEST_CASE("a tsMemcpy kind that contradicts the pointers is refused", "[memory]") {
  const size_t n = 512;
  DeviceBuffer device(n);
  TS_REQUIRE(tsMemset(device.get(), 0x11, n));
  std::vector<uint8_t> host(n, 0x22);

  CHECK(tsMemcpy(device.get(), host.data(), n, tsMemcpyDeviceToHost) == tsErrorInvalidMemcpyDirection);
  CHECK(tsMemcpy(host.data(), device.get(), n, tsMemcpyHostToDevice) == tsErrorInvalidMemcpyDirection);
  CHECK(tsMemcpy(host.data(), host.data() + 1, 8, tsMemcpyDeviceToDevice) == tsErrorInvalidMemcpyDirection);
  CHECK(tsMemcpy(device.get(), host.data(), n, tsMemcpyHostToHost) == tsErrorInvalidMemcpyDirection);
  CHECK(tsMemcpy(device.get(), host.data(), n, static_cast<tsMemcpyKind>(9)) == tsErrorInvalidMemcpyDirection);
  {
    Stream stream;
    CHECK(tsMemcpyAsync(device.get(), host.data(), n, tsMemcpyDeviceToHost, stream) ==
          tsErrorInvalidMemcpyDirection);
    TS_CHECK(tsStreamSynchronize(stream));  // the stream is not in error
  }
  (void)tsGetLastError();
  // Nothing was copied either way.
  const auto back = read_bytes(device.get(), n);
  CHECK(std::count(back.begin(), back.end(), 0x11) == static_cast<long>(n));
  CHECK(std::count(host.begin(), host.end(), 0x22) == static_cast<long>(n));
}

TEST_CASE("tsMemset and tsMemsetAsync set exactly the bytes asked for", "[memory]") {
  const size_t n = 8192;
  DeviceBuffer buffer(n);
  TS_REQUIRE(tsMemset(buffer.get(), 0x11, n));

  SECTION("synchronous, unaligned start and size") {
    TS_REQUIRE(tsMemset(buffer.as<uint8_t>() + 3, 0xAB, 1001));
    const auto back = read_bytes(buffer.get(), n);
    for (size_t i = 0; i < n; ++i) {
      const uint8_t expected = (i >= 3 && i < 1004) ? 0xAB : 0x11;
      if (back[i] != expected) FAIL_CHECK("byte " << i << " is " << int(back[i]));
    }
  }
  SECTION("asynchronous, several pieces on one stream") {
    Stream stream;
    TS_REQUIRE(tsMemsetAsync(buffer.as<uint8_t>() + 1, 0x01, 7, stream));
    TS_REQUIRE(tsMemsetAsync(buffer.as<uint8_t>() + 4095, 0x02, 3, stream));
    TS_REQUIRE(tsMemsetAsync(buffer.as<uint8_t>() + 5000, 0x03, 3000, stream));
    TS_REQUIRE(tsMemsetAsync(buffer.as<uint8_t>() + 5001, 0x04, 1, stream));  // after 0x03
    TS_REQUIRE(tsStreamSynchronize(stream));
    const auto back = read_bytes(buffer.get(), n);
    std::vector<uint8_t> expected(n, 0x11);
    std::fill_n(expected.begin() + 1, 7, 0x01);
    std::fill_n(expected.begin() + 4095, 3, 0x02);
    std::fill_n(expected.begin() + 5000, 3000, 0x03);
    expected[5001] = 0x04;
    CHECK(back == expected);
  }
  SECTION("only the low byte of the value is used") {
    TS_REQUIRE(tsMemset(buffer.get(), 0x1234, 16));
    const auto back = read_bytes(buffer.get(), 16);
    CHECK(std::count(back.begin(), back.end(), 0x34) == 16);
  }
  SECTION("zero bytes") {
    TS_CHECK(tsMemset(buffer.get(), 0x55, 0));
    const auto back = read_bytes(buffer.get(), 1);
    CHECK(back[0] == 0x11);
  }
}

TEST_CASE("tsMemGetInfo follows allocations", "[memory]") {
  size_t free_before = 0, total = 0;
  TS_REQUIRE(tsMemGetInfo(&free_before, &total));
  CHECK(total == properties(0).totalGlobalMem);
  CHECK(free_before <= total);

  const size_t size = size_t{64} << 20;
  void* p = nullptr;
  TS_REQUIRE(tsMalloc(&p, size));
  size_t free_during = 0, total_during = 0;
  TS_REQUIRE(tsMemGetInfo(&free_during, &total_during));
  CHECK(total_during == total);
  CHECK(free_during <= free_before - size);
  CHECK(free_during >= free_before - size - (size_t{4} << 20));  // little bookkeeping on top
  TS_REQUIRE(tsFree(p));
  size_t free_after = 0;
  TS_REQUIRE(tsMemGetInfo(&free_after, &total));
  CHECK(free_after == free_before);
  CHECK(tsMemGetInfo(nullptr, &total) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("running out of device memory fails cleanly and keeps earlier allocations", "[memory]") {
  void* p = reinterpret_cast<void*>(0x77);
  CHECK(tsMalloc(&p, size_t{1} << 40) == tsErrorMemoryAllocation);
  CHECK(p == reinterpret_cast<void*>(0x77));

  // Fill the device in 48 MiB pieces, each marked at both ends.
  const size_t piece = size_t{48} << 20;
  std::vector<void*> pieces;
  tsError_t e = tsSuccess;
  for (int i = 0; i < 64; ++i) {  // 512 MiB device: fails long before
    void* q = nullptr;
    e = tsMalloc(&q, piece);
    if (e != tsSuccess) break;
    const int mark = 0x40 + i;
    TS_REQUIRE(tsMemset(q, mark, 4096));
    TS_REQUIRE(tsMemset(static_cast<char*>(q) + piece - 4096, mark, 4096));
    pieces.push_back(q);
  }
  CHECK(e == tsErrorMemoryAllocation);
  CHECK(tsGetLastError() == tsErrorMemoryAllocation);
  CHECK(pieces.size() >= 8);  // 8 x 48 MiB fit in 512 MiB with room to spare

  for (size_t i = 0; i < pieces.size(); ++i) {
    INFO("piece " << i);
    const uint8_t mark = static_cast<uint8_t>(0x40 + i);
    const auto head = read_bytes(pieces[i], 4096);
    const auto tail = read_bytes(static_cast<char*>(pieces[i]) + piece - 4096, 4096);
    CHECK(std::count(head.begin(), head.end(), mark) == 4096);
    CHECK(std::count(tail.begin(), tail.end(), mark) == 4096);
  }
  for (void* q : pieces) TS_CHECK(tsFree(q));

  // And the memory is available again.
  void* again = nullptr;
  TS_CHECK(tsMalloc(&again, piece));
  TS_CHECK(tsFree(again));
}

TEST_CASE("page-locked host memory is usable by the host and by kernels of every device",
          "[memory]") {
  const int count = device_count();
  const uint32_t n = 1000;
  HostBuffer host(n * sizeof(uint32_t));
  auto* values = host.as<uint32_t>();
  for (int device = 0; device < count; ++device) {
    INFO("device " << device);
    // Without host windows (the drm backend), page-locked memory is memory
    // of the device current at tsMallocHost (0), which only it reaches.
    if (device != 0 && !properties(device).canMapHostMemory) continue;
    DeviceScope scope(device);
    Module module(basic_code());
    std::fill_n(values, n, 0u);
    // The kernel writes straight into host memory.
    TS_REQUIRE(launch_fill(module.function("fill_u32"), values, 0xA0 + device, n, nullptr));
    TS_REQUIRE(tsDeviceSynchronize());
    CHECK(std::count(values, values + n, 0xA0u + device) == n);
    // And reads from it.
    for (uint32_t i = 0; i < n; ++i) values[i] = i * 3;
    DeviceBuffer copy(n * sizeof(uint32_t));
    uint32_t* dst = copy.as<uint32_t>();
    uint32_t* src = values;
    uint32_t count_arg = n;
    void* args[] = {&dst, &src, &count_arg};
    TS_REQUIRE(tsLaunchKernel(module.function("copy_u32"), TS_DIM3((n + 63) / 64, 1, 1),
                              TS_DIM3(64, 1, 1), args, 0, nullptr));
    TS_REQUIRE(tsDeviceSynchronize());
    const auto back = read_u32(copy.get(), n);
    for (uint32_t i = 0; i < n; ++i)
      if (back[i] != i * 3) FAIL_CHECK("element " << i << " is " << back[i]);
  }
}

TEST_CASE("tsMemcpyAsync with pageable host memory has completed when it returns", "[memory]") {
  const uint32_t n = 4096;
  Module module(basic_code());
  DeviceBuffer buffer(n * sizeof(uint32_t));
  Stream stream;
  TS_REQUIRE(launch_fill(module.function("fill_u32"), buffer.as<uint32_t>(), 0x600D, n, stream));
  std::vector<uint32_t> host(n, 0);
  TS_REQUIRE(tsMemcpyAsync(host.data(), buffer.get(), n * sizeof(uint32_t), tsMemcpyDeviceToHost,
                           stream));
  // No synchronization: the copy waited for the kernel and is done.
  CHECK(std::count(host.begin(), host.end(), 0x600Du) == n);

  // The same the other way: the source may be overwritten at once.
  std::vector<uint32_t> source(n, 0x1111);
  TS_REQUIRE(tsMemcpyAsync(buffer.get(), source.data(), n * sizeof(uint32_t), tsMemcpyHostToDevice,
                           stream));
  std::fill(source.begin(), source.end(), 0x2222u);
  TS_REQUIRE(tsStreamSynchronize(stream));
  const auto back = read_u32(buffer.get(), n);
  CHECK(std::count(back.begin(), back.end(), 0x1111u) == n);
}

TEST_CASE("tsPointerGetAttributes tells where a pointer lives", "[memory]") {
  const int count = device_count();
  tsPointerAttributes attributes;

  SECTION("device memory of each device, at its start and inside") {
    for (int device = 0; device < count; ++device) {
      INFO("device " << device);
      DeviceScope scope(device);
      DeviceBuffer buffer(10000);
      std::memset(&attributes, 0xCC, sizeof attributes);
      TS_REQUIRE(tsPointerGetAttributes(&attributes, buffer.as<char>() + 1234));
      CHECK(attributes.type == tsMemoryTypeDevice);
      CHECK(attributes.device == device);
      CHECK(attributes.devicePointer == buffer.get());
      CHECK(attributes.size == 10000);
    }
  }
  SECTION("page-locked host memory") {
    HostBuffer host(5000);
    std::memset(&attributes, 0xCC, sizeof attributes);
    TS_REQUIRE(tsPointerGetAttributes(&attributes, host.as<char>() + 10));
    CHECK(attributes.type == tsMemoryTypeHost);
    CHECK(attributes.device == -1);
    CHECK(attributes.devicePointer == host.get());
    CHECK(attributes.size == 5000);
  }
  SECTION("ordinary host memory") {
    std::vector<int> host(16);
    std::memset(&attributes, 0xCC, sizeof attributes);
    TS_REQUIRE(tsPointerGetAttributes(&attributes, host.data()));
    CHECK(attributes.type == tsMemoryTypeUnregistered);
    CHECK(attributes.device == -1);
    CHECK(attributes.devicePointer == nullptr);
    CHECK(attributes.size == 0);
  }
  SECTION("freed device memory is no longer device memory") {
    void* p = nullptr;
    TS_REQUIRE(tsMalloc(&p, 4096));
    TS_REQUIRE(tsFree(p));
    std::memset(&attributes, 0xCC, sizeof attributes);
    // The header leaves open whether this is an error (the address is in a
    // device's range but not allocated) or ordinary memory; either way it
    // must not be reported as a live allocation.
    const tsError_t e = tsPointerGetAttributes(&attributes, p);
    if (e == tsSuccess) {
      CHECK(attributes.type == tsMemoryTypeUnregistered);
      CHECK(attributes.devicePointer == nullptr);
    } else {
      CHECK(e == tsErrorInvalidDevicePointer);
    }
    (void)tsGetLastError();
  }
  SECTION("a null attributes pointer") {
    int local = 0;
    CHECK(tsPointerGetAttributes(nullptr, &local) == tsErrorInvalidValue);
    (void)tsGetLastError();
  }
}
