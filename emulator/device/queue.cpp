// SPDX-License-Identifier: Apache-2.0
// The command processor: one worker per hardware queue takes packets in
// order, runs them and reports completion through signals and interrupts.
// Packets of one queue run strictly one after the other, which trivially
// honours the BARRIER bit; queues run concurrently with each other.
#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "device_impl.hpp"

namespace tessera::emu {

namespace {

constexpr auto kPollBeforeSleep = std::chrono::microseconds(50);

inline void cpu_relax() {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#endif
}

constexpr uint64_t kDetPacketNs = 1000;  // deterministic clock: cost of a packet step

// The four 8-byte fields of a t1_signal. Each field is 8-byte aligned, so
// none straddles a page even when the signal does.
struct SignalRef {
  uint8_t* field[4] = {};
};

bool map_signal(AddressSpace& space, uint64_t va, SignalRef& s, uint32_t& cause, uint64_t& bad) {
  if (va & (T1_SIGNAL_ALIGN - 1)) {
    cause = T1_FAULT_BAD_PACKET;
    bad = va;
    return false;
  }
  for (int i = 0; i < 4; ++i) {
    PageRef ref;
    const uint64_t a = va + 8 * i;
    if (!space.resolve(a, T1_ACCESS_READ | T1_ACCESS_WRITE, ref, cause)) {
      bad = a;
      return false;
    }
    s.field[i] = ref.host + (a & kPageMask);
  }
  return true;
}

// The command processor's small TLB for a queue's own memory (ring slots,
// completion signals): every packet touches the same few pages, and a full
// walk for each of them costs more than a short dispatch. Entries are
// dropped whenever the driver invalidates (docs/hardware/memory-and-mmu.md).
// Used by one queue thread only.
class QueueTlb final : public AddressSpace {
 public:
  QueueTlb(ContextSpace& inner, const std::atomic<uint64_t>& generation) : inner_(inner), generation_(generation) {}
  bool resolve(uint64_t va, uint8_t access, PageRef& out, uint32_t& cause) override {
    const uint64_t gen = generation_.load(std::memory_order_acquire);
    const uint64_t vpage = va >> kPageShift;
    Entry& e = entries_[vpage % kEntries];
    if (e.valid && e.generation == gen && e.vpage == vpage && (e.ref.perms & access) == access) {
      out = e.ref;
      return true;
    }
    if (!inner_.resolve(va, access, out, cause)) return false;
    e = Entry{true, gen, vpage, out};
    return true;
  }

 private:
  static constexpr unsigned kEntries = 8;
  struct Entry {
    bool valid = false;
    uint64_t generation = 0;
    uint64_t vpage = 0;
    PageRef ref;
  };
  ContextSpace& inner_;
  const std::atomic<uint64_t>& generation_;
  Entry entries_[kEntries];
};

int64_t signal_value(const SignalRef& s) {
  return aref<int64_t>(s.field[0]).load(std::memory_order_acquire);
}

void complete_signal(const SignalRef& s, uint32_t status, uint64_t start, uint64_t end) {
  const uint64_t st = status;  // status + reserved (little-endian)
  aref<uint64_t>(s.field[1]).store(st, std::memory_order_relaxed);
  aref<uint64_t>(s.field[2]).store(start, std::memory_order_relaxed);
  aref<uint64_t>(s.field[3]).store(end, std::memory_order_relaxed);
  aref<int64_t>(s.field[0]).fetch_sub(1, std::memory_order_acq_rel);
}

// Access of `n` bytes at `va`, clipped to the end of its page.
// Host view of [va, va + n), n <= want: the longest run contiguous in host
// memory, so that a DMA moves it with one memmove.
uint8_t* map_chunk(ContextSpace& space, uint64_t va, uint8_t access, uint64_t want, uint64_t& n,
                   uint32_t& cause) {
  uint8_t* host;
  if (!space.resolve_run(va, access, want, host, n, cause)) return nullptr;
  return host;
}

}  // namespace

bool Device::Impl::queue_live(const QueueState& q, uint64_t epoch) {
  return q.enabled && q.epoch == epoch && !shutdown;
}

void Device::Impl::worker_main(QueueState& q) {
  uint64_t seen = 0;
  for (;;) {
    std::unique_lock lock(mu);
    q.wake.wait(lock, [&] { return shutdown || (q.enabled && q.epoch != seen); });
    if (shutdown) return;
    seen = q.epoch;
    q.running = true;
    q.cancel = false;
    q.watchdog_fired = false;
    lock.unlock();
    run_queue(q, seen);
    lock.lock();
    q.running = false;
    // A re-enable that came in meanwhile owns STATUS already.
    if (q.epoch == seen &&
        !(regs.load32(T1_REG_QUEUE(q.id) + T1_QREG_STATUS) & T1_QSTATUS_ERROR))
      regs.and32(T1_REG_QUEUE(q.id) + T1_QREG_STATUS, ~T1_QSTATUS_ACTIVE);
    lock.unlock();
    cv.notify_all();  // reset() waits for running == false
  }
}

void Device::Impl::queue_error(QueueState& q, uint32_t cause, uint64_t index) {
  const uint32_t base = T1_REG_QUEUE(q.id);
  {
    std::lock_guard lock(mu);
    regs.store64(base + T1_QREG_ERROR_INDEX, index);
    regs.store32(base + T1_QREG_STATUS, T1_QSTATUS_ERROR | (cause << T1_QSTATUS_CAUSE_SHIFT));
  }
  regs.or64(T1_REG_QUEUE_INT_STATUS, uint64_t{1} << q.id);
  raise(T1_VEC_QUEUE_ERROR);
}

PacketResult Device::Impl::fail(QueueState& q, uint64_t index, uint32_t cause, uint8_t access,
                                uint64_t address, uint64_t entry) {
  t1_fault_record rec{};
  rec.cause = cause;
  rec.access = access;
  rec.context = q.context;
  rec.queue = q.id;
  rec.packet_index = index;
  rec.kernel_entry = entry;
  rec.address = address;
  rec.flags = T1_FAULT_FLAG_PACKET;
  record_fault(rec);
  PacketResult r;
  r.status = cause;
  r.error = true;
  return r;
}

void Device::Impl::run_queue(QueueState& q, uint64_t epoch) {
  const uint32_t base = T1_REG_QUEUE(q.id);
  uint64_t ri = regs.load64(base + T1_QREG_READ_INDEX);
  const uint32_t size = q.ring_size;
  if (size < T1_QUEUE_MIN_SIZE || size > T1_QUEUE_MAX_SIZE || (size & (size - 1)) ||
      (q.ring_base & (T1_PACKET_SIZE - 1))) {
    fail(q, ri, T1_FAULT_QUEUE_MEMORY, 0, q.ring_base);
    queue_error(q, T1_FAULT_QUEUE_MEMORY, ri);
    return;
  }
  ContextSpace space(mmu, q.context);
  QueueTlb queue_tlb(space, tlb_generation);
  for (;;) {
    // A command processor polls its rings: a host that has just seen a
    // completion usually submits again within microseconds, and blocking on
    // a condition variable would add a thread wake-up (tens of microseconds
    // in a VM) to every round trip. Poll for a short while, then block.
    const auto spin_until = std::chrono::steady_clock::now() + kPollBeforeSleep;
    for (unsigned i = 0; regs.load64(base + T1_QREG_WRITE_INDEX) <= ri; ++i) {
      if ((i & 63) == 0 && std::chrono::steady_clock::now() > spin_until) break;
      cpu_relax();
    }
    auto ready = [&] {
      return (regs.load32(T1_REG_CONTROL) & T1_CONTROL_ENABLE) && regs.load64(base + T1_QREG_WRITE_INDEX) > ri;
    };
    // Work is waiting (the usual case while the host streams packets): go
    // on without the device lock, which the host's doorbells would contend.
    if (!(queue_live(q, epoch) && ready())) {
      std::unique_lock lock(mu);
      q.sleeping = true;
      q.wake.wait(lock, [&] { return !queue_live(q, epoch) || ready(); });
      q.sleeping = false;
      if (!queue_live(q, epoch)) return;
    }
    const uint64_t va = q.ring_base + (ri & (size - 1)) * T1_PACKET_SIZE;
    PageRef ref;
    uint32_t cause;
    if (!queue_tlb.resolve(va, T1_ACCESS_READ | T1_ACCESS_WRITE, ref, cause)) {
      fail(q, ri, T1_FAULT_QUEUE_MEMORY, T1_ACCESS_READ | T1_ACCESS_WRITE, va);
      queue_error(q, T1_FAULT_QUEUE_MEMORY, ri);
      return;
    }
    uint8_t* slot = ref.host + (va & kPageMask);
    const uint16_t header = aref<uint16_t>(slot).load(std::memory_order_acquire);
    if (T1_PKT_TYPE(header) == T1_PKT_TYPE_INVALID) {
      // WRITE_INDEX ran ahead of the header store: wait for it (next
      // doorbell, or poll) instead of treating the slot as garbage.
      std::unique_lock lock(mu);
      const uint64_t bell = doorbells;
      q.sleeping = true;
      q.wake.wait_for(lock, std::chrono::milliseconds(1),
                      [&] { return doorbells != bell || !queue_live(q, epoch); });
      q.sleeping = false;
      continue;
    }
    union t1_packet pkt;
    std::memcpy(&pkt, slot, sizeof pkt);
    pkt.header = header;
    aref<uint16_t>(slot).store(static_cast<uint16_t>(header & ~T1_PKT_TYPE_MASK),
                               std::memory_order_release);
    const uint64_t index = ri++;
    regs.store64(base + T1_QREG_READ_INDEX, ri);
    regs.or32(base + T1_QREG_STATUS, T1_QSTATUS_BUSY);

    const uint64_t start_ts = tick(kDetPacketNs);
    PacketResult res;
    SignalRef sig;
    bool have_sig = false;
    const uint64_t sig_va = pkt.raw[T1_PKT_COMPLETION_SIGNAL_OFFSET / 8];
    uint64_t bad = 0;
    if (sig_va && !map_signal(queue_tlb, sig_va, sig, cause, bad)) {
      // Without a reachable completion signal nobody could learn the result.
      res = fail(q, index, cause == T1_FAULT_BAD_PACKET ? cause : T1_FAULT_QUEUE_MEMORY,
                 T1_ACCESS_READ | T1_ACCESS_WRITE, bad);
    } else {
      have_sig = sig_va != 0;
      if (header & T1_PKT_RESERVED_MASK)
        res = fail(q, index, T1_FAULT_BAD_PACKET, 0, va);
      else
        res = execute(q, space, pkt, index);
    }
    // Work that finished while a reset was aborting it completes silently.
    if (q.reset_abort) res.write_signal = false;
    const uint64_t end_ts = tick(kDetPacketNs);
    regs.and32(base + T1_QREG_STATUS, ~T1_QSTATUS_BUSY);
    if (have_sig && res.write_signal) complete_signal(sig, res.status, start_ts, end_ts);
    if (res.error) {
      queue_error(q, res.status, index);
      return;
    }
    if ((header & T1_PKT_INTERRUPT) && res.write_signal) {
      regs.or64(T1_REG_QUEUE_INT_STATUS, uint64_t{1} << q.id);
      raise(T1_VEC_QUEUE_COMPLETION);
    }
    // BARRIER_AND packets on other queues may be waiting for us.
    if (barrier_waiters.load(std::memory_order_acquire)) cv.notify_all();
    if (!res.write_signal) return;  // aborted by reset or disable
  }
}

PacketResult Device::Impl::execute(QueueState& q, ContextSpace& space, const union t1_packet& pkt,
                                   uint64_t index) {
  switch (T1_PKT_TYPE(pkt.header)) {
    case T1_PKT_TYPE_KERNEL_DISPATCH: return dispatch(q, space, pkt.dispatch, index);
    case T1_PKT_TYPE_DMA_COPY: return dma_copy(q, space, pkt.copy, index);
    case T1_PKT_TYPE_DMA_FILL: return dma_fill(q, space, pkt.fill, index);
    case T1_PKT_TYPE_BARRIER_AND: {
      uint64_t epoch;
      {
        std::lock_guard lock(mu);
        epoch = q.epoch;
      }
      return barrier_and(q, space, pkt.barrier_and, index, epoch);
    }
    case T1_PKT_TYPE_SIGNAL: return signal_op(q, space, pkt.signal, index);
    case T1_PKT_TYPE_TIMESTAMP: return timestamp(q, space, pkt.timestamp, index);
    default: {
      const uint64_t va = q.ring_base + (index & (q.ring_size - 1)) * T1_PACKET_SIZE;
      return fail(q, index, T1_FAULT_BAD_PACKET, 0, va);
    }
  }
}

PacketResult Device::Impl::dispatch(QueueState& q, ContextSpace& space,
                                    const t1_kernel_dispatch_packet& p, uint64_t index) {
  const uint64_t threads = uint64_t{p.block_x} * p.block_y * p.block_z;
  const bool bad = threads == 0 || threads > cfg.threads_per_tile || p.grid_x == 0 ||
                   p.grid_y == 0 || p.grid_z == 0 || p.shared_bytes > cfg.scratchpad_bytes ||
                   p.dynshared_offset > p.shared_bytes || (p.dynshared_offset & 15) ||
                   p.entry == 0 || (p.entry & 1) || (p.stack_size & 15) ||
                   (p.stack_size && (p.stack_base & 15));
  if (bad) return fail(q, index, T1_FAULT_BAD_PACKET, 0, p.entry, p.entry);
  PageRef ref;
  uint32_t cause;
  if (p.kernarg && !space.resolve(p.kernarg, T1_ACCESS_READ, ref, cause))
    return fail(q, index, T1_FAULT_QUEUE_MEMORY, T1_ACCESS_READ, p.kernarg, p.entry);

  KernelLaunch L;
  L.grid = {p.grid_x, p.grid_y, p.grid_z};
  L.block = {p.block_x, p.block_y, p.block_z};
  L.entry = p.entry;
  L.kernarg = p.kernarg;
  L.shared_bytes = p.shared_bytes;
  L.dynshared_offset = p.dynshared_offset;
  L.stack_base = p.stack_base;
  L.stack_size = p.stack_size;
  q.dispatch_start = host_ns();
  const DispatchResult r = engine->run(L, space, &q.cancel);
  q.dispatch_start = -1;
  if (cfg.deterministic) tick(r.thread_instructions);  // 1 ns per thread instruction
  if (r.ok) return {};

  PacketResult res;
  uint32_t fault_cause = r.fault.cause;
  if (fault_cause == T1_FAULT_ABORTED) {
    if (q.watchdog_fired) {
      fault_cause = T1_FAULT_WATCHDOG;
    } else {
      // Reset: no completion at all. Disable: the signal reports the abort.
      res.status = T1_FAULT_ABORTED;
      res.write_signal = !q.reset_abort;
      return res;
    }
  }
  t1_fault_record rec{};
  rec.cause = fault_cause;
  rec.access = r.fault.access;
  rec.context = q.context;
  rec.queue = q.id;
  rec.packet_index = index;
  rec.kernel_entry = p.entry;
  rec.block_x = r.fault.block.x;
  rec.block_y = r.fault.block.y;
  rec.block_z = r.fault.block.z;
  rec.thread_x = r.fault.thread.x;
  rec.thread_y = r.fault.thread.y;
  rec.thread_z = r.fault.thread.z;
  rec.tile = r.fault.tile;
  rec.warp = r.fault.warp;
  rec.lane = r.fault.lane;
  rec.raw_insn = r.fault.raw_insn;
  rec.pc = r.fault.pc;
  rec.address = r.fault.address;
  rec.flags = T1_FAULT_FLAG_PACKET | (fault_cause == T1_FAULT_WATCHDOG ? 0 : T1_FAULT_FLAG_THREAD);
  record_fault(rec);
  res.status = fault_cause;
  res.error = true;
  return res;
}

PacketResult Device::Impl::dma_copy(QueueState& q, ContextSpace& space,
                                    const t1_dma_copy_packet& p, uint64_t index) {
  if ((p.flags & ~T1_DMA_FLAGS_VALID) || p.reserved0 || p.reserved1[0] || p.reserved1[1])
    return fail(q, index, T1_FAULT_BAD_PACKET, 0, p.dst);
  const bool peer = p.flags & T1_DMA_FLAG_PEER;
  Device::Impl* target = this;
  int link = -1;
  if (peer) {
    if (!fabric || p.peer_device >= fabric->size() || p.peer_device == this->index)
      return fail(q, index, T1_FAULT_BAD_PACKET, 0, p.dst);
    link = fabric->link_between(this->index, p.peer_device);
    if (link < 0) return fail(q, index, T1_FAULT_BAD_PACKET, 0, p.dst);
    target = &fabric->device(p.peer_device).impl();
  }
  ContextSpace peer_space(target->mmu, p.peer_context);
  ContextSpace& dst_space = peer ? peer_space : space;

  uint64_t done = 0;
  while (done < p.size) {
    uint64_t ns, nd;
    uint32_t cause;
    uint8_t* s = map_chunk(space, p.src + done, T1_ACCESS_READ, p.size - done, ns, cause);
    if (!s) return fail(q, index, cause, T1_ACCESS_READ, p.src + done);
    uint8_t* d = map_chunk(dst_space, p.dst + done, T1_ACCESS_WRITE, ns, nd, cause);
    if (!d) return fail(q, index, cause, T1_ACCESS_WRITE, p.dst + done);
    std::memmove(d, s, nd);
    done += nd;
  }
  if (peer) {
    // Link model: transfers on a link are serialised; each takes latency +
    // size / bandwidth. The completion waits for the modelled arrival.
    Link& l = *links[static_cast<size_t>(link)];
    const int64_t cost = int64_t{cfg.link_latency_ns} +
                         static_cast<int64_t>(p.size * 1000 / std::max<uint32_t>(1, cfg.link_bandwidth_mbps));
    int64_t end;
    {
      std::lock_guard lock(l.mu);
      const int64_t begin = std::max(host_ns(), l.busy_until);
      end = begin + cost;
      l.busy_until = end;
    }
    regs.add64(T1_REG_LINK(static_cast<uint32_t>(link)) + T1_LREG_BYTES_TX, p.size);
    const int back = fabric->link_between(p.peer_device, this->index);
    if (back >= 0)
      target->regs.add64(T1_REG_LINK(static_cast<uint32_t>(back)) + T1_LREG_BYTES_RX, p.size);
    if (cfg.deterministic)
      tick(static_cast<uint64_t>(cost));
    else if (cfg.model_link_time)
      std::this_thread::sleep_for(std::chrono::nanoseconds(end - host_ns()));
  }
  return {};
}

PacketResult Device::Impl::dma_fill(QueueState& q, ContextSpace& space,
                                    const t1_dma_fill_packet& p, uint64_t index) {
  const uint32_t w = p.width;
  if ((w != 1 && w != 2 && w != 4) || (p.dst % w) || (p.size % w) || p.reserved[0] ||
      p.reserved[1] || p.reserved[2] || p.reserved[3])
    return fail(q, index, T1_FAULT_BAD_PACKET, 0, p.dst);
  // One page of the pattern; chunks start at w-aligned addresses, so the
  // pattern's phase is the same in every chunk.
  alignas(8) uint8_t pattern[kPageSize];
  for (uint64_t i = 0; i < kPageSize; i += w) std::memcpy(pattern + i, &p.pattern, w);
  uint64_t done = 0;
  while (done < p.size) {
    uint64_t n;
    uint32_t cause;
    uint8_t* d = map_chunk(space, p.dst + done, T1_ACCESS_WRITE, p.size - done, n, cause);
    if (!d) return fail(q, index, cause, T1_ACCESS_WRITE, p.dst + done);
    if (w == 1) {
      std::memset(d, static_cast<uint8_t>(p.pattern), n);
    } else {
      for (uint64_t off = 0; off < n; off += kPageSize) std::memcpy(d + off, pattern, std::min(kPageSize, n - off));
    }
    done += n;
  }
  return {};
}

PacketResult Device::Impl::barrier_and(QueueState& q, ContextSpace& space,
                                       const t1_barrier_and_packet& p, uint64_t index,
                                       uint64_t epoch) {
  if (p.reserved0 || p.reserved1 || p.reserved2) return fail(q, index, T1_FAULT_BAD_PACKET, 0, 0);
  SignalRef deps[T1_BARRIER_AND_SIGNALS];
  int n = 0;
  for (uint64_t va : p.dep_signal) {
    if (!va) continue;
    uint32_t cause;
    uint64_t bad;
    if (!map_signal(space, va, deps[n], cause, bad))
      return fail(q, index, cause == T1_FAULT_BAD_PACKET ? cause : T1_FAULT_QUEUE_MEMORY,
                  T1_ACCESS_READ, bad);
    ++n;
  }
  // Counted from before the first look at the signals, so a completion that
  // races with that look still notifies cv.
  barrier_waiters.fetch_add(1, std::memory_order_acq_rel);
  struct Uncount {
    std::atomic<int>& n;
    ~Uncount() { n.fetch_sub(1, std::memory_order_acq_rel); }
  } uncount{barrier_waiters};
  std::unique_lock lock(mu);
  for (;;) {
    bool done = true;
    uint32_t status = T1_SIGNAL_STATUS_OK;
    for (int i = 0; i < n; ++i) {
      if (signal_value(deps[i]) > 0) {
        done = false;
        break;
      }
      const uint32_t s = aref<uint32_t>(deps[i].field[1]).load(std::memory_order_acquire);
      if (s && !status) status = s;
    }
    if (done) {
      PacketResult r;
      r.status = status;  // errors propagate along dependency chains
      return r;
    }
    if (!queue_live(q, epoch)) {
      PacketResult r;
      r.status = T1_FAULT_ABORTED;
      r.write_signal = !q.reset_abort;
      return r;
    }
    // Signals may be written by the host or another chip without any
    // notification, so poll as well.
    cv.wait_for(lock, std::chrono::milliseconds(1));
  }
}

PacketResult Device::Impl::signal_op(QueueState& q, ContextSpace& space, const t1_signal_packet& p,
                                     uint64_t index) {
  if (p.op >= T1_SIGNAL_OP_COUNT || p.reserved0 || p.reserved1[0] || p.reserved1[1] ||
      p.reserved1[2] || p.reserved1[3])
    return fail(q, index, T1_FAULT_BAD_PACKET, 0, p.signal);
  SignalRef s;
  uint32_t cause;
  uint64_t bad;
  if (!map_signal(space, p.signal, s, cause, bad))
    return fail(q, index, cause, T1_ACCESS_READ | T1_ACCESS_WRITE, bad);
  auto v = aref<int64_t>(s.field[0]);
  switch (p.op) {
    case T1_SIGNAL_OP_WRITE: v.store(p.value, std::memory_order_release); break;
    case T1_SIGNAL_OP_ADD: v.fetch_add(p.value, std::memory_order_acq_rel); break;
    case T1_SIGNAL_OP_SUB: v.fetch_sub(p.value, std::memory_order_acq_rel); break;
  }
  return {};
}

PacketResult Device::Impl::timestamp(QueueState& q, ContextSpace& space,
                                     const t1_timestamp_packet& p, uint64_t index) {
  bool reserved = p.reserved0 || p.reserved1;
  for (uint64_t r : p.reserved2) reserved = reserved || r;
  if ((p.dst & 7) || reserved) return fail(q, index, T1_FAULT_BAD_PACKET, 0, p.dst);
  PageRef ref;
  uint32_t cause;
  if (!space.resolve(p.dst, T1_ACCESS_WRITE, ref, cause))
    return fail(q, index, cause, T1_ACCESS_WRITE, p.dst);
  aref<uint64_t>(ref.host + (p.dst & kPageMask)).store(now_ns(), std::memory_order_release);
  return {};
}

}  // namespace tessera::emu
