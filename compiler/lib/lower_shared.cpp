// SPDX-License-Identifier: Apache-2.0
// lower-shared: __shared__ variables (address space 3) live in the running
// block's scratchpad, reached through the shared aperture. Left alone, the
// RISC-V back end would make them ordinary globals shared by every block —
// wrong results and no error — so each static one gets a fixed aperture
// address here: one offset per variable, so a device function used by
// several kernels needs no per-kernel variants. Variables that only one
// kernel reaches overlap other kernels' own variables (they never share a
// block), so each kernel's static size covers little more than what it uses. Dynamic
// shared memory (`extern __shared__ T x[]`) starts where the launch puts it,
// which the DYNSHARED CSR reads.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <llvm/IR/Constants.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/ReplaceConstant.h>

#include <tessera/hw/t1_codeobj.h>
#include <tessera/hw/t1_isa.h>

#include "lowering.hpp"

namespace tessera::compiler {

namespace {

constexpr unsigned kSharedAS = 3;

// Turns constant expressions that (transitively) use `c` into instructions
// at their users, so that every remaining use of `c` is an instruction.
void expand_constant_users(llvm::Constant* c) {
  std::vector<llvm::User*> users(c->user_begin(), c->user_end());
  for (llvm::User* u : users) {
    auto* ce = llvm::dyn_cast<llvm::ConstantExpr>(u);
    if (!ce) continue;
    expand_constant_users(ce);
    std::vector<llvm::User*> ce_users(ce->user_begin(), ce->user_end());
    for (llvm::User* cu : ce_users)
      if (auto* inst = llvm::dyn_cast<llvm::Instruction>(cu)) llvm::convertConstantExprsToInstructions(inst, ce);
  }
}

// Functions whose instructions use `g` (directly or through constants).
void collect_user_functions(llvm::Value* v, std::set<llvm::Function*>& out, std::set<llvm::Value*>& seen) {
  if (!seen.insert(v).second) return;
  for (llvm::User* u : v->users()) {
    if (auto* i = llvm::dyn_cast<llvm::Instruction>(u)) {
      out.insert(i->getFunction());
    } else if (llvm::isa<llvm::Constant>(u)) {
      collect_user_functions(u, out, seen);
    }
  }
}

uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

}  // namespace

std::vector<llvm::Function*> reachable_functions(llvm::Function& root) {
  std::vector<llvm::Function*> order;
  std::set<llvm::Function*> seen;
  std::vector<llvm::Function*> work = {&root};
  bool indirect_added = false;
  while (!work.empty()) {
    llvm::Function* f = work.back();
    work.pop_back();
    if (!seen.insert(f).second) continue;
    order.push_back(f);
    for (llvm::BasicBlock& bb : *f)
      for (llvm::Instruction& i : bb) {
        auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
        if (!call || call->isInlineAsm()) continue;
        if (llvm::Function* callee = call->getCalledFunction()) {
          work.push_back(callee);
        } else if (!indirect_added) {
          indirect_added = true;
          for (llvm::Function& g : *root.getParent())
            if (g.hasAddressTaken()) work.push_back(&g);
        }
      }
  }
  return order;
}

bool lower_shared(llvm::Module& m, LoweringState& st, Diagnostics& diag) {
  const llvm::DataLayout& dl = m.getDataLayout();
  llvm::LLVMContext& ctx = m.getContext();
  llvm::Type* i64 = llvm::Type::getInt64Ty(ctx);

  std::vector<llvm::GlobalVariable*> statics, dynamics;
  for (llvm::GlobalVariable& g : m.globals()) {
    if (g.getAddressSpace() != kSharedAS) continue;
    const bool dynamic = g.isDeclaration() || dl.getTypeAllocSize(g.getValueType()) == 0;
    (dynamic ? dynamics : statics).push_back(&g);
  }
  if (statics.empty() && dynamics.empty()) return true;

  // Who uses what, before the variables are replaced.
  std::map<llvm::GlobalVariable*, std::set<llvm::Function*>> users;
  for (llvm::GlobalVariable* g : statics) {
    std::set<llvm::Value*> seen;
    collect_user_functions(g, users[g], seen);
  }
  std::set<llvm::Function*> dyn_users;
  for (llvm::GlobalVariable* g : dynamics) {
    std::set<llvm::Value*> seen;
    collect_user_functions(g, dyn_users, seen);
  }

  // Which kernels reach which variables.
  std::vector<std::set<llvm::Function*>> reach(st.kernels.size());
  for (size_t i = 0; i < st.kernels.size(); ++i)
    if (llvm::Function* f = m.getFunction(st.kernels[i].name))
      for (llvm::Function* r : reachable_functions(*f)) reach[i].insert(r);
  std::map<llvm::GlobalVariable*, std::vector<size_t>> kernels_of;
  for (auto& [g, fs] : users)
    for (size_t i = 0; i < reach.size(); ++i)
      for (llvm::Function* u : fs)
        if (reach[i].count(u)) {
          kernels_of[g].push_back(i);
          break;
        }

  // Layout, largest alignment first to waste little padding. Variables
  // several kernels reach come first, at one offset for all of them. A
  // variable only one kernel reaches never shares a block with another
  // kernel's, so each kernel's own variables start after the shared ones it
  // reaches — at the same addresses as another kernel's own variables.
  std::stable_sort(statics.begin(), statics.end(), [&](auto* a, auto* b) {
    return dl.getPreferredAlign(a) > dl.getPreferredAlign(b);
  });
  std::map<llvm::GlobalVariable*, std::pair<uint64_t, uint64_t>> place;  // offset, end
  auto put = [&](llvm::GlobalVariable* g, uint64_t& end) {
    const uint64_t off = align_up(end, dl.getPreferredAlign(g).value());
    end = off + dl.getTypeAllocSize(g->getValueType());
    place[g] = {off, end};
  };
  uint64_t common_end = 0;
  for (llvm::GlobalVariable* g : statics)
    if (kernels_of[g].size() > 1) put(g, common_end);
  std::vector<uint64_t> kernel_end(st.kernels.size(), 0);
  for (size_t i = 0; i < st.kernels.size(); ++i)
    for (llvm::GlobalVariable* g : statics)
      if (kernels_of[g].size() > 1 && std::count(kernels_of[g].begin(), kernels_of[g].end(), i))
        kernel_end[i] = std::max(kernel_end[i], place[g].second);
  uint64_t end = common_end;
  for (llvm::GlobalVariable* g : statics) {
    const auto& ks = kernels_of[g];
    if (ks.size() > 1) continue;
    uint64_t dead_end = 0;  // reached by no kernel: anywhere will do
    put(g, ks.empty() ? dead_end : kernel_end[ks[0]]);
  }
  for (size_t i = 0; i < st.kernels.size(); ++i) end = std::max(end, kernel_end[i]);
  if (end > T1_SHARED_APERTURE_SIZE) {
    diag.error("__shared__ variables need " + std::to_string(end) +
               " bytes, more than the T1 scratchpad aperture holds");
    return false;
  }

  // Per kernel: the static bytes it uses, and whether it reads DYNSHARED.
  for (size_t i = 0; i < st.kernels.size(); ++i) {
    KernelRecord& k = st.kernels[i];
    k.static_shared_bytes = static_cast<uint32_t>(align_up(kernel_end[i], 16));
    for (llvm::Function* u : dyn_users)
      if (reach[i].count(u)) k.flags |= T1_KERNEL_FLAG_USES_DYNSHARED;
  }

  for (llvm::GlobalVariable* g : statics) {
    auto* addr = llvm::ConstantInt::get(i64, T1_SHARED_APERTURE_BASE + place[g].first);
    g->replaceAllUsesWith(llvm::ConstantExpr::getIntToPtr(addr, g->getType()));
    g->eraseFromParent();
  }

  // Dynamic shared memory: one CSR read at the entry of each function using it.
  for (llvm::GlobalVariable* g : dynamics) {
    expand_constant_users(g);
    g->removeDeadConstantUsers();  // the expanded expressions linger otherwise
    std::map<llvm::Function*, llvm::Value*> base;
    std::vector<llvm::User*> us(g->user_begin(), g->user_end());
    for (llvm::User* u : us) {
      auto* inst = llvm::dyn_cast<llvm::Instruction>(u);
      if (!inst) {
        diag.error("the address of extern __shared__ variable '" + g->getName().str() +
                   "' is used outside a function (e.g. in a global initializer)");
        continue;
      }
      llvm::Function* f = inst->getFunction();
      llvm::Value*& b = base[f];
      if (!b) {
        llvm::IRBuilder<> ib(&*f->getEntryBlock().getFirstInsertionPt());
        auto* fty = llvm::FunctionType::get(i64, false);
        char text[32];
        std::snprintf(text, sizeof text, "csrr $0, 0x%X", T1_CSR_DYNSHARED);
        auto* ia = llvm::InlineAsm::get(fty, text, "=r", false);
        llvm::CallInst* c = ib.CreateCall(fty, ia);
        c->setDoesNotAccessMemory();
        c->addFnAttr(llvm::Attribute::NoUnwind);
        b = ib.CreateIntToPtr(c, g->getType());
      }
      u->replaceUsesOfWith(g, b);
    }
    if (g->use_empty()) g->eraseFromParent();
  }
  return !diag.has_errors();
}

}  // namespace tessera::compiler
