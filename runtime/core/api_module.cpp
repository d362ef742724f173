// SPDX-License-Identifier: Apache-2.0
// Modules, kernel launches, occupancy, peers.
#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>

#include "core/api_util.hpp"
#include "core/module_loader.hpp"

using namespace tessera::rt;

namespace {

constexpr uint32_t kDefaultStackBytes = 16 * 1024;  // unknown or recursive kernels

uint32_t stack_bytes(const tessera::codeobj::KernelInfo& k) {
  uint32_t s = k.stack_bytes;
  if (s == T1_STACK_UNKNOWN) s = kDefaultStackBytes;
  if ((k.flags & T1_KERNEL_FLAG_RECURSION) && s < kDefaultStackBytes) s = kDefaultStackBytes;
  return (s + 15) & ~15u;
}

uint32_t max_block(const tsFunction* f) {
  const uint32_t dev = f->module->dev->hw().info().threads_per_tile;
  return f->kernel->max_block_threads ? std::min(dev, f->kernel->max_block_threads) : dev;
}

uint64_t static_shared(const tsFunction* f) { return (uint64_t{f->kernel->static_shared_bytes} + 15) & ~uint64_t{15}; }

tsModule* register_module(DeviceState& d, std::shared_ptr<ModuleImage> image) {
  Runtime& rt = Runtime::get();
  auto m = std::make_unique<tsModule>();
  m->dev = &d;
  m->image = std::move(image);
  for (const auto& k : m->image->image.kernels) {
    auto f = std::make_unique<tsFunction>();
    f->module = m.get();
    f->kernel = &k;
    f->what = describe("kernel '" + k.name + "'");
    m->functions.push_back(std::move(f));
  }
  {
    std::lock_guard lock(d.mu);
    d.modules.push_back(m.get());
  }
  for (auto& f : m->functions) rt.add_handle(f.get());
  rt.add_handle(m.get());
  return m.release();
}

std::string dim_text(tsDim3 d) {
  return "(" + std::to_string(d.x) + "," + std::to_string(d.y) + "," + std::to_string(d.z) + ")";
}

tsError_t launch(tsFunction_t function, tsDim3 grid, tsDim3 block, void** args, size_t shared, tsStream_t stream,
                 bool pt) {
  return api_call([&] {
    tsFunction* f = resolve_handle(function, "function");
    tsStream* s = resolve_stream(stream, pt);
    const auto& k = *f->kernel;
    DeviceState& d = *f->module->dev;
    const std::string& name = *f->what;
    if (s->dev != &d)
      fail(tsErrorInvalidResourceHandle, name + " is loaded on device " + std::to_string(d.ordinal()) +
                                             " but the stream belongs to device " + std::to_string(s->dev->ordinal()));
    if (!grid.x || !grid.y || !grid.z || !block.x || !block.y || !block.z)
      fail(tsErrorInvalidConfiguration, name + ": grid " + dim_text(grid) + " and block " + dim_text(block) +
                                            " must have every dimension >= 1");
    if (grid.x > kMaxGrid[0] || grid.y > kMaxGrid[1] || grid.z > kMaxGrid[2])
      fail(tsErrorInvalidConfiguration, name + ": grid " + dim_text(grid) + " exceeds the largest grid (" +
                                            std::to_string(kMaxGrid[0]) + "," + std::to_string(kMaxGrid[1]) + "," +
                                            std::to_string(kMaxGrid[2]) + ")");
    const uint64_t threads = uint64_t{block.x} * block.y * block.z;
    if (threads > max_block(f))
      fail(k.max_block_threads && threads <= d.hw().info().threads_per_tile ? tsErrorLaunchOutOfResources
                                                                            : tsErrorInvalidConfiguration,
           name + ": block " + dim_text(block) + " has " + std::to_string(threads) + " threads, at most " +
               std::to_string(max_block(f)) + " allowed");
    const uint64_t shared_total = static_shared(f) + shared;
    if (shared_total > d.hw().info().scratchpad_bytes)
      fail(tsErrorInvalidConfiguration, name + ": " + std::to_string(k.static_shared_bytes) + " bytes of static and " +
                                            std::to_string(shared) + " of dynamic shared memory exceed the " +
                                            std::to_string(d.hw().info().scratchpad_bytes) + " bytes of a tile");
    if (!k.args.empty() && !args)
      fail(tsErrorInvalidValue, name + " takes " + std::to_string(k.args.size()) + " argument(s) but args is NULL");
    if (k.kernarg_size > tessera::rt::HostPool::kMaxBlock)
      fail(tsErrorLaunchOutOfResources, name + ": " + std::to_string(k.kernarg_size) + " bytes of arguments");

    PoolBlock kernarg;
    if (k.kernarg_size) {
      kernarg = d.pool().get(std::max(k.kernarg_size, k.kernarg_align));
      for (size_t i = 0; i < k.args.size(); ++i) {
        if (!args[i]) fail(tsErrorInvalidValue, name + ": args[" + std::to_string(i) + "] is NULL");
        std::memcpy(kernarg.host + k.args[i].offset, args[i], k.args[i].size);
      }
    }
    const uint32_t stack = stack_bytes(k);
    t1_packet p{};
    auto& dp = p.dispatch;
    dp.header = T1_PKT_TYPE_KERNEL_DISPATCH;
    dp.block_x = static_cast<uint16_t>(block.x);
    dp.block_y = static_cast<uint16_t>(block.y);
    dp.block_z = static_cast<uint16_t>(block.z);
    dp.grid_x = grid.x;
    dp.grid_y = grid.y;
    dp.grid_z = grid.z;
    dp.shared_bytes = static_cast<uint32_t>(shared_total);
    dp.dynshared_offset = static_cast<uint32_t>(static_shared(f));
    dp.stack_size = stack;
    dp.entry = f->module->image->alloc.va + k.entry;
    dp.kernarg = kernarg ? kernarg.va() : 0;
    std::lock_guard lock(d.mu);
    std::shared_ptr<StackRegion> region = d.stack_for(stack);
    dp.stack_base = region ? region->alloc.va : 0;
    std::vector<std::shared_ptr<void>> keep;
    if (kernarg) keep.push_back(kernarg.owner);
    if (region) keep.push_back(region);
    d.submit(s, p, f->what, std::move(keep), f->module->image);
  });
}

}  // namespace

extern "C" {

tsError_t tsModuleLoadData(tsModule_t* module, const void* image, size_t size) {
  return api_call([&] {
    require_arg(module, "module");
    require_arg(image, "image");
    DeviceState& d = Runtime::get().current();
    auto img = load_module(d, std::span<const uint8_t>(static_cast<const uint8_t*>(image), size));
    *module = register_module(d, std::move(img));
  });
}

tsError_t tsModuleLoad(tsModule_t* module, const char* path) {
  return api_call([&] {
    require_arg(module, "module");
    require_arg(path, "path");
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(tsErrorNotFound, std::string("cannot open the code object '") + path + "'");
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    DeviceState& d = Runtime::get().current();
    std::shared_ptr<ModuleImage> img;
    try {
      img = load_module(d, bytes);
    } catch (const ApiError& e) {
      fail(e.code(), std::string(path) + ": " + e.what());
    }
    *module = register_module(d, std::move(img));
  });
}

tsError_t tsModuleUnload(tsModule_t module) {
  return api_call([&] {
    Runtime& rt = Runtime::get();
    tsModule* m = resolve_handle(module, "module");
    m->dev->drain();  // launches in flight may use the module
    for (auto& f : m->functions) rt.remove_handle(f.get());
    rt.remove_handle(m);
    DeviceState& d = *m->dev;
    std::lock_guard lock(d.mu);
    d.modules.erase(std::remove(d.modules.begin(), d.modules.end(), m), d.modules.end());
    delete m;
  });
}

tsError_t tsModuleGetFunction(tsFunction_t* function, tsModule_t module, const char* name) {
  return api_call([&] {
    require_arg(function, "function");
    require_arg(name, "name");
    tsModule* m = resolve_handle(module, "module");
    for (auto& f : m->functions)
      if (f->kernel->name == name) {
        *function = f.get();
        return;
      }
    std::string known;
    for (auto& f : m->functions) known += (known.empty() ? "" : ", ") + f->kernel->name;
    fail(tsErrorNotFound, std::string("no kernel '") + name + "' in the module (kernels: " +
                              (known.empty() ? "none" : known) + "; C++ names are mangled unless declared extern \"C\")");
  });
}

tsError_t tsModuleGetGlobal(void** devPtr, size_t* bytes, tsModule_t module, const char* name) {
  return api_call([&] {
    require_arg(name, "name");
    tsModule* m = resolve_handle(module, "module");
    const auto* g = m->image->image.find_global(name);
    if (!g) fail(tsErrorNotFound, std::string("no global '") + name + "' in the module");
    if (devPtr) *devPtr = reinterpret_cast<void*>(m->image->alloc.va + g->offset);
    if (bytes) *bytes = g->size;
  });
}

tsError_t tsFuncGetAttributes(tsFuncAttributes* attr, tsFunction_t function) {
  return api_call([&] {
    require_arg(attr, "attr");
    tsFunction* f = resolve_handle(function, "function");
    const auto& k = *f->kernel;
    tsFuncAttributes a{};
    a.sharedSizeBytes = k.static_shared_bytes;
    a.constSizeBytes = 0;
    a.localSizeBytes = stack_bytes(k);
    a.maxThreadsPerBlock = static_cast<int>(max_block(f));
    a.numRegs = 64;
    a.maxDynamicSharedSizeBytes =
        static_cast<int>(f->module->dev->hw().info().scratchpad_bytes - static_shared(f));
    a.binaryVersion = static_cast<int>((f->module->image->image.version >> 16) * 10 + (f->module->image->image.version & 0xFFFF));
    a.recursion = (k.flags & T1_KERNEL_FLAG_RECURSION) || k.stack_bytes == T1_STACK_UNKNOWN;
    a.name = k.name.c_str();
    *attr = a;
  });
}

tsError_t tsLaunchKernel(tsFunction_t f, tsDim3 grid, tsDim3 block, void** args, size_t shared, tsStream_t s) {
  return launch(f, grid, block, args, shared, s, false);
}
tsError_t tsLaunchKernel_ptsz(tsFunction_t f, tsDim3 grid, tsDim3 block, void** args, size_t shared, tsStream_t s) {
  return launch(f, grid, block, args, shared, s, true);
}

tsError_t tsOccupancyMaxActiveBlocksPerMultiprocessor(int* numBlocks, tsFunction_t function, int blockSize,
                                                      size_t dynamicSMemSize) {
  return api_call([&] {
    require_arg(numBlocks, "numBlocks");
    tsFunction* f = resolve_handle(function, "function");
    if (blockSize <= 0) fail(tsErrorInvalidValue, "blockSize must be positive");
    const bool fits = static_cast<uint32_t>(blockSize) <= max_block(f) &&
                      static_shared(f) + dynamicSMemSize <= f->module->dev->hw().info().scratchpad_bytes;
    *numBlocks = fits ? 1 : 0;  // interface 1.0: one block per tile at a time
  });
}

tsError_t tsOccupancyMaxPotentialBlockSize(int* minGridSize, int* blockSize, tsFunction_t function,
                                           size_t dynamicSMemSize, int blockSizeLimit) {
  return api_call([&] {
    require_arg(minGridSize, "minGridSize");
    require_arg(blockSize, "blockSize");
    tsFunction* f = resolve_handle(function, "function");
    const auto& info = f->module->dev->hw().info();
    if (static_shared(f) + dynamicSMemSize > info.scratchpad_bytes)
      fail(tsErrorInvalidConfiguration, "the shared memory does not fit in a tile");
    uint32_t b = max_block(f);
    if (blockSizeLimit > 0) b = std::min<uint32_t>(b, static_cast<uint32_t>(blockSizeLimit));
    *blockSize = static_cast<int>(b);
    *minGridSize = static_cast<int>(info.tiles);
  });
}

// ---- peers --------------------------------------------------------------------

tsError_t tsDeviceCanAccessPeer(int* can, int device, int peer) {
  return api_call([&] {
    require_arg(can, "canAccessPeer");
    Runtime& rt = Runtime::get();
    DeviceState& a = rt.device(device);
    DeviceState& b = rt.device(peer);
    const auto links = a.hw().link_peers();
    *can = &a != &b && std::find(links.begin(), links.end(), b.hw().info().fabric_index) != links.end();
  });
}

tsError_t tsDeviceEnablePeerAccess(int peer, unsigned int flags) {
  return api_call([&] {
    if (flags) fail(tsErrorInvalidValue, "tsDeviceEnablePeerAccess: flags must be 0");
    Runtime& rt = Runtime::get();
    DeviceState& a = rt.current();
    DeviceState& b = rt.device(peer);
    const auto links = a.hw().link_peers();
    if (&a == &b || std::find(links.begin(), links.end(), b.hw().info().fabric_index) == links.end())
      fail(tsErrorPeerAccessUnsupported, "device " + std::to_string(a.ordinal()) + " has no link to device " +
                                             std::to_string(peer));
    std::lock_guard lock(a.mu);
    if (a.peer_enabled[peer]) fail(tsErrorPeerAccessAlreadyEnabled, "peer access to device " + std::to_string(peer) + " is already enabled");
    try {
      a.hw().attach_peer(b.hw());
    } catch (const std::runtime_error& e) {
      fail(tsErrorPeerAccessUnsupported, "peer access from device " + std::to_string(a.ordinal()) + " to device " +
                                             std::to_string(peer) + ": " + e.what());
    }
    a.peer_enabled[peer] = true;
  });
}

tsError_t tsDeviceDisablePeerAccess(int peer) {
  return api_call([&] {
    Runtime& rt = Runtime::get();
    DeviceState& a = rt.current();
    rt.device(peer);
    std::lock_guard lock(a.mu);
    if (!a.peer_enabled[peer]) fail(tsErrorPeerAccessNotEnabled, "peer access to device " + std::to_string(peer) + " is not enabled");
    a.peer_enabled[peer] = false;
  });
}

}  // extern "C"
