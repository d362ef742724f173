// SPDX-License-Identifier: Apache-2.0
// Well-behaved kernels for the runtime API tests: each has an effect the
// host can check exactly, so a test can tell whether (and how often, and in
// which order) a launch ran.
#include <stdint.h>

extern "C" __global__ void noop() {}

extern "C" __global__ void fill_u32(uint32_t* out, uint32_t value, uint32_t n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = value;
}

extern "C" __global__ void increment_u32(uint32_t* data, uint32_t n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) data[i] += 1;
}

extern "C" __global__ void add_u32(uint32_t* data, uint32_t addend, uint32_t n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) data[i] += addend;
}

extern "C" __global__ void copy_u32(uint32_t* dst, const uint32_t* src, uint32_t n) {
  const uint32_t i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) dst[i] = src[i];
}

// Every thread of a 3-D launch writes its coordinates, packed 4 bits each,
// at its linear position, and the dimensions it sees in the first slots of
// `dims` (thread 0 of block 0 only).
extern "C" __global__ void write_coordinates(uint32_t* out, uint32_t* dims) {
  const uint32_t block = blockIdx.x + gridDim.x * (blockIdx.y + gridDim.y * blockIdx.z);
  const uint32_t threads = blockDim.x * blockDim.y * blockDim.z;
  const uint32_t thread = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
  out[block * threads + thread] = blockIdx.x | blockIdx.y << 4 | blockIdx.z << 8 |
                                  threadIdx.x << 12 | threadIdx.y << 16 | threadIdx.z << 20;
  if (block == 0 && thread == 0) {
    dims[0] = gridDim.x;
    dims[1] = gridDim.y;
    dims[2] = gridDim.z;
    dims[3] = blockDim.x;
    dims[4] = blockDim.y;
    dims[5] = blockDim.z;
  }
}

// Parameters of every size and alignment class, so that the kernarg layout
// the runtime builds from the note is checked field by field.
struct MixedPair {
  int a;
  double b;
  char c;
};

extern "C" __global__ void mixed_args(char c, short s, int i, long long ll, float f, double d,
                                      MixedPair pair, unsigned char u8, double* out) {
  out[0] = c;
  out[1] = s;
  out[2] = i;
  out[3] = static_cast<double>(ll);
  out[4] = f;
  out[5] = d;
  out[6] = pair.a;
  out[7] = pair.b;
  out[8] = pair.c;
  out[9] = u8;
}

// Reverses each block's slice through a static __shared__ array of exactly
// 1024 bytes (tsFuncGetAttributes must report them). blockDim.x <= 256.
extern "C" __global__ void reverse_block(int* data) {
  __shared__ int staging[256];
  const unsigned t = threadIdx.x;
  const unsigned base = blockIdx.x * blockDim.x;
  staging[t] = data[base + t];
  __syncthreads();
  data[base + t] = staging[blockDim.x - 1 - t];
}

// Sums each block's slice through dynamic shared memory (launch with
// blockDim.x * sizeof(int) bytes or more).
extern "C" __global__ void dynamic_shared_sum(const int* in, int* out) {
  extern __shared__ int scratch[];
  scratch[threadIdx.x] = in[blockIdx.x * blockDim.x + threadIdx.x];
  __syncthreads();
  if (threadIdx.x == 0) {
    int sum = 0;
    for (unsigned k = 0; k < blockDim.x; ++k) sum += scratch[k];
    out[blockIdx.x] = sum;
  }
}

// A kernel that declares a smaller block limit than the device's.
extern "C" __global__ void __launch_bounds__(128) bounded_fill(uint32_t* out, uint32_t value) {
  out[blockIdx.x * blockDim.x + threadIdx.x] = value;
}

// __device__ globals reached through tsModuleGetGlobal.
__device__ int g_table[4] = {10, 20, 30, 40};
__device__ unsigned long long g_launches;

extern "C" __global__ void read_table(int* out) {
  if (threadIdx.x < 4) out[threadIdx.x] = g_table[threadIdx.x];
}

extern "C" __global__ void count_launch() {
  if (blockIdx.x == 0 && threadIdx.x == 0) atomicAdd(&g_launches, 1ull);
}

// Keeps a tile busy for a while (for event timing); the result is stored so
// the loop cannot be optimized away.
extern "C" __global__ void busy_work(uint32_t* out, uint32_t iterations) {
  uint32_t x = threadIdx.x + 1;
  for (uint32_t k = 0; k < iterations; ++k) x = x * 1664525u + 1013904223u;
  out[blockIdx.x * blockDim.x + threadIdx.x] = x;
}
