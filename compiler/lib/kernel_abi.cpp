// SPDX-License-Identifier: Apache-2.0
// kernel-abi: the T1 starts a kernel thread with a0 = the kernarg buffer
// and ends it with t.exit (t1_isa.h). Each kernel's body becomes internal
// and always-inlined into a new entry of the kernel's name that loads every
// parameter from its offset in the buffer. Offsets follow the natural
// alignment of each parameter (as CUDA lays out kernel parameters); they
// are recorded for the code object's note. A struct passed by value is
// copied to the thread's stack, since the body may write to its copy.
//
// The body's memory attributes are not copied: the entry dereferences
// pointers it loads, which `memory(argmem: ...)` on it would make undefined.
#include <cstdio>
#include <set>

#include <llvm/IR/DIBuilder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

#include <tessera/hw/t1_codeobj.h>
#include <tessera/hw/t1_isa.h>

#include "codegen.hpp"
#include "lowering.hpp"

namespace tessera::compiler {

namespace {

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

bool build_entry(llvm::Module& m, KernelRecord& k, Diagnostics& diag) {
  llvm::Function* body = m.getFunction(k.name);
  if (!body || body->isDeclaration()) return true;
  const llvm::DataLayout& dl = m.getDataLayout();
  llvm::LLVMContext& ctx = m.getContext();

  if (!body->getReturnType()->isVoidTy()) {
    diag.error("kernel '" + demangle(k.name) + "' must return void", nullptr, body);
    return false;
  }

  // The parameter layout.
  uint64_t offset = 0, max_align = 1;
  for (llvm::Argument& a : body->args()) {
    KernelArg ka;
    llvm::Type* ty = a.getType();
    if (llvm::Type* byval = a.getParamByValType()) {
      ka.kind = T1_ARG_STRUCT;
      ka.size = static_cast<uint32_t>(dl.getTypeAllocSize(byval));
      ka.align = static_cast<uint32_t>(std::max<uint64_t>(a.getParamAlign().valueOrOne().value(),
                                                          dl.getABITypeAlign(byval).value()));
    } else {
      ka.kind = ty->isPointerTy() ? T1_ARG_POINTER : ty->isAggregateType() ? T1_ARG_STRUCT : T1_ARG_SCALAR;
      ka.size = static_cast<uint32_t>(dl.getTypeAllocSize(ty));
      ka.align = static_cast<uint32_t>(dl.getABITypeAlign(ty).value());
    }
    offset = align_up(offset, ka.align);
    ka.offset = static_cast<uint32_t>(offset);
    offset += ka.size;
    max_align = std::max<uint64_t>(max_align, ka.align);
    k.args.push_back(ka);
  }
  k.kernarg_align = static_cast<uint32_t>(max_align);
  k.kernarg_size = static_cast<uint32_t>(align_up(offset, max_align));

  // The body keeps its code under a private name.
  const std::string name = k.name;
  body->setName(name + ".body");
  body->setLinkage(llvm::GlobalValue::InternalLinkage);
  body->removeFnAttr(llvm::Attribute::NoInline);
  body->addFnAttr(llvm::Attribute::AlwaysInline);

  auto* ptr = llvm::PointerType::get(ctx, 0);
  auto* fty = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false);
  llvm::Function* entry = llvm::Function::Create(fty, llvm::GlobalValue::ExternalLinkage, name, m);
  entry->addFnAttr("target-cpu", kTargetCpu);
  entry->addFnAttr("target-features", kTargetFeatures);
  entry->addFnAttr(llvm::Attribute::NoUnwind);
  entry->addFnAttr(llvm::Attribute::NoReturn);
  entry->getArg(0)->setName("kernarg");
  entry->addParamAttr(0, llvm::Attribute::NoAlias);
  entry->addParamAttr(0, llvm::Attribute::ReadOnly);

  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", entry));
  // With line tables the entry needs its own (artificial) subprogram, or the
  // body's inlined locations would be invalid and the verifier would drop
  // all debug information.
  if (llvm::DISubprogram* bsp = body->getSubprogram()) {
    llvm::DIBuilder dib(m, false, bsp->getUnit());
    llvm::DISubprogram* sp = dib.createFunction(
        bsp->getScope(), bsp->getName(), name, bsp->getFile(), bsp->getLine(), bsp->getType(), bsp->getScopeLine(),
        llvm::DINode::FlagArtificial | llvm::DINode::FlagPrototyped,
        llvm::DISubprogram::SPFlagDefinition | (bsp->isOptimized() ? llvm::DISubprogram::SPFlagOptimized
                                                                   : llvm::DISubprogram::SPFlagZero));
    entry->setSubprogram(sp);
    dib.finalizeSubprogram(sp);
    b.SetCurrentDebugLocation(llvm::DILocation::get(ctx, bsp->getLine(), 0, sp));
  }
  std::vector<llvm::Value*> params;
  unsigned i = 0;
  for (llvm::Argument& a : body->args()) {
    const KernelArg& ka = k.args[i++];
    llvm::Value* at = b.CreateConstInBoundsGEP1_64(b.getInt8Ty(), entry->getArg(0), ka.offset);
    if (llvm::Type* byval = a.getParamByValType()) {
      llvm::AllocaInst* copy = b.CreateAlloca(byval);
      copy->setAlignment(llvm::Align(ka.align));
      b.CreateMemCpy(copy, llvm::Align(ka.align), at, llvm::Align(ka.align), ka.size);
      params.push_back(b.CreatePointerBitCastOrAddrSpaceCast(copy, a.getType()));
    } else {
      params.push_back(b.CreateAlignedLoad(a.getType(), at, llvm::Align(ka.align)));
    }
  }
  llvm::CallInst* call = b.CreateCall(body, params);
  // by-value attributes on the call must match the callee's parameters.
  call->setAttributes(body->getAttributes().removeFnAttributes(ctx));
  call->removeRetAttrs(call->getAttributes().getRetAttrs());
  auto* exit_ty = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), false);
  char exit_text[64];
  std::snprintf(exit_text, sizeof exit_text, ".insn r 0x%X, %d, 0, x0, x0, x0", T1_OPCODE_CUSTOM0, T1_F3_EXIT);
  llvm::CallInst* ex = b.CreateCall(exit_ty, llvm::InlineAsm::get(exit_ty, exit_text, "~{memory}", true));
  ex->addFnAttr(llvm::Attribute::NoReturn);
  ex->addFnAttr(llvm::Attribute::NoUnwind);
  b.CreateUnreachable();
  return true;
}

}  // namespace

bool lower_kernel_abi(llvm::Module& m, LoweringState& st, Diagnostics& diag) {
  for (KernelRecord& k : st.kernels) build_entry(m, k, diag);
  if (diag.has_errors()) return false;

  // Only kernels (and __device__ / __constant__ variables, which the runtime
  // looks up by name) are visible outside the code object; everything else
  // becomes internal, which also lets the optimizer drop what is unused.
  std::set<std::string> entries;
  for (const KernelRecord& k : st.kernels) entries.insert(k.name);
  for (llvm::Function& f : m)
    if (!f.isDeclaration() && !entries.count(f.getName().str()) && !f.hasLocalLinkage())
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable& g : m.globals())
    if (!g.isDeclaration() && !g.hasLocalLinkage() && !g.getName().starts_with("llvm.") &&
        (g.getLinkage() == llvm::GlobalValue::LinkOnceODRLinkage ||
         g.getLinkage() == llvm::GlobalValue::WeakODRLinkage))
      g.setLinkage(llvm::GlobalValue::InternalLinkage);  // template statics, inline variables
  return true;
}

}  // namespace tessera::compiler
