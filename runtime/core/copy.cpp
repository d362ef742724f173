// SPDX-License-Identifier: Apache-2.0
#include "core/copy.hpp"

#include <cstring>

#include "core/api_util.hpp"

namespace tessera::rt {
namespace {

const char* kind_name(tsMemcpyKind k) {
  switch (k) {
    case tsMemcpyHostToHost: return "tsMemcpyHostToHost";
    case tsMemcpyHostToDevice: return "tsMemcpyHostToDevice";
    case tsMemcpyDeviceToHost: return "tsMemcpyDeviceToHost";
    case tsMemcpyDeviceToDevice: return "tsMemcpyDeviceToDevice";
    default: return "tsMemcpyDefault";
  }
}

void check_kind(tsMemcpyKind kind, const PtrInfo& d, const PtrInfo& s) {
  const bool dd = d.kind == PtrInfo::kDevice, sd = s.kind == PtrInfo::kDevice;
  bool ok = true;
  switch (kind) {
    case tsMemcpyHostToHost: ok = !dd && !sd; break;
    case tsMemcpyHostToDevice: ok = dd && !sd; break;
    case tsMemcpyDeviceToHost: ok = !dd && sd; break;
    case tsMemcpyDeviceToDevice: ok = dd && sd; break;
    case tsMemcpyDefault: break;
    default: fail(tsErrorInvalidMemcpyDirection, "unknown tsMemcpyKind " + std::to_string(static_cast<int>(kind)));
  }
  if (!ok)
    fail(tsErrorInvalidMemcpyDirection, std::string(kind_name(kind)) + " but the destination is " +
                                            (dd ? "device" : "host") + " memory and the source is " +
                                            (sd ? "device" : "host") + " memory");
}

// Everything earlier on `s` (with the stream's implicit dependencies) has
// completed; throws the stream's error.
void drain_stream(tsStream* s) {
  DeviceState& d = *s->dev;
  CommandPtr m;
  {
    std::lock_guard lock(d.mu);
    // Nothing to wait for (the usual case for back-to-back synchronous
    // copies): skip the marker's round trip through the device.
    if (d.stream_idle(s)) {
      d.require_ok(s);
      return;
    }
    static const What kSync = describe("synchronization before a host copy");
    m = d.submit_marker(s, kSync);
  }
  wait_ok(d, m);
}

void submit_and_maybe_wait(tsStream* s, const t1_packet& p, std::string what, bool async) {
  // (A copy formats its description; it costs far more than that anyway.)
  DeviceState& d = *s->dev;
  CommandPtr c;
  {
    std::lock_guard lock(d.mu);
    c = d.submit(s, p, describe(std::move(what)));
  }
  if (!async) wait_ok(d, c);
}

std::string bytes_text(size_t n) { return std::to_string(n) + " bytes"; }

t1_packet copy_packet(uint64_t dst, uint64_t src, size_t count) {
  t1_packet p{};
  p.copy.header = T1_PKT_TYPE_DMA_COPY;
  p.copy.src = src;
  p.copy.dst = dst;
  p.copy.size = count;
  return p;
}

}  // namespace

void memcpy_on_stream(void* dst, const void* src, size_t count, tsMemcpyKind kind, tsStream* s, bool async) {
  if (count == 0) return;
  require_arg(dst, "dst");
  require_arg(src, "src");
  const PtrInfo d = classify(dst, count, "dst");
  const PtrInfo sr = classify(src, count, "src");
  check_kind(kind, d, sr);
  DeviceState& dev = *s->dev;
  if (d.kind == PtrInfo::kDevice && sr.kind == PtrInfo::kDevice && d.dev != sr.dev) {
    memcpy_peer(dst, d.dev->ordinal(), src, sr.dev->ordinal(), count, s, async);
    return;
  }
  const bool own = (d.kind != PtrInfo::kDevice || d.dev == &dev) && (sr.kind != PtrInfo::kDevice || sr.dev == &dev);
  if (!async && own) {
    // A synchronous copy on a stream with nothing to wait for: the CPU
    // copies at once (as fast as the DMA engine's memmove, without the
    // round trip through the queue).
    std::unique_lock lock(dev.mu);
    if (dev.stream_idle(s)) {
      dev.require_ok(s);
      lock.unlock();
      std::memmove(d.host, sr.host, count);
      return;
    }
  }
  if (reachable(d, dev) && reachable(sr, dev) &&
      (d.kind == PtrInfo::kDevice || sr.kind == PtrInfo::kDevice || async)) {
    submit_and_maybe_wait(s, copy_packet(d.va, sr.va, count), "copy of " + bytes_text(count), async);
    return;
  }
  // Memory the device cannot reach (pageable host memory, another device's
  // memory): the CPU copies once earlier work is done, as CUDA does for
  // pageable memory. The call is then synchronous.
  drain_stream(s);
  if (d.kind == PtrInfo::kDevice && d.dev != &dev) d.dev->drain();
  if (sr.kind == PtrInfo::kDevice && sr.dev != &dev) sr.dev->drain();
  if (d.home && d.home != &dev) d.home->drain();  // page-locked memory in another device
  if (sr.home && sr.home != &dev) sr.home->drain();
  std::memmove(d.host, sr.host, count);
}

void memset_on_stream(void* dst, int value, size_t count, tsStream* s, bool async) {
  if (count == 0) return;
  require_arg(dst, "devPtr");
  const PtrInfo d = classify(dst, count, "devPtr");
  if (d.kind == PtrInfo::kPageable)
    fail(tsErrorInvalidValue, "devPtr " + ptr_text(dst) + " is neither device memory nor page-locked host memory");
  DeviceState& dev = *s->dev;
  if (reachable(d, dev)) {
    t1_packet p{};
    p.fill.header = T1_PKT_TYPE_DMA_FILL;
    p.fill.width = 1;
    p.fill.pattern = static_cast<uint8_t>(value);
    p.fill.dst = d.va;
    p.fill.size = count;
    submit_and_maybe_wait(s, p, "fill of " + bytes_text(count), async);
    return;
  }
  drain_stream(s);
  if (d.dev) d.dev->drain();  // another device's memory
  if (d.home) d.home->drain();  // page-locked memory in another device's memory
  std::memset(d.host, value, count);
}

void memcpy_peer(void* dst, int dst_device, const void* src, int src_device, size_t count, tsStream* s, bool async) {
  Runtime& rt = Runtime::get();
  DeviceState& dd = rt.device(dst_device);
  DeviceState& sd = rt.device(src_device);
  if (count == 0) return;
  require_arg(dst, "dst");
  require_arg(src, "src");
  const PtrInfo d = classify(dst, count, "dst");
  const PtrInfo sr = classify(src, count, "src");
  if (d.kind != PtrInfo::kDevice || d.dev != &dd)
    fail(tsErrorInvalidValue, "dst " + ptr_text(dst) + " is not memory of device " + std::to_string(dst_device));
  if (sr.kind != PtrInfo::kDevice || sr.dev != &sd)
    fail(tsErrorInvalidValue, "src " + ptr_text(src) + " is not memory of device " + std::to_string(src_device));
  if (&dd == &sd && s->dev == &sd) {
    submit_and_maybe_wait(s, copy_packet(d.va, sr.va, count), "copy of " + bytes_text(count), async);
    return;
  }
  bool link = false;
  {
    std::lock_guard lock(sd.mu);
    link = sd.peer_enabled[dst_device];
  }
  if (link && s->dev == &sd) {
    // Push over the link: the destination is a VA in the peer's context.
    t1_packet p = copy_packet(d.va, sr.va, count);
    p.copy.flags = T1_DMA_FLAG_PEER;
    p.copy.peer_device = static_cast<uint16_t>(dd.hw().info().fabric_index);
    p.copy.peer_context = dd.hw().context_id();
    submit_and_maybe_wait(s, p, "peer copy of " + bytes_text(count) + " to device " + std::to_string(dst_device), async);
    return;
  }
  if (async) {
    // Through the host, in stream order: the host-task thread copies once
    // the stream's earlier work is done, and later work waits for it.
    DeviceState& dev = *s->dev;
    uint8_t* to = d.host;
    const uint8_t* from = sr.host;
    std::lock_guard lock(dev.mu);
    dev.submit_host_task(s, nullptr, true, [to, from, count] { std::memmove(to, from, count); },
                         describe("peer copy of " + bytes_text(count) + " through the host"));
    return;
  }
  // Through the host: serialized with the stream and with everything in
  // flight on both devices.
  drain_stream(s);
  sd.drain();
  dd.drain();
  std::memmove(d.host, sr.host, count);
}

}  // namespace tessera::rt
