// SPDX-License-Identifier: Apache-2.0
// TESSERA_API_PER_THREAD_DEFAULT_STREAM: in this translation unit a NULL
// stream, and the implicit stream of tsMemcpy/tsMemset, mean the calling
// thread's per-thread stream. (The helpers in runtime_test.cpp are compiled
// without the macro, so streams are passed to them explicitly here.)
#define TESSERA_API_PER_THREAD_DEFAULT_STREAM 1

#include <algorithm>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "runtime_test.hpp"

using namespace runtime_test;

TEST_CASE("with per-thread default streams, NULL is not the legacy stream", "[streams][ptds]") {
  Gate gate;
  TS_REQUIRE(gate.hold(tsStreamLegacy));
  std::this_thread::sleep_for(100ms);
  REQUIRE(gate.reached());
  CHECK(tsStreamQuery(tsStreamLegacy) == tsErrorNotReady);
  CHECK(tsStreamQuery(nullptr) == tsSuccess);  // this thread's stream is idle
  gate.open();
  TS_CHECK(tsStreamSynchronize(tsStreamLegacy));
}

TEST_CASE("with per-thread default streams, tsMemset does not wait for other threads' work",
          "[streams][ptds]") {
  DeviceBuffer buffer(4096);
  // Another thread holds its own default stream for the whole test.
  Gate gate;
  std::promise<tsError_t> held;
  std::promise<void> may_exit;
  std::thread other([&] {
    // Gate::hold is compiled without the macro: name the stream explicitly.
    held.set_value(gate.hold(tsStreamPerThread));
    may_exit.get_future().wait();
    tsStreamSynchronize(nullptr);
  });
  GateRelease finish{gate, may_exit, other};
  REQUIRE(held.get_future().get() == tsSuccess);

  // With the legacy stream this would wait for the held stream (a blocking
  // stream): run it on the side and give up after a while.
  auto memset_done = std::async(std::launch::async, [&] {
    return tsMemset(buffer.get(), 0x71, buffer.size());
  });
  const bool finished = memset_done.wait_for(10s) == std::future_status::ready;
  if (!finished) gate.open();  // let it finish so the test can end
  CHECK(finished);
  CHECK(memset_done.get() == tsSuccess);
  std::vector<uint8_t> back(buffer.size());
  TS_REQUIRE(tsMemcpy(back.data(), buffer.get(), back.size(), tsMemcpyDeviceToHost));
  CHECK(std::count(back.begin(), back.end(), 0x71) == static_cast<long>(back.size()));

  // Async calls with a NULL stream use this thread's stream too.
  TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x72, 16, nullptr));
  TS_CHECK(tsStreamSynchronize(nullptr));
  TS_REQUIRE(tsMemcpy(back.data(), buffer.get(), 16, tsMemcpyDeviceToHost));
  CHECK(back[0] == 0x72);
}
