// SPDX-License-Identifier: Apache-2.0
// Managed (unified) memory variables are not supported.
// EXPECT-ERROR: __managed__ (managed memory) is not supported by Tessera
__device__ __managed__ int counter;

__global__ void bump() { atomicAdd(&counter, 1); }
