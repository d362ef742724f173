// SPDX-License-Identifier: Apache-2.0
// streams' kernel: some integer work per element, enough to make a kernel
// take a while: `rounds` rounds of a multiply-xorshift hash. Integer-only,
// so the host can check every value exactly.
__host__ __device__ inline unsigned mix(unsigned x, int rounds) {
  for (int r = 0; r < rounds; ++r) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
  }
  return x;
}

extern "C" __global__ void hash_elements(const unsigned* in, unsigned* out, int n, int rounds) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = mix(in[i], rounds);
}
