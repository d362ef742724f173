// SPDX-License-Identifier: Apache-2.0
// The F and D extensions: arithmetic in all five static rounding modes and
// dynamically through frm, the exception flags, NaN boxing, fmin/fmax,
// fused multiply-add, saturating conversions, fclass, comparisons, sign
// injection and the fcsr/frm/fflags CSRs. Values are printed as bit
// patterns with the flags each operation raised, so any difference from
// qemu-riscv64 shows up exactly.
#include "rt.h"

enum { NX = 1, UF = 2, OF = 4, DZ = 8, NV = 16 };

static unsigned take_flags(void) {
  unsigned long f;
  __asm__ volatile("csrrw %0, fflags, zero" : "=r"(f));
  return (unsigned)f;
}
static void set_frm(unsigned rm) { __asm__ volatile("csrw frm, %0" : : "r"((unsigned long)rm)); }

static float f32(uint32_t b) {
  float f;
  memcpy(&f, &b, 4);
  return f;
}
static double f64(uint64_t b) {
  double d;
  memcpy(&d, &b, 8);
  return d;
}
static uint32_t b32(float f) {
  uint32_t b;
  memcpy(&b, &f, 4);
  return b;
}
static uint64_t b64(double d) {
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

// ---- operation tables, one function per (operation, rounding mode) ------
#define FOR_RM(X, ...) X(__VA_ARGS__, rne) X(__VA_ARGS__, rtz) X(__VA_ARGS__, rdn) \
  X(__VA_ARGS__, rup) X(__VA_ARGS__, rmm) X(__VA_ARGS__, dyn)
#define RM_LIST(id) {id##_rne, id##_rtz, id##_rdn, id##_rup, id##_rmm, id##_dyn}
static const char* const kRmNames[6] = {"rne", "rtz", "rdn", "rup", "rmm", "dyn"};

#define BIN(id, mn, T, rm)                                                          \
  static T id##_##rm(T a, T b) {                                                    \
    T r;                                                                            \
    __asm__ volatile(mn " %0, %1, %2, " #rm : "=f"(r) : "f"(a), "f"(b));            \
    return r;                                                                       \
  }
#define UN(id, mn, T, rm)                                                           \
  static T id##_##rm(T a) {                                                         \
    T r;                                                                            \
    __asm__ volatile(mn " %0, %1, " #rm : "=f"(r) : "f"(a));                        \
    return r;                                                                       \
  }
#define TER(id, mn, T, rm)                                                          \
  static T id##_##rm(T a, T b, T c) {                                               \
    T r;                                                                            \
    __asm__ volatile(mn " %0, %1, %2, %3, " #rm : "=f"(r) : "f"(a), "f"(b), "f"(c)); \
    return r;                                                                       \
  }
#define TO_INT(id, mn, T, rm)                                                       \
  static int64_t id##_##rm(T a) {                                                   \
    int64_t r;                                                                      \
    __asm__ volatile(mn " %0, %1, " #rm : "=r"(r) : "f"(a));                        \
    return r;                                                                       \
  }
#define FROM_INT(id, mn, T, rm)                                                     \
  static T id##_##rm(int64_t a) {                                                   \
    T r;                                                                            \
    __asm__ volatile(mn " %0, %1, " #rm : "=f"(r) : "r"(a));                        \
    return r;                                                                       \
  }

FOR_RM(BIN, fadd_s, "fadd.s", float) FOR_RM(BIN, fsub_s, "fsub.s", float)
FOR_RM(BIN, fmul_s, "fmul.s", float) FOR_RM(BIN, fdiv_s, "fdiv.s", float)
FOR_RM(BIN, fadd_d, "fadd.d", double) FOR_RM(BIN, fsub_d, "fsub.d", double)
FOR_RM(BIN, fmul_d, "fmul.d", double) FOR_RM(BIN, fdiv_d, "fdiv.d", double)
FOR_RM(UN, fsqrt_s, "fsqrt.s", float) FOR_RM(UN, fsqrt_d, "fsqrt.d", double)
FOR_RM(TER, fmadd_s, "fmadd.s", float) FOR_RM(TER, fmsub_s, "fmsub.s", float)
FOR_RM(TER, fnmadd_s, "fnmadd.s", float) FOR_RM(TER, fnmsub_s, "fnmsub.s", float)
FOR_RM(TER, fmadd_d, "fmadd.d", double) FOR_RM(TER, fmsub_d, "fmsub.d", double)
FOR_RM(TER, fnmadd_d, "fnmadd.d", double) FOR_RM(TER, fnmsub_d, "fnmsub.d", double)
FOR_RM(TO_INT, fcvt_w_s, "fcvt.w.s", float) FOR_RM(TO_INT, fcvt_wu_s, "fcvt.wu.s", float)
FOR_RM(TO_INT, fcvt_l_s, "fcvt.l.s", float) FOR_RM(TO_INT, fcvt_lu_s, "fcvt.lu.s", float)
FOR_RM(TO_INT, fcvt_w_d, "fcvt.w.d", double) FOR_RM(TO_INT, fcvt_wu_d, "fcvt.wu.d", double)
FOR_RM(TO_INT, fcvt_l_d, "fcvt.l.d", double) FOR_RM(TO_INT, fcvt_lu_d, "fcvt.lu.d", double)
FOR_RM(FROM_INT, fcvt_s_w, "fcvt.s.w", float) FOR_RM(FROM_INT, fcvt_s_wu, "fcvt.s.wu", float)
FOR_RM(FROM_INT, fcvt_s_l, "fcvt.s.l", float) FOR_RM(FROM_INT, fcvt_s_lu, "fcvt.s.lu", float)
FOR_RM(FROM_INT, fcvt_d_l, "fcvt.d.l", double) FOR_RM(FROM_INT, fcvt_d_lu, "fcvt.d.lu", double)

// fcvt.s.d / fcvt.d.s change the type, so they get their own definitions.
#define CVT_SD(rm)                                                                  \
  static float fcvt_s_d_##rm(double a) {                                            \
    float r;                                                                        \
    __asm__ volatile("fcvt.s.d %0, %1, " #rm : "=f"(r) : "f"(a));                   \
    return r;                                                                       \
  }
CVT_SD(rne) CVT_SD(rtz) CVT_SD(rdn) CVT_SD(rup) CVT_SD(rmm) CVT_SD(dyn)

typedef float (*bin_s)(float, float);
typedef double (*bin_d)(double, double);
typedef float (*ter_s)(float, float, float);
typedef double (*ter_d)(double, double, double);

static const struct { const char* name; bin_s fn[6]; } kBinS[] = {
    {"fadd.s", RM_LIST(fadd_s)}, {"fsub.s", RM_LIST(fsub_s)},
    {"fmul.s", RM_LIST(fmul_s)}, {"fdiv.s", RM_LIST(fdiv_s)}};
static const struct { const char* name; bin_d fn[6]; } kBinD[] = {
    {"fadd.d", RM_LIST(fadd_d)}, {"fsub.d", RM_LIST(fsub_d)},
    {"fmul.d", RM_LIST(fmul_d)}, {"fdiv.d", RM_LIST(fdiv_d)}};
static const struct { const char* name; ter_s fn[6]; } kTerS[] = {
    {"fmadd.s", RM_LIST(fmadd_s)}, {"fmsub.s", RM_LIST(fmsub_s)},
    {"fnmadd.s", RM_LIST(fnmadd_s)}, {"fnmsub.s", RM_LIST(fnmsub_s)}};
static const struct { const char* name; ter_d fn[6]; } kTerD[] = {
    {"fmadd.d", RM_LIST(fmadd_d)}, {"fmsub.d", RM_LIST(fmsub_d)},
    {"fnmadd.d", RM_LIST(fnmadd_d)}, {"fnmsub.d", RM_LIST(fnmsub_d)}};
static const struct { const char* name; int64_t (*fn[6])(float); } kToIntS[] = {
    {"fcvt.w.s", RM_LIST(fcvt_w_s)}, {"fcvt.wu.s", RM_LIST(fcvt_wu_s)},
    {"fcvt.l.s", RM_LIST(fcvt_l_s)}, {"fcvt.lu.s", RM_LIST(fcvt_lu_s)}};
static const struct { const char* name; int64_t (*fn[6])(double); } kToIntD[] = {
    {"fcvt.w.d", RM_LIST(fcvt_w_d)}, {"fcvt.wu.d", RM_LIST(fcvt_wu_d)},
    {"fcvt.l.d", RM_LIST(fcvt_l_d)}, {"fcvt.lu.d", RM_LIST(fcvt_lu_d)}};
static const struct { const char* name; float (*fn[6])(int64_t); } kFromIntS[] = {
    {"fcvt.s.w", RM_LIST(fcvt_s_w)}, {"fcvt.s.wu", RM_LIST(fcvt_s_wu)},
    {"fcvt.s.l", RM_LIST(fcvt_s_l)}, {"fcvt.s.lu", RM_LIST(fcvt_s_lu)}};
static const struct { const char* name; double (*fn[6])(int64_t); } kFromIntD[] = {
    {"fcvt.d.l", RM_LIST(fcvt_d_l)}, {"fcvt.d.lu", RM_LIST(fcvt_d_lu)}};
static float (*const kCvtSD[6])(double) = RM_LIST(fcvt_s_d);
static float (*const kSqrtS[6])(float) = RM_LIST(fsqrt_s);
static double (*const kSqrtD[6])(double) = RM_LIST(fsqrt_d);

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

// ---- operands -------------------------------------------------------------
static const uint32_t kS[] = {
    0x00000000, 0x80000000, 0x3f800000 /* 1 */, 0xbf800000 /* -1 */, 0x40400000 /* 3 */,
    0x3eaaaaab /* 1/3 */, 0x7f7fffff /* max */, 0x00800000 /* min normal */,
    0x00000001 /* min subnormal */, 0x807fffff, 0x7f800000 /* inf */, 0xff800000,
    0x7fc00000 /* qNaN */, 0x7f800001 /* sNaN */, 0xffc12345 /* -qNaN payload */,
    0x3f800001 /* 1+ulp */, 0x4b800001, 0x33800000 /* 2^-24 */};
static const uint64_t kD[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x4008000000000000ull, 0x3fd5555555555555ull, 0x7fefffffffffffffull, 0x0010000000000000ull,
    0x0000000000000001ull, 0x800fffffffffffffull, 0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0x7ff0000000000001ull, 0xfff8000000012345ull, 0x3ff0000000000001ull,
    0x4340000000000001ull, 0x3ca0000000000000ull};

static void arith(void) {
  for (unsigned o = 0; o < COUNT(kBinS); ++o)
    for (unsigned r = 0; r < 6; ++r) {
      if (r == 5) set_frm(3);  // dyn: round up through frm
      for (unsigned i = 0; i < COUNT(kS); ++i) {
        rt_printf("%s.%s %08x:", kBinS[o].name, kRmNames[r], kS[i]);
        for (unsigned j = 0; j < COUNT(kS); ++j) {
          uint32_t res = b32(kBinS[o].fn[r](f32(kS[i]), f32(kS[j])));
          rt_printf(" %x/%x", res, take_flags());
        }
        rt_putc('\n');
      }
      set_frm(0);
    }
  for (unsigned o = 0; o < COUNT(kBinD); ++o)
    for (unsigned r = 0; r < 6; ++r) {
      if (r == 5) set_frm(2);  // dyn: round down through frm
      for (unsigned i = 0; i < COUNT(kD); ++i) {
        rt_printf("%s.%s %016llx:", kBinD[o].name, kRmNames[r], (unsigned long long)kD[i]);
        for (unsigned j = 0; j < COUNT(kD); ++j) {
          uint64_t res = b64(kBinD[o].fn[r](f64(kD[i]), f64(kD[j])));
          rt_printf(" %llx/%x", (unsigned long long)res, take_flags());
        }
        rt_putc('\n');
      }
      set_frm(0);
    }
  for (unsigned r = 0; r < 6; ++r) {
    if (r == 5) set_frm(1);
    rt_printf("fsqrt.%s:", kRmNames[r]);
    for (unsigned i = 0; i < COUNT(kS); ++i)
      rt_printf(" %x/%x", b32(kSqrtS[r](f32(kS[i]))), take_flags());
    for (unsigned i = 0; i < COUNT(kD); ++i)
      rt_printf(" %llx/%x", (unsigned long long)b64(kSqrtD[r](f64(kD[i]))), take_flags());
    rt_putc('\n');
    set_frm(0);
  }
  // Every frm value through the dynamic mode, on an inexact operation.
  for (unsigned m = 0; m < 5; ++m) {
    set_frm(m);
    float q = fdiv_s_dyn(1.0f, 3.0f);
    float nq = fdiv_s_dyn(-1.0f, 3.0f);
    double dq = fdiv_d_dyn(2.0, 3.0);
    rt_printf("frm %u: %08x %08x %016llx flags %x\n", m, b32(q), b32(nq),
              (unsigned long long)b64(dq), take_flags());
  }
  set_frm(0);
}

static void fused(void) {
  static const uint32_t ts[][3] = {
      {0x3f800000, 0x40400000, 0x3eaaaaab}, {0x40000000, 0x40400000, 0xc0c00000} /* 2*3-6 */,
      {0x7f800000, 0x00000000, 0x7fc00000} /* inf*0+qNaN: NV */, {0x3f800001, 0x3f7ffffe, 0xbf800000},
      {0x7f7fffff, 0x40000000, 0xff7fffff}, {0x00800000, 0x00800000, 0x80000001},
      {0x7f800000, 0x3f800000, 0xff800000} /* inf-inf */};
  static const uint64_t td[][3] = {
      {0x3ff0000000000000ull, 0x4008000000000000ull, 0x3fd5555555555555ull},
      {0x4000000000000000ull, 0x4008000000000000ull, 0xc018000000000000ull},
      {0x7ff0000000000000ull, 0x0000000000000000ull, 0x7ff8000000000000ull},
      {0x3ff0000000000001ull, 0x3feffffffffffffeull, 0xbff0000000000000ull},
      {0x7fefffffffffffffull, 0x4000000000000000ull, 0xffefffffffffffffull},
      {0x0010000000000000ull, 0x0010000000000000ull, 0x8000000000000001ull}};
  for (unsigned o = 0; o < COUNT(kTerS); ++o)
    for (unsigned r = 0; r < 6; ++r) {
      if (r == 5) set_frm(2);
      rt_printf("%s.%s:", kTerS[o].name, kRmNames[r]);
      for (unsigned t = 0; t < COUNT(ts); ++t)
        rt_printf(" %x/%x", b32(kTerS[o].fn[r](f32(ts[t][0]), f32(ts[t][1]), f32(ts[t][2]))),
                  take_flags());
      rt_putc('\n');
      set_frm(0);
    }
  for (unsigned o = 0; o < COUNT(kTerD); ++o)
    for (unsigned r = 0; r < 6; ++r) {
      if (r == 5) set_frm(3);
      rt_printf("%s.%s:", kTerD[o].name, kRmNames[r]);
      for (unsigned t = 0; t < COUNT(td); ++t)
        rt_printf(" %llx/%x",
                  (unsigned long long)b64(kTerD[o].fn[r](f64(td[t][0]), f64(td[t][1]),
                                                         f64(td[t][2]))),
                  take_flags());
      rt_putc('\n');
      set_frm(0);
    }
}

static void conversions(void) {
  static const uint64_t cd[] = {
      0x7ff8000000000000ull /* nan */, 0x7ff0000000000000ull, 0xfff0000000000000ull,
      0x41e65a0bc0000000ull /* 3e9 */, 0xc1e65a0bc0000000ull /* -3e9 */,
      0x43e158e460913d00ull /* 1e19 */, 0x43f158e460913d00ull /* 2e19 */,
      0xbff8000000000000ull /* -1.5 */, 0x4004000000000000ull /* 2.5 */,
      0xbfe0000000000000ull /* -0.5 */, 0x3fe0000000000000ull /* 0.5 */,
      0x41efffffffffff00ull /* 4294967295.5 */, 0xc1e0000000100000ull /* -2147483648.5 */,
      0x43e0000000000000ull /* 2^63 */, 0xc3e0000000000000ull /* -2^63 */,
      0xc3e0000000000001ull, 0x8000000000000000ull, 0xbfeccccccccccccdull /* -0.9 */,
      0x41dfffffffc00000ull /* 2^31-1 */, 0x41e0000000000000ull /* 2^31 */};
  for (unsigned o = 0; o < COUNT(kToIntD); ++o)
    for (unsigned r = 0; r < 6; ++r) {
      if (r == 5) set_frm(4);
      rt_printf("%s.%s:", kToIntD[o].name, kRmNames[r]);
      for (unsigned i = 0; i < COUNT(cd); ++i)
        rt_printf(" %llx/%x", (unsigned long long)kToIntD[o].fn[r](f64(cd[i])), take_flags());
      rt_putc('\n');
      set_frm(0);
    }
  for (unsigned o = 0; o < COUNT(kToIntS); ++o)
    for (unsigned r = 0; r < 6; ++r) {
      if (r == 5) set_frm(1);
      rt_printf("%s.%s:", kToIntS[o].name, kRmNames[r]);
      for (unsigned i = 0; i < COUNT(cd); ++i) {
        // Narrow the operand exactly (rtz) so every value is representable-ish.
        float f = fcvt_s_d_rtz(f64(cd[i]));
        take_flags();
        rt_printf(" %llx/%x", (unsigned long long)kToIntS[o].fn[r](f), take_flags());
      }
      rt_putc('\n');
      set_frm(0);
    }
  static const int64_t ci[] = {0, 1, -1, INT64_MAX, INT64_MIN, (1ll << 53) + 1, -(1ll << 24) - 1,
                               0xffffffffll, 16777217, (int64_t)0x80000000ffffff01ull,
                               0x7fffffff, (int64_t)0xffffffff80000000ull};
  for (unsigned o = 0; o < COUNT(kFromIntS); ++o)
    for (unsigned r = 0; r < 6; ++r) {
      if (r == 5) set_frm(3);
      rt_printf("%s.%s:", kFromIntS[o].name, kRmNames[r]);
      for (unsigned i = 0; i < COUNT(ci); ++i)
        rt_printf(" %x/%x", b32(kFromIntS[o].fn[r](ci[i])), take_flags());
      rt_putc('\n');
      set_frm(0);
    }
  for (unsigned o = 0; o < COUNT(kFromIntD); ++o)
    for (unsigned r = 0; r < 6; ++r) {
      if (r == 5) set_frm(2);
      rt_printf("%s.%s:", kFromIntD[o].name, kRmNames[r]);
      for (unsigned i = 0; i < COUNT(ci); ++i)
        rt_printf(" %llx/%x", (unsigned long long)b64(kFromIntD[o].fn[r](ci[i])), take_flags());
      rt_putc('\n');
      set_frm(0);
    }
  // fcvt.d.w / fcvt.d.wu are exact: no rounding-mode field that matters.
  for (unsigned i = 0; i < COUNT(ci); ++i) {
    double a, b;
    __asm__ volatile("fcvt.d.w %0, %2\n\tfcvt.d.wu %1, %2" : "=&f"(a), "=&f"(b) : "r"(ci[i]));
    rt_printf("fcvt.d.w/wu %llx: %llx %llx/%x\n", (unsigned long long)ci[i],
              (unsigned long long)b64(a), (unsigned long long)b64(b), take_flags());
  }
  for (unsigned r = 0; r < 6; ++r) {
    if (r == 5) set_frm(4);
    rt_printf("fcvt.s.d.%s:", kRmNames[r]);
    for (unsigned i = 0; i < COUNT(kD); ++i)
      rt_printf(" %x/%x", b32(kCvtSD[r](f64(kD[i]))), take_flags());
    rt_putc('\n');
    set_frm(0);
  }
  rt_puts("fcvt.d.s:");
  for (unsigned i = 0; i < COUNT(kS); ++i) {
    double d;
    __asm__ volatile("fcvt.d.s %0, %1" : "=f"(d) : "f"(f32(kS[i])));
    rt_printf(" %llx/%x", (unsigned long long)b64(d), take_flags());
  }
  rt_putc('\n');
}

#define CMP(id, mn, T)                                                         \
  static int64_t id(T a, T b) {                                                \
    int64_t r;                                                                 \
    __asm__ volatile(mn " %0, %1, %2" : "=r"(r) : "f"(a), "f"(b));             \
    return r;                                                                  \
  }
CMP(feq_s, "feq.s", float) CMP(flt_s, "flt.s", float) CMP(fle_s, "fle.s", float)
CMP(feq_d, "feq.d", double) CMP(flt_d, "flt.d", double) CMP(fle_d, "fle.d", double)
#define SBIN(id, mn, T)                                                        \
  static T id(T a, T b) {                                                      \
    T r;                                                                       \
    __asm__ volatile(mn " %0, %1, %2" : "=f"(r) : "f"(a), "f"(b));             \
    return r;                                                                  \
  }
SBIN(fmin_s, "fmin.s", float) SBIN(fmax_s, "fmax.s", float)
SBIN(fmin_d, "fmin.d", double) SBIN(fmax_d, "fmax.d", double)
SBIN(fsgnj_s, "fsgnj.s", float) SBIN(fsgnjn_s, "fsgnjn.s", float) SBIN(fsgnjx_s, "fsgnjx.s", float)
SBIN(fsgnj_d, "fsgnj.d", double) SBIN(fsgnjn_d, "fsgnjn.d", double) SBIN(fsgnjx_d, "fsgnjx.d", double)

static void compare_minmax_sign(void) {
  static const struct { const char* n; int64_t (*f)(float, float); } cs[] = {
      {"feq.s", feq_s}, {"flt.s", flt_s}, {"fle.s", fle_s}};
  static const struct { const char* n; int64_t (*f)(double, double); } cdd[] = {
      {"feq.d", feq_d}, {"flt.d", flt_d}, {"fle.d", fle_d}};
  static const struct { const char* n; float (*f)(float, float); } ss[] = {
      {"fmin.s", fmin_s}, {"fmax.s", fmax_s}, {"fsgnj.s", fsgnj_s}, {"fsgnjn.s", fsgnjn_s},
      {"fsgnjx.s", fsgnjx_s}};
  static const struct { const char* n; double (*f)(double, double); } sd[] = {
      {"fmin.d", fmin_d}, {"fmax.d", fmax_d}, {"fsgnj.d", fsgnj_d}, {"fsgnjn.d", fsgnjn_d},
      {"fsgnjx.d", fsgnjx_d}};
  for (unsigned o = 0; o < COUNT(cs); ++o)
    for (unsigned i = 0; i < COUNT(kS); ++i) {
      rt_printf("%s %08x:", cs[o].n, kS[i]);
      for (unsigned j = 0; j < COUNT(kS); ++j)
        rt_printf(" %lld/%x", (long long)cs[o].f(f32(kS[i]), f32(kS[j])), take_flags());
      rt_putc('\n');
    }
  for (unsigned o = 0; o < COUNT(cdd); ++o)
    for (unsigned i = 0; i < COUNT(kD); ++i) {
      rt_printf("%s %016llx:", cdd[o].n, (unsigned long long)kD[i]);
      for (unsigned j = 0; j < COUNT(kD); ++j)
        rt_printf(" %lld/%x", (long long)cdd[o].f(f64(kD[i]), f64(kD[j])), take_flags());
      rt_putc('\n');
    }
  for (unsigned o = 0; o < COUNT(ss); ++o)
    for (unsigned i = 0; i < COUNT(kS); ++i) {
      rt_printf("%s %08x:", ss[o].n, kS[i]);
      for (unsigned j = 0; j < COUNT(kS); ++j)
        rt_printf(" %x/%x", b32(ss[o].f(f32(kS[i]), f32(kS[j]))), take_flags());
      rt_putc('\n');
    }
  for (unsigned o = 0; o < COUNT(sd); ++o)
    for (unsigned i = 0; i < COUNT(kD); ++i) {
      rt_printf("%s %016llx:", sd[o].n, (unsigned long long)kD[i]);
      for (unsigned j = 0; j < COUNT(kD); ++j)
        rt_printf(" %llx/%x", (unsigned long long)b64(sd[o].f(f64(kD[i]), f64(kD[j]))),
                  take_flags());
      rt_putc('\n');
    }
  rt_puts("fclass.s:");
  for (unsigned i = 0; i < COUNT(kS); ++i) {
    int64_t c;
    __asm__ volatile("fclass.s %0, %1" : "=r"(c) : "f"(f32(kS[i])));
    rt_printf(" %llx", (unsigned long long)c);
  }
  rt_puts("\nfclass.d:");
  for (unsigned i = 0; i < COUNT(kD); ++i) {
    int64_t c;
    __asm__ volatile("fclass.d %0, %1" : "=r"(c) : "f"(f64(kD[i])));
    rt_printf(" %llx", (unsigned long long)c);
  }
  rt_putc('\n');
  take_flags();
}

// A single-precision operand that is not NaN-boxed (upper 32 bits not all
// ones) must be read as the canonical NaN by every operation except the
// moves and stores.
static void nan_boxing(void) {
  uint64_t raw = 0x3ff0000000000000ull;  // 1.0 as a double: not a boxed float
  uint64_t sum, sgnj, cvt, mvxw, cls, boxed;
  __asm__ volatile(
      "fmv.d.x ft0, %6\n\t"
      "fadd.s ft1, ft0, ft0\n\t"
      "fmv.x.d %0, ft1\n\t"
      "fsgnj.s ft1, ft0, ft0\n\t"
      "fmv.x.d %1, ft1\n\t"
      "fcvt.d.s ft1, ft0\n\t"
      "fmv.x.d %2, ft1\n\t"
      "fmv.x.w %3, ft0\n\t"
      "fclass.s %4, ft0\n\t"
      "fmv.w.x ft1, %6\n\t"
      "fmv.x.d %5, ft1\n\t"
      : "=&r"(sum), "=&r"(sgnj), "=&r"(cvt), "=&r"(mvxw), "=&r"(cls), "=&r"(boxed)
      : "r"(raw)
      : "ft0", "ft1");
  unsigned fl = take_flags();
  rt_printf("nanbox: fadd.s %016llx fsgnj.s %016llx fcvt.d.s %016llx fmv.x.w %016llx "
            "fclass.s %llx fmv.w.x %016llx flags %x\n",
            (unsigned long long)sum, (unsigned long long)sgnj, (unsigned long long)cvt,
            (unsigned long long)mvxw, (unsigned long long)cls, (unsigned long long)boxed, fl);
  CHECK_EQ(sum, 0xffffffff7fc00000ull);
  CHECK_EQ(sgnj, 0xffffffff7fc00000ull);
  CHECK_EQ(cvt, 0x7ff8000000000000ull);
  CHECK_EQ(mvxw, 0);  // low 32 bits of the raw value, sign-extended
  CHECK_EQ(cls, 0x200);
  CHECK_EQ(boxed, 0xffffffff00000000ull);
}

static void flags_and_csrs(void) {
  take_flags();
  volatile float zero = 0.0f, one = 1.0f, three = 3.0f, big = 3.0e38f, tiny = 1e-30f;
  (void)fdiv_s_rne(zero, zero);
  CHECK_EQ(take_flags(), NV);
  (void)fdiv_s_rne(one, zero);
  CHECK_EQ(take_flags(), DZ);
  (void)fmul_s_rne(big, big);
  CHECK_EQ(take_flags(), OF | NX);
  (void)fmul_s_rne(tiny, tiny);
  CHECK_EQ(take_flags(), UF | NX);
  (void)fdiv_s_rne(one, three);
  CHECK_EQ(take_flags(), NX);
  CHECK_EQ(fcvt_w_d_rtz(f64(0x7ff8000000000000ull)), INT32_MAX);
  CHECK_EQ(take_flags(), NV);
  CHECK_EQ(fcvt_wu_d_rtz(-1.0), 0);
  CHECK_EQ(take_flags(), NV);
  CHECK_EQ(fcvt_wu_d_rtz(-0.9), 0);
  CHECK_EQ(take_flags(), NX);
  CHECK_EQ(fcvt_lu_d_rtz(f64(0xfff0000000000000ull)), 0);
  CHECK_EQ(fcvt_l_d_rtz(1e19), INT64_MAX);
  CHECK_EQ(fcvt_wu_s_rtz(f32(0x7f800000)), -1);  // UINT32_MAX, sign-extended
  take_flags();

  // fcsr = frm << 5 | fflags; the bits above 7 read as zero.
  unsigned long fcsr, frm, ffl, old;
  __asm__ volatile("csrw fcsr, %0" : : "r"(0xfffUL));
  __asm__ volatile("csrr %0, fcsr" : "=r"(fcsr));
  __asm__ volatile("csrr %0, frm" : "=r"(frm));
  __asm__ volatile("csrr %0, fflags" : "=r"(ffl));
  rt_printf("fcsr after writing 0xfff: %lx frm %lx fflags %lx\n", fcsr, frm, ffl);
  CHECK_EQ(fcsr, 0xffUL);
  __asm__ volatile("csrrwi %0, frm, 2" : "=r"(old));
  __asm__ volatile("csrr %0, fcsr" : "=r"(fcsr));
  rt_printf("csrrwi frm: old %lx fcsr %lx\n", old, fcsr);
  __asm__ volatile("csrrci %0, fflags, 0x5" : "=r"(old));
  __asm__ volatile("csrr %0, fcsr" : "=r"(fcsr));
  rt_printf("csrrci fflags: old %lx fcsr %lx\n", old, fcsr);
  __asm__ volatile("csrrs %0, fflags, %1" : "=r"(old) : "r"(0x20UL | NX));
  __asm__ volatile("csrr %0, fcsr" : "=r"(fcsr));
  rt_printf("csrrs fflags: old %lx fcsr %lx\n", old, fcsr);
  __asm__ volatile("csrrc %0, frm, %1" : "=r"(old) : "r"(0x3UL));
  __asm__ volatile("csrrsi %0, fcsr, 0x10" : "=r"(old));
  __asm__ volatile("csrr %0, fcsr" : "=r"(fcsr));
  rt_printf("csrrc frm, csrrsi fcsr: old %lx fcsr %lx\n", old, fcsr);
  __asm__ volatile("csrw fcsr, zero");
}

int main(void) {
  set_frm(0);
  take_flags();
  arith();
  fused();
  conversions();
  compare_minmax_sign();
  nan_boxing();
  flags_and_csrs();
  rt_printf("fp: %d failures\n", rt_failures());
  return rt_failures();
}
