// SPDX-License-Identifier: Apache-2.0
// Figures the benchmarks record for the summary table printed after
// Google Benchmark's own report (keyed by name; the last run wins).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace tessera::bench {

inline std::map<std::string, double>& results() {
  static std::map<std::string, double> r;
  return r;
}
inline void record(const std::string& key, double value) { results()[key] = value; }
inline std::optional<double> result(const std::string& key) {
  const auto it = results().find(key);
  if (it == results().end()) return std::nullopt;
  return it->second;
}

}  // namespace tessera::bench
