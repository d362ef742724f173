// SPDX-License-Identifier: Apache-2.0
// Warp shuffles, votes and matches, converged and under divergence. With
// lane = threadIdx.x % 32 and v = in[global thread index], each thread
// writes to its own WarpOut record:
//   idx = v of lane (lane + 3) % 32           up = v of lane - 1 (lane 0 keeps v)
//   down = v of lane + 1 (lane 31 keeps v)    xor = v of lane ^ 1
//   seg_idx / seg_xor: idx from lane 0 of the 8-lane segment / xor 2 in 8 lanes
//   d_xor, ll_down: 64-bit double / long long shuffles (xor 5, down 2)
//   all/any/uni/ballot of (v > 0) over the full warp
//   odd_ballot: ballot among the odd lanes only (mask 0xAAAAAAAA), taken by
//               odd lanes inside an if; active: __activemask() there (even lanes: 0)
//   odd_sum: sum of v over the odd lanes by xor shuffles within that mask
//   match_any: lanes with the same v % 4; match_all: mask/pred for v / 1000
#include <cuda_runtime.h>

struct WarpOut {
  int idx, up, down, xr, seg_idx, seg_xor;
  double d_xor;
  long long ll_down;
  int all, any, uni;
  unsigned int ballot, odd_ballot, active;
  int odd_sum;
  unsigned int match_any, match_all;
  int match_all_pred;
};

__global__ void warp_ops(const int* in, WarpOut* out) {
  const int t = blockIdx.x * blockDim.x + threadIdx.x;
  const int lane = threadIdx.x % warpSize;
  const unsigned int full = 0xffffffffu;
  const int v = in[t];
  WarpOut r = {};

  r.idx = __shfl_sync(full, v, (lane + 3) % warpSize);
  r.up = __shfl_up_sync(full, v, 1);
  r.down = __shfl_down_sync(full, v, 1);
  r.xr = __shfl_xor_sync(full, v, 1);
  r.seg_idx = __shfl_sync(full, v, 0, 8);
  r.seg_xor = __shfl_xor_sync(full, v, 2, 8);
  r.d_xor = __shfl_xor_sync(full, v * 0.25 + 1e10, 5);
  r.ll_down = __shfl_down_sync(full, static_cast<long long>(v) << 33, 2);

  r.all = __all_sync(full, v > 0);
  r.any = __any_sync(full, v > 0);
  r.uni = __uni_sync(full, v > 0);
  r.ballot = __ballot_sync(full, v > 0);

  if (lane & 1) {
    const unsigned int odd = 0xaaaaaaaau;
    r.active = __activemask();
    r.odd_ballot = __ballot_sync(odd, v > 0);
    int sum = v;
    // Butterflies over the 16 odd lanes: partners differ in bits 1..4.
    for (int m = 2; m < warpSize; m *= 2)
      sum += __shfl_xor_sync(odd, sum, m);
    r.odd_sum = sum;
    __syncwarp(odd);
  }

  r.match_any = __match_any_sync(full, v % 4);
  r.match_all = __match_all_sync(full, v / 1000, &r.match_all_pred);
  out[t] = r;
}

// Every shuffle mode with a per-lane operand b = b_in[t] and a segment width
// from the launch, and the votes, executed only by the lanes in `members`
// (the others branch around them; all lanes when it is 0xffffffff). Each
// member lane writes out[kModeResults * t + 0..8] = idx, up, down, xor of
// v = in[t] with b, then ballot, any, all, uni of (v > 0) and __activemask();
// the other lanes leave their records alone.
constexpr int kModeResults = 9;

__global__ void warp_shuffle_modes(const int* in, const int* b_in, int width, unsigned int members,
                                   int* out) {
  const int t = blockIdx.x * blockDim.x + threadIdx.x;
  const int lane = threadIdx.x % warpSize;
  const int v = in[t], b = b_in[t];
  int* r = out + kModeResults * t;
  if ((members >> lane) & 1u) {
    r[0] = __shfl_sync(members, v, b, width);
    r[1] = __shfl_up_sync(members, v, static_cast<unsigned int>(b), width);
    r[2] = __shfl_down_sync(members, v, static_cast<unsigned int>(b), width);
    r[3] = __shfl_xor_sync(members, v, b, width);
    r[4] = static_cast<int>(__ballot_sync(members, v > 0));
    r[5] = __any_sync(members, v > 0);
    r[6] = __all_sync(members, v > 0);
    r[7] = __uni_sync(members, v > 0);
    r[8] = static_cast<int>(__activemask());
  }
}
