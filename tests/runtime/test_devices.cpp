// SPDX-License-Identifier: Apache-2.0
// Device enumeration, properties, the per-thread current device,
// TESSERA_VISIBLE_DEVICES and tsDeviceReset.
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

// Runs the probe with `environment` (shell assignments) prepended and
// returns its key=value lines.
std::map<std::string, std::string> run_probe(const std::string& environment) {
  const std::string command = environment + " " + TESSERA_DEVICE_PROBE + " 2>&1";
  FILE* out = popen(command.c_str(), "r");
  REQUIRE(out != nullptr);
  std::map<std::string, std::string> values;
  std::string all;
  char line[1024];
  while (std::fgets(line, sizeof line, out)) {
    std::string text(line);
    all += text;
    if (!text.empty() && text.back() == '\n') text.pop_back();
    const size_t eq = text.find('=');
    if (eq != std::string::npos) values[text.substr(0, eq)] = text.substr(eq + 1);
  }
  const int status = pclose(out);
  values["exit"] = std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  values["output"] = all;
  return values;
}

}  // namespace

TEST_CASE("the emulator's devices are counted", "[devices]") {
  const char* configured = std::getenv("TESSERA_EMU_DEVICES");
  REQUIRE(configured != nullptr);  // set by the ctest environment or runtime_test.cpp
  CHECK(device_count() == std::atoi(configured));
  CHECK(tsGetDeviceCount(nullptr) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("device properties describe the emulated T1", "[devices]") {
  const int count = device_count();
  for (int device = 0; device < count; ++device) {
    INFO("device " << device);
    tsDeviceProp prop;
    std::memset(&prop, 0xCC, sizeof prop);
    TS_REQUIRE(tsGetDeviceProperties(&prop, device));
    REQUIRE(std::memchr(prop.name, 0, sizeof prop.name) != nullptr);
    REQUIRE(std::memchr(prop.backend, 0, sizeof prop.backend) != nullptr);
    CHECK(std::strlen(prop.name) > 0);
    CHECK(std::string(prop.backend) == expected_backend());
    CHECK(prop.platform == tsPlatformEmulator);
    CHECK(prop.totalGlobalMem == size_t{512} << 20);  // TESSERA_EMU_MEMORY=512M
    CHECK(prop.multiProcessorCount == 4);            // TESSERA_EMU_TILES=4
    CHECK(prop.sharedMemPerBlock == size_t{256} << 10);
    CHECK(prop.warpSize == 32);
    CHECK(prop.maxThreadsPerBlock == 1024);
    CHECK(prop.maxThreadsPerMultiProcessor >= prop.maxThreadsPerBlock);
    CHECK(prop.maxBlocksPerMultiProcessor == 1);
    CHECK(prop.regsPerBlock == 64 * prop.maxThreadsPerBlock);
    CHECK(prop.maxThreadsDim[0] == 1024);
    CHECK(prop.maxThreadsDim[1] >= 1);
    CHECK(prop.maxThreadsDim[2] >= 1);
    for (int d = 0; d < 3; ++d) CHECK(prop.maxGridSize[d] >= 65535);
    CHECK(prop.clockRate > 0);
    CHECK(prop.major == 1);
    CHECK(prop.minor >= 0);
    CHECK(prop.unifiedAddressing == 1);
    CHECK(prop.concurrentKernels == 1);
    // Host windows: the in-process emulator has them, the kernel driver not.
    CHECK(prop.canMapHostMemory == (expected_backend() == "emu" ? 1 : 0));
    CHECK(prop.asyncEngineCount >= 1);
    CHECK((prop.deterministic == 0 || prop.deterministic == 1));
    CHECK(prop.pciDomainID == 0);
    CHECK(prop.pciBusID == 0);
    CHECK(prop.pciDeviceID == 0);
    CHECK(prop.deviceIndex == device);  // no filtering in this process
    if (count > 1) CHECK(prop.linkCount >= 1);
  }
  tsDeviceProp prop{};
  CHECK(tsGetDeviceProperties(&prop, count) == tsErrorInvalidDevice);
  CHECK(tsGetDeviceProperties(&prop, -1) == tsErrorInvalidDevice);
  CHECK(tsGetDeviceProperties(nullptr, 0) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("tsSetDevice checks the ordinal", "[devices]") {
  const int count = device_count();
  int device = -1;
  TS_REQUIRE(tsGetDevice(&device));
  CHECK(device == 0);
  CHECK(tsSetDevice(count) == tsErrorInvalidDevice);
  CHECK(tsSetDevice(-1) == tsErrorInvalidDevice);
  TS_REQUIRE(tsGetDevice(&device));
  CHECK(device == 0);
  CHECK(tsGetDevice(nullptr) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("the current device is per host thread and starts at 0", "[devices]") {
  require_devices(2);
  DeviceScope one(1);
  int here = -1;
  TS_REQUIRE(tsGetDevice(&here));
  CHECK(here == 1);

  int initial_there = -1, after_set_there = -1;
  std::thread other([&] {
    tsGetDevice(&initial_there);
    tsSetDevice(0);
    tsGetDevice(&after_set_there);
  });
  other.join();
  CHECK(initial_there == 0);  // a new thread starts at device 0
  CHECK(after_set_there == 0);
  TS_REQUIRE(tsGetDevice(&here));
  CHECK(here == 1);  // unaffected by the other thread

  // Allocations go to the current device.
  DeviceBuffer buffer(4096);
  tsPointerAttributes attributes{};
  TS_REQUIRE(tsPointerGetAttributes(&attributes, buffer.get()));
  CHECK(attributes.type == tsMemoryTypeDevice);
  CHECK(attributes.device == 1);
}

TEST_CASE("tsDeviceSynchronize on an idle device succeeds", "[devices]") {
  TS_CHECK(tsDeviceSynchronize());
}

TEST_CASE("TESSERA_VISIBLE_DEVICES filters and reorders the devices", "[devices]") {
  SECTION("one device of two") {
    auto probe = run_probe("TESSERA_EMU_DEVICES=2 TESSERA_VISIBLE_DEVICES=1");
    INFO(probe["output"]);
    CHECK(probe["error"] == "tsSuccess");
    CHECK(probe["count"] == "1");
    CHECK(probe["device0.index"] == "1");  // the index in the fabric, before filtering
  }
  SECTION("both devices, reversed") {
    auto probe = run_probe("TESSERA_EMU_DEVICES=2 TESSERA_VISIBLE_DEVICES=1,0");
    INFO(probe["output"]);
    CHECK(probe["error"] == "tsSuccess");
    CHECK(probe["count"] == "2");
    CHECK(probe["device0.index"] == "1");
    CHECK(probe["device1.index"] == "0");
  }
  SECTION("unset: every device") {
    auto probe = run_probe("env -u TESSERA_VISIBLE_DEVICES TESSERA_EMU_DEVICES=2");
    INFO(probe["output"]);
    CHECK(probe["error"] == "tsSuccess");
    CHECK(probe["count"] == "2");
    CHECK(probe["device0.index"] == "0");
    CHECK(probe["device1.index"] == "1");
  }
  SECTION("an ordinal that does not exist") {
    auto probe = run_probe("TESSERA_EMU_DEVICES=2 TESSERA_VISIBLE_DEVICES=5");
    INFO(probe["output"]);
    CHECK((probe["error"] == "tsErrorNoDevice" || probe["error"] == "tsErrorInvalidValue"));
    CHECK(probe["exit"] == "1");
    CHECK(probe["message"].find("TESSERA_VISIBLE_DEVICES") != std::string::npos);
    CHECK(probe["message"].find("5") != std::string::npos);
  }
  SECTION("a value that is not a list of ordinals") {
    auto probe = run_probe("TESSERA_EMU_DEVICES=2 TESSERA_VISIBLE_DEVICES=gpu0");
    INFO(probe["output"]);
    CHECK((probe["error"] == "tsErrorNoDevice" || probe["error"] == "tsErrorInvalidValue"));
    CHECK(probe["exit"] == "1");
    CHECK(probe["message"].find("TESSERA_VISIBLE_DEVICES") != std::string::npos);
    CHECK(probe["message"].find("gpu0") != std::string::npos);
  }
}

TEST_CASE("tsDeviceReset invalidates the device's handles and leaves it usable", "[devices]") {
  require_devices(2);
  // Something on the other device, which the reset must not touch.
  DeviceScope one(1);
  DeviceBuffer survivor(1024);
  TS_REQUIRE(tsMemset(survivor.get(), 0x5A, survivor.size()));
  TS_REQUIRE(tsSetDevice(0));

  void* old_memory = nullptr;
  TS_REQUIRE(tsMalloc(&old_memory, 4096));
  tsStream_t old_stream = nullptr;
  TS_REQUIRE(tsStreamCreate(&old_stream));
  tsEvent_t old_event = nullptr;
  TS_REQUIRE(tsEventCreate(&old_event));
  tsModule_t old_module = nullptr;
  TS_REQUIRE(tsModuleLoadData(&old_module, basic_code().data(), basic_code().size()));

  TS_REQUIRE(tsDeviceReset());

  CHECK(tsStreamQuery(old_stream) == tsErrorInvalidResourceHandle);
  CHECK(tsEventQuery(old_event) == tsErrorInvalidResourceHandle);
  tsFunction_t f = nullptr;
  CHECK(tsModuleGetFunction(&f, old_module, "fill_u32") == tsErrorInvalidResourceHandle);
  CHECK(tsFree(old_memory) == tsErrorInvalidDevicePointer);
  (void)tsGetLastError();

  // The device works afresh.
  Module module(basic_code());
  DeviceBuffer buffer(256 * sizeof(uint32_t));
  TS_REQUIRE(launch_fill(module.function("fill_u32"), buffer.as<uint32_t>(), 0xC0FFEE, 256, nullptr));
  TS_REQUIRE(tsDeviceSynchronize());
  const auto values = read_u32(buffer.get(), 256);
  CHECK(std::count(values.begin(), values.end(), 0xC0FFEEu) == 256);

  // Device 1 kept its memory.
  std::vector<uint8_t> back(survivor.size());
  TS_REQUIRE(tsMemcpy(back.data(), survivor.get(), back.size(), tsMemcpyDeviceToHost));
  CHECK(std::count(back.begin(), back.end(), 0x5A) == static_cast<long>(back.size()));
}
