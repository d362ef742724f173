// SPDX-License-Identifier: Apache-2.0
// Kernels that fail on purpose, one way each. Built with -g: the fault tests
// find the lines marked FAULT_LINE_* in this file and expect the runtime's
// error message to name them.
#include <assert.h>
#include <stdint.h>

// Only thread `fault_thread` of block `fault_block` stores to `target`
// (meant to be unmapped), so the message must name exactly that thread.
extern "C" __global__ void fault_store(int* target, unsigned fault_block, unsigned fault_thread) {
  if (blockIdx.x == fault_block && threadIdx.x == fault_thread) {
    *(volatile int*)target = 42;  // FAULT_LINE_STORE
  }
}

// As fault_store, but a load.
extern "C" __global__ void fault_load(const int* source, int* out) {
  if (blockIdx.x == 0 && threadIdx.x == 0) {
    out[0] = *(const volatile int*)source;  // FAULT_LINE_LOAD
  }
}

// assert() fails in thread `failing_thread` of block 0.
extern "C" __global__ void fault_assert(unsigned failing_thread) {
  assert(!(blockIdx.x == 0 && threadIdx.x == failing_thread));  // FAULT_LINE_ASSERT
}

extern "C" __global__ void fault_trap() { __trap(); }

// Never returns while *flag is 0: only the watchdog stops it.
extern "C" __global__ void hang_forever(const int* flag) {
  while (*(const volatile int*)flag == 0) {
  }
}

// An atomic on an address that is not 4-byte aligned.
extern "C" __global__ void misaligned_atomic(char* base) {
  atomicAdd(reinterpret_cast<int*>(base + 2), 1);
}

// Calls through a pointer to data (mapped, not executable).
extern "C" __global__ void jump_to(unsigned long long target) {
  reinterpret_cast<void (*)()>(target)();
}
