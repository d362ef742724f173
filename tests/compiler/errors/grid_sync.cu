// SPDX-License-Identifier: Apache-2.0
// Grid-wide synchronization through cooperative groups is not supported.
// EXPECT-ERROR: grid-wide synchronization (cooperative_groups::this_grid, grid_group::sync) is not
// supported by Tessera
#include <cooperative_groups.h>
namespace cg = cooperative_groups;

__global__ void two_phase(float* data) {
  cg::grid_group grid = cg::this_grid();
  data[grid.thread_rank()] *= 2.0f;
  grid.sync();
}
