// SPDX-License-Identifier: Apache-2.0
// Errors found after the front end (by the lowering passes, the back end
// or the linker), written the way Clang writes its own so that the log
// reads as one: "file:line:col: error: message" when the IR carries a
// source location, else naming the function.
#pragma once

#include <string>

namespace llvm {
class Function;
class Instruction;
}  // namespace llvm

namespace tessera::compiler {

class Diagnostics {
 public:
  explicit Diagnostics(std::string& log) : log_(log) {}

  void error(const std::string& message, const llvm::Instruction* at = nullptr,
             const llvm::Function* in = nullptr);
  void warning(const std::string& message, const llvm::Instruction* at = nullptr,
               const llvm::Function* in = nullptr);
  bool has_errors() const { return errors_ != 0; }

 private:
  void report(const char* kind, const std::string& message, const llvm::Instruction* at,
              const llvm::Function* in);
  std::string& log_;
  unsigned errors_ = 0;
};

// The demangled name of a symbol, or the name itself.
std::string demangle(const std::string& name);

}  // namespace tessera::compiler
