// SPDX-License-Identifier: Apache-2.0
// A "real" program: deep and branching recursion (Ackermann, Fibonacci,
// Towers of Hanoi, N-queens), exercising calls, returns and the stack.
#include "rt.h"

static uint64_t ackermann(uint64_t m, uint64_t n) {
  if (m == 0) return n + 1;
  if (n == 0) return ackermann(m - 1, 1);
  return ackermann(m - 1, ackermann(m, n - 1));
}

static uint64_t fib(unsigned n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static uint64_t hanoi(unsigned n, int from, int to, int via, uint64_t* checksum) {
  if (n == 0) return 0;
  uint64_t moves = hanoi(n - 1, from, via, to, checksum);
  *checksum = *checksum * 3 + (uint64_t)(from * 4 + to);
  return moves + 1 + hanoi(n - 1, via, to, from, checksum);
}

static int queens(int n, int row, uint32_t cols, uint32_t d1, uint32_t d2) {
  if (row == n) return 1;
  int count = 0;
  for (uint32_t free = ~(cols | d1 | d2) & ((1u << n) - 1); free; free &= free - 1) {
    uint32_t bit = free & -free;
    count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
  }
  return count;
}

int main(void) {
  uint64_t a = ackermann(2, 300), a3 = ackermann(3, 5);
  uint64_t f = fib(24);
  uint64_t cs = 0;
  uint64_t h = hanoi(16, 0, 2, 1, &cs);
  int q = queens(8, 0, 0, 0, 0);
  rt_printf("ackermann(2,300)=%llu ackermann(3,5)=%llu fib(24)=%llu\n", (unsigned long long)a,
            (unsigned long long)a3, (unsigned long long)f);
  rt_printf("hanoi(16)=%llu moves checksum %llx, 8-queens=%d\n", (unsigned long long)h,
            (unsigned long long)cs, q);
  CHECK_EQ(a, 603);
  CHECK_EQ(a3, 253);
  CHECK_EQ(f, 46368);
  CHECK_EQ(h, 65535);
  CHECK_EQ(q, 92);
  return rt_failures();
}
