// SPDX-License-Identifier: Apache-2.0
// retarget: NVPTX module to riscv64. Everything NVPTX-specific that would
// make the RISC-V back end abort or mis-tune goes (compiler-notes.md lists
// what breaks): target attributes, calling conventions, NVVM annotations and
// module flags, NVVMReflect queries, unused builtin-variable externals.
#include <map>
#include <set>

#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Metadata.h>
#include <llvm/IR/Module.h>

#include "codegen.hpp"
#include "lowering.hpp"

namespace tessera::compiler {

namespace {

// Kernels and their launch bounds, from !nvvm.annotations.
void read_annotations(llvm::Module& m, LoweringState& st) {
  std::vector<std::string> order;
  struct Bounds { uint64_t x = 0, y = 0, z = 0; };
  std::map<std::string, Bounds> bounds;
  std::set<std::string> kernels;
  if (llvm::NamedMDNode* ann = m.getNamedMetadata("nvvm.annotations")) {
    for (llvm::MDNode* node : ann->operands()) {
      if (node->getNumOperands() < 3) continue;
      auto* fv = llvm::dyn_cast_or_null<llvm::ValueAsMetadata>(node->getOperand(0).get());
      auto* f = fv ? llvm::dyn_cast<llvm::Function>(fv->getValue()) : nullptr;
      if (!f) continue;
      // Operands after the value come in (key, value) pairs.
      for (unsigned i = 1; i + 1 < node->getNumOperands(); i += 2) {
        auto* key = llvm::dyn_cast_or_null<llvm::MDString>(node->getOperand(i).get());
        auto* cv = llvm::dyn_cast_or_null<llvm::ConstantAsMetadata>(node->getOperand(i + 1).get());
        auto* ci = cv ? llvm::dyn_cast<llvm::ConstantInt>(cv->getValue()) : nullptr;
        if (!key || !ci) continue;
        const std::string name = f->getName().str();
        const llvm::StringRef k = key->getString();
        if (k == "kernel" && ci->getZExtValue() == 1) {
          if (kernels.insert(name).second) order.push_back(name);
        } else if (k == "maxntidx") {
          bounds[name].x = ci->getZExtValue();
        } else if (k == "maxntidy") {
          bounds[name].y = ci->getZExtValue();
        } else if (k == "maxntidz") {
          bounds[name].z = ci->getZExtValue();
        }
      }
    }
    ann->eraseFromParent();
  }
  for (llvm::Function& f : m)
    if (f.getCallingConv() == llvm::CallingConv::PTX_Kernel && !f.isDeclaration() &&
        kernels.insert(f.getName().str()).second)
      order.push_back(f.getName().str());
  for (const std::string& name : order) {
    KernelRecord k;
    k.name = name;
    if (auto it = bounds.find(name); it != bounds.end()) {
      const Bounds& b = it->second;
      k.max_block_threads = static_cast<uint32_t>((b.x ? b.x : 1) * (b.y ? b.y : 1) * (b.z ? b.z : 1));
    }
    st.kernels.push_back(std::move(k));
  }
}

// Drops module flags whose key starts with "nvvm" and adds the RISC-V ones.
void set_module_flags(llvm::Module& m) {
  llvm::NamedMDNode* flags = m.getModuleFlagsMetadata();
  if (flags) {
    llvm::SmallVector<llvm::MDNode*, 8> keep;
    for (llvm::MDNode* f : flags->operands()) {
      auto* key = f->getNumOperands() > 1 ? llvm::dyn_cast<llvm::MDString>(f->getOperand(1)) : nullptr;
      if (key && key->getString().starts_with("nvvm")) continue;
      keep.push_back(f);
    }
    flags->clearOperands();
    for (llvm::MDNode* f : keep) flags->addOperand(f);
  }
  m.addModuleFlag(llvm::Module::Error, "target-abi", llvm::MDString::get(m.getContext(), kTargetAbi));
  // Small globals in .sdata would be addressed off gp, which kernels do not set.
  m.addModuleFlag(llvm::Module::Error, "SmallDataLimit", uint32_t{0});
  if (llvm::NamedMDNode* v = m.getNamedMetadata("nvvmir.version")) v->eraseFromParent();
}

// llvm.used / llvm.compiler.used entries that are mere declarations (the
// builtin-variable externals -O0 leaves) would become undefined symbols.
void prune_used_lists(llvm::Module& m) {
  for (const char* list : {"llvm.used", "llvm.compiler.used"}) {
    llvm::GlobalVariable* gv = m.getGlobalVariable(list);
    if (!gv || !gv->hasInitializer()) continue;
    auto* arr = llvm::dyn_cast<llvm::ConstantArray>(gv->getInitializer());
    if (!arr) continue;
    std::vector<llvm::Constant*> keep;
    for (llvm::Value* op : arr->operands()) {
      auto* g = llvm::dyn_cast<llvm::GlobalValue>(op->stripPointerCasts());
      if (g && g->isDeclaration()) continue;
      keep.push_back(llvm::cast<llvm::Constant>(op));
    }
    if (keep.size() == arr->getNumOperands()) continue;
    gv->eraseFromParent();
    if (!keep.empty()) {
      auto* ty = llvm::ArrayType::get(keep.front()->getType(), keep.size());
      auto* ngv = new llvm::GlobalVariable(m, ty, false, llvm::GlobalValue::AppendingLinkage,
                                           llvm::ConstantArray::get(ty, keep), list);
      ngv->setSection("llvm.metadata");
    }
  }
  // Builtin-variable externals nobody uses any more.
  for (auto it = m.global_begin(); it != m.global_end();) {
    llvm::GlobalVariable& g = *it++;
    if (g.isDeclaration() && g.use_empty()) g.eraseFromParent();
  }
}

bool is_ptx_cc(llvm::CallingConv::ID cc) {
  return cc == llvm::CallingConv::PTX_Kernel || cc == llvm::CallingConv::PTX_Device;
}

}  // namespace

bool retarget(llvm::Module& m, const llvm::DataLayout& dl, LoweringState& st, Diagnostics& diag) {
  read_annotations(m, st);
  if (st.kernels.empty()) diag.warning("the file defines no __global__ kernel");

  m.setTargetTriple(kTargetTriple);
  m.setDataLayout(dl);
  set_module_flags(m);
  prune_used_lists(m);

  for (llvm::Function& f : m) {
    if (is_ptx_cc(f.getCallingConv())) f.setCallingConv(llvm::CallingConv::C);
    f.removeFnAttr("target-cpu");
    f.removeFnAttr("target-features");
    f.removeFnAttr("frame-pointer");
    // optnone (front end at -O0) conflicts with always-inlining the kernel
    // bodies into their entries.
    f.removeFnAttr(llvm::Attribute::OptimizeNone);
    if (f.isDeclaration()) continue;
    f.addFnAttr("target-cpu", kTargetCpu);
    f.addFnAttr("target-features", kTargetFeatures);
    for (llvm::BasicBlock& bb : f) {
      for (auto it = bb.begin(); it != bb.end();) {
        llvm::Instruction& inst = *it++;
        auto* call = llvm::dyn_cast<llvm::CallBase>(&inst);
        if (!call) continue;
        if (is_ptx_cc(call->getCallingConv())) call->setCallingConv(llvm::CallingConv::C);
        if (call->isInlineAsm()) {
          diag.error("inline PTX assembly is not supported on the T1", call);
          continue;
        }
        // NVVMReflect: no flush-to-zero and no other NVVM build options.
        if (llvm::Function* callee = call->getCalledFunction();
            callee && callee->getName() == "__nvvm_reflect") {
          call->replaceAllUsesWith(llvm::ConstantInt::get(call->getType(), 0));
          call->eraseFromParent();
        }
      }
    }
  }
  if (llvm::Function* r = m.getFunction("__nvvm_reflect"); r && r->use_empty()) r->eraseFromParent();
  return !diag.has_errors();
}

}  // namespace tessera::compiler
