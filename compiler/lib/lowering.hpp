// SPDX-License-Identifier: Apache-2.0
// Tessera's lowering of Clang's NVVM IR to the T1, as small passes run in
// order (see compiler.cpp):
//
//   retarget      the module becomes riscv64/RV64GC; kernels and their
//                 __launch_bounds__ are read from the NVVM annotations
//   lower-nvvm    NVVM intrinsics become Xtessera CSR reads and instructions
//   lower-shared  __shared__ variables get scratchpad addresses; extern
//                 __shared__ reads the DYNSHARED CSR
//   kernel-abi    each kernel gets an entry taking the kernarg pointer in a0
//                 and ending with t.exit; everything else becomes internal
//   (optimizer)
//   lower-addrspace  address-space casts become integer round trips, which
//                 the RISC-V back end selects (it has one address space)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tessera/compiler.hpp>

#include "diagnostics.hpp"

namespace llvm {
class DataLayout;
class Function;
class Module;
}  // namespace llvm

namespace tessera::compiler {

struct KernelRecord {
  std::string name;  // symbol name; after kernel-abi, the entry's
  uint32_t max_block_threads = 0;
  uint32_t flags = 0;
  uint32_t static_shared_bytes = 0;
  uint32_t kernarg_size = 0, kernarg_align = 1;
  std::vector<KernelArg> args;
};

struct LoweringState {
  std::vector<KernelRecord> kernels;
  bool keep_debug_info = false;
};

bool retarget(llvm::Module& m, const llvm::DataLayout& dl, LoweringState& st, Diagnostics& diag);
bool lower_nvvm(llvm::Module& m, Diagnostics& diag);
bool lower_shared(llvm::Module& m, LoweringState& st, Diagnostics& diag);
bool lower_kernel_abi(llvm::Module& m, LoweringState& st, Diagnostics& diag);
void lower_addrspace_casts(llvm::Module& m);

// Functions reachable from `root` through direct calls (indirect calls are
// taken to reach every function whose address is taken); includes root.
std::vector<llvm::Function*> reachable_functions(llvm::Function& root);

}  // namespace tessera::compiler
