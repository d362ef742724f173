// SPDX-License-Identifier: Apache-2.0
// F and D instructions. Each operation has two forms that must agree bit for
// bit: a fast form computed by the host FPU over all lanes at once (used for
// round-to-nearest-even when it raises no exception flag that a running lane
// does not already have), and the exact scalar reference from emulator/fp,
// used per lane otherwise. Because fflags are sticky, the fast form covers
// nearly every instruction once a kernel has raised "inexact".
//
// This file is compiled with -ffp-contract=off so the host compiler never
// fuses a multiply and an add the program did not fuse.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <xmmintrin.h>

#include "fp/fp.hpp"
#include "interp_core.hpp"
#include "isa/op.hpp"

namespace tessera::emu::TESSERA_SIMT_VARIANT {

namespace {

using u64 = uint64_t;
using u32 = uint32_t;

constexpr u32 kCanonicalNaN32 = 0x7fc00000u;
constexpr u64 kCanonicalNaN64 = 0x7ff8000000000000ull;

// Singles live NaN-boxed in 64-bit registers; a value that is not properly
// boxed reads as the canonical NaN.
inline u32 unbox(u64 v) { return (v >> 32) == 0xffffffffu ? static_cast<u32>(v) : kCanonicalNaN32; }
inline u64 box(u32 v) { return 0xffffffff00000000ull | v; }
inline float as_f(u32 v) { return std::bit_cast<float>(v); }
inline double as_d(u64 v) { return std::bit_cast<double>(v); }
inline u32 bits(float v) { return std::bit_cast<u32>(v); }
inline u64 bits(double v) { return std::bit_cast<u64>(v); }

// The host's SSE exception flags live in MXCSR (bits 0..5: IE DE ZE OE UE
// PE). They are read and written directly: fetestexcept/feclearexcept also
// save and restore the x87 environment, which costs more than the 32 lanes
// of arithmetic they would guard. The empty asm statements with a memory
// clobber keep the compiler from moving the lane loop (which loads and
// stores memory) across the flag accesses.
constexpr unsigned kMxcsrFlags = 0x3F;

inline unsigned read_mxcsr() {
  __asm__ volatile("" ::: "memory");
  const unsigned csr = _mm_getcsr();
  __asm__ volatile("" ::: "memory");
  return csr;
}

// RISC-V flags (NX=1 UF=2 OF=4 DZ=8 NV=16) as MXCSR flag bits, and back.
inline unsigned riscv_to_mxcsr(uint8_t f) {
  return ((f & 1) ? 0x20u : 0) | ((f & 2) ? 0x10u : 0) | ((f & 4) ? 0x08u : 0) |
         ((f & 8) ? 0x04u : 0) | ((f & 16) ? 0x01u : 0);
}

// Which results of an operation could come with a flag other than NX
// (see FpExec::try_fast).
enum class Risk : uint8_t {
  None,       // integer to float: only NX is possible
  NaN,        // widening: NV only for a signaling NaN, which gives NaN
  NonFinite,  // add, sub, sqrt: NV gives NaN, OF gives inf; tiny sums are exact
  Tiny,       // mul, div, narrowing: also UF, for zero or subnormal results
  Fused,      // as Tiny; and a NaN result always takes the exact path
};

// Where a result goes and how it is stored.
enum class Dst : uint8_t { F32, F64, X };

// The register value of a host result: a NaN becomes the canonical NaN (as
// RISC-V requires), a single is NaN-boxed. `nan` tells whether it was NaN.
inline u64 finish(u64 r, Dst dst, bool& nan) {
  if (dst == Dst::F32) {
    nan = (static_cast<u32>(r) & 0x7fffffffu) > 0x7f800000u;
    return box(nan ? kCanonicalNaN32 : static_cast<u32>(r));
  }
  nan = dst == Dst::F64 && (r & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
  return nan ? kCanonicalNaN64 : r;
}

// Prepares MXCSR to reveal flags the lanes do not have yet (`have`, RISC-V
// bits): clears those (rarely needed, MXCSR keeps its flags between
// instructions) and returns the MXCSR flag bits to look at afterwards.
inline unsigned watch_new_flags(uint8_t have) {
  const unsigned watch = kMxcsrFlags & ~(riscv_to_mxcsr(have) | 0x02u);  // DE: no RISC-V flag
  const unsigned before = read_mxcsr();
  if (before & watch) _mm_setcsr(before & ~watch);
  return watch;
}


class FpExec {
 public:
  FpExec(Interp& in, const DecodedInsn& d) : in_(in), w_(in.w), d_(d) {}

  // The rounding mode for the whole group, or -1 when lanes differ.
  // Returns false (illegal instruction) for a reserved mode.
  bool resolve_rm() {
    if (d_.rm != 7) {
      if (d_.rm > fp::RMM) return false;
      uniform_rm_ = d_.rm;
      return true;
    }
    if (w_.frm_uniform != kFrmMixed) {
      if (w_.frm_uniform > fp::RMM) return false;
      uniform_rm_ = w_.frm_uniform;
      return true;
    }
    const unsigned l0 = first_lane(in_.active);
    const uint8_t r0 = w_.frm[l0];
    bool uniform = true;
    for (LaneMask m = in_.active; m; m &= m - 1) {
      const uint8_t r = w_.frm[first_lane(m)];
      if (r > fp::RMM) return false;
      uniform &= r == r0;
    }
    uniform_rm_ = uniform ? r0 : -1;
    return true;
  }

  uint8_t lane_rm(unsigned l) const { return d_.rm != 7 ? d_.rm : w_.frm[l]; }

  // Flags every running lane already has: raising only these changes nothing.
  uint8_t common_flags() const {
    if (in_.full()) {
      uint64_t q[kLanes / 8];
      std::memcpy(q, w_.fflags, sizeof q);
      uint64_t a = q[0] & q[1] & q[2] & q[3];
      a &= a >> 32;
      a &= a >> 16;
      a &= a >> 8;
      return static_cast<uint8_t>(a & 0x1F);
    }
    uint8_t c = 0x1F;
    for (LaneMask m = in_.active; m; m &= m - 1) c &= w_.fflags[first_lane(m)];
    return c;
  }

  // Runs `host(l)` over all lanes under round-to-nearest-even and returns
  // the running lanes whose result or flags it could not vouch for: they
  // take the exact path (all of them when the fast form does not apply).
  //
  // Steady state (every running lane already has NX): a result that is
  // finite and not tiny cannot have come with NV, DZ, OF or UF, so a
  // vectorized look at the results (`risk` says which ones are suspect for
  // this operation) replaces reading MXCSR, which waits for the FP pipeline
  // to drain. Otherwise MXCSR tells which flags the lane loop raised; when
  // that is only "inexact", lanes that already have NX are done and only
  // the others need the exact path (the first rounded result of a thread
  // would otherwise send the whole warp down it).
  template <class Host>
  LaneMask try_fast(u64* v, Dst dst, Risk risk, Host&& host) {
    if (uniform_rm_ != fp::RNE) return in_.active;
    if (in_.single >= 0)
      return try_fast_one(static_cast<unsigned>(in_.single), v, dst, risk, host) ? 0 : in_.active;
    const uint8_t common = common_flags();
    if (common & fp::NX) {
      for (unsigned l = 0; l < kLanes; ++l) v[l] = host(l);
      if (!suspect(v, dst, risk)) {
        // No NaN can be among them (suspect); singles still need boxing.
        if (dst == Dst::F32)
          for (unsigned l = 0; l < kLanes; ++l) v[l] = box(static_cast<u32>(v[l]));
        return 0;
      }
    }
    const unsigned watch = watch_new_flags(common);
    // The results go through an array whose address an asm statement sees,
    // so the lane loop completes before the flag read (v itself stays free
    // to live in registers on the path above).
    alignas(64) u64 vm[kLanes];
    for (unsigned l = 0; l < kLanes; ++l) vm[l] = host(l);
    __asm__ volatile("" : : "r"(vm) : "memory");
    const unsigned raised = read_mxcsr() & watch;
    if (raised & ~0x20u) return in_.active;
    // x86 FMA raises no invalid flag for inf*0 + qNaN, RISC-V does: a fused
    // op with a NaN result takes the exact path, which knows.
    u64 any_nan = 0;
    for (unsigned l = 0; l < kLanes; ++l) {
      bool nan;
      v[l] = finish(vm[l], dst, nan);
      any_nan |= nan;
    }
    if (any_nan && risk == Risk::Fused) return in_.active;
    if (!raised) return 0;
    LaneMask need = 0;
    for (LaneMask m = in_.active; m; m &= m - 1)
      if (!(w_.fflags[first_lane(m)] & fp::NX)) need |= m & -m;
    return need;
  }

  // try_fast for a group of one lane: the host computes just that lane.
  template <class Host>
  bool try_fast_one(unsigned l, u64* v, Dst dst, Risk risk, Host&& host) {
    bool nan;
    if (w_.fflags[l] & fp::NX) {
      // Steady state, as in try_fast: a result that is finite and not tiny
      // raised nothing beyond NX.
      const u64 r = host(l);
      if (!suspect_one(r, dst, risk)) {
        v[l] = finish(r, dst, nan);
        return true;
      }
    }
    const unsigned watch = watch_new_flags(w_.fflags[l]);
    u64 r = host(l);
    // r lives in a register: tie it to an asm statement so the computation
    // cannot sink below the flag read (the memory clobbers order memory only).
    __asm__ volatile("" : "+r"(r));
    if (read_mxcsr() & watch) return false;
    r = finish(r, dst, nan);
    if (nan && risk == Risk::Fused) return false;
    v[l] = r;
    return true;
  }

  // Whether one result could carry a flag other than NX (see Risk): its
  // magnitude e lies outside [smallest normal + 1 ulp, largest finite]
  // (for NaN risk: is above infinity). With e below the sign bit, that is
  // the sign bit of e + hi_bias or of e - lo; OR-ing those over all lanes
  // keeps the test one cheap reduction.
  template <class U>
  static U suspect_bits(U e, Risk risk) {
    constexpr U min_normal = static_cast<U>(sizeof(U) == 4 ? 0x00800000ull : 0x0010000000000000ull);
    const U hi_bias = risk == Risk::NaN ? min_normal - 1 : min_normal;
    const bool low = risk == Risk::Tiny || risk == Risk::Fused;
    return (e + hi_bias) | (low ? e - (min_normal + 1) : 0);
  }

  static bool suspect_one(u64 r, Dst dst, Risk risk) {
    if (risk == Risk::None) return false;
    if (dst == Dst::F32) return suspect_bits<u32>(static_cast<u32>(r) & 0x7fffffffu, risk) >> 31;
    return suspect_bits<u64>(r & 0x7fffffffffffffffull, risk) >> 63;
  }

  // Whether a running lane's result could carry a flag other than NX.
  bool suspect(const u64* v, Dst dst, Risk risk) const {
    if (risk == Risk::None) return false;
    u64 acc = 0;
    if (dst == Dst::F32) {
      for (unsigned l = 0; l < kLanes; ++l)
        acc |= u64{suspect_bits<u32>(static_cast<u32>(v[l]) & 0x7fffffffu, risk)} << 32 & w_.blend[l];
    } else {
      for (unsigned l = 0; l < kLanes; ++l) acc |= suspect_bits<u64>(v[l] & 0x7fffffffffffffffull, risk) & w_.blend[l];
    }
    return acc >> 63;
  }

  // Exact per-lane evaluation; `soft(l, rm, flags)` returns the register
  // value to write (already boxed / sign-extended).
  // Exact per-lane evaluation of the lanes in `need`, which are either all
  // running lanes or some whose v[] the fast path filled.
  template <class Soft>
  void exact(u64* v, Soft&& soft, LaneMask need) {
    if (need == in_.active)
      for (unsigned l = 0; l < kLanes; ++l) v[l] = 0;  // lanes that do not run
    for (LaneMask m = need; m; m &= m - 1) {
      const unsigned l = first_lane(m);
      uint8_t flags = 0;
      v[l] = soft(l, lane_rm(l), flags);
      w_.fflags[l] |= flags;
    }
  }

  void write(Dst dst, const u64* v) {
    if (dst == Dst::X) {
      in_.write_x(d_.rd, [&](unsigned l) { return v[l]; });
    } else {
      in_.write_f(d_.rd, [&](unsigned l) { return v[l]; });
    }
  }

  // An operation with a fast host form and an exact form.
  template <class Host, class Soft>
  Flow op(Dst dst, Risk risk, Host&& host, Soft&& soft) {
    alignas(64) u64 v[kLanes];
    if (const LaneMask need = try_fast(v, dst, risk, host)) exact(v, soft, need);
    write(dst, v);
    return Flow::Next;
  }

  // A single-precision operation: `host(a, b, c)` computes one lane on host
  // floats (c is unused by binary and unary operations). A group in the
  // steady state (round-to-nearest-even, every running lane already inexact,
  // every operand properly boxed) runs on 32-bit lanes: half the vector work
  // of the 64-bit register layout, and no per-lane unboxing. Everything else
  // (a single lane included) goes through `op`.
  template <unsigned Operands, class Host, class Soft>
  Flow op_s(Risk risk, Host&& host, Soft&& soft) {
    // Fields of operands the instruction does not have hold other bits.
    const u64* fa = w_.f[d_.rs1];
    const u64* fb = Operands >= 2 ? w_.f[d_.rs2] : fa;
    const u64* fc = Operands >= 3 ? w_.f[d_.rs3] : fa;
    if (uniform_rm_ == fp::RNE && in_.single < 0 && (common_flags() & fp::NX)) {
      // A full warp skips the masking (the common case in convergent code).
      if (in_.full() ? fast_s<true>(fa, fb, fc, risk, host) : fast_s<false>(fa, fb, fc, risk, host))
        return Flow::Next;
    }
    return op(Dst::F32, risk,
              [&](unsigned l) { return u64{bits(host(as_f(unbox(fa[l])), as_f(unbox(fb[l])), as_f(unbox(fc[l]))))}; },
              soft);
  }

  // The 32-bit lane form of op_s; false when it does not apply.
  template <bool Full, class Host>
  [[gnu::always_inline]] bool fast_s(const u64* fa, const u64* fb, const u64* fc, Risk risk, Host& host) {
    // Lanes outside the group count as boxed, and show the result check 1.0.
    const u64* running = w_.blend;  // all-ones for running lanes
    u64 boxed = ~u64{0};
    for (unsigned l = 0; l < kLanes; ++l) boxed &= (fa[l] & fb[l] & fc[l]) | (Full ? 0 : ~running[l]);
    if ((boxed >> 32) != 0xffffffffu) return false;
    alignas(64) u32 r[kLanes];
    constexpr u32 kOne = 0x3f800000u;
    for (unsigned l = 0; l < kLanes; ++l) {
      const u32 v = bits(host(as_f(static_cast<u32>(fa[l])), as_f(static_cast<u32>(fb[l])), as_f(static_cast<u32>(fc[l]))));
      const u32 run = Full ? ~u32{0} : static_cast<u32>(running[l]);
      r[l] = (v & run) | (kOne & ~run);
    }
    if (suspect32(r, risk)) return false;
    in_.write_f(d_.rd, [&](unsigned l) { return box(r[l]); });
    return true;
  }

  // suspect() for 32-bit results of all 32 lanes.
  [[gnu::always_inline]] static bool suspect32(const u32* r, Risk risk) {
    if (risk == Risk::None) return false;
    u32 acc = 0;
    for (unsigned l = 0; l < kLanes; ++l) acc |= suspect_bits<u32>(r[l] & 0x7fffffffu, risk);
    return acc >> 31;
  }

  // An operation with only the exact form.
  template <class Soft>
  Flow exact_op(Dst dst, Soft&& soft) {
    alignas(64) u64 v[kLanes];
    exact(v, soft, in_.active);
    write(dst, v);
    return Flow::Next;
  }

  // An operation that raises no flags and ignores the rounding mode.
  template <class F>
  Flow pure(Dst dst, F&& f) {
    if (dst == Dst::X) {
      in_.write_x(d_.rd, f);
    } else {
      in_.write_f(d_.rd, f);
    }
    return Flow::Next;
  }

  Flow illegal() {
    in_.fault(first_lane(in_.active), T1_FAULT_ILLEGAL_INSN, T1_ACCESS_EXEC, in_.gpc, &d_);
    return Flow::Stop;
  }

  Flow run();

 private:
  Interp& in_;
  Warp& w_;
  const DecodedInsn& d_;
  int uniform_rm_ = -1;
};

Flow FpExec::run() {
  const u64* fa = w_.f[d_.rs1];
  const u64* fb = w_.f[d_.rs2];
  const u64* fc = w_.f[d_.rs3];
  const u64* xa = w_.x[d_.rs1];
  const Op op_ = d_.op;

  // One switch for everything: arithmetic, the hot part, pays for a single
  // dispatch. Loads and stores neither round nor raise flags (FLW boxes;
  // FSW stores the low 32 bits as they are, as the ISA specifies);
  // comparisons and min/max ignore the rounding mode but raise flags; every
  // other operation rounds, so its mode must be valid.
  switch (op_) {
    case Op::FLW: {
      alignas(64) u64 v[kLanes];
      if (!in_.gather<uint32_t>(xa, d_.imm, v, d_)) return Flow::Stop;
      return pure(Dst::F32, [&](unsigned l) { return box(static_cast<u32>(v[l])); });
    }
    case Op::FLD: {
      alignas(64) u64 v[kLanes];
      if (!in_.gather<uint64_t>(xa, d_.imm, v, d_)) return Flow::Stop;
      return pure(Dst::F64, [&](unsigned l) { return v[l]; });
    }
    case Op::FSW: return in_.scatter<uint32_t>(xa, d_.imm, fb, d_) ? Flow::Next : Flow::Stop;
    case Op::FSD: return in_.scatter<uint64_t>(xa, d_.imm, fb, d_) ? Flow::Next : Flow::Stop;

    // Moves and sign injection: bit operations.
    case Op::FMV_X_W: return pure(Dst::X, [&](unsigned l) { return sext32(fa[l]); });
    case Op::FMV_W_X: return pure(Dst::F32, [&](unsigned l) { return box(static_cast<u32>(xa[l])); });
    case Op::FMV_X_D: return pure(Dst::X, [&](unsigned l) { return fa[l]; });
    case Op::FMV_D_X: return pure(Dst::F64, [&](unsigned l) { return xa[l]; });
    case Op::FSGNJ_S: return pure(Dst::F32, [&](unsigned l) { return box((unbox(fa[l]) & 0x7fffffffu) | (unbox(fb[l]) & 0x80000000u)); });
    case Op::FSGNJN_S: return pure(Dst::F32, [&](unsigned l) { return box((unbox(fa[l]) & 0x7fffffffu) | (~unbox(fb[l]) & 0x80000000u)); });
    case Op::FSGNJX_S: return pure(Dst::F32, [&](unsigned l) { return box(unbox(fa[l]) ^ (unbox(fb[l]) & 0x80000000u)); });
    case Op::FSGNJ_D: return pure(Dst::F64, [&](unsigned l) { return (fa[l] & ~(u64{1} << 63)) | (fb[l] & (u64{1} << 63)); });
    case Op::FSGNJN_D: return pure(Dst::F64, [&](unsigned l) { return (fa[l] & ~(u64{1} << 63)) | (~fb[l] & (u64{1} << 63)); });
    case Op::FSGNJX_D: return pure(Dst::F64, [&](unsigned l) { return fa[l] ^ (fb[l] & (u64{1} << 63)); });
    case Op::FCLASS_S: return pure(Dst::X, [&](unsigned l) { return u64{fp::f32_classify(unbox(fa[l]))}; });
    case Op::FCLASS_D: return pure(Dst::X, [&](unsigned l) { return u64{fp::f64_classify(fa[l])}; });
    case Op::FEQ_S: uniform_rm_ = fp::RNE; return exact_op(Dst::X, [&](unsigned l, uint8_t, uint8_t& f) { return u64{fp::f32_eq(unbox(fa[l]), unbox(fb[l]), f)}; });
    case Op::FLT_S: uniform_rm_ = fp::RNE; return exact_op(Dst::X, [&](unsigned l, uint8_t, uint8_t& f) { return u64{fp::f32_lt(unbox(fa[l]), unbox(fb[l]), f)}; });
    case Op::FLE_S: uniform_rm_ = fp::RNE; return exact_op(Dst::X, [&](unsigned l, uint8_t, uint8_t& f) { return u64{fp::f32_le(unbox(fa[l]), unbox(fb[l]), f)}; });
    case Op::FEQ_D: uniform_rm_ = fp::RNE; return exact_op(Dst::X, [&](unsigned l, uint8_t, uint8_t& f) { return u64{fp::f64_eq(fa[l], fb[l], f)}; });
    case Op::FLT_D: uniform_rm_ = fp::RNE; return exact_op(Dst::X, [&](unsigned l, uint8_t, uint8_t& f) { return u64{fp::f64_lt(fa[l], fb[l], f)}; });
    case Op::FLE_D: uniform_rm_ = fp::RNE; return exact_op(Dst::X, [&](unsigned l, uint8_t, uint8_t& f) { return u64{fp::f64_le(fa[l], fb[l], f)}; });
    case Op::FMIN_S: return exact_op(Dst::F32, [&](unsigned l, uint8_t, uint8_t& f) { return box(fp::f32_min(unbox(fa[l]), unbox(fb[l]), f)); });
    case Op::FMAX_S: return exact_op(Dst::F32, [&](unsigned l, uint8_t, uint8_t& f) { return box(fp::f32_max(unbox(fa[l]), unbox(fb[l]), f)); });
    case Op::FMIN_D: return exact_op(Dst::F64, [&](unsigned l, uint8_t, uint8_t& f) { return fp::f64_min(fa[l], fb[l], f); });
    case Op::FMAX_D: return exact_op(Dst::F64, [&](unsigned l, uint8_t, uint8_t& f) { return fp::f64_max(fa[l], fb[l], f); });
    // ---- single precision arithmetic ----
    case Op::FADD_S: if (!resolve_rm()) return illegal(); return op_s<2>(Risk::NonFinite, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return a + b; },
                              [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_add(unbox(fa[l]), unbox(fb[l]), rm, f)); });
    case Op::FSUB_S: if (!resolve_rm()) return illegal(); return op_s<2>(Risk::NonFinite, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return a - b; },
                              [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_sub(unbox(fa[l]), unbox(fb[l]), rm, f)); });
    case Op::FMUL_S: if (!resolve_rm()) return illegal(); return op_s<2>(Risk::Tiny, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return a * b; },
                              [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_mul(unbox(fa[l]), unbox(fb[l]), rm, f)); });
    case Op::FDIV_S: if (!resolve_rm()) return illegal(); return op_s<2>(Risk::Tiny, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return a / b; },
                              [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_div(unbox(fa[l]), unbox(fb[l]), rm, f)); });
    case Op::FSQRT_S: if (!resolve_rm()) return illegal(); return op_s<1>(Risk::NonFinite, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return std::sqrt(a); },
                               [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_sqrt(unbox(fa[l]), rm, f)); });
    case Op::FMADD_S: if (!resolve_rm()) return illegal(); return op_s<3>(Risk::Fused, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return std::fma(a, b, c); },
                               [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_madd(unbox(fa[l]), unbox(fb[l]), unbox(fc[l]), rm, f)); });
    case Op::FMSUB_S: if (!resolve_rm()) return illegal(); return op_s<3>(Risk::Fused, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return std::fma(a, b, -c); },
                               [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_msub(unbox(fa[l]), unbox(fb[l]), unbox(fc[l]), rm, f)); });
    case Op::FNMSUB_S: if (!resolve_rm()) return illegal(); return op_s<3>(Risk::Fused, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return std::fma(-a, b, c); },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_nmsub(unbox(fa[l]), unbox(fb[l]), unbox(fc[l]), rm, f)); });
    case Op::FNMADD_S: if (!resolve_rm()) return illegal(); return op_s<3>(Risk::Fused, [](float a, [[maybe_unused]] float b, [[maybe_unused]] float c) { return std::fma(-a, b, -c); },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f32_nmadd(unbox(fa[l]), unbox(fb[l]), unbox(fc[l]), rm, f)); });

    // ---- double precision arithmetic ----
    case Op::FADD_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::NonFinite, [&](unsigned l) { return bits(as_d(fa[l]) + as_d(fb[l])); },
                              [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_add(fa[l], fb[l], rm, f); });
    case Op::FSUB_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::NonFinite, [&](unsigned l) { return bits(as_d(fa[l]) - as_d(fb[l])); },
                              [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_sub(fa[l], fb[l], rm, f); });
    case Op::FMUL_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::Tiny, [&](unsigned l) { return bits(as_d(fa[l]) * as_d(fb[l])); },
                              [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_mul(fa[l], fb[l], rm, f); });
    case Op::FDIV_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::Tiny, [&](unsigned l) { return bits(as_d(fa[l]) / as_d(fb[l])); },
                              [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_div(fa[l], fb[l], rm, f); });
    case Op::FSQRT_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::NonFinite, [&](unsigned l) { return bits(std::sqrt(as_d(fa[l]))); },
                               [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_sqrt(fa[l], rm, f); });
    case Op::FMADD_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::Fused, [&](unsigned l) { return bits(std::fma(as_d(fa[l]), as_d(fb[l]), as_d(fc[l]))); },
                               [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_madd(fa[l], fb[l], fc[l], rm, f); });
    case Op::FMSUB_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::Fused, [&](unsigned l) { return bits(std::fma(as_d(fa[l]), as_d(fb[l]), -as_d(fc[l]))); },
                               [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_msub(fa[l], fb[l], fc[l], rm, f); });
    case Op::FNMSUB_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::Fused, [&](unsigned l) { return bits(std::fma(-as_d(fa[l]), as_d(fb[l]), as_d(fc[l]))); },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_nmsub(fa[l], fb[l], fc[l], rm, f); });
    case Op::FNMADD_D: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::Fused, [&](unsigned l) { return bits(std::fma(-as_d(fa[l]), as_d(fb[l]), -as_d(fc[l]))); },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_nmadd(fa[l], fb[l], fc[l], rm, f); });

    // ---- conversions between formats ----
    case Op::FCVT_S_D: if (!resolve_rm()) return illegal(); return op(Dst::F32, Risk::Tiny, [&](unsigned l) { return u64{bits(static_cast<float>(as_d(fa[l])))}; },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::f64_to_f32(fa[l], rm, f)); });
    case Op::FCVT_D_S: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::NaN, [&](unsigned l) { return bits(static_cast<double>(as_f(unbox(fa[l])))); },
                                [&](unsigned l, uint8_t, uint8_t& f) { return fp::f32_to_f64(unbox(fa[l]), f); });

    // ---- integer to float (exact in the fast form when no flag is new) ----
    case Op::FCVT_S_W: if (!resolve_rm()) return illegal(); return op(Dst::F32, Risk::None, [&](unsigned l) { return u64{bits(static_cast<float>(static_cast<int32_t>(xa[l])))}; },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::i32_to_f32(static_cast<int32_t>(xa[l]), rm, f)); });
    case Op::FCVT_S_WU: if (!resolve_rm()) return illegal(); return op(Dst::F32, Risk::None, [&](unsigned l) { return u64{bits(static_cast<float>(static_cast<uint32_t>(xa[l])))}; },
                                 [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::u32_to_f32(static_cast<uint32_t>(xa[l]), rm, f)); });
    case Op::FCVT_S_L: if (!resolve_rm()) return illegal(); return op(Dst::F32, Risk::None, [&](unsigned l) { return u64{bits(static_cast<float>(static_cast<int64_t>(xa[l])))}; },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::i64_to_f32(static_cast<int64_t>(xa[l]), rm, f)); });
    case Op::FCVT_S_LU: if (!resolve_rm()) return illegal(); return op(Dst::F32, Risk::None, [&](unsigned l) { return u64{bits(static_cast<float>(xa[l]))}; },
                                 [&](unsigned l, uint8_t rm, uint8_t& f) { return box(fp::u64_to_f32(xa[l], rm, f)); });
    case Op::FCVT_D_W: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::None, [&](unsigned l) { return bits(static_cast<double>(static_cast<int32_t>(xa[l]))); },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::i32_to_f64(static_cast<int32_t>(xa[l]), rm, f); });
    case Op::FCVT_D_WU: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::None, [&](unsigned l) { return bits(static_cast<double>(static_cast<uint32_t>(xa[l]))); },
                                 [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::u32_to_f64(static_cast<uint32_t>(xa[l]), rm, f); });
    case Op::FCVT_D_L: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::None, [&](unsigned l) { return bits(static_cast<double>(static_cast<int64_t>(xa[l]))); },
                                [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::i64_to_f64(static_cast<int64_t>(xa[l]), rm, f); });
    case Op::FCVT_D_LU: if (!resolve_rm()) return illegal(); return op(Dst::F64, Risk::None, [&](unsigned l) { return bits(static_cast<double>(xa[l])); },
                                 [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::u64_to_f64(xa[l], rm, f); });

    // ---- float to integer: saturating, exact form only ----
    case Op::FCVT_W_S: if (!resolve_rm()) return illegal(); return exact_op(Dst::X, [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f32_to_i32(unbox(fa[l]), rm, f); });
    case Op::FCVT_WU_S: if (!resolve_rm()) return illegal(); return exact_op(Dst::X, [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f32_to_u32(unbox(fa[l]), rm, f); });
    case Op::FCVT_L_S: if (!resolve_rm()) return illegal(); return exact_op(Dst::X, [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f32_to_i64(unbox(fa[l]), rm, f); });
    case Op::FCVT_LU_S: if (!resolve_rm()) return illegal(); return exact_op(Dst::X, [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f32_to_u64(unbox(fa[l]), rm, f); });
    case Op::FCVT_W_D: if (!resolve_rm()) return illegal(); return exact_op(Dst::X, [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_to_i32(fa[l], rm, f); });
    case Op::FCVT_WU_D: if (!resolve_rm()) return illegal(); return exact_op(Dst::X, [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_to_u32(fa[l], rm, f); });
    case Op::FCVT_L_D: if (!resolve_rm()) return illegal(); return exact_op(Dst::X, [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_to_i64(fa[l], rm, f); });
    case Op::FCVT_LU_D: if (!resolve_rm()) return illegal(); return exact_op(Dst::X, [&](unsigned l, uint8_t rm, uint8_t& f) { return fp::f64_to_u64(fa[l], rm, f); });

    default: return illegal();
  }
}

}  // namespace

Flow exec_fp(Interp& in, const DecodedInsn& d) {
  FpExec e(in, d);
  return e.run();
}

}  // namespace tessera::emu::TESSERA_SIMT_VARIANT
