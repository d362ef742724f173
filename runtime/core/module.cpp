// SPDX-License-Identifier: Apache-2.0
// Modules: loading code objects into device memory, and describing a
// faulting PC and access for error messages.
#include <cinttypes>
#include <cstddef>
#include <cstdio>
#include <cstring>

#include "codeobj/line_table.hpp"
#include "core/module_loader.hpp"
#include "core/runtime.hpp"

namespace tessera::rt {
namespace {

const char* cause_text(uint32_t cause) {
  switch (cause) {
    case T1_FAULT_UNMAPPED: return "unmapped address";
    case T1_FAULT_PERMISSION: return "access not permitted";
    case T1_FAULT_MISALIGNED: return "misaligned atomic";
    case T1_FAULT_SHARED_BOUNDS: return "shared-memory access out of bounds";
    case T1_FAULT_ILLEGAL_INSN: return "illegal instruction";
    case T1_FAULT_BREAKPOINT: return "breakpoint (assert or __trap)";
    case T1_FAULT_ECALL: return "ecall";
    case T1_FAULT_BAD_PAGE_TABLE: return "bad page table";
    case T1_FAULT_PHYS_RANGE: return "physical address out of range";
    case T1_FAULT_BARRIER: return "barrier that cannot complete";
    case T1_FAULT_WATCHDOG: return "watchdog timeout";
    case T1_FAULT_BAD_PACKET: return "malformed packet";
    case T1_FAULT_QUEUE_MEMORY: return "queue memory unreachable";
    case T1_FAULT_ABORTED: return "aborted";
    default: return "unknown cause";
  }
}

std::string access_text(uint32_t access) {
  if (access == (T1_ACCESS_READ | T1_ACCESS_WRITE)) return "atomic read-modify-write";
  if (access & T1_ACCESS_EXEC) return "instruction fetch";
  if (access & T1_ACCESS_WRITE) return "write";
  if (access & T1_ACCESS_READ) return "read";
  return "";
}

std::string hex(uint64_t v) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%" PRIx64, v);
  return b;
}

// What a failed assert() left in the code object's __tessera_assert_record
// (compiler/device/lib/assert.c), as "file:line: function: Assertion `e'
// failed"; "" when nothing was recorded. Clears the record for the next
// launch.
std::string take_assertion(const ModuleImage& m) {
  const auto rec = codeobj::find_object(m.file, "__tessera_assert_record");
  struct Record {
    uint64_t expression, file, function;
    uint32_t line, taken;
  };
  if (!rec || rec->size < sizeof(Record) || rec->offset > m.image.size - sizeof(Record)) return "";
  uint8_t* at = m.alloc.host + rec->offset;
  Record r;
  std::memcpy(&r, at, sizeof r);
  if (!r.taken) return "";
  const uint32_t zero = 0;
  std::memcpy(at + offsetof(Record, taken), &zero, sizeof zero);
  // The strings are in the code object's read-only data.
  auto text = [&](uint64_t va) -> std::string {
    if (va < m.alloc.va || va >= m.alloc.va + m.image.size) return "?";
    const char* p = reinterpret_cast<const char*>(m.alloc.host + (va - m.alloc.va));
    return std::string(p, strnlen(p, m.alloc.va + m.image.size - va));
  };
  return text(r.file) + ":" + std::to_string(r.line) + ": " + text(r.function) + ": Assertion `" +
         text(r.expression) + "' failed";
}

}  // namespace

std::string DeviceState::describe_pc(const ModuleImage* m, uint64_t pc) const {
  if (!m || pc < m->alloc.va || pc >= m->alloc.va + m->image.size) return hex(pc);
  const uint64_t off = pc - m->alloc.va;
  std::string s = hex(pc);
  if (auto fn = codeobj::find_function(m->file, off)) {
    s += " (" + fn->name + "+" + hex(fn->offset) + ")";
  } else {
    // No symbol table: name the kernel whose entry is the closest below.
    const codeobj::KernelInfo* best = nullptr;
    for (const auto& k : m->image.kernels)
      if (k.entry <= off && (!best || k.entry > best->entry)) best = &k;
    if (best) s += " (" + best->name + "+" + hex(off - best->entry) + ")";
  }
  if (auto line = codeobj::find_line(m->file, off)) s += " at " + line->file + ":" + std::to_string(line->line);
  return s;
}

std::string DeviceState::fault_message(const Command& c, uint32_t cause, const t1_fault_record* rec) {
  std::string s = c.what_text() + " failed on device " + std::to_string(ordinal_) + ": " + cause_text(cause);
  if (cause == T1_FAULT_WATCHDOG) s += " " + hw_.watchdog_text();
  if (!rec) return s;
  if (rec->address && cause != T1_FAULT_WATCHDOG && cause != T1_FAULT_BREAKPOINT && cause != T1_FAULT_ILLEGAL_INSN) {
    const std::string a = access_text(rec->access);
    s += ", " + (a.empty() ? std::string("address") : a + " of") + " " + hex(rec->address);
  }
  if (rec->flags & T1_FAULT_FLAG_THREAD) {
    s += ", block (" + std::to_string(rec->block_x) + "," + std::to_string(rec->block_y) + "," +
         std::to_string(rec->block_z) + ") thread (" + std::to_string(rec->thread_x) + "," +
         std::to_string(rec->thread_y) + "," + std::to_string(rec->thread_z) + ")";
    s += ", pc " + describe_pc(c.module.get(), rec->pc);
  }
  if (cause == T1_FAULT_BREAKPOINT && c.module) {
    const std::string a = take_assertion(*c.module);
    if (!a.empty()) s += "; " + a;
  }
  return s;
}

std::shared_ptr<ModuleImage> load_module(DeviceState& d, std::span<const uint8_t> bytes) {
  std::string err;
  codeobj::ParseFailure why = codeobj::ParseFailure::kMalformed;
  auto image = codeobj::parse(bytes, err, &why);
  if (!image) {
    // A note of another major version is a version mismatch (the message
    // names both versions), not a malformed image.
    fail(why == codeobj::ParseFailure::kUnsupportedVersion ? tsErrorIncompatibleVersion : tsErrorInvalidImage,
         "code object: " + err);
  }
  auto m = std::make_shared<ModuleImage>();
  m->image = std::move(*image);
  m->file.assign(bytes.begin(), bytes.end());
  if (!d.hw().alloc(m->image.size, T1_ACCESS_READ | T1_ACCESS_WRITE, m->alloc))
    fail(tsErrorMemoryAllocation, "no device memory for a code object of " + std::to_string(m->image.size) + " bytes");
  m->hw = &d.hw();
  codeobj::materialize(m->image, m->alloc.va, std::span<uint8_t>(m->alloc.host, m->image.size));
  // Page permissions: the union of the segments that touch each page.
  const uint64_t pages = m->image.size / codeobj::kImagePageSize;
  std::vector<uint32_t> perms(pages, 0);
  for (const auto& seg : m->image.segments)
    for (uint64_t p = seg.vaddr / codeobj::kImagePageSize;
         p < pages && p * codeobj::kImagePageSize < seg.vaddr + seg.memsz; ++p)
      perms[p] |= seg.perms;
  for (uint64_t p = 0; p < pages;) {
    uint64_t q = p;
    while (q < pages && perms[q] == perms[p]) ++q;
    d.hw().protect(m->alloc.va + p * codeobj::kImagePageSize, (q - p) * codeobj::kImagePageSize, perms[p]);
    p = q;
  }
  return m;
}

}  // namespace tessera::rt
