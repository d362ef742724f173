// SPDX-License-Identifier: Apache-2.0
// Runs kernels of a T1 code object directly on the SIMT engine, for tests
// (the compiler's execution tests, the code-object tests). No runtime, no
// command processor, no page tables: the code object is placed in a flat
// address space, arguments are packed from its metadata note, and each
// launch is one synchronous Engine::run.
//
// Device address layout (every region lazily backed, so unused bytes cost
// no host memory; everything else is unmapped and faults, including VA 0):
//   kCodeBase             the code object image, per-segment permissions
//   then, 1 MiB apart:    the kernarg buffer (kKernargBytes), the heap that
//                         alloc() hands out (memory_bytes), and the stacks
//                         of all hardware threads for the largest stack any
//                         kernel of the code object needs.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string_view>
#include <type_traits>
#include <vector>

#include "codeobj/codeobj.hpp"
#include "run/flat_space.hpp"
#include "simt/engine.hpp"

namespace tessera::testing {

class KernelRunner {
 public:
  static constexpr uint64_t kCodeBase = 0x10000000;
  static constexpr uint32_t kKernargBytes = 64 * 1024;
  // Per-thread stack when the metadata says T1_STACK_UNKNOWN, and the least
  // a kernel flagged T1_KERNEL_FLAG_RECURSION gets.
  static constexpr uint32_t kDefaultStackBytes = 16 * 1024;

  // A small device by default (4 tiles, two host threads) so that tests
  // start quickly; the per-tile limits are the T1's.
  static emu::EngineConfig default_config();

  // Parses and loads `code_object` (the bytes are copied). Throws
  // std::runtime_error with the parser's message if it is not valid.
  explicit KernelRunner(std::span<const uint8_t> code_object, uint64_t memory_bytes = 256 << 20,
                        const emu::EngineConfig& config = default_config());

  const codeobj::Image& image() const { return image_; }
  emu::Engine& engine() { return engine_; }

  // Device VA of an exported data symbol (a __device__ global). Throws if
  // the code object has none of that name.
  uint64_t global(std::string_view name) const;

  // Bump allocation from the heap; `align` a power of two. Never freed.
  // Throws std::runtime_error when the heap is exhausted.
  uint64_t alloc(size_t bytes, size_t align = 256);
  // Copies between host and any mapped device range (heap, image, kernarg,
  // stacks), ignoring page permissions. Throws if the range is not mapped.
  void write(uint64_t va, const void* src, size_t bytes);
  void read(uint64_t va, void* dst, size_t bytes);

  template <class T>
  uint64_t upload(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    const uint64_t va = alloc(v.size() * sizeof(T), alignof(T) > 256 ? alignof(T) : 256);
    write(va, v.data(), v.size() * sizeof(T));
    return va;
  }
  template <class T>
  std::vector<T> download(uint64_t va, size_t n) {
    static_assert(std::is_trivially_copyable_v<T>);
    std::vector<T> v(n);
    read(va, v.data(), n * sizeof(T));
    return v;
  }

  // Launches `kernel` and waits for it. `args` holds the raw bytes of each
  // argument in declaration order; each must have the size the metadata
  // gives. Builds the dispatch as docs/hardware/code-objects.md says:
  // kernarg packed at the metadata's offsets, shared_bytes = static shared
  // rounded up to 16 plus `dynamic_shared`, per-thread stacks of
  // stack_bytes rounded up to 16 (kDefaultStackBytes when unknown).
  // Throws std::runtime_error (naming the kernel) for an unknown kernel, a
  // wrong argument count or size, a block larger than max_block_threads or
  // the tile, or shared memory beyond the scratchpad. A fault in the kernel
  // is not an exception: it is in the returned result.
  emu::DispatchResult launch(std::string_view kernel, emu::Dim3 grid, emu::Dim3 block,
                             const std::vector<std::vector<uint8_t>>& args,
                             uint32_t dynamic_shared = 0);

  // launch() with each argument given as a value (a device pointer is a
  // uint64_t from alloc/upload); each A must be trivially copyable.
  template <class... A>
  emu::DispatchResult launch_args(std::string_view kernel, emu::Dim3 grid, emu::Dim3 block,
                                  uint32_t dynamic_shared, const A&... a) {
    static_assert((std::is_trivially_copyable_v<A> && ...), "kernel arguments are copied bytewise");
    std::vector<std::vector<uint8_t>> args;
    (args.push_back(bytes_of(a)), ...);
    return launch(kernel, grid, block, args, dynamic_shared);
  }

  // The per-thread stack a launch of `k` gets (a multiple of 16).
  static uint32_t stack_size_for(const codeobj::KernelInfo& k);

 private:
  template <class T>
  static std::vector<uint8_t> bytes_of(const T& v) {
    std::vector<uint8_t> b(sizeof(T));
    std::memcpy(b.data(), &v, sizeof(T));
    return b;
  }
  uint8_t* host(uint64_t va, size_t bytes);

  codeobj::Image image_;
  emu::Engine engine_;
  emu::run::FlatAddressSpace mem_;
  uint64_t kernarg_base_ = 0;
  uint64_t heap_base_ = 0, heap_size_ = 0, heap_next_ = 0;
  uint64_t stack_base_ = 0;
  uint32_t max_stack_size_ = 0;
};

}  // namespace tessera::testing
