// SPDX-License-Identifier: Apache-2.0
// Devices and versions.
#include <cstring>

#include "core/api_util.hpp"

using namespace tessera::rt;

namespace {
void copy_name(char* dst, size_t n, const std::string& s) {
  std::strncpy(dst, s.c_str(), n - 1);
  dst[n - 1] = 0;
}
}  // namespace

extern "C" {

tsError_t tsRuntimeGetVersion(int* version) {
  return api_call([&] {
    require_arg(version, "version");
    *version = TESSERA_VERSION;
  });
}

tsError_t tsDriverGetVersion(int* version) {
  return api_call([&] {
    require_arg(version, "version");
    *version = Runtime::get().backend().version();
  });
}

tsError_t tsGetVersionInfo(int device, tsVersionInfo* info) {
  return api_call([&] {
    require_arg(info, "info");
    Runtime& rt = Runtime::get();
    DeviceState& d = rt.device(device);
    tsVersionInfo v{};
    v.runtime = TESSERA_VERSION;
    v.backend = rt.backend().version();
    v.hw_interface = d.hw().info().hw_version;
    v.hw_interface_device = d.hw().info().hw_version_device;
    v.codeobj_supported = T1_CODEOBJ_VERSION;
    copy_name(v.backend_name, sizeof v.backend_name, rt.backend().name());
    copy_name(v.emulator, sizeof v.emulator, d.hw().emulator_version());
    *info = v;
  });
}

tsError_t tsGetDeviceCount(int* count) {
  return api_call([&] {
    require_arg(count, "count");
    *count = Runtime::get().device_count();
  });
}

tsError_t tsGetDeviceProperties(tsDeviceProp* prop, int device) {
  return api_call([&] {
    require_arg(prop, "prop");
    Runtime& rt = Runtime::get();
    DeviceState& d = rt.device(device);
    const auto& i = d.hw().info();
    tsDeviceProp p{};
    const bool emulated = (i.caps & T1_CAP_EMULATED) != 0;
    copy_name(p.name, sizeof p.name, emulated ? "Tessera T1 (emulated)" : "Tessera T1");
    p.totalGlobalMem = i.memory_bytes;
    p.sharedMemPerBlock = i.scratchpad_bytes;
    p.regsPerBlock = static_cast<int>(64 * i.threads_per_tile);
    p.warpSize = static_cast<int>(i.warp_size);
    p.maxThreadsPerBlock = static_cast<int>(i.threads_per_tile);
    p.maxThreadsDim[0] = p.maxThreadsDim[1] = p.maxThreadsDim[2] = static_cast<int>(i.threads_per_tile);
    for (int k = 0; k < 3; ++k) p.maxGridSize[k] = static_cast<int>(kMaxGrid[k]);
    p.clockRate = static_cast<int>(i.clock_khz);
    p.multiProcessorCount = static_cast<int>(i.tiles);
    p.maxThreadsPerMultiProcessor = static_cast<int>(i.threads_per_tile);
    p.maxBlocksPerMultiProcessor = 1;
    p.linkCount = static_cast<int>(i.links);
    p.major = static_cast<int>(T1_VERSION_MAJOR(i.hw_version));
    p.minor = static_cast<int>(T1_VERSION_MINOR(i.hw_version));
    p.unifiedAddressing = 1;
    p.concurrentKernels = 1;
    p.asyncEngineCount = 1;
    p.canMapHostMemory = (i.caps & T1_CAP_HOST_WINDOWS) ? 1 : 0;
    p.deterministic = (i.caps & T1_CAP_DETERMINISTIC) ? 1 : 0;
    p.platform = emulated ? tsPlatformEmulator : tsPlatformSilicon;
    copy_name(p.backend, sizeof p.backend, rt.backend().name());
    p.deviceIndex = static_cast<int>(i.fabric_index);
    *prop = p;
  });
}

tsError_t tsSetDevice(int device) {
  return api_call([&] {
    Runtime::get().device(device);
    Runtime::current_ordinal() = device;
  });
}

tsError_t tsGetDevice(int* device) {
  return api_call([&] {
    require_arg(device, "device");
    Runtime::get();
    *device = Runtime::current_ordinal();
  });
}

tsError_t tsDeviceSynchronize(void) {
  return api_call([&] {
    std::string message;
    const tsError_t e = Runtime::get().current().synchronize(message);
    if (e != tsSuccess) fail(e, message);
  });
}

tsError_t tsDeviceReset(void) {
  return api_call([&] {
    Runtime& rt = Runtime::get();
    DeviceState& d = rt.current();
    d.reset();
    rt.restore_host_allocations(d);
    for (int o = 0; o < rt.device_count(); ++o) {
      DeviceState& other = rt.device(o);
      std::lock_guard lock(other.mu);
      if (&other == &d) other.peer_enabled.assign(rt.device_count(), false);
      else other.peer_enabled[d.ordinal()] = false;
    }
  });
}

}  // extern "C"
