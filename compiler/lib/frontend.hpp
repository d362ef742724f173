// SPDX-License-Identifier: Apache-2.0
// Clang's CUDA device front end, in process: source text to NVVM IR.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <tessera/compiler.hpp>

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace tessera::compiler {

struct FrontendResult {
  std::unique_ptr<llvm::Module> module;  // null on error
  std::vector<std::string> files_read;   // the source and every header, for caches
};

// Compiles the device side of `source`. Diagnostics go to `log` in Clang's
// format. Line tables are always requested (the lowering passes report
// errors with source locations); they are dropped later unless -g.
FrontendResult run_frontend(const Source& source, const Options& options, llvm::LLVMContext& ctx,
                            std::string& log);

}  // namespace tessera::compiler
