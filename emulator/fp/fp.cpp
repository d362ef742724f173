// SPDX-License-Identifier: Apache-2.0
// RISC-V F/D reference semantics: host SSE arithmetic under a per-call MXCSR
// for the four IEEE rounding directions, the soft core for RMM, integer code
// for comparisons, classification and integer conversions. See fp.hpp for
// the semantics and fp_soft.hpp for the RMM reasoning.
//
// Ordering: every host instruction whose result depends on MXCSR (the
// arithmetic itself, and the reads and writes of MXCSR) is an `asm volatile`
// statement. GCC never reorders volatile asm statements with respect to each
// other and cannot constant-fold through them, so no arithmetic can be
// hoisted out of or sunk past its rounding-mode window, whatever the
// optimization level. The library is additionally built with
// -frounding-math -ffp-contract=off for the little plain C++ FP code there is.
#include "fp/fp.hpp"

#include <cassert>
#include <cfenv>
#include <cstring>

#include "fp/fp_soft.hpp"

namespace tessera::emu::fp {

namespace {

using soft::F32;
using soft::F64;

inline float as_f(uint32_t v) {
  float f;
  std::memcpy(&f, &v, sizeof f);
  return f;
}
inline double as_d(uint64_t v) {
  double d;
  std::memcpy(&d, &v, sizeof d);
  return d;
}
inline uint32_t bits(float f) {
  uint32_t v;
  std::memcpy(&v, &f, sizeof v);
  return v;
}
inline uint64_t bits(double d) {
  uint64_t v;
  std::memcpy(&v, &d, sizeof v);
  return v;
}

inline bool is_nan32(uint32_t a) { return (a & 0x7fffffffu) > 0x7f800000u; }
inline bool is_nan64(uint64_t a) { return (a & 0x7fffffffffffffffull) > 0x7ff0000000000000ull; }
inline bool is_snan32(uint32_t a) { return is_nan32(a) && !(a & 0x00400000u); }
inline bool is_snan64(uint64_t a) { return is_nan64(a) && !(a & 0x0008000000000000ull); }
inline bool is_inf32(uint32_t a) { return (a & 0x7fffffffu) == 0x7f800000u; }
inline bool is_inf64(uint64_t a) { return (a & 0x7fffffffffffffffull) == 0x7ff0000000000000ull; }
inline bool is_zero32(uint32_t a) { return (a & 0x7fffffffu) == 0; }
inline bool is_zero64(uint64_t a) { return (a & 0x7fffffffffffffffull) == 0; }
inline uint32_t canon32(uint32_t r) { return is_nan32(r) ? kCanonicalNaN32 : r; }
inline uint64_t canon64(uint64_t r) { return is_nan64(r) ? kCanonicalNaN64 : r; }

constexpr uint32_t kSign32 = 0x80000000u;
constexpr uint64_t kSign64 = 0x8000000000000000ull;

// ---- MXCSR window ----

inline uint32_t read_mxcsr() {
  uint32_t v;
  __asm__ volatile("stmxcsr %0" : "=m"(v));
  return v;
}
inline void write_mxcsr(uint32_t v) { __asm__ volatile("ldmxcsr %0" : : "m"(v)); }

// MXCSR RC field for RNE, RTZ, RDN, RUP.
constexpr uint32_t kMxcsrRc[4] = {0u << 13, 3u << 13, 1u << 13, 2u << 13};
// All exceptions masked, flags clear, DAZ and FTZ off (both would break
// IEEE subnormal semantics), rounding per rm.
constexpr uint32_t kMxcsrBase = 0x1F80u;

inline uint8_t mxcsr_to_riscv(uint32_t csr) {
  // MXCSR: IE=1 DE=2 ZE=4 OE=8 UE=16 PE=32 (DE has no RISC-V counterpart).
  return static_cast<uint8_t>(((csr & 0x20) ? NX : 0) | ((csr & 0x10) ? UF : 0) | ((csr & 0x08) ? OF : 0) |
                              ((csr & 0x04) ? DZ : 0) | ((csr & 0x01) ? NV : 0));
}

// Runs one host operation with MXCSR set for `rm`; the caller's MXCSR
// (mode, flags, masks, DAZ/FTZ) is restored exactly afterwards.
class HostWindow {
 public:
  // rm is RNE..RUP here (RMM never reaches the host; 5..7 are the caller's
  // to reject). The mask only keeps a broken caller from reading out of
  // bounds in release builds.
  explicit HostWindow(uint8_t rm) : saved_(read_mxcsr()) {
    assert(rm <= RUP);
    write_mxcsr(kMxcsrBase | kMxcsrRc[rm & 3]);
  }
  ~HostWindow() { write_mxcsr(saved_); }
  HostWindow(const HostWindow&) = delete;
  HostWindow& operator=(const HostWindow&) = delete;
  uint8_t flags() const { return mxcsr_to_riscv(read_mxcsr()); }

 private:
  uint32_t saved_;
};

// ---- host instructions (legacy SSE encodings: baseline x86-64) ----
#define TESSERA_FP_BINOP(name, insn, T)                              \
  inline T name(T a, T b) {                                          \
    __asm__ volatile(insn " %1, %0" : "+x"(a) : "x"(b));             \
    return a;                                                        \
  }
TESSERA_FP_BINOP(h_addss, "addss", float)
TESSERA_FP_BINOP(h_subss, "subss", float)
TESSERA_FP_BINOP(h_mulss, "mulss", float)
TESSERA_FP_BINOP(h_divss, "divss", float)
TESSERA_FP_BINOP(h_addsd, "addsd", double)
TESSERA_FP_BINOP(h_subsd, "subsd", double)
TESSERA_FP_BINOP(h_mulsd, "mulsd", double)
TESSERA_FP_BINOP(h_divsd, "divsd", double)
#undef TESSERA_FP_BINOP

inline float h_sqrtss(float a) {
  __asm__ volatile("sqrtss %0, %0" : "+x"(a));
  return a;
}
inline double h_sqrtsd(double a) {
  __asm__ volatile("sqrtsd %0, %0" : "+x"(a));
  return a;
}
inline float h_cvtsd2ss(double a) {
  float r;
  __asm__ volatile("cvtsd2ss %1, %0" : "=x"(r) : "x"(a));
  return r;
}
// c = a*b + c. The VEX encoding is emitted as text, so the library itself
// needs no -mfma; it is only executed when the CPU reports FMA.
inline float h_fmass(float a, float b, float c) {
  __asm__ volatile("vfmadd231ss %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
  return c;
}
inline double h_fmasd(double a, double b, double c) {
  __asm__ volatile("vfmadd231sd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
  return c;
}

// __builtin_cpu_init first: this may run before libgcc's own initializer.
bool host_has_fma() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("fma") != 0;
  }();
  return has;
}

// Binary arithmetic: NaN operands are resolved here (canonical result, NV
// for signaling), so the host only ever sees numbers and only its
// default-NaN for invalid operations needs canonicalizing.
template <class Host>
uint32_t host32(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags, Host host) {
  if (is_nan32(a) || is_nan32(b)) {
    if (is_snan32(a) || is_snan32(b)) flags |= NV;
    return kCanonicalNaN32;
  }
  HostWindow w(rm);
  const uint32_t r = bits(host(as_f(a), as_f(b)));
  flags |= w.flags();
  return canon32(r);
}

template <class Host>
uint64_t host64(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags, Host host) {
  if (is_nan64(a) || is_nan64(b)) {
    if (is_snan64(a) || is_snan64(b)) flags |= NV;
    return kCanonicalNaN64;
  }
  HostWindow w(rm);
  const uint64_t r = bits(host(as_d(a), as_d(b)));
  flags |= w.flags();
  return canon64(r);
}

uint32_t fma32(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags) {
  if (rm == RMM || !host_has_fma()) return soft::fma<F32>(a, b, c, rm, flags);
  // Resolved before the host sees them: NaNs, and inf*0 which RISC-V makes
  // invalid even with a quiet-NaN addend.
  const bool inf_times_zero = (is_inf32(a) && is_zero32(b)) || (is_zero32(a) && is_inf32(b));
  if (inf_times_zero || is_nan32(a) || is_nan32(b) || is_nan32(c)) {
    if (inf_times_zero || is_snan32(a) || is_snan32(b) || is_snan32(c)) flags |= NV;
    return kCanonicalNaN32;
  }
  HostWindow w(rm);
  const uint32_t r = bits(h_fmass(as_f(a), as_f(b), as_f(c)));
  flags |= w.flags();
  return canon32(r);
}

uint64_t fma64(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags) {
  if (rm == RMM || !host_has_fma()) return soft::fma<F64>(a, b, c, rm, flags);
  const bool inf_times_zero = (is_inf64(a) && is_zero64(b)) || (is_zero64(a) && is_inf64(b));
  if (inf_times_zero || is_nan64(a) || is_nan64(b) || is_nan64(c)) {
    if (inf_times_zero || is_snan64(a) || is_snan64(b) || is_snan64(c)) flags |= NV;
    return kCanonicalNaN64;
  }
  HostWindow w(rm);
  const uint64_t r = bits(h_fmasd(as_d(a), as_d(b), as_d(c)));
  flags |= w.flags();
  return canon64(r);
}

// ---- comparisons ----

// Total order key for non-NaN values: -0 and +0 compare equal here.
inline bool lt_num32(uint32_t a, uint32_t b) {
  const bool sa = a >> 31, sb = b >> 31;
  if (sa != sb) return sa && ((a | b) & 0x7fffffffu) != 0;
  return a != b && ((a < b) != sa);
}
inline bool lt_num64(uint64_t a, uint64_t b) {
  const bool sa = a >> 63, sb = b >> 63;
  if (sa != sb) return sa && ((a | b) & 0x7fffffffffffffffull) != 0;
  return a != b && ((a < b) != sa);
}
inline bool eq_num32(uint32_t a, uint32_t b) { return a == b || ((a | b) & 0x7fffffffu) == 0; }
inline bool eq_num64(uint64_t a, uint64_t b) { return a == b || ((a | b) & 0x7fffffffffffffffull) == 0; }

// min/max where -0 < +0: a total-order "less than" on non-NaN bit patterns.
inline bool lt_total32(uint32_t a, uint32_t b) { return a == b ? false : lt_num32(a, b) || (a == kSign32 && b == 0); }
inline bool lt_total64(uint64_t a, uint64_t b) { return a == b ? false : lt_num64(a, b) || (a == kSign64 && b == 0); }

template <bool kMax>
uint32_t minmax32(uint32_t a, uint32_t b, uint8_t& flags) {
  if (is_snan32(a) || is_snan32(b)) flags |= NV;
  const bool na = is_nan32(a), nb = is_nan32(b);
  if (na && nb) return kCanonicalNaN32;
  if (na) return b;
  if (nb) return a;
  return (lt_total32(a, b) != kMax) ? a : b;
}
template <bool kMax>
uint64_t minmax64(uint64_t a, uint64_t b, uint8_t& flags) {
  if (is_snan64(a) || is_snan64(b)) flags |= NV;
  const bool na = is_nan64(a), nb = is_nan64(b);
  if (na && nb) return kCanonicalNaN64;
  if (na) return b;
  if (nb) return a;
  return (lt_total64(a, b) != kMax) ? a : b;
}

template <class F>
uint16_t classify(typename F::Bits x) {
  const soft::Unpacked u = soft::unpack<F>(x);
  switch (u.kind) {
    case soft::Kind::QNaN: return kClassQNaN;
    case soft::Kind::SNaN: return kClassSNaN;
    case soft::Kind::Inf: return u.sign ? kClassNegInf : kClassPosInf;
    case soft::Kind::Zero: return u.sign ? kClassNegZero : kClassPosZero;
    case soft::Kind::Finite: break;
  }
  const bool subnormal = u.e + F::kP - 1 < F::kEmin;
  if (subnormal) return u.sign ? kClassNegSubnormal : kClassPosSubnormal;
  return u.sign ? kClassNegNormal : kClassPosNormal;
}

}  // namespace

// ---- binary32 arithmetic ----

uint32_t f32_add(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags) {
  if (rm == RMM) return soft::add<F32>(a, b, rm, flags);
  return host32(a, b, rm, flags, h_addss);
}
uint32_t f32_sub(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags) {
  if (rm == RMM) return soft::add<F32>(a, b ^ kSign32, rm, flags);
  return host32(a, b, rm, flags, h_subss);
}
uint32_t f32_mul(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags) {
  if (rm == RMM) return soft::mul<F32>(a, b, rm, flags);
  return host32(a, b, rm, flags, h_mulss);
}
uint32_t f32_div(uint32_t a, uint32_t b, uint8_t rm, uint8_t& flags) {
  if (rm == RMM) return soft::div<F32>(a, b, rm, flags);
  return host32(a, b, rm, flags, h_divss);
}
uint32_t f32_sqrt(uint32_t a, uint8_t rm, uint8_t& flags) {
  if (is_nan32(a)) {
    if (is_snan32(a)) flags |= NV;
    return kCanonicalNaN32;
  }
  // RMM == RNE for square roots: no ties exist (fp_soft.hpp).
  HostWindow w(rm == RMM ? uint8_t{RNE} : rm);
  const uint32_t r = bits(h_sqrtss(as_f(a)));
  flags |= w.flags();
  return canon32(r);
}
uint32_t f32_madd(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags) { return fma32(a, b, c, rm, flags); }
uint32_t f32_msub(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags) {
  return fma32(a, b, c ^ kSign32, rm, flags);
}
uint32_t f32_nmsub(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags) {
  return fma32(a ^ kSign32, b, c, rm, flags);
}
uint32_t f32_nmadd(uint32_t a, uint32_t b, uint32_t c, uint8_t rm, uint8_t& flags) {
  return fma32(a ^ kSign32, b, c ^ kSign32, rm, flags);
}
uint32_t f32_min(uint32_t a, uint32_t b, uint8_t& flags) { return minmax32<false>(a, b, flags); }
uint32_t f32_max(uint32_t a, uint32_t b, uint8_t& flags) { return minmax32<true>(a, b, flags); }

bool f32_eq(uint32_t a, uint32_t b, uint8_t& flags) {
  if (is_nan32(a) || is_nan32(b)) {
    if (is_snan32(a) || is_snan32(b)) flags |= NV;
    return false;
  }
  return eq_num32(a, b);
}
bool f32_lt(uint32_t a, uint32_t b, uint8_t& flags) {
  if (is_nan32(a) || is_nan32(b)) {
    flags |= NV;
    return false;
  }
  return lt_num32(a, b);
}
bool f32_le(uint32_t a, uint32_t b, uint8_t& flags) {
  if (is_nan32(a) || is_nan32(b)) {
    flags |= NV;
    return false;
  }
  return lt_num32(a, b) || eq_num32(a, b);
}
uint16_t f32_classify(uint32_t a) { return classify<F32>(a); }

// ---- binary64 arithmetic ----

uint64_t f64_add(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags) {
  if (rm == RMM) return soft::add<F64>(a, b, rm, flags);
  return host64(a, b, rm, flags, h_addsd);
}
uint64_t f64_sub(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags) {
  if (rm == RMM) return soft::add<F64>(a, b ^ kSign64, rm, flags);
  return host64(a, b, rm, flags, h_subsd);
}
uint64_t f64_mul(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags) {
  if (rm == RMM) return soft::mul<F64>(a, b, rm, flags);
  return host64(a, b, rm, flags, h_mulsd);
}
uint64_t f64_div(uint64_t a, uint64_t b, uint8_t rm, uint8_t& flags) {
  if (rm == RMM) return soft::div<F64>(a, b, rm, flags);
  return host64(a, b, rm, flags, h_divsd);
}
uint64_t f64_sqrt(uint64_t a, uint8_t rm, uint8_t& flags) {
  if (is_nan64(a)) {
    if (is_snan64(a)) flags |= NV;
    return kCanonicalNaN64;
  }
  HostWindow w(rm == RMM ? uint8_t{RNE} : rm);
  const uint64_t r = bits(h_sqrtsd(as_d(a)));
  flags |= w.flags();
  return canon64(r);
}
uint64_t f64_madd(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags) { return fma64(a, b, c, rm, flags); }
uint64_t f64_msub(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags) {
  return fma64(a, b, c ^ kSign64, rm, flags);
}
uint64_t f64_nmsub(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags) {
  return fma64(a ^ kSign64, b, c, rm, flags);
}
uint64_t f64_nmadd(uint64_t a, uint64_t b, uint64_t c, uint8_t rm, uint8_t& flags) {
  return fma64(a ^ kSign64, b, c ^ kSign64, rm, flags);
}
uint64_t f64_min(uint64_t a, uint64_t b, uint8_t& flags) { return minmax64<false>(a, b, flags); }
uint64_t f64_max(uint64_t a, uint64_t b, uint8_t& flags) { return minmax64<true>(a, b, flags); }

bool f64_eq(uint64_t a, uint64_t b, uint8_t& flags) {
  if (is_nan64(a) || is_nan64(b)) {
    if (is_snan64(a) || is_snan64(b)) flags |= NV;
    return false;
  }
  return eq_num64(a, b);
}
bool f64_lt(uint64_t a, uint64_t b, uint8_t& flags) {
  if (is_nan64(a) || is_nan64(b)) {
    flags |= NV;
    return false;
  }
  return lt_num64(a, b);
}
bool f64_le(uint64_t a, uint64_t b, uint8_t& flags) {
  if (is_nan64(a) || is_nan64(b)) {
    flags |= NV;
    return false;
  }
  return lt_num64(a, b) || eq_num64(a, b);
}
uint16_t f64_classify(uint64_t a) { return classify<F64>(a); }

// ---- conversions between formats ----

uint32_t f64_to_f32(uint64_t a, uint8_t rm, uint8_t& flags) {
  if (is_nan64(a)) {
    if (is_snan64(a)) flags |= NV;
    return kCanonicalNaN32;
  }
  if (rm == RMM) {
    const soft::Unpacked u = soft::unpack<F64>(a);
    if (u.kind == soft::Kind::Zero) return u.sign ? kSign32 : 0u;
    if (u.kind == soft::Kind::Inf) return (u.sign ? kSign32 : 0u) | 0x7f800000u;
    return soft::round_unpacked<F32>(u, rm, flags);
  }
  HostWindow w(rm);
  const uint32_t r = bits(h_cvtsd2ss(as_d(a)));
  flags |= w.flags();
  return r;
}

uint64_t f32_to_f64(uint32_t a, uint8_t& flags) {
  const soft::Unpacked u = soft::unpack<F32>(a);
  switch (u.kind) {
    case soft::Kind::SNaN: flags |= NV; return kCanonicalNaN64;
    case soft::Kind::QNaN: return kCanonicalNaN64;
    case soft::Kind::Inf: return (uint64_t{u.sign} << 63) | 0x7ff0000000000000ull;
    case soft::Kind::Zero: return uint64_t{u.sign} << 63;
    case soft::Kind::Finite: break;
  }
  return soft::round_unpacked<F64>(u, RNE, flags);  // exact: raises nothing
}

// ---- float -> integer ----

uint64_t f32_to_i32(uint32_t a, uint8_t rm, uint8_t& flags) { return soft::to_int<F32>(a, true, 32, rm, flags); }
uint64_t f32_to_u32(uint32_t a, uint8_t rm, uint8_t& flags) { return soft::to_int<F32>(a, false, 32, rm, flags); }
uint64_t f32_to_i64(uint32_t a, uint8_t rm, uint8_t& flags) { return soft::to_int<F32>(a, true, 64, rm, flags); }
uint64_t f32_to_u64(uint32_t a, uint8_t rm, uint8_t& flags) { return soft::to_int<F32>(a, false, 64, rm, flags); }
uint64_t f64_to_i32(uint64_t a, uint8_t rm, uint8_t& flags) { return soft::to_int<F64>(a, true, 32, rm, flags); }
uint64_t f64_to_u32(uint64_t a, uint8_t rm, uint8_t& flags) { return soft::to_int<F64>(a, false, 32, rm, flags); }
uint64_t f64_to_i64(uint64_t a, uint8_t rm, uint8_t& flags) { return soft::to_int<F64>(a, true, 64, rm, flags); }
uint64_t f64_to_u64(uint64_t a, uint8_t rm, uint8_t& flags) { return soft::to_int<F64>(a, false, 64, rm, flags); }

// ---- integer -> float ----
// Magnitudes of negative values are taken in unsigned arithmetic, so
// INT_MIN needs no special case.

uint32_t i32_to_f32(int32_t a, uint8_t rm, uint8_t& flags) {
  return soft::from_int<F32>(a < 0, a < 0 ? 0u - static_cast<uint32_t>(a) : static_cast<uint32_t>(a), rm, flags);
}
uint32_t u32_to_f32(uint32_t a, uint8_t rm, uint8_t& flags) { return soft::from_int<F32>(false, a, rm, flags); }
uint32_t i64_to_f32(int64_t a, uint8_t rm, uint8_t& flags) {
  return soft::from_int<F32>(a < 0, a < 0 ? uint64_t{0} - static_cast<uint64_t>(a) : static_cast<uint64_t>(a), rm,
                             flags);
}
uint32_t u64_to_f32(uint64_t a, uint8_t rm, uint8_t& flags) { return soft::from_int<F32>(false, a, rm, flags); }
uint64_t i32_to_f64(int32_t a, uint8_t rm, uint8_t& flags) {
  return soft::from_int<F64>(a < 0, a < 0 ? 0u - static_cast<uint32_t>(a) : static_cast<uint32_t>(a), rm, flags);
}
uint64_t u32_to_f64(uint32_t a, uint8_t rm, uint8_t& flags) { return soft::from_int<F64>(false, a, rm, flags); }
uint64_t i64_to_f64(int64_t a, uint8_t rm, uint8_t& flags) {
  return soft::from_int<F64>(a < 0, a < 0 ? uint64_t{0} - static_cast<uint64_t>(a) : static_cast<uint64_t>(a), rm,
                             flags);
}
uint64_t u64_to_f64(uint64_t a, uint8_t rm, uint8_t& flags) { return soft::from_int<F64>(false, a, rm, flags); }

// ---- host fast-path support ----

uint8_t host_flags_to_riscv(int fe) {
  return static_cast<uint8_t>(((fe & FE_INEXACT) ? NX : 0) | ((fe & FE_UNDERFLOW) ? UF : 0) |
                              ((fe & FE_OVERFLOW) ? OF : 0) | ((fe & FE_DIVBYZERO) ? DZ : 0) |
                              ((fe & FE_INVALID) ? NV : 0));
}

namespace {
constexpr int kFeRound[4] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
}

RoundingScope::RoundingScope(uint8_t rm) noexcept : saved_(std::fegetround()) {
  std::fesetround(kFeRound[rm <= RUP ? rm : uint8_t{RNE}]);
}
RoundingScope::~RoundingScope() { std::fesetround(saved_); }

}  // namespace tessera::emu::fp
