// SPDX-License-Identifier: Apache-2.0
// The runtime's internal model, shared by the API files (api_*.cpp).
//
//   Runtime      the process-wide state: the backend, the visible devices,
//                page-locked host allocations, handle registries.
//   DeviceState  one visible device: memory, modules, streams, the pools of
//                signals and kernarg buffers, the host-task worker.
//   HwQueue      a hardware queue and the commands in flight on it.
//   Command      one submitted packet with its completion signal and the
//                resources it keeps alive until it retires.
//   tsStream / tsEvent / tsModule / tsFunction   the API's handles.
//
// Locking order: Runtime::mu -> DeviceState::mu -> HwQueue::mu -> pool
// mutexes. Nobody waits for the device while holding DeviceState::mu.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include <tessera/tessera.h>

#include "codeobj/codeobj.hpp"
#include "core/error.hpp"
#include "core/host_pool.hpp"
#include "hal/backend.hpp"

namespace tessera::rt {

class DeviceState;
class Runtime;
class HwQueue;
struct ModuleImage;

// Wakes waiters whenever any device reports progress (an interrupt), so one
// wait can cover commands of several devices.
class ProgressNotifier {
 public:
  uint64_t generation() const { return gen_.load(std::memory_order_acquire); }
  void notify() {
    {
      std::lock_guard lock(mu_);
      gen_.fetch_add(1, std::memory_order_acq_rel);
    }
    cv_.notify_all();
  }
  // Returns when the generation moved past `seen` or after `timeout`.
  void wait(uint64_t seen, std::chrono::microseconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return gen_.load(std::memory_order_acquire) != seen; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<uint64_t> gen_{0};
};

// What a command is, for messages ("kernel 'saxpy'", "copy of 4096 bytes").
// Shared, so that a launch copies a pointer instead of formatting a string.
using What = std::shared_ptr<const std::string>;
inline What describe(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

// One packet in flight and what it holds on to.
struct Command {
  enum State : int { kPending, kDone, kFailed };
  std::atomic<int> state{kPending};
  HwQueue* queue = nullptr;  // null for commands completed on the host
  uint64_t packet_index = 0;
  PoolBlock signal;          // completion signal (t1_signal)
  bool ignore_status = false;  // dependency barriers: inputs' errors are not ours
  tsError_t error = tsSuccess;  // when kFailed (written before state)
  std::string message;
  What what;
  std::shared_ptr<ModuleImage> module;  // kernels: for fault reports
  std::vector<std::shared_ptr<void>> keep;  // released when the command retires
  uint64_t start_ts = 0, end_ts = 0;

  t1_signal* sig() const { return reinterpret_cast<t1_signal*>(signal.host); }
  const std::string& what_text() const {
    static const std::string work = "work";
    return what ? *what : work;
  }
  bool finished() const { return state.load(std::memory_order_acquire) != kPending; }
};
using CommandPtr = std::shared_ptr<Command>;

// The API error for a T1_FAULT_* cause.
tsError_t error_for_cause(uint32_t cause, uint32_t access);

class HwQueue {
 public:
  HwQueue(DeviceState& dev, std::unique_ptr<hal::Queue> q, int priority)
      : dev_(dev), q_(std::move(q)), priority_(priority) {}
  ~HwQueue();
  // Submits `pkt` for `cmd` (completion signal, BARRIER and INTERRUPT bits
  // are filled in).
  void submit(t1_packet pkt, const CommandPtr& cmd);
  // Retires completed commands; detects a stopped queue and fails what it
  // abandoned, then restarts the queue.
  void progress();
  // Fails every command still in flight (reset, teardown).
  void abandon(tsError_t error, const std::string& why);
  void kick();  // re-check barriers (a host task released one)
  DeviceState& device() { return dev_; }
  uint64_t device_read_index();  // packets the device has taken
  int priority() const { return priority_; }
  int users = 0;  // streams mapped here (DeviceState::mu)
  CommandPtr tail();  // the last command in flight, or null

 private:
  DeviceState& dev_;
  std::unique_ptr<hal::Queue> q_;
  int priority_;
  std::mutex mu_;
  std::deque<CommandPtr> inflight_;
};

// A kernel stack region shared by the launches that use it.
struct StackRegion {
  hal::Device* hw = nullptr;
  hal::Allocation alloc;
  uint32_t per_thread = 0;
  ~StackRegion() {
    if (hw && alloc.size) hw->free(alloc);
  }
};

struct ModuleImage {
  hal::Device* hw = nullptr;
  hal::Allocation alloc;
  codeobj::Image image;
  std::vector<uint8_t> file;  // the code object, for line tables
  ~ModuleImage() {
    if (hw && alloc.size) hw->free(alloc);
  }
};

// A block of device memory from tsMalloc.
struct DeviceAllocation {
  hal::Allocation alloc;
  uint64_t size = 0;  // as asked
};

class DeviceState {
 public:
  DeviceState(Runtime& rt, int ordinal, hal::Device& hw, ProgressNotifier& notifier);
  ~DeviceState();

  int ordinal() const { return ordinal_; }
  hal::Device& hw() { return hw_; }
  const hal::Device& hw() const { return hw_; }
  ProgressNotifier& notifier() { return notifier_; }
  std::mutex mu;

  // ---- streams --------------------------------------------------------
  tsStream* legacy_stream() { return legacy_.get(); }
  tsStream* per_thread_stream();  // this host thread's, created on demand
  // A queue for a new stream (shared when the device has no free queue).
  HwQueue* acquire_queue(int priority);
  void release_queue(HwQueue* q);
  std::vector<tsStream*> streams;  // every stream of this device (mu)

  // ---- submission (caller holds mu) ------------------------------------
  CommandPtr new_command(What what);
  // Submits `pkt` on stream `s` after the dependencies the stream's kind
  // requires (legacy default stream). Throws ApiError when the stream is in
  // error.
  CommandPtr submit(tsStream* s, t1_packet pkt, What what,
                    std::vector<std::shared_ptr<void>> keep = {},
                    std::shared_ptr<ModuleImage> module = nullptr);
  // A no-op packet that completes when everything before it on `s` has.
  CommandPtr submit_marker(tsStream* s, What what);
  // A BARRIER_AND on `s` that waits for commands of any queue of this
  // device (up to T1_BARRIER_AND_SIGNALS per packet; chained).
  void submit_wait(tsStream* s, std::vector<CommandPtr> deps);
  // A barrier on `s` released by the host-task worker once `after` (a
  // command of any device; the stream's own tail when use_stream_tail)
  // has completed and `fn` (may be empty) has run.
  void submit_host_task(tsStream* s, CommandPtr after, bool use_stream_tail,
                        std::function<void()> fn, What what);
  // Updates the stream's sticky error from its last command; throws it.
  void require_ok(tsStream* s);
  // Takes the failure of the stream's last command (if any) as its sticky
  // error. Caller holds mu.
  static void note_failure(tsStream* s);
  // True when everything work on `s` would wait for (its own commands and
  // the legacy stream's implicit dependencies) has completed.
  bool stream_idle(tsStream* s);

  // ---- waiting (caller holds no lock) ----------------------------------
  void wait(const CommandPtr& c);
  static bool poll(const CommandPtr& c);  // retires what it can; true when finished
  // Completed (retired or not), and whether without error.
  static bool signal_done(const Command& c);
  static bool completed_ok(const Command& c);
  // Waits for everything submitted so far on every queue (destroyed
  // streams' work included), reporting nothing.
  void drain();
  // drain(), then returns the first stream error not yet reported through
  // the device.
  tsError_t synchronize(std::string& message);

  // ---- memory ------------------------------------------------------------
  std::map<uint64_t, DeviceAllocation> allocations;  // by VA (mu)
  const DeviceAllocation* find_allocation(uint64_t va) const;  // caller holds mu
  // Device memory containing va: a tsMalloc block or a module's image
  // (its globals). Caller holds mu.
  struct Range {
    uint64_t base = 0, size = 0;
    uint8_t* host = nullptr;  // CPU view of base
    bool module = false;
  };
  std::optional<Range> find_range(uint64_t va) const;
  std::shared_ptr<StackRegion> stack_for(uint32_t per_thread);  // caller holds mu
  HostPool& pool() { return *pool_; }

  // ---- modules --------------------------------------------------------
  // Kernel and line for a PC, for fault messages.
  std::string describe_pc(const ModuleImage* m, uint64_t pc) const;
  std::string fault_message(const Command& c, uint32_t cause, const t1_fault_record* rec);
  std::vector<t1_fault_record> faults;  // taken from the backend, not yet matched (fault_mu)
  std::mutex fault_mu;
  std::optional<t1_fault_record> find_fault(uint32_t queue, uint64_t index);

  // ---- peers ----------------------------------------------------------
  std::vector<bool> peer_enabled;  // by visible ordinal (mu)

  // Handles owned by this device, destroyed by a reset (mu).
  std::vector<tsModule*> modules;
  std::vector<tsEvent*> events;

  // Tears everything down and resets the chip (tsDeviceReset). Handles of
  // the device become invalid.
  void reset();

 private:
  void start();
  void stop();
  void worker_main();
  void add_implicit_deps(tsStream* s);
  void submit_raw(tsStream* s, t1_packet pkt, const CommandPtr& cmd);

  uint64_t generation_ = 0;  // bumped by reset (per-thread streams)

  Runtime& rt_;
  int ordinal_;
  hal::Device& hw_;
  ProgressNotifier& notifier_;
  std::shared_ptr<HostPool> pool_;
  std::vector<std::unique_ptr<HwQueue>> queues_;
  std::unique_ptr<tsStream> legacy_;
  std::shared_ptr<StackRegion> stack_;

  struct HostTask {
    CommandPtr after;
    std::function<void()> fn;
    PoolBlock release;  // the signal the barrier waits for
    HwQueue* queue;
  };
  std::mutex task_mu_;
  std::condition_variable task_cv_;
  std::deque<HostTask> tasks_;
  bool worker_stop_ = false;
  std::thread worker_;
};

class Runtime {
 public:
  // The process's runtime, started on first use. Throws ApiError
  // (initialization, no device) on failure — every later call repeats it.
  static Runtime& get();

  hal::Backend& backend() { return *backend_; }
  int device_count() const { return static_cast<int>(devices_.size()); }
  DeviceState& device(int ordinal);  // throws tsErrorInvalidDevice
  DeviceState& current();            // this host thread's current device
  static int& current_ordinal();

  // Which device (if any) owns the device VA `p`.
  DeviceState* owner_of(uint64_t p);

  // Page-locked host allocations (tsMallocHost): host memory mapped into
  // every device through host windows or, when the current device has no
  // host windows (the drm backend), memory of that device (`home`) mapped
  // into the process, which only that device's packets reach.
  std::mutex host_mu;
  struct HostAllocation {
    size_t size;    // as asked
    size_t mapped;  // whole pages
    DeviceState* home = nullptr;
  };
  std::map<uintptr_t, HostAllocation> host_allocations;
  // The tsMallocHost allocation containing p: its start, asked size and
  // home device (nullptr: host memory in every device's windows).
  bool find_host(const void* p, uintptr_t& base, size_t& size, DeviceState** home = nullptr);
  // After a reset of `d`: maps the host allocations into it again, and
  // forgets those that lived in its memory (gone with its context, as
  // CUDA's pinned memory goes with cudaDeviceReset).
  void restore_host_allocations(DeviceState& d);

  // Handle registries: API handles are validated before use.
  std::mutex handle_mu;
  std::unordered_set<const void*> handles;
  void add_handle(const void* h) {
    std::lock_guard lock(handle_mu);
    handles.insert(h);
  }
  void remove_handle(const void* h) {
    std::lock_guard lock(handle_mu);
    handles.erase(h);
  }
  bool valid_handle(const void* h) {
    std::lock_guard lock(handle_mu);
    return handles.count(h) != 0;
  }

  ProgressNotifier notifier;

 private:
  Runtime();
  ~Runtime();
  std::unique_ptr<hal::Backend> backend_;
  std::vector<std::unique_ptr<DeviceState>> devices_;
};

}  // namespace tessera::rt

// ---- API handles (global names: they are the C API's opaque types) ------

struct tsStream {
  tessera::rt::DeviceState* dev = nullptr;
  tessera::rt::HwQueue* queue = nullptr;
  unsigned flags = 0;
  int priority = 0;
  bool legacy = false;      // the legacy default stream
  bool per_thread = false;  // a thread's default stream
  tessera::rt::CommandPtr last;  // last submitted command (DeviceState::mu)
  tessera::rt::CommandPtr legacy_seen;  // last legacy command already waited for
  tsError_t error = tsSuccess;    // sticky, from a failed command
  std::string error_message;
  bool reported_to_device = false;
};

struct tsEvent {
  tessera::rt::DeviceState* dev = nullptr;
  unsigned flags = 0;
  tessera::rt::CommandPtr cmd;  // of the last record, null when never recorded
  std::mutex mu;
};

struct tsFunction {
  tsModule* module = nullptr;
  const tessera::codeobj::KernelInfo* kernel = nullptr;
  tessera::rt::What what;  // "kernel 'name'"
};

struct tsModule {
  tessera::rt::DeviceState* dev = nullptr;
  std::shared_ptr<tessera::rt::ModuleImage> image;
  std::vector<std::unique_ptr<tsFunction>> functions;
};

