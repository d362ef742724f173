// SPDX-License-Identifier: Apache-2.0
// tsrtcCompileProgram's options (tessc's, plus NVRTC's spellings of them)
// turned into the compiler library's Options.
#pragma once

#include <string>
#include <vector>

#include <tessera/compiler.hpp>

namespace tessera::rtc {

struct ParsedOptions {
  bool ok = false;
  compiler::Options options;
  std::string error;  // for the program log when !ok
};

ParsedOptions parse_options(const std::vector<std::string>& args);

}  // namespace tessera::rtc
