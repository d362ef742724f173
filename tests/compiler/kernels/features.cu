// SPDX-License-Identifier: Apache-2.0
// C++ and CUDA language features in device code, each contributing to
// out[i] for thread i (see the comments per step): templates and device
// functions, a lambda, structs by value, recursion, __constant__ and
// __device__ globals, extern __shared__ dynamic shared memory (launch with
// blockDim.x * sizeof(float) bytes), assert, and the usual C headers.
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <float.h>
#include <type_traits>
#include <utility>
#include <algorithm>

#include <cuda_runtime.h>
#include <math_constants.h>
#include <vector_types.h>

__constant__ float kScale[4] = {1.0f, 2.0f, 0.5f, 4.0f};
__device__ int g_calls; // counts kernel invocations' threads
__device__ float g_table[3] = {10.0f, 20.0f, 30.0f};

struct Particle {
  float3 position;
  float mass;
  int id;
};

// Structs by value in and out.
__device__ Particle step(Particle p, float dt) {
  p.position.x += dt * p.mass;
  p.position.y -= dt;
  p.id += 1;
  return p;
}

// Recursion (bounded by the argument).
__device__ unsigned long long factorial(unsigned int n) {
  return n <= 1 ? 1 : n * factorial(n - 1);
}

template <typename T> struct Accumulator {
  T total{};
  __device__ void add(T v) { total += v; }
};

template <typename T, typename F> __device__ T apply_twice(T v, F f) { return f(f(v)); }

template <int N> __device__ int unrolled_sum(const int (&values)[N]) {
  int s = 0;
#pragma unroll
  for (int i = 0; i < N; ++i)
    s += values[i];
  return s;
}

struct FeatureParams {
  int n;
  float bias;
  int2 shape;
};

__global__ void features(FeatureParams params, const Particle* particles, float* out) {
  extern __shared__ float dynamic_smem[];
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  assert(blockDim.x <= 1024);
  dynamic_smem[threadIdx.x] = static_cast<float>(i);
  __syncthreads();
  if (i >= params.n)
    return;

  // A lambda capturing by value; applied twice: (v * 2 + bias) * 2 + bias.
  const float bias = params.bias;
  auto affine = [bias](float v) { return v * 2.0f + bias; };
  float r = apply_twice(static_cast<float>(i), affine);

  // A struct through a device function by value.
  Particle p = step(particles[i], 0.5f);
  r += p.position.x + p.position.y + static_cast<float>(p.id);

  // __constant__ and __device__ globals, a device-side atomic on a global.
  r += kScale[i % 4] * g_table[i % 3];
  atomicAdd(&g_calls, 1);

  // Recursion, templates, std::min/max, <type_traits>, <stdint.h>, <math.h>, <limits.h>.
  Accumulator<int64_t> acc;
  acc.add(static_cast<int64_t>(factorial(static_cast<unsigned int>(i % 10))));
  const int values[4] = {i, 1, 2, 3};
  acc.add(unrolled_sum(values));
  static_assert(std::is_same<decltype(acc.total), int64_t>::value, "int64_t accumulator");
  r += static_cast<float>(acc.total % 1000) + std::min(i, 5) + std::max(0.5f, r * 0.0f);
  r += fabsf(sinf(CUDART_PI_F * i)) < 1e-3f ? 0.0f : 1.0f;
  r += (INT_MAX > 0 && FLT_EPSILON < 1.0f) ? 1.0f : 0.0f;
  r += static_cast<float>(params.shape.x * params.shape.y);

  // Dynamic shared memory written by a neighbour thread.
  r += dynamic_smem[(threadIdx.x + 1) % blockDim.x];

  // memcpy / memset on local data.
  float copy[4];
  memset(copy, 0, sizeof(copy));
  memcpy(copy, &r, sizeof(r));
  out[i] = copy[0] + copy[1];
}
