// SPDX-License-Identifier: Apache-2.0
// libtessera-rtc: programs, options, logs, the cache, argument checking,
// concurrent programs, and (with the runtime) running the compiled code.
#include <catch2/catch.hpp>

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <tessera/tsrtc.h>

#include <tessera/tessera.h>

#include "temp_dir.hpp"

namespace fs = std::filesystem;

namespace {

const char* kSaxpy = R"(#include "params.h"
extern "C" __global__ void saxpy(int n, float a, const float* x, float* y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = SCALE * a * x[i] + y[i];
}
)";

struct TempDir : tessera::testing::TempDir {
  TempDir() : tessera::testing::TempDir("tessera-tsrtc") {}
};

// Every test compiles into a private cache, never the user's; tests that
// look at the cache use their own directory.
struct PrivateCache {
  TempDir dir;
  PrivateCache() {
    setenv("TSRTC_CACHE_DIR", (dir.path / "cache").c_str(), 1);
    unsetenv("TSRTC_CACHE");
  }
};
PrivateCache g_cache;

std::string log_of(tsrtcProgram p) {
  size_t n = 0;
  REQUIRE(tsrtcGetProgramLogSize(p, &n) == TSRTC_SUCCESS);
  std::string s(n, '\0');
  REQUIRE(tsrtcGetProgramLog(p, s.data()) == TSRTC_SUCCESS);
  REQUIRE(s.back() == '\0');
  s.pop_back();
  return s;
}

std::vector<char> code_of(tsrtcProgram p) {
  size_t n = 0;
  REQUIRE(tsrtcGetCodeSize(p, &n) == TSRTC_SUCCESS);
  std::vector<char> code(n);
  REQUIRE(tsrtcGetCode(p, code.data()) == TSRTC_SUCCESS);
  return code;
}

// A program of kSaxpy with params.h in memory.
tsrtcProgram saxpy_program(const char* scale_header = "#define SCALE 1.0f\n") {
  const char* headers[] = {scale_header};
  const char* names[] = {"params.h"};
  tsrtcProgram p = nullptr;
  REQUIRE(tsrtcCreateProgram(&p, kSaxpy, "saxpy.cu", 1, headers, names) == TSRTC_SUCCESS);
  REQUIRE(p != nullptr);
  return p;
}

size_t files_in(const fs::path& dir) {
  if (!fs::exists(dir)) return 0;
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) n += e.is_regular_file();
  return n;
}

}  // namespace

TEST_CASE("version and error strings") {
  int major = -1, minor = -1;
  REQUIRE(tsrtcVersion(&major, &minor) == TSRTC_SUCCESS);
  CHECK(major == 1);
  CHECK(minor == 0);
  CHECK(tsrtcVersion(nullptr, &minor) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(std::string(tsrtcGetErrorString(TSRTC_SUCCESS)) == "TSRTC_SUCCESS");
  CHECK(std::string(tsrtcGetErrorString(TSRTC_ERROR_COMPILATION)) == "TSRTC_ERROR_COMPILATION");
  CHECK(std::string(tsrtcGetErrorString(TSRTC_ERROR_INVALID_OPTION)) == "TSRTC_ERROR_INVALID_OPTION");
  CHECK(tsrtcGetErrorString(static_cast<tsrtcResult>(9)) != nullptr);
}

TEST_CASE("a program with an in-memory header compiles to a code object naming its kernel") {
  tsrtcProgram p = saxpy_program();
  const char* opts[] = {"-O3"};
  REQUIRE(tsrtcCompileProgram(p, 1, opts) == TSRTC_SUCCESS);
  const std::vector<char> code = code_of(p);
  REQUIRE(code.size() > 64);
  CHECK(std::string(code.data() + 1, 3) == "ELF");
  int count = 0;
  REQUIRE(tsrtcGetKernelCount(p, &count) == TSRTC_SUCCESS);
  REQUIRE(count == 1);
  const char* name = nullptr;
  REQUIRE(tsrtcGetKernelName(p, 0, &name) == TSRTC_SUCCESS);
  CHECK(std::string(name) == "saxpy");
  CHECK(tsrtcGetKernelName(p, 1, &name) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcGetKernelName(p, -1, &name) == TSRTC_ERROR_INVALID_INPUT);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);
  CHECK(p == nullptr);
}

TEST_CASE("a compile error returns TSRTC_ERROR_COMPILATION and a log with file and line") {
  tsrtcProgram p = nullptr;
  REQUIRE(tsrtcCreateProgram(&p, "extern \"C\" __global__ void k(int* p) {\n  p[0] = oops;\n}\n", "bad.cu", 0,
                             nullptr, nullptr) == TSRTC_SUCCESS);
  CHECK(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_ERROR_COMPILATION);
  const std::string log = log_of(p);
  CHECK(log.find("bad.cu:2:10: error: use of undeclared identifier 'oops'") != std::string::npos);
  size_t size = 0;
  CHECK(tsrtcGetCodeSize(p, &size) == TSRTC_ERROR_INVALID_PROGRAM);
  int count = 0;
  CHECK(tsrtcGetKernelCount(p, &count) == TSRTC_ERROR_INVALID_PROGRAM);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);

  // An error inside an in-memory header names the header.
  const char* headers[] = {"#define SCALE (1.0f +)\n"};
  const char* names[] = {"params.h"};
  REQUIRE(tsrtcCreateProgram(&p, kSaxpy, "saxpy.cu", 1, headers, names) == TSRTC_SUCCESS);
  CHECK(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_ERROR_COMPILATION);
  CHECK(log_of(p).find("params.h:1:") != std::string::npos);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);
}

TEST_CASE("in-memory headers are found by #include and their contents matter") {
  // The header decides whether the source compiles.
  const char* src = "#include \"sub/config.h\"\n#if CONFIG != 3\n#error CONFIG is not 3\n#endif\n"
                    "extern \"C\" __global__ void k(int* p) { p[0] = CONFIG; }\n";
  const char* names[] = {"sub/config.h"};
  tsrtcProgram p = nullptr;
  const char* good[] = {"#define CONFIG 3\n"};
  REQUIRE(tsrtcCreateProgram(&p, src, "cfg.cu", 1, good, names) == TSRTC_SUCCESS);
  CHECK(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_SUCCESS);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);
  const char* bad[] = {"#define CONFIG 4\n"};
  REQUIRE(tsrtcCreateProgram(&p, src, "cfg.cu", 1, bad, names) == TSRTC_SUCCESS);
  CHECK(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_ERROR_COMPILATION);
  CHECK(log_of(p).find("CONFIG is not 3") != std::string::npos);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);
  // Without the header the include fails.
  REQUIRE(tsrtcCreateProgram(&p, src, "cfg.cu", 0, nullptr, nullptr) == TSRTC_SUCCESS);
  CHECK(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_ERROR_COMPILATION);
  CHECK(log_of(p).find("'sub/config.h' file not found") != std::string::npos);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);
}

TEST_CASE("options: macros, include directories, standards, debug info") {
  const char* src = "#include \"disk.h\"\n#if VALUE != 42 || DISK != 7\n#error wrong values\n#endif\n"
                    "#if __cplusplus < 202002L && defined(WANT_CXX20)\n#error not C++20\n#endif\n"
                    "extern \"C\" __global__ void k(int* p) { p[0] = VALUE + DISK; }\n";
  TempDir inc;
  std::ofstream(inc.path / "disk.h") << "#define DISK 7\n";
  tsrtcProgram p = nullptr;
  REQUIRE(tsrtcCreateProgram(&p, src, "opts.cu", 0, nullptr, nullptr) == TSRTC_SUCCESS);
  const std::string inc_joined = "-I" + inc.path.string();
  const std::string inc_nvrtc = "--include-path=" + inc.path.string();

  SECTION("tessc spellings, joined") {
    const char* o[] = {"-O1", inc_joined.c_str(), "-DVALUE=42", "-std=c++20", "-DWANT_CXX20", "-g"};
    CHECK(tsrtcCompileProgram(p, 6, o) == TSRTC_SUCCESS);
  }
  SECTION("values as separate strings") {
    const char* o[] = {"-I", inc.path.c_str(), "-D", "VALUE=42", "-O0"};
    CHECK(tsrtcCompileProgram(p, 5, o) == TSRTC_SUCCESS);
  }
  SECTION("NVRTC spellings") {
    const char* o[] = {inc_nvrtc.c_str(), "--define-macro=VALUE=42", "--std=c++17", "-lineinfo"};
    CHECK(tsrtcCompileProgram(p, 4, o) == TSRTC_SUCCESS);
  }
  SECTION("a macro's value reaches the source; -U removes it") {
    const char* o[] = {inc_joined.c_str(), "-DVALUE=41"};
    CHECK(tsrtcCompileProgram(p, 2, o) == TSRTC_ERROR_COMPILATION);
    CHECK(log_of(p).find("wrong values") != std::string::npos);
    const char* u[] = {inc_joined.c_str(), "-DVALUE=42", "-UVALUE"};
    CHECK(tsrtcCompileProgram(p, 3, u) == TSRTC_ERROR_COMPILATION);
  }
  SECTION("the standard is applied") {
    const char* o[] = {inc_joined.c_str(), "-DVALUE=42", "-std=c++17", "-DWANT_CXX20"};
    CHECK(tsrtcCompileProgram(p, 4, o) == TSRTC_ERROR_COMPILATION);
    CHECK(log_of(p).find("not C++20") != std::string::npos);
  }
  SECTION("without the include directory the disk header is missing") {
    const char* o[] = {"-DVALUE=42"};
    CHECK(tsrtcCompileProgram(p, 1, o) == TSRTC_ERROR_COMPILATION);
    CHECK(log_of(p).find("'disk.h' file not found") != std::string::npos);
  }
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);
}

TEST_CASE("bad options return TSRTC_ERROR_INVALID_OPTION and say which") {
  tsrtcProgram p = saxpy_program();
  struct Case {
    std::vector<const char*> options;
    const char* in_log;
  };
  const Case cases[] = {
      {{"--frobnicate"}, "unknown option '--frobnicate'"},
      {{"-O9"}, "unknown option '-O9'"},
      {{"-std=c++98"}, "unsupported language standard 'c++98'"},
      {{"-O2", "-I"}, "'-I' needs a directory"},
      {{"-D"}, "'-D' needs a macro name"},
      {{"-D=3"}, "'-D' needs a macro name"},
      {{"--define-macro="}, "needs a macro"},
      {{"-arch=sm_80"}, "unknown option '-arch=sm_80'"},
      {{"saxpy.cu"}, "unknown option 'saxpy.cu'"},
  };
  for (const Case& c : cases) {
    INFO(c.options.back());
    CHECK(tsrtcCompileProgram(p, static_cast<int>(c.options.size()), c.options.data()) ==
          TSRTC_ERROR_INVALID_OPTION);
    CHECK(log_of(p).find(c.in_log) != std::string::npos);
    size_t size = 0;
    CHECK(tsrtcGetCodeSize(p, &size) == TSRTC_ERROR_INVALID_PROGRAM);
  }
  // A later good compile replaces the log and produces code.
  REQUIRE(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_SUCCESS);
  CHECK(log_of(p).find("unknown option") == std::string::npos);
  CHECK(code_of(p).size() > 64);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);
}

TEST_CASE("NULL and invalid arguments are refused") {
  tsrtcProgram p = nullptr;
  const char* h[] = {"#define X 1\n"};
  const char* n[] = {"x.h"};
  const char* null_name[] = {nullptr};
  CHECK(tsrtcCreateProgram(nullptr, kSaxpy, "a.cu", 0, nullptr, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCreateProgram(&p, nullptr, "a.cu", 0, nullptr, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCreateProgram(&p, kSaxpy, "a.cu", -1, nullptr, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCreateProgram(&p, kSaxpy, "a.cu", 1, nullptr, n) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCreateProgram(&p, kSaxpy, "a.cu", 1, h, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCreateProgram(&p, kSaxpy, "a.cu", 1, h, null_name) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCreateProgram(&p, kSaxpy, "", 0, nullptr, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(p == nullptr);  // untouched by the failures

  CHECK(tsrtcCompileProgram(nullptr, 0, nullptr) == TSRTC_ERROR_INVALID_PROGRAM);
  size_t size = 0;
  CHECK(tsrtcGetProgramLogSize(nullptr, &size) == TSRTC_ERROR_INVALID_PROGRAM);
  CHECK(tsrtcGetCodeSize(nullptr, &size) == TSRTC_ERROR_INVALID_PROGRAM);
  CHECK(tsrtcDestroyProgram(nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcDestroyProgram(&p) == TSRTC_ERROR_INVALID_PROGRAM);  // *p is NULL

  // A NULL name is allowed and named as NVRTC names it.
  REQUIRE(tsrtcCreateProgram(&p, "extern \"C\" __global__ void k(int* p) { p[0] = nope; }\n", nullptr, 0,
                             nullptr, nullptr) == TSRTC_SUCCESS);
  // Before any compile: an empty log, no code.
  CHECK(tsrtcGetProgramLogSize(p, &size) == TSRTC_SUCCESS);
  CHECK(size == 1);
  CHECK(tsrtcGetCodeSize(p, &size) == TSRTC_ERROR_INVALID_PROGRAM);
  CHECK(tsrtcGetProgramLogSize(p, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcGetProgramLog(p, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcGetCodeSize(p, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcGetCode(p, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcGetKernelCount(p, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCompileProgram(p, -1, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCompileProgram(p, 1, nullptr) == TSRTC_ERROR_INVALID_INPUT);
  const char* null_option[] = {nullptr};
  CHECK(tsrtcCompileProgram(p, 1, null_option) == TSRTC_ERROR_INVALID_INPUT);
  CHECK(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_ERROR_COMPILATION);
  CHECK(log_of(p).find("default_program:1:") != std::string::npos);

  // A destroyed handle is refused, not dereferenced.
  tsrtcProgram copy = p;
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);
  CHECK(tsrtcCompileProgram(copy, 0, nullptr) == TSRTC_ERROR_INVALID_PROGRAM);
  CHECK(tsrtcGetProgramLogSize(copy, &size) == TSRTC_ERROR_INVALID_PROGRAM);
  CHECK(tsrtcDestroyProgram(&copy) == TSRTC_ERROR_INVALID_PROGRAM);
}

TEST_CASE("the on-disk cache: TSRTC_CACHE_DIR chooses it, TSRTC_CACHE=0 turns it off") {
  TempDir dir;
  const fs::path cache = dir.path / "c";
  setenv("TSRTC_CACHE_DIR", cache.c_str(), 1);

  setenv("TSRTC_CACHE", "0", 1);
  tsrtcProgram p = saxpy_program("#define SCALE 3.0f\n");
  REQUIRE(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_SUCCESS);
  CHECK(files_in(cache) == 0);

  unsetenv("TSRTC_CACHE");
  REQUIRE(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_SUCCESS);
  const std::vector<char> first = code_of(p);
  const size_t entries = files_in(cache);
  CHECK(entries >= 1);
  // Compiled again: served from the cache (no new entry), same code.
  REQUIRE(tsrtcCompileProgram(p, 0, nullptr) == TSRTC_SUCCESS);
  CHECK(files_in(cache) == entries);
  CHECK(code_of(p) == first);
  // Other options make another entry.
  const char* o[] = {"-O0"};
  REQUIRE(tsrtcCompileProgram(p, 1, o) == TSRTC_SUCCESS);
  CHECK(files_in(cache) > entries);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);

  setenv("TSRTC_CACHE_DIR", (g_cache.dir.path / "cache").c_str(), 1);
}

TEST_CASE("different programs compile concurrently") {
  constexpr int kThreads = 4;
  std::atomic<int> ok{0};
  std::vector<std::vector<char>> codes(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string header = "#define SCALE " + std::to_string(t + 10) + ".0f\n";
      const char* headers[] = {header.c_str()};
      const char* names[] = {"params.h"};
      tsrtcProgram p = nullptr;
      if (tsrtcCreateProgram(&p, kSaxpy, "saxpy.cu", 1, headers, names) != TSRTC_SUCCESS) return;
      const tsrtcResult r = tsrtcCompileProgram(p, 0, nullptr);
      size_t n = 0;
      if (r == TSRTC_SUCCESS && tsrtcGetCodeSize(p, &n) == TSRTC_SUCCESS) {
        codes[t].resize(n);
        if (tsrtcGetCode(p, codes[t].data()) == TSRTC_SUCCESS) ++ok;
      }
      tsrtcDestroyProgram(&p);
    });
  }
  for (auto& th : threads) th.join();
  CHECK(ok == kThreads);
  // Different constants, different code.
  for (int t = 1; t < kThreads; ++t) CHECK(codes[t] != codes[0]);
}

TEST_CASE("the compiled code loads with tsModuleLoadData and runs") {
  tsrtcProgram p = saxpy_program("#define SCALE 2.0f\n");
  const char* opts[] = {"-O2"};
  REQUIRE(tsrtcCompileProgram(p, 1, opts) == TSRTC_SUCCESS);
  const std::vector<char> code = code_of(p);
  REQUIRE(tsrtcDestroyProgram(&p) == TSRTC_SUCCESS);

  tsModule_t mod = nullptr;
  REQUIRE(tsModuleLoadData(&mod, code.data(), code.size()) == tsSuccess);
  tsFunction_t fn = nullptr;
  REQUIRE(tsModuleGetFunction(&fn, mod, "saxpy") == tsSuccess);

  constexpr int n = 1000;
  std::vector<float> x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<float>(i);
    y[i] = 0.5f * static_cast<float>(i);
  }
  float *dx = nullptr, *dy = nullptr;
  REQUIRE(tsMalloc(reinterpret_cast<void**>(&dx), n * sizeof(float)) == tsSuccess);
  REQUIRE(tsMalloc(reinterpret_cast<void**>(&dy), n * sizeof(float)) == tsSuccess);
  REQUIRE(tsMemcpy(dx, x.data(), n * sizeof(float), tsMemcpyHostToDevice) == tsSuccess);
  REQUIRE(tsMemcpy(dy, y.data(), n * sizeof(float), tsMemcpyHostToDevice) == tsSuccess);
  int count = n;
  float a = 3.0f;
  void* args[] = {&count, &a, &dx, &dy};
  REQUIRE(tsLaunchKernel(fn, TS_DIM3((n + 255) / 256, 1, 1), TS_DIM3(256, 1, 1), args, 0, nullptr) == tsSuccess);
  REQUIRE(tsDeviceSynchronize() == tsSuccess);
  std::vector<float> out(n);
  REQUIRE(tsMemcpy(out.data(), dy, n * sizeof(float), tsMemcpyDeviceToHost) == tsSuccess);
  int wrong = 0;
  for (int i = 0; i < n; ++i) wrong += out[i] != 2.0f * 3.0f * x[i] + y[i];
  CHECK(wrong == 0);
  CHECK(out[10] == 65.0f);
  CHECK(tsFree(dx) == tsSuccess);
  CHECK(tsFree(dy) == tsSuccess);
  CHECK(tsModuleUnload(mod) == tsSuccess);
}
