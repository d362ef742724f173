// SPDX-License-Identifier: Apache-2.0
// The T1 target (LLVM's RISC-V back end for RV64GC, lp64d), the optimizer
// and machine-code emission.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace llvm {
class Module;
class TargetMachine;
}  // namespace llvm

namespace tessera::compiler {

inline constexpr const char* kTargetTriple = "riscv64-unknown-elf";
inline constexpr const char* kTargetCpu = "generic-rv64";
// RV64GC. "relax" stays off: code objects are linked without relaxation.
inline constexpr const char* kTargetFeatures = "+64bit,+m,+a,+f,+d,+c,-relax,-save-restore";
inline constexpr const char* kTargetAbi = "lp64d";

// Null with `error` set when LLVM has no RISC-V target (a broken install).
std::unique_ptr<llvm::TargetMachine> create_target_machine(int opt_level, std::string& error);

// LLVM's standard -O pipeline (O0: only always-inline) with the T1's cost model.
void optimize(llvm::Module& m, llvm::TargetMachine& tm, int opt_level);

// Machine code for `m`: an ELF relocatable object, or assembly text.
// Returns false with `error` set when the back end fails.
bool emit_object(llvm::Module& m, llvm::TargetMachine& tm, std::vector<uint8_t>& object, std::string& error);
bool emit_assembly(llvm::Module& m, llvm::TargetMachine& tm, std::string& text, std::string& error);

}  // namespace tessera::compiler
