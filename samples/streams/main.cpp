// SPDX-License-Identifier: Apache-2.0
// streams: overlapping copies and kernels with streams. The input (2^21
// integers in page-locked host memory from tsMallocHost) is processed
//   1. in one stream: copy everything in, one kernel, copy everything out;
//   2. in four streams, a quarter each, so that one stream's copies can run
//      while another's kernel does.
// Events time both (tsEventRecord, tsEventElapsedTime) and order the streams
// (tsStreamWaitEvent): the four streams start after one `start` event, and
// the `stop` event is recorded once all four are done. After each chunk's
// copy back a host function (tsLaunchHostFunc) checks that chunk on a
// runtime thread while the device carries on.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "check.h"
#include "sample-streams_kernels.h"

namespace {

constexpr int kStreams = 4;
constexpr int kThreadsPerBlock = 256;
constexpr int kRounds = 8;

// The same hash as in streams.cu, for the host's check.
unsigned mix(unsigned x, int rounds) {
  for (int r = 0; r < rounds; ++r) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
  }
  return x;
}

// What a host function needs to check one chunk, and what it found.
struct ChunkCheck {
  const unsigned* in;
  const unsigned* out;
  int count;
  std::atomic<int> mismatches{-1};  // -1 until the host function has run
};

// Runs on a runtime thread once the chunk's copy back has completed. It
// must not call the runtime; it may read the page-locked buffers.
void check_chunk(void* user_data) {
  auto* chunk = static_cast<ChunkCheck*>(user_data);
  int mismatches = 0;
  for (int i = 0; i < chunk->count; ++i)
    mismatches += chunk->out[i] != mix(chunk->in[i], kRounds);
  chunk->mismatches = mismatches;
}

// Enqueues copy in, kernel and copy out of elements [first, first + count) on `stream`.
void enqueue_chunk(tsFunction_t kernel, const unsigned* h_in, unsigned* h_out, unsigned* d_in, unsigned* d_out,
                   int first, int count, tsStream_t stream) {
  const size_t bytes = count * sizeof(unsigned);
  // Asynchronous: the host buffers are page-locked, so the copy engine reads
  // them directly and the call returns at once.
  TS_CHECK(tsMemcpyAsync(d_in + first, h_in + first, bytes, tsMemcpyHostToDevice, stream));
  unsigned* in = d_in + first;
  unsigned* out = d_out + first;
  int rounds = kRounds;
  void* args[] = {&in, &out, &count, &rounds};
  const unsigned blocks = (count + kThreadsPerBlock - 1) / kThreadsPerBlock;
  TS_CHECK(tsLaunchKernel(kernel, TS_DIM3(blocks, 1, 1), TS_DIM3(kThreadsPerBlock, 1, 1), args, 0, stream));
  TS_CHECK(tsMemcpyAsync(h_out + first, d_out + first, bytes, tsMemcpyDeviceToHost, stream));
}

}  // namespace

int main() {
  const int n = 1 << 21;
  const size_t bytes = n * sizeof(unsigned);

  tsModule_t module;
  tsFunction_t kernel;
  TS_CHECK(tsModuleLoadData(&module, tessera_kernels_streams, tessera_kernels_streams_size));
  TS_CHECK(tsModuleGetFunction(&kernel, module, "hash_elements"));

  unsigned *h_in, *h_out, *d_in, *d_out;
  TS_CHECK(tsMallocHost(reinterpret_cast<void**>(&h_in), bytes));
  TS_CHECK(tsMallocHost(reinterpret_cast<void**>(&h_out), bytes));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_in), bytes));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_out), bytes));
  for (int i = 0; i < n; ++i)
    h_in[i] = static_cast<unsigned>(i);

  tsStream_t streams[kStreams];
  for (tsStream_t& s : streams)
    TS_CHECK(tsStreamCreate(&s));
  tsEvent_t start, stop, done[kStreams];
  TS_CHECK(tsEventCreate(&start));
  TS_CHECK(tsEventCreate(&stop));
  for (tsEvent_t& e : done)
    TS_CHECK(tsEventCreateWithFlags(&e, tsEventDisableTiming));  // only for ordering

  // 1. Everything in one stream: copy in, kernel, copy out run one after another.
  TS_CHECK(tsEventRecord(start, streams[0]));
  enqueue_chunk(kernel, h_in, h_out, d_in, d_out, 0, n, streams[0]);
  TS_CHECK(tsEventRecord(stop, streams[0]));
  TS_CHECK(tsEventSynchronize(stop));
  float one_stream_ms = 0.0f;
  TS_CHECK(tsEventElapsedTime(&one_stream_ms, start, stop));
  int one_stream_mismatches = 0;
  for (int i = 0; i < n; ++i)
    one_stream_mismatches += h_out[i] != mix(h_in[i], kRounds);

  // 2. A quarter per stream. Clear the output first so stale results from
  // step 1 cannot pass the check.
  for (int i = 0; i < n; ++i)
    h_out[i] = 0;
  TS_CHECK(tsMemset(d_out, 0, bytes));
  ChunkCheck checks[kStreams];
  const int chunk = n / kStreams;
  TS_CHECK(tsEventRecord(start, streams[0]));
  for (int s = 0; s < kStreams; ++s) {
    // Nothing in stream s starts before `start` has been reached in stream 0.
    TS_CHECK(tsStreamWaitEvent(streams[s], start, 0));
    enqueue_chunk(kernel, h_in, h_out, d_in, d_out, s * chunk, chunk, streams[s]);
    checks[s].in = h_in + s * chunk;
    checks[s].out = h_out + s * chunk;
    checks[s].count = chunk;
    TS_CHECK(tsLaunchHostFunc(streams[s], check_chunk, &checks[s]));
    TS_CHECK(tsEventRecord(done[s], streams[s]));
  }
  // Stream 0 waits for every stream's `done` before recording `stop`.
  for (int s = 1; s < kStreams; ++s)
    TS_CHECK(tsStreamWaitEvent(streams[0], done[s], 0));
  TS_CHECK(tsEventRecord(stop, streams[0]));

  // The host is free meanwhile: it could do other work between polls
  // instead of blocking in tsEventSynchronize.
  int polls = 0;
  tsError_t status;
  while ((status = tsEventQuery(stop)) == tsErrorNotReady) {
    ++polls;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  TS_CHECK(status);
  float streams_ms = 0.0f;
  TS_CHECK(tsEventElapsedTime(&streams_ms, start, stop));
  // `stop` follows every host function (each stream's `done` comes after its
  // host function), so all checks have finished.
  int streams_mismatches = 0, unchecked = 0;
  for (const ChunkCheck& c : checks) {
    if (c.mismatches < 0)
      ++unchecked;
    else
      streams_mismatches += c.mismatches;
  }

  std::printf("%d elements, %d hash rounds each\n", n, kRounds);
  std::printf("  1 stream:  %8.3f ms, %d mismatches\n", one_stream_ms, one_stream_mismatches);
  std::printf("  %d streams: %8.3f ms, %d mismatches (checked by host functions; host polled %d times)\n",
              kStreams, streams_ms, streams_mismatches, polls);
  if (unchecked != 0)
    std::printf("  %d host functions had not run when `stop` completed\n", unchecked);

  for (tsEvent_t e : done)
    TS_CHECK(tsEventDestroy(e));
  TS_CHECK(tsEventDestroy(start));
  TS_CHECK(tsEventDestroy(stop));
  for (tsStream_t s : streams)
    TS_CHECK(tsStreamDestroy(s));
  TS_CHECK(tsFree(d_in));
  TS_CHECK(tsFree(d_out));
  TS_CHECK(tsFreeHost(h_in));
  TS_CHECK(tsFreeHost(h_out));
  TS_CHECK(tsModuleUnload(module));
  const bool pass = one_stream_mismatches == 0 && streams_mismatches == 0 && unchecked == 0;
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
