// SPDX-License-Identifier: Apache-2.0
// Host<->device copy bandwidth, 4 KiB to 256 MiB (powers of 4), from and to
// pageable (std::vector) and page-locked (tsMallocHost) host memory, as
// tsMemcpyAsync + tsStreamSynchronize per copy. Each is compared with host
// memcpy of the same size between two pageable buffers, measured in the same
// run; the target is a ratio of at least 0.8 from 1 MiB up.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "benchmarks.hpp"
#include "guard.hpp"
#include "results.hpp"

namespace tessera::bench {

namespace {

constexpr size_t kMinBytes = 4 << 10;
constexpr size_t kMaxBytes = 256 << 20;

enum class Direction { HostToDevice, DeviceToHost };
enum class HostMemory { Pageable, PageLocked };

std::string size_label(size_t bytes) {
  return bytes >= (1 << 20) ? std::to_string(bytes >> 20) + "MiB" : std::to_string(bytes >> 10) + "KiB";
}

void host_memcpy(benchmark::State& state, size_t bytes) {
  std::vector<char> src(bytes, 1), dst(bytes, 2);  // touched: no page faults while timed
  for (auto _ : state) {
    std::memcpy(dst.data(), src.data(), bytes);
    benchmark::DoNotOptimize(dst.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}

void device_copy(benchmark::State& state, size_t bytes, Direction dir, HostMemory mem) {
  guarded(state, [&] {
    std::vector<char> pageable;
    tessera::HostBuffer<char> locked;
    char* host = nullptr;
    if (mem == HostMemory::Pageable) {
      pageable.assign(bytes, 3);
      host = pageable.data();
    } else {
      locked = tessera::HostBuffer<char>(bytes);
      host = locked.data();
    }
    tessera::DeviceBuffer<char> device(bytes);
    tessera::Stream stream;
    auto copy = [&] {
      if (dir == Direction::HostToDevice) {
        tessera::check(tsMemcpyAsync(device.data(), host, bytes, tsMemcpyHostToDevice, stream.get()));
      } else {
        tessera::check(tsMemcpyAsync(host, device.data(), bytes, tsMemcpyDeviceToHost, stream.get()));
      }
      tessera::check(tsStreamSynchronize(stream.get()));
    };
    copy();  // the first copy backs the device pages
    for (auto _ : state) copy();
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  });
}

}  // namespace

void register_copy_benchmarks() {
  for (size_t bytes = kMinBytes; bytes <= kMaxBytes; bytes *= 4) {
    const std::string s = size_label(bytes);
    benchmark::RegisterBenchmark(("copy/memcpy/" + s).c_str(), host_memcpy, bytes)->UseRealTime();
    const struct {
      const char* name;
      Direction dir;
      HostMemory mem;
    } cases[] = {
        {"h2d_pageable", Direction::HostToDevice, HostMemory::Pageable},
        {"h2d_pinned", Direction::HostToDevice, HostMemory::PageLocked},
        {"d2h_pageable", Direction::DeviceToHost, HostMemory::Pageable},
        {"d2h_pinned", Direction::DeviceToHost, HostMemory::PageLocked},
    };
    for (const auto& c : cases)
      benchmark::RegisterBenchmark(("copy/" + std::string(c.name) + "/" + s).c_str(), device_copy, bytes, c.dir, c.mem)
          ->UseRealTime();
  }
}

void print_copy_summary() {
  std::printf("\nCopy bandwidth as a ratio to host memcpy of the same size (target >= 0.8 from 1 MiB)\n");
  std::printf("  %-8s %11s %13s %11s %13s %11s\n", "size", "memcpy GB/s", "H2D pageable", "H2D pinned",
              "D2H pageable", "D2H pinned");
  for (size_t bytes = kMinBytes; bytes <= kMaxBytes; bytes *= 4) {
    const std::string s = size_label(bytes);
    // Rates as recorded by the reporter in main.cpp (bytes per second).
    const auto ref = result("bytes_per_second.copy/memcpy/" + s);
    std::printf("  %-8s", s.c_str());
    if (ref) {
      std::printf(" %11.2f", *ref / 1e9);
    } else {
      std::printf(" %11s", "-");
    }
    for (const char* c : {"h2d_pageable", "h2d_pinned", "d2h_pageable", "d2h_pinned"}) {
      const auto v = result("bytes_per_second.copy/" + std::string(c) + "/" + s);
      const int width = std::strstr(c, "pageable") ? 13 : 11;
      if (v && ref) {
        const bool judged = bytes >= (1 << 20);
        char cell[32];
        std::snprintf(cell, sizeof cell, "%.2f%s", *v / *ref, judged ? (*v / *ref >= 0.8 ? " ok" : " low") : "");
        std::printf(" %*s", width, cell);
      } else {
        std::printf(" %*s", width, "-");
      }
    }
    std::printf("\n");
  }
}

}  // namespace tessera::bench
