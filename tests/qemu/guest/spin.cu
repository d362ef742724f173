// SPDX-License-Identifier: Apache-2.0
// A kernel that never finishes on its own: it says it started, then spins
// until *release becomes non-zero, which nobody writes (tessera-runtime-lost).
extern "C" __global__ void spin(volatile int* release, volatile int* started) {
  *started = 1;
  while (*release == 0) {
  }
}
