// SPDX-License-Identifier: Apache-2.0
// Test helpers: read the assembled code objects and locate their parts
// (program headers, sections, symbols, the note) in the raw bytes, so that
// tests can patch one field and check how the reader reacts. Deliberately
// independent of the reader under test: plain <elf.h> structs copied out.
#pragma once

#include <elf.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace codeobj_test {

using Bytes = std::vector<uint8_t>;

Bytes read_file(const std::string& path);
// The code objects built for these tests (see CMakeLists.txt).
Bytes two_kernels();
Bytes symbol_reloc();
Bytes host_library();

template <class T>
T get(const Bytes& b, size_t off) {
  T v;
  std::memcpy(&v, b.data() + off, sizeof v);
  return v;
}
template <class T>
void put(Bytes& b, size_t off, T v) {
  std::memcpy(b.data() + off, &v, sizeof v);
}

// Where things are in a well-formed file (throws std::runtime_error if absent).
struct Layout {
  explicit Layout(const Bytes& file);
  Elf64_Ehdr eh;
  size_t phdr_offset(size_t i) const { return eh.e_phoff + i * sizeof(Elf64_Phdr); }
  Elf64_Phdr phdr(size_t i) const;
  std::vector<size_t> loads;  // program header numbers of the PT_LOADs
  size_t section_header_offset(const std::string& name) const;
  Elf64_Shdr section(const std::string& name) const;
  // File offset of the note (its n_namesz) and of its descriptor.
  size_t note = 0, desc = 0;
  uint32_t descsz = 0;
  // File offset of field `field_off` of kernel descriptor k / argument a of
  // kernel k, and of the string table.
  size_t kernel_field(unsigned k, size_t field_off) const;
  size_t arg_field(unsigned k, unsigned a, size_t field_off) const;
  size_t strtab() const;
  // File offset of an exported symbol's Elf64_Sym in .dynsym, and its value.
  size_t symbol_offset(const std::string& name) const;
  uint64_t symbol_value(const std::string& name) const;

 private:
  const Bytes& file_;
  uint32_t desc_u32(size_t off) const { return get<uint32_t>(file_, desc + off); }
};

}  // namespace codeobj_test
