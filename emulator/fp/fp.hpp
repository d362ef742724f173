// SPDX-License-Identifier: Apache-2.0
// Exact IEEE-754 semantics of the RISC-V F and D extensions (unprivileged
// ISA, chapters "F" and "D"): the scalar reference the SIMT core falls back
// to, per lane, whenever its vectorized host fast path cannot be used.
//
// Semantics (all bit-exact with the ISA specification):
//  * Operands and results are raw bit patterns: uint32_t for binary32,
//    uint64_t for binary64. NaN-boxing is the caller's business: these
//    functions see the already unboxed single.
//  * `rm` is one of RNE, RTZ, RDN, RUP, RMM. The reserved encodings 5 and 6
//    and DYN (7) must be resolved or rejected by the caller; passing them is
//    a precondition violation.
//  * Raised exceptions are ORed into `flags` (RISC-V fflags bit order), never
//    cleared: fflags are sticky.
//  * Every NaN result is the canonical NaN (0x7fc00000 / 0x7ff8000000000000);
//    NaN payloads are never propagated. A signaling NaN operand raises NV.
//  * Tininess is detected after rounding (as RISC-V requires): UF is raised
//    when the result rounded to the destination precision with an unbounded
//    exponent lies strictly between -2^emin and 2^emin, AND the delivered
//    result is inexact. Overflow raises OF|NX and delivers infinity or the
//    largest finite number, depending on the rounding direction.
//  * An exact zero sum (x + -x, also in the fused forms) is +0, or -0 under
//    RDN.
//  * Fused forms round once: madd = a*b+c, msub = a*b-c,
//    nmsub = -(a*b)+c, nmadd = -(a*b)-c (the product is negated, not the
//    rounded result, so directed rounding modes apply to the stated
//    expression). inf*0 raises NV even when c is a quiet NaN.
//  * min/max (ISA 2.2+, IEEE 754-2019 minimumNumber/maximumNumber): -0 < +0;
//    one NaN operand -> the other operand; two NaNs -> canonical NaN; any
//    signaling NaN raises NV (also when the other operand is returned).
//  * eq raises NV only for signaling NaN operands; lt/le raise NV for any NaN
//    operand. All return 0 when an operand is NaN.
//  * Float -> integer: rounded per `rm`, then saturated. NaN and +inf give
//    the type's maximum, -inf its minimum (0 for unsigned); a rounded value
//    out of range gives the nearest bound. Out-of-range and NaN raise NV
//    only; in-range inexact results raise NX. -0.5 -> unsigned under RTZ/RNE
//    is 0 with NX (the rounded value is in range); under RDN it rounds to -1
//    and is invalid. The return value is the 64-bit register value: 32-bit
//    forms (both W and WU) are sign-extended from bit 31.
//  * f32 -> f64 is exact (only a signaling NaN raises NV); f64 -> f32 rounds.
//  * classify returns the 10-bit FCLASS mask (bit 0 = -inf ... bit 9 = qNaN).
//
// Implementation: for RNE/RTZ/RDN/RUP the arithmetic runs on the host's SSE
// unit (which implements IEEE 754 with tininess after rounding, like RISC-V)
// with MXCSR set for the operation and the caller's MXCSR restored after;
// fused forms use the host FMA instruction when the CPU has one. RMM (ties
// away from zero) does not exist on x86, so it — and FMA on hosts without
// it — is computed by an integer soft-float core (fp_soft.hpp) that rounds
// exact or sticky-jammed intermediate results with every mode. Conversions to
// and from integers are integer code for every mode (no UB-prone casts).
// Nothing here allocates or touches the x87 unit.
#pragma once

#include <cstdint>

namespace tessera::emu::fp {

// Rounding modes, as encoded in the rm field and in frm.
enum : uint8_t { RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4 };

// Exception flags, as laid out in fflags.
enum : uint8_t { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };

inline constexpr uint32_t kCanonicalNaN32 = 0x7fc00000u;
inline constexpr uint64_t kCanonicalNaN64 = 0x7ff8000000000000ull;

// FCLASS result bits.
enum : uint16_t {
  kClassNegInf = 1u << 0,
  kClassNegNormal = 1u << 1,
  kClassNegSubnormal = 1u << 2,
  kClassNegZero = 1u << 3,
  kClassPosZero = 1u << 4,
  kClassPosSubnormal = 1u << 5,
  kClassPosNormal = 1u << 6,
  kClassPosInf = 1u << 7,
  kClassSNaN = 1u << 8,
  kClassQNaN = 1u << 9,
};

// ---- binary32 ----
uint32_t f32_add(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags);
uint32_t f32_sub(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags);
uint32_t f32_mul(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags);
uint32_t f32_div(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags);
uint32_t f32_sqrt(uint32_t a, uint8_t rm, uint8_t& flags);
uint32_t f32_madd(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags);
uint32_t f32_msub(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags);
uint32_t f32_nmsub(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags);
uint32_t f32_nmadd(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags);
uint32_t f32_min(uint32_t a, uint32_t b, uint8_t& flags);
uint32_t f32_max(uint32_t a, uint32_t b, uint8_t& flags);
bool f32_eq(uint32_t a, uint32_t b, uint8_t& flags);
bool f32_lt(uint32_t a, uint32_t b, uint8_t& flags);
bool f32_le(uint32_t a, uint32_t b, uint8_t& flags);
uint16_t f32_classify(uint32_t a);

// ---- binary64 ----
uint64_t f64_add(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags);
uint64_t f64_sub(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags);
uint64_t f64_mul(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags);
uint64_t f64_div(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags);
uint64_t f64_sqrt(uint64_t a, uint8_t rm, uint8_t& flags);
uint64_t f64_madd(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags);
uint64_t f64_msub(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags);
uint64_t f64_nmsub(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags);
uint64_t f64_nmadd(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags);
uint64_t f64_min(uint64_t a, uint64_t b, uint8_t& flags);
uint64_t f64_max(uint64_t a, uint64_t b, uint8_t& flags);
bool f64_eq(uint64_t a, uint64_t b, uint8_t& flags);
bool f64_lt(uint64_t a, uint64_t b, uint8_t& flags);
bool f64_le(uint64_t a, uint64_t b, uint8_t& flags);
uint16_t f64_classify(uint64_t a);

// ---- sign injection (pure bit operations: no flags, NaNs pass unchanged) ----
constexpr uint32_t f32_sgnj(uint32_t a, uint32_t b) { return (a & 0x7fffffffu) | (b & 0x80000000u); }
constexpr uint32_t f32_sgnjn(uint32_t a, uint32_t b) { return (a & 0x7fffffffu) | (~b & 0x80000000u); }
constexpr uint32_t f32_sgnjx(uint32_t a, uint32_t b) { return a ^ (b & 0x80000000u); }
constexpr uint64_t f64_sgnj(uint64_t a, uint64_t b) { return (a & ~(1ull << 63)) | (b & (1ull << 63)); }
constexpr uint64_t f64_sgnjn(uint64_t a, uint64_t b) { return (a & ~(1ull << 63)) | (~b & (1ull << 63)); }
constexpr uint64_t f64_sgnjx(uint64_t a, uint64_t b) { return a ^ (b & (1ull << 63)); }

// ---- conversions between formats ----
uint32_t f64_to_f32(uint64_t a, uint8_t rm, uint8_t& flags);
uint64_t f32_to_f64(uint32_t a, uint8_t& flags);  // exact

// ---- float -> integer (FCVT.{W,WU,L,LU}.{S,D}); returns the x-register value ----
uint64_t f32_to_i32(uint32_t a, uint8_t rm, uint8_t& flags);
uint64_t f32_to_u32(uint32_t a, uint8_t rm, uint8_t& flags);
uint64_t f32_to_i64(uint32_t a, uint8_t rm, uint8_t& flags);
uint64_t f32_to_u64(uint32_t a, uint8_t rm, uint8_t& flags);
uint64_t f64_to_i32(uint64_t a, uint8_t rm, uint8_t& flags);
uint64_t f64_to_u32(uint64_t a, uint8_t rm, uint8_t& flags);
uint64_t f64_to_i64(uint64_t a, uint8_t rm, uint8_t& flags);
uint64_t f64_to_u64(uint64_t a, uint8_t rm, uint8_t& flags);

// ---- integer -> float (FCVT.{S,D}.{W,WU,L,LU}) ----
uint32_t i32_to_f32(int32_t a, uint8_t rm, uint8_t& flags);
uint32_t u32_to_f32(uint32_t a, uint8_t rm, uint8_t& flags);
uint32_t i64_to_f32(int64_t a, uint8_t rm, uint8_t& flags);
uint32_t u64_to_f32(uint64_t a, uint8_t rm, uint8_t& flags);
uint64_t i32_to_f64(int32_t a, uint8_t rm, uint8_t& flags);  // exact
uint64_t u32_to_f64(uint32_t a, uint8_t rm, uint8_t& flags);  // exact
uint64_t i64_to_f64(int64_t a, uint8_t rm, uint8_t& flags);
uint64_t u64_to_f64(uint64_t a, uint8_t rm, uint8_t& flags);

// ---- host fast-path support ----

// Maps host <cfenv> exception bits (FE_INEXACT, ...) to RISC-V fflags bits.
uint8_t host_flags_to_riscv(int fe_flags);

// True for the modes the host FPU implements (RNE, RTZ, RDN, RUP).
constexpr bool host_supports(uint8_t rm) { return rm <= RUP; }

// Sets the host rounding mode (fesetround: SSE and x87) to the RISC-V mode
// `rm` for the lifetime of the scope and restores the previous mode after.
// `rm` must satisfy host_supports(); RMM has no host equivalent.
class RoundingScope {
 public:
  explicit RoundingScope(uint8_t rm) noexcept;
  ~RoundingScope();
  RoundingScope(const RoundingScope&) = delete;
  RoundingScope& operator=(const RoundingScope&) = delete;

 private:
  int saved_;
};

}  // namespace tessera::emu::fp
