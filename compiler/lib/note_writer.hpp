// SPDX-License-Identifier: Apache-2.0
// The code object's metadata note (include/tessera/hw/t1_codeobj.h).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <tessera/compiler.hpp>

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace tessera::compiler {

// The whole ELF note: header, name "Tessera", descriptor.
std::vector<uint8_t> build_note(const std::vector<KernelInfo>& kernels);

// A module holding only the note, in section .note.tessera, for the back
// end to turn into an object the linker adds.
std::unique_ptr<llvm::Module> note_module(const std::vector<uint8_t>& note, llvm::LLVMContext& ctx);

}  // namespace tessera::compiler
