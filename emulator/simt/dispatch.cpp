// SPDX-License-Identifier: Apache-2.0
// Picks the interpreter build for the host CPU. The lane loops vectorize
// much better with AVX2 (64-bit compares, variable shifts) and gain again
// from hardware FMA and AVX-512; the x86-64 baseline build is the fallback.
// TESSERA_EMU_ISA=baseline|v3|v4 forces one (for benchmarks and tests).
#include <cstdlib>
#include <cstring>

#include "engine.hpp"
#include "interpreter.hpp"

namespace tessera::emu {

#define TESSERA_DECLARE_VARIANT(v) \
  namespace v {                    \
  WarpStop run_warp(ExecContext& ctx, Warp& w, uint64_t budget); \
  }
TESSERA_DECLARE_VARIANT(baseline)
#if defined(TESSERA_SIMT_MULTIVERSION)
TESSERA_DECLARE_VARIANT(v3)
TESSERA_DECLARE_VARIANT(v4)
#endif

namespace {

using RunWarpFn = WarpStop (*)(ExecContext&, Warp&, uint64_t);

struct Variant {
  const char* name;
  RunWarpFn fn;
};

Variant choose() {
#if defined(TESSERA_SIMT_MULTIVERSION)
  __builtin_cpu_init();
  const bool has_v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                      __builtin_cpu_supports("bmi2");
  const bool has_v4 = has_v3 && __builtin_cpu_supports("avx512f") &&
                      __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
                      __builtin_cpu_supports("avx512dq");
  if (const char* force = std::getenv("TESSERA_EMU_ISA")) {
    if (std::strcmp(force, "v4") == 0 && has_v4) return {"x86-64-v4", v4::run_warp};
    if (std::strcmp(force, "v3") == 0 && has_v3) return {"x86-64-v3", v3::run_warp};
    if (std::strcmp(force, "baseline") == 0) return {"x86-64", baseline::run_warp};
  }
  if (has_v4) return {"x86-64-v4", v4::run_warp};
  if (has_v3) return {"x86-64-v3", v3::run_warp};
#endif
  return {"x86-64", baseline::run_warp};
}

const Variant& variant() {
  static const Variant v = choose();
  return v;
}

}  // namespace

WarpStop run_warp(ExecContext& ctx, Warp& w, uint64_t budget) { return variant().fn(ctx, w, budget); }

const char* interpreter_isa() { return variant().name; }

}  // namespace tessera::emu
