// SPDX-License-Identifier: Apache-2.0
#include "loop_count.hpp"

#include <map>
#include <sstream>
#include <vector>

namespace tessera::bench {

namespace {

std::string trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

// An instruction line: not a label, comment or directive, except `.insn`
// (the headers emit Xtessera instructions that way).
bool is_instruction(const std::string& line) {
  if (line.empty() || line[0] == '#' || line.back() == ':') return false;
  return line[0] != '.' || line.rfind(".insn", 0) == 0;
}

// The last operand of an instruction (a branch's target).
std::string last_operand(const std::string& line) {
  const size_t p = line.find_last_of(", \t");
  return p == std::string::npos ? "" : line.substr(p + 1);
}

}  // namespace

LoopCount count_loop_instructions(const std::string& assembly, const std::string& function) {
  LoopCount c;
  std::istringstream in(assembly);
  std::string raw;
  bool inside = false;
  std::vector<std::string> insns;
  std::map<std::string, size_t> labels;  // label -> index of the next instruction
  while (std::getline(in, raw)) {
    const std::string line = trim(raw);
    if (!inside) {
      inside = line == function + ":";
      continue;
    }
    if (line.rfind(".Lfunc_end", 0) == 0) break;
    if (!line.empty() && line.back() == ':') {
      labels[line.substr(0, line.size() - 1)] = insns.size();
    } else if (is_instruction(line)) {
      insns.push_back(line);
    }
  }
  if (!inside || insns.empty()) {
    c.error = "function " + function + " not found in the assembly";
    return c;
  }
  unsigned loops = 0;
  for (size_t i = 0; i < insns.size(); ++i) {
    const auto it = labels.find(last_operand(insns[i]));
    if (it == labels.end() || it->second > i) continue;  // not a backward branch
    ++loops;
    c.body = static_cast<unsigned>(i - it->second + 1);
  }
  if (loops != 1) {
    c.error = function + " has " + std::to_string(loops) + " loops; exactly one is expected";
    return c;
  }
  c.outside = static_cast<unsigned>(insns.size()) - c.body;
  c.ok = true;
  return c;
}

}  // namespace tessera::bench
