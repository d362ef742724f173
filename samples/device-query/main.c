/* SPDX-License-Identifier: Apache-2.0 */
/*
 * device-query: lists every Tessera device the runtime sees with all of its
 * properties (tsDeviceProp), the versions of every software and hardware
 * layer (tsGetVersionInfo), free memory, and which devices are peers. Then it
 * runs a tiny kernel on each device. Written in C to show the runtime API
 * needs nothing from C++.
 *
 * PASS when there is at least one device, every device's properties are
 * sane and every device runs the kernel correctly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "sample-device-query_kernels.h"

/* Versions are encoded as major * 1000 + minor * 10, as CUDART_VERSION. */
static void print_api_version(const char* label, int version) {
  printf("  %-28s %d.%d (%d)\n", label, version / 1000, (version % 1000) / 10, version);
}

/* Hardware and code-object versions are encoded as major << 16 | minor. */
static void print_hw_version(const char* label, uint32_t version) {
  printf("  %-28s %u.%u\n", label, version >> 16, version & 0xffffu);
}

static void print_properties(const tsDeviceProp* p) {
  printf("  %-28s %s\n", "name", p->name);
  printf("  %-28s %zu bytes (%.1f MiB)\n", "totalGlobalMem", p->totalGlobalMem,
         (double)p->totalGlobalMem / (1024.0 * 1024.0));
  printf("  %-28s %zu bytes (%zu KiB)\n", "sharedMemPerBlock", p->sharedMemPerBlock,
         p->sharedMemPerBlock / 1024);
  printf("  %-28s %d\n", "regsPerBlock", p->regsPerBlock);
  printf("  %-28s %d\n", "warpSize", p->warpSize);
  printf("  %-28s %d\n", "maxThreadsPerBlock", p->maxThreadsPerBlock);
  printf("  %-28s %d x %d x %d\n", "maxThreadsDim", p->maxThreadsDim[0], p->maxThreadsDim[1],
         p->maxThreadsDim[2]);
  printf("  %-28s %d x %d x %d\n", "maxGridSize", p->maxGridSize[0], p->maxGridSize[1],
         p->maxGridSize[2]);
  printf("  %-28s %d kHz\n", "clockRate", p->clockRate);
  printf("  %-28s %d\n", "multiProcessorCount (tiles)", p->multiProcessorCount);
  printf("  %-28s %d\n", "maxThreadsPerMultiProcessor", p->maxThreadsPerMultiProcessor);
  printf("  %-28s %d\n", "maxBlocksPerMultiProcessor", p->maxBlocksPerMultiProcessor);
  printf("  %-28s %d\n", "linkCount", p->linkCount);
  printf("  %-28s %04x:%02x:%02x\n", "PCI domain:bus:device", p->pciDomainID, p->pciBusID,
         p->pciDeviceID);
  printf("  %-28s %d.%d\n", "major.minor (T1 interface)", p->major, p->minor);
  printf("  %-28s %d\n", "unifiedAddressing", p->unifiedAddressing);
  printf("  %-28s %d\n", "concurrentKernels", p->concurrentKernels);
  printf("  %-28s %d\n", "asyncEngineCount", p->asyncEngineCount);
  printf("  %-28s %d\n", "canMapHostMemory", p->canMapHostMemory);
  printf("  %-28s %d\n", "deterministic", p->deterministic);
  printf("  %-28s %s\n", "platform",
         p->platform == tsPlatformEmulator ? "emulator"
         : p->platform == tsPlatformSilicon ? "silicon"
                                             : "unknown");
  printf("  %-28s %s\n", "backend", p->backend);
  printf("  %-28s %d\n", "deviceIndex (in the fabric)", p->deviceIndex);
}

/* Counts (and names) the properties that contradict each other or the T1. */
static int count_insane_properties(const tsDeviceProp* p) {
  int problems = 0;
#define EXPECT(condition)                                   \
  do {                                                      \
    if (!(condition)) {                                     \
      printf("  unexpected property: %s\n", #condition);    \
      ++problems;                                           \
    }                                                       \
  } while (0)
  EXPECT(p->name[0] != '\0');
  EXPECT(p->totalGlobalMem > 0);
  EXPECT(p->sharedMemPerBlock > 0);
  EXPECT(p->warpSize == 32);
  EXPECT(p->maxThreadsPerBlock >= p->warpSize);
  EXPECT(p->maxThreadsDim[0] >= 1 && p->maxThreadsDim[0] <= p->maxThreadsPerBlock);
  EXPECT(p->maxThreadsDim[1] >= 1 && p->maxThreadsDim[2] >= 1);
  EXPECT(p->maxGridSize[0] >= 1 && p->maxGridSize[1] >= 1 && p->maxGridSize[2] >= 1);
  EXPECT(p->multiProcessorCount >= 1);
  EXPECT(p->maxThreadsPerMultiProcessor >= p->maxThreadsPerBlock);
  EXPECT(p->maxBlocksPerMultiProcessor >= 1);
  EXPECT(p->regsPerBlock > 0);
  EXPECT(p->linkCount >= 0);
  EXPECT(p->unifiedAddressing == 1);
  /* Host windows: the in-process emulator has them, the kernel driver not (yet). */
  EXPECT(p->canMapHostMemory == (strcmp(p->backend, "emu") == 0));
  EXPECT(p->platform == tsPlatformEmulator || p->platform == tsPlatformSilicon);
  EXPECT(p->backend[0] != '\0');
#undef EXPECT
  return problems;
}

/* Runs the probe kernel on `device` and checks what every thread wrote. */
static int probe_device(int device) {
  enum { kBlocks = 4, kThreadsPerBlock = 128, kThreads = kBlocks * kThreadsPerBlock };
  TS_CHECK(tsSetDevice(device));
  tsModule_t module;
  tsFunction_t probe;
  TS_CHECK(tsModuleLoadData(&module, tessera_kernels_device_query, tessera_kernels_device_query_size));
  TS_CHECK(tsModuleGetFunction(&probe, module, "probe"));

  unsigned* d_indices;
  int* d_warp_sizes;
  TS_CHECK(tsMalloc((void**)&d_indices, kThreads * sizeof(unsigned)));
  TS_CHECK(tsMalloc((void**)&d_warp_sizes, kBlocks * sizeof(int)));
  void* args[] = {&d_indices, &d_warp_sizes};
  TS_CHECK(tsLaunchKernel(probe, TS_DIM3(kBlocks, 1, 1), TS_DIM3(kThreadsPerBlock, 1, 1), args, 0, NULL));

  unsigned indices[kThreads];
  int warp_sizes[kBlocks];
  /* tsMemcpy on the default stream waits for the kernel first. */
  TS_CHECK(tsMemcpy(indices, d_indices, sizeof indices, tsMemcpyDeviceToHost));
  TS_CHECK(tsMemcpy(warp_sizes, d_warp_sizes, sizeof warp_sizes, tsMemcpyDeviceToHost));
  int wrong = 0;
  for (unsigned i = 0; i < kThreads; ++i)
    wrong += indices[i] != i;
  for (int b = 0; b < kBlocks; ++b)
    wrong += warp_sizes[b] != 32;
  printf("  probe kernel: %d blocks x %d threads, %s\n", kBlocks, kThreadsPerBlock,
         wrong == 0 ? "every thread reported correctly" : "WRONG results");

  TS_CHECK(tsFree(d_indices));
  TS_CHECK(tsFree(d_warp_sizes));
  TS_CHECK(tsModuleUnload(module));
  return wrong == 0;
}

int main(void) {
  int runtime_version = 0, driver_version = 0;
  TS_CHECK(tsRuntimeGetVersion(&runtime_version));
  TS_CHECK(tsDriverGetVersion(&driver_version));
  printf("Tessera runtime API %d.%d (header TESSERA_VERSION %d), backend %d.%d\n",
         runtime_version / 1000, (runtime_version % 1000) / 10, TESSERA_VERSION,
         driver_version / 1000, (driver_version % 1000) / 10);

  int count = 0;
  tsError_t error = tsGetDeviceCount(&count);
  if (error == tsErrorNoDevice || (error == tsSuccess && count == 0)) {
    printf("No Tessera device is visible (%s).\nFAIL\n", tsGetErrorName(error));
    return 1;
  }
  TS_CHECK(error);
  printf("%d device%s\n", count, count == 1 ? "" : "s");

  int all_good = 1;
  for (int device = 0; device < count; ++device) {
    tsDeviceProp prop;
    TS_CHECK(tsGetDeviceProperties(&prop, device));
    printf("\nDevice %d\n", device);
    print_properties(&prop);

    tsVersionInfo versions;
    TS_CHECK(tsGetVersionInfo(device, &versions));
    print_api_version("runtime version", versions.runtime);
    print_api_version("backend version", versions.backend);
    printf("  %-28s %s\n", "backend name", versions.backend_name);
    print_hw_version("T1 interface in use", versions.hw_interface);
    print_hw_version("T1 interface of the device", versions.hw_interface_device);
    print_hw_version("code-object note version", versions.codeobj_supported);
    printf("  %-28s %s\n", "emulator build", versions.emulator[0] ? versions.emulator : "(none)");

    size_t free_bytes = 0, total_bytes = 0;
    TS_CHECK(tsSetDevice(device));
    TS_CHECK(tsMemGetInfo(&free_bytes, &total_bytes));
    printf("  %-28s %.1f of %.1f MiB free\n", "memory", (double)free_bytes / (1024.0 * 1024.0),
           (double)total_bytes / (1024.0 * 1024.0));

    int problems = count_insane_properties(&prop);
    if (versions.runtime != runtime_version) {
      printf("  unexpected: tsGetVersionInfo's runtime version differs from tsRuntimeGetVersion's\n");
      ++problems;
    }
    if (free_bytes > total_bytes || total_bytes != prop.totalGlobalMem) {
      printf("  unexpected: tsMemGetInfo disagrees with totalGlobalMem\n");
      ++problems;
    }
    if (problems != 0)
      all_good = 0;
    if (!probe_device(device))
      all_good = 0;
  }

  /* Which devices have a direct chip-to-chip link (peer DMA). */
  printf("\nPeer access (row: device, column: peer; 1 = direct link)\n     ");
  for (int peer = 0; peer < count; ++peer)
    printf(" %3d", peer);
  printf("\n");
  for (int device = 0; device < count; ++device) {
    printf("  %3d", device);
    for (int peer = 0; peer < count; ++peer) {
      if (peer == device) {
        printf("   -");
        continue;
      }
      int can_access = 0;
      TS_CHECK(tsDeviceCanAccessPeer(&can_access, device, peer));
      printf(" %3d", can_access);
    }
    printf("\n");
  }

  printf("\n%s\n", all_good ? "PASS" : "FAIL");
  return all_good ? 0 : 1;
}
