// SPDX-License-Identifier: Apache-2.0
#include "stack_sizes.hpp"

#include <functional>
#include <set>

#include <llvm/IR/Function.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Support/LEB128.h>
#include <llvm/Support/MemoryBuffer.h>

#include <tessera/hw/t1_codeobj.h>

namespace tessera::compiler {

std::map<std::string, uint64_t> read_frame_sizes(const std::vector<uint8_t>& object) {
  std::map<std::string, uint64_t> out;
  llvm::MemoryBufferRef ref(llvm::StringRef(reinterpret_cast<const char*>(object.data()), object.size()), "kernel.o");
  auto file = llvm::object::ObjectFile::createObjectFile(ref);
  if (!file) {
    llvm::consumeError(file.takeError());
    return out;
  }
  // Function symbols by (section, address): .stack_sizes relocations name a
  // function's start through its section's symbol plus an addend.
  std::map<std::pair<uint64_t, uint64_t>, std::string> functions;
  for (const llvm::object::SymbolRef& sym : (*file)->symbols()) {
    auto type = sym.getType();
    auto sec = sym.getSection();
    auto addr = sym.getValue();
    auto name = sym.getName();
    if (!type || !sec || !addr || !name) {
      if (!type) llvm::consumeError(type.takeError());
      if (!sec) llvm::consumeError(sec.takeError());
      if (!addr) llvm::consumeError(addr.takeError());
      if (!name) llvm::consumeError(name.takeError());
      continue;
    }
    if (*type == llvm::object::SymbolRef::ST_Function && *sec != (*file)->section_end())
      functions[{(*sec)->getIndex(), *addr}] = name->str();
  }
  // Each .stack_sizes entry is an 8-byte address (a relocation) and a ULEB128 size.
  for (const llvm::object::SectionRef& rel_sec : (*file)->sections()) {
    auto target = rel_sec.getRelocatedSection();
    if (!target) {
      llvm::consumeError(target.takeError());
      continue;
    }
    if (*target == (*file)->section_end()) continue;
    auto name = (*target)->getName();
    if (!name || *name != ".stack_sizes") {
      if (!name) llvm::consumeError(name.takeError());
      continue;
    }
    auto contents = (*target)->getContents();
    if (!contents) {
      llvm::consumeError(contents.takeError());
      continue;
    }
    for (const llvm::object::RelocationRef& r : rel_sec.relocations()) {
      auto sym = r.getSymbol();
      if (sym == (*file)->symbol_end()) continue;
      auto sec = sym->getSection();
      auto value = sym->getValue();
      if (!sec || !value) {
        if (!sec) llvm::consumeError(sec.takeError());
        if (!value) llvm::consumeError(value.takeError());
        continue;
      }
      if (*sec == (*file)->section_end()) continue;
      auto addend = llvm::object::ELFRelocationRef(r).getAddend();
      if (!addend) {
        llvm::consumeError(addend.takeError());
        continue;
      }
      auto fn = functions.find({(*sec)->getIndex(), *value + static_cast<uint64_t>(*addend)});
      if (fn == functions.end()) continue;
      const uint64_t at = r.getOffset() + 8;
      if (at >= contents->size()) continue;
      unsigned n = 0;
      const char* err = nullptr;
      const auto* p = reinterpret_cast<const uint8_t*>(contents->data()) + at;
      const uint64_t size = llvm::decodeULEB128(p, &n, reinterpret_cast<const uint8_t*>(contents->end()), &err);
      if (!err) out[fn->second] = size;
    }
  }
  return out;
}

uint32_t kernel_stack_bytes(llvm::Function& entry, const std::map<std::string, uint64_t>& frames,
                            uint32_t& flags) {
  bool unknown = false, recursion = false;
  std::set<llvm::Function*> on_path;
  std::map<llvm::Function*, uint64_t> memo;
  std::function<uint64_t(llvm::Function*)> depth = [&](llvm::Function* f) -> uint64_t {
    if (f->isDeclaration()) return f->isIntrinsic() ? 0 : kLibraryStackAllowance;
    if (auto it = memo.find(f); it != memo.end()) return it->second;
    if (!on_path.insert(f).second) {
      recursion = true;
      return 0;
    }
    uint64_t own = 0;
    if (auto it = frames.find(f->getName().str()); it != frames.end()) {
      own = it->second;
    } else {
      unknown = true;  // no entry: a dynamic alloca, or inlined everywhere and gone
    }
    uint64_t callees = 0;
    for (llvm::BasicBlock& bb : *f)
      for (llvm::Instruction& i : bb) {
        auto* call = llvm::dyn_cast<llvm::CallBase>(&i);
        if (!call || call->isInlineAsm()) continue;
        if (llvm::isa<llvm::MemIntrinsic>(call)) {
          callees = std::max<uint64_t>(callees, kLibraryStackAllowance);  // may become memcpy/memset calls
        } else if (llvm::Function* callee = call->getCalledFunction()) {
          callees = std::max(callees, depth(callee));
        } else {
          unknown = true;
        }
      }
    on_path.erase(f);
    return memo[f] = own + callees;
  };
  const uint64_t total = depth(&entry);
  if (recursion) flags |= T1_KERNEL_FLAG_RECURSION;
  if (unknown || total > 0xFFFFFFF0u) return T1_STACK_UNKNOWN;
  return static_cast<uint32_t>((total + 15) / 16 * 16);
}

}  // namespace tessera::compiler
