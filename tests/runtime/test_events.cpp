// SPDX-License-Identifier: Apache-2.0
// Events: record, query, synchronize, elapsed time, flags and handles.
//
// Where the header leaves an error code open, the tests expect CUDA's:
// tsEventElapsedTime on an event that was never recorded or was created
// with tsEventDisableTiming gives tsErrorInvalidResourceHandle, and on a
// record that has not completed tsErrorNotReady.
#include <cmath>
#include <thread>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

// Enqueues busy_work on `stream` long enough to measure (a few ms).
void enqueue_busy_work(tsFunction_t busy, uint32_t* out, tsStream_t stream) {
  uint32_t iterations = 20000;
  void* args[] = {&out, &iterations};
  TS_REQUIRE(tsLaunchKernel(busy, TS_DIM3(4, 1, 1), TS_DIM3(64, 1, 1), args, 0, stream));
}

}  // namespace

TEST_CASE("an event completes when the work before its record has", "[events]") {
  Stream stream;
  Event event;
  Gate gate;
  TS_REQUIRE(gate.hold(stream));
  TS_REQUIRE(tsEventRecord(event, stream));
  std::this_thread::sleep_for(100ms);
  CHECK(tsEventQuery(event) == tsErrorNotReady);
  CHECK(tsPeekAtLastError() == tsSuccess);  // NotReady is not a failure
  gate.open();
  TS_CHECK(tsEventSynchronize(event));
  TS_CHECK(tsEventQuery(event));
}

TEST_CASE("an event that was never recorded counts as complete", "[events]") {
  Event event;
  TS_CHECK(tsEventQuery(event));
  TS_CHECK(tsEventSynchronize(event));
}

TEST_CASE("re-recording an event moves it to the new point", "[events]") {
  Stream stream;
  Event event;
  TS_REQUIRE(tsEventRecord(event, stream));
  TS_REQUIRE(tsEventSynchronize(event));
  Gate gate;
  TS_REQUIRE(gate.hold(stream));
  TS_REQUIRE(tsEventRecord(event, stream));
  std::this_thread::sleep_for(100ms);
  CHECK(tsEventQuery(event) == tsErrorNotReady);
  gate.open();
  TS_CHECK(tsEventSynchronize(event));
}

TEST_CASE("events record on the legacy and per-thread streams", "[events]") {
  Event legacy, per_thread;
  TS_CHECK(tsEventRecord(legacy, nullptr));
  TS_CHECK(tsEventRecord(per_thread, tsStreamPerThread));
  TS_CHECK(tsEventSynchronize(legacy));
  TS_CHECK(tsEventSynchronize(per_thread));
}

TEST_CASE("elapsed times are non-negative and add up", "[events]") {
  Module module(basic_code());
  const tsFunction_t busy = module.function("busy_work");
  DeviceBuffer out(4 * 64 * sizeof(uint32_t));
  Stream stream;
  Event a, b, c;
  TS_REQUIRE(tsEventRecord(a, stream));
  enqueue_busy_work(busy, out.as<uint32_t>(), stream);
  TS_REQUIRE(tsEventRecord(b, stream));
  enqueue_busy_work(busy, out.as<uint32_t>(), stream);
  enqueue_busy_work(busy, out.as<uint32_t>(), stream);
  TS_REQUIRE(tsEventRecord(c, stream));
  TS_REQUIRE(tsEventSynchronize(c));

  float ab = -1, bc = -1, ac = -1, ba = 0;
  TS_REQUIRE(tsEventElapsedTime(&ab, a, b));
  TS_REQUIRE(tsEventElapsedTime(&bc, b, c));
  TS_REQUIRE(tsEventElapsedTime(&ac, a, c));
  TS_REQUIRE(tsEventElapsedTime(&ba, b, a));
  INFO("a->b " << ab << " ms, b->c " << bc << " ms, a->c " << ac << " ms");
  CHECK(ab > 0);  // a kernel ran in between
  CHECK(bc > 0);
  CHECK(ac >= ab);
  CHECK(ac >= bc);
  CHECK(ac == Approx(ab + bc).margin(0.001).epsilon(1e-4));
  CHECK(ba == Approx(-ab).margin(0.001));  // reversed order: negative, as in CUDA
  float same = -1;
  TS_REQUIRE(tsEventElapsedTime(&same, a, a));
  CHECK(same == 0.0f);

  // Device timestamps are not host time, but cannot exceed it by much.
  CHECK(ac < 60000.0f);
}

TEST_CASE("tsEventElapsedTime refuses what it cannot measure", "[events]") {
  Stream stream;
  Event timed;
  TS_REQUIRE(tsEventRecord(timed, stream));
  TS_REQUIRE(tsEventSynchronize(timed));
  float ms = 123.0f;

  SECTION("an event created with tsEventDisableTiming") {
    Event untimed(tsEventDisableTiming);
    TS_REQUIRE(tsEventRecord(untimed, stream));
    TS_REQUIRE(tsEventSynchronize(untimed));
    CHECK(tsEventElapsedTime(&ms, timed, untimed) == tsErrorInvalidResourceHandle);
    CHECK(tsEventElapsedTime(&ms, untimed, timed) == tsErrorInvalidResourceHandle);
  }
  SECTION("an event never recorded") {
    Event never;
    CHECK(tsEventElapsedTime(&ms, timed, never) == tsErrorInvalidResourceHandle);
    CHECK(tsEventElapsedTime(&ms, never, timed) == tsErrorInvalidResourceHandle);
  }
  SECTION("a record that has not completed") {
    Event pending;
    Gate gate;
    TS_REQUIRE(gate.hold(stream));
    TS_REQUIRE(tsEventRecord(pending, stream));
    CHECK(tsEventElapsedTime(&ms, timed, pending) == tsErrorNotReady);
    gate.open();
    TS_REQUIRE(tsEventSynchronize(pending));
    TS_CHECK(tsEventElapsedTime(&ms, timed, pending));
    CHECK(ms >= 0.0f);
    ms = 123.0f;
  }
  SECTION("a null result pointer") {
    CHECK(tsEventElapsedTime(nullptr, timed, timed) == tsErrorInvalidValue);
  }
  CHECK(ms == 123.0f);  // left alone by the failures
  (void)tsGetLastError();
}

TEST_CASE("event flags and destroyed handles", "[events]") {
  tsEvent_t e = nullptr;
  CHECK(tsEventCreateWithFlags(&e, 0x100) == tsErrorInvalidValue);
  CHECK(e == nullptr);
  CHECK(tsEventCreate(nullptr) == tsErrorInvalidValue);

  TS_REQUIRE(tsEventCreateWithFlags(&e, tsEventBlockingSync | tsEventDisableTiming));
  Stream stream;
  TS_CHECK(tsEventRecord(e, stream));
  TS_CHECK(tsEventSynchronize(e));  // blocking sync works like the default
  TS_REQUIRE(tsEventDestroy(e));
  CHECK(tsEventQuery(e) == tsErrorInvalidResourceHandle);
  CHECK(tsEventSynchronize(e) == tsErrorInvalidResourceHandle);
  CHECK(tsEventRecord(e, stream) == tsErrorInvalidResourceHandle);
  CHECK(tsStreamWaitEvent(stream, e, 0) == tsErrorInvalidResourceHandle);
  CHECK(tsEventDestroy(e) == tsErrorInvalidResourceHandle);
  (void)tsGetLastError();
}

TEST_CASE("destroying an event with a pending record is allowed", "[events]") {
  Stream stream;
  tsEvent_t e = nullptr;
  TS_REQUIRE(tsEventCreate(&e));
  Gate gate;
  TS_REQUIRE(gate.hold(stream));
  TS_REQUIRE(tsEventRecord(e, stream));
  TS_CHECK(tsEventDestroy(e));  // as in CUDA: resources go once the record completes
  gate.open();
  TS_CHECK(tsStreamSynchronize(stream));
}
