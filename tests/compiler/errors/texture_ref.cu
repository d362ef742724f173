// SPDX-License-Identifier: Apache-2.0
// Texture references are not supported.
// EXPECT-ERROR: texture references (texture<>) are not supported by Tessera
texture<float, 1, cudaReadModeElementType> tex_input;

__global__ void copy(float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex1Dfetch(tex_input, i);
}
