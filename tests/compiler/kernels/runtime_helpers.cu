// SPDX-License-Identifier: Apache-2.0
// Code that makes the compiler call helper routines instead of emitting
// instructions (they come from the device libraries linked into every code
// object): 128-bit integer division and remainder, conversions between
// double and 128-bit integers, and memcpy/memset for large struct copies
// and zeroing. (long double is double in device code, as in CUDA.) Thread i writes
// row i of out (16 unsigned long long values, see the host test).
#include <cuda_runtime.h>
#include <stdint.h>
#include <string.h>

struct Big {
  unsigned long long v[24];
};

__device__ __noinline__ Big make_big(unsigned long long seed) {
  Big b;
  for (int k = 0; k < 24; ++k) b.v[k] = seed * (k + 1);
  return b;
}

__global__ void runtime_helpers(const long long* a, const long long* b, const double* d, const Big* big,
                                unsigned long long* out) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  unsigned long long* row = out + 16 * i;
  const __int128 x = (static_cast<__int128>(a[i]) << 40) + b[i];
  const __int128 y = b[i] | 1;
  const __int128 q = x / y, r = x % y;
  const unsigned __int128 uq = static_cast<unsigned __int128>(x) / static_cast<unsigned __int128>(y < 0 ? -y : y);
  row[0] = static_cast<unsigned long long>(q);
  row[1] = static_cast<unsigned long long>(q >> 64);
  row[2] = static_cast<unsigned long long>(r);
  row[3] = static_cast<unsigned long long>(uq);
  // double <-> 128-bit integer
  const __int128 t = static_cast<__int128>(d[i] * 1e20);
  row[4] = static_cast<unsigned long long>(t);
  row[5] = static_cast<unsigned long long>(t >> 64);
  const double back = static_cast<double>(x);
  memcpy(&row[6], &back, sizeof back);
  // long double: the same as double in CUDA device code
  const long double ld = static_cast<long double>(d[i]) / 3.0L + static_cast<long double>(a[i]);
  const double ldd = static_cast<double>(ld * 3.0L);
  memcpy(&row[7], &ldd, sizeof ldd);
  // struct copies and zeroing big enough for memcpy/memset calls
  Big local = big[i % 4];
  Big made = make_big(static_cast<unsigned long long>(i));
  unsigned long long sum = 0;
  for (int k = 0; k < 24; ++k) sum += local.v[k] ^ made.v[k];
  row[8] = sum;
  unsigned char zeros[200];
  memset(zeros, 0, sizeof zeros);
  zeros[i % 200] = 1;
  unsigned long long nz = 0;
  for (int k = 0; k < 200; ++k) nz += zeros[k];
  row[9] = nz;
}

// A failed assert stops the thread with a BREAKPOINT fault.
#include <assert.h>
__global__ void assert_zero(const int* p) { assert(p[blockIdx.x * blockDim.x + threadIdx.x] == 0); }
