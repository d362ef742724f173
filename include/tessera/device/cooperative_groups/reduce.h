// SPDX-License-Identifier: Apache-2.0
// CUDA's cooperative_groups::reduce over a warp tile, with the operator
// objects plus, less, greater, bit_and, bit_or and bit_xor.
#ifndef TESSERA_DEVICE_COOPERATIVE_GROUPS_REDUCE_H
#define TESSERA_DEVICE_COOPERATIVE_GROUPS_REDUCE_H

#include "../cooperative_groups.h"

namespace cooperative_groups {

template <typename T> struct plus {
  __TESSERA_HD T operator()(const T& a, const T& b) const { return a + b; }
};
// less and greater select the smaller and the larger value.
template <typename T> struct less {
  __TESSERA_HD T operator()(const T& a, const T& b) const { return b < a ? b : a; }
};
template <typename T> struct greater {
  __TESSERA_HD T operator()(const T& a, const T& b) const { return a < b ? b : a; }
};
template <typename T> struct bit_and {
  __TESSERA_HD T operator()(const T& a, const T& b) const { return a & b; }
};
template <typename T> struct bit_or {
  __TESSERA_HD T operator()(const T& a, const T& b) const { return a | b; }
};
template <typename T> struct bit_xor {
  __TESSERA_HD T operator()(const T& a, const T& b) const { return a ^ b; }
};

// op folded over the values of all N threads of the tile; every thread gets
// the result (a butterfly, so op must be associative and commutative).
template <unsigned int N, typename T, typename Op>
__TESSERA_D T reduce(const thread_block_tile<N>& tile, T value, Op op) {
  for (unsigned int offset = N / 2; offset > 0; offset /= 2)
    value = op(value, tile.shfl_xor(value, offset));
  return value;
}

} // namespace cooperative_groups

#endif // TESSERA_DEVICE_COOPERATIVE_GROUPS_REDUCE_H
