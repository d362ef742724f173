// SPDX-License-Identifier: Apache-2.0
#include "diagnostics.hpp"

#include <llvm/Demangle/Demangle.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/Instruction.h>

namespace tessera::compiler {

std::string demangle(const std::string& name) { return llvm::demangle(name); }

void Diagnostics::error(const std::string& message, const llvm::Instruction* at,
                        const llvm::Function* in) {
  ++errors_;
  report("error", message, at, in);
}

void Diagnostics::warning(const std::string& message, const llvm::Instruction* at,
                          const llvm::Function* in) {
  report("warning", message, at, in);
}

void Diagnostics::report(const char* kind, const std::string& message, const llvm::Instruction* at,
                         const llvm::Function* in) {
  if (!in && at) in = at->getFunction();
  std::string where;
  if (at) {
    if (const llvm::DILocation* loc = at->getDebugLoc().get()) {
      where = loc->getFilename().str() + ":" + std::to_string(loc->getLine()) + ":" +
              std::to_string(loc->getColumn()) + ": ";
    }
  }
  log_ += where + kind + ": " + message;
  if (where.empty() && in) log_ += " (in function '" + demangle(in->getName().str()) + "')";
  log_ += "\n";
}

}  // namespace tessera::compiler
