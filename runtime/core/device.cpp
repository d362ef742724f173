// SPDX-License-Identifier: Apache-2.0
// DeviceState: one visible device's queues, streams, submission with the
// legacy default stream's implicit dependencies, waiting, the host-task
// worker, and reset.
#include <atomic>
#include <chrono>
#include <unordered_map>

#include "core/runtime.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#define TESSERA_CPU_RELAX() _mm_pause()
#else
#define TESSERA_CPU_RELAX() ((void)0)
#endif

namespace tessera::rt {
namespace {

constexpr uint32_t kRingPackets = 1024;

// Stream priorities as in CUDA: 0 is the least, kGreatestPriority the
// greatest; the queue's PRIORITY register gets 0, 5, 10, 15.
constexpr int kGreatestPriority = -3;
uint32_t hw_priority(int p) { return static_cast<uint32_t>(-p * 5); }

bool blocking(const tsStream* s) { return !s->legacy && !(s->flags & tsStreamNonBlocking); }

}  // namespace

DeviceState::DeviceState(Runtime& rt, int ordinal, hal::Device& hw, ProgressNotifier& notifier)
    : rt_(rt), ordinal_(ordinal), hw_(hw), notifier_(notifier) {
  start();
}

DeviceState::~DeviceState() { stop(); }

void DeviceState::start() {
  hw_.set_event_handler([this] { notifier_.notify(); });
  pool_ = HostPool::create(hw_);
  legacy_ = std::make_unique<tsStream>();
  legacy_->dev = this;
  legacy_->legacy = true;
  legacy_->queue = acquire_queue(0);
  if (!legacy_->queue) throw std::runtime_error("the device has no hardware queue");
  worker_stop_ = false;
  worker_ = std::thread([this] { worker_main(); });
}

void DeviceState::stop() {
  {
    std::lock_guard lock(task_mu_);
    worker_stop_ = true;
  }
  task_cv_.notify_all();
  notifier_.notify();
  if (worker_.joinable()) worker_.join();
  // Barriers waiting for host tasks never run now; their queues go below.
  tasks_.clear();
  for (tsStream* s : streams) {
    rt_.remove_handle(s);
    delete s;
  }
  streams.clear();
  for (tsEvent* e : events) {
    rt_.remove_handle(e);
    delete e;
  }
  events.clear();
  for (tsModule* m : modules) {
    for (auto& f : m->functions) rt_.remove_handle(f.get());
    rt_.remove_handle(m);
    delete m;
  }
  modules.clear();
  legacy_.reset();
  queues_.clear();  // disables the queues: running work is aborted
  stack_.reset();
  allocations.clear();
}

// ---- queues and streams ---------------------------------------------------

HwQueue* DeviceState::acquire_queue(int priority) {
  if (priority > 0) priority = 0;
  if (priority < kGreatestPriority) priority = kGreatestPriority;
  for (auto& q : queues_)
    if (q->users == 0 && q->priority() == priority) {
      q->users++;
      return q.get();
    }
  if (queues_.size() < hw_.queue_limit()) {
    if (auto hq = hw_.create_queue(kRingPackets, hw_priority(priority))) {
      queues_.push_back(std::make_unique<HwQueue>(*this, std::move(hq), priority));
      queues_.back()->users++;
      return queues_.back().get();
    }
  }
  // Every queue is taken: share the least used one of that priority (or
  // any). Streams on one queue are serialized with each other.
  HwQueue* best = nullptr;
  for (auto& q : queues_)
    if (!best || (q->priority() == priority && best->priority() != priority) ||
        (q->priority() == best->priority() && q->users < best->users))
      best = q.get();
  if (best) best->users++;
  return best;
}

void DeviceState::release_queue(HwQueue* q) {
  if (q) q->users--;
}

tsStream* DeviceState::per_thread_stream() {
  struct Entry {
    uint64_t generation;
    tsStream* stream;
  };
  thread_local std::unordered_map<const DeviceState*, Entry> mine;
  std::lock_guard lock(mu);
  auto it = mine.find(this);
  if (it != mine.end() && it->second.generation == generation_) return it->second.stream;
  auto s = std::make_unique<tsStream>();
  s->dev = this;
  s->per_thread = true;
  s->queue = acquire_queue(0);
  tsStream* raw = s.release();
  streams.push_back(raw);
  mine[this] = {generation_, raw};
  return raw;
}

// ---- submission -----------------------------------------------------------

CommandPtr DeviceState::new_command(What what) {
  auto c = std::make_shared<Command>();
  c->signal = pool_->get(T1_SIGNAL_SIZE);
  c->what = std::move(what);
  return c;
}

void DeviceState::note_failure(tsStream* s) {
  if (s->error == tsSuccess && s->last && s->last->state.load(std::memory_order_acquire) == Command::kFailed) {
    s->error = s->last->error;
    s->error_message = s->last->message;
  }
}

void DeviceState::require_ok(tsStream* s) {
  note_failure(s);
  if (s->error != tsSuccess)
    fail(s->error, s->error_message + " [the stream stays in this error until it is destroyed or the device is reset]");
}

bool DeviceState::stream_idle(tsStream* s) {
  auto done = [](const CommandPtr& c) { return !c || poll(c); };
  if (!done(s->last)) return false;
  if (s->legacy) {
    for (tsStream* t : streams)
      if (blocking(t) && !done(t->last)) return false;
  } else if (blocking(s)) {
    if (!done(legacy_->last)) return false;
  }
  return true;
}

void DeviceState::add_implicit_deps(tsStream* s) {
  std::vector<CommandPtr> deps;
  auto wanted = [&](const CommandPtr& c, HwQueue* q) {
    return c && q != s->queue && !c->finished();
  };
  if (s->legacy) {
    // The legacy default stream waits for all earlier work of every
    // blocking stream.
    for (tsStream* t : streams)
      if (blocking(t) && wanted(t->last, t->queue)) deps.push_back(t->last);
  } else if (blocking(s)) {
    // A blocking stream waits for earlier work of the legacy stream.
    const CommandPtr& l = legacy_->last;
    if (l && l != s->legacy_seen && wanted(l, legacy_->queue)) deps.push_back(l);
    s->legacy_seen = l;
  }
  if (!deps.empty()) submit_wait(s, std::move(deps));
}

void DeviceState::submit_raw(tsStream* s, t1_packet pkt, const CommandPtr& cmd) {
  s->queue->submit(pkt, cmd);
  s->last = cmd;
}

CommandPtr DeviceState::submit(tsStream* s, t1_packet pkt, What what,
                               std::vector<std::shared_ptr<void>> keep,
                               std::shared_ptr<ModuleImage> module) {
  require_ok(s);
  add_implicit_deps(s);
  CommandPtr cmd = new_command(std::move(what));
  cmd->keep = std::move(keep);
  cmd->module = std::move(module);
  submit_raw(s, pkt, cmd);
  return cmd;
}

CommandPtr DeviceState::submit_marker(tsStream* s, What what) {
  t1_packet pkt{};
  pkt.barrier_and.header = T1_PKT_TYPE_BARRIER_AND;
  CommandPtr c = submit(s, pkt, std::move(what));
  c->ignore_status = true;
  return c;
}

void DeviceState::submit_wait(tsStream* s, std::vector<CommandPtr> deps) {
  require_ok(s);
  for (size_t i = 0; i < deps.size(); i += T1_BARRIER_AND_SIGNALS) {
    t1_packet pkt{};
    pkt.barrier_and.header = T1_PKT_TYPE_BARRIER_AND;
    static const What kWait = describe("wait for other streams");
    CommandPtr cmd = new_command(kWait);
    cmd->ignore_status = true;  // an input's failure is reported by its own stream
    for (size_t j = 0; j < T1_BARRIER_AND_SIGNALS && i + j < deps.size(); ++j) {
      pkt.barrier_and.dep_signal[j] = deps[i + j]->signal.va();
      cmd->keep.push_back(deps[i + j]);  // its signal must outlive this barrier
    }
    submit_raw(s, pkt, cmd);
  }
}

void DeviceState::submit_host_task(tsStream* s, CommandPtr after, bool use_stream_tail,
                                   std::function<void()> fn, What what) {
  require_ok(s);
  add_implicit_deps(s);
  if (use_stream_tail) after = s->last;
  PoolBlock release = pool_->get(T1_SIGNAL_SIZE);
  std::atomic_ref<int64_t>(reinterpret_cast<t1_signal*>(release.host)->value).store(1, std::memory_order_release);
  t1_packet pkt{};
  pkt.barrier_and.header = T1_PKT_TYPE_BARRIER_AND;
  pkt.barrier_and.dep_signal[0] = release.va();
  CommandPtr cmd = new_command(std::move(what));
  cmd->ignore_status = true;
  cmd->keep.push_back(release.owner);
  {
    std::lock_guard lock(task_mu_);
    tasks_.push_back(HostTask{std::move(after), std::move(fn), release, s->queue});
  }
  submit_raw(s, pkt, cmd);
  task_cv_.notify_all();
}

void DeviceState::worker_main() {
  std::unique_lock lock(task_mu_);
  while (!worker_stop_) {
    const uint64_t gen = notifier_.generation();
    bool ran = false;
    for (auto it = tasks_.begin(); it != tasks_.end(); ++it) {
      if (it->after && !poll(it->after) && !signal_done(*it->after)) continue;
      HostTask task = std::move(*it);
      tasks_.erase(it);
      lock.unlock();
      // A host function after failed work does not run; the stream reports
      // the failure.
      if (task.fn && (!task.after || completed_ok(*task.after))) task.fn();
      std::atomic_ref<int64_t>(reinterpret_cast<t1_signal*>(task.release.host)->value)
          .store(0, std::memory_order_release);
      task.queue->kick();
      lock.lock();
      ran = true;
      break;
    }
    if (ran) continue;
    if (tasks_.empty()) {
      task_cv_.wait(lock, [&] { return worker_stop_ || !tasks_.empty(); });
    } else {
      std::vector<DeviceState*> devices;
      for (const HostTask& t : tasks_)
        if (t.after && t.after->queue) devices.push_back(&t.after->queue->device());
      lock.unlock();
      for (DeviceState* d : devices) d->hw().arm_completion_event();
      notifier_.wait(gen, std::chrono::milliseconds(1));
      lock.lock();
    }
  }
}

// ---- waiting --------------------------------------------------------------

bool DeviceState::poll(const CommandPtr& c) {
  if (c->finished()) return true;
  if (c->queue) c->queue->progress();
  return c->finished();
}

bool DeviceState::signal_done(const Command& c) {
  return std::atomic_ref<int64_t>(c.sig()->value).load(std::memory_order_acquire) <= 0;
}

bool DeviceState::completed_ok(const Command& c) {
  const int st = c.state.load(std::memory_order_acquire);
  if (st != Command::kPending) return st == Command::kDone;
  // Completed but not retired yet (another thread is retiring): the
  // signal says how it went.
  return std::atomic_ref<int64_t>(c.sig()->value).load(std::memory_order_acquire) <= 0 &&
         (c.ignore_status || std::atomic_ref<uint32_t>(c.sig()->status).load(std::memory_order_acquire) == 0);
}

void DeviceState::wait(const CommandPtr& c) {
  // 1. Spin on the signal itself: a small kernel completes in microseconds.
  //    Retiring (which also notices a stopped queue) happens every so often
  //    and whenever the signal is done.
  for (int i = 0; i < 20000; ++i) {
    if ((c->finished() || signal_done(*c) || (i & 255) == 255) && poll(c)) return;
    TESSERA_CPU_RELAX();
  }
  if (!c->queue) {
    while (!c->finished()) std::this_thread::yield();
    return;
  }
  // 2. Yield while the queue keeps taking packets (a stream of short
  //    commands ahead of ours), 3. then sleep until the device's next
  //    completion interrupt.
  HwQueue& q = *c->queue;
  uint64_t seen = q.device_read_index();
  auto last_move = std::chrono::steady_clock::now();
  unsigned rounds = 0;
  for (;;) {
    if (poll(c)) return;
    const uint64_t ri = q.device_read_index();
    const auto now = std::chrono::steady_clock::now();
    if (ri != seen) {
      seen = ri;
      last_move = now;
    }
    if (now - last_move < std::chrono::microseconds(200)) {
      // Mostly spin: a yield is a system call, and on a machine with a
      // core to spare it only slows the queue's thread down.
      for (int i = 0; i < 64 && !signal_done(*c); ++i) TESSERA_CPU_RELAX();
      if ((++rounds & 15) == 0) std::this_thread::yield();
      continue;
    }
    const uint64_t gen = notifier_.generation();
    q.device().hw().arm_completion_event();
    if (poll(c)) return;
    notifier_.wait(gen, std::chrono::milliseconds(2));
    last_move = std::chrono::steady_clock::now();
  }
}

void DeviceState::drain() {
  std::vector<CommandPtr> pending;
  {
    std::lock_guard lock(mu);
    for (auto& q : queues_)
      if (CommandPtr c = q->tail()) pending.push_back(std::move(c));
  }
  for (auto& c : pending) wait(c);
}

tsError_t DeviceState::synchronize(std::string& message) {
  drain();
  std::lock_guard lock(mu);
  std::vector<tsStream*> all(streams);
  all.push_back(legacy_.get());
  for (tsStream* s : all) {
    note_failure(s);
    if (s->error != tsSuccess && !s->reported_to_device) {
      s->reported_to_device = true;
      message = s->error_message;
      return s->error;
    }
  }
  return tsSuccess;
}

// ---- memory ---------------------------------------------------------------

const DeviceAllocation* DeviceState::find_allocation(uint64_t va) const {
  auto it = allocations.upper_bound(va);
  if (it == allocations.begin()) return nullptr;
  --it;
  if (va >= it->first + std::max<uint64_t>(it->second.size, 1)) return nullptr;
  return &it->second;
}

std::optional<DeviceState::Range> DeviceState::find_range(uint64_t va) const {
  if (const DeviceAllocation* a = find_allocation(va)) return Range{a->alloc.va, a->size, a->alloc.host, false};
  for (const tsModule* m : modules) {
    const auto& img = *m->image;
    if (va >= img.alloc.va && va - img.alloc.va < img.image.size)
      return Range{img.alloc.va, img.image.size, img.alloc.host, true};
  }
  return std::nullopt;
}

std::shared_ptr<StackRegion> DeviceState::stack_for(uint32_t per_thread) {
  if (per_thread == 0) return nullptr;
  if (stack_ && stack_->per_thread >= per_thread) return stack_;
  const auto& info = hw_.info();
  auto region = std::make_shared<StackRegion>();
  const uint64_t bytes = uint64_t{info.tiles} * info.threads_per_tile * per_thread;
  if (!hw_.alloc(bytes, T1_ACCESS_READ | T1_ACCESS_WRITE, region->alloc))
    fail(tsErrorMemoryAllocation, "no device memory for the kernel stacks (" + std::to_string(bytes >> 20) +
                                      " MiB for " + std::to_string(per_thread) + " bytes per thread)");
  region->hw = &hw_;
  region->per_thread = per_thread;
  stack_ = region;  // launches still using the old region keep it alive
  return stack_;
}

// ---- faults ---------------------------------------------------------------

std::optional<t1_fault_record> DeviceState::find_fault(uint32_t queue, uint64_t index) {
  std::lock_guard lock(fault_mu);
  // The record is written before the signal, but it reaches us through the
  // interrupt handler: give it a moment.
  for (int attempt = 0; attempt < 50; ++attempt) {
    for (auto& r : hw_.take_faults()) faults.push_back(r);
    for (auto it = faults.begin(); it != faults.end(); ++it)
      if ((it->flags & T1_FAULT_FLAG_PACKET) && it->queue == queue && it->packet_index == index) {
        t1_fault_record r = *it;
        faults.erase(it);
        return r;
      }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  if (faults.size() > 256) faults.erase(faults.begin(), faults.begin() + 128);
  return std::nullopt;
}

// ---- reset ----------------------------------------------------------------

void DeviceState::reset() {
  std::lock_guard lock(mu);
  stop();
  hw_.reset();
  ++generation_;
  start();
}

}  // namespace tessera::rt
