// SPDX-License-Identifier: Apache-2.0
// Runs a benchmark body, turning a runtime error into a skipped case with
// the runtime's message instead of an exception through Google Benchmark.
#pragma once

#include <benchmark/benchmark.h>

#include <tessera/tessera.hpp>

namespace tessera::bench {

template <class F>
void guarded(benchmark::State& state, F&& body) {
  try {
    body();
  } catch (const tessera::Error& e) {
    state.SkipWithError(e.what());
  }
}

}  // namespace tessera::bench
