// SPDX-License-Identifier: Apache-2.0
// Integer ("soft-float") core behind emulator/fp: exact arithmetic on
// unpacked significands followed by one rounding step that implements all
// five RISC-V rounding modes, tininess after rounding, and overflow per mode.
//
// Why a soft core rather than MPFR or a wider host format for RMM (ties away
// from zero), which x86 lacks: every result here is either computed exactly
// in 128-bit integers (add, mul, fma: a 53x53-bit product has 106 bits) or
// with an exact remainder (div), so a single rounding with a sticky bit is
// provably correct in every mode and every exponent range, including
// subnormals. It needs no allocation, no global state (MPFR keeps its
// exponent range in thread-local globals) and no extended-precision host
// unit, and it doubles as the FMA implementation on hosts without FMA. The
// only operation it lacks is sqrt, which needs none: a square root is never
// exactly halfway between two floats (a midpoint has p+1 significant bits, so
// its square has at least 2p+1 and is not a p-bit input) and is never tiny,
// so RMM and RNE give the same bits and flags.
//
// Internal to the fp library; exposed as a header so the tests can check the
// core in all five modes against MPFR.
#pragma once

#include <cstdint>

#include "fp/fp.hpp"

namespace tessera::emu::fp::soft {

using u128 = unsigned __int128;

struct F32 {
  using Bits = uint32_t;
  static constexpr int kWidth = 32, kP = 24, kEmin = -126, kEmax = 127, kBias = 127;
  static constexpr Bits kInf = 0x7f800000u, kMaxFinite = 0x7f7fffffu, kNaN = kCanonicalNaN32;
};
struct F64 {
  using Bits = uint64_t;
  static constexpr int kWidth = 64, kP = 53, kEmin = -1022, kEmax = 1023, kBias = 1023;
  static constexpr Bits kInf = 0x7ff0000000000000ull, kMaxFinite = 0x7fefffffffffffffull, kNaN = kCanonicalNaN64;
};

enum class Kind : uint8_t { Zero, Finite, Inf, QNaN, SNaN };

// A finite nonzero value is sig * 2^e with sig's leading one at bit kP-1
// (subnormals are normalized here, with e below the format's range).
struct Unpacked {
  bool sign;
  Kind kind;
  int e;
  uint64_t sig;
  bool nan() const { return kind == Kind::QNaN || kind == Kind::SNaN; }
};

inline int msb64(uint64_t v) { return 63 - __builtin_clzll(v); }
inline int msb128(u128 v) {
  const uint64_t hi = static_cast<uint64_t>(v >> 64);
  return hi ? 64 + msb64(hi) : msb64(static_cast<uint64_t>(v));
}

template <class F>
Unpacked unpack(typename F::Bits x) {
  constexpr int kFracBits = F::kP - 1;
  constexpr uint64_t kFracMask = (uint64_t{1} << kFracBits) - 1;
  constexpr unsigned kExpMask = (1u << (F::kWidth - F::kP)) - 1;
  const bool sign = (x >> (F::kWidth - 1)) != 0;
  const unsigned ex = static_cast<unsigned>(x >> kFracBits) & kExpMask;
  const uint64_t frac = static_cast<uint64_t>(x) & kFracMask;
  if (ex == kExpMask) {
    if (frac == 0) return {sign, Kind::Inf, 0, 0};
    return {sign, (frac >> (kFracBits - 1)) ? Kind::QNaN : Kind::SNaN, 0, 0};
  }
  if (ex == 0) {
    if (frac == 0) return {sign, Kind::Zero, 0, 0};
    const int shift = kFracBits - msb64(frac);
    return {sign, Kind::Finite, F::kEmin - kFracBits - shift, frac << shift};
  }
  return {sign, Kind::Finite, static_cast<int>(ex) - F::kBias - kFracBits, frac | (uint64_t{1} << kFracBits)};
}

template <class F>
constexpr typename F::Bits sign_bit(bool s) {
  return static_cast<typename F::Bits>(s) << (F::kWidth - 1);
}

// Whether rounding away the discarded bits increments the kept magnitude.
inline bool round_increment(uint8_t rm, bool sign, bool odd, bool half, bool sticky) {
  switch (rm) {
    case RNE: return half && (sticky || odd);
    case RTZ: return false;
    case RDN: return sign && (half || sticky);
    case RUP: return !sign && (half || sticky);
    default: return half;  // RMM
  }
}

// sig split at bit `shift` (>= 1): the kept high part, the first discarded
// bit and whether any lower discarded bit is set.
struct Split {
  uint64_t kept;
  bool half;
  bool sticky;
};
inline Split split(uint64_t sig, int shift) {
  if (shift > 64) return {0, false, sig != 0};
  if (shift == 64) return {0, (sig >> 63) != 0, (sig << 1) != 0};
  const uint64_t h = uint64_t{1} << (shift - 1);
  return {sig >> shift, (sig & h) != 0, (sig & (h - 1)) != 0};
}

// Rounds sig * 2^(E-63) (sig's leading one at bit 63, any inexactness of the
// caller jammed into bit 0) to format F.
template <class F>
typename F::Bits round_pack(bool sign, int E, uint64_t sig, uint8_t rm, uint8_t& flags) {
  using B = typename F::Bits;
  int shift = 64 - F::kP;
  bool tiny = false;
  if (E < F::kEmin) {
    // Tininess after rounding: tiny unless rounding to kP bits with an
    // unbounded exponent carries up to exactly 2^emin.
    tiny = true;
    if (E == F::kEmin - 1) {
      const Split s = split(sig, shift);
      if (round_increment(rm, sign, s.kept & 1, s.half, s.sticky) && s.kept + 1 == (uint64_t{1} << F::kP)) tiny = false;
    }
    shift += F::kEmin - E;
  }
  const Split s = split(sig, shift);
  const bool inexact = s.half || s.sticky;
  uint64_t m = s.kept + (round_increment(rm, sign, s.kept & 1, s.half, s.sticky) ? 1 : 0);
  if (inexact) flags |= NX;
  if (tiny && inexact) flags |= UF;
  // Subnormal: the magnitude is the encoding (a carry into bit kP-1 yields
  // the smallest normal, exponent field 1, as it should).
  if (E < F::kEmin) return sign_bit<F>(sign) | static_cast<B>(m);
  if (m == (uint64_t{1} << F::kP)) {
    m >>= 1;
    ++E;
  }
  if (E > F::kEmax) {
    flags |= OF | NX;
    const bool to_inf = rm == RNE || rm == RMM || (rm == RDN && sign) || (rm == RUP && !sign);
    return sign_bit<F>(sign) | (to_inf ? F::kInf : F::kMaxFinite);
  }
  return sign_bit<F>(sign) | (static_cast<B>(E + F::kBias) << (F::kP - 1)) |
         static_cast<B>(m & ((uint64_t{1} << (F::kP - 1)) - 1));
}

// Rounds the nonzero value v * 2^e0.
template <class F>
typename F::Bits normalize_round(bool sign, int e0, u128 v, uint8_t rm, uint8_t& flags) {
  const int L = msb128(v);
  uint64_t sig;
  if (L >= 63) {
    const int sh = L - 63;
    sig = static_cast<uint64_t>(v >> sh);
    if (sh && (v & ((u128{1} << sh) - 1))) sig |= 1;
  } else {
    sig = static_cast<uint64_t>(v) << (63 - L);
  }
  return round_pack<F>(sign, e0 + L, sig, rm, flags);
}

// A finite nonzero value as unpacked, rounded to F (exact when F is at least
// as wide as the source).
template <class F>
typename F::Bits round_unpacked(const Unpacked& u, uint8_t rm, uint8_t& flags) {
  const int L = msb64(u.sig);
  return round_pack<F>(u.sign, u.e + L, u.sig << (63 - L), rm, flags);
}

// Rounds (-1)^sa * A * 2^ea + (-1)^sb * B * 2^eb for nonzero A, B < 2^107.
// The operand with the larger leading exponent is placed with its leading
// one at bit 125; the other is aligned to it and, only if it then extends
// below bit 0, jammed into a sticky bit. Jamming loses nothing: it happens
// only when the smaller operand is at least 2^18 times smaller, so the sum
// keeps its leading one at bit 124 or 125, far above the rounding position.
template <class F>
typename F::Bits add_core(bool sa, int ea, u128 A, bool sb, int eb, u128 B, uint8_t rm, uint8_t& flags) {
  if (ea + msb128(A) < eb + msb128(B)) {
    const bool ts = sa;
    sa = sb;
    sb = ts;
    const int te = ea;
    ea = eb;
    eb = te;
    const u128 tv = A;
    A = B;
    B = tv;
  }
  const int shift_a = 125 - msb128(A);
  const u128 X = A << shift_a;
  const int ex = ea - shift_a;
  const int d = eb - ex;
  u128 Y;
  if (d >= 0) {
    Y = B << d;
  } else if (-d >= 128) {
    Y = 1;
  } else {
    Y = (B >> -d) | ((B & ((u128{1} << -d) - 1)) != 0 ? 1 : 0);
  }
  u128 S;
  bool sign;
  if (sa == sb) {
    S = X + Y;
    sign = sa;
  } else if (X >= Y) {
    S = X - Y;
    sign = sa;
  } else {
    S = Y - X;
    sign = sb;
  }
  if (S == 0) return sign_bit<F>(rm == RDN);  // exact cancellation
  return normalize_round<F>(sign, ex, S, rm, flags);
}

template <class F>
typename F::Bits nan_result(const Unpacked& a, const Unpacked& b, uint8_t& flags) {
  if (a.kind == Kind::SNaN || b.kind == Kind::SNaN) flags |= NV;
  return F::kNaN;
}

template <class F>
typename F::Bits add(typename F::Bits a, typename F::Bits b, uint8_t rm, uint8_t& flags) {
  const Unpacked ua = unpack<F>(a), ub = unpack<F>(b);
  if (ua.nan() || ub.nan()) return nan_result<F>(ua, ub, flags);
  if (ua.kind == Kind::Inf || ub.kind == Kind::Inf) {
    if (ua.kind == Kind::Inf && ub.kind == Kind::Inf && ua.sign != ub.sign) {
      flags |= NV;
      return F::kNaN;
    }
    return ua.kind == Kind::Inf ? a : b;
  }
  if (ua.kind == Kind::Zero && ub.kind == Kind::Zero) return sign_bit<F>(ua.sign == ub.sign ? ua.sign : rm == RDN);
  if (ua.kind == Kind::Zero) return b;
  if (ub.kind == Kind::Zero) return a;
  return add_core<F>(ua.sign, ua.e, ua.sig, ub.sign, ub.e, ub.sig, rm, flags);
}

template <class F>
typename F::Bits mul(typename F::Bits a, typename F::Bits b, uint8_t rm, uint8_t& flags) {
  const Unpacked ua = unpack<F>(a), ub = unpack<F>(b);
  if (ua.nan() || ub.nan()) return nan_result<F>(ua, ub, flags);
  const bool sign = ua.sign != ub.sign;
  if (ua.kind == Kind::Inf || ub.kind == Kind::Inf) {
    if (ua.kind == Kind::Zero || ub.kind == Kind::Zero) {
      flags |= NV;
      return F::kNaN;
    }
    return sign_bit<F>(sign) | F::kInf;
  }
  if (ua.kind == Kind::Zero || ub.kind == Kind::Zero) return sign_bit<F>(sign);
  return normalize_round<F>(sign, ua.e + ub.e, u128{ua.sig} * ub.sig, rm, flags);
}

template <class F>
typename F::Bits div(typename F::Bits a, typename F::Bits b, uint8_t rm, uint8_t& flags) {
  const Unpacked ua = unpack<F>(a), ub = unpack<F>(b);
  if (ua.nan() || ub.nan()) return nan_result<F>(ua, ub, flags);
  const bool sign = ua.sign != ub.sign;
  if (ua.kind == Kind::Inf) {
    if (ub.kind == Kind::Inf) {
      flags |= NV;
      return F::kNaN;
    }
    return sign_bit<F>(sign) | F::kInf;
  }
  if (ub.kind == Kind::Inf) return sign_bit<F>(sign);
  if (ub.kind == Kind::Zero) {
    if (ua.kind == Kind::Zero) {
      flags |= NV;
      return F::kNaN;
    }
    flags |= DZ;
    return sign_bit<F>(sign) | F::kInf;
  }
  if (ua.kind == Kind::Zero) return sign_bit<F>(sign);
  // Both significands have their leading one at bit kP-1, so the quotient
  // has 75 or 76 bits: ample room for the round bit, and the remainder
  // supplies the sticky bit exactly.
  const u128 n = u128{ua.sig} << 75;
  u128 q = n / ub.sig;
  if (q * ub.sig != n) q |= 1;
  return normalize_round<F>(sign, ua.e - ub.e - 75, q, rm, flags);
}

// a*b + c with one rounding (callers negate operands for the other forms).
template <class F>
typename F::Bits fma(typename F::Bits a, typename F::Bits b, typename F::Bits c, uint8_t rm, uint8_t& flags) {
  const Unpacked ua = unpack<F>(a), ub = unpack<F>(b), uc = unpack<F>(c);
  const bool inf_times_zero = (ua.kind == Kind::Inf && ub.kind == Kind::Zero) ||
                              (ua.kind == Kind::Zero && ub.kind == Kind::Inf);
  if (ua.kind == Kind::SNaN || ub.kind == Kind::SNaN || uc.kind == Kind::SNaN) flags |= NV;
  if (inf_times_zero) {
    flags |= NV;  // even when c is a quiet NaN (RISC-V)
    return F::kNaN;
  }
  if (ua.nan() || ub.nan() || uc.nan()) return F::kNaN;
  const bool ps = ua.sign != ub.sign;
  if (ua.kind == Kind::Inf || ub.kind == Kind::Inf) {
    if (uc.kind == Kind::Inf && uc.sign != ps) {
      flags |= NV;
      return F::kNaN;
    }
    return sign_bit<F>(ps) | F::kInf;
  }
  if (uc.kind == Kind::Inf) return c;
  if (ua.kind == Kind::Zero || ub.kind == Kind::Zero) {
    if (uc.kind == Kind::Zero) return sign_bit<F>(ps == uc.sign ? ps : rm == RDN);
    return c;
  }
  const u128 P = u128{ua.sig} * ub.sig;
  if (uc.kind == Kind::Zero) return normalize_round<F>(ps, ua.e + ub.e, P, rm, flags);
  return add_core<F>(ps, ua.e + ub.e, P, uc.sign, uc.e, uc.sig, rm, flags);
}

// Integer magnitude (with sign) to F.
template <class F>
typename F::Bits from_int(bool sign, uint64_t mag, uint8_t rm, uint8_t& flags) {
  if (mag == 0) return 0;
  const int L = msb64(mag);
  return round_pack<F>(sign, L, mag << (63 - L), rm, flags);
}

// F to a `width`-bit integer, rounded per rm and saturated per RISC-V;
// returns the register value (32-bit results sign-extended).
template <class F>
uint64_t to_int(typename F::Bits x, bool is_signed, int width, uint8_t rm, uint8_t& flags) {
  const uint64_t umax = width == 64 ? ~uint64_t{0} : 0xffffffffull;
  const uint64_t pos_limit = is_signed ? umax >> 1 : umax;             // largest magnitude, positive
  const uint64_t neg_limit = is_signed ? (umax >> 1) + 1 : 0;          // largest magnitude, negative
  auto finish = [&](bool neg, uint64_t mag) -> uint64_t {
    const uint64_t v = neg ? uint64_t{0} - mag : mag;
    return width == 64 ? v : static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(static_cast<uint32_t>(v))));
  };
  auto invalid = [&](bool neg) -> uint64_t {
    flags |= NV;
    return neg ? finish(true, neg_limit) : finish(false, pos_limit);
  };
  const Unpacked u = unpack<F>(x);
  switch (u.kind) {
    case Kind::QNaN:
    case Kind::SNaN: return invalid(false);
    case Kind::Inf: return invalid(u.sign);
    case Kind::Zero: return 0;
    case Kind::Finite: break;
  }
  u128 mag;
  bool inexact = false;
  if (u.e >= 0) {
    if (u.e > 64) return invalid(u.sign);
    mag = u128{u.sig} << u.e;  // < 2^117
  } else {
    const Split s = split(u.sig, -u.e);
    inexact = s.half || s.sticky;
    mag = s.kept + (round_increment(rm, u.sign, s.kept & 1, s.half, s.sticky) ? 1 : 0);
  }
  if (mag > (u.sign ? neg_limit : pos_limit)) return invalid(u.sign);
  if (inexact) flags |= NX;
  return finish(u.sign, static_cast<uint64_t>(mag));
}

}  // namespace tessera::emu::fp::soft
