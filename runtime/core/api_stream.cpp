// SPDX-License-Identifier: Apache-2.0
// Streams, events and host functions.
#include <algorithm>

#include "core/api_util.hpp"

using namespace tessera::rt;

namespace {

constexpr int kGreatestPriority = -3;

tsError_t stream_sync(tsStream_t stream, bool pt) {
  return api_call([&] {
    tsStream* s = resolve_stream(stream, pt);
    DeviceState& d = *s->dev;
    CommandPtr c;
    {
      std::lock_guard lock(d.mu);
      c = s->last;
    }
    if (c) d.wait(c);
    std::lock_guard lock(d.mu);
    d.require_ok(s);
  });
}

tsError_t stream_query(tsStream_t stream, bool pt) {
  bool ready = true;
  const tsError_t e = api_call([&] {
    tsStream* s = resolve_stream(stream, pt);
    DeviceState& d = *s->dev;
    CommandPtr c;
    {
      std::lock_guard lock(d.mu);
      c = s->last;
    }
    if (c && !DeviceState::poll(c)) {
      ready = false;
      return;
    }
    std::lock_guard lock(d.mu);
    d.require_ok(s);
  });
  return e == tsSuccess && !ready ? tsErrorNotReady : e;
}

tsError_t stream_wait_event(tsStream_t stream, tsEvent_t event, unsigned flags, bool pt) {
  return api_call([&] {
    tsStream* s = resolve_stream(stream, pt);
    tsEvent* e = resolve_handle(event, "event");
    if (flags != 0) fail(tsErrorInvalidValue, "tsStreamWaitEvent: flags must be 0");
    CommandPtr c;
    {
      std::lock_guard lock(e->mu);
      c = e->cmd;
    }
    if (!c || c->finished()) return;
    DeviceState& d = *s->dev;
    std::lock_guard lock(d.mu);
    if (e->dev == &d) d.submit_wait(s, {c});
    else d.submit_host_task(s, c, false, {}, describe("wait for an event of device " + std::to_string(e->dev->ordinal())));
  });
}

tsError_t launch_host_func(tsStream_t stream, tsHostFn_t fn, void* data, bool pt) {
  return api_call([&] {
    tsStream* s = resolve_stream(stream, pt);
    require_arg(reinterpret_cast<void*>(fn), "fn");
    DeviceState& d = *s->dev;
    std::lock_guard lock(d.mu);
    static const What kHostFunction = describe("host function");
    d.submit_host_task(s, nullptr, true, [fn, data] { fn(data); }, kHostFunction);
  });
}

tsError_t event_record(tsEvent_t event, tsStream_t stream, bool pt) {
  return api_call([&] {
    tsEvent* e = resolve_handle(event, "event");
    tsStream* s = resolve_stream(stream, pt);
    if (s->dev != e->dev)
      fail(tsErrorInvalidResourceHandle, "the event belongs to device " + std::to_string(e->dev->ordinal()) +
                                             " and the stream to device " + std::to_string(s->dev->ordinal()));
    DeviceState& d = *s->dev;
    CommandPtr c;
    {
      std::lock_guard lock(d.mu);
      static const What kRecord = describe("event record");
      c = d.submit_marker(s, kRecord);
    }
    std::lock_guard lock(e->mu);
    e->cmd = c;
  });
}

tsError_t stream_get(tsStream_t stream, bool pt, int* priority, unsigned* flags) {
  return api_call([&] {
    tsStream* s = resolve_stream(stream, pt);
    if (priority) *priority = s->priority;
    if (flags) *flags = s->flags;
  });
}

}  // namespace

extern "C" {

tsError_t tsStreamCreateWithPriority(tsStream_t* stream, unsigned int flags, int priority) {
  return api_call([&] {
    require_arg(stream, "stream");
    if (flags & ~unsigned{tsStreamNonBlocking}) fail(tsErrorInvalidValue, "unknown stream flags " + std::to_string(flags));
    Runtime& rt = Runtime::get();
    DeviceState& d = rt.current();
    auto s = std::make_unique<tsStream>();
    s->dev = &d;
    s->flags = flags;
    s->priority = std::clamp(priority, kGreatestPriority, 0);
    {
      std::lock_guard lock(d.mu);
      s->queue = d.acquire_queue(s->priority);
      d.streams.push_back(s.get());
    }
    rt.add_handle(s.get());
    *stream = s.release();
  });
}
tsError_t tsStreamCreateWithFlags(tsStream_t* stream, unsigned int flags) {
  return tsStreamCreateWithPriority(stream, flags, 0);
}
tsError_t tsStreamCreate(tsStream_t* stream) { return tsStreamCreateWithPriority(stream, 0, 0); }

tsError_t tsDeviceGetStreamPriorityRange(int* least, int* greatest) {
  return api_call([&] {
    if (least) *least = 0;
    if (greatest) *greatest = kGreatestPriority;
  });
}

tsError_t tsStreamGetPriority(tsStream_t s, int* priority) {
  if (!priority) return api_call([] { fail(tsErrorInvalidValue, "priority is NULL"); });
  return stream_get(s, false, priority, nullptr);
}
tsError_t tsStreamGetPriority_ptsz(tsStream_t s, int* priority) {
  if (!priority) return api_call([] { fail(tsErrorInvalidValue, "priority is NULL"); });
  return stream_get(s, true, priority, nullptr);
}
tsError_t tsStreamGetFlags(tsStream_t s, unsigned int* flags) {
  if (!flags) return api_call([] { fail(tsErrorInvalidValue, "flags is NULL"); });
  return stream_get(s, false, nullptr, flags);
}
tsError_t tsStreamGetFlags_ptsz(tsStream_t s, unsigned int* flags) {
  if (!flags) return api_call([] { fail(tsErrorInvalidValue, "flags is NULL"); });
  return stream_get(s, true, nullptr, flags);
}

tsError_t tsStreamDestroy(tsStream_t stream) {
  return api_call([&] {
    if (stream == tsStreamLegacy || stream == tsStreamPerThread || !stream)
      fail(tsErrorInvalidResourceHandle, "the default streams cannot be destroyed");
    Runtime& rt = Runtime::get();
    tsStream* s = resolve_handle(stream, "stream");
    rt.remove_handle(s);
    DeviceState& d = *s->dev;
    std::lock_guard lock(d.mu);
    // Work already enqueued still runs: its commands hold what they need,
    // and the queue stays with the device.
    d.streams.erase(std::remove(d.streams.begin(), d.streams.end(), s), d.streams.end());
    d.release_queue(s->queue);
    delete s;
  });
}

tsError_t tsStreamSynchronize(tsStream_t s) { return stream_sync(s, false); }
tsError_t tsStreamSynchronize_ptsz(tsStream_t s) { return stream_sync(s, true); }
tsError_t tsStreamQuery(tsStream_t s) { return stream_query(s, false); }
tsError_t tsStreamQuery_ptsz(tsStream_t s) { return stream_query(s, true); }
tsError_t tsStreamWaitEvent(tsStream_t s, tsEvent_t e, unsigned int flags) { return stream_wait_event(s, e, flags, false); }
tsError_t tsStreamWaitEvent_ptsz(tsStream_t s, tsEvent_t e, unsigned int flags) { return stream_wait_event(s, e, flags, true); }
tsError_t tsLaunchHostFunc(tsStream_t s, tsHostFn_t fn, void* data) { return launch_host_func(s, fn, data, false); }
tsError_t tsLaunchHostFunc_ptsz(tsStream_t s, tsHostFn_t fn, void* data) { return launch_host_func(s, fn, data, true); }

// ---- events -----------------------------------------------------------------

tsError_t tsEventCreateWithFlags(tsEvent_t* event, unsigned int flags) {
  return api_call([&] {
    require_arg(event, "event");
    if (flags & ~unsigned{tsEventBlockingSync | tsEventDisableTiming})
      fail(tsErrorInvalidValue, "unknown event flags " + std::to_string(flags));
    Runtime& rt = Runtime::get();
    DeviceState& d = rt.current();
    auto e = std::make_unique<tsEvent>();
    e->dev = &d;
    e->flags = flags;
    {
      std::lock_guard lock(d.mu);
      d.events.push_back(e.get());
    }
    rt.add_handle(e.get());
    *event = e.release();
  });
}
tsError_t tsEventCreate(tsEvent_t* event) { return tsEventCreateWithFlags(event, tsEventDefault); }

tsError_t tsEventRecord(tsEvent_t e, tsStream_t s) { return event_record(e, s, false); }
tsError_t tsEventRecord_ptsz(tsEvent_t e, tsStream_t s) { return event_record(e, s, true); }

tsError_t tsEventQuery(tsEvent_t event) {
  bool ready = true;
  const tsError_t r = api_call([&] {
    tsEvent* e = resolve_handle(event, "event");
    CommandPtr c;
    {
      std::lock_guard lock(e->mu);
      c = e->cmd;
    }
    if (!c) return;
    if (!DeviceState::poll(c)) {
      ready = false;
      return;
    }
    throw_if_failed(*c);
  });
  return r == tsSuccess && !ready ? tsErrorNotReady : r;
}

tsError_t tsEventSynchronize(tsEvent_t event) {
  return api_call([&] {
    tsEvent* e = resolve_handle(event, "event");
    CommandPtr c;
    {
      std::lock_guard lock(e->mu);
      c = e->cmd;
    }
    if (c) wait_ok(*e->dev, c);
  });
}

tsError_t tsEventElapsedTime(float* ms, tsEvent_t start, tsEvent_t end) {
  bool ready = true;
  const tsError_t r = api_call([&] {
    require_arg(ms, "ms");
    tsEvent* a = resolve_handle(start, "start event");
    tsEvent* b = resolve_handle(end, "end event");
    if ((a->flags | b->flags) & tsEventDisableTiming)
      fail(tsErrorInvalidResourceHandle, "an event created with tsEventDisableTiming has no time");
    if (a->dev != b->dev) fail(tsErrorInvalidValue, "the events belong to different devices");
    CommandPtr ca, cb;
    {
      std::lock_guard la(a->mu);
      ca = a->cmd;
    }
    {
      std::lock_guard lb(b->mu);
      cb = b->cmd;
    }
    if (!ca || !cb) fail(tsErrorInvalidResourceHandle, "both events must have been recorded");
    if (!DeviceState::poll(ca) || !DeviceState::poll(cb)) {
      ready = false;
      return;
    }
    throw_if_failed(*ca);
    throw_if_failed(*cb);
    *ms = static_cast<float>((static_cast<double>(cb->end_ts) - static_cast<double>(ca->end_ts)) / 1e6);
  });
  return r == tsSuccess && !ready ? tsErrorNotReady : r;
}

tsError_t tsEventDestroy(tsEvent_t event) {
  return api_call([&] {
    Runtime& rt = Runtime::get();
    tsEvent* e = resolve_handle(event, "event");
    rt.remove_handle(e);
    DeviceState& d = *e->dev;
    std::lock_guard lock(d.mu);
    d.events.erase(std::remove(d.events.begin(), d.events.end(), e), d.events.end());
    delete e;
  });
}

}  // extern "C"
