// SPDX-License-Identifier: Apache-2.0
// A "real" program: sorts pseudo-random data three ways (quicksort, heap
// sort, insertion sort) and checks that all agree and are ordered.
#include "rt.h"

#define N 2000

static uint64_t state = 0x9e3779b97f4a7c15ull;
static int64_t next_rand(void) {  // xorshift64*: deterministic, no libc
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return (int64_t)(state * 0x2545f4914f6cdd1dull);
}

static void quicksort(int64_t* a, long lo, long hi) {
  while (lo < hi) {
    int64_t pivot = a[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i <= j) {
        int64_t t = a[i];
        a[i++] = a[j];
        a[j--] = t;
      }
    }
    // Recurse into the smaller half to bound the stack depth.
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
}

static void sift(int64_t* a, long start, long n) {
  long root = start;
  for (;;) {
    long child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && a[child] < a[child + 1]) ++child;
    if (a[root] >= a[child]) return;
    int64_t t = a[root];
    a[root] = a[child];
    a[child] = t;
    root = child;
  }
}

static void heapsort(int64_t* a, long n) {
  for (long s = n / 2 - 1; s >= 0; --s) sift(a, s, n);
  for (long end = n - 1; end > 0; --end) {
    int64_t t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift(a, 0, end);
  }
}

static void insertion(int32_t* a, long n) {  // 32-bit elements: lw/sw, *W compares
  for (long i = 1; i < n; ++i) {
    int32_t v = a[i];
    long j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      --j;
    }
    a[j + 1] = v;
  }
}

static int64_t q[N], h[N];
static int32_t s[N], s2[N];

int main(void) {
  for (int i = 0; i < N; ++i) {
    q[i] = h[i] = next_rand() % 1000000;
    s[i] = (int32_t)(q[i] >> 3);
  }
  quicksort(q, 0, N - 1);
  heapsort(h, N);
  insertion(s, N);
  for (int i = 0; i < N; ++i) s2[i] = (int32_t)(q[i] >> 3);
  int ordered = 1, same = 1;
  uint64_t sum = 0;
  for (int i = 0; i < N; ++i) {
    if (i && q[i - 1] > q[i]) ordered = 0;
    if (q[i] != h[i]) same = 0;
    sum = sum * 31 + (uint64_t)q[i];
  }
  CHECK(ordered);
  CHECK(same);
  CHECK_EQ(memcmp(s, s2, sizeof s), 0);
  rt_printf("sorted %d values: min %lld median %lld max %lld checksum %llx\n", N,
            (long long)q[0], (long long)q[N / 2], (long long)q[N - 1], (unsigned long long)sum);
  for (int i = 0; i < N; i += 250) rt_printf("q[%d]=%lld s[%d]=%d\n", i, (long long)q[i], i, s[i]);
  return rt_failures();
}
