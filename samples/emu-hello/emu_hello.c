// SPDX-License-Identifier: Apache-2.0
// emu-hello: a bare RV64GC program for `tessera-emu run`. Prints a greeting,
// the first primes (integer M-extension work) and an ASCII Mandelbrot set
// (double-precision D-extension work), then exits with status 0.
#include "rt.h"

static void primes(int count) {
  rt_puts("The first primes:");
  int found = 0;
  for (unsigned n = 2; found < count; ++n) {
    int prime = 1;
    for (unsigned d = 2; d * d <= n; ++d)
      if (n % d == 0) {
        prime = 0;
        break;
      }
    if (prime) {
      rt_printf(" %u", n);
      ++found;
    }
  }
  rt_putc('\n');
}

static void mandelbrot(int rows, int cols) {
  static const char shades[] = " .:-=+*#%@";
  for (int r = 0; r < rows; ++r) {
    double ci = 1.2 - 2.4 * r / (rows - 1);
    for (int c = 0; c < cols; ++c) {
      double cr = -2.1 + 2.8 * c / (cols - 1);
      double zr = 0, zi = 0;
      int it = 0;
      while (it < 64 && zr * zr + zi * zi <= 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        ++it;
      }
      rt_putc(it == 64 ? '@' : shades[it % 9]);
    }
    rt_putc('\n');
  }
}

int main(int argc, char** argv) {
  rt_printf("Hello from a RISC-V program on the Tessera T1 emulator! (%s, %d argument%s)\n",
            argv[0], argc - 1, argc == 2 ? "" : "s");
  primes(20);
  mandelbrot(21, 64);
  return 0;
}
