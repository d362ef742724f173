// SPDX-License-Identifier: Apache-2.0
// Reading a T1 code object: the ELF64 RISC-V shared object that tessc
// produces (docs/hardware/code-objects.md). parse() validates untrusted
// bytes and extracts everything a loader needs: the loadable segments, the
// relative relocations, the kernels' metadata from the .note.tessera note
// and the exported data symbols. materialize() then builds the image as it
// must appear in device memory at a chosen base address.
//
// Private to Tessera components (runtime, tests); not a public header.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tessera::codeobj {

// The note major version this reader understands; any minor of it is read.
inline constexpr uint32_t kSupportedMajor = 1;
// Images whose segments extend past this are refused: device code objects
// are small, and offsets in the image must fit in 32 bits.
inline constexpr uint64_t kMaxImageSize = uint64_t{4} << 30;
inline constexpr uint64_t kImagePageSize = 4096;

struct ArgInfo {
  uint32_t offset = 0;  // in the kernarg buffer
  uint32_t size = 0;
  uint32_t align = 1;   // power of two
  uint32_t kind = 0;    // T1_ARG_*
};

struct KernelInfo {
  std::string name;            // also the ELF symbol name
  uint64_t entry = 0;          // symbol value: offset from the load base
  uint32_t flags = 0;          // T1_KERNEL_FLAG_*
  uint32_t kernarg_size = 0;
  uint32_t kernarg_align = 1;  // power of two
  uint32_t static_shared_bytes = 0;
  uint32_t stack_bytes = 0;    // per thread, or T1_STACK_UNKNOWN
  uint32_t max_block_threads = 0;  // 0: the device limit
  std::vector<ArgInfo> args;
};

// An exported data symbol (a `__device__` global).
struct GlobalInfo {
  std::string name;
  uint64_t offset = 0;  // from the load base
  uint64_t size = 0;
};

// One PT_LOAD segment.
struct Segment {
  uint64_t vaddr = 0;  // offset from the load base
  uint64_t memsz = 0;  // bytes in memory; those past bytes.size() are zero
  uint8_t perms = 0;   // T1_ACCESS_READ/WRITE/EXEC, from p_flags
  std::vector<uint8_t> bytes;  // the segment's file bytes (p_filesz)
};

struct Image {
  uint32_t version = 0;  // of the note: major << 16 | minor
  // Extent of all segments from the load base, a multiple of
  // kImagePageSize, at most kMaxImageSize.
  uint64_t size = 0;
  std::vector<Segment> segments;  // in program-header order, not overlapping
  // R_RISCV_RELATIVE relocations (r_offset, r_addend): the 8 bytes at
  // base + r_offset become base + r_addend. Each lies inside a segment.
  std::vector<std::pair<uint64_t, int64_t>> relative_relocs;
  std::vector<KernelInfo> kernels;  // in note order; names are unique
  std::vector<GlobalInfo> globals;  // each lies inside [0, size)

  const KernelInfo* find_kernel(std::string_view name) const;
  const GlobalInfo* find_global(std::string_view name) const;
};

// Parses and validates a code object. On failure returns nullopt and sets
// `error` to one sentence saying what is wrong (e.g. "ELF machine is x86-64,
// expected RISC-V", "kernel 'foo': argument table extends past the note").
// Never reads outside `file`; safe on any input.
// `why`, when given, says whether the code object is malformed or a
// well-formed one of a note version this reader does not support.
enum class ParseFailure { kMalformed, kUnsupportedVersion };
std::optional<Image> parse(std::span<const uint8_t> file, std::string& error,
                           ParseFailure* why = nullptr);

// Writes the image as it must appear in device memory at `base`: segments
// placed at their offsets, everything else (bss, gaps) zero, relocations
// applied. out.size() must equal image.size (std::invalid_argument if not,
// or if the image is inconsistent, e.g. built by hand).
void materialize(const Image& image, uint64_t base, std::span<uint8_t> out);

}  // namespace tessera::codeobj
