// SPDX-License-Identifier: Apache-2.0
// libtessera-compiler as a library: in-memory sources and headers, the
// metadata it reports, diagnostics, the on-disk cache, concurrent use.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <tessera/compiler.hpp>

#include "temp_dir.hpp"
#include <tessera/hw/t1_codeobj.h>

namespace tc = tessera::compiler;
namespace fs = std::filesystem;

namespace {

const char* kSaxpy = R"(
#include "params.h"
__global__ void saxpy(int n, float a, const float* x, float* y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = SCALE * a * x[i] + y[i];
}
)";

using tessera::testing::TempDir;

tc::Source saxpy_source(const std::string& scale = "1.0f") {
  return {"saxpy.cu", kSaxpy, {{"params.h", "#define SCALE " + scale + "\n"}}};
}

}  // namespace

TEST_CASE("a source and headers held in memory compile to a code object with metadata") {
  tc::Compiler cc;
  const tc::Result r = cc.compile(saxpy_source());
  INFO(r.log);
  REQUIRE(r.ok);
  REQUIRE(r.code_object.size() > 64);
  CHECK(std::string(reinterpret_cast<const char*>(r.code_object.data()) + 1, 3) == "ELF");
  REQUIRE(r.kernels.size() == 1);
  const tc::KernelInfo& k = r.kernels[0];
  CHECK(k.name == "_Z5saxpyifPKfPf");
  CHECK(k.demangled == "saxpy(int, float, float const*, float*)");
  CHECK(k.kernarg_size == 24);
  CHECK(k.kernarg_align == 8);
  REQUIRE(k.args.size() == 4);
  CHECK(k.args[1].offset == 4);
  CHECK(k.args[1].kind == T1_ARG_SCALAR);
  CHECK(k.args[2].offset == 8);
  CHECK(k.args[2].kind == T1_ARG_POINTER);
  CHECK(k.static_shared_bytes == 0);
  CHECK(k.stack_bytes != T1_STACK_UNKNOWN);
  CHECK_FALSE(r.cache_hit);
}

TEST_CASE("errors come back in the log with file, line and column; the next compile works") {
  tc::Compiler cc;
  const tc::Result bad = cc.compile({"bad.cu", "__global__ void k(int* p) {\n  p[0] = oops;\n}\n", {}});
  CHECK_FALSE(bad.ok);
  CHECK(bad.log.find("bad.cu:2:10: error: use of undeclared identifier 'oops'") != std::string::npos);
  CHECK(bad.code_object.empty());
  const tc::Result good = cc.compile(saxpy_source());
  CHECK(good.ok);
}

TEST_CASE("options reach the front end") {
  tc::Compiler cc;
  tc::Options o;
  o.defines = {"VALUE=42"};
  tc::Source s{"d.cu", "#if VALUE != 42\n#error VALUE\n#endif\n__global__ void k(int* p) { p[0] = VALUE; }\n", {}};
  CHECK(cc.compile(s, o).ok);
  o.defines = {"VALUE=7"};
  const tc::Result r = cc.compile(s, o);
  CHECK_FALSE(r.ok);
  CHECK(r.log.find("error: VALUE") != std::string::npos);
  o.opt_level = 9;
  CHECK_FALSE(cc.compile(s, o).ok);
}

TEST_CASE("the disk cache serves unchanged input and notices changed headers") {
  TempDir dir;
  tc::Compiler cc(tc::CacheConfig{true, (dir.path / "cache").string()});
  // A header on disk, found through -I.
  fs::create_directories(dir.path / "inc");
  auto write_header = [&](const char* text) {
    std::ofstream(dir.path / "inc" / "disk.h") << text;
  };
  write_header("#define OFFSET 1\n");
  tc::Options o;
  o.include_dirs = {(dir.path / "inc").string()};
  tc::Source s{"c.cu", "#include \"disk.h\"\n__global__ void k(int* p) { p[0] = OFFSET; }\n", {}};

  const tc::Result first = cc.compile(s, o);
  REQUIRE(first.ok);
  CHECK_FALSE(first.cache_hit);
  const tc::Result second = cc.compile(s, o);
  REQUIRE(second.ok);
  CHECK(second.cache_hit);
  CHECK(second.code_object == first.code_object);
  REQUIRE(second.kernels.size() == 1);
  CHECK(second.kernels[0].name == first.kernels[0].name);
  CHECK(second.kernels[0].kernarg_size == first.kernels[0].kernarg_size);

  // Another instance (another process, in effect) sees the same entry.
  tc::Compiler other(tc::CacheConfig{true, (dir.path / "cache").string()});
  CHECK(other.compile(s, o).cache_hit);

  // A changed header (different size) is a miss and gives different code.
  write_header("#define OFFSET 100000\n");
  const tc::Result third = cc.compile(s, o);
  REQUIRE(third.ok);
  CHECK_FALSE(third.cache_hit);
  CHECK(third.code_object != first.code_object);
  CHECK(cc.compile(s, o).cache_hit);

  // Different options or source text: different entries.
  o.opt_level = 1;
  CHECK_FALSE(cc.compile(s, o).cache_hit);

  // A corrupt entry is a miss, and is replaced.
  for (const auto& e : fs::directory_iterator(dir.path / "cache")) {
    std::ofstream(e.path(), std::ios::trunc) << "garbage";
  }
  const tc::Result again = cc.compile(s, o);
  CHECK(again.ok);
  CHECK_FALSE(again.cache_hit);
  CHECK(cc.compile(s, o).cache_hit);
}

TEST_CASE("concurrent compiles on one Compiler all succeed and agree") {
  TempDir dir;
  tc::Compiler cc(tc::CacheConfig{true, (dir.path / "cache").string()});
  std::vector<std::vector<uint8_t>> out(4);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3; ++i) {
        const tc::Result r = cc.compile(saxpy_source(std::to_string(t % 2 + 1) + ".0f"));
        if (!r.ok) ++failures;
        out[t] = r.code_object;
      }
    });
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
  CHECK(out[0] == out[2]);
  CHECK(out[1] == out[3]);
  CHECK(out[0] != out[1]);
}
