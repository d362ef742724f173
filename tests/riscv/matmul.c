// SPDX-License-Identifier: Apache-2.0
// A "real" program: double-precision matrix multiply (naive and blocked),
// a harmonic-style sum and a Newton iteration, printed both exactly (bits)
// and in decimal. The matrices hold small multiples of 2^-7, so both loop
// orders give the exact same product, which is self-checked.
#include "rt.h"

#define N 24

static double a[N][N], b[N][N], c[N][N], c2[N][N];

int main(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      a[i][j] = (double)((i * 7 + j * 3) % 11) / 8.0 - 0.5;
      b[i][j] = (double)((i * 5 + j * 13) % 17) / 16.0 + (i == j);
    }
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < N; ++k) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
  // Blocked i-k-j order: a different summation order, same exact result
  // here since every product and partial sum is a multiple of 2^-7 < 2^46.
  for (int ii = 0; ii < N; ii += 8)
    for (int kk = 0; kk < N; kk += 8)
      for (int i = ii; i < ii + 8; ++i)
        for (int k = kk; k < kk + 8; ++k)
          for (int j = 0; j < N; ++j) c2[i][j] += a[i][k] * b[k][j];
  double trace = 0;
  for (int i = 0; i < N; ++i) trace += c[i][i];
  CHECK_EQ(memcmp(c, c2, sizeof c), 0);
  rt_puts("trace = ");
  rt_print_double(trace, 6);
  rt_puts(" bits ");
  rt_print_double_bits(trace);
  rt_putc('\n');

  // An inexact computation: the sum of 1/(i+1)^2 and a square-root iteration.
  double zeta = 0, x = 2;
  for (int i = 0; i < 1000; ++i) zeta += 1.0 / ((double)(i + 1) * (i + 1));
  for (int i = 0; i < 8; ++i) x = 0.5 * (x + 2.0 / x);
  rt_puts("zeta2 ~ ");
  rt_print_double(zeta, 12);
  rt_puts(" ");
  rt_print_double_bits(zeta);
  rt_puts("\nsqrt2 ~ ");
  rt_print_double(x, 15);
  rt_puts(" ");
  rt_print_double_bits(x);
  rt_putc('\n');
  for (int i = 0; i < N; i += 5) {
    rt_printf("c[%d][%d..]:", i, i);
    for (int j = i; j < N && j < i + 4; ++j) {
      rt_putc(' ');
      rt_print_double(c[i][j], 4);
    }
    rt_putc('\n');
  }
  return rt_failures();
}
