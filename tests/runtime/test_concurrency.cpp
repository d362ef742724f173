// SPDX-License-Identifier: Apache-2.0
// Stress: several host threads, each with several streams, each stream with
// thousands of launches and copies. Every launch increments a counter
// array; periodic snapshots copied to page-locked memory must show exactly
// the launches enqueued before them, and every host function and event must
// complete. A deadlock ends the process with a message instead of hanging
// until the ctest timeout.
//
// TESSERA_STRESS_LAUNCHES sets the launches per stream (default 5000).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

constexpr int kThreads = 4;
constexpr int kStreamsPerThread = 4;
constexpr uint32_t kCounters = 96;   // 2 blocks of 64, the second partly idle
constexpr int kSnapshotEvery = 100;  // launches between snapshots

int launches_per_stream() {
  const char* env = std::getenv("TESSERA_STRESS_LAUNCHES");
  const int n = env ? std::atoi(env) : 5000;
  return n > 0 ? n : 5000;
}

// Aborts the process if not disarmed within `limit`: a deadlocked runtime
// would otherwise hang the test silently.
class DeadlockGuard {
 public:
  explicit DeadlockGuard(std::chrono::seconds limit)
      : thread_([this, limit] {
          std::unique_lock lock(mutex_);
          if (!cv_.wait_for(lock, limit, [this] { return done_; })) {
            std::fprintf(stderr, "test_runtime_concurrency: not finished after %lld s: deadlock?\n",
                         static_cast<long long>(limit.count()));
            std::fflush(stderr);
            std::abort();
          }
        }) {}
  ~DeadlockGuard() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

// A host function's view of one snapshot: it runs after the snapshot's
// copy and checks it there, so ordering between a copy and the stream's
// next host function is verified as it happens.
struct SnapshotCheck {
  const uint32_t* snapshot = nullptr;
  uint32_t expected = 0;
  std::atomic<int>* run = nullptr;
  std::atomic<int>* wrong = nullptr;
};

void check_snapshot(void* user_data) {
  const auto* c = static_cast<const SnapshotCheck*>(user_data);
  for (uint32_t i = 0; i < kCounters; ++i)
    if (c->snapshot[i] != c->expected) {
      c->wrong->fetch_add(1);
      break;
    }
  c->run->fetch_add(1);
}

struct StreamState {
  tsStream_t stream = nullptr;
  uint32_t* counters = nullptr;    // device memory
  uint32_t* snapshots = nullptr;   // page-locked, one row of kCounters per snapshot
  std::vector<SnapshotCheck> checks;
  std::vector<tsEvent_t> events;
};

// Everything one host thread uses; owned by the test body so that it
// outlives every host function, even when a thread gives up early.
struct ThreadState {
  int device = 0;
  tsModule_t module = nullptr;
  StreamState streams[kStreamsPerThread];
  std::atomic<int> host_functions_run{0};
  std::atomic<int> wrong_snapshots_seen_by_host_functions{0};
  std::vector<std::string> failures;
  long launches = 0;
};

void fail(ThreadState& t, const std::string& what) {
  if (t.failures.size() < 20) t.failures.push_back(what);
}

#define STRESS_CALL(t, call)                                                                  \
  do {                                                                                        \
    const tsError_t e_ = (call);                                                              \
    if (e_ != tsSuccess) {                                                                    \
      fail(t, std::string(#call) + " -> " + tsGetErrorName(e_) + ": " + tsGetLastErrorMessage()); \
      return;                                                                                 \
    }                                                                                         \
  } while (0)

void run_thread(ThreadState& t, int launches) {
  STRESS_CALL(t, tsSetDevice(t.device));
  STRESS_CALL(t, tsModuleLoadData(&t.module, basic_code().data(), basic_code().size()));
  tsFunction_t increment = nullptr;
  STRESS_CALL(t, tsModuleGetFunction(&increment, t.module, "increment_u32"));
  int least = 0, greatest = 0;
  STRESS_CALL(t, tsDeviceGetStreamPriorityRange(&least, &greatest));

  const int snapshots = launches / kSnapshotEvery;
  for (int k = 0; k < kStreamsPerThread; ++k) {
    StreamState& s = t.streams[k];
    // A mix of blocking and non-blocking streams, of both priorities.
    STRESS_CALL(t, tsStreamCreateWithPriority(&s.stream, k % 2 ? tsStreamNonBlocking : tsStreamDefault,
                                              k < 2 ? greatest : least));
    STRESS_CALL(t, tsMalloc(reinterpret_cast<void**>(&s.counters), kCounters * sizeof(uint32_t)));
    STRESS_CALL(t, tsMallocHost(reinterpret_cast<void**>(&s.snapshots),
                                snapshots * kCounters * sizeof(uint32_t)));
    std::fill_n(s.snapshots, snapshots * kCounters, 0xFFFFFFFFu);
    STRESS_CALL(t, tsMemsetAsync(s.counters, 0, kCounters * sizeof(uint32_t), s.stream));
    s.checks.resize(snapshots);  // never reallocated after this: host functions point in
    s.events.resize(snapshots, nullptr);
    for (int j = 0; j < snapshots; ++j) {
      s.checks[j] = {s.snapshots + j * kCounters, static_cast<uint32_t>((j + 1) * kSnapshotEvery),
                     &t.host_functions_run, &t.wrong_snapshots_seen_by_host_functions};
      STRESS_CALL(t, tsEventCreateWithFlags(&s.events[j], j % 2 ? tsEventDisableTiming : tsEventDefault));
    }
  }

  for (int i = 1; i <= launches; ++i) {
    for (int k = 0; k < kStreamsPerThread; ++k) {
      StreamState& s = t.streams[k];
      STRESS_CALL(t, launch_increment(increment, s.counters, kCounters, s.stream));
      ++t.launches;
      if (i % kSnapshotEvery == 0) {
        const int j = i / kSnapshotEvery - 1;
        STRESS_CALL(t, tsMemcpyAsync(s.snapshots + j * kCounters, s.counters,
                                     kCounters * sizeof(uint32_t), tsMemcpyDeviceToHost, s.stream));
        STRESS_CALL(t, tsLaunchHostFunc(s.stream, check_snapshot, &s.checks[j]));
        STRESS_CALL(t, tsEventRecord(s.events[j], s.stream));
      }
    }
    // Now and then, look at progress from this thread too.
    if (i % 250 == 0) {
      const tsError_t q = tsStreamQuery(t.streams[i / 250 % kStreamsPerThread].stream);
      if (q != tsSuccess && q != tsErrorNotReady) fail(t, std::string("tsStreamQuery -> ") + tsGetErrorName(q));
    }
  }

  for (int k = 0; k < kStreamsPerThread; ++k) {
    StreamState& s = t.streams[k];
    STRESS_CALL(t, tsStreamSynchronize(s.stream));
    std::vector<uint32_t> final_counters(kCounters, 0);
    STRESS_CALL(t, tsMemcpy(final_counters.data(), s.counters, kCounters * sizeof(uint32_t),
                            tsMemcpyDeviceToHost));
    for (uint32_t c = 0; c < kCounters; ++c)
      if (final_counters[c] != static_cast<uint32_t>(launches)) {
        fail(t, "stream " + std::to_string(k) + " counter " + std::to_string(c) + " is " +
                    std::to_string(final_counters[c]) + ", expected " + std::to_string(launches));
        break;
      }
    for (int j = 0; j < snapshots; ++j) {
      const uint32_t* row = s.snapshots + j * kCounters;
      const uint32_t expected = (j + 1) * kSnapshotEvery;
      for (uint32_t c = 0; c < kCounters; ++c)
        if (row[c] != expected) {
          fail(t, "stream " + std::to_string(k) + " snapshot " + std::to_string(j) + " counter " +
                      std::to_string(c) + " is " + std::to_string(row[c]) + ", expected " +
                      std::to_string(expected));
          break;
        }
      const tsError_t q = tsEventQuery(s.events[j]);
      if (q != tsSuccess)
        fail(t, "stream " + std::to_string(k) + " event " + std::to_string(j) + " -> " + tsGetErrorName(q));
    }
  }
}

// Releases what run_thread created (after every device is idle).
void release(ThreadState& t) {
  tsSetDevice(t.device);
  for (StreamState& s : t.streams) {
    for (tsEvent_t e : s.events)
      if (e) tsEventDestroy(e);
    if (s.stream) tsStreamDestroy(s.stream);
    if (s.counters) tsFree(s.counters);
    if (s.snapshots) tsFreeHost(s.snapshots);
  }
  if (t.module) tsModuleUnload(t.module);
  tsSetDevice(0);
}

}  // namespace

TEST_CASE("more than a queue's worth of work behind a host function completes", "[concurrency]") {
  // The host function's predecessor must be noticed as complete while the
  // enqueueing thread waits for room in the full queue.
  Module module(basic_code());
  const tsFunction_t increment = module.function("increment_u32");
  DeviceBuffer counter(sizeof(uint32_t));
  Stream stream;
  const int launches = 5000;  // several rings' worth
  {
    DeadlockGuard guard(std::chrono::seconds(120));
    TS_REQUIRE(tsLaunchHostFunc(stream, [](void*) { std::this_thread::sleep_for(200ms); }, nullptr));
    TS_REQUIRE(tsMemsetAsync(counter.get(), 0, sizeof(uint32_t), stream));
    TS_REQUIRE(tsLaunchHostFunc(stream, [](void*) {}, nullptr));
    for (int i = 0; i < launches; ++i)
      TS_REQUIRE(launch_increment(increment, counter.as<uint32_t>(), 1, stream));
    TS_REQUIRE(tsStreamSynchronize(stream));
  }
  CHECK(read_u32(counter.get(), 1)[0] == static_cast<uint32_t>(launches));
}

TEST_CASE("host threads x streams x thousands of launches lose nothing", "[concurrency]") {
  const int devices = device_count();
  const int launches = launches_per_stream();
  std::vector<ThreadState> states(kThreads);
  for (int i = 0; i < kThreads; ++i) states[i].device = i % devices;

  const auto start = std::chrono::steady_clock::now();
  {
    DeadlockGuard guard(std::chrono::seconds(600));
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
      threads.emplace_back([&, i] { run_thread(states[i], launches); });
    for (std::thread& th : threads) th.join();
    // Whatever a thread left behind (after a failure) finishes before the
    // states, which its host functions point into, go away.
    for (int d = 0; d < devices; ++d) {
      tsSetDevice(d);
      tsDeviceSynchronize();
    }
    tsSetDevice(0);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  long total_launches = 0;
  for (int i = 0; i < kThreads; ++i) {
    ThreadState& t = states[i];
    INFO("host thread " << i << " on device " << t.device);
    for (const std::string& f : t.failures) FAIL_CHECK(f);
    CHECK(t.launches == long{launches} * kStreamsPerThread);
    CHECK(t.host_functions_run == launches / kSnapshotEvery * kStreamsPerThread);
    CHECK(t.wrong_snapshots_seen_by_host_functions == 0);
    total_launches += t.launches;
    release(t);
  }
  (void)tsGetLastError();
  WARN(total_launches << " launches in " << seconds << " s ("
                      << total_launches / std::max(seconds, 1e-9) << " per second)");
}
