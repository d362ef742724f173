// SPDX-License-Identifier: Apache-2.0
// The ELF side of parse(): the container is read with libelf; what a
// dynamic loader would use (PT_LOAD, PT_DYNAMIC and the relocation tables
// it points to) comes from the program headers, the note and the exported
// symbols from the section headers (.note.tessera, .dynsym).
#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <unordered_map>

#include <tessera/hw/t1_codeobj.h>
#include <tessera/hw/t1_fault.h>

#include "codeobj.hpp"
#include "note.hpp"

namespace tessera::codeobj {
namespace {

// Thrown inside parse() only and turned into its error string.
struct ParseError {
  std::string message;
  ParseFailure kind = ParseFailure::kMalformed;
};

[[noreturn]] void fail(std::string msg, ParseFailure kind = ParseFailure::kMalformed) {
  throw ParseError{std::move(msg), kind};
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string libelf_error() {
  const char* m = elf_errmsg(-1);
  return m ? m : "unknown libelf error";
}

std::string machine_name(unsigned m) {
  switch (m) {
    case EM_X86_64: return "x86-64";
    case EM_386: return "x86 (i386)";
    case EM_AARCH64: return "AArch64";
    case EM_ARM: return "ARM";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "s390";
    case EM_MIPS: return "MIPS";
    case EM_LOONGARCH: return "LoongArch";
    case EM_BPF: return "BPF";
    case EM_AMDGPU: return "AMDGPU";
    case EM_CUDA: return "CUDA";
    case EM_NONE: return "none (0)";
    default: return "number " + std::to_string(m);
  }
}

std::string elf_type_name(unsigned t) {
  switch (t) {
    case ET_NONE: return "none (ET_NONE)";
    case ET_REL: return "a relocatable object (ET_REL)";
    case ET_EXEC: return "an executable (ET_EXEC)";
    case ET_CORE: return "a core dump (ET_CORE)";
    default: return std::to_string(t);
  }
}

std::string riscv_reloc_name(uint64_t type) {
  switch (type) {
    case R_RISCV_NONE: return "R_RISCV_NONE";
    case R_RISCV_32: return "R_RISCV_32";
    case R_RISCV_64: return "R_RISCV_64";
    case R_RISCV_RELATIVE: return "R_RISCV_RELATIVE";
    case R_RISCV_COPY: return "R_RISCV_COPY";
    case R_RISCV_JUMP_SLOT: return "R_RISCV_JUMP_SLOT";
    case R_RISCV_TLS_DTPMOD32: return "R_RISCV_TLS_DTPMOD32";
    case R_RISCV_TLS_DTPMOD64: return "R_RISCV_TLS_DTPMOD64";
    case R_RISCV_TLS_DTPREL32: return "R_RISCV_TLS_DTPREL32";
    case R_RISCV_TLS_DTPREL64: return "R_RISCV_TLS_DTPREL64";
    case R_RISCV_TLS_TPREL32: return "R_RISCV_TLS_TPREL32";
    case R_RISCV_TLS_TPREL64: return "R_RISCV_TLS_TPREL64";
    case 58: return "R_RISCV_IRELATIVE";
    default: return "number " + std::to_string(type);
  }
}

uint8_t perms_of(uint32_t p_flags) {
  uint8_t p = 0;
  if (p_flags & PF_R) p |= T1_ACCESS_READ;
  if (p_flags & PF_W) p |= T1_ACCESS_WRITE;
  if (p_flags & PF_X) p |= T1_ACCESS_EXEC;
  return p;
}

// Identification bytes are checked before libelf sees the data: its own
// messages ("invalid class") would not tell a user what is wrong.
void check_ident(std::span<const uint8_t> f) {
  if (f.size() < SELFMAG || std::memcmp(f.data(), ELFMAG, SELFMAG) != 0)
    fail("not an ELF file (bad magic number)");
  if (f.size() < EI_NIDENT) fail("truncated ELF file (" + std::to_string(f.size()) + " bytes)");
  if (f[EI_CLASS] == ELFCLASS32) fail("32-bit ELF file; T1 code objects are ELF64");
  if (f[EI_CLASS] != ELFCLASS64) fail("invalid ELF class " + std::to_string(f[EI_CLASS]));
  if (f[EI_DATA] == ELFDATA2MSB) fail("big-endian ELF file; T1 code objects are little-endian");
  if (f[EI_DATA] != ELFDATA2LSB) fail("invalid ELF data encoding " + std::to_string(f[EI_DATA]));
  if (f.size() < sizeof(Elf64_Ehdr))
    fail("truncated ELF file: " + std::to_string(f.size()) +
         " bytes, shorter than the ELF header");
}

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};

struct Load {
  GElf_Phdr ph;
  size_t index;  // program header number, for messages
};

class Parser {
 public:
  explicit Parser(std::span<const uint8_t> file) : file_(file) {}

  Image run() {
    check_ident(file_);
    static const bool libelf_ok = elf_version(EV_CURRENT) != EV_NONE;
    if (!libelf_ok) fail("libelf initialization failed");
    // elf_memory takes a non-const pointer; opened for reading it never writes.
    elf_.reset(elf_memory(reinterpret_cast<char*>(const_cast<uint8_t*>(file_.data())), file_.size()));
    if (!elf_) fail("cannot parse ELF: " + libelf_error());
    if (!gelf_getehdr(elf_.get(), &eh_)) fail("bad ELF header: " + libelf_error());
    if (eh_.e_machine != EM_RISCV)
      fail("ELF machine is " + machine_name(eh_.e_machine) + ", expected RISC-V");
    if (eh_.e_type != ET_DYN)
      fail("ELF file is " + elf_type_name(eh_.e_type) +
           ", expected a shared object (ET_DYN) as linked with -shared");

    read_program_headers();
    read_dynamic();
    read_sections();
    resolve_symbols();
    return std::move(image_);
  }

 private:
  void read_program_headers() {
    if (eh_.e_phnum == 0) fail("no program headers: not a loadable code object");
    if (eh_.e_phentsize != sizeof(Elf64_Phdr))
      fail("bad program header entry size " + std::to_string(eh_.e_phentsize));
    // Checked here because libelf reports a short table only as "invalid data".
    if (eh_.e_phnum != PN_XNUM &&
        (eh_.e_phoff > file_.size() ||
         uint64_t{eh_.e_phnum} * sizeof(Elf64_Phdr) > file_.size() - eh_.e_phoff))
      fail("truncated ELF file: program headers at offset " + hex(eh_.e_phoff) +
           " extend past the end of the file (" + std::to_string(file_.size()) + " bytes)");
    size_t phnum = 0;
    if (elf_getphdrnum(elf_.get(), &phnum) != 0) fail("bad program headers: " + libelf_error());
    if (phnum > 4096) fail("absurd number of program headers (" + std::to_string(phnum) + ")");

    bool have_dynamic = false;
    uint64_t end = 0;
    for (size_t i = 0; i < phnum; ++i) {
      GElf_Phdr ph;
      if (!gelf_getphdr(elf_.get(), static_cast<int>(i), &ph))
        fail("cannot read program header " + std::to_string(i) + ": " + libelf_error());
      const std::string seg = "segment " + std::to_string(i);
      if (ph.p_type == PT_DYNAMIC) {
        if (have_dynamic) fail("more than one PT_DYNAMIC segment");
        have_dynamic = true;
        dynamic_ = ph;
        continue;
      }
      if (ph.p_type != PT_LOAD) continue;
      if (ph.p_filesz > ph.p_memsz)
        fail(seg + ": file size " + hex(ph.p_filesz) + " exceeds memory size " + hex(ph.p_memsz));
      if (ph.p_offset > file_.size() || ph.p_filesz > file_.size() - ph.p_offset)
        fail("truncated ELF file: " + seg + " data [" + hex(ph.p_offset) + ", " +
             hex(ph.p_offset + ph.p_filesz) + ") extends past the end of the file (" +
             std::to_string(file_.size()) + " bytes)");
      if (ph.p_memsz == 0) continue;
      if (ph.p_vaddr > kMaxImageSize || ph.p_memsz > kMaxImageSize - ph.p_vaddr)
        fail(seg + " [" + hex(ph.p_vaddr) + ", " + hex(ph.p_vaddr + ph.p_memsz) +
             ") extends past the 4 GiB limit of a code object");
      for (const Load& o : loads_) {
        if (ph.p_vaddr < o.ph.p_vaddr + o.ph.p_memsz && o.ph.p_vaddr < ph.p_vaddr + ph.p_memsz)
          fail(seg + " [" + hex(ph.p_vaddr) + ", " + hex(ph.p_vaddr + ph.p_memsz) +
               ") overlaps segment " + std::to_string(o.index));
        // Shared file bytes would let a small file claim gigabytes of copies.
        if (ph.p_offset < o.ph.p_offset + o.ph.p_filesz &&
            o.ph.p_offset < ph.p_offset + ph.p_filesz)
          fail(seg + "'s file bytes overlap those of segment " + std::to_string(o.index));
      }
      loads_.push_back({ph, i});
      end = std::max<uint64_t>(end, ph.p_vaddr + ph.p_memsz);
    }
    if (loads_.empty()) fail("no loadable (PT_LOAD) segments");
    image_.size = (end + kImagePageSize - 1) & ~(kImagePageSize - 1);
    if (image_.size > kMaxImageSize)
      fail("image extent " + hex(image_.size) + " exceeds the 4 GiB limit of a code object");
    for (const Load& l : loads_) {
      Segment s;
      s.vaddr = l.ph.p_vaddr;
      s.memsz = l.ph.p_memsz;
      s.perms = perms_of(l.ph.p_flags);
      const uint8_t* p = file_.data() + l.ph.p_offset;
      s.bytes.assign(p, p + l.ph.p_filesz);
      image_.segments.push_back(std::move(s));
    }
  }

  // File offset of `size` bytes at load address `vaddr`, which must lie in
  // the file bytes of one PT_LOAD segment (as a dynamic loader reads them).
  uint64_t file_offset_of(uint64_t vaddr, uint64_t size, const std::string& what) const {
    for (const Load& l : loads_)
      if (vaddr >= l.ph.p_vaddr && vaddr - l.ph.p_vaddr <= l.ph.p_filesz &&
          size <= l.ph.p_filesz - (vaddr - l.ph.p_vaddr))
        return l.ph.p_offset + (vaddr - l.ph.p_vaddr);
    fail(what + " [" + hex(vaddr) + ", " + hex(vaddr + size) +
         ") is not inside the file bytes of a loadable segment");
  }

  bool inside_segment(uint64_t offset, uint64_t size) const {
    for (const Segment& s : image_.segments)
      if (offset >= s.vaddr && offset - s.vaddr <= s.memsz && size <= s.memsz - (offset - s.vaddr))
        return true;
    return false;
  }

  // Reads a RELA table; every entry must be R_RISCV_RELATIVE.
  void read_relocations(uint64_t vaddr, uint64_t size, const std::string& what) {
    if (size == 0) return;
    if (size % sizeof(Elf64_Rela) != 0)
      fail(what + " size " + std::to_string(size) + " is not a multiple of " +
           std::to_string(sizeof(Elf64_Rela)));
    const uint64_t off = file_offset_of(vaddr, size, what);
    Elf_Data* d = elf_getdata_rawchunk(elf_.get(), static_cast<int64_t>(off), size, ELF_T_RELA);
    if (!d) fail("cannot read " + what + ": " + libelf_error());
    const uint64_t n = size / sizeof(Elf64_Rela);
    for (uint64_t i = 0; i < n; ++i) {
      GElf_Rela rela;
      if (!gelf_getrela(d, static_cast<int>(i), &rela))
        fail("cannot read relocation " + std::to_string(i) + ": " + libelf_error());
      const uint64_t type = GELF_R_TYPE(rela.r_info);
      if (type != R_RISCV_RELATIVE)
        fail("relocation " + std::to_string(i) + " at " + hex(rela.r_offset) + " has type " +
             riscv_reloc_name(type) +
             "; only R_RISCV_RELATIVE is supported (link with -shared -Bsymbolic and no "
             "undefined symbols)");
      if (!inside_segment(rela.r_offset, 8))
        fail("relocation " + std::to_string(i) + " at " + hex(rela.r_offset) +
             " is outside every loadable segment");
      image_.relative_relocs.emplace_back(rela.r_offset, rela.r_addend);
    }
  }

  void read_dynamic() {
    if (dynamic_.p_type != PT_DYNAMIC) return;  // no dynamic section: nothing to relocate
    if (dynamic_.p_offset > file_.size() || dynamic_.p_filesz > file_.size() - dynamic_.p_offset)
      fail("truncated ELF file: the dynamic section extends past the end of the file");
    const uint64_t count = dynamic_.p_filesz / sizeof(Elf64_Dyn);
    if (count == 0) return;
    Elf_Data* d = elf_getdata_rawchunk(elf_.get(), static_cast<int64_t>(dynamic_.p_offset),
                                       count * sizeof(Elf64_Dyn), ELF_T_DYN);
    if (!d) fail("cannot read the dynamic section: " + libelf_error());
    uint64_t rela = 0, relasz = 0, relaent = sizeof(Elf64_Rela), jmprel = 0, pltrelsz = 0;
    bool have_rela = false, have_jmprel = false;
    for (uint64_t i = 0; i < count; ++i) {
      GElf_Dyn dyn;
      if (!gelf_getdyn(d, static_cast<int>(i), &dyn))
        fail("cannot read dynamic entry " + std::to_string(i) + ": " + libelf_error());
      const uint64_t v = dyn.d_un.d_val;
      switch (dyn.d_tag) {
        case DT_NULL: i = count; break;
        case DT_RELA: rela = v; have_rela = true; break;
        case DT_RELASZ: relasz = v; break;
        case DT_RELAENT: relaent = v; break;
        case DT_JMPREL: jmprel = v; have_jmprel = true; break;
        case DT_PLTRELSZ: pltrelsz = v; break;
        case DT_PLTREL:
          if (v != DT_RELA) fail("PLT relocations are not in RELA format (DT_PLTREL)");
          break;
        case DT_REL:
        case DT_RELSZ:
          if (v != 0) fail("REL-format relocations (DT_REL) are not supported; RISC-V uses RELA");
          break;
        case DT_RELR:
        case DT_RELRSZ:
          if (v != 0)
            fail("packed relative relocations (DT_RELR) are not supported; link without "
                 "-z pack-relative-relocs");
          break;
        case DT_NEEDED:
          fail("the code object depends on a shared library (DT_NEEDED); it must be "
               "self-contained");
        // Nothing runs initializers or finalizers on a T1.
        case DT_INIT:
        case DT_FINI:
          fail("the code object has initialization or finalization functions (DT_INIT/DT_FINI), "
               "which a T1 never runs");
        case DT_INIT_ARRAYSZ:
        case DT_FINI_ARRAYSZ:
        case DT_PREINIT_ARRAYSZ:
          if (v != 0)
            fail("the code object has global constructors or destructors (DT_INIT_ARRAY/"
                 "DT_FINI_ARRAY), which a T1 never runs");
          break;
        default: break;
      }
    }
    if (relasz != 0) {
      if (!have_rela) fail("DT_RELASZ is set but DT_RELA is missing");
      if (relaent != sizeof(Elf64_Rela))
        fail("relocation entry size (DT_RELAENT) is " + std::to_string(relaent) + ", expected " +
             std::to_string(sizeof(Elf64_Rela)));
      read_relocations(rela, relasz, "relocation table (DT_RELA)");
    }
    if (pltrelsz != 0) {
      if (!have_jmprel) fail("DT_PLTRELSZ is set but DT_JMPREL is missing");
      read_relocations(jmprel, pltrelsz, "PLT relocation table (DT_JMPREL)");
    }
  }

  void read_sections() {
    size_t shstrndx = 0;
    if (elf_getshdrstrndx(elf_.get(), &shstrndx) != 0)
      fail("cannot find the section name table: " + libelf_error());
    Elf_Scn* note = nullptr;
    for (Elf_Scn* scn = elf_nextscn(elf_.get(), nullptr); scn; scn = elf_nextscn(elf_.get(), scn)) {
      GElf_Shdr sh;
      if (!gelf_getshdr(scn, &sh)) fail("cannot read a section header: " + libelf_error());
      if (sh.sh_type == SHT_DYNSYM) {
        if (dynsym_) fail("more than one dynamic symbol table (SHT_DYNSYM)");
        dynsym_ = scn;
        dynsym_link_ = sh.sh_link;
        continue;
      }
      const char* name = elf_strptr(elf_.get(), shstrndx, sh.sh_name);
      if (!name || std::strcmp(name, T1_CODEOBJ_SECTION) != 0) continue;
      if (note) fail("more than one " T1_CODEOBJ_SECTION " section");
      if (sh.sh_type != SHT_NOTE)
        fail("section " T1_CODEOBJ_SECTION " has type " + std::to_string(sh.sh_type) +
             ", expected SHT_NOTE");
      note = scn;
    }
    if (!note)
      fail("no " T1_CODEOBJ_SECTION " section: not a T1 code object (it carries no kernel "
           "metadata)");
    read_note(note);
  }

  void read_note(Elf_Scn* scn) {
    Elf_Data* d = elf_getdata(scn, nullptr);
    if (!d) fail("cannot read section " T1_CODEOBJ_SECTION ": " + libelf_error());
    std::optional<std::span<const uint8_t>> desc;
    size_t offset = 0;
    while (offset < d->d_size) {
      GElf_Nhdr nh;
      size_t name_off = 0, desc_off = 0;
      const size_t next = gelf_getnote(d, offset, &nh, &name_off, &desc_off);
      if (next == 0)
        fail("section " T1_CODEOBJ_SECTION " is malformed: a note at offset " + hex(offset) +
             " extends past the section");
      const auto* base = static_cast<const uint8_t*>(d->d_buf);
      const bool ours = nh.n_namesz == sizeof(T1_NOTE_NAME) &&
                        std::memcmp(base + name_off, T1_NOTE_NAME, sizeof(T1_NOTE_NAME)) == 0;
      if (ours && nh.n_type == T1_NOTE_KERNELS) {
        if (desc) fail("more than one Tessera kernel note in " T1_CODEOBJ_SECTION);
        desc = std::span<const uint8_t>(base + desc_off, nh.n_descsz);
      }
      offset = next;
    }
    if (!desc)
      fail("section " T1_CODEOBJ_SECTION " holds no Tessera kernel note (name \"" T1_NOTE_NAME
           "\", type " + std::to_string(T1_NOTE_KERNELS) + ")");
    std::string error;
    bool unsupported_version = false;
    auto contents = detail::parse_note_descriptor(*desc, error, &unsupported_version);
    if (!contents)
      fail(error, unsupported_version ? ParseFailure::kUnsupportedVersion : ParseFailure::kMalformed);
    image_.version = contents->version;
    image_.kernels = std::move(contents->kernels);
  }

  void resolve_symbols() {
    struct Sym {
      uint64_t value, size;
      unsigned type;
    };
    std::unordered_map<std::string_view, Sym> exported;
    if (dynsym_) {
      Elf_Data* d = elf_getdata(dynsym_, nullptr);
      if (!d) fail("cannot read the dynamic symbol table: " + libelf_error());
      const uint64_t n = d->d_size / sizeof(Elf64_Sym);
      for (uint64_t i = 1; i < n; ++i) {  // entry 0 is the null symbol
        GElf_Sym sym;
        if (!gelf_getsym(d, static_cast<int>(i), &sym))
          fail("cannot read dynamic symbol " + std::to_string(i) + ": " + libelf_error());
        const unsigned bind = GELF_ST_BIND(sym.st_info), vis = GELF_ST_VISIBILITY(sym.st_other);
        // Only defined, exported, load-relative symbols are of interest.
        if (sym.st_shndx == SHN_UNDEF || sym.st_shndx == SHN_ABS || bind == STB_LOCAL ||
            (vis != STV_DEFAULT && vis != STV_PROTECTED))
          continue;
        // elf_strptr checks the table's type and that the name ends inside it.
        const char* name = elf_strptr(elf_.get(), dynsym_link_, sym.st_name);
        if (!name) fail("dynamic symbol " + std::to_string(i) + " has a malformed name");
        exported.emplace(name, Sym{sym.st_value, sym.st_size, GELF_ST_TYPE(sym.st_info)});
      }
    }
    for (KernelInfo& k : image_.kernels) {
      const std::string who = "kernel " + detail::quote_name(k.name);
      const auto it = exported.find(k.name);
      if (it == exported.end()) fail(who + " has no exported symbol of that name");
      const Sym& s = it->second;
      if (s.type != STT_FUNC && s.type != STT_NOTYPE)
        fail(who + ": its symbol is not a function (symbol type " + std::to_string(s.type) + ")");
      bool executable = false;
      for (const Segment& seg : image_.segments)
        if ((seg.perms & T1_ACCESS_EXEC) && s.value >= seg.vaddr &&
            s.value - seg.vaddr < seg.bytes.size())
          executable = true;
      if (!executable)
        fail(who + ": entry " + hex(s.value) + " is not inside an executable segment");
      k.entry = s.value;
    }
    for (const auto& [name, s] : exported) {
      if (s.type != STT_OBJECT) continue;
      if (s.value > image_.size || s.size > image_.size - s.value)
        fail("symbol " + detail::quote_name(name) + " [" + hex(s.value) + ", " +
             hex(s.value + s.size) + ") lies outside the image");
      image_.globals.push_back({std::string(name), s.value, s.size});
    }
    // Hash-map order is arbitrary; callers and tests want a stable order.
    std::sort(image_.globals.begin(), image_.globals.end(),
              [](const GlobalInfo& a, const GlobalInfo& b) { return a.offset < b.offset; });
  }

  std::span<const uint8_t> file_;
  std::unique_ptr<Elf, ElfCloser> elf_;
  GElf_Ehdr eh_{};
  GElf_Phdr dynamic_{};
  std::vector<Load> loads_;
  Elf_Scn* dynsym_ = nullptr;
  size_t dynsym_link_ = 0;
  Image image_;
};

}  // namespace

std::optional<Image> parse(std::span<const uint8_t> file, std::string& error, ParseFailure* why) {
  try {
    return Parser(file).run();
  } catch (const ParseError& e) {
    error = e.message;
    if (why) *why = e.kind;
    return std::nullopt;
  }
}

}  // namespace tessera::codeobj
