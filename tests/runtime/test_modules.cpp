// SPDX-License-Identifier: Apache-2.0
// Modules: loading from memory and from a file, looking up kernels and
// globals, kernel attributes, unloading, modules of several devices.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

// A temporary file holding `bytes`, removed at scope exit.
class TempFile {
 public:
  explicit TempFile(std::span<const uint8_t> bytes) {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/tessera-runtime-test-XXXXXX";
    const int fd = mkstemp(path_.data());
    REQUIRE(fd >= 0);
    close(fd);
    write_binary(path_, bytes);
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Fills n values with `value` through the module's fill_u32 and reads them back.
std::vector<uint32_t> fill_through(tsModule_t module, uint32_t value, uint32_t n) {
  tsFunction_t fill = nullptr;
  TS_REQUIRE(tsModuleGetFunction(&fill, module, "fill_u32"));
  DeviceBuffer buffer(n * sizeof(uint32_t));
  TS_REQUIRE(launch_fill(fill, buffer.as<uint32_t>(), value, n, nullptr));
  TS_REQUIRE(tsStreamSynchronize(nullptr));
  return read_u32(buffer.get(), n);
}

}  // namespace

TEST_CASE("a module loads from memory and its kernels run", "[modules]") {
  tsModule_t module = nullptr;
  TS_REQUIRE(tsModuleLoadData(&module, basic_code().data(), basic_code().size()));
  REQUIRE(module != nullptr);
  const auto values = fill_through(module, 0xABCD, 1000);
  CHECK(std::count(values.begin(), values.end(), 0xABCDu) == 1000);
  TS_CHECK(tsModuleUnload(module));
}

TEST_CASE("the image is copied: the caller's bytes may change after loading", "[modules]") {
  std::vector<uint8_t> image(basic_code().begin(), basic_code().end());
  tsModule_t module = nullptr;
  TS_REQUIRE(tsModuleLoadData(&module, image.data(), image.size()));
  std::fill(image.begin(), image.end(), 0);
  const auto values = fill_through(module, 77, 100);
  CHECK(std::count(values.begin(), values.end(), 77u) == 100);
  TS_CHECK(tsModuleUnload(module));
}

TEST_CASE("a module loads from a file", "[modules]") {
  TempFile file(basic_code());
  tsModule_t module = nullptr;
  TS_REQUIRE(tsModuleLoad(&module, file.path().c_str()));
  REQUIRE(module != nullptr);
  const auto values = fill_through(module, 0x1234, 500);
  CHECK(std::count(values.begin(), values.end(), 0x1234u) == 500);
  TS_CHECK(tsModuleUnload(module));

  SECTION("a missing file is reported with its path") {
    const std::string missing = file.path() + ".does-not-exist";
    tsModule_t untouched = reinterpret_cast<tsModule_t>(0x99);
    const tsError_t e = tsModuleLoad(&untouched, missing.c_str());
    const std::string message = tsGetLastErrorMessage();
    INFO(tsGetErrorName(e) << ": " << message);
    CHECK(e != tsSuccess);
    CHECK(untouched == reinterpret_cast<tsModule_t>(0x99));
    CHECK(message.find(missing) != std::string::npos);
  }
  SECTION("a file that is not a code object") {
    const uint8_t text[] = "not an ELF file at all\n";
    TempFile junk(text);
    tsModule_t untouched = nullptr;
    CHECK(tsModuleLoad(&untouched, junk.path().c_str()) == tsErrorInvalidImage);
    CHECK(untouched == nullptr);
  }
  SECTION("a null path") {
    tsModule_t untouched = nullptr;
    CHECK(tsModuleLoad(&untouched, nullptr) == tsErrorInvalidValue);
  }
  (void)tsGetLastError();
}

TEST_CASE("looking up names that are not there", "[modules]") {
  Module module(basic_code());
  tsFunction_t f = reinterpret_cast<tsFunction_t>(0x77);
  CHECK(tsModuleGetFunction(&f, module.get(), "does_not_exist") == tsErrorNotFound);
  CHECK(tsModuleGetFunction(&f, module.get(), "g_table") == tsErrorNotFound);  // a global, not a kernel
  CHECK(tsModuleGetFunction(&f, module.get(), "") == tsErrorNotFound);
  CHECK(f == reinterpret_cast<tsFunction_t>(0x77));
  CHECK(tsModuleGetFunction(&f, module.get(), nullptr) == tsErrorInvalidValue);
  CHECK(tsModuleGetFunction(nullptr, module.get(), "noop") == tsErrorInvalidValue);

  void* p = reinterpret_cast<void*>(0x77);
  size_t bytes = 77;
  CHECK(tsModuleGetGlobal(&p, &bytes, module.get(), "g_nothing") == tsErrorNotFound);
  CHECK(tsModuleGetGlobal(&p, &bytes, module.get(), "fill_u32") == tsErrorNotFound);  // a kernel
  CHECK(p == reinterpret_cast<void*>(0x77));
  CHECK(bytes == 77);
  (void)tsGetLastError();
}

TEST_CASE("tsModuleGetGlobal reads and writes __device__ variables", "[modules]") {
  Module module(basic_code());
  void* table = nullptr;
  size_t bytes = 0;
  TS_REQUIRE(tsModuleGetGlobal(&table, &bytes, module.get(), "g_table"));
  REQUIRE(table != nullptr);
  CHECK(bytes == 4 * sizeof(int));

  // The initializer is in place.
  int initial[4] = {};
  TS_REQUIRE(tsMemcpy(initial, table, sizeof initial, tsMemcpyDeviceToHost));
  CHECK(initial[0] == 10);
  CHECK(initial[1] == 20);
  CHECK(initial[2] == 30);
  CHECK(initial[3] == 40);

  // The address is device memory of this device.
  tsPointerAttributes attributes{};
  TS_REQUIRE(tsPointerGetAttributes(&attributes, table));
  CHECK(attributes.type == tsMemoryTypeDevice);
  CHECK(attributes.device == 0);

  // Kernels see what the host writes there.
  const int updated[4] = {-1, 5, 1 << 20, 7};
  TS_REQUIRE(tsMemcpy(table, updated, sizeof updated, tsMemcpyHostToDevice));
  DeviceBuffer out(4 * sizeof(int));
  int* out_ptr = out.as<int>();
  void* args[] = {&out_ptr};
  TS_REQUIRE(tsLaunchKernel(module.function("read_table"), TS_DIM3(1, 1, 1), TS_DIM3(32, 1, 1),
                            args, 0, nullptr));
  int seen[4] = {};
  TS_REQUIRE(tsMemcpy(seen, out.get(), sizeof seen, tsMemcpyDeviceToHost));
  CHECK(std::equal(seen, seen + 4, updated));

  // And the host sees what kernels write.
  void* launches = nullptr;
  TS_REQUIRE(tsModuleGetGlobal(&launches, &bytes, module.get(), "g_launches"));
  CHECK(bytes == sizeof(unsigned long long));
  for (int i = 0; i < 5; ++i)
    TS_REQUIRE(tsLaunchKernel(module.function("count_launch"), TS_DIM3(2, 1, 1), TS_DIM3(32, 1, 1),
                              nullptr, 0, nullptr));
  unsigned long long count = 0;
  TS_REQUIRE(tsMemcpy(&count, launches, sizeof count, tsMemcpyDeviceToHost));
  CHECK(count == 5);

  // NULL for either output is allowed, as in CUDA.
  void* only_pointer = nullptr;
  TS_CHECK(tsModuleGetGlobal(&only_pointer, nullptr, module.get(), "g_table"));
  CHECK(only_pointer == table);
  size_t only_size = 0;
  TS_CHECK(tsModuleGetGlobal(nullptr, &only_size, module.get(), "g_table"));
  CHECK(only_size == 16);
}

TEST_CASE("each loaded module has its own globals", "[modules]") {
  Module first(basic_code()), second(basic_code());
  void* a = nullptr;
  void* b = nullptr;
  TS_REQUIRE(tsModuleGetGlobal(&a, nullptr, first.get(), "g_launches"));
  TS_REQUIRE(tsModuleGetGlobal(&b, nullptr, second.get(), "g_launches"));
  CHECK(a != b);
  TS_REQUIRE(tsLaunchKernel(first.function("count_launch"), TS_DIM3(1, 1, 1), TS_DIM3(1, 1, 1),
                            nullptr, 0, nullptr));
  TS_REQUIRE(tsDeviceSynchronize());
  unsigned long long count_a = 0, count_b = 0;
  TS_REQUIRE(tsMemcpy(&count_a, a, 8, tsMemcpyDeviceToHost));
  TS_REQUIRE(tsMemcpy(&count_b, b, 8, tsMemcpyDeviceToHost));
  CHECK(count_a == 1);
  CHECK(count_b == 0);
}

TEST_CASE("tsFuncGetAttributes reports the kernel's metadata", "[modules]") {
  Module module(basic_code());
  const tsDeviceProp prop = properties(0);
  tsFuncAttributes attr{};

  TS_REQUIRE(tsFuncGetAttributes(&attr, module.function("reverse_block")));
  CHECK(attr.sharedSizeBytes == 1024);  // __shared__ int staging[256]
  CHECK(attr.constSizeBytes == 0);
  CHECK(attr.localSizeBytes == 0);
  CHECK(attr.maxThreadsPerBlock == prop.maxThreadsPerBlock);
  CHECK(attr.numRegs == 64);
  CHECK(attr.binaryVersion == 10);  // note version 1.0
  CHECK(attr.recursion == 0);
  REQUIRE(attr.name != nullptr);
  CHECK(std::string(attr.name) == "reverse_block");
  CHECK(attr.maxDynamicSharedSizeBytes > 0);
  CHECK(static_cast<size_t>(attr.maxDynamicSharedSizeBytes) + attr.sharedSizeBytes <=
        prop.sharedMemPerBlock);
  CHECK(static_cast<size_t>(attr.maxDynamicSharedSizeBytes) + attr.sharedSizeBytes + 16 >
        prop.sharedMemPerBlock);  // only alignment is lost

  TS_REQUIRE(tsFuncGetAttributes(&attr, module.function("bounded_fill")));
  CHECK(attr.maxThreadsPerBlock == 128);  // __launch_bounds__(128)
  CHECK(attr.sharedSizeBytes == 0);
  CHECK(static_cast<size_t>(attr.maxDynamicSharedSizeBytes) == prop.sharedMemPerBlock);

  TS_REQUIRE(tsFuncGetAttributes(&attr, module.function("write_coordinates")));
  CHECK(attr.localSizeBytes >= 16);  // tessc reports 16 bytes of stack at -O2

  CHECK(tsFuncGetAttributes(nullptr, module.function("noop")) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("an unloaded module's handles are refused", "[modules]") {
  tsModule_t module = nullptr;
  TS_REQUIRE(tsModuleLoadData(&module, basic_code().data(), basic_code().size()));
  tsFunction_t noop = nullptr;
  TS_REQUIRE(tsModuleGetFunction(&noop, module, "noop"));
  TS_REQUIRE(tsModuleUnload(module));

  tsFunction_t f = nullptr;
  CHECK(tsModuleGetFunction(&f, module, "noop") == tsErrorInvalidResourceHandle);
  void* p = nullptr;
  CHECK(tsModuleGetGlobal(&p, nullptr, module, "g_table") == tsErrorInvalidResourceHandle);
  CHECK(tsLaunchKernel(noop, TS_DIM3(1, 1, 1), TS_DIM3(1, 1, 1), nullptr, 0, nullptr) ==
        tsErrorInvalidResourceHandle);
  tsFuncAttributes attr{};
  CHECK(tsFuncGetAttributes(&attr, noop) == tsErrorInvalidResourceHandle);
  CHECK(tsModuleUnload(module) == tsErrorInvalidResourceHandle);
  (void)tsGetLastError();
  TS_CHECK(tsDeviceSynchronize());  // nothing was enqueued
}

TEST_CASE("tsModuleUnload waits for launches that use the module", "[modules]") {
  tsModule_t module = nullptr;
  TS_REQUIRE(tsModuleLoadData(&module, basic_code().data(), basic_code().size()));
  tsFunction_t fill = nullptr;
  TS_REQUIRE(tsModuleGetFunction(&fill, module, "fill_u32"));
  DeviceBuffer buffer(256 * sizeof(uint32_t));
  TS_REQUIRE(tsMemset(buffer.get(), 0, buffer.size()));
  Stream stream;
  Gate gate;
  TS_REQUIRE(gate.hold(stream));
  TS_REQUIRE(launch_fill(fill, buffer.as<uint32_t>(), 0x5151, 256, stream));

  std::atomic<bool> opened{false};
  std::thread opener([&] {
    std::this_thread::sleep_for(300ms);
    opened = true;
    gate.open();
  });
  const tsError_t unloaded = tsModuleUnload(module);
  const bool waited = opened;
  opener.join();
  CHECK(unloaded == tsSuccess);
  CHECK(waited);
  TS_REQUIRE(tsStreamSynchronize(stream));
  const auto values = read_u32(buffer.get(), 256);
  CHECK(std::count(values.begin(), values.end(), 0x5151u) == 256);
}

TEST_CASE("a module belongs to the device that was current when it was loaded", "[modules]") {
  require_devices(2);
  DeviceScope one(1);
  Module module(basic_code());
  void* table = nullptr;
  TS_REQUIRE(tsModuleGetGlobal(&table, nullptr, module.get(), "g_table"));
  tsPointerAttributes attributes{};
  TS_REQUIRE(tsPointerGetAttributes(&attributes, table));
  CHECK(attributes.device == 1);
  const auto values = fill_through(module.get(), 0xD1, 300);
  CHECK(std::count(values.begin(), values.end(), 0xD1u) == 300);
}
