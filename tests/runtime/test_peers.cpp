// SPDX-License-Identifier: Apache-2.0
// Peer access between the two emulated devices (joined by a link) and
// copies between devices.
#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> bytes(n);
  for (size_t i = 0; i < n; ++i) bytes[i] = static_cast<uint8_t>(seed ^ (i * 7 + (i >> 9)));
  return bytes;
}

}  // namespace

TEST_CASE("linked devices can access each other, a device not itself", "[peers]") {
  require_devices(2);
  int can = -1;
  TS_REQUIRE(tsDeviceCanAccessPeer(&can, 0, 1));
  CHECK(can == 1);
  TS_REQUIRE(tsDeviceCanAccessPeer(&can, 1, 0));
  CHECK(can == 1);
  TS_REQUIRE(tsDeviceCanAccessPeer(&can, 0, 0));
  CHECK(can == 0);
  CHECK(tsDeviceCanAccessPeer(&can, 0, 2) == tsErrorInvalidDevice);
  CHECK(tsDeviceCanAccessPeer(&can, -1, 0) == tsErrorInvalidDevice);
  CHECK(tsDeviceCanAccessPeer(nullptr, 0, 1) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("enabling and disabling peer access", "[peers]") {
  require_devices(2);
  TS_REQUIRE(tsDeviceEnablePeerAccess(1, 0));
  CHECK(tsDeviceEnablePeerAccess(1, 0) == tsErrorPeerAccessAlreadyEnabled);
  CHECK(tsPeekAtLastError() == tsErrorPeerAccessAlreadyEnabled);
  (void)tsGetLastError();

  // Copies work with access enabled.
  const size_t n = 50000;
  const auto source = pattern(n, 0x3C);
  DeviceBuffer on0(n);
  TS_REQUIRE(tsMemcpy(on0.get(), source.data(), n, tsMemcpyHostToDevice));
  void* on1 = nullptr;
  {
    DeviceScope one(1);
    TS_REQUIRE(tsMalloc(&on1, n));
  }
  TS_REQUIRE(tsMemcpyPeer(on1, 1, on0.get(), 0, n));
  CHECK(read_bytes(on1, n) == source);

  TS_REQUIRE(tsDeviceDisablePeerAccess(1));
  CHECK(tsDeviceDisablePeerAccess(1) == tsErrorPeerAccessNotEnabled);

  // Access is per direction: enabled from device 1 is not enabled from 0.
  {
    DeviceScope one(1);
    TS_REQUIRE(tsDeviceEnablePeerAccess(0, 0));
    TS_REQUIRE(tsDeviceDisablePeerAccess(0));
  }
  CHECK(tsDeviceDisablePeerAccess(1) == tsErrorPeerAccessNotEnabled);

  CHECK(tsDeviceEnablePeerAccess(1, 7) == tsErrorInvalidValue);
  // Itself: CUDA says tsErrorInvalidDevice; "not linked" fits as well.
  const tsError_t self = tsDeviceEnablePeerAccess(0, 0);
  CHECK((self == tsErrorInvalidDevice || self == tsErrorPeerAccessUnsupported));
  CHECK(tsDeviceEnablePeerAccess(5, 0) == tsErrorInvalidDevice);
  (void)tsGetLastError();
  TS_CHECK(tsFree(on1));
}

TEST_CASE("tsMemcpyPeer and tsMemcpyPeerAsync move data between devices", "[peers]") {
  require_devices(2);
  const size_t n = 3 * 65536 + 5;  // more than one DMA chunk, odd size
  const auto source = pattern(n, 0x5A);
  DeviceBuffer on0(n), back0(n);
  TS_REQUIRE(tsMemcpy(on0.get(), source.data(), n, tsMemcpyHostToDevice));
  TS_REQUIRE(tsMemset(back0.get(), 0, n));
  void* on1 = nullptr;
  {
    DeviceScope one(1);
    TS_REQUIRE(tsMalloc(&on1, n));
    TS_REQUIRE(tsMemset(on1, 0, n));
  }

  SECTION("synchronous, without peer access enabled") {
    TS_REQUIRE(tsMemcpyPeer(on1, 1, on0.get(), 0, n));
    TS_REQUIRE(tsMemcpyPeer(back0.get(), 0, on1, 1, n));
    CHECK(read_bytes(back0.get(), n) == source);
  }
  SECTION("asynchronous, on a stream of either device") {
    Stream stream0;
    Event copied;  // of device 0, like the stream it is recorded on
    TS_REQUIRE(tsMemcpyPeerAsync(on1, 1, on0.get(), 0, n, stream0));
    TS_REQUIRE(tsEventRecord(copied, stream0));
    {
      DeviceScope one(1);
      Stream stream1;
      TS_REQUIRE(tsStreamWaitEvent(stream1, copied, 0));
      TS_REQUIRE(tsMemcpyPeerAsync(back0.get(), 0, on1, 1, n, stream1));
      TS_REQUIRE(tsStreamSynchronize(stream1));
    }
    CHECK(read_bytes(back0.get(), n) == source);
  }
  SECTION("with peer access enabled, at unaligned offsets") {
    TS_REQUIRE(tsDeviceEnablePeerAccess(1, 0));
    Stream stream;
    TS_REQUIRE(tsMemcpyPeerAsync(static_cast<char*>(on1) + 3, 1, on0.as<char>() + 1, 0, 1000,
                                 stream));
    TS_REQUIRE(tsStreamSynchronize(stream));
    TS_REQUIRE(tsDeviceDisablePeerAccess(1));
    const auto back = read_bytes(on1, 1010);
    CHECK(std::all_of(back.begin(), back.begin() + 3, [](uint8_t v) { return v == 0; }));
    CHECK(std::equal(back.begin() + 3, back.begin() + 1003, source.begin() + 1));
    CHECK(std::all_of(back.begin() + 1003, back.end(), [](uint8_t v) { return v == 0; }));
  }
  SECTION("tsMemcpy with tsMemcpyDefault between devices") {
    TS_REQUIRE(tsMemcpy(on1, on0.get(), n, tsMemcpyDefault));
    CHECK(read_bytes(on1, n) == source);
  }
  SECTION("a device number that does not own the pointer is refused") {
    CHECK(tsMemcpyPeer(on1, 0, on0.get(), 0, n) != tsSuccess);
    CHECK(tsMemcpyPeer(on1, 1, on0.get(), 7, n) == tsErrorInvalidDevice);
    (void)tsGetLastError();
  }
  TS_CHECK(tsFree(on1));
}

TEST_CASE("tsMemcpyPeerAsync does not wait for the stream's earlier work", "[peers]") {
  require_devices(2);
  const bool enable = GENERATE(false, true);
  INFO((enable ? "with" : "without") << " peer access");
  if (enable) TS_REQUIRE(tsDeviceEnablePeerAccess(1, 0));
  const size_t n = 8192;
  DeviceBuffer on0(n);
  TS_REQUIRE(tsMemset(on0.get(), 0x6B, n));
  void* on1 = nullptr;
  {
    DeviceScope one(1);
    TS_REQUIRE(tsMalloc(&on1, n));
    TS_REQUIRE(tsMemset(on1, 0, n));
  }
  Stream stream;  // device 0, the source
  Gate gate;
  TS_REQUIRE(gate.hold(stream));
  // Should the call wait (wrongly) for the held stream, it would wait for
  // the gate: open it from another thread after a while and check that the
  // call had returned before.
  std::atomic<bool> opened{false};
  std::thread opener([&] {
    std::this_thread::sleep_for(1s);
    opened = true;
    gate.open();
  });
  const tsError_t e = tsMemcpyPeerAsync(on1, 1, on0.get(), 0, n, stream);
  const bool returned_before_opening = !opened;
  opener.join();
  CHECK(e == tsSuccess);
  CHECK(returned_before_opening);
  TS_REQUIRE(tsStreamSynchronize(stream));
  CHECK(read_bytes(on1, n) == std::vector<uint8_t>(n, 0x6B));
  if (enable) TS_CHECK(tsDeviceDisablePeerAccess(1));
  TS_CHECK(tsFree(on1));
}
