// SPDX-License-Identifier: Apache-2.0
#include "loader.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

namespace tessera::emu::run {
namespace {

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

[[noreturn]] void fail(const std::string& msg) { throw LoadError(msg); }

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};

uint8_t perms_of(uint32_t p_flags) {
  uint8_t p = 0;
  if (p_flags & PF_R) p |= T1_ACCESS_READ;
  if (p_flags & PF_W) p |= T1_ACCESS_WRITE;
  if (p_flags & PF_X) p |= T1_ACCESS_EXEC;
  return p;
}

// Checks the identification bytes ourselves before libelf sees the data:
// libelf's own errors ("invalid class") are too vague for a user.
void check_ident(std::string_view data) {
  if (data.size() < SELFMAG || std::memcmp(data.data(), ELFMAG, SELFMAG) != 0)
    fail("not an ELF file (bad magic number)");
  if (data.size() < EI_NIDENT) fail("truncated ELF file (" + std::to_string(data.size()) + " bytes)");
  const auto cls = static_cast<unsigned char>(data[EI_CLASS]);
  if (cls == ELFCLASS32) fail("32-bit ELF file; only ELF64 (RV64) programs are supported");
  if (cls != ELFCLASS64) fail("invalid ELF class " + std::to_string(cls));
  const auto enc = static_cast<unsigned char>(data[EI_DATA]);
  if (enc == ELFDATA2MSB) fail("big-endian ELF file; RISC-V programs are little-endian");
  if (enc != ELFDATA2LSB) fail("invalid ELF data encoding " + std::to_string(enc));
  if (data.size() < sizeof(Elf64_Ehdr))
    fail("truncated ELF file: " + std::to_string(data.size()) + " bytes, shorter than the ELF header");
}

}  // namespace

LoadedProgram load_elf(std::string_view data, FlatAddressSpace& mem) {
  check_ident(data);
  if (elf_version(EV_CURRENT) == EV_NONE) fail("libelf initialization failed");
  // elf_memory takes a non-const pointer but, opened read-only, never writes.
  std::unique_ptr<Elf, ElfCloser> elf(
      elf_memory(const_cast<char*>(data.data()), data.size()));
  if (!elf) fail(std::string("cannot parse ELF: ") + elf_errmsg(-1));
  GElf_Ehdr eh;
  if (!gelf_getehdr(elf.get(), &eh)) fail(std::string("bad ELF header: ") + elf_errmsg(-1));

  if (eh.e_machine != EM_RISCV)
    fail("ELF machine " + std::to_string(eh.e_machine) + " is not RISC-V (EM_RISCV = " +
         std::to_string(EM_RISCV) + ")");
  if (eh.e_type == ET_DYN)
    fail("position-independent executable or shared object (ET_DYN); only static ET_EXEC "
         "programs are supported (link with -static -no-pie)");
  if (eh.e_type != ET_EXEC)
    fail("ELF type " + std::to_string(eh.e_type) + " is not an executable (ET_EXEC)");
  if (eh.e_phentsize != sizeof(Elf64_Phdr))
    fail("bad program header entry size " + std::to_string(eh.e_phentsize));

  // Checked before elf_getphdrnum, which reports a short table as "invalid data".
  if (eh.e_phnum == 0) fail("no program headers: not a loadable executable");
  if (eh.e_phnum != PN_XNUM &&
      (eh.e_phoff > data.size() || eh.e_phnum * sizeof(Elf64_Phdr) > data.size() - eh.e_phoff))
    fail("truncated ELF file: program headers at offset " + hex(eh.e_phoff) +
         " extend past the end of the file (" + std::to_string(data.size()) + " bytes)");
  size_t phnum = 0;
  if (elf_getphdrnum(elf.get(), &phnum) != 0) fail(std::string("bad program headers: ") + elf_errmsg(-1));
  if (phnum > 4096) fail("absurd number of program headers (" + std::to_string(phnum) + ")");

  LoadedProgram prog;
  prog.entry = eh.e_entry;
  prog.phent = sizeof(Elf64_Phdr);
  prog.phnum = static_cast<uint16_t>(phnum);
  std::vector<GElf_Phdr> loads;
  std::vector<size_t> load_index;
  for (size_t i = 0; i < phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(elf.get(), static_cast<int>(i), &ph))
      fail("cannot read program header " + std::to_string(i) + ": " + elf_errmsg(-1));
    const std::string seg = "segment " + std::to_string(i);
    switch (ph.p_type) {
      case PT_INTERP:
        fail("dynamically linked program (has a PT_INTERP interpreter); link with -static");
      case PT_DYNAMIC:
        fail("dynamically linked program (has a PT_DYNAMIC segment); link with -static");
      case PT_LOAD:
        break;
      default:
        continue;  // notes, GNU_STACK, RISCV_ATTRIBUTES: nothing to load
    }
    if (ph.p_filesz > ph.p_memsz)
      fail(seg + ": file size " + hex(ph.p_filesz) + " exceeds memory size " + hex(ph.p_memsz));
    if (ph.p_memsz > kMaxImageSpan)
      fail(seg + ": absurd memory size " + hex(ph.p_memsz));
    if (ph.p_offset > data.size() || ph.p_filesz > data.size() - ph.p_offset)
      fail("truncated ELF file: " + seg + " data [" + hex(ph.p_offset) + ", " +
           hex(ph.p_offset + ph.p_filesz) + ") extends past the end of the file (" +
           std::to_string(data.size()) + " bytes)");
    if (ph.p_memsz == 0) continue;
    if (ph.p_vaddr < kMinLoadAddress || ph.p_vaddr >= kImageLimit ||
        ph.p_memsz > kImageLimit - ph.p_vaddr)
      fail(seg + " [" + hex(ph.p_vaddr) + ", " + hex(ph.p_vaddr + ph.p_memsz) +
           ") is outside the loadable address range [" + hex(kMinLoadAddress) + ", " +
           hex(kImageLimit) + ")");
    for (size_t k = 0; k < loads.size(); ++k) {
      const GElf_Phdr& o = loads[k];
      if (ph.p_vaddr < o.p_vaddr + o.p_memsz && o.p_vaddr < ph.p_vaddr + ph.p_memsz)
        fail(seg + " [" + hex(ph.p_vaddr) + ", " + hex(ph.p_vaddr + ph.p_memsz) +
             ") overlaps segment " + std::to_string(load_index[k]) + " [" + hex(o.p_vaddr) +
             ", " + hex(o.p_vaddr + o.p_memsz) + ")");
    }
    loads.push_back(ph);
    load_index.push_back(i);
  }
  if (loads.empty()) fail("no loadable (PT_LOAD) segments");

  uint64_t lo = UINT64_MAX, hi = 0;
  for (const GElf_Phdr& ph : loads) {
    lo = std::min<uint64_t>(lo, ph.p_vaddr & ~kPageMask);
    hi = std::max<uint64_t>(hi, (ph.p_vaddr + ph.p_memsz + kPageMask) & ~kPageMask);
  }
  if (hi - lo > kMaxImageSpan)
    fail("absurd image size: segments span " + hex(hi - lo) + " bytes (limit " +
         hex(kMaxImageSpan) + ")");

  bool entry_ok = false;
  for (const GElf_Phdr& ph : loads)
    if ((ph.p_flags & PF_X) && prog.entry - ph.p_vaddr < ph.p_memsz) entry_ok = true;
  if (!entry_ok) fail("entry point " + hex(prog.entry) + " is not in an executable segment");

  try {
    mem.add_region(lo, hi - lo, "program image");
  } catch (const std::runtime_error& e) {
    fail(e.what());
  }
  prog.image_begin = lo;
  prog.image_end = hi;
  for (const GElf_Phdr& ph : loads) {
    // The mapping starts zeroed, which is the .bss fill.
    std::memcpy(mem.host_range(ph.p_vaddr, ph.p_memsz), data.data() + ph.p_offset, ph.p_filesz);
    mem.allow(ph.p_vaddr, ph.p_memsz, perms_of(ph.p_flags));
    prog.segments.push_back({ph.p_vaddr, ph.p_memsz, ph.p_filesz, perms_of(ph.p_flags)});
    // AT_PHDR as Linux computes it: the headers' address inside the segment
    // whose file range holds them.
    if (eh.e_phoff >= ph.p_offset && eh.e_phoff - ph.p_offset < ph.p_filesz)
      prog.phdr = ph.p_vaddr + (eh.e_phoff - ph.p_offset);
  }
  return prog;
}

LoadedProgram load_elf_file(const std::string& path, FlatAddressSpace& mem) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) fail("cannot open: " + std::string(std::strerror(errno)));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0) fail("cannot stat: " + std::string(std::strerror(errno)));
  if (S_ISDIR(st.st_mode)) fail("is a directory, not a program");
  if (!S_ISREG(st.st_mode)) fail("not a regular file");
  if (static_cast<uint64_t>(st.st_size) > kMaxFileSize)
    fail("file too large (" + std::to_string(st.st_size) + " bytes)");
  std::string data(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot read: " + std::string(std::strerror(errno)));
    if (n == 0) fail("file shrank while being read");
    done += static_cast<size_t>(n);
  }
  return load_elf(data, mem);
}

uint64_t setup_stack(FlatAddressSpace& mem, const LoadedProgram& prog,
                     const std::vector<std::string>& argv, uint64_t stack_size) {
  stack_size = (stack_size + kPageMask) & ~kPageMask;
  if (stack_size < kPageSize || stack_size > (uint64_t{1} << 32))
    fail("bad stack size " + hex(stack_size));
  const uint64_t bottom = kStackTop - stack_size;
  // One extra reserved page without permissions: the guard page.
  try {
    mem.add_region(bottom - kPageSize, stack_size + kPageSize, "stack");
  } catch (const std::runtime_error& e) {
    fail(e.what());
  }
  mem.allow(bottom, stack_size, T1_ACCESS_READ | T1_ACCESS_WRITE);

  // Strings and random bytes first, from the top down.
  uint64_t top = kStackTop - 16;  // a little slack, like Linux's end marker
  auto push_bytes = [&](const void* p, size_t n) {
    if (top - bottom < n + 4096) fail("program arguments do not fit on the stack");
    top -= n;
    std::memcpy(mem.host_range(top, n), p, n);
    return top;
  };
  std::vector<uint64_t> argp;
  for (const std::string& a : argv) argp.push_back(push_bytes(a.c_str(), a.size() + 1));
  top &= ~uint64_t{15};
  static constexpr uint8_t kRandom[16] = {0x54, 0x65, 0x73, 0x73, 0x65, 0x72, 0x61, 0x21,
                                          0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15};
  const uint64_t random = push_bytes(kRandom, sizeof kRandom);

  std::vector<uint64_t> words;
  words.push_back(argv.size());
  words.insert(words.end(), argp.begin(), argp.end());
  words.push_back(0);  // argv terminator
  words.push_back(0);  // empty environment
  auto aux = [&](uint64_t type, uint64_t value) {
    words.push_back(type);
    words.push_back(value);
  };
  if (prog.phdr) {
    aux(AT_PHDR, prog.phdr);
    aux(AT_PHENT, prog.phent);
    aux(AT_PHNUM, prog.phnum);
  }
  aux(AT_PAGESZ, kPageSize);
  aux(AT_ENTRY, prog.entry);
  aux(AT_RANDOM, random);
  aux(AT_NULL, 0);

  const uint64_t bytes = words.size() * 8;
  if (top - bottom < bytes + 4096) fail("program arguments do not fit on the stack");
  const uint64_t sp = (top - bytes) & ~uint64_t{15};
  std::memcpy(mem.host_range(sp, bytes), words.data(), bytes);
  return sp;
}

}  // namespace tessera::emu::run
