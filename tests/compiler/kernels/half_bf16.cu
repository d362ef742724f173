// SPDX-License-Identifier: Apache-2.0
// Half and bfloat16 arithmetic: for each i, with a = in_a[i], b = in_b[i]
// (floats rounded to the 16-bit type), writes to row i of out (floats):
// the conversions, + - * / fma, comparisons, min/max, sqrt/exp/log and the
// integer conversions, first for __half then for __nv_bfloat16, then the
// __half2 / __nv_bfloat162 forms; and a warp-shuffled and an atomically
// accumulated value (sums of the a values of the block, as half and bf16).
#include <cuda_bf16.h>
#include <cuda_fp16.h>

constexpr int kHalfResults = 24;

template <typename T, typename T2> __device__ void scalar_ops(T a, T b, float* row, int& k) {
  row[k++] = static_cast<float>(a);
  row[k++] = static_cast<float>(a + b);
  row[k++] = static_cast<float>(a - b);
  row[k++] = static_cast<float>(a * b);
  row[k++] = static_cast<float>(a / b);
  row[k++] = static_cast<float>(__hfma(a, b, a));
  row[k++] = static_cast<float>(-a);
  row[k++] = static_cast<float>(__habs(a));
  row[k++] = (a < b) + 2 * (a == b) + 4 * (a >= b) + 8 * __hisnan(a);
  row[k++] = static_cast<float>(__hmax(a, b));
  row[k++] = static_cast<float>(__hmin(a, b));
  row[k++] = static_cast<float>(hsqrt(__habs(a)));
  row[k++] = static_cast<float>(hexp(a));
  row[k++] = static_cast<float>(hlog(__habs(a)));
  row[k++] = static_cast<float>(__hadd_sat(a, b));
  T c = a;
  c += b;
  c *= b;
  row[k++] = static_cast<float>(c);
  T2 p(a, b);
  T2 q = __hfma2(p, p, p) + __hmul2(p, p);
  row[k++] = static_cast<float>(q.x);
  row[k++] = static_cast<float>(q.y);
}

__global__ void half_bf16_ops(const float* in_a, const float* in_b, float* out, int n) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n)
    return;
  float* row = out + static_cast<long>(i) * (2 * kHalfResults);
  int k = 0;
  const __half ha = __float2half(in_a[i]), hb = __float2half_rn(in_b[i]);
  scalar_ops<__half, __half2>(ha, hb, row, k);
  row[k++] = static_cast<float>(__half2int_rn(ha));
  row[k++] = static_cast<float>(__half2int_rz(hb));
  row[k++] = __half2float(__int2half_rn(i * 37 - 1000));
  row[k++] = __half2float(__float2half_rz(in_a[i]));
  row[k++] = __half2float(__float2half_ru(in_a[i]));
  const float2 f2 = __half22float2(__floats2half2_rn(in_a[i], in_b[i]));
  row[k++] = f2.x + f2.y;

  k = kHalfResults;
  const __nv_bfloat16 ba = __float2bfloat16(in_a[i]), bb = __float2bfloat16_rn(in_b[i]);
  scalar_ops<__nv_bfloat16, __nv_bfloat162>(ba, bb, row, k);
  row[k++] = static_cast<float>(__bfloat162int_rn(ba));
  row[k++] = static_cast<float>(__bfloat162int_rz(bb));
  row[k++] = __bfloat162float(__int2bfloat16_rn(i * 37 - 1000));
  row[k++] = __bfloat162float(__float2bfloat16_rz(in_a[i]));
  row[k++] = __bfloat162float(__float2bfloat16_ru(in_a[i]));
  const float2 g2 = __bfloat1622float2(__floats2bfloat162_rn(in_a[i], in_b[i]));
  row[k++] = g2.x + g2.y;
}

// sums[0] (half) and sums[1] (bf16) accumulate every block's warp sums of a.
__global__ void half_bf16_reduce(const float* in_a, __half* half_sum, __nv_bfloat16* bf16_sum) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  __half h = __float2half(in_a[i]);
  __nv_bfloat16 b = __float2bfloat16(in_a[i]);
  for (int offset = 16; offset > 0; offset /= 2) {
    h = __hadd(h, __shfl_down_sync(0xffffffffu, h, offset));
    b = __hadd(b, __shfl_down_sync(0xffffffffu, b, offset));
  }
  if (threadIdx.x % warpSize == 0) {
    atomicAdd(half_sum, h);
    atomicAdd(bf16_sum, b);
  }
}
