// SPDX-License-Identifier: Apache-2.0
#include "note.hpp"

#include <cstddef>
#include <cstdio>
#include <unordered_set>

#include <tessera/hw/t1_codeobj.h>

namespace tessera::codeobj::detail {
namespace {

static_assert(kSupportedMajor == T1_CODEOBJ_VERSION_MAJOR);

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

bool is_pow2(uint64_t v) { return v != 0 && (v & (v - 1)) == 0; }

// The descriptor is only 4-byte aligned in the file and its byte order is
// fixed (little-endian), so fields are assembled from bytes.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> d) : d_(d) {}
  uint64_t size() const { return d_.size(); }
  // Callers have checked that [off, off + 4) lies inside the descriptor.
  uint32_t u32(uint64_t off) const {
    const uint8_t* p = d_.data() + off;
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
  }
  // Whether the table of `count` entries of `entry_size` bytes at `off`
  // fits. count and entry_size are 32-bit, so the product cannot overflow.
  bool fits(uint64_t off, uint64_t count, uint64_t entry_size) const {
    return off <= d_.size() && count * entry_size <= d_.size() - off;
  }
  std::string_view bytes(uint64_t off, uint64_t n) const {
    return {reinterpret_cast<const char*>(d_.data() + off), static_cast<size_t>(n)};
  }

 private:
  std::span<const uint8_t> d_;
};

#define FIELD(type, member) static_cast<uint64_t>(offsetof(type, member))

}  // namespace

std::string quote_name(std::string_view name) {
  constexpr size_t kMaxShown = 64;
  std::string out = "'";
  for (size_t i = 0; i < name.size() && i < kMaxShown; ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (name.size() > kMaxShown) out += "...";
  return out + "'";
}

std::optional<NoteContents> parse_note_descriptor(std::span<const uint8_t> desc,
                                                  std::string& error, bool* unsupported_version) {
  const Reader r(desc);
  auto fail = [&](std::string msg) -> std::optional<NoteContents> {
    error = std::move(msg);
    return std::nullopt;
  };
  const std::string note_size = " (" + std::to_string(r.size()) + " bytes)";
  if (r.size() < sizeof(t1_codeobj_header))
    return fail("note descriptor" + note_size + " is shorter than its " +
                std::to_string(sizeof(t1_codeobj_header)) + "-byte header");

  NoteContents note;
  note.version = r.u32(FIELD(t1_codeobj_header, version));
  const uint32_t major = note.version >> 16, minor = note.version & 0xFFFF;
  if (major != kSupportedMajor) {
    if (unsupported_version) *unsupported_version = true;
    return fail("code object version " + std::to_string(major) + "." + std::to_string(minor) +
                " is not supported (this runtime supports " + std::to_string(kSupportedMajor) +
                ".x)");
  }
  const uint32_t kernel_count = r.u32(FIELD(t1_codeobj_header, kernel_count));
  const uint32_t strtab_offset = r.u32(FIELD(t1_codeobj_header, strtab_offset));
  const uint32_t strtab_size = r.u32(FIELD(t1_codeobj_header, strtab_size));
  const uint32_t kernels_offset = r.u32(FIELD(t1_codeobj_header, kernels_offset));
  const uint32_t kernel_desc_size = r.u32(FIELD(t1_codeobj_header, kernel_desc_size));
  const uint32_t arg_desc_size = r.u32(FIELD(t1_codeobj_header, arg_desc_size));

  // Newer minors may append fields (larger sizes); smaller ones cannot hold 1.0's.
  if (kernel_desc_size < sizeof(t1_kernel_desc))
    return fail("kernel descriptor size " + std::to_string(kernel_desc_size) +
                " is smaller than the " + std::to_string(sizeof(t1_kernel_desc)) +
                " bytes of version 1.0");
  if (arg_desc_size < sizeof(t1_arg_desc))
    return fail("argument descriptor size " + std::to_string(arg_desc_size) +
                " is smaller than the " + std::to_string(sizeof(t1_arg_desc)) +
                " bytes of version 1.0");
  if (kernels_offset % 8 != 0)
    return fail("kernel table offset " + hex(kernels_offset) + " is not 8-byte aligned");
  if (!r.fits(kernels_offset, kernel_count, kernel_desc_size))
    return fail("kernel table (" + std::to_string(kernel_count) + " entries at offset " +
                hex(kernels_offset) + ") extends past the note" + note_size);
  if (!r.fits(strtab_offset, strtab_size, 1))
    return fail("string table [" + hex(strtab_offset) + ", " +
                hex(uint64_t{strtab_offset} + strtab_size) + ") extends past the note" +
                note_size);
  const std::string_view strtab = r.bytes(strtab_offset, strtab_size);
  // A final NUL guarantees that every name inside the table is terminated.
  if (!strtab.empty() && strtab.back() != '\0')
    return fail("string table does not end with a NUL byte");

  std::unordered_set<std::string_view> names;
  note.kernels.reserve(kernel_count);  // bounded by the note size, checked above
  for (uint32_t k = 0; k < kernel_count; ++k) {
    const uint64_t base = kernels_offset + uint64_t{k} * kernel_desc_size;
    auto field = [&](uint64_t off) { return r.u32(base + off); };
    const uint32_t name_offset = field(FIELD(t1_kernel_desc, name_offset));
    if (name_offset >= strtab.size())
      return fail("kernel " + std::to_string(k) + ": name offset " + hex(name_offset) +
                  " is outside the string table (" + std::to_string(strtab.size()) + " bytes)");
    const std::string_view name = strtab.substr(name_offset, strtab.find('\0', name_offset) - name_offset);
    if (name.empty()) return fail("kernel " + std::to_string(k) + " has an empty name");
    const std::string who = "kernel " + quote_name(name);
    if (!names.insert(name).second) return fail(who + " appears more than once in the note");

    KernelInfo ki;
    ki.name = std::string(name);
    ki.flags = field(FIELD(t1_kernel_desc, flags));
    ki.kernarg_size = field(FIELD(t1_kernel_desc, kernarg_size));
    ki.kernarg_align = field(FIELD(t1_kernel_desc, kernarg_align));
    const uint32_t arg_count = field(FIELD(t1_kernel_desc, arg_count));
    const uint32_t args_offset = field(FIELD(t1_kernel_desc, args_offset));
    ki.static_shared_bytes = field(FIELD(t1_kernel_desc, static_shared_bytes));
    ki.stack_bytes = field(FIELD(t1_kernel_desc, stack_bytes));
    ki.max_block_threads = field(FIELD(t1_kernel_desc, max_block_threads));
    if (!is_pow2(ki.kernarg_align))
      return fail(who + ": kernarg alignment " + std::to_string(ki.kernarg_align) +
                  " is not a power of two");
    for (uint64_t i = 0; i < 3; ++i)
      if (field(FIELD(t1_kernel_desc, reserved) + 4 * i) != 0)
        return fail(who + ": reserved field " + std::to_string(i) + " is not zero");
    if (args_offset % 8 != 0)
      return fail(who + ": argument table offset " + hex(args_offset) + " is not 8-byte aligned");
    if (!r.fits(args_offset, arg_count, arg_desc_size))
      return fail(who + ": argument table (" + std::to_string(arg_count) + " entries at offset " +
                  hex(args_offset) + ") extends past the note" + note_size);

    ki.args.reserve(arg_count);
    for (uint32_t a = 0; a < arg_count; ++a) {
      const uint64_t at = args_offset + uint64_t{a} * arg_desc_size;
      ArgInfo ai;
      ai.offset = r.u32(at + FIELD(t1_arg_desc, offset));
      ai.size = r.u32(at + FIELD(t1_arg_desc, size));
      ai.align = r.u32(at + FIELD(t1_arg_desc, align));
      ai.kind = r.u32(at + FIELD(t1_arg_desc, kind));
      const std::string arg = who + ": argument " + std::to_string(a);
      if (ai.kind > T1_ARG_STRUCT)
        return fail(arg + " has unknown kind " + std::to_string(ai.kind));
      if (!is_pow2(ai.align))
        return fail(arg + " alignment " + std::to_string(ai.align) + " is not a power of two");
      if (ai.offset % ai.align != 0)
        return fail(arg + " offset " + std::to_string(ai.offset) +
                    " is not a multiple of its alignment " + std::to_string(ai.align));
      if (uint64_t{ai.offset} + ai.size > ki.kernarg_size)
        return fail(arg + " [" + std::to_string(ai.offset) + ", " +
                    std::to_string(uint64_t{ai.offset} + ai.size) +
                    ") extends past the kernarg buffer (" + std::to_string(ki.kernarg_size) +
                    " bytes)");
      ki.args.push_back(ai);
    }
    note.kernels.push_back(std::move(ki));
  }
  return note;
}

}  // namespace tessera::codeobj::detail
