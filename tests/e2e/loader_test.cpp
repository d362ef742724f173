// SPDX-License-Identifier: Apache-2.0
// Unit tests of the bare-program loader (emulator/run): ELF validation with
// synthetic images for every rejection, segment loading and permissions,
// the flat address space, the initial stack and the Linux system calls.
#include <elf.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "run/flat_space.hpp"
#include "run/linux_host.hpp"
#include "run/loader.hpp"

using namespace tessera::emu;
using namespace tessera::emu::run;

namespace {

// Builds a minimal ELF64 RISC-V executable: header, program headers, then
// each segment's file bytes.
struct ElfBuilder {
  Elf64_Ehdr eh{};
  std::vector<Elf64_Phdr> phdrs;
  std::vector<std::string> contents;

  ElfBuilder() {
    std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = ET_EXEC;
    eh.e_machine = EM_RISCV;
    eh.e_version = EV_CURRENT;
    eh.e_ehsize = sizeof(Elf64_Ehdr);
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_entry = 0x10000;
  }
  ElfBuilder& segment(uint32_t type, uint64_t vaddr, std::string bytes, uint64_t memsz,
                      uint32_t flags) {
    Elf64_Phdr ph{};
    ph.p_type = type;
    ph.p_vaddr = ph.p_paddr = vaddr;
    ph.p_filesz = bytes.size();
    ph.p_memsz = memsz;
    ph.p_flags = flags;
    ph.p_align = 0x1000;
    phdrs.push_back(ph);
    contents.push_back(std::move(bytes));
    return *this;
  }
  std::string build() {
    eh.e_phoff = sizeof(Elf64_Ehdr);
    eh.e_phnum = static_cast<uint16_t>(phdrs.size());
    uint64_t off = sizeof(Elf64_Ehdr) + phdrs.size() * sizeof(Elf64_Phdr);
    for (size_t i = 0; i < phdrs.size(); ++i) {
      phdrs[i].p_offset = off;
      off += contents[i].size();
    }
    std::string out(reinterpret_cast<const char*>(&eh), sizeof eh);
    for (const Elf64_Phdr& ph : phdrs) out.append(reinterpret_cast<const char*>(&ph), sizeof ph);
    for (const std::string& c : contents) out += c;
    return out;
  }
};

ElfBuilder good() {
  ElfBuilder b;
  b.segment(PT_LOAD, 0x10000, std::string("\x13\x05\x00\x00", 4), 0x100, PF_R | PF_X);
  b.segment(PT_LOAD, 0x12000, "data", 0x3000, PF_R | PF_W);
  return b;
}

std::string load_error(const std::string& image) {
  FlatAddressSpace mem;
  try {
    load_elf(image, mem);
  } catch (const LoadError& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST_CASE("loader: a valid image loads with its permissions and zeroed bss", "[run][loader]") {
  FlatAddressSpace mem;
  const LoadedProgram p = load_elf(good().build(), mem);
  CHECK(p.entry == 0x10000);
  CHECK(p.segments.size() == 2);
  CHECK(p.image_begin == 0x10000);
  CHECK(p.image_end == 0x15000);
  PageRef ref;
  uint32_t cause = 0;
  REQUIRE(mem.resolve(0x10000, T1_ACCESS_EXEC, ref, cause));
  CHECK(ref.host[0] == 0x13);
  CHECK_FALSE(mem.resolve(0x10000, T1_ACCESS_WRITE, ref, cause));
  CHECK(cause == T1_FAULT_PERMISSION);
  REQUIRE(mem.resolve(0x12000, T1_ACCESS_WRITE, ref, cause));
  CHECK(std::memcmp(ref.host, "data", 4) == 0);
  CHECK(ref.host[4] == 0);  // .bss
  REQUIRE(mem.resolve(0x14ff8, T1_ACCESS_READ, ref, cause));
  CHECK_FALSE(mem.resolve(0x12000, T1_ACCESS_EXEC, ref, cause));
  CHECK(cause == T1_FAULT_PERMISSION);
  // The gap page between the segments and anything outside are unmapped.
  CHECK_FALSE(mem.resolve(0x11000, T1_ACCESS_READ, ref, cause));
  CHECK(cause == T1_FAULT_UNMAPPED);
  CHECK_FALSE(mem.resolve(0x15000, T1_ACCESS_READ, ref, cause));
  CHECK(cause == T1_FAULT_UNMAPPED);
  CHECK_FALSE(mem.resolve(0, T1_ACCESS_READ, ref, cause));
}

TEST_CASE("loader: rejections name the reason", "[run][loader]") {
  CHECK(load_error("") == "not an ELF file (bad magic number)");
  CHECK(load_error("#!/bin/sh\necho hi\n") == "not an ELF file (bad magic number)");
  const std::string img = good().build();
  CHECK_THAT(load_error(img.substr(0, 10)), Catch::StartsWith("truncated ELF file (10 bytes)"));
  CHECK_THAT(load_error(img.substr(0, 40)), Catch::Contains("shorter than the ELF header"));
  CHECK_THAT(load_error(img.substr(0, 100)), Catch::Contains("program headers at offset"));
  CHECK_THAT(load_error(img.substr(0, img.size() - 2)),
             Catch::Contains("truncated ELF file: segment 1 data"));

  std::string bad = img;
  bad[EI_CLASS] = ELFCLASS32;
  CHECK_THAT(load_error(bad), Catch::StartsWith("32-bit ELF file"));
  bad = img;
  bad[EI_DATA] = ELFDATA2MSB;
  CHECK_THAT(load_error(bad), Catch::StartsWith("big-endian"));

  ElfBuilder b = good();
  b.eh.e_machine = EM_X86_64;
  CHECK(load_error(b.build()) == "ELF machine 62 is not RISC-V (EM_RISCV = 243)");
  b = good();
  b.eh.e_type = ET_DYN;
  CHECK_THAT(load_error(b.build()), Catch::StartsWith("position-independent executable"));
  b = good();
  b.eh.e_type = ET_REL;
  CHECK_THAT(load_error(b.build()), Catch::Contains("is not an executable"));
  b = good();
  b.segment(PT_INTERP, 0, "/lib/ld.so", 11, PF_R);
  CHECK_THAT(load_error(b.build()), Catch::Contains("PT_INTERP"));
  b = good();
  b.segment(PT_DYNAMIC, 0x12100, "", 0, PF_R);
  CHECK_THAT(load_error(b.build()), Catch::Contains("PT_DYNAMIC"));
  b = good();
  b.phdrs.clear();
  b.contents.clear();
  CHECK_THAT(load_error(b.build()), Catch::Contains("no program headers"));
}

TEST_CASE("loader: segment layout checks", "[run][loader]") {
  ElfBuilder b = good();
  b.segment(PT_LOAD, 0x12800, "x", 0x10, PF_R);
  CHECK_THAT(load_error(b.build()), Catch::Contains("segment 2 [0x12800, 0x12810) overlaps segment 1"));
  b = good();
  b.segment(PT_LOAD, 0x20000, "too long", 4, PF_R);
  CHECK_THAT(load_error(b.build()), Catch::Contains("file size 0x8 exceeds memory size 0x4"));
  b = good();
  b.segment(PT_LOAD, 0x1000, "x", 1, PF_R);
  CHECK_THAT(load_error(b.build()), Catch::Contains("outside the loadable address range"));
  b = good();
  b.segment(PT_LOAD, kImageLimit - 0x1000, "x", 0x2000, PF_R);
  CHECK_THAT(load_error(b.build()), Catch::Contains("outside the loadable address range"));
  b = good();
  b.segment(PT_LOAD, 0x20000, "x", uint64_t{1} << 40, PF_R);
  CHECK_THAT(load_error(b.build()), Catch::Contains("absurd memory size"));
  b = good();
  b.segment(PT_LOAD, 0x20000, "x", 1, PF_R);
  b.segment(PT_LOAD, 0x20000 + (uint64_t{32} << 30), "y", 1, PF_R);
  CHECK_THAT(load_error(b.build()), Catch::Contains("absurd image size"));
  b = good();
  b.eh.e_entry = 0x12000;  // data, not code
  CHECK(load_error(b.build()) == "entry point 0x12000 is not in an executable segment");
  b = good();
  b.eh.e_entry = 0x10100;  // one past the code segment
  CHECK_THAT(load_error(b.build()), Catch::StartsWith("entry point 0x10100"));
}

TEST_CASE("loader: the initial stack follows the Linux layout", "[run][loader]") {
  FlatAddressSpace mem;
  const LoadedProgram p = load_elf(good().build(), mem);
  const uint64_t sp = setup_stack(mem, p, {"prog", "a", "bc"});
  CHECK(sp % 16 == 0);
  CHECK(sp < kStackTop);
  CHECK(sp > kStackTop - kDefaultStackSize);
  auto word = [&](uint64_t va) {
    uint64_t v;
    std::memcpy(&v, mem.host_range(va, 8), 8);
    return v;
  };
  auto str = [&](uint64_t va) { return std::string(reinterpret_cast<char*>(mem.host_range(va, 1))); };
  CHECK(word(sp) == 3);
  CHECK(str(word(sp + 8)) == "prog");
  CHECK(str(word(sp + 16)) == "a");
  CHECK(str(word(sp + 24)) == "bc");
  CHECK(word(sp + 32) == 0);  // argv terminator
  CHECK(word(sp + 40) == 0);  // empty environment
  uint64_t at = sp + 48, pagesz = 0, random = 0, entry = 0;
  for (; word(at) != AT_NULL; at += 16) {
    if (word(at) == AT_PAGESZ) pagesz = word(at + 8);
    if (word(at) == AT_RANDOM) random = word(at + 8);
    if (word(at) == AT_ENTRY) entry = word(at + 8);
  }
  CHECK(pagesz == 4096);
  CHECK(entry == 0x10000);
  CHECK(mem.check(random, 16, T1_ACCESS_READ));
  // The whole stack is read-write, and the page below it is a guard.
  PageRef ref;
  uint32_t cause = 0;
  CHECK(mem.resolve(kStackTop - kDefaultStackSize, T1_ACCESS_WRITE, ref, cause));
  CHECK_FALSE(mem.resolve(kStackTop - kDefaultStackSize - 1, T1_ACCESS_READ, ref, cause));
  CHECK(cause == T1_FAULT_UNMAPPED);
  CHECK_FALSE(mem.resolve(kStackTop, T1_ACCESS_READ, ref, cause));
}

TEST_CASE("loader: arguments that do not fit are an error", "[run][loader]") {
  FlatAddressSpace mem;
  const LoadedProgram p = load_elf(good().build(), mem);
  std::vector<std::string> argv(3, std::string(4000, 'x'));
  CHECK_THROWS_AS(setup_stack(mem, p, argv, 8192), LoadError);
}

TEST_CASE("LinuxHost: write, exit and unsupported calls", "[run][syscall]") {
  FlatAddressSpace mem;
  load_elf(good().build(), mem);
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  LinuxHost host(mem, fds[1], fds[1]);
  uint64_t ret = 0;
  int code = -1;
  uint64_t args[6] = {1, 0x12000, 4, 0, 0, 0};
  CHECK(host.ecall(kSysWrite, args, mem, ret, code));
  CHECK(ret == 4);
  char buf[8] = {};
  REQUIRE(read(fds[0], buf, sizeof buf) == 4);
  CHECK(std::string(buf, 4) == "data");

  args[0] = 3;
  CHECK(host.ecall(kSysWrite, args, mem, ret, code));
  CHECK(static_cast<int64_t>(ret) == -EBADF);
  args[0] = 2;
  args[1] = 0x11000;  // the unmapped gap
  CHECK(host.ecall(kSysWrite, args, mem, ret, code));
  CHECK(static_cast<int64_t>(ret) == -EFAULT);
  args[1] = 0x14ffe;  // runs past the end of the image
  args[2] = 8;
  CHECK(host.ecall(kSysWrite, args, mem, ret, code));
  CHECK(static_cast<int64_t>(ret) == -EFAULT);
  args[2] = 0;
  CHECK(host.ecall(kSysWrite, args, mem, ret, code));
  CHECK(ret == 0);

  CHECK(host.ecall(222, args, mem, ret, code));  // mmap: not supported
  CHECK(static_cast<int64_t>(ret) == -ENOSYS);

  args[0] = 0x1234;
  CHECK_FALSE(host.ecall(kSysExitGroup, args, mem, ret, code));
  CHECK(code == 0x34);
  args[0] = static_cast<uint64_t>(-1);
  CHECK_FALSE(host.ecall(kSysExit, args, mem, ret, code));
  CHECK(code == 255);
  close(fds[0]);
  close(fds[1]);
}
