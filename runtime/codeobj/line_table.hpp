// SPDX-License-Identifier: Apache-2.0
// Source lines and functions for code-object offsets: a reader of the
// symbol table and of the DWARF (versions 2 to 4) line table in a code object's .debug_line section, as tessc -g
// writes it. Safe on any input: malformed data gives "no line".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace tessera::codeobj {

struct SourceLine {
  std::string file;  // as recorded (directory/name when the directory is known)
  uint32_t line = 0;
};

// The line of the instruction at `offset` from the load base, if the code
// object has a line table covering it.
std::optional<SourceLine> find_line(std::span<const uint8_t> file, uint64_t offset);

// The function symbol containing `offset` and the offset into it, if the
// code object's symbol table (.symtab, else .dynsym) has one.
struct FunctionAt {
  std::string name;
  uint64_t offset = 0;
};
std::optional<FunctionAt> find_function(std::span<const uint8_t> file, uint64_t offset);

// A data object of the symbol table (any binding) by name.
struct ObjectAt {
  uint64_t offset = 0;  // from the load base
  uint64_t size = 0;
};
std::optional<ObjectAt> find_object(std::span<const uint8_t> file, const char* name);

}  // namespace tessera::codeobj
