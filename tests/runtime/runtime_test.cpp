// SPDX-License-Identifier: Apache-2.0
#include "runtime_test.hpp"

#include <elf.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <iterator>
#include <regex>
#include <thread>

#include <tessera/hw/t1_codeobj.h>

namespace runtime_test {
namespace {

// The emulator configuration the tests are written for, unless the caller
// chose another: the same as the ctest ENVIRONMENT, so running the binary by
// hand behaves as under ctest. This runs before main(), and the runtime
// reads the variables when it starts (at its first call), so they apply.
struct EnvironmentDefaults {
  EnvironmentDefaults() {
    setenv("TESSERA_EMU_DEVICES", "2", 0);
    setenv("TESSERA_EMU_TILES", "4", 0);
    setenv("TESSERA_EMU_MEMORY", "512M", 0);
    setenv("TESSERA_EMU_WATCHDOG_MS", "2000", 0);
  }
} environment_defaults;

}  // namespace

int device_count() {
  int count = -1;
  TS_REQUIRE(tsGetDeviceCount(&count));
  return count;
}

void require_devices(int n) {
  INFO("this test needs " << n << " devices (run with TESSERA_EMU_DEVICES=" << n << ")");
  REQUIRE(device_count() >= n);
}

std::string expected_backend() {
  const char* b = std::getenv("TESSERA_BACKEND");
  return b && *b ? b : "emu";
}

tsDeviceProp properties(int device) {
  tsDeviceProp prop{};
  TS_REQUIRE(tsGetDeviceProperties(&prop, device));
  return prop;
}

Module::Module(std::span<const uint8_t> code) {
  TS_REQUIRE(tsModuleLoadData(&module_, code.data(), code.size()));
  REQUIRE(module_ != nullptr);
}

Module::~Module() {
  if (module_) tsModuleUnload(module_);
}

tsFunction_t Module::function(const char* name) const {
  tsFunction_t f = nullptr;
  INFO("kernel " << name);
  TS_REQUIRE(tsModuleGetFunction(&f, module_, name));
  REQUIRE(f != nullptr);
  return f;
}

DeviceBuffer::DeviceBuffer(size_t bytes) : bytes_(bytes) {
  TS_REQUIRE(tsMalloc(&ptr_, bytes));
}

DeviceBuffer::~DeviceBuffer() {
  if (ptr_) tsFree(ptr_);
}

HostBuffer::HostBuffer(size_t bytes) : bytes_(bytes) {
  TS_REQUIRE(tsMallocHost(&ptr_, bytes));
  REQUIRE(ptr_ != nullptr);
}

HostBuffer::~HostBuffer() {
  if (ptr_) tsFreeHost(ptr_);
}

Stream::Stream(unsigned flags) {
  TS_REQUIRE(tsStreamCreateWithFlags(&stream_, flags));
  REQUIRE(stream_ != nullptr);
}

Stream::~Stream() {
  if (stream_) tsStreamDestroy(stream_);
}

Event::Event(unsigned flags) {
  TS_REQUIRE(tsEventCreateWithFlags(&event_, flags));
  REQUIRE(event_ != nullptr);
}

Event::~Event() {
  if (event_) tsEventDestroy(event_);
}

DeviceScope::DeviceScope(int device) {
  TS_REQUIRE(tsGetDevice(&previous_));
  TS_REQUIRE(tsSetDevice(device));
}

DeviceScope::~DeviceScope() { tsSetDevice(previous_); }

struct Gate::State {
  std::promise<void> opened;
  std::shared_future<void> opened_future = opened.get_future().share();
  std::atomic<bool> open_called{false};
  std::atomic<bool> reached{false};
  std::atomic<int> references{1};

  void release() {
    if (references.fetch_sub(1) == 1) delete this;
  }
  static void host_function(void* user_data) {
    auto* state = static_cast<State*>(user_data);
    state->reached = true;
    state->opened_future.wait();
    state->release();
  }
};

Gate::Gate() : state_(new State) {}

Gate::~Gate() {
  open();
  state_->release();
}

tsError_t Gate::hold(tsStream_t stream) {
  REQUIRE_FALSE(enqueued_);
  state_->references.fetch_add(1);
  const tsError_t e = tsLaunchHostFunc(stream, State::host_function, state_);
  if (e == tsSuccess)
    enqueued_ = true;
  else
    state_->release();  // the host function will never run
  return e;
}

void Gate::open() {
  if (!state_->open_called.exchange(true)) state_->opened.set_value();
}

bool Gate::reached() const { return state_->reached; }

namespace {
template <class Query>
tsError_t poll(Query query, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const tsError_t e = query();
    if (e != tsErrorNotReady || std::chrono::steady_clock::now() > deadline) return e;
    std::this_thread::sleep_for(1ms);
  }
}
}  // namespace

tsError_t wait_for_stream(tsStream_t stream, std::chrono::milliseconds timeout) {
  return poll([&] { return tsStreamQuery(stream); }, timeout);
}

tsError_t wait_for_event(tsEvent_t event, std::chrono::milliseconds timeout) {
  return poll([&] { return tsEventQuery(event); }, timeout);
}

tsError_t launch_fill(tsFunction_t fill_u32, uint32_t* out, uint32_t value, uint32_t n,
                      tsStream_t stream) {
  void* args[] = {&out, &value, &n};
  return tsLaunchKernel(fill_u32, TS_DIM3((n + 63) / 64, 1, 1), TS_DIM3(64, 1, 1), args, 0,
                        stream);
}

tsError_t launch_increment(tsFunction_t increment_u32, uint32_t* data, uint32_t n,
                           tsStream_t stream) {
  void* args[] = {&data, &n};
  return tsLaunchKernel(increment_u32, TS_DIM3((n + 63) / 64, 1, 1), TS_DIM3(64, 1, 1), args, 0,
                        stream);
}

std::vector<uint32_t> read_u32(const void* device, size_t n) {
  std::vector<uint32_t> values(n, 0xDEADBEEF);
  TS_REQUIRE(tsMemcpy(values.data(), device, n * sizeof(uint32_t), tsMemcpyDeviceToHost));
  return values;
}

std::vector<uint8_t> read_bytes(const void* device, size_t n) {
  std::vector<uint8_t> bytes(n, 0xEE);
  TS_REQUIRE(tsMemcpy(bytes.data(), device, n, tsMemcpyDeviceToHost));
  return bytes;
}

bool contains_nocase(const std::string& text, const std::string& part) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  return lower(text).find(lower(part)) != std::string::npos;
}

bool matches_nocase(const std::string& text, const std::string& regex) {
  return std::regex_search(text, std::regex(regex, std::regex::ECMAScript | std::regex::icase));
}

int find_marker_line(const std::string& file, const std::string& marker) {
  std::ifstream in(file);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number)
    if (line.find(marker) != std::string::npos) return number;
  return 0;
}

std::string kernel_source(const std::string& name) {
  return std::string(TESSERA_RUNTIME_TEST_KERNEL_DIR) + "/" + name;
}

std::vector<uint8_t> read_binary(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_binary(const std::string& path, std::span<const uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

size_t codeobj_note_descriptor_offset(std::span<const uint8_t> file) {
  // Only well-formed files from tessc are given here; still, stay inside.
  auto get = [&](size_t off, auto& out) {
    if (off + sizeof out > file.size()) return false;
    std::memcpy(&out, file.data() + off, sizeof out);
    return true;
  };
  Elf64_Ehdr eh;
  if (!get(0, eh) || std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) return 0;
  Elf64_Shdr names;
  if (!get(eh.e_shoff + size_t{eh.e_shstrndx} * eh.e_shentsize, names)) return 0;
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    Elf64_Shdr sh;
    if (!get(eh.e_shoff + size_t{i} * eh.e_shentsize, sh)) return 0;
    const size_t name_at = names.sh_offset + sh.sh_name;
    if (sh.sh_type != SHT_NOTE || name_at >= file.size()) continue;
    const char* name = reinterpret_cast<const char*>(file.data() + name_at);
    if (std::strncmp(name, T1_CODEOBJ_SECTION, file.size() - name_at) != 0) continue;
    // namesz, descsz, type, then the name padded to 4 bytes.
    uint32_t namesz = 0;
    if (!get(sh.sh_offset, namesz)) return 0;
    return sh.sh_offset + 12 + ((namesz + 3) & ~size_t{3});
  }
  return 0;
}

}  // namespace runtime_test
