// SPDX-License-Identifier: Apache-2.0
// Loading a bare RV64 program for `tessera-emu run`: static ELF executables
// only, laid out in a FlatAddressSpace the way Linux would (and qemu-riscv64
// does), so the same binary runs under both and the outputs can be diffed.
//
// Address layout (all user addresses below 2^38, as under Sv39 Linux):
//   [kMinLoadAddress, kImageLimit)   PT_LOAD segments at their p_vaddr
//   [kStackTop - size, kStackTop)    the stack (default 8 MiB), growing down,
//                                    with one unmapped guard page below it
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "flat_space.hpp"

namespace tessera::emu::run {

inline constexpr uint64_t kMinLoadAddress = 0x10000;       // Linux's default mmap_min_addr
inline constexpr uint64_t kImageLimit = 0x3F00000000;      // images end below this
inline constexpr uint64_t kMaxImageSpan = uint64_t{16} << 30;
inline constexpr uint64_t kStackTop = 0x3FFFFFF000;
inline constexpr uint64_t kDefaultStackSize = uint64_t{8} << 20;
inline constexpr uint64_t kMaxFileSize = uint64_t{1} << 30;

// A program that cannot be loaded. what() is a complete sentence fragment
// naming the reason ("not an ELF file", "segment 2 overlaps segment 1", ...).
class LoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LoadedSegment {
  uint64_t vaddr = 0, memsz = 0, filesz = 0;
  uint8_t perms = 0;  // T1_ACCESS_*
};

struct LoadedProgram {
  uint64_t entry = 0;
  uint64_t image_begin = 0, image_end = 0;  // page-aligned span of all segments
  uint64_t phdr = 0;                        // VA of the program headers, 0 if not loaded
  uint16_t phent = 0, phnum = 0;
  std::vector<LoadedSegment> segments;
};

// Validates the ELF image `data` and loads its PT_LOAD segments into `mem`
// (adds the image region, copies file bytes, zero-fills .bss, applies
// p_flags). Throws LoadError.
LoadedProgram load_elf(std::string_view data, FlatAddressSpace& mem);

// Reads `path` and loads it. Throws LoadError (also for I/O errors, with
// the errno text).
LoadedProgram load_elf_file(const std::string& path, FlatAddressSpace& mem);

// Maps the stack and fills it like Linux does for a static executable:
//   sp -> argc, argv[0..argc-1], NULL, envp: NULL, auxv pairs (AT_PHDR,
//   AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY, AT_RANDOM, AT_NULL),
// then the 16 AT_RANDOM bytes and the argument strings near the top.
// The environment is deliberately empty so that runs are reproducible; the
// AT_RANDOM bytes are a fixed pattern for the same reason. Returns the
// initial sp (16-byte aligned). Throws LoadError if the arguments do not fit.
uint64_t setup_stack(FlatAddressSpace& mem, const LoadedProgram& prog,
                     const std::vector<std::string>& argv,
                     uint64_t stack_size = kDefaultStackSize);

}  // namespace tessera::emu::run
