// SPDX-License-Identifier: Apache-2.0
// Kernels for the tessera.hpp tests.

// y[i] = a * x[i] + y[i]
extern "C" __global__ void saxpy(int n, float a, const float* x, float* y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

// A struct by value and a 64-bit scalar: the launch helper must pass both intact.
struct Affine {
  int scale;
  int offset;
};
extern "C" __global__ void affine_fill(Affine f, long long base, long long* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = base + f.scale * i + f.offset;
}

// No parameters: the launch passes no argument array.
__device__ int g_counter;
extern "C" __global__ void bump() { atomicAdd(&g_counter, 1); }

// Spins for a while so that a stream is still busy when queried.
extern "C" __global__ void spin(unsigned iterations, unsigned* out) {
  unsigned x = threadIdx.x;
  for (unsigned i = 0; i < iterations; ++i) x = x * 1664525u + 1013904223u;
  out[threadIdx.x] = x;
}

// Reads g_counter through a kernel, as a second view besides tsMemcpy.
extern "C" __global__ void read_counter(int* out) { *out = g_counter; }
