// SPDX-License-Identifier: Apache-2.0
// Decoding and validating the descriptor of the Tessera kernel note
// (include/tessera/hw/t1_codeobj.h), independent of the ELF container.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codeobj.hpp"

namespace tessera::codeobj::detail {

struct NoteContents {
  uint32_t version = 0;
  std::vector<KernelInfo> kernels;  // entry is not known here (left 0)
};

// Checks everything docs/hardware/code-objects.md lists for the descriptor
// (offsets, counts, sizes, alignment, versions) in 64-bit arithmetic.
// `unsupported_version` (when given) is set when the only problem found is
// a note major version other than kSupportedMajor.
std::optional<NoteContents> parse_note_descriptor(std::span<const uint8_t> desc,
                                                  std::string& error,
                                                  bool* unsupported_version = nullptr);

// `name` made safe for an error message: quoted, non-printable bytes
// escaped, long names shortened.
std::string quote_name(std::string_view name);

}  // namespace tessera::codeobj::detail
