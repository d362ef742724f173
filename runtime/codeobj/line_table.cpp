// SPDX-License-Identifier: Apache-2.0
#include "codeobj/line_table.hpp"

#include <algorithm>
#include <cstring>
#include <elf.h>
#include <vector>

namespace tessera::codeobj {
namespace {

// Bounds-checked little-endian reader; any overrun sets `bad`.
struct Reader {
  const uint8_t* p;
  const uint8_t* end;
  bool bad = false;
  bool has(size_t n) {
    if (static_cast<size_t>(end - p) < n) bad = true;
    return !bad;
  }
  template <class T>
  T get() {
    T v{};
    if (!has(sizeof v)) return v;
    std::memcpy(&v, p, sizeof v);
    p += sizeof v;
    return v;
  }
  uint64_t uleb() {
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
      if (!has(1)) return 0;
      const uint8_t b = *p++;
      if (shift < 64) v |= uint64_t{b & 0x7Fu} << shift;
      if (!(b & 0x80)) return v;
    }
  }
  int64_t sleb() {
    int64_t v = 0;
    unsigned shift = 0;
    uint8_t b = 0;
    do {
      if (!has(1)) return 0;
      b = *p++;
      if (shift < 64) v |= int64_t{b & 0x7F} << shift;
      shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) v |= -(int64_t{1} << shift);
    return v;
  }
  std::string str() {
    const void* z = std::memchr(p, 0, end - p);
    if (!z) {
      bad = true;
      return {};
    }
    std::string s(reinterpret_cast<const char*>(p));
    p = static_cast<const uint8_t*>(z) + 1;
    return s;
  }
};

std::span<const uint8_t> section(std::span<const uint8_t> f, const char* want, Elf64_Shdr* out = nullptr) {
  if (f.size() < sizeof(Elf64_Ehdr)) return {};
  Elf64_Ehdr eh;
  std::memcpy(&eh, f.data(), sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > f.size() ||
      (f.size() - eh.e_shoff) / sizeof(Elf64_Shdr) < eh.e_shnum || eh.e_shstrndx >= eh.e_shnum)
    return {};
  auto shdr = [&](unsigned i) {
    Elf64_Shdr s;
    std::memcpy(&s, f.data() + eh.e_shoff + i * sizeof(Elf64_Shdr), sizeof s);
    return s;
  };
  const Elf64_Shdr strtab = shdr(eh.e_shstrndx);
  if (strtab.sh_offset > f.size() || strtab.sh_size > f.size() - strtab.sh_offset) return {};
  for (unsigned i = 0; i < eh.e_shnum; ++i) {
    const Elf64_Shdr s = shdr(i);
    if (s.sh_name >= strtab.sh_size || s.sh_type == SHT_NOBITS) continue;
    const char* name = reinterpret_cast<const char*>(f.data() + strtab.sh_offset + s.sh_name);
    const size_t room = strtab.sh_size - s.sh_name;
    if (strnlen(name, room) == room || std::strcmp(name, want)) continue;
    if (s.sh_offset > f.size() || s.sh_size > f.size() - s.sh_offset) return {};
    if (out) *out = s;
    return f.subspan(s.sh_offset, s.sh_size);
  }
  return {};
}

// Looks `offset` up in one line-number program; true when found.
bool search_unit(Reader r, uint64_t offset, SourceLine& out) {
  const uint16_t version = r.get<uint16_t>();
  if (version < 2 || version > 4) return false;
  const uint32_t header_length = r.get<uint32_t>();
  if (!r.has(header_length)) return false;
  const uint8_t* program = r.p + header_length;
  const uint8_t min_inst = r.get<uint8_t>();
  if (version >= 4) r.get<uint8_t>();  // maximum_operations_per_instruction
  const bool default_stmt = r.get<uint8_t>() != 0;
  (void)default_stmt;
  const int8_t line_base = r.get<int8_t>();
  const uint8_t line_range = r.get<uint8_t>();
  const uint8_t opcode_base = r.get<uint8_t>();
  if (r.bad || line_range == 0 || opcode_base == 0) return false;
  std::vector<uint8_t> std_lengths(opcode_base - 1);
  for (auto& l : std_lengths) l = r.get<uint8_t>();
  std::vector<std::string> dirs;
  for (;;) {
    std::string d = r.str();
    if (r.bad || d.empty()) break;
    dirs.push_back(std::move(d));
  }
  struct FileEntry {
    std::string name;
    uint64_t dir;
  };
  std::vector<FileEntry> files;
  for (;;) {
    std::string n = r.str();
    if (r.bad || n.empty()) break;
    const uint64_t dir = r.uleb();
    r.uleb();
    r.uleb();
    files.push_back({std::move(n), dir});
  }
  if (r.bad || program > r.end) return false;
  r.p = program;

  uint64_t address = 0, file = 1;
  int64_t line = 1;
  bool have_prev = false;
  uint64_t prev_addr = 0, prev_file = 0;
  int64_t prev_line = 0;
  auto row = [&](bool end_seq) {
    if (have_prev && prev_addr <= offset && offset < address && prev_line > 0 && prev_file >= 1 &&
        prev_file <= files.size()) {
      const FileEntry& f = files[prev_file - 1];
      out.file = (f.dir >= 1 && f.dir <= dirs.size() && f.name[0] != '/') ? dirs[f.dir - 1] + "/" + f.name : f.name;
      out.line = static_cast<uint32_t>(prev_line);
      return true;
    }
    have_prev = !end_seq;
    prev_addr = address;
    prev_file = file;
    prev_line = line;
    return false;
  };
  while (r.p < r.end && !r.bad) {
    const uint8_t op = r.get<uint8_t>();
    if (op >= opcode_base) {
      const unsigned adj = op - opcode_base;
      address += uint64_t{adj / line_range} * min_inst;
      line += line_base + static_cast<int>(adj % line_range);
      if (row(false)) return true;
      continue;
    }
    switch (op) {
      case 0: {  // extended
        const uint64_t len = r.uleb();
        if (len == 0 || !r.has(len)) return false;
        const uint8_t* next = r.p + len;
        const uint8_t sub = r.get<uint8_t>();
        if (sub == 1) {  // end_sequence
          if (row(true)) return true;
          address = 0, file = 1, line = 1;
        } else if (sub == 2 && len == 9) {
          address = r.get<uint64_t>();
        }
        r.p = next;
        break;
      }
      case 1:
        if (row(false)) return true;
        break;
      case 2: address += r.uleb() * min_inst; break;
      case 3: line += r.sleb(); break;
      case 4: file = r.uleb(); break;
      case 8: address += uint64_t{(255u - opcode_base) / line_range} * min_inst; break;
      case 9: address += r.get<uint16_t>(); break;
      default:
        for (unsigned i = 0; i < std_lengths[op - 1]; ++i) r.uleb();
    }
  }
  return false;
}

}  // namespace

std::optional<SourceLine> find_line(std::span<const uint8_t> file, uint64_t offset) {
  const auto lines = section(file, ".debug_line");
  Reader r{lines.data(), lines.data() + lines.size()};
  while (r.p < r.end && !r.bad) {
    const uint32_t unit_length = r.get<uint32_t>();
    if (r.bad || unit_length >= 0xFFFFFFF0u || !r.has(unit_length)) break;  // 64-bit DWARF: not written by tessc
    Reader unit{r.p, r.p + unit_length};
    SourceLine out;
    if (search_unit(unit, offset, out)) return out;
    r.p += unit_length;
  }
  return std::nullopt;
}

namespace {

// Calls `f(sym, name)` for every symbol of .symtab (else .dynsym) until it
// returns true.
template <class F>
void for_each_symbol(std::span<const uint8_t> file, F&& f) {
  for (const char* table : {".symtab", ".dynsym"}) {
    Elf64_Shdr sh{};
    const auto syms = section(file, table, &sh);
    if (syms.empty()) continue;
    // The linked string table is found by index: read its header directly
    // (section() validated the header table).
    Elf64_Ehdr eh;
    std::memcpy(&eh, file.data(), sizeof eh);
    if (sh.sh_link >= eh.e_shnum) continue;
    Elf64_Shdr strh;
    std::memcpy(&strh, file.data() + eh.e_shoff + sh.sh_link * sizeof(Elf64_Shdr), sizeof strh);
    if (strh.sh_offset > file.size() || strh.sh_size > file.size() - strh.sh_offset) continue;
    const auto strs = file.subspan(strh.sh_offset, strh.sh_size);
    for (size_t i = 0; i + sizeof(Elf64_Sym) <= syms.size(); i += sizeof(Elf64_Sym)) {
      Elf64_Sym sym;
      std::memcpy(&sym, syms.data() + i, sizeof sym);
      if (sym.st_name >= strs.size()) continue;
      const char* name = reinterpret_cast<const char*>(strs.data() + sym.st_name);
      const size_t room = strs.size() - sym.st_name;
      if (strnlen(name, room) == room) continue;
      if (f(sym, name)) return;
    }
    return;
  }
}

}  // namespace

std::optional<FunctionAt> find_function(std::span<const uint8_t> file, uint64_t offset) {
  std::optional<FunctionAt> best;
  for_each_symbol(file, [&](const Elf64_Sym& sym, const char* name) {
    if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || offset < sym.st_value ||
        offset - sym.st_value >= std::max<uint64_t>(sym.st_size, 1))
      return false;
    best = FunctionAt{name, offset - sym.st_value};
    return true;
  });
  return best;
}

std::optional<ObjectAt> find_object(std::span<const uint8_t> file, const char* want) {
  std::optional<ObjectAt> found;
  for_each_symbol(file, [&](const Elf64_Sym& sym, const char* name) {
    if (ELF64_ST_TYPE(sym.st_info) != STT_OBJECT || std::strcmp(name, want) != 0) return false;
    found = ObjectAt{sym.st_value, sym.st_size};
    return true;
  });
  return found;
}

}  // namespace tessera::codeobj
