// SPDX-License-Identifier: Apache-2.0
// The code-object reader on real code objects (assembled and linked by
// clang-16 and ld.lld-16 at build time) and on malformed ones: one-field
// patches with the exact error expected, every truncation, every note byte
// flipped, and a seeded mutation fuzz.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>

#include <tessera/hw/t1_codeobj.h>
#include <tessera/hw/t1_fault.h>

#include "codeobj/codeobj.hpp"
#include "elf_patch.hpp"

using namespace codeobj_test;
using tessera::codeobj::Image;
using tessera::codeobj::parse;

namespace {

std::optional<Image> try_parse(const Bytes& b, std::string& error) {
  error.clear();
  return parse(std::span<const uint8_t>(b.data(), b.size()), error);
}

// The error for `b`, which must not parse.
std::string error_of(const Bytes& b) {
  std::string error;
  const auto image = try_parse(b, error);
  REQUIRE_FALSE(image.has_value());
  return error;
}

bool is_pow2(uint64_t v) { return v && !(v & (v - 1)); }

// What parse() promises about any image it accepts.
void check_invariants(const Image& img) {
  REQUIRE(img.size % tessera::codeobj::kImagePageSize == 0);
  REQUIRE(img.size > 0);
  REQUIRE(img.size <= tessera::codeobj::kMaxImageSize);
  REQUIRE((img.version >> 16) == 1);
  for (size_t i = 0; i < img.segments.size(); ++i) {
    const auto& s = img.segments[i];
    REQUIRE(s.bytes.size() <= s.memsz);
    REQUIRE(s.vaddr + s.memsz <= img.size);
    for (size_t j = 0; j < i; ++j) {
      const auto& o = img.segments[j];
      REQUIRE((s.vaddr + s.memsz <= o.vaddr || o.vaddr + o.memsz <= s.vaddr));
    }
  }
  for (const auto& [off, addend] : img.relative_relocs) REQUIRE(off + 8 <= img.size);
  std::set<std::string> names;
  for (const auto& k : img.kernels) {
    REQUIRE(!k.name.empty());
    REQUIRE(names.insert(k.name).second);
    REQUIRE(k.entry < img.size);
    REQUIRE(is_pow2(k.kernarg_align));
    for (const auto& a : k.args) {
      REQUIRE(a.kind <= T1_ARG_STRUCT);
      REQUIRE(is_pow2(a.align));
      REQUIRE(a.offset % a.align == 0);
      REQUIRE(uint64_t{a.offset} + a.size <= k.kernarg_size);
    }
  }
  for (const auto& g : img.globals) REQUIRE(g.offset + g.size <= img.size);
}

uint64_t le64(const uint8_t* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

}  // namespace

TEST_CASE("every field of an assembled code object is read") {
  const Bytes file = two_kernels();
  const Layout L(file);
  std::string error;
  const auto img = try_parse(file, error);
  INFO(error);
  REQUIRE(img.has_value());
  check_invariants(*img);

  CHECK(img->version == 0x00010000u);
  REQUIRE(img->kernels.size() == 2);

  const auto& fill = img->kernels[0];
  CHECK(fill.name == "fill");
  CHECK(fill.entry == L.symbol_value("fill"));
  CHECK(fill.flags == 0);
  CHECK(fill.kernarg_size == 32);
  CHECK(fill.kernarg_align == 8);
  CHECK(fill.static_shared_bytes == 0);
  CHECK(fill.stack_bytes == T1_STACK_UNKNOWN);
  CHECK(fill.max_block_threads == 0);
  REQUIRE(fill.args.size() == 3);
  CHECK((fill.args[0].offset == 0 && fill.args[0].size == 8 && fill.args[0].align == 8 &&
         fill.args[0].kind == T1_ARG_POINTER));
  CHECK((fill.args[1].offset == 8 && fill.args[1].size == 4 && fill.args[1].align == 4 &&
         fill.args[1].kind == T1_ARG_SCALAR));
  CHECK((fill.args[2].offset == 16 && fill.args[2].size == 16 && fill.args[2].align == 8 &&
         fill.args[2].kind == T1_ARG_STRUCT));

  const auto& scale = img->kernels[1];
  CHECK(scale.name == "scale");
  CHECK(scale.entry == L.symbol_value("scale"));
  CHECK(scale.flags == T1_KERNEL_FLAG_USES_DYNSHARED);
  CHECK(scale.kernarg_size == 16);
  CHECK(scale.kernarg_align == 8);
  CHECK(scale.static_shared_bytes == 40);
  CHECK(scale.stack_bytes == 16);
  CHECK(scale.max_block_threads == 128);
  REQUIRE(scale.args.size() == 2);
  CHECK((scale.args[0].offset == 0 && scale.args[0].size == 8 && scale.args[0].kind == T1_ARG_POINTER));
  CHECK((scale.args[1].offset == 8 && scale.args[1].size == 8 && scale.args[1].kind == T1_ARG_SCALAR));

  CHECK(img->find_kernel("scale") == &scale);
  CHECK(img->find_kernel("fil") == nullptr);

  // Segments mirror the PT_LOAD headers: read-only, text, RELRO dynamic, data + bss.
  REQUIRE(img->segments.size() == L.loads.size());
  for (size_t i = 0; i < L.loads.size(); ++i) {
    const Elf64_Phdr ph = L.phdr(L.loads[i]);
    const auto& s = img->segments[i];
    CHECK(s.vaddr == ph.p_vaddr);
    CHECK(s.memsz == ph.p_memsz);
    CHECK(s.bytes.size() == ph.p_filesz);
    CHECK(std::equal(s.bytes.begin(), s.bytes.end(), file.begin() + ph.p_offset));
    const uint8_t perms = ((ph.p_flags & PF_R) ? T1_ACCESS_READ : 0) |
                          ((ph.p_flags & PF_W) ? T1_ACCESS_WRITE : 0) |
                          ((ph.p_flags & PF_X) ? T1_ACCESS_EXEC : 0);
    CHECK(s.perms == perms);
  }
  const auto exec = std::count_if(img->segments.begin(), img->segments.end(),
                                  [](const auto& s) { return s.perms & T1_ACCESS_EXEC; });
  CHECK(exec == 1);
  const auto& last = img->segments.back();
  CHECK(img->size == (last.vaddr + last.memsz + 4095) / 4096 * 4096);

  // Globals: the relocated pointer and the .bss counter.
  REQUIRE(img->globals.size() == 2);
  const auto* table_ptr = img->find_global("table_ptr");
  const auto* counter = img->find_global("counter");
  REQUIRE(table_ptr);
  REQUIRE(counter);
  CHECK(table_ptr->offset == L.symbol_value("table_ptr"));
  CHECK(table_ptr->size == 8);
  CHECK(counter->offset == L.symbol_value("counter"));
  CHECK(counter->size == 8);
  CHECK(counter->offset >= last.vaddr + last.bytes.size());  // in .bss

  // One RELATIVE relocation: table_ptr = &table, and table holds 1000..4000.
  REQUIRE(img->relative_relocs.size() == 1);
  const auto [r_offset, r_addend] = img->relative_relocs[0];
  CHECK(r_offset == table_ptr->offset);
  const auto table_seg = std::find_if(img->segments.begin(), img->segments.end(), [&](const auto& s) {
    return uint64_t(r_addend) >= s.vaddr && uint64_t(r_addend) + 32 <= s.vaddr + s.bytes.size();
  });
  REQUIRE(table_seg != img->segments.end());
  for (int i = 0; i < 4; ++i)
    CHECK(le64(table_seg->bytes.data() + (r_addend - table_seg->vaddr) + 8 * i) == 1000u * (i + 1));
}

TEST_CASE("materialize places segments, zeroes the rest and applies relocations") {
  const Bytes file = two_kernels();
  std::string error;
  const auto img = try_parse(file, error);
  REQUIRE(img.has_value());
  constexpr uint64_t base = 0x7654320000;
  Bytes out(img->size, 0xAA);
  tessera::codeobj::materialize(*img, base, out);

  const auto [r_offset, r_addend] = img->relative_relocs[0];
  std::vector<bool> covered(out.size(), false);
  for (const auto& s : img->segments) {
    for (uint64_t i = 0; i < s.memsz; ++i) {
      covered[s.vaddr + i] = true;
      if (s.vaddr + i >= r_offset && s.vaddr + i < r_offset + 8) continue;
      const uint8_t want = i < s.bytes.size() ? s.bytes[i] : 0;
      if (out[s.vaddr + i] != want) FAIL("byte " << s.vaddr + i << " is wrong");
    }
  }
  for (uint64_t i = 0; i < out.size(); ++i)
    if (!covered[i] && out[i] != 0) FAIL("gap byte " << i << " is not zero");
  CHECK(le64(out.data() + r_offset) == base + r_addend);
  CHECK(le64(out.data() + le64(out.data() + r_offset) - base) == 1000);
  CHECK(le64(out.data() + img->find_global("counter")->offset) == 0);

  Bytes small(img->size - 1);
  CHECK_THROWS_AS(tessera::codeobj::materialize(*img, base, small), std::invalid_argument);
}

TEST_CASE("files that are not T1 code objects are refused by name") {
  CHECK(error_of({}) == "not an ELF file (bad magic number)");
  CHECK(error_of({'h', 'e', 'l', 'l', 'o'}) == "not an ELF file (bad magic number)");
  CHECK(error_of(host_library()) == "ELF machine is x86-64, expected RISC-V");

  Bytes file = two_kernels();
  put<uint16_t>(file, offsetof(Elf64_Ehdr, e_type), ET_EXEC);
  CHECK(error_of(file) ==
        "ELF file is an executable (ET_EXEC), expected a shared object (ET_DYN) as linked with "
        "-shared");

  file = two_kernels();
  file[EI_CLASS] = ELFCLASS32;
  CHECK(error_of(file) == "32-bit ELF file; T1 code objects are ELF64");

  const std::string reloc = error_of(symbol_reloc());
  CHECK_THAT(reloc, Catch::StartsWith("relocation 1 at 0x") &&
                        Catch::EndsWith(" has type R_RISCV_64; only R_RISCV_RELATIVE is supported "
                                        "(link with -shared -Bsymbolic and no undefined symbols)"));

  // Rename the section: no metadata.
  file = two_kernels();
  {
    const Layout L(file);
    const Elf64_Shdr names = get<Elf64_Shdr>(file, L.eh.e_shoff + L.eh.e_shstrndx * sizeof(Elf64_Shdr));
    const Elf64_Shdr note = L.section(T1_CODEOBJ_SECTION);
    file[names.sh_offset + note.sh_name + 1] = 'm';  // ".mote.tessera"
  }
  CHECK(error_of(file) ==
        "no .note.tessera section: not a T1 code object (it carries no kernel metadata)");
}

TEST_CASE("malformed ELF structure gives a precise error") {
  const Bytes good = two_kernels();
  const Layout L(good);
  const size_t text = L.loads[1], data = L.loads.back();

  SECTION("a segment beyond the end of the file") {
    Bytes f = good;
    put<uint64_t>(f, L.phdr_offset(text) + offsetof(Elf64_Phdr, p_offset), f.size() - 4);
    CHECK_THAT(error_of(f), Catch::StartsWith("truncated ELF file: segment " + std::to_string(text) +
                                              " data [") &&
                                Catch::EndsWith("extends past the end of the file (" +
                                                std::to_string(f.size()) + " bytes)"));
  }
  SECTION("an extent over 4 GiB") {
    Bytes f = good;
    put<uint64_t>(f, L.phdr_offset(data) + offsetof(Elf64_Phdr, p_memsz), uint64_t{5} << 30);
    CHECK_THAT(error_of(f), Catch::EndsWith(") extends past the 4 GiB limit of a code object"));
  }
  SECTION("overlapping segments") {
    Bytes f = good;
    put<uint64_t>(f, L.phdr_offset(data) + offsetof(Elf64_Phdr, p_vaddr), L.phdr(text).p_vaddr);
    CHECK_THAT(error_of(f), Catch::EndsWith("overlaps segment " + std::to_string(text)));
  }
  SECTION("segments sharing file bytes") {
    Bytes f = good;
    put<uint64_t>(f, L.phdr_offset(data) + offsetof(Elf64_Phdr, p_offset), L.phdr(text).p_offset);
    CHECK(error_of(f) == "segment " + std::to_string(data) +
                             "'s file bytes overlap those of segment " + std::to_string(text));
  }
  SECTION("a symbol name that is not NUL-terminated") {
    Bytes f = good;
    const Elf64_Shdr dynstr = L.section(".dynstr");
    f[dynstr.sh_offset + dynstr.sh_size - 1] = 'x';
    CHECK_THAT(error_of(f), Catch::Matches("dynamic symbol [0-9]+ has a malformed name"));
  }
  SECTION("a relocation outside the image") {
    Bytes f = good;
    const Elf64_Shdr rela = L.section(".rela.dyn");
    put<uint64_t>(f, rela.sh_offset + offsetof(Elf64_Rela, r_offset), 0x100000);
    CHECK(error_of(f) == "relocation 0 at 0x100000 is outside every loadable segment");
  }
}

TEST_CASE("malformed metadata gives a precise error") {
  const Bytes good = two_kernels();
  const Layout L(good);
  auto kfield = [&](unsigned k, size_t off) { return L.kernel_field(k, off); };

  SECTION("major version bumped") {
    Bytes f = good;
    put<uint32_t>(f, L.desc + offsetof(t1_codeobj_header, version), 0x00020000);
    CHECK(error_of(f) == "code object version 2.0 is not supported (this runtime supports 1.x)");
    std::string error;
    auto why = tessera::codeobj::ParseFailure::kMalformed;
    CHECK_FALSE(tessera::codeobj::parse(f, error, &why).has_value());
    CHECK(why == tessera::codeobj::ParseFailure::kUnsupportedVersion);
  }
  SECTION("a newer minor version is read") {
    Bytes f = good;
    put<uint32_t>(f, L.desc + offsetof(t1_codeobj_header, version), 0x00010007);
    std::string error;
    const auto img = try_parse(f, error);
    REQUIRE(img.has_value());
    CHECK(img->version == 0x00010007u);
  }
  SECTION("kernel name without a symbol") {
    Bytes f = good;
    f[L.strtab() + 1] = 'e';  // "fill" -> "fell"
    CHECK(error_of(f) == "kernel 'fell' has no exported symbol of that name");
  }
  SECTION("a kernel whose symbol is data") {
    Bytes f = good;
    const size_t sym = L.symbol_offset("scale");
    f[sym + offsetof(Elf64_Sym, st_info)] = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT);
    CHECK(error_of(f) == "kernel 'scale': its symbol is not a function (symbol type 1)");
  }
  SECTION("a kernel entry outside the code") {
    Bytes f = good;
    put<uint64_t>(f, L.symbol_offset("fill") + offsetof(Elf64_Sym, st_value), L.symbol_value("counter"));
    char want[128];
    std::snprintf(want, sizeof want, "kernel 'fill': entry 0x%llx is not inside an executable segment",
                  static_cast<unsigned long long>(L.symbol_value("counter")));
    CHECK(error_of(f) == want);
  }
  SECTION("huge kernel count") {
    Bytes f = good;
    put<uint32_t>(f, L.desc + offsetof(t1_codeobj_header, kernel_count), 0xFFFFFFFF);
    CHECK(error_of(f) == "kernel table (4294967295 entries at offset 0x20) extends past the note (" +
                             std::to_string(L.descsz) + " bytes)");
  }
  SECTION("kernel descriptors smaller than version 1.0's") {
    Bytes f = good;
    put<uint32_t>(f, L.desc + offsetof(t1_codeobj_header, kernel_desc_size), 40);
    CHECK(error_of(f) == "kernel descriptor size 40 is smaller than the 48 bytes of version 1.0");
    std::string error;
    auto why = tessera::codeobj::ParseFailure::kUnsupportedVersion;
    CHECK_FALSE(tessera::codeobj::parse(f, error, &why).has_value());
    CHECK(why == tessera::codeobj::ParseFailure::kMalformed);  // mentions a version, but is malformed
  }
  SECTION("a misaligned kernel table") {
    Bytes f = good;
    put<uint32_t>(f, L.desc + offsetof(t1_codeobj_header, kernels_offset), 36);
    CHECK(error_of(f) == "kernel table offset 0x24 is not 8-byte aligned");
  }
  SECTION("string table not NUL-terminated") {
    Bytes f = good;
    const uint32_t size = get<uint32_t>(f, L.desc + offsetof(t1_codeobj_header, strtab_size));
    f[L.strtab() + size - 1] = 'x';
    CHECK(error_of(f) == "string table does not end with a NUL byte");
  }
  SECTION("string table past the note") {
    Bytes f = good;
    put<uint32_t>(f, L.desc + offsetof(t1_codeobj_header, strtab_size), 0x10000);
    CHECK_THAT(error_of(f), Catch::StartsWith("string table [") &&
                                Catch::EndsWith(") extends past the note (" +
                                                std::to_string(L.descsz) + " bytes)"));
  }
  SECTION("name offset outside the string table") {
    Bytes f = good;
    put<uint32_t>(f, kfield(0, offsetof(t1_kernel_desc, name_offset)), 11);
    CHECK(error_of(f) == "kernel 0: name offset 0xb is outside the string table (11 bytes)");
  }
  SECTION("two kernels with one name") {
    Bytes f = good;
    put<uint32_t>(f, kfield(1, offsetof(t1_kernel_desc, name_offset)), 0);
    CHECK(error_of(f) == "kernel 'fill' appears more than once in the note");
  }
  SECTION("argument table past the note") {
    Bytes f = good;
    put<uint32_t>(f, kfield(1, offsetof(t1_kernel_desc, args_offset)), L.descsz & ~7u);
    CHECK_THAT(error_of(f), Catch::StartsWith("kernel 'scale': argument table (2 entries at offset") &&
                                Catch::EndsWith("extends past the note (" + std::to_string(L.descsz) +
                                                " bytes)"));
  }
  SECTION("huge argument count") {
    Bytes f = good;
    put<uint32_t>(f, kfield(0, offsetof(t1_kernel_desc, arg_count)), 0x40000000);
    CHECK_THAT(error_of(f), Catch::StartsWith("kernel 'fill': argument table (1073741824 entries"));
  }
  SECTION("kernarg alignment not a power of two") {
    Bytes f = good;
    put<uint32_t>(f, kfield(0, offsetof(t1_kernel_desc, kernarg_align)), 12);
    CHECK(error_of(f) == "kernel 'fill': kernarg alignment 12 is not a power of two");
  }
  SECTION("reserved field set") {
    Bytes f = good;
    put<uint32_t>(f, kfield(1, offsetof(t1_kernel_desc, reserved) + 8), 1);
    CHECK(error_of(f) == "kernel 'scale': reserved field 2 is not zero");
  }
  SECTION("argument of unknown kind") {
    Bytes f = good;
    put<uint32_t>(f, L.arg_field(0, 2, offsetof(t1_arg_desc, kind)), 3);
    CHECK(error_of(f) == "kernel 'fill': argument 2 has unknown kind 3");
  }
  SECTION("argument offset not a multiple of its alignment") {
    Bytes f = good;
    put<uint32_t>(f, L.arg_field(0, 1, offsetof(t1_arg_desc, offset)), 9);
    CHECK(error_of(f) == "kernel 'fill': argument 1 offset 9 is not a multiple of its alignment 4");
  }
  SECTION("argument beyond the kernarg buffer") {
    Bytes f = good;
    put<uint32_t>(f, L.arg_field(1, 1, offsetof(t1_arg_desc, size)), 0xFFFFFFFF);
    CHECK(error_of(f) ==
          "kernel 'scale': argument 1 [8, 4294967303) extends past the kernarg buffer (16 bytes)");
  }
  SECTION("a note too short for its header") {
    Bytes f = good;
    put<uint32_t>(f, L.note + 4, 16);  // n_descsz, and the section shrunk to match
    put<uint64_t>(f, L.section_header_offset(T1_CODEOBJ_SECTION) + offsetof(Elf64_Shdr, sh_size), 36);
    CHECK(error_of(f) == "note descriptor (16 bytes) is shorter than its 32-byte header");
  }
  SECTION("the note's type changed") {
    Bytes f = good;
    put<uint32_t>(f, L.note + 8, 2);
    CHECK(error_of(f) ==
          "section .note.tessera holds no Tessera kernel note (name \"Tessera\", type 1)");
  }
}

TEST_CASE("a code object truncated at any length is refused") {
  const Bytes good = two_kernels();
  std::set<std::string> messages;
  for (size_t len = 0; len < good.size(); ++len) {
    const Bytes f(good.begin(), good.begin() + static_cast<ptrdiff_t>(len));
    std::string error;
    const auto img = try_parse(f, error);
    if (img) FAIL("truncated to " << len << " bytes, it still parses");
    if (error.empty()) FAIL("truncated to " << len << " bytes: no error message");
    messages.insert(error);
  }
  CHECK(messages.size() > 3);  // different cuts are reported differently
}

TEST_CASE("flipping any byte of the note never crashes and keeps the invariants") {
  const Bytes good = two_kernels();
  const Layout L(good);
  const size_t note_end = L.desc + L.descsz;
  size_t accepted = 0, refused = 0;
  for (size_t off = L.note; off < note_end; ++off) {
    for (uint8_t mask : {0x01, 0x10, 0x80, 0xFF}) {
      Bytes f = good;
      f[off] ^= mask;
      std::string error;
      const auto img = try_parse(f, error);
      if (img) {
        check_invariants(*img);
        ++accepted;
      } else {
        if (error.empty()) FAIL("offset " << off << ": refused without a message");
        ++refused;
      }
      // The note's name identifies it: any change hides the metadata.
      if (off >= L.note + 12 && off < L.note + 20 && img)
        FAIL("note name byte " << off - L.note - 12 << " changed, yet the note was read");
    }
  }
  CHECK(refused > 0);
  CHECK(accepted > 0);  // e.g. flags, stack size and padding bytes are free
}

TEST_CASE("seeded mutation fuzz never crashes and keeps the invariants") {
  const Bytes good = two_kernels();
  const Layout L(good);
  std::mt19937_64 rng(0x7e55e7a1u);
  auto pick = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng); };
  // Structures where a mutation is most likely to matter.
  std::vector<std::pair<size_t, size_t>> hot = {
      {0, sizeof(Elf64_Ehdr)},
      {L.eh.e_phoff, L.eh.e_phnum * sizeof(Elf64_Phdr)},
      {L.eh.e_shoff, L.eh.e_shnum * sizeof(Elf64_Shdr)},
      {L.note, 20 + L.descsz}};
  for (const char* s : {".dynsym", ".dynstr", ".dynamic", ".rela.dyn"}) {
    const Elf64_Shdr sh = L.section(s);
    hot.emplace_back(sh.sh_offset, sh.sh_size);
  }
  constexpr uint64_t interesting[] = {0,          1,          7,          8,
                                      0x7F,       0x80,       0xFF,       0xFFFF,
                                      0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000,
                                      1ull << 32, 1ull << 40, ~0ull,      ~0ull - 7};
  // TESSERA_FUZZ_ITERATIONS=N runs a longer campaign by hand.
  const char* env = std::getenv("TESSERA_FUZZ_ITERATIONS");
  const long iterations = env ? std::max(1000L, std::atol(env)) : 20000L;
  size_t accepted = 0, refused = 0;
  Bytes out;
  for (long iter = 0; iter < iterations; ++iter) {
    Bytes f = good;
    const int mutations = 1 + static_cast<int>(pick(4));
    for (int m = 0; m < mutations; ++m) {
      size_t off;
      if (pick(4) != 0) {
        const auto& [begin, size] = hot[pick(hot.size())];
        off = begin + pick(size);
      } else {
        off = pick(f.size());
      }
      switch (pick(4)) {
        case 0: f[off] ^= uint8_t(1u << pick(8)); break;
        case 1: f[off] = static_cast<uint8_t>(pick(256)); break;
        case 2:
        case 3: {
          const uint64_t v = interesting[pick(std::size(interesting))];
          const size_t width = pick(2) ? 4 : 8;
          for (size_t i = 0; i < width && off + i < f.size(); ++i) f[off + i] = uint8_t(v >> (8 * i));
          break;
        }
      }
    }
    if (pick(50) == 0) f.resize(pick(f.size()));
    std::string error;
    const auto img = try_parse(f, error);
    if (!img) {
      if (error.empty()) FAIL("iteration " << iter << ": refused without a message");
      ++refused;
      continue;
    }
    ++accepted;
    check_invariants(*img);
    if (img->size <= (64u << 20)) {
      out.assign(img->size, 0);
      tessera::codeobj::materialize(*img, 0x100000000, out);
    }
  }
  INFO("accepted " << accepted << ", refused " << refused);
  CHECK(accepted > size_t(iterations / 100));
  CHECK(refused > size_t(iterations / 20));
}
