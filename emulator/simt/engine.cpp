// SPDX-License-Identifier: Apache-2.0
// Dispatch scheduling: blocks go to free tiles; tiles run on a pool of host
// threads. In deterministic mode one host thread runs block b on tile
// b % tiles in block order, so results are identical run after run.
#include "engine.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "block.hpp"
#include "code_cache.hpp"
#include "exec_context.hpp"

namespace tessera::emu {

const char* fault_cause_name(uint32_t cause) {
  switch (cause) {
    case T1_FAULT_NONE: return "no fault";
    case T1_FAULT_UNMAPPED: return "unmapped address";
    case T1_FAULT_PERMISSION: return "permission violation";
    case T1_FAULT_MISALIGNED: return "misaligned access";
    case T1_FAULT_SHARED_BOUNDS: return "shared memory access out of bounds";
    case T1_FAULT_ILLEGAL_INSN: return "illegal instruction";
    case T1_FAULT_BREAKPOINT: return "breakpoint (ebreak)";
    case T1_FAULT_ECALL: return "ecall in a kernel";
    case T1_FAULT_BAD_PAGE_TABLE: return "malformed page table";
    case T1_FAULT_PHYS_RANGE: return "physical address out of range";
    case T1_FAULT_BARRIER: return "barrier or warp-sync deadlock";
    case T1_FAULT_WATCHDOG: return "watchdog timeout";
    case T1_FAULT_BAD_PACKET: return "malformed packet";
    case T1_FAULT_QUEUE_MEMORY: return "queue memory not reachable";
    case T1_FAULT_ABORTED: return "aborted";
    default: return "unknown fault";
  }
}

const char* access_kind_name(uint8_t access) {
  switch (access) {
    case T1_ACCESS_READ: return "read";
    case T1_ACCESS_WRITE: return "write";
    case T1_ACCESS_READ | T1_ACCESS_WRITE: return "atomic read-modify-write";
    case T1_ACCESS_EXEC: return "instruction fetch";
    default: return nullptr;
  }
}

std::string FaultInfo::describe() const {
  char buf[384];
  const char* acc = access_kind_name(access);
  int n = std::snprintf(buf, sizeof buf, "%s", fault_cause_name(cause));
  if (acc && cause != T1_FAULT_ILLEGAL_INSN)
    n += std::snprintf(buf + n, sizeof buf - n, " (%s of 0x%llx)", acc,
                       static_cast<unsigned long long>(address));
  n += std::snprintf(buf + n, sizeof buf - n, " at pc 0x%llx", static_cast<unsigned long long>(pc));
  if (raw_insn) n += std::snprintf(buf + n, sizeof buf - n, " [insn 0x%08x]", raw_insn);
  std::snprintf(buf + n, sizeof buf - n,
                ", block (%u,%u,%u) thread (%u,%u,%u), tile %u warp %u lane %u", block.x, block.y,
                block.z, thread.x, thread.y, thread.z, tile, warp, lane);
  return buf;
}

// ---------------------------------------------------------------------------
// One dispatch in flight: blocks are claimed through an atomic counter.
struct Job {
  const KernelLaunch* launch = nullptr;
  AddressSpace* mem = nullptr;
  CodeCache* code = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  uint64_t nblocks = 0;
  std::atomic<uint64_t> next{0};
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> thread_insns{0}, warp_insns{0};
  std::mutex fault_mutex;
  FaultInfo fault;
  // Participants still working (the caller waits for zero).
  std::mutex done_mutex;
  std::condition_variable done_cv;
  unsigned active = 0;
};

struct Engine::Impl {
  EngineConfig cfg;
  std::vector<std::vector<uint8_t>> scratch;  // one scratchpad per tile

  std::mutex tile_mutex;
  std::condition_variable tile_cv;
  std::vector<bool> tile_busy;
  std::atomic<unsigned> tile_waiters{0};  // participants waiting for a tile

  std::mutex queue_mutex;
  std::condition_variable queue_cv;
  std::deque<Job*> jobs;
  bool shutdown = false;
  std::vector<std::thread> workers;
  DecodedPageStore decoded;  // code decoded by earlier dispatches

  explicit Impl(const EngineConfig& c) : cfg(c) {
    scratch.resize(cfg.tiles, std::vector<uint8_t>(cfg.scratchpad_bytes));
    tile_busy.resize(cfg.tiles, false);
    unsigned threads = cfg.deterministic ? 1 : cfg.host_threads;
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min(threads, cfg.tiles);
    // The thread calling run() works too, so start one fewer.
    for (unsigned i = 1; i < threads; ++i) workers.emplace_back([this] { worker_loop(); });
  }

  ~Impl() {
    {
      std::lock_guard<std::mutex> lock(queue_mutex);
      shutdown = true;
    }
    queue_cv.notify_all();
    for (auto& t : workers) t.join();
  }

  unsigned acquire_tile() {
    std::unique_lock<std::mutex> lock(tile_mutex);
    for (;;) {
      for (unsigned t = 0; t < cfg.tiles; ++t)
        if (!tile_busy[t]) {
          tile_busy[t] = true;
          return t;
        }
      tile_waiters.fetch_add(1);
      tile_cv.wait(lock);
      tile_waiters.fetch_sub(1);
    }
  }

  void release_tile(unsigned t) {
    {
      std::lock_guard<std::mutex> lock(tile_mutex);
      tile_busy[t] = false;
    }
    tile_cv.notify_one();
  }

  void worker_loop() {
    for (;;) {
      Job* job = nullptr;
      {
        std::unique_lock<std::mutex> lock(queue_mutex);
        queue_cv.wait(lock, [&] { return shutdown || !jobs.empty(); });
        if (shutdown) return;
        job = jobs.front();
        // Drop jobs with no blocks left to claim.
        if (job->next.load() >= job->nblocks || job->stop.load()) {
          jobs.pop_front();
          continue;
        }
        std::lock_guard<std::mutex> dl(job->done_mutex);
        ++job->active;
      }
      work(*job);
      finish(*job);
    }
  }

  void finish(Job& job) {
    std::lock_guard<std::mutex> lock(job.done_mutex);
    if (--job.active == 0) job.done_cv.notify_all();
  }

  void record_fault(Job& job, const FaultInfo& f) {
    std::lock_guard<std::mutex> lock(job.fault_mutex);
    if (job.fault.cause == T1_FAULT_NONE) job.fault = f;
    job.stop.store(true);
  }

  // The dispatch was cancelled (reset, queue disable, watchdog).
  void record_abort(Job& job) {
    FaultInfo f;
    f.cause = T1_FAULT_ABORTED;
    record_fault(job, f);
  }

  // Claims and runs blocks of `job` until none remain.
  void work(Job& job) {
    const KernelLaunch& L = *job.launch;
    thread_local ExecContext ctx;
    ctx.reset_for_dispatch();
    ctx.mem = job.mem;
    ctx.code = job.code;
    ctx.stop = &job.stop;
    ctx.cancel = job.cancel;
    ctx.grid_dim = L.grid;
    ctx.device_id = cfg.device_id;
    ctx.clock = cfg.clock ? &cfg.clock : nullptr;
    ctx.shared_bytes = L.shared_bytes;
    ctx.dynshared = T1_SHARED_APERTURE_BASE + L.dynshared_offset;
    // A participant keeps the tile it took for the blocks it claims in this
    // dispatch (taking and returning a tile per block costs a contended lock
    // per block on short kernels), unless another participant waits for one.
    unsigned held = kNoTile;
    run_blocks(job, ctx, held);
    if (held != kNoTile) release_tile(held);
  }

  static constexpr unsigned kNoTile = ~0u;

  void run_blocks(Job& job, ExecContext& ctx, unsigned& held) {
    thread_local BlockRunner runner;
    const KernelLaunch& L = *job.launch;
    for (;;) {
      if (job.stop.load(std::memory_order_relaxed)) return;
      if (job.cancel && job.cancel->load(std::memory_order_relaxed)) return record_abort(job);
      const uint64_t b = job.next.fetch_add(1);
      if (b >= job.nblocks) return;
      unsigned tile;
      if (cfg.deterministic) {
        tile = static_cast<unsigned>(b % cfg.tiles);
      } else {
        if (held == kNoTile) held = acquire_tile();
        tile = held;
      }
      ctx.tile = tile;
      ctx.scratch = scratch[tile].data();
      // Shared memory starts zeroed: no data leaks from the previous block.
      std::memset(ctx.scratch, 0, L.shared_bytes);
      ctx.fault = FaultInfo{};
      // The TLB stays valid from block to block: they share the dispatch's
      // address space (page-table changes take effect at the next dispatch).

      BlockSetup s;
      s.block_dim = L.block;
      s.grid_dim = L.grid;
      s.block_idx = Dim3{static_cast<uint32_t>(b % L.grid.x),
                         static_cast<uint32_t>((b / L.grid.x) % L.grid.y),
                         static_cast<uint32_t>(b / (uint64_t{L.grid.x} * L.grid.y))};
      s.entry = L.entry;
      s.a0 = L.kernarg;
      s.stack_size = L.stack_size;
      s.stack_top_base = L.stack_base + uint64_t{tile} * cfg.threads_per_tile * L.stack_size;
      const BlockOutcome o = runner.run(ctx, s);
      // Hand the tile back between blocks when someone waits for one, so a
      // long dispatch cannot keep another queue's dispatch off every tile.
      if (held != kNoTile && tile_waiters.load(std::memory_order_relaxed)) {
        release_tile(held);
        held = kNoTile;
      }
      job.thread_insns.fetch_add(o.thread_instructions, std::memory_order_relaxed);
      job.warp_insns.fetch_add(o.warp_instructions, std::memory_order_relaxed);
      if (!o.ok) {
        if (ctx.faulted()) {
          record_fault(job, ctx.fault);
        } else if (job.cancel && job.cancel->load()) {
          record_abort(job);
        }
        return;
      }
    }
  }
};

Engine::Engine(const EngineConfig& config) : impl_(std::make_unique<Impl>(config)) {}
Engine::~Engine() = default;

const EngineConfig& Engine::config() const { return impl_->cfg; }

DispatchResult Engine::run(const KernelLaunch& launch, AddressSpace& mem,
                           const std::atomic<bool>* cancel) {
  DispatchResult result;
  const EngineConfig& cfg = impl_->cfg;
  auto bad = [&](uint32_t cause) {
    result.ok = false;
    result.fault.cause = cause;
    result.fault.pc = launch.entry;
    return result;
  };
  const uint64_t threads = launch.block.count();
  // x*y fits in 64 bits; the block count must too (grids of up to 2^96
  // blocks are expressible in a packet).
  const uint64_t grid_xy = uint64_t{launch.grid.x} * launch.grid.y;
  if (launch.grid.z && grid_xy > UINT64_MAX / launch.grid.z) return bad(T1_FAULT_BAD_PACKET);
  if (threads == 0 || threads > cfg.threads_per_tile || launch.grid.count() == 0 ||
      launch.shared_bytes > cfg.scratchpad_bytes || launch.dynshared_offset > launch.shared_bytes ||
      (launch.stack_size & 15) != 0)
    return bad(T1_FAULT_BAD_PACKET);

  CodeCache code(mem, &impl_->decoded);
  Job job;
  job.launch = &launch;
  job.mem = &mem;
  job.code = &code;
  job.cancel = cancel;
  job.nblocks = launch.grid.count();
  job.active = 1;  // this thread
  if (!impl_->workers.empty() && job.nblocks > 1) {
    {
      std::lock_guard<std::mutex> lock(impl_->queue_mutex);
      impl_->jobs.push_back(&job);
    }
    impl_->queue_cv.notify_all();
  }
  impl_->work(job);
  // No new participant may join once this job leaves the queue.
  {
    std::lock_guard<std::mutex> lock(impl_->queue_mutex);
    auto& q = impl_->jobs;
    q.erase(std::remove(q.begin(), q.end(), &job), q.end());
  }
  impl_->finish(job);
  {
    std::unique_lock<std::mutex> lock(job.done_mutex);
    job.done_cv.wait(lock, [&] { return job.active == 0; });
  }
  result.thread_instructions = job.thread_insns.load();
  result.warp_instructions = job.warp_insns.load();
  if (job.fault.cause != T1_FAULT_NONE) {
    result.ok = false;
    result.fault = job.fault;
  }
  return result;
}

BareResult Engine::run_bare(AddressSpace& mem, uint64_t entry, uint64_t sp, BareHost& host,
                            const std::function<void(const TraceRecord&)>* trace,
                            uint64_t max_instructions) {
  BareResult result;
  CodeCache code(mem);
  ExecContext ctx;
  ctx.mem = &mem;
  ctx.code = &code;
  ctx.hooks.host = &host;
  ctx.hooks.trace = trace;
  BlockSetup s;
  s.entry = entry;
  s.use_fixed_sp = true;
  s.fixed_sp = sp;
  s.max_instructions = max_instructions;
  BlockRunner runner;
  const BlockOutcome o = runner.run(ctx, s);
  result.instructions = o.thread_instructions;
  result.exited = ctx.hooks.exited;
  result.exit_code = ctx.hooks.exit_code;
  if (!o.ok) result.fault = ctx.fault;
  if (!result.exited && result.fault.cause == T1_FAULT_NONE) {
    // Every thread ended with t.exit rather than the exit call.
    result.exited = true;
  }
  return result;
}

}  // namespace tessera::emu
