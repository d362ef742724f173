// SPDX-License-Identifier: Apache-2.0
// tessc: the command-line driver of libtessera-compiler, nvcc-like.
// docs/tessc.md is its manual; --help summarizes it.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>

#include <tessera/compiler.hpp>
#include <tessera/hw/t1_codeobj.h>

namespace {

namespace tc = tessera::compiler;

constexpr const char* kUsage = R"(usage: tessc [options] FILE.cu

Compiles CUDA C++ kernels for the Tessera T1 into a code object.

Output:
  -o FILE            write the output to FILE ('-' for standard output);
                     default: FILE.tsco, FILE.s or FILE.ll next to the input's name
  -S                 write T1 (RISC-V) assembly instead of a code object
  --emit-llvm        write the LLVM IR handed to the back end
  --list-kernels     print each kernel's name, argument layout, shared memory
                     and stack size (no output file is written)
  -M, -MD, -MF FILE, -MT TARGET
                     write a Make dependency file (-M: to standard output only)
Compilation:
  -O0 -O1 -O2 -O3    optimization level (default -O2)
  -g                 DWARF line tables, so faults map to source lines
  -I DIR, -IDIR      add an include directory
  -D NAME[=VALUE]    define a macro; -U NAME undefines one
  -std=STD           C++ standard (default c++17)
  -W..., -w          warning options, as Clang's
Other:
  --stop-after=STAGE print the IR after a lowering stage (frontend, retarget,
                     lower-nvvm, lower-shared, kernel-abi, optimize); for
                     debugging the compiler
  --version          print the version
  -h, --help         print this help
)";

int fail(const std::string& message) {
  std::fprintf(stderr, "tessc: error: %s\n", message.c_str());
  return 1;
}

std::string stem_of(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  const size_t dot = base.find_last_of('.');
  return dot == std::string::npos || dot == 0 ? base : base.substr(0, dot);
}

const char* kind_name(uint32_t kind) {
  switch (kind) {
    case T1_ARG_SCALAR: return "scalar";
    case T1_ARG_POINTER: return "pointer";
    case T1_ARG_STRUCT: return "struct";
    default: return "?";
  }
}

void print_kernels(const std::vector<tc::KernelInfo>& kernels) {
  for (const tc::KernelInfo& k : kernels) {
    std::printf("kernel %s\n", k.demangled.c_str());
    std::printf("  symbol            %s\n", k.name.c_str());
    std::printf("  arguments         %zu, kernarg %u bytes, align %u\n", k.args.size(), k.kernarg_size,
                k.kernarg_align);
    for (size_t i = 0; i < k.args.size(); ++i)
      std::printf("    [%zu] offset %3u  size %3u  align %2u  %s\n", i, k.args[i].offset, k.args[i].size,
                  k.args[i].align, kind_name(k.args[i].kind));
    std::printf("  static shared     %u bytes%s\n", k.static_shared_bytes,
                (k.flags & T1_KERNEL_FLAG_USES_DYNSHARED) ? " (+ dynamic shared memory)" : "");
    if (k.stack_bytes == T1_STACK_UNKNOWN) {
      std::printf("  stack per thread  unknown (indirect calls or dynamic allocas)\n");
    } else {
      std::printf("  stack per thread  %u bytes%s\n", k.stack_bytes,
                  (k.flags & T1_KERNEL_FLAG_RECURSION) ? " at least (recursive)" : "");
    }
    if (k.max_block_threads) {
      std::printf("  max block threads %u (__launch_bounds__)\n", k.max_block_threads);
    } else {
      std::printf("  max block threads device limit\n");
    }
    if (k.flags & T1_KERNEL_FLAG_USES_FP64) std::printf("  uses double precision\n");
  }
}

bool write_output(const std::string& path, const void* data, size_t size) {
  if (path == "-") return std::fwrite(data, 1, size, stdout) == size && std::fflush(stdout) == 0;
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  return static_cast<bool>(f);
}

}  // namespace

int main(int argc, char** argv) {
  tc::Options opt;
  tc::StopAfter stop;
  tc::Output output = tc::Output::CodeObject;
  bool list = false, deps_only = false;
  std::string input, out_path;

  // Options that take a value, either joined (-Ifoo) or separate (-I foo).
  auto value = [&](int& i, const char* flag, std::string& v) {
    const size_t n = std::strlen(flag);
    if (std::strncmp(argv[i], flag, n) != 0) return false;
    if (argv[i][n] != '\0') {
      v = argv[i] + n;
      return true;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "tessc: error: option '%s' needs a value\n", flag);
      std::exit(1);
    }
    v = argv[++i];
    return true;
  };

  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    std::string v;
    if (a == "-h" || a == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (a == "--version") {
      std::printf("%s\n", tc::version_string().c_str());
      return 0;
    } else if (a == "-S") {
      output = tc::Output::Assembly;
    } else if (a == "--emit-llvm" || a == "-emit-llvm") {
      output = tc::Output::LLVMIR;
    } else if (a == "--list-kernels") {
      list = true;
    } else if (a == "-g") {
      opt.debug_info = true;
    } else if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') {
      opt.opt_level = a[2] - '0';
    } else if (a.rfind("-std=", 0) == 0) {
      opt.language_standard = a.substr(5);
    } else if (a.rfind("--stop-after=", 0) == 0) {
      stop.stage = a.substr(13);
    } else if (a == "-M") {
      deps_only = true;
    } else if (a == "-MD") {
      if (opt.dependency_file.empty()) opt.dependency_file = "-";
    } else if (a == "-o" || a.rfind("-o", 0) == 0) {
      value(i, "-o", out_path);
    } else if (value(i, "-MF", v)) {
      opt.dependency_file = v;
    } else if (value(i, "-MT", v)) {
      opt.dependency_target = v;
    } else if (value(i, "-I", v)) {
      opt.include_dirs.push_back(v);
    } else if (value(i, "-D", v)) {
      opt.defines.push_back(v);
    } else if (value(i, "-U", v)) {
      opt.undefines.push_back(v);
    } else if (a == "-w" || (a.rfind("-W", 0) == 0 && a.size() > 2)) {
      opt.warning_flags.push_back(a);
    } else if (a.size() > 1 && a[0] == '-') {
      return fail("unknown option '" + a + "' (see tessc --help)");
    } else if (!input.empty()) {
      return fail("more than one input file ('" + input + "' and '" + a + "')");
    } else {
      input = a;
    }
  }
  if (input.empty()) return fail("no input file (see tessc --help)");
  static const char* const kStages[] = {"", "frontend", "retarget", "lower-nvvm", "lower-shared", "kernel-abi", "optimize"};
  bool stage_known = false;
  for (const char* s : kStages) stage_known |= stop.stage == s;
  if (!stage_known) return fail("unknown stage '" + stop.stage + "' for --stop-after");

  std::ifstream f(input, std::ios::binary);
  if (!f) return fail("cannot read '" + input + "': " + std::strerror(errno));
  tc::Source src{input, std::string(std::istreambuf_iterator<char>(f), {}), {}};

  if (deps_only || opt.dependency_file == "-") opt.dependency_file = "/dev/stdout";
  if (opt.dependency_target.empty() && !opt.dependency_file.empty())
    opt.dependency_target = out_path.empty() ? stem_of(input) + ".tsco" : out_path;

  tc::Compiler compiler;
  const tc::Result r = compiler.compile(src, opt, output, stop);
  std::fputs(r.log.c_str(), stderr);
  if (!r.ok) return 1;
  if (deps_only) return 0;
  if (list) {
    print_kernels(r.kernels);
    return 0;
  }
  if (!stop.stage.empty() || output != tc::Output::CodeObject) {
    if (out_path.empty()) out_path = stop.stage.empty() ? stem_of(input) + (output == tc::Output::Assembly ? ".s" : ".ll") : "-";
    if (!write_output(out_path, r.text.data(), r.text.size())) return fail("cannot write '" + out_path + "'");
    return 0;
  }
  if (out_path.empty()) out_path = stem_of(input) + ".tsco";
  if (!write_output(out_path, r.code_object.data(), r.code_object.size()))
    return fail("cannot write '" + out_path + "': " + std::strerror(errno));
  return 0;
}
