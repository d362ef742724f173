// SPDX-License-Identifier: Apache-2.0
// emulator/fp against MPFR (oracle.hpp): every operation, all five rounding
// modes, corner-case operand sets and weighted random operands; results
// and flags must match bit for bit. Also the soft core on its own (it is
// what RMM runs on), spot checks with hand-written expectations, NaN
// canonicalization, and that the caller's host FP environment survives.
#include <cfenv>
#include <cinttypes>
#include <climits>
#include <cstdio>
#include <string>
#include <type_traits>
#include <vector>

#include <xmmintrin.h>

#include <catch2/catch.hpp>

#include "fp/fp_soft.hpp"
#include "oracle.hpp"

using namespace fpt;
namespace soft = tessera::emu::fp::soft;

namespace {

template <class T>
using B = typename Fmt<T>::Bits;

constexpr uint8_t kModes[] = {RNE, RTZ, RDN, RUP, RMM};
const char* const kModeNames[] = {"rne", "rtz", "rdn", "rup", "rmm"};

// ---- mismatch reporting: count everything, print the first few ----

struct Mismatches {
  long checked = 0;
  long failed = 0;
  void compare(const std::string& what, uint8_t rm, const std::vector<uint64_t>& in, uint64_t got, uint8_t gf,
               uint64_t want, uint8_t wf) {
    ++checked;
    if (got == want && gf == wf) return;
    if (++failed > 12) return;
    std::string msg = what + " " + kModeNames[rm] + " (";
    char buf[64];
    for (uint64_t v : in) {
      std::snprintf(buf, sizeof buf, " %#" PRIx64, v);
      msg += buf;
    }
    std::snprintf(buf, sizeof buf, " ) got %#" PRIx64 "/%02x want %#" PRIx64 "/%02x", got, gf, want, wf);
    msg += buf;
    UNSCOPED_INFO(msg);
  }
  ~Mismatches() = default;
};

// ---- operand generation ----


template <class T>
B<T> make(bool sign, uint64_t exp_field, uint64_t frac) {
  using F = Fmt<T>;
  return static_cast<B<T>>((uint64_t{sign} << (F::kWidth - 1)) | (exp_field << (F::p - 1)) |
                           (frac & ((uint64_t{1} << (F::p - 1)) - 1)));
}

// Bit patterns weighted toward the classes and boundaries where rounding,
// tininess and overflow are decided.
template <class T>
B<T> random_operand(Rng& g) {
  using F = Fmt<T>;
  constexpr uint64_t kExpMax = (uint64_t{1} << (F::kWidth - F::p)) - 1;
  constexpr uint64_t kBias = kExpMax >> 1;
  const bool sign = g.next() & 1;
  uint64_t frac = g.next();
  const unsigned cls = g.below(100);
  if (g.below(4) == 0) frac &= ~((uint64_t{1} << g.below(F::p)) - 1);  // few significant bits: ties, exact results
  if (cls < 5) return make<T>(sign, 0, 0);
  if (cls < 8) return make<T>(sign, kExpMax, 0);
  if (cls < 12) {  // NaN: quiet or signaling, random payload
    frac |= 1;
    if (g.next() & 1) frac |= uint64_t{1} << (F::p - 2);
    else frac &= ~(uint64_t{1} << (F::p - 2));
    return make<T>(sign, kExpMax, frac);
  }
  if (cls < 22) return make<T>(sign, 0, (frac >> g.below(F::p)) | 1);            // subnormal
  if (cls < 30) return make<T>(sign, kExpMax - 1 - g.below(3), frac);            // near overflow
  if (cls < 42) return make<T>(sign, 1 + g.below(F::p + 2), frac);               // near underflow
  if (cls < 47) return make<T>(sign, kBias + g.below(2), 0);                     // 1, 2
  if (cls < 92) return make<T>(sign, kBias - 40 + g.below(80), frac);            // ordinary
  return static_cast<B<T>>(g.next());                                            // anything
}

// A second operand related to the first: cancellation and aligned ties.
template <class T>
B<T> related_operand(Rng& g, B<T> a) {
  using F = Fmt<T>;
  const uint64_t exp_field = (a >> (F::p - 1)) & ((uint64_t{1} << (F::kWidth - F::p)) - 1);
  switch (g.below(3)) {
    case 0: return static_cast<B<T>>((a ^ (B<T>{1} << (F::kWidth - 1))) + g.below(5) - 2);  // -a +- ulps
    case 1: {  // about p bits below a: halfway and near-halfway sums
      const uint64_t shift = F::p - 1 + g.below(4);
      const uint64_t e = exp_field > shift ? exp_field - shift : 0;
      return make<T>(g.next() & 1, e, g.next() & ((uint64_t{1} << g.below(F::p)) - 1));
    }
    default: return random_operand<T>(g);
  }
}

// Boundary values of a format.
template <class T>
std::vector<B<T>> corners(bool small) {
  using F = Fmt<T>;
  constexpr uint64_t kExpMax = (uint64_t{1} << (F::kWidth - F::p)) - 1;
  constexpr uint64_t kBias = kExpMax >> 1;
  constexpr uint64_t kFracMax = (uint64_t{1} << (F::p - 1)) - 1;
  std::vector<B<T>> mags = {
      make<T>(0, 0, 0),                       // 0
      make<T>(0, 0, 1),                       // smallest subnormal
      make<T>(0, 0, kFracMax),                // largest subnormal
      make<T>(0, 1, 0),                       // smallest normal
      make<T>(0, kBias, 0),                   // 1
      make<T>(0, kExpMax - 1, kFracMax),      // largest finite
      make<T>(0, kExpMax, 0),                 // inf
      make<T>(0, kExpMax, uint64_t{1} << (F::p - 2)),  // qNaN
      make<T>(0, kExpMax, 1),                 // sNaN
      make<T>(0, kBias, 1),                   // 1 + ulp
  };
  if (!small) {
    const std::vector<B<T>> more = {
        make<T>(0, kBias - 1, kFracMax),           // 1 - ulp/2
        make<T>(0, kBias, uint64_t{1} << (F::p - 2)),  // 1.5
        make<T>(0, kBias - F::p, 0),               // 2^-p: half an ulp of 1
        make<T>(0, 0, 2),                          // 2 * smallest subnormal
        make<T>(0, 0, uint64_t{1} << (F::p - 2)),  // half the smallest normal
        make<T>(0, 1, 1),                          // smallest normal + ulp
        make<T>(0, 2, 0),                          // 2 * smallest normal
        make<T>(0, kBias + 1, 0),                  // 2
        make<T>(0, kBias, 3),                      // 1 + 3 ulp
        make<T>(0, kBias - 1, 0),                  // 0.5
        make<T>(0, kExpMax - 1, 0),                // largest power of two
        make<T>(0, kExpMax - 1, kFracMax - 1),     // largest finite - ulp
        make<T>(0, kBias + F::p, 1),               // 2^p + 2: integer, ties under halving
        make<T>(0, kBias + F::p - 1, kFracMax),    // 2^p - 1: largest odd integer
        make<T>(0, kBias - F::p - 1, kFracMax),    // just under 2^-p
        make<T>(0, kExpMax, kFracMax),             // qNaN, full payload
        make<T>(0, kExpMax, (uint64_t{1} << (F::p - 2)) - 1),  // sNaN, full payload
    };
    mags.insert(mags.end(), more.begin(), more.end());
  }
  std::vector<B<T>> out;
  for (B<T> m : mags) {
    out.push_back(m);
    out.push_back(m | (B<T>{1} << (F::kWidth - 1)));
  }
  return out;
}

// ---- the operations under test, with their oracles ----

enum class Arith { Add, Sub, Mul, Div, Sqrt, MAdd, MSub, NMSub, NMAdd };
const char* const kArithNames[] = {"add", "sub", "mul", "div", "sqrt", "madd", "msub", "nmsub", "nmadd"};

struct Vars {
  Var x, y, z;
};
Vars& vars() {
  static Vars v;
  return v;
}

// Our implementation; `use_soft` runs the soft core directly (add, sub,
// mul, div, fused forms) whatever the mode.
template <class T>
B<T> ours(Arith op, B<T> a, B<T> b, B<T> c, uint8_t rm, uint8_t& f, bool use_soft) {
  constexpr bool kS = sizeof(T) == 4;
  using SF = std::conditional_t<kS, soft::F32, soft::F64>;
  constexpr B<T> kSign = B<T>{1} << (Fmt<T>::kWidth - 1);
  if (use_soft) {
    switch (op) {
      case Arith::Add: return soft::add<SF>(a, b, rm, f);
      case Arith::Sub: return soft::add<SF>(a, b ^ kSign, rm, f);
      case Arith::Mul: return soft::mul<SF>(a, b, rm, f);
      case Arith::Div: return soft::div<SF>(a, b, rm, f);
      case Arith::MAdd: return soft::fma<SF>(a, b, c, rm, f);
      case Arith::MSub: return soft::fma<SF>(a, b, c ^ kSign, rm, f);
      case Arith::NMSub: return soft::fma<SF>(a ^ kSign, b, c, rm, f);
      case Arith::NMAdd: return soft::fma<SF>(a ^ kSign, b, c ^ kSign, rm, f);
      case Arith::Sqrt: break;
    }
  }
  if constexpr (kS) {
    switch (op) {
      case Arith::Add: return f32_add(a, b, rm, f);
      case Arith::Sub: return f32_sub(a, b, rm, f);
      case Arith::Mul: return f32_mul(a, b, rm, f);
      case Arith::Div: return f32_div(a, b, rm, f);
      case Arith::Sqrt: return f32_sqrt(a, rm, f);
      case Arith::MAdd: return f32_madd(a, b, c, rm, f);
      case Arith::MSub: return f32_msub(a, b, c, rm, f);
      case Arith::NMSub: return f32_nmsub(a, b, c, rm, f);
      case Arith::NMAdd: return f32_nmadd(a, b, c, rm, f);
    }
  } else {
    switch (op) {
      case Arith::Add: return f64_add(a, b, rm, f);
      case Arith::Sub: return f64_sub(a, b, rm, f);
      case Arith::Mul: return f64_mul(a, b, rm, f);
      case Arith::Div: return f64_div(a, b, rm, f);
      case Arith::Sqrt: return f64_sqrt(a, rm, f);
      case Arith::MAdd: return f64_madd(a, b, c, rm, f);
      case Arith::MSub: return f64_msub(a, b, c, rm, f);
      case Arith::NMSub: return f64_nmsub(a, b, c, rm, f);
      case Arith::NMAdd: return f64_nmadd(a, b, c, rm, f);
    }
  }
  return 0;
}

bool fused(Arith op) { return op >= Arith::MAdd; }

template <class T>
Result<T> reference(Arith op, B<T> a, B<T> b, B<T> c, uint8_t rm) {
  using F = Fmt<T>;
  Vars& v = vars();
  mpfr_set_prec(v.x, F::p);
  mpfr_set_prec(v.y, F::p);
  mpfr_set_prec(v.z, F::p);
  F::set(v.x, a);
  F::set(v.y, b);
  F::set(v.z, c);
  const bool unary = op == Arith::Sqrt;
  bool nan_in = is_nan<T>(a) || (!unary && is_nan<T>(b)) || (fused(op) && is_nan<T>(c));
  bool nv_in = is_snan<T>(a) || (!unary && is_snan<T>(b)) || (fused(op) && is_snan<T>(c));
  if (fused(op)) {
    // inf*0 is invalid even with a quiet-NaN addend (RISC-V).
    if ((mpfr_inf_p(v.x) && mpfr_zero_p(v.y)) || (mpfr_zero_p(v.x) && mpfr_inf_p(v.y))) nv_in = true;
    if (op == Arith::NMSub || op == Arith::NMAdd) mpfr_neg(v.x, v.x, MPFR_RNDN);
    if (op == Arith::MSub || op == Arith::NMAdd) mpfr_neg(v.z, v.z, MPFR_RNDN);
  }
  return oracle<T>(rm, nan_in, nv_in, [&](mpfr_ptr r, mpfr_rnd_t d) {
    switch (op) {
      case Arith::Add: return mpfr_add(r, v.x, v.y, d);
      case Arith::Sub: return mpfr_sub(r, v.x, v.y, d);
      case Arith::Mul: return mpfr_mul(r, v.x, v.y, d);
      case Arith::Div: return mpfr_div(r, v.x, v.y, d);
      case Arith::Sqrt: return mpfr_sqrt(r, v.x, d);
      default: return mpfr_fma(r, v.x, v.y, v.z, d);
    }
  });
}

template <class T>
void check_arith(Mismatches& m, Arith op, B<T> a, B<T> b, B<T> c, uint8_t rm, bool use_soft) {
  uint8_t f = 0;
  const B<T> got = ours<T>(op, a, b, c, rm, f, use_soft);
  const Result<T> want = reference<T>(op, a, b, c, rm);
  m.compare(std::string(use_soft ? "soft " : "") + (sizeof(T) == 4 ? "f32_" : "f64_") + kArithNames[int(op)], rm,
            {a, b, c}, got, f, want.bits, want.flags);
}

template <class T>
void run_arith(Arith op, bool use_soft, int random_per_mode) {
  Mismatches m;
  const bool ternary = fused(op);
  const auto vals = corners<T>(ternary);
  for (uint8_t rm : kModes) {
    if (op == Arith::Sqrt) {
      for (B<T> a : vals) check_arith<T>(m, op, a, 0, 0, rm, use_soft);
    } else if (!ternary) {
      for (B<T> a : vals)
        for (B<T> b : vals) check_arith<T>(m, op, a, b, 0, rm, use_soft);
    } else {
      for (B<T> a : vals)
        for (B<T> b : vals)
          for (B<T> c : vals) check_arith<T>(m, op, a, b, c, rm, use_soft);
    }
    Rng g{0x5eed0000ull + rm * 131 + int(op) * 7 + sizeof(T)};
    for (int i = 0; i < random_per_mode; ++i) {
      const B<T> a = random_operand<T>(g);
      const B<T> b = g.below(3) ? related_operand<T>(g, a) : random_operand<T>(g);
      B<T> c = random_operand<T>(g);
      if (ternary && g.below(3) == 0) {
        // c close to -(a*b): massive cancellation in the fused sum.
        uint8_t ignored = 0;
        const B<T> p = ours<T>(Arith::Mul, a, b, 0, RNE, ignored, false);
        c = static_cast<B<T>>((p ^ (B<T>{1} << (Fmt<T>::kWidth - 1))) + g.below(5) - 2);
      }
      check_arith<T>(m, op, a, b, c, rm, use_soft);
    }
  }
  INFO(m.checked << " checked");
  CHECK(m.failed == 0);
}

constexpr int kRandom = 10000;  // per operation and rounding mode

}  // namespace

TEST_CASE("fp: binary32 arithmetic matches MPFR in every rounding mode", "[fp]") {
  for (Arith op : {Arith::Add, Arith::Sub, Arith::Mul, Arith::Div, Arith::Sqrt, Arith::MAdd, Arith::MSub,
                   Arith::NMSub, Arith::NMAdd}) {
    INFO(kArithNames[int(op)]);
    run_arith<float>(op, false, kRandom);
  }
}

TEST_CASE("fp: binary64 arithmetic matches MPFR in every rounding mode", "[fp]") {
  for (Arith op : {Arith::Add, Arith::Sub, Arith::Mul, Arith::Div, Arith::Sqrt, Arith::MAdd, Arith::MSub,
                   Arith::NMSub, Arith::NMAdd}) {
    INFO(kArithNames[int(op)]);
    run_arith<double>(op, false, kRandom);
  }
}

// The soft core carries RMM (and FMA on hosts without it); checking it in
// the four other modes too exercises the same rounding logic far harder.
TEST_CASE("fp: the soft core matches MPFR in every rounding mode", "[fp]") {
  for (Arith op : {Arith::Add, Arith::Sub, Arith::Mul, Arith::Div, Arith::MAdd, Arith::NMAdd}) {
    INFO(kArithNames[int(op)]);
    run_arith<float>(op, true, kRandom / 2);
    run_arith<double>(op, true, kRandom / 2);
  }
}

// Square root over a sweep of the whole binary32 encoding space (every
// exponent, both signs, NaNs) and a band of binary64 exponents.
TEST_CASE("fp: sqrt over a sweep of all encodings", "[fp]") {
  Mismatches m;
  for (uint8_t rm : kModes) {
    for (uint64_t i = 0; i < (1u << 16); ++i) {
      const uint32_t a = static_cast<uint32_t>(i * 65537u + rm * 977u);
      check_arith<float>(m, Arith::Sqrt, a, 0, 0, rm, false);
      const uint64_t d = (i << 48) ^ (i * 0x9e3779b97f4a7c15ull >> 16);
      check_arith<double>(m, Arith::Sqrt, d, 0, 0, rm, false);
    }
  }
  INFO(m.checked << " checked");
  CHECK(m.failed == 0);
}
