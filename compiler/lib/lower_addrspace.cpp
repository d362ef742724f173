// SPDX-License-Identifier: Apache-2.0
// lower-addrspace: CUDA's address spaces (global 1, shared 3, constant 4)
// are all plain 64-bit addresses on the T1, but the RISC-V back end cannot
// select an addrspacecast. Run after the optimizer (which would fold the
// pair back into a cast), each cast becomes ptrtoint + inttoptr, in
// instructions and in constants (global initializers included).
#include <map>

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

#include "lowering.hpp"

namespace tessera::compiler {

namespace {

class CastRewriter {
 public:
  explicit CastRewriter(llvm::Module& m) : i64_(llvm::Type::getInt64Ty(m.getContext())) {}

  // `c` with every addrspacecast inside it rewritten (c itself when none).
  llvm::Constant* rewrite(llvm::Constant* c) {
    if (llvm::isa<llvm::GlobalValue>(c) || llvm::isa<llvm::ConstantData>(c)) return c;
    if (auto it = done_.find(c); it != done_.end()) return it->second;
    std::vector<llvm::Constant*> ops;
    bool changed = false;
    for (llvm::Value* op : c->operands()) {
      auto* oc = llvm::cast<llvm::Constant>(op);
      llvm::Constant* r = rewrite(oc);
      changed |= r != oc;
      ops.push_back(r);
    }
    llvm::Constant* out = c;
    if (auto* ce = llvm::dyn_cast<llvm::ConstantExpr>(c)) {
      if (ce->getOpcode() == llvm::Instruction::AddrSpaceCast) {
        out = llvm::ConstantExpr::getIntToPtr(llvm::ConstantExpr::getPtrToInt(ops[0], i64_), ce->getType());
      } else if (changed) {
        out = ce->getWithOperands(ops);
      }
    } else if (changed) {
      if (auto* a = llvm::dyn_cast<llvm::ConstantArray>(c)) out = llvm::ConstantArray::get(a->getType(), ops);
      else if (auto* s = llvm::dyn_cast<llvm::ConstantStruct>(c)) out = llvm::ConstantStruct::get(s->getType(), ops);
      else if (llvm::isa<llvm::ConstantVector>(c)) out = llvm::ConstantVector::get(ops);
    }
    done_[c] = out;
    return out;
  }

  void run(llvm::Module& m) {
    for (llvm::GlobalVariable& g : m.globals())
      if (g.hasInitializer()) g.setInitializer(rewrite(g.getInitializer()));
    for (llvm::Function& f : m)
      for (llvm::BasicBlock& bb : f)
        for (auto it = bb.begin(); it != bb.end();) {
          llvm::Instruction& i = *it++;
          for (llvm::Use& u : i.operands())
            if (auto* c = llvm::dyn_cast<llvm::Constant>(u.get()))
              if (llvm::Constant* r = rewrite(c); r != c) u.set(r);
          if (auto* cast = llvm::dyn_cast<llvm::AddrSpaceCastInst>(&i)) {
            llvm::IRBuilder<> b(cast);
            llvm::Value* v = b.CreateIntToPtr(b.CreatePtrToInt(cast->getOperand(0), i64_), cast->getType());
            cast->replaceAllUsesWith(v);
            cast->eraseFromParent();
          }
        }
  }

 private:
  llvm::Type* i64_;
  std::map<llvm::Constant*, llvm::Constant*> done_;
};

}  // namespace

void lower_addrspace_casts(llvm::Module& m) { CastRewriter(m).run(m); }

}  // namespace tessera::compiler
