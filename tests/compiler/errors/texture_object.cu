// SPDX-License-Identifier: Apache-2.0
// Texture objects and tex1Dfetch are not supported.
// EXPECT-ERROR: texture objects (cudaTextureObject_t) are not supported by Tessera
// EXPECT-ERROR: textures (tex1Dfetch) are not supported by Tessera
__global__ void copy(cudaTextureObject_t tex, float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n)
    out[i] = tex1Dfetch<float>(tex, i);
}
