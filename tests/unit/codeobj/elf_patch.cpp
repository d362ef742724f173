// SPDX-License-Identifier: Apache-2.0
#include "elf_patch.hpp"

#include <fstream>
#include <iterator>
#include <stdexcept>

#include <tessera/hw/t1_codeobj.h>

namespace codeobj_test {

Bytes read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path);
  return Bytes(std::istreambuf_iterator<char>(f), {});
}

Bytes two_kernels() { return read_file(TESSERA_CODEOBJ_DIR "/codeobj_two_kernels.elf"); }
Bytes symbol_reloc() { return read_file(TESSERA_CODEOBJ_DIR "/codeobj_symbol_reloc.elf"); }
Bytes host_library() { return read_file(TESSERA_HOST_LIBRARY); }

Layout::Layout(const Bytes& file) : file_(file) {
  eh = get<Elf64_Ehdr>(file, 0);
  for (size_t i = 0; i < eh.e_phnum; ++i)
    if (phdr(i).p_type == PT_LOAD) loads.push_back(i);
  const Elf64_Shdr sh = section(T1_CODEOBJ_SECTION);
  note = sh.sh_offset;
  if (get<uint32_t>(file, note) != 8 || get<uint32_t>(file, note + 8) != T1_NOTE_KERNELS)
    throw std::runtime_error("the first note is not the Tessera kernel note");
  descsz = get<uint32_t>(file, note + 4);
  desc = note + 20;
}

Elf64_Phdr Layout::phdr(size_t i) const { return get<Elf64_Phdr>(file_, phdr_offset(i)); }

size_t Layout::section_header_offset(const std::string& name) const {
  const Elf64_Shdr names = get<Elf64_Shdr>(file_, eh.e_shoff + eh.e_shstrndx * sizeof(Elf64_Shdr));
  for (size_t i = 0; i < eh.e_shnum; ++i) {
    const size_t off = eh.e_shoff + i * sizeof(Elf64_Shdr);
    const Elf64_Shdr sh = get<Elf64_Shdr>(file_, off);
    if (name == reinterpret_cast<const char*>(file_.data() + names.sh_offset + sh.sh_name)) return off;
  }
  throw std::runtime_error("no section " + name);
}

Elf64_Shdr Layout::section(const std::string& name) const {
  return get<Elf64_Shdr>(file_, section_header_offset(name));
}

size_t Layout::kernel_field(unsigned k, size_t field_off) const {
  return desc + desc_u32(offsetof(t1_codeobj_header, kernels_offset)) +
         k * desc_u32(offsetof(t1_codeobj_header, kernel_desc_size)) + field_off;
}

size_t Layout::arg_field(unsigned k, unsigned a, size_t field_off) const {
  const uint32_t args = get<uint32_t>(file_, kernel_field(k, offsetof(t1_kernel_desc, args_offset)));
  return desc + args + a * desc_u32(offsetof(t1_codeobj_header, arg_desc_size)) + field_off;
}

size_t Layout::strtab() const { return desc + desc_u32(offsetof(t1_codeobj_header, strtab_offset)); }

size_t Layout::symbol_offset(const std::string& name) const {
  const Elf64_Shdr dynsym = section(".dynsym");
  const Elf64_Shdr dynstr = section(".dynstr");
  for (size_t i = 1; i < dynsym.sh_size / sizeof(Elf64_Sym); ++i) {
    const size_t off = dynsym.sh_offset + i * sizeof(Elf64_Sym);
    const Elf64_Sym s = get<Elf64_Sym>(file_, off);
    if (name == reinterpret_cast<const char*>(file_.data() + dynstr.sh_offset + s.st_name)) return off;
  }
  throw std::runtime_error("no dynamic symbol " + name);
}

uint64_t Layout::symbol_value(const std::string& name) const {
  return get<Elf64_Sym>(file_, symbol_offset(name)).st_value;
}

}  // namespace codeobj_test
