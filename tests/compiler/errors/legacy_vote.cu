// SPDX-License-Identifier: Apache-2.0
// The pre-CUDA 9 votes without a member mask do not exist on Tessera.
// EXPECT-ERROR: __ballot without a member mask is not supported: use __ballot_sync
// EXPECT-ERROR: __any without a member mask is not supported: use __any_sync
__global__ void vote(const int* in, unsigned* out) {
  out[0] = __ballot(in[threadIdx.x] > 0);
  out[1] = __any(in[threadIdx.x] < 0);
}
