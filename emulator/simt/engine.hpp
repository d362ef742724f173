// SPDX-License-Identifier: Apache-2.0
// The SIMT engine: runs kernel dispatches on the tiles of one device, and
// bare single-thread programs for `tessera-emu run`.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "address_space.hpp"

namespace tessera::emu {

struct Dim3 {
  uint32_t x = 1, y = 1, z = 1;
  uint64_t count() const { return uint64_t{x} * y * z; }
};

struct EngineConfig {
  uint32_t tiles = 8;
  uint32_t threads_per_tile = 1024;
  uint32_t scratchpad_bytes = 256 * 1024;
  uint32_t host_threads = 0;   // 0: one per host CPU (capped at `tiles`)
  bool deterministic = false;  // one host thread, fixed schedule
  uint32_t device_id = 0;      // value of the DEVICEID CSR
  // Value of the `time` CSR, in ns: the device's TIMESTAMP (a counter in
  // deterministic mode). Empty: the host's steady clock.
  std::function<uint64_t()> clock;
};

// Everything the command processor takes from a kernel dispatch packet.
struct KernelLaunch {
  Dim3 grid;                     // in blocks
  Dim3 block;                    // in threads
  uint64_t entry = 0;            // virtual address of the kernel's first instruction
  uint64_t kernarg = 0;          // passed in a0
  uint32_t shared_bytes = 0;     // static + dynamic shared memory per block
  uint32_t dynshared_offset = 0; // where dynamic shared memory starts in it
  uint64_t stack_base = 0;       // per-thread stacks: slot i at stack_base + i*stack_size
  uint32_t stack_size = 0;       // bytes per thread (16-byte multiple)
};

// A precise description of the first fault of a dispatch or program.
struct FaultInfo {
  uint32_t cause = T1_FAULT_NONE;  // T1_FAULT_*
  uint8_t access = 0;              // T1_ACCESS_* (memory faults)
  uint64_t pc = 0;
  uint64_t address = 0;            // faulting data address, or the PC for fetches
  uint32_t raw_insn = 0;           // encoding at pc, when it could be fetched
  Dim3 block, thread;              // CUDA-style indices of the faulting thread
  uint32_t tile = 0, warp = 0, lane = 0;
  std::string describe() const;    // one line for logs and error messages
};

// Which interpreter build runs warps on this host ("x86-64", "x86-64-v3",
// "x86-64-v4"); TESSERA_EMU_ISA=baseline|v3|v4 forces one.
const char* interpreter_isa();

// Short English names of T1_FAULT_* causes and T1_ACCESS_* kinds, for
// messages ("unmapped address", "write"); access_kind_name returns nullptr
// for a value that is no single kind.
const char* fault_cause_name(uint32_t cause);
const char* access_kind_name(uint8_t access);

struct DispatchResult {
  bool ok = true;
  FaultInfo fault;                 // valid when !ok
  uint64_t thread_instructions = 0;
  uint64_t warp_instructions = 0;
};

// One executed instruction, for --trace.
struct TraceRecord {
  uint64_t pc;
  uint32_t raw;
  uint8_t len;
  int rd_kind;        // 0 none, 1 integer register, 2 FP register
  uint8_t rd;
  uint64_t rd_value;  // value written
};

// Host services for bare programs: `ecall` with the Linux-style subset.
class BareHost {
 public:
  virtual ~BareHost() = default;
  // Handles ecall a7=`nr` with arguments a0..a5. Returns false when the
  // program ends (exit); `ret` goes to a0 otherwise. `exit_code` is set on exit.
  virtual bool ecall(uint64_t nr, const uint64_t args[6], AddressSpace& mem, uint64_t& ret,
                     int& exit_code) = 0;
};

struct BareResult {
  bool exited = false;  // ended through the exit ecall
  int exit_code = 0;
  FaultInfo fault;      // cause != NONE when the program faulted
  uint64_t instructions = 0;
};

class Engine {
 public:
  explicit Engine(const EngineConfig& config);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const EngineConfig& config() const;

  // Runs a whole dispatch and returns when every block has finished or the
  // dispatch faulted (the first fault stops all its blocks). Thread-safe:
  // dispatches from several queues may run at once. `cancel` (optional) is
  // polled; when it becomes true the dispatch stops with T1_FAULT_ABORTED.
  DispatchResult run(const KernelLaunch& launch, AddressSpace& mem,
                     const std::atomic<bool>* cancel = nullptr);

  // Runs one thread from `entry` with `sp`, until exit or fault.
  // `trace`, when set, is called after every instruction.
  static BareResult run_bare(AddressSpace& mem, uint64_t entry, uint64_t sp, BareHost& host,
                             const std::function<void(const TraceRecord&)>* trace = nullptr,
                             uint64_t max_instructions = 0);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::emu
