// SPDX-License-Identifier: Apache-2.0
// Version queries, and code objects of versions the runtime cannot read.
#include <cstring>
#include <string>
#include <vector>

#include <tessera/hw/t1_codeobj.h>

#include "runtime_test.hpp"

using namespace runtime_test;

namespace {

std::vector<uint8_t> basic_code_copy() {
  const auto code = basic_code();
  return {code.begin(), code.end()};
}

// Sets the note header's version field of a code object copy.
void set_note_version(std::vector<uint8_t>& file, uint32_t version) {
  const size_t desc = codeobj_note_descriptor_offset(file);
  REQUIRE(desc != 0);
  uint32_t found = 0;
  std::memcpy(&found, file.data() + desc + offsetof(t1_codeobj_header, version), sizeof found);
  REQUIRE(found == T1_CODEOBJ_VERSION);  // we are patching the right field
  std::memcpy(file.data() + desc + offsetof(t1_codeobj_header, version), &version, sizeof version);
}

}  // namespace

TEST_CASE("tsRuntimeGetVersion and tsDriverGetVersion", "[versions]") {
  int runtime = -1;
  TS_REQUIRE(tsRuntimeGetVersion(&runtime));
  CHECK(runtime == TESSERA_VERSION);
  int driver = -1;
  TS_REQUIRE(tsDriverGetVersion(&driver));
  CHECK(driver > 0);
  CHECK(tsRuntimeGetVersion(nullptr) == tsErrorInvalidValue);
  CHECK(tsDriverGetVersion(nullptr) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("tsGetVersionInfo describes every layer", "[versions]") {
  const int count = device_count();
  int driver = -1;
  TS_REQUIRE(tsDriverGetVersion(&driver));
  for (int device = 0; device < count; ++device) {
    INFO("device " << device);
    tsVersionInfo info;
    std::memset(&info, 0xCC, sizeof info);
    TS_REQUIRE(tsGetVersionInfo(device, &info));
    CHECK(info.runtime == TESSERA_VERSION);
    CHECK(info.backend == driver);
    const tsDeviceProp prop = properties(device);
    CHECK(info.hw_interface == (static_cast<uint32_t>(prop.major) << 16 | static_cast<uint32_t>(prop.minor)));
    CHECK(info.hw_interface >> 16 == 1);
    CHECK(info.hw_interface_device >> 16 == info.hw_interface >> 16);
    CHECK(info.hw_interface_device >= info.hw_interface);  // runtime speaks at most what the device does
    CHECK(info.codeobj_supported == T1_CODEOBJ_VERSION);
    // The strings are terminated inside their arrays.
    REQUIRE(std::memchr(info.backend_name, 0, sizeof info.backend_name) != nullptr);
    REQUIRE(std::memchr(info.emulator, 0, sizeof info.emulator) != nullptr);
    CHECK(std::string(info.backend_name) == expected_backend());
    CHECK(std::string(info.backend_name) == prop.backend);
    CHECK_FALSE(std::string(info.emulator).empty());
  }
  tsVersionInfo info{};
  CHECK(tsGetVersionInfo(count, &info) == tsErrorInvalidDevice);
  CHECK(tsGetVersionInfo(-1, &info) == tsErrorInvalidDevice);
  CHECK(tsGetVersionInfo(0, nullptr) == tsErrorInvalidValue);
  (void)tsGetLastError();
}

TEST_CASE("a code object of an unsupported major version is refused, naming both versions",
          "[versions][modules]") {
  std::vector<uint8_t> file = basic_code_copy();
  set_note_version(file, 2u << 16 | 3u);
  tsModule_t module = reinterpret_cast<tsModule_t>(0x1234);
  const tsError_t e = tsModuleLoadData(&module, file.data(), file.size());
  const std::string message = tsGetLastErrorMessage();
  INFO("error " << tsGetErrorName(e) << ", message: " << message);
  CHECK((e == tsErrorIncompatibleVersion || e == tsErrorInvalidImage));
  CHECK(module == reinterpret_cast<tsModule_t>(0x1234));
  CHECK(message.find("2.3") != std::string::npos);  // what was found
  CHECK(matches_nocase(message, R"(\b1\.(x|0)\b)"));  // what is supported
  (void)tsGetLastError();
}

TEST_CASE("a code object of a newer minor version of a known major loads", "[versions][modules]") {
  std::vector<uint8_t> file = basic_code_copy();
  set_note_version(file, 1u << 16 | 7u);
  tsModule_t module = nullptr;
  TS_REQUIRE(tsModuleLoadData(&module, file.data(), file.size()));
  tsFunction_t f = nullptr;
  TS_CHECK(tsModuleGetFunction(&f, module, "fill_u32"));
  TS_CHECK(tsModuleUnload(module));
}

TEST_CASE("malformed code objects are refused with tsErrorInvalidImage", "[versions][modules]") {
  tsModule_t module = nullptr;
  SECTION("garbage bytes") {
    std::vector<uint8_t> garbage(4096);
    for (size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<uint8_t>(i * 37 + 11);
    CHECK(tsModuleLoadData(&module, garbage.data(), garbage.size()) == tsErrorInvalidImage);
    CHECK_FALSE(std::string(tsGetLastErrorMessage()).empty());
  }
  SECTION("a code object cut in half") {
    const std::vector<uint8_t> file = basic_code_copy();
    CHECK(tsModuleLoadData(&module, file.data(), file.size() / 2) == tsErrorInvalidImage);
  }
  SECTION("an ELF header only") {
    const std::vector<uint8_t> file = basic_code_copy();
    CHECK(tsModuleLoadData(&module, file.data(), 64) == tsErrorInvalidImage);
  }
  SECTION("no bytes") {
    const std::vector<uint8_t> file = basic_code_copy();
    const tsError_t e = tsModuleLoadData(&module, file.data(), 0);
    CHECK((e == tsErrorInvalidImage || e == tsErrorInvalidValue));
  }
  SECTION("a null image") {
    CHECK(tsModuleLoadData(&module, nullptr, 100) == tsErrorInvalidValue);
  }
  SECTION("a null output pointer") {
    const auto code = basic_code();
    CHECK(tsModuleLoadData(nullptr, code.data(), code.size()) == tsErrorInvalidValue);
  }
  CHECK(module == nullptr);
  (void)tsGetLastError();
}
