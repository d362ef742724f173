// SPDX-License-Identifier: Apache-2.0
// libtessera-compiler: CUDA C++ kernels to T1 code objects, in process.
//
//   tessera::compiler::Compiler cc;
//   auto r = cc.compile({"saxpy.cu", source});
//   if (!r.ok) std::cerr << r.log;        // Clang-style diagnostics
//   write(r.code_object);                 // ELF, see include/tessera/hw/t1_codeobj.h
//
// With a CacheConfig, compiles of unchanged input (source, options, every
// header read) are served from an on-disk cache.
//
// The pipeline: Clang's CUDA device front end, Tessera's lowering passes
// (NVVM intrinsics to Xtessera, shared memory to the scratchpad, the kernarg
// ABI), LLVM's optimizer and RISC-V back end, then lld. docs/tessc.md
// describes it and the options.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace tessera::compiler {

struct Options {
  int opt_level = 2;                     // 0..3, as -O
  bool debug_info = false;               // -g: DWARF line tables in the code object
  std::string language_standard = "c++17";  // -std=
  std::vector<std::string> include_dirs;    // -I, searched after the source's own directory
  std::vector<std::string> defines;         // -D: "NAME" or "NAME=VALUE"
  std::vector<std::string> undefines;       // -U
  std::vector<std::string> warning_flags;   // -W..., -w, passed to Clang
  // Write a Make-style dependency file (the source and every header read)
  // to this path; empty: none. `dependency_target` names the rule's target.
  std::string dependency_file;
  std::string dependency_target;
};

// A header supplied from memory (runtime compilation), found by #include "name".
struct MemoryHeader {
  std::string name;
  std::string contents;
};

struct Source {
  std::string name;      // for diagnostics and __FILE__; relative names are fine
  std::string contents;
  std::vector<MemoryHeader> headers;
};

// What to produce.
enum class Output {
  CodeObject,  // linked ELF code object
  Assembly,    // T1 (RISC-V) assembly of the kernels, before linking
  LLVMIR,      // textual LLVM IR as handed to the back end
};

struct KernelArg {
  uint32_t offset = 0, size = 0, align = 1;
  uint32_t kind = 0;  // T1_ARG_*
};

struct KernelInfo {
  std::string name;       // symbol (mangled) name, as the runtime looks it up
  std::string demangled;  // for people
  uint32_t flags = 0;     // T1_KERNEL_FLAG_*
  uint32_t kernarg_size = 0, kernarg_align = 1;
  uint32_t static_shared_bytes = 0;
  uint32_t stack_bytes = 0;       // per thread; T1_STACK_UNKNOWN when not known
  uint32_t max_block_threads = 0; // from __launch_bounds__, 0 = device limit
  std::vector<KernelArg> args;
};

struct Result {
  bool ok = false;
  std::string log;                     // diagnostics; may hold warnings when ok
  std::vector<uint8_t> code_object;    // Output::CodeObject
  std::string text;                    // Output::Assembly / Output::LLVMIR
  std::vector<KernelInfo> kernels;
  bool cache_hit = false;              // served from the on-disk cache
};

// The on-disk cache of code objects (runtime compilation compiles the same
// source again and again). Only Output::CodeObject compiles without a
// dependency file or StopAfter use it.
struct CacheConfig {
  bool enabled = false;
  // Empty: $TESSERA_CACHE_DIR, else $XDG_CACHE_HOME/tessera/kernels, else
  // $HOME/.cache/tessera/kernels.
  std::string directory;
};

// Debugging aid for the lowering's tests: stop after the named stage and
// return its LLVM IR in Result::text. Stages, in order: "frontend",
// "retarget", "lower-nvvm", "lower-shared", "kernel-abi", "optimize".
struct StopAfter {
  std::string stage;
};

class Compiler {
 public:
  explicit Compiler(const CacheConfig& cache = {});
  ~Compiler();
  Compiler(const Compiler&) = delete;
  Compiler& operator=(const Compiler&) = delete;

  // Thread-safe: several compiles may run at once on one Compiler.
  Result compile(const Source& source, const Options& options = {},
                 Output output = Output::CodeObject, const StopAfter& stop = {});

 private:
  Result compile_uncached(const Source& source, const Options& options, Output output,
                          const StopAfter& stop, std::vector<std::string>& files_read);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "tessc 0.1.0 (LLVM 16.0.6, code object 1.0)".
std::string version_string();

}  // namespace tessera::compiler
