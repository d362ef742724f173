// SPDX-License-Identifier: Apache-2.0
// lower-nvvm: every llvm.nvvm.* call becomes T1 code. Identity reads are
// CSR reads that touch no memory (so LLVM may hoist and merge them);
// barriers, warp-synchronous operations and clocks are volatile inline
// assembly, and the warp-synchronous ones convergent, so they are never
// duplicated or moved across divergent control flow. The encodings come
// from include/tessera/hw/t1_isa.h. Anything not known is an error that
// names the intrinsic: one left in would abort the RISC-V back end. Calls of
// C library functions that cannot work on the T1 are reported here too.
#include <functional>
#include <string>

#include <llvm/ADT/StringMap.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/InlineAsm.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/Module.h>

#include <tessera/hw/t1_isa.h>

#include "lowering.hpp"

namespace tessera::compiler {

namespace {

using llvm::IRBuilder;
using llvm::Type;
using llvm::Value;

std::string hex(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%X", v);
  return buf;
}

// C library functions the device headers make callable (they declare the C
// headers __host__ __device__) whose picolibc versions cannot work on a T1:
// they keep global state or need an operating system. Returns the reason.
const char* unsupported_library_call(llvm::StringRef name) {
  static const llvm::StringMap<const char*> kCalls = {
      {"malloc", " yet (no device heap)"}, {"calloc", " yet (no device heap)"},
      {"realloc", " yet (no device heap)"}, {"free", " yet (no device heap)"},
      {"aligned_alloc", " yet (no device heap)"}, {"posix_memalign", " yet (no device heap)"},
      {"_Znwm", " yet (operator new needs a device heap)"}, {"_Znam", " yet (operator new needs a device heap)"},
      {"_ZdlPv", " yet (operator delete needs a device heap)"}, {"_ZdaPv", " yet (operator delete needs a device heap)"},
      {"_ZdlPvm", " yet (operator delete needs a device heap)"},
      {"exit", " (use return, or __trap() to stop the kernel with a fault)"},
      {"abort", " (use __trap())"}, {"_Exit", " (use __trap())"}, {"atexit", ""},
      {"rand", " (its state is global; use a per-thread generator)"},
      {"srand", " (its state is global; use a per-thread generator)"},
      {"getenv", ""}, {"system", ""}, {"fopen", ""}, {"fprintf", ""}, {"puts", ""}, {"putchar", ""},
  };
  auto it = kCalls.find(name);
  return it == kCalls.end() ? nullptr : it->second;
}

class NvvmLowering {
 public:
  NvvmLowering(llvm::Module& m, Diagnostics& diag)
      : m_(m), diag_(diag), i64_(Type::getInt64Ty(m.getContext())),
        i32_(Type::getInt32Ty(m.getContext())) {}

  bool run();

 private:
  // Inline assembly returning i64 (or nothing) from i64 operands.
  Value* asm_call(IRBuilder<>& b, const std::string& text, const std::string& constraints,
                  llvm::ArrayRef<Value*> args, bool has_result, bool volatile_, bool convergent) {
    std::vector<Type*> params(args.size(), i64_);
    auto* fty = llvm::FunctionType::get(has_result ? i64_ : Type::getVoidTy(m_.getContext()), params, false);
    auto* ia = llvm::InlineAsm::get(fty, text, constraints, volatile_);
    llvm::CallInst* c = b.CreateCall(fty, ia, args);
    c->addFnAttr(llvm::Attribute::NoUnwind);
    if (convergent) c->addFnAttr(llvm::Attribute::Convergent);
    if (!volatile_) c->setDoesNotAccessMemory();
    return c;
  }

  Value* csr(IRBuilder<>& b, unsigned number) {
    return asm_call(b, "csrr $0, " + hex(number), "=r", {}, true, false, false);
  }

  Value* to_i64(IRBuilder<>& b, Value* v) {
    if (v->getType()->isFloatTy()) v = b.CreateBitCast(v, i32_);
    if (v->getType()->isIntegerTy(1)) return b.CreateZExt(v, i64_);
    return b.CreateZExtOrTrunc(v, i64_);
  }

  Value* from_i64(IRBuilder<>& b, Value* v, Type* ty) {
    if (ty->isFloatTy()) return b.CreateBitCast(b.CreateTrunc(v, i32_), ty);
    if (ty->isIntegerTy(1)) return b.CreateICmpNE(v, llvm::ConstantInt::get(i64_, 0));
    return b.CreateZExtOrTrunc(v, ty);
  }

  // Returns the replacement for a call of `name` (null: not a known intrinsic).
  Value* lower(IRBuilder<>& b, llvm::CallInst& call, llvm::StringRef name);

  llvm::Module& m_;
  Diagnostics& diag_;
  Type* i64_;
  Type* i32_;
};

struct CsrName {
  const char* suffix;
  unsigned csr;
};
constexpr CsrName kCsrs[] = {
    {"tid.x", T1_CSR_TID_X},       {"tid.y", T1_CSR_TID_Y},       {"tid.z", T1_CSR_TID_Z},
    {"ntid.x", T1_CSR_NTID_X},     {"ntid.y", T1_CSR_NTID_Y},     {"ntid.z", T1_CSR_NTID_Z},
    {"ctaid.x", T1_CSR_CTAID_X},   {"ctaid.y", T1_CSR_CTAID_Y},   {"ctaid.z", T1_CSR_CTAID_Z},
    {"nctaid.x", T1_CSR_NCTAID_X}, {"nctaid.y", T1_CSR_NCTAID_Y}, {"nctaid.z", T1_CSR_NCTAID_Z},
    {"laneid", T1_CSR_LANEID},     {"warpid", T1_CSR_WARPID},     {"nwarpid", T1_CSR_NWARPS},
};

// .insn forms of the Xtessera instructions (custom-0: R type, custom-1: R4).
std::string insn_r(unsigned f3, unsigned f7, const char* rd, const char* rs1, const char* rs2) {
  return ".insn r " + hex(T1_OPCODE_CUSTOM0) + ", " + std::to_string(f3) + ", " + std::to_string(f7) + ", " +
         rd + ", " + rs1 + ", " + rs2;
}

Value* NvvmLowering::lower(IRBuilder<>& b, llvm::CallInst& call, llvm::StringRef name) {
  auto arg = [&](unsigned i) { return call.getArgOperand(i); };
  Type* rty = call.getType();

  if (name.consume_front("llvm.nvvm.read.ptx.sreg.")) {
    for (const CsrName& c : kCsrs)
      if (name == c.suffix) return from_i64(b, csr(b, c.csr), rty);
    if (name == "warpsize") return llvm::ConstantInt::get(rty, T1_WARP_SIZE);
    if (name.starts_with("lanemask.")) {
      Value* lane = csr(b, T1_CSR_LANEID);
      Value* one = llvm::ConstantInt::get(i64_, 1);
      Value* eq = b.CreateShl(one, lane);
      Value* lt = b.CreateSub(eq, one);
      Value* le = b.CreateOr(lt, eq);
      Value* m = name == "lanemask.eq" ? eq
               : name == "lanemask.lt" ? lt
               : name == "lanemask.le" ? le
               : name == "lanemask.ge" ? b.CreateNot(lt)
               : name == "lanemask.gt" ? b.CreateNot(le)
                                       : nullptr;
      return m ? from_i64(b, m, rty) : nullptr;
    }
    if (name == "clock" || name == "clock64")
      return from_i64(b, asm_call(b, "rdcycle $0", "=r", {}, true, true, false), rty);
    if (name == "globaltimer") return from_i64(b, asm_call(b, "rdtime $0", "=r", {}, true, true, false), rty);
    return nullptr;
  }

  // Block barrier; only barrier 0 exists on the T1.
  if (name == "llvm.nvvm.barrier0" ||
      ((name == "llvm.nvvm.barrier.sync" || name == "llvm.nvvm.bar.sync") &&
       llvm::isa<llvm::ConstantInt>(arg(0)) && llvm::cast<llvm::ConstantInt>(arg(0))->isZero())) {
    asm_call(b, insn_r(T1_F3_BAR, T1_BAR_SYNC, "x0", "x0", "x0"), "~{memory}", {}, false, true, true);
    return llvm::UndefValue::get(rty);
  }
  if (name == "llvm.nvvm.barrier0.popc" || name == "llvm.nvvm.barrier0.and" || name == "llvm.nvvm.barrier0.or") {
    const unsigned v = name.ends_with("popc") ? T1_BAR_POPC : name.ends_with("and") ? T1_BAR_AND : T1_BAR_OR;
    Value* r = asm_call(b, insn_r(T1_F3_BAR, v, "$0", "$1", "x0"), "=r,r,~{memory}", {to_i64(b, arg(0))}, true,
                        true, true);
    return from_i64(b, r, rty);
  }
  if (name == "llvm.nvvm.bar.warp.sync") {
    asm_call(b, insn_r(T1_F3_WSYNC, 0, "x0", "$0", "x0"), "r,~{memory}", {to_i64(b, arg(0))}, false, true, true);
    return llvm::UndefValue::get(rty);
  }
  if (name == "llvm.nvvm.membar.cta" || name == "llvm.nvvm.membar.gl" || name == "llvm.nvvm.membar.sys") {
    b.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent);
    return llvm::UndefValue::get(rty);
  }

  // Shuffles: PTX's c operand packs the clamp (bits 4:0) and the segment
  // mask (bits 12:8); Xtessera's control register takes b, clamp and segmask
  // in bytes 0, 1 and 2 (T1_SHFL_CTL).
  if (name.consume_front("llvm.nvvm.shfl.sync.")) {
    unsigned mode;
    if (name.consume_front("idx.")) mode = T1_SHFL_IDX;
    else if (name.consume_front("up.")) mode = T1_SHFL_UP;
    else if (name.consume_front("down.")) mode = T1_SHFL_DOWN;
    else if (name.consume_front("bfly.")) mode = T1_SHFL_BFLY;
    else return nullptr;
    if (name != "i32" && name != "f32") return nullptr;  // the .p (predicate) forms are not supported
    Value* mask = to_i64(b, arg(0));
    Value* value = to_i64(b, arg(1));
    Value* lane = b.CreateAnd(to_i64(b, arg(2)), 31);
    Value* c = to_i64(b, arg(3));
    Value* clamp = b.CreateShl(b.CreateAnd(c, 31), 8);
    Value* seg = b.CreateShl(b.CreateAnd(b.CreateLShr(c, 8), 31), 16);
    Value* ctl = b.CreateOr(b.CreateOr(lane, clamp), seg);
    const std::string text = ".insn r4 " + hex(T1_OPCODE_CUSTOM1) + ", " + std::to_string(mode) + ", 0, $0, $1, $2, $3";
    return from_i64(b, asm_call(b, text, "=r,r,r,r", {value, ctl, mask}, true, true, true), rty);
  }

  if (name.consume_front("llvm.nvvm.vote.")) {
    unsigned mode;
    if (name == "all.sync") mode = T1_VOTE_ALL;
    else if (name == "any.sync") mode = T1_VOTE_ANY;
    else if (name == "uni.sync") mode = T1_VOTE_UNI;
    else if (name == "ballot.sync") mode = T1_VOTE_BALLOT;
    else return nullptr;
    Value* r = asm_call(b, insn_r(T1_F3_VOTE, mode, "$0", "$1", "$2"), "=r,r,r",
                        {to_i64(b, arg(1)), to_i64(b, arg(0))}, true, true, true);
    return from_i64(b, r, rty);
  }

  if (name == "__tessera_activemask")
    return from_i64(b, asm_call(b, insn_r(T1_F3_ACTIVEMASK, 0, "$0", "x0", "x0"), "=r", {}, true, true, true), rty);

  // __ldg: the T1 has no separate read-only path; a load is a load.
  if (name.starts_with("llvm.nvvm.ldg.global.")) {
    const auto* align = llvm::cast<llvm::ConstantInt>(arg(1));
    return b.CreateAlignedLoad(rty, arg(0), llvm::MaybeAlign(align->getZExtValue()));
  }
  return nullptr;
}

bool NvvmLowering::run() {
  std::vector<llvm::CallInst*> calls;
  for (llvm::Function& f : m_)
    for (llvm::BasicBlock& bb : f)
      for (llvm::Instruction& i : bb)
        if (auto* c = llvm::dyn_cast<llvm::CallInst>(&i))
          if (llvm::Function* callee = c->getCalledFunction()) {
            const llvm::StringRef n = callee->getName();
            if (n.starts_with("llvm.nvvm.") || n == "__tessera_activemask" || n == "vprintf" ||
                unsupported_library_call(n))
              calls.push_back(c);
          }
  for (llvm::CallInst* c : calls) {
    const std::string name = c->getCalledFunction()->getName().str();
    if (const char* why = unsupported_library_call(name)) {
      diag_.error("'" + name + "' is not supported in T1 device code" + why, c);
      continue;
    }
    if (name == "vprintf") {
      diag_.error("printf is not supported in T1 device code yet", c);
      continue;
    }
    IRBuilder<> b(c);
    Value* v = lower(b, *c, name);
    if (!v) {
      diag_.error("CUDA intrinsic '" + name + "' is not supported on the T1", c);
      continue;
    }
    if (!c->getType()->isVoidTy()) c->replaceAllUsesWith(v);
    c->eraseFromParent();
  }
  for (auto it = m_.begin(); it != m_.end();) {
    llvm::Function& f = *it++;
    if (f.isDeclaration() && f.use_empty() &&
        (f.getName().starts_with("llvm.nvvm.") || f.getName() == "__tessera_activemask"))
      f.eraseFromParent();
  }
  return !diag_.has_errors();
}

}  // namespace

bool lower_nvvm(llvm::Module& m, Diagnostics& diag) { return NvvmLowering(m, diag).run(); }

}  // namespace tessera::compiler
