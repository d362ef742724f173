// SPDX-License-Identifier: Apache-2.0
// Stream ordering, the legacy default stream's implicit synchronization,
// non-blocking and per-thread streams, queries, cross-stream and
// cross-device waits, host functions, priorities and handle validation.
//
// Streams are held with a Gate (a host function blocking on a promise); a
// test then checks that work behind it, or behind an implicit dependency on
// it, has not run, and that independent work has.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

// How long held-back work is given to (wrongly) run before we look.
constexpr auto kSettle = 150ms;

}  // namespace

TEST_CASE("work on one stream runs in the order it was enqueued", "[streams]") {
  const uint32_t n = 300;
  const int rounds = 40;
  Module module(basic_code());
  const tsFunction_t fill = module.function("fill_u32");
  const tsFunction_t increment = module.function("increment_u32");
  const tsFunction_t add = module.function("add_u32");
  DeviceBuffer a(n * sizeof(uint32_t)), b(n * sizeof(uint32_t));
  HostBuffer results(rounds * n * sizeof(uint32_t));
  std::fill_n(results.as<uint32_t>(), rounds * n, 0u);
  Stream stream;

  // Each round: a = r; a += 1; b = a; b += 1000 * r; results[r] = b. Any
  // reordering within a round or across rounds shows in the results.
  for (int r = 0; r < rounds; ++r) {
    TS_REQUIRE(launch_fill(fill, a.as<uint32_t>(), r, n, stream));
    TS_REQUIRE(launch_increment(increment, a.as<uint32_t>(), n, stream));
    TS_REQUIRE(tsMemcpyAsync(b.get(), a.get(), n * sizeof(uint32_t), tsMemcpyDeviceToDevice, stream));
    uint32_t* b_ptr = b.as<uint32_t>();
    uint32_t addend = 1000 * r, count = n;
    void* args[] = {&b_ptr, &addend, &count};
    TS_REQUIRE(tsLaunchKernel(add, TS_DIM3((n + 63) / 64, 1, 1), TS_DIM3(64, 1, 1), args, 0, stream));
    TS_REQUIRE(tsMemcpyAsync(results.as<uint32_t>() + r * n, b.get(), n * sizeof(uint32_t),
                             tsMemcpyDeviceToHost, stream));
    // A memset between rounds that the next fill must overwrite.
    TS_REQUIRE(tsMemsetAsync(a.get(), 0xFF, n * sizeof(uint32_t), stream));
  }
  TS_REQUIRE(tsStreamSynchronize(stream));
  for (int r = 0; r < rounds; ++r) {
    const uint32_t* row = results.as<uint32_t>() + r * n;
    const uint32_t expected = r + 1 + 1000 * r;
    INFO("round " << r);
    CHECK(std::count(row, row + n, expected) == n);
  }
  // The last memset ran too.
  const auto a_back = read_u32(a.get(), n);
  CHECK(std::count(a_back.begin(), a_back.end(), 0xFFFFFFFFu) == n);
}

TEST_CASE("tsStreamQuery and tsStreamSynchronize report progress", "[streams]") {
  Stream stream;
  TS_CHECK(tsStreamQuery(stream));  // nothing enqueued yet
  {
    Gate gate;
    TS_REQUIRE(gate.hold(stream));
    DeviceBuffer buffer(64);
    TS_REQUIRE(tsMemsetAsync(buffer.get(), 1, 64, stream));
    std::this_thread::sleep_for(kSettle);
    CHECK(tsStreamQuery(stream) == tsErrorNotReady);
    CHECK(tsPeekAtLastError() == tsSuccess);  // NotReady is not a failure
    gate.open();
    TS_CHECK(tsStreamSynchronize(stream));
    TS_CHECK(tsStreamQuery(stream));
  }
  TS_CHECK(tsStreamQuery(nullptr));
  TS_CHECK(tsStreamSynchronize(nullptr));
  TS_CHECK(tsStreamQuery(tsStreamLegacy));
  TS_CHECK(tsStreamQuery(tsStreamPerThread));
}

TEST_CASE("the legacy default stream synchronizes with blocking streams", "[streams]") {
  DeviceBuffer buffer(4096);
  TS_REQUIRE(tsMemset(buffer.get(), 0, buffer.size()));
  Stream blocking;  // tsStreamDefault flags

  SECTION("blocking-stream work waits for earlier legacy-stream work") {
    Gate gate;
    TS_REQUIRE(gate.hold(nullptr));
    TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x42, 1024, blocking));
    std::this_thread::sleep_for(kSettle);
    CHECK(tsStreamQuery(blocking) == tsErrorNotReady);
    gate.open();
    TS_CHECK(tsStreamSynchronize(blocking));
    const auto back = read_u32(buffer.get(), 1);
    CHECK(back[0] == 0x42424242u);
  }
  SECTION("legacy-stream work waits for earlier blocking-stream work") {
    Gate gate;
    TS_REQUIRE(gate.hold(blocking));
    TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x43, 1024, nullptr));
    std::this_thread::sleep_for(kSettle);
    CHECK(tsStreamQuery(nullptr) == tsErrorNotReady);
    gate.open();
    TS_CHECK(tsStreamSynchronize(nullptr));
    const auto back = read_u32(buffer.get(), 1);
    CHECK(back[0] == 0x43434343u);
  }
  SECTION("tsStreamLegacy is the same stream as NULL") {
    Gate gate;
    TS_REQUIRE(gate.hold(tsStreamLegacy));
    std::this_thread::sleep_for(kSettle);
    CHECK(gate.reached());
    CHECK(tsStreamQuery(nullptr) == tsErrorNotReady);
    gate.open();
    TS_CHECK(tsStreamSynchronize(nullptr));
  }
  SECTION("the legacy stream is shared by all host threads") {
    Gate gate;
    TS_REQUIRE(gate.hold(nullptr));
    tsError_t seen_by_other_thread = tsSuccess;
    std::thread other([&] { seen_by_other_thread = tsStreamQuery(nullptr); });
    other.join();
    CHECK(seen_by_other_thread == tsErrorNotReady);
    gate.open();
    TS_CHECK(tsStreamSynchronize(nullptr));
  }
}

TEST_CASE("non-blocking streams do not synchronize with the legacy stream", "[streams]") {
  DeviceBuffer buffer(4096);
  TS_REQUIRE(tsMemset(buffer.get(), 0, buffer.size()));
  Stream non_blocking(tsStreamNonBlocking);
  unsigned flags = 99;
  TS_REQUIRE(tsStreamGetFlags(non_blocking, &flags));
  CHECK(flags == tsStreamNonBlocking);

  SECTION("legacy stream held, non-blocking work proceeds") {
    Gate gate;
    TS_REQUIRE(gate.hold(nullptr));
    TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x44, 1024, non_blocking));
    CHECK(wait_for_stream(non_blocking) == tsSuccess);
    CHECK(tsStreamQuery(nullptr) == tsErrorNotReady);
    gate.open();
    TS_CHECK(tsStreamSynchronize(nullptr));
    CHECK(read_u32(buffer.get(), 1)[0] == 0x44444444u);
  }
  SECTION("non-blocking stream held, legacy work proceeds") {
    Gate gate;
    TS_REQUIRE(gate.hold(non_blocking));
    TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x45, 1024, nullptr));
    CHECK(wait_for_stream(nullptr) == tsSuccess);
    CHECK(tsStreamQuery(non_blocking) == tsErrorNotReady);
    gate.open();
    TS_CHECK(tsStreamSynchronize(non_blocking));
    CHECK(read_u32(buffer.get(), 1)[0] == 0x45454545u);
  }
}

TEST_CASE("two ordinary streams run independently", "[streams]") {
  Stream first, second;
  DeviceBuffer buffer(1024);
  Gate gate;
  TS_REQUIRE(gate.hold(first));
  TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x46, 1024, second));
  CHECK(wait_for_stream(second) == tsSuccess);
  CHECK(tsStreamQuery(first) == tsErrorNotReady);
  gate.open();
  TS_CHECK(tsStreamSynchronize(first));
}

TEST_CASE("tsStreamPerThread is a blocking stream of its own per host thread", "[streams]") {
  DeviceBuffer buffer(4096);
  TS_REQUIRE(tsMemset(buffer.get(), 0, buffer.size()));

  SECTION("another thread's per-thread stream held, this thread's proceeds") {
    // The other thread stays alive until its stream has drained: what
    // happens to a per-thread stream at thread exit is not the subject here.
    Gate gate;
    std::promise<tsError_t> held;
    std::promise<void> may_exit;
    std::thread other([&] {
      held.set_value(gate.hold(tsStreamPerThread));
      may_exit.get_future().wait();
      tsStreamSynchronize(tsStreamPerThread);
    });
    GateRelease finish{gate, may_exit, other};  // on every path out of this section
    REQUIRE(held.get_future().get() == tsSuccess);
    TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x47, 1024, tsStreamPerThread));
    CHECK(wait_for_stream(tsStreamPerThread) == tsSuccess);
    // Not read_u32: tsMemcpy runs on the legacy stream, which would wait
    // for the other thread's (blocking) stream.
    uint32_t first = 0;
    TS_REQUIRE(tsMemcpyAsync(&first, buffer.get(), sizeof first, tsMemcpyDeviceToHost,
                             tsStreamPerThread));  // pageable: complete on return
    CHECK(first == 0x47474747u);
  }
  SECTION("it waits for the legacy stream, being a blocking stream") {
    Gate gate;
    TS_REQUIRE(gate.hold(tsStreamLegacy));
    TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x48, 1024, tsStreamPerThread));
    std::this_thread::sleep_for(kSettle);
    CHECK(tsStreamQuery(tsStreamPerThread) == tsErrorNotReady);
    gate.open();
    TS_CHECK(tsStreamSynchronize(tsStreamPerThread));
    CHECK(read_u32(buffer.get(), 1)[0] == 0x48484848u);
  }
  SECTION("the legacy stream waits for it") {
    Gate gate;
    TS_REQUIRE(gate.hold(tsStreamPerThread));
    TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x49, 1024, tsStreamLegacy));
    std::this_thread::sleep_for(kSettle);
    CHECK(tsStreamQuery(tsStreamLegacy) == tsErrorNotReady);
    gate.open();
    TS_CHECK(tsStreamSynchronize(tsStreamLegacy));
    CHECK(read_u32(buffer.get(), 1)[0] == 0x49494949u);
  }
}

TEST_CASE("tsStreamWaitEvent orders work across streams", "[streams][events]") {
  DeviceBuffer buffer(4096);
  TS_REQUIRE(tsMemset(buffer.get(), 0, buffer.size()));
  Stream producer(tsStreamNonBlocking), consumer(tsStreamNonBlocking);
  Event ready;
  Gate gate;
  TS_REQUIRE(gate.hold(producer));
  TS_REQUIRE(tsMemsetAsync(buffer.get(), 0x50, 1024, producer));
  TS_REQUIRE(tsEventRecord(ready, producer));
  TS_REQUIRE(tsStreamWaitEvent(consumer, ready, 0));
  TS_REQUIRE(tsMemsetAsync(buffer.as<char>() + 512, 0x51, 1024, consumer));  // overlaps
  std::this_thread::sleep_for(kSettle);
  CHECK(tsStreamQuery(consumer) == tsErrorNotReady);
  gate.open();
  TS_REQUIRE(tsStreamSynchronize(consumer));
  std::vector<uint8_t> back(1536);
  TS_REQUIRE(tsMemcpy(back.data(), buffer.get(), back.size(), tsMemcpyDeviceToHost));
  CHECK(std::count(back.begin(), back.begin() + 512, 0x50) == 512);
  CHECK(std::count(back.begin() + 512, back.end(), 0x51) == 1024);  // the consumer wrote last

  // flags must be 0.
  CHECK(tsStreamWaitEvent(consumer, ready, 1) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("tsStreamWaitEvent orders work across devices", "[streams][events]") {
  require_devices(2);
  Stream producer(tsStreamNonBlocking);  // device 0
  Event ready;
  DeviceBuffer source(4096);
  Gate gate;
  TS_REQUIRE(gate.hold(producer));
  TS_REQUIRE(tsMemsetAsync(source.get(), 0x52, source.size(), producer));
  TS_REQUIRE(tsEventRecord(ready, producer));

  DeviceScope one(1);
  Stream consumer(tsStreamNonBlocking);  // device 1
  DeviceBuffer target(4096);
  TS_REQUIRE(tsMemset(target.get(), 0, target.size()));
  TS_REQUIRE(tsStreamWaitEvent(consumer, ready, 0));
  // Device-1-only work behind the wait (a peer copy here would test
  // tsMemcpyPeerAsync's own waiting instead: see test_peers.cpp).
  TS_REQUIRE(tsMemsetAsync(target.get(), 0x53, target.size(), consumer));
  std::this_thread::sleep_for(kSettle);
  CHECK(tsStreamQuery(consumer) == tsErrorNotReady);
  gate.open();
  TS_REQUIRE(tsStreamSynchronize(consumer));
  // The producer's work had completed by then.
  CHECK(tsEventQuery(ready) == tsSuccess);
  std::vector<uint8_t> back(target.size());
  TS_REQUIRE(tsMemcpy(back.data(), target.get(), back.size(), tsMemcpyDeviceToHost));
  CHECK(std::count(back.begin(), back.end(), 0x53) == static_cast<long>(back.size()));
  TS_REQUIRE(tsMemcpy(back.data(), source.get(), back.size(), tsMemcpyDeviceToHost));
  CHECK(std::count(back.begin(), back.end(), 0x52) == static_cast<long>(back.size()));
}

TEST_CASE("host functions run in stream order, after the work before them", "[streams]") {
  struct Log {
    std::mutex mutex;
    std::vector<int> order;
    const uint32_t* watched = nullptr;  // page-locked memory a kernel fills
    std::vector<uint32_t> seen;
  } log;
  struct Entry {
    Log* log;
    int index;
  };
  const tsHostFn_t log_entry = [](void* p) {
    auto* e = static_cast<Entry*>(p);
    const uint32_t value = *static_cast<const volatile uint32_t*>(e->log->watched);
    std::lock_guard lock(e->log->mutex);
    e->log->order.push_back(e->index);
    e->log->seen.push_back(value);
  };
  const int count = 200;
  std::vector<Entry> entries;
  for (int i = 0; i < count; ++i) entries.push_back({&log, i});

  Module module(basic_code());
  HostBuffer watched(sizeof(uint32_t));
  *watched.as<uint32_t>() = 0;
  log.watched = watched.as<uint32_t>();
  Stream stream;
  for (int i = 0; i < count; ++i) {
    // Every tenth host function follows a kernel writing i to host memory.
    if (i % 10 == 0)
      TS_REQUIRE(launch_fill(module.function("fill_u32"), watched.as<uint32_t>(), i, 1, stream));
    TS_REQUIRE(tsLaunchHostFunc(stream, log_entry, &entries[i]));
  }
  TS_REQUIRE(tsStreamSynchronize(stream));
  std::lock_guard lock(log.mutex);
  REQUIRE(log.order.size() == count);
  for (int i = 0; i < count; ++i) {
    CHECK(log.order[i] == i);
    CHECK(log.seen[i] == static_cast<uint32_t>(i - i % 10));
  }
  CHECK(tsLaunchHostFunc(stream, nullptr, nullptr) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("stream priorities and flags", "[streams]") {
  int least = 12345, greatest = 12345;
  TS_REQUIRE(tsDeviceGetStreamPriorityRange(&least, &greatest));
  CHECK(greatest <= least);  // lower numbers are higher priorities

  auto created_priority = [](int requested) {
    tsStream_t s = nullptr;
    TS_REQUIRE(tsStreamCreateWithPriority(&s, tsStreamNonBlocking, requested));
    int priority = 12345;
    TS_CHECK(tsStreamGetPriority(s, &priority));
    unsigned flags = 99;
    TS_CHECK(tsStreamGetFlags(s, &flags));
    CHECK(flags == tsStreamNonBlocking);
    TS_CHECK(tsStreamDestroy(s));
    return priority;
  };
  CHECK(created_priority(greatest) == greatest);
  CHECK(created_priority(least) == least);
  CHECK(created_priority(greatest - 100) == greatest);  // clamped
  CHECK(created_priority(least + 100) == least);        // clamped

  Stream plain;
  int priority = 12345;
  TS_CHECK(tsStreamGetPriority(plain, &priority));
  CHECK(priority == least);  // the default is the lowest priority, as in CUDA
  unsigned flags = 99;
  TS_CHECK(tsStreamGetFlags(plain, &flags));
  CHECK(flags == tsStreamDefault);
  TS_CHECK(tsStreamGetFlags(nullptr, &flags));
  CHECK(flags == tsStreamDefault);

  // Work of a high-priority stream completes like any other.
  tsStream_t urgent = nullptr;
  TS_REQUIRE(tsStreamCreateWithPriority(&urgent, tsStreamDefault, greatest));
  DeviceBuffer buffer(256);
  TS_CHECK(tsMemsetAsync(buffer.get(), 0x61, 256, urgent));
  TS_CHECK(tsStreamSynchronize(urgent));
  CHECK(read_u32(buffer.get(), 1)[0] == 0x61616161u);
  TS_CHECK(tsStreamDestroy(urgent));

  tsStream_t s = nullptr;
  CHECK(tsStreamCreateWithFlags(&s, 0x10) == tsErrorInvalidValue);
  CHECK(s == nullptr);
  CHECK(tsStreamCreate(nullptr) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("a destroyed stream's handle is refused", "[streams]") {
  tsStream_t s = nullptr;
  TS_REQUIRE(tsStreamCreate(&s));
  TS_REQUIRE(tsStreamDestroy(s));
  DeviceBuffer buffer(64);
  CHECK(tsStreamQuery(s) == tsErrorInvalidResourceHandle);
  CHECK(tsStreamSynchronize(s) == tsErrorInvalidResourceHandle);
  CHECK(tsMemsetAsync(buffer.get(), 0, 64, s) == tsErrorInvalidResourceHandle);
  CHECK(tsStreamDestroy(s) == tsErrorInvalidResourceHandle);
  unsigned flags = 0;
  CHECK(tsStreamGetFlags(s, &flags) == tsErrorInvalidResourceHandle);
  (void)tsGetLastError();
}

TEST_CASE("destroying a stream lets its enqueued work finish", "[streams]") {
  Module module(basic_code());
  const uint32_t n = 4096;
  DeviceBuffer buffer(n * sizeof(uint32_t));
  TS_REQUIRE(tsMemset(buffer.get(), 0, buffer.size()));
  tsStream_t s = nullptr;
  TS_REQUIRE(tsStreamCreate(&s));
  Gate gate;  // keeps the work queued while the stream is destroyed
  TS_REQUIRE(gate.hold(s));
  for (int i = 0; i < 20; ++i)
    TS_REQUIRE(launch_increment(module.function("increment_u32"), buffer.as<uint32_t>(), n, s));
  // Should tsStreamDestroy wait for the work (wrongly), it would wait for
  // the gate: open it from another thread after a while, and check that
  // tsStreamDestroy had returned before.
  std::atomic<bool> opened{false};
  std::thread opener([&] {
    std::this_thread::sleep_for(1s);
    opened = true;
    gate.open();
  });
  struct Join {  // also when a REQUIRE below throws
    std::thread& thread;
    ~Join() {
      if (thread.joinable()) thread.join();
    }
  } join_opener{opener};
  const tsError_t destroyed = tsStreamDestroy(s);
  const bool returned_before_opening = !opened;
  // tsDeviceSynchronize must wait for the destroyed stream's work, that is
  // for the gate too, and for the kernels behind it.
  const tsError_t synchronized = tsDeviceSynchronize();
  const bool opened_before_synchronized = opened;
  const auto back = read_u32(buffer.get(), n);
  opener.join();
  CHECK(destroyed == tsSuccess);
  CHECK(returned_before_opening);
  CHECK(synchronized == tsSuccess);
  CHECK(opened_before_synchronized);
  CHECK(std::count(back.begin(), back.end(), 20u) == n);
  // Should the runtime have lost track of the work, let it finish before
  // the buffer is freed, or it faults and a later test sees the error.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  auto all_done = [&] {
    const auto now = read_u32(buffer.get(), n);
    return std::count(now.begin(), now.end(), 20u) == n;
  };
  while (!all_done() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(10ms);
}
