// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: barriers and memory fences.
//
// __syncthreads() itself is a Clang builtin (llvm.nvvm.barrier0); the rest map
// onto the NVVM builtins the lowering pass turns into t.bar / t.wsync / fence.
#ifndef TESSERA_DEVICE_SYNC_H
#define TESSERA_DEVICE_SYNC_H

#include "host_device.h"

// Block barriers that also reduce a predicate over the block.
__TESSERA_D int __syncthreads_count(int predicate) { return __nvvm_bar0_popc(predicate); }
__TESSERA_D int __syncthreads_and(int predicate) { return __nvvm_bar0_and(predicate); }
__TESSERA_D int __syncthreads_or(int predicate) { return __nvvm_bar0_or(predicate); }

// Waits until every lane named in mask has reached a __syncwarp with that mask.
__TESSERA_D void __syncwarp(unsigned int mask = 0xffffffffu) { __nvvm_bar_warp_sync(mask); }

// Orders this thread's memory accesses as seen by the block, the device, and
// the whole system (host included).
__TESSERA_D void __threadfence_block() { __nvvm_membar_cta(); }
__TESSERA_D void __threadfence() { __nvvm_membar_gl(); }
__TESSERA_D void __threadfence_system() { __nvvm_membar_sys(); }

#endif // TESSERA_DEVICE_SYNC_H
