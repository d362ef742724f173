// SPDX-License-Identifier: Apache-2.0
// Every CUDA atomic function, each applied once by every thread of the grid
// to one shared location, with initial values and operands chosen so that the
// final values do not depend on the order (t = global thread index,
// T = total threads; the host initializes AtomicCounters as noted):
//   add_i += 1 -> T               add_u += t -> sum(t)       add_ull += 2^32 + 1
//   add_f += 1.0f -> T (T < 2^24) add_d += 0.5 -> T/2
//   sub_i -= 1 (from 0) -> -T     sub_u -= 2 (from 2T) -> 0
//   min_*/max_* of (t - 100), t, ... (initial 0 and 0)
//   inc_u: atomicInc(., 9) from 0 -> T % 10; dec_u: atomicDec(., 9) from 0 -> (10 - T % 10) % 10
//   cas_*: an increment done with a CAS loop -> T; cas_us[0] likewise, cas_us[1] untouched
//   and_*: from all ones, clear bit t % 32 (T >= 32 -> 0); or_*: set it (-> all 32 bits)
//   xor_*: ^= t -> xor of 0..T-1
//   exch_*: each thread swaps in t + 1 and writes the old value to exch_old[t];
//           {initial} + {t + 1} equals {exch_old[]} + {final} as multisets.
#include <cuda_runtime.h>

struct AtomicCounters {
  int add_i;
  unsigned int add_u;
  unsigned long long add_ull;
  float add_f;
  double add_d;
  int sub_i;
  unsigned int sub_u;
  int min_i, max_i;
  unsigned int min_u, max_u;
  long long min_ll, max_ll;
  unsigned long long min_ull, max_ull;
  unsigned int inc_u, dec_u;
  int cas_i;
  unsigned int cas_u;
  unsigned long long cas_ull;
  unsigned short cas_us[2];
  int and_i, or_i, xor_i;
  unsigned int and_u, or_u, xor_u;
  unsigned long long and_ull, or_ull, xor_ull;
  int exch_i;
  unsigned int exch_u;
  unsigned long long exch_ull;
  float exch_f;
};

// An increment through compare-and-swap, retried until no other thread
// changed the value in between.
template <typename T> __device__ void cas_increment(T* address) {
  T old = *address;
  T assumed;
  do {
    assumed = old;
    old = atomicCAS(address, assumed, static_cast<T>(assumed + 1));
  } while (old != assumed);
}

__global__ void atomics_all(AtomicCounters* c, unsigned long long* exch_old) {
  const unsigned int t = blockIdx.x * blockDim.x + threadIdx.x;
  const int st = static_cast<int>(t);

  atomicAdd(&c->add_i, 1);
  atomicAdd(&c->add_u, t);
  atomicAdd(&c->add_ull, (1ull << 32) + 1);
  atomicAdd(&c->add_f, 1.0f);
  atomicAdd(&c->add_d, 0.5);
  atomicSub(&c->sub_i, 1);
  atomicSub(&c->sub_u, 2u);

  atomicMin(&c->min_i, st - 100);
  atomicMax(&c->max_i, st - 100);
  atomicMin(&c->min_u, t + 5);
  atomicMax(&c->max_u, t + 5);
  atomicMin(&c->min_ll, -(static_cast<long long>(t) << 40));
  atomicMax(&c->max_ll, static_cast<long long>(t) << 40);
  atomicMin(&c->min_ull, (1ull << 63) + t);
  atomicMax(&c->max_ull, (1ull << 63) + t);

  atomicInc(&c->inc_u, 9u);
  atomicDec(&c->dec_u, 9u);

  cas_increment(&c->cas_i);
  cas_increment(&c->cas_u);
  cas_increment(&c->cas_ull);
  cas_increment(&c->cas_us[0]);

  const unsigned int bit = 1u << (t % 32);
  atomicAnd(&c->and_i, ~static_cast<int>(bit));
  atomicOr(&c->or_i, static_cast<int>(bit));
  atomicXor(&c->xor_i, st);
  atomicAnd(&c->and_u, ~bit);
  atomicOr(&c->or_u, bit);
  atomicXor(&c->xor_u, t);
  atomicAnd(&c->and_ull, ~static_cast<unsigned long long>(bit));
  atomicOr(&c->or_ull, static_cast<unsigned long long>(bit));
  atomicXor(&c->xor_ull, static_cast<unsigned long long>(t));

  // One exchange per thread, on one of four locations by t % 4.
  switch (t % 4) {
  case 0:
    exch_old[t] = static_cast<unsigned int>(atomicExch(&c->exch_i, st + 1));
    break;
  case 1:
    exch_old[t] = atomicExch(&c->exch_u, t + 1);
    break;
  case 2:
    exch_old[t] = atomicExch(&c->exch_ull, t + 1ull);
    break;
  default:
    exch_old[t] =
        static_cast<unsigned long long>(atomicExch(&c->exch_f, static_cast<float>(t + 1)));
    break;
  }
}

// The scoped variants on shared and global memory: each block counts its
// threads in shared memory (_block) and adds the count to *total (_system);
// the result is T.
__global__ void atomics_scoped(unsigned int* total, float* total_f) {
  __shared__ unsigned int block_count;
  if (threadIdx.x == 0)
    block_count = 0;
  __syncthreads();
  atomicAdd_block(&block_count, 1u);
  __syncthreads();
  if (threadIdx.x == 0) {
    atomicAdd_system(total, block_count);
    atomicAdd_system(total_f, static_cast<float>(block_count));
  }
}
