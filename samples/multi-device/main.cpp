// SPDX-License-Identifier: Apache-2.0
// multi-device: splits a sum of squares of 2^22 integers across every
// visible device and gathers the partial results on device 0.
//
//   - Each device gets its own module (modules, memory and streams belong
//     to one device), a slice of the input and a launch of sum_squares; the
//     launches are asynchronous, so the devices work at the same time.
//   - Every other device's partial sums travel to device 0 with tsMemcpyPeer,
//     over a direct link with peer access enabled where
//     tsDeviceCanAccessPeer says there is one.
//   - Device 0 adds them up with sum_partials.
// The current device is per host thread and chosen with tsSetDevice.
//
// Run with TESSERA_EMU_DEVICES=2 (or more) to get several emulated devices;
// with one device the program says so and does all the work on device 0.
#include <cstdio>
#include <vector>

#include "check.h"
#include "sample-multi-device_kernels.h"

namespace {

constexpr int kBlocksPerDevice = 64;
constexpr int kThreadsPerBlock = 256;

// What the program keeps for each device.
struct DeviceWork {
  tsModule_t module;
  tsFunction_t sum_squares;
  int* x;                         // this device's slice of the input
  int count;                      // elements in the slice
  unsigned long long* partials;   // kBlocksPerDevice partial sums
};

}  // namespace

int main() {
  const int n = 1 << 22;
  std::vector<int> x(n);
  unsigned long long expected = 0;
  for (int i = 0; i < n; ++i) {
    x[i] = (i * 37) % 1000 - 500;
    expected += static_cast<unsigned long long>(static_cast<long long>(x[i]) * x[i]);
  }

  int devices = 0;
  TS_CHECK(tsGetDeviceCount(&devices));
  if (devices < 2)
    std::printf("Only %d device is visible: all the work runs on device 0. Set TESSERA_EMU_DEVICES=2 "
                "(or more) to split it.\n",
                devices);
  else
    std::printf("Splitting the work across %d devices.\n", devices);

  // Device 0 receives every device's partial sums.
  std::vector<DeviceWork> work(devices);
  unsigned long long *gathered, *d_total;
  TS_CHECK(tsSetDevice(0));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&gathered), devices * kBlocksPerDevice * sizeof(unsigned long long)));
  TS_CHECK(tsMalloc(reinterpret_cast<void**>(&d_total), sizeof(unsigned long long)));

  // Start every device's share. tsMemcpy from ordinary host memory returns
  // once the data is on the device; the launch returns at once.
  const int slice = (n + devices - 1) / devices;
  for (int d = 0; d < devices; ++d) {
    DeviceWork& w = work[d];
    const int first = d * slice;
    w.count = first + slice <= n ? slice : n - first;
    TS_CHECK(tsSetDevice(d));
    TS_CHECK(tsModuleLoadData(&w.module, tessera_kernels_multi_device, tessera_kernels_multi_device_size));
    TS_CHECK(tsModuleGetFunction(&w.sum_squares, w.module, "sum_squares"));
    TS_CHECK(tsMalloc(reinterpret_cast<void**>(&w.x), w.count * sizeof(int)));
    TS_CHECK(tsMalloc(reinterpret_cast<void**>(&w.partials), kBlocksPerDevice * sizeof(unsigned long long)));
    TS_CHECK(tsMemcpy(w.x, x.data() + first, w.count * sizeof(int), tsMemcpyHostToDevice));
    void* args[] = {&w.x, &w.count, &w.partials};
    TS_CHECK(tsLaunchKernel(w.sum_squares, TS_DIM3(kBlocksPerDevice, 1, 1), TS_DIM3(kThreadsPerBlock, 1, 1),
                            args, 0, nullptr));
    std::printf("  device %d: elements %d..%d\n", d, first, first + w.count - 1);
  }

  // Gather on device 0. Where a device has a direct link to device 0, enable
  // peer access on it (it is the copy's source) so the copy uses peer DMA;
  // otherwise tsMemcpyPeer goes through host memory.
  for (int d = 0; d < devices; ++d) {
    TS_CHECK(tsSetDevice(d));
    TS_CHECK(tsDeviceSynchronize());  // this device's partial sums are complete
    const size_t bytes = kBlocksPerDevice * sizeof(unsigned long long);
    if (d == 0) {
      TS_CHECK(tsMemcpy(gathered, work[0].partials, bytes, tsMemcpyDeviceToDevice));
      continue;
    }
    int can_access = 0;
    TS_CHECK(tsDeviceCanAccessPeer(&can_access, d, 0));
    if (can_access) {
      const tsError_t enabled = tsDeviceEnablePeerAccess(0, 0);
      if (enabled != tsErrorPeerAccessAlreadyEnabled)  // already on is fine
        TS_CHECK(enabled);
    }
    TS_CHECK(tsMemcpyPeer(gathered + d * kBlocksPerDevice, 0, work[d].partials, d, bytes));
    std::printf("  device %d -> device 0: %zu bytes %s\n", d, bytes,
                can_access ? "over the chip-to-chip link (peer access enabled)" : "through host memory");
  }

  // The final sum on device 0.
  TS_CHECK(tsSetDevice(0));
  tsFunction_t sum_partials;
  TS_CHECK(tsModuleGetFunction(&sum_partials, work[0].module, "sum_partials"));
  int partial_count = devices * kBlocksPerDevice;
  void* args[] = {&gathered, &partial_count, &d_total};
  TS_CHECK(tsLaunchKernel(sum_partials, TS_DIM3(1, 1, 1), TS_DIM3(kThreadsPerBlock, 1, 1), args, 0, nullptr));
  unsigned long long total = 0;
  TS_CHECK(tsMemcpy(&total, d_total, sizeof total, tsMemcpyDeviceToHost));

  std::printf("sum of squares of %d integers on %d device%s: %llu (host %llu)\n", n, devices,
              devices == 1 ? "" : "s", total, expected);

  for (int d = 0; d < devices; ++d) {
    TS_CHECK(tsSetDevice(d));
    TS_CHECK(tsFree(work[d].x));
    TS_CHECK(tsFree(work[d].partials));
    TS_CHECK(tsModuleUnload(work[d].module));
  }
  TS_CHECK(tsSetDevice(0));
  TS_CHECK(tsFree(gathered));
  TS_CHECK(tsFree(d_total));
  const bool pass = total == expected;
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}
