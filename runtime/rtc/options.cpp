// SPDX-License-Identifier: Apache-2.0
#include "options.hpp"

namespace tessera::rtc {

namespace {

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// The standards the device headers are written for (docs/cuda-features.md).
bool known_standard(const std::string& s) { return s == "c++14" || s == "c++17" || s == "c++20"; }

}  // namespace

ParsedOptions parse_options(const std::vector<std::string>& args) {
  ParsedOptions p;
  compiler::Options& o = p.options;
  auto fail = [&](const std::string& message) {
    p.error = "error: " + message + "\n";
    return p;
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    // -I, -D and -U take their value joined or as the next option string.
    auto value = [&](const char* flag, std::string& v) {
      if (!starts_with(a, flag)) return false;
      v = a.size() > 2 ? a.substr(2) : (i + 1 < args.size() ? args[++i] : std::string());
      return true;
    };
    std::string v;
    if (a.size() == 3 && starts_with(a, "-O") && a[2] >= '0' && a[2] <= '3') {
      o.opt_level = a[2] - '0';
    } else if (a == "-g" || a == "-G" || a == "--device-debug" || a == "-lineinfo" ||
               a == "--generate-line-info") {
      // T1 debug information is line tables only: all four mean the same.
      o.debug_info = true;
    } else if (starts_with(a, "-std=") || starts_with(a, "--std=")) {
      const std::string std = a.substr(a.find('=') + 1);
      if (!known_standard(std)) return fail("unsupported language standard '" + std + "' (c++14, c++17 or c++20)");
      o.language_standard = std;
    } else if (starts_with(a, "--include-path=")) {
      v = a.substr(a.find('=') + 1);
      if (v.empty()) return fail("option '--include-path=' needs a directory");
      o.include_dirs.push_back(v);
    } else if (starts_with(a, "--define-macro=")) {
      v = a.substr(a.find('=') + 1);
      if (v.empty()) return fail("option '--define-macro=' needs a macro");
      o.defines.push_back(v);
    } else if (starts_with(a, "--undefine-macro=")) {
      v = a.substr(a.find('=') + 1);
      if (v.empty()) return fail("option '--undefine-macro=' needs a macro");
      o.undefines.push_back(v);
    } else if (value("-I", v)) {
      if (v.empty()) return fail("option '-I' needs a directory");
      o.include_dirs.push_back(v);
    } else if (value("-D", v)) {
      if (v.empty() || v[0] == '=') return fail("option '-D' needs a macro name");
      o.defines.push_back(v);
    } else if (value("-U", v)) {
      if (v.empty()) return fail("option '-U' needs a macro name");
      o.undefines.push_back(v);
    } else if (a == "-w" || (starts_with(a, "-W") && a.size() > 2)) {
      o.warning_flags.push_back(a);
    } else {
      return fail("unknown option '" + a + "'");
    }
  }
  p.ok = true;
  return p;
}

}  // namespace tessera::rtc
