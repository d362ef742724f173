// SPDX-License-Identifier: Apache-2.0
#include "kernel_runner.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include <tessera/hw/t1_codeobj.h>
#include <tessera/hw/t1_fault.h>

namespace tessera::testing {
namespace {

constexpr uint64_t kRegionGap = uint64_t{1} << 20;  // unmapped space between regions

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

codeobj::Image parse_or_throw(std::span<const uint8_t> bytes) {
  std::string error;
  auto image = codeobj::parse(bytes, error);
  if (!image) throw std::runtime_error("invalid code object: " + error);
  return std::move(*image);
}

}  // namespace

emu::EngineConfig KernelRunner::default_config() {
  emu::EngineConfig c;
  c.tiles = 4;
  c.host_threads = 2;
  return c;
}

uint32_t KernelRunner::stack_size_for(const codeobj::KernelInfo& k) {
  uint64_t bytes = k.stack_bytes == T1_STACK_UNKNOWN ? kDefaultStackBytes : k.stack_bytes;
  // With recursion the metadata is only a lower bound.
  if (k.flags & T1_KERNEL_FLAG_RECURSION) bytes = std::max<uint64_t>(bytes, kDefaultStackBytes);
  bytes = align_up(bytes, 16);
  if (bytes > UINT32_MAX - 15)
    throw std::runtime_error("kernel '" + k.name + "' needs an absurd stack of " +
                             std::to_string(bytes) + " bytes per thread");
  return static_cast<uint32_t>(bytes);
}

KernelRunner::KernelRunner(std::span<const uint8_t> code_object, uint64_t memory_bytes,
                           const emu::EngineConfig& config)
    : image_(parse_or_throw(code_object)), engine_(config) {
  mem_.add_region(kCodeBase, image_.size, "code object");
  codeobj::materialize(image_, kCodeBase, {mem_.host_range(kCodeBase, image_.size), image_.size});
  for (const codeobj::Segment& s : image_.segments)
    mem_.allow(kCodeBase + s.vaddr, s.memsz, s.perms);

  uint64_t next = align_up(kCodeBase + image_.size + kRegionGap, kRegionGap);
  kernarg_base_ = next;
  mem_.add_region(kernarg_base_, kKernargBytes, "kernarg");
  mem_.allow(kernarg_base_, kKernargBytes, T1_ACCESS_READ | T1_ACCESS_WRITE);

  next = align_up(kernarg_base_ + kKernargBytes + kRegionGap, kRegionGap);
  heap_base_ = heap_next_ = next;
  heap_size_ = align_up(std::max<uint64_t>(memory_bytes, emu::kPageSize), emu::kPageSize);
  mem_.add_region(heap_base_, heap_size_, "heap");
  mem_.allow(heap_base_, heap_size_, T1_ACCESS_READ | T1_ACCESS_WRITE);

  for (const codeobj::KernelInfo& k : image_.kernels)
    max_stack_size_ = std::max(max_stack_size_, stack_size_for(k));
  if (max_stack_size_ != 0) {
    stack_base_ = align_up(heap_base_ + heap_size_ + kRegionGap, kRegionGap);
    const uint64_t bytes = uint64_t{config.tiles} * config.threads_per_tile * max_stack_size_;
    mem_.add_region(stack_base_, bytes, "stacks");
    mem_.allow(stack_base_, bytes, T1_ACCESS_READ | T1_ACCESS_WRITE);
  }
}

uint64_t KernelRunner::global(std::string_view name) const {
  const codeobj::GlobalInfo* g = image_.find_global(name);
  if (!g) throw std::runtime_error("the code object exports no global '" + std::string(name) + "'");
  return kCodeBase + g->offset;
}

uint64_t KernelRunner::alloc(size_t bytes, size_t align) {
  if (align == 0 || (align & (align - 1)) != 0)
    throw std::runtime_error("alloc: alignment " + std::to_string(align) + " is not a power of two");
  const uint64_t va = align_up(heap_next_, align);
  if (va < heap_next_ || va - heap_base_ > heap_size_ || bytes > heap_size_ - (va - heap_base_))
    throw std::runtime_error("alloc: " + std::to_string(bytes) + " bytes do not fit in the " +
                             std::to_string(heap_size_) + "-byte test heap");
  heap_next_ = va + bytes;
  return va;
}

uint8_t* KernelRunner::host(uint64_t va, size_t bytes) {
  uint8_t* p = mem_.host_range(va, bytes);
  if (!p)
    throw std::runtime_error("device range [" + std::to_string(va) + ", +" + std::to_string(bytes) +
                             ") is not mapped");
  return p;
}

void KernelRunner::write(uint64_t va, const void* src, size_t bytes) {
  if (bytes) std::memcpy(host(va, bytes), src, bytes);
}

void KernelRunner::read(uint64_t va, void* dst, size_t bytes) {
  if (bytes) std::memcpy(dst, host(va, bytes), bytes);
}

emu::DispatchResult KernelRunner::launch(std::string_view kernel, emu::Dim3 grid, emu::Dim3 block,
                                         const std::vector<std::vector<uint8_t>>& args,
                                         uint32_t dynamic_shared) {
  const codeobj::KernelInfo* k = image_.find_kernel(kernel);
  if (!k) throw std::runtime_error("the code object has no kernel '" + std::string(kernel) + "'");
  const std::string who = "kernel '" + k->name + "': ";
  if (args.size() != k->args.size())
    throw std::runtime_error(who + "takes " + std::to_string(k->args.size()) + " arguments, " +
                             std::to_string(args.size()) + " given");
  const emu::EngineConfig& cfg = engine_.config();
  const uint64_t threads = block.count();
  if (threads == 0 || threads > cfg.threads_per_tile ||
      (k->max_block_threads != 0 && threads > k->max_block_threads))
    throw std::runtime_error(who + "a block of " + std::to_string(threads) +
                             " threads is outside [1, " +
                             std::to_string(k->max_block_threads != 0
                                                ? std::min(k->max_block_threads, cfg.threads_per_tile)
                                                : cfg.threads_per_tile) +
                             "]");
  const uint64_t dyn_offset = align_up(k->static_shared_bytes, 16);
  if (dyn_offset + dynamic_shared > cfg.scratchpad_bytes)
    throw std::runtime_error(who + std::to_string(dyn_offset + dynamic_shared) +
                             " bytes of shared memory exceed the " +
                             std::to_string(cfg.scratchpad_bytes) + "-byte scratchpad");

  // kernarg_align is a power of two (checked by the parser); the region
  // itself is page aligned.
  const uint64_t kernarg = align_up(kernarg_base_, std::max<uint64_t>(k->kernarg_align, 1));
  if (kernarg - kernarg_base_ + k->kernarg_size > kKernargBytes)
    throw std::runtime_error(who + "kernarg buffer of " + std::to_string(k->kernarg_size) +
                             " bytes aligned to " + std::to_string(k->kernarg_align) +
                             " does not fit the runner's " + std::to_string(kKernargBytes) +
                             "-byte kernarg region");
  uint8_t* buf = host(kernarg, k->kernarg_size);
  std::fill(buf, buf + k->kernarg_size, uint8_t{0});
  for (size_t i = 0; i < args.size(); ++i) {
    const codeobj::ArgInfo& a = k->args[i];
    if (args[i].size() != a.size)
      throw std::runtime_error(who + "argument " + std::to_string(i) + " has " +
                               std::to_string(a.size) + " bytes, " +
                               std::to_string(args[i].size()) + " given");
    std::copy(args[i].begin(), args[i].end(), buf + a.offset);
  }

  emu::KernelLaunch L;
  L.grid = grid;
  L.block = block;
  L.entry = kCodeBase + k->entry;
  L.kernarg = k->kernarg_size ? kernarg : 0;
  L.shared_bytes = static_cast<uint32_t>(dyn_offset + dynamic_shared);
  L.dynshared_offset = static_cast<uint32_t>(dyn_offset);
  L.stack_size = stack_size_for(*k);
  L.stack_base = L.stack_size ? stack_base_ : 0;
  return engine_.run(L, mem_);
}

}  // namespace tessera::testing
