// SPDX-License-Identifier: Apache-2.0
#include "note_writer.hpp"

#include <cstring>

#include <llvm/IR/Constants.h>
#include <llvm/IR/GlobalVariable.h>
#include <llvm/IR/Module.h>

#include <tessera/hw/t1_codeobj.h>

#include "codegen.hpp"

namespace tessera::compiler {

namespace {

void put(std::vector<uint8_t>& out, size_t at, const void* p, size_t n) {
  if (out.size() < at + n) out.resize(at + n);
  std::memcpy(out.data() + at, p, n);
}

size_t align8(size_t v) { return (v + 7) & ~size_t{7}; }

}  // namespace

std::vector<uint8_t> build_note(const std::vector<KernelInfo>& kernels) {
  // Descriptor: header, kernel table, argument tables, string table.
  std::vector<uint8_t> desc;
  std::string strtab(1, '\0');  // offset 0: the empty string
  t1_codeobj_header h{};
  h.version = T1_CODEOBJ_VERSION;
  h.kernel_count = static_cast<t1_u32>(kernels.size());
  h.kernels_offset = static_cast<t1_u32>(align8(sizeof h));
  h.kernel_desc_size = sizeof(t1_kernel_desc);
  h.arg_desc_size = sizeof(t1_arg_desc);
  size_t args_at = align8(h.kernels_offset + kernels.size() * sizeof(t1_kernel_desc));
  for (size_t i = 0; i < kernels.size(); ++i) {
    const KernelInfo& k = kernels[i];
    t1_kernel_desc d{};
    d.name_offset = static_cast<t1_u32>(strtab.size());
    strtab += k.name;
    strtab += '\0';
    d.flags = k.flags;
    d.kernarg_size = k.kernarg_size;
    d.kernarg_align = k.kernarg_align;
    d.arg_count = static_cast<t1_u32>(k.args.size());
    d.args_offset = static_cast<t1_u32>(args_at);
    d.static_shared_bytes = k.static_shared_bytes;
    d.stack_bytes = k.stack_bytes;
    d.max_block_threads = k.max_block_threads;
    put(desc, h.kernels_offset + i * sizeof d, &d, sizeof d);
    for (const KernelArg& a : k.args) {
      t1_arg_desc ad{a.offset, a.size, a.align, a.kind};
      put(desc, args_at, &ad, sizeof ad);
      args_at += sizeof ad;
    }
  }
  h.strtab_offset = static_cast<t1_u32>(align8(std::max(args_at, desc.size())));
  h.strtab_size = static_cast<t1_u32>(strtab.size());
  put(desc, h.strtab_offset, strtab.data(), strtab.size());
  put(desc, 0, &h, sizeof h);
  desc.resize((desc.size() + 3) & ~size_t{3});

  // ELF note: namesz, descsz, type, name padded to 4, descriptor.
  std::vector<uint8_t> note;
  const char name[] = T1_NOTE_NAME;
  const uint32_t hdr[3] = {sizeof name, static_cast<uint32_t>(desc.size()), T1_NOTE_KERNELS};
  put(note, 0, hdr, sizeof hdr);
  put(note, sizeof hdr, name, sizeof name);
  const size_t desc_at = (sizeof hdr + sizeof name + 3) & ~size_t{3};
  put(note, desc_at, desc.data(), desc.size());
  return note;
}

std::unique_ptr<llvm::Module> note_module(const std::vector<uint8_t>& note, llvm::LLVMContext& ctx) {
  auto m = std::make_unique<llvm::Module>("tessera.note", ctx);
  m->setTargetTriple(kTargetTriple);
  auto* init = llvm::ConstantDataArray::get(ctx, llvm::ArrayRef<uint8_t>(note.data(), note.size()));
  auto* g = new llvm::GlobalVariable(*m, init->getType(), true, llvm::GlobalValue::InternalLinkage, init,
                                     "__tessera_note");
  g->setSection(T1_CODEOBJ_SECTION);
  g->setAlignment(llvm::Align(4));
  // Nothing references the note; the section's SHT_NOTE type keeps it
  // through --gc-sections, and llvm.used keeps it through the back end.
  auto* ptr = llvm::PointerType::get(ctx, 0);
  auto* used_ty = llvm::ArrayType::get(ptr, 1);
  auto* used = new llvm::GlobalVariable(*m, used_ty, false, llvm::GlobalValue::AppendingLinkage,
                                        llvm::ConstantArray::get(used_ty, {g}), "llvm.used");
  used->setSection("llvm.metadata");
  return m;
}

}  // namespace tessera::compiler
