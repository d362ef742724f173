// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: CUDA's keywords and the version macros projects test.
//
// Clang's CUDA mode already knows the attributes (global, device, shared, ...);
// nvcc spells them as macros from its own headers, which Tessera does not have.
#ifndef TESSERA_DEVICE_KEYWORDS_H
#define TESSERA_DEVICE_KEYWORDS_H

#include "host_device.h"

#define __global__ __attribute__((global))
#define __shared__ __attribute__((shared))
#define __constant__ __attribute__((constant))
// Up to two arguments (max threads per block, min blocks per multiprocessor);
// a third (max blocks per cluster, sm_90) is rejected by Clang 16 itself.
#define __launch_bounds__(...) __attribute__((launch_bounds(__VA_ARGS__)))
// Kernel parameters already live in a read-only argument buffer.
#define __grid_constant__
// Markers CUDA's own headers put on builtin types; harmless to accept.
#define __device_builtin__
#define __builtin_align__(n) __align__(n)
#define __cudart_builtin__
// __noinline__ and __restrict__ are keywords in Clang's CUDA mode (a macro
// would break libstdc++'s __attribute__((__noinline__))); __inline__ is GNU C.

// Managed (unified) memory needs page migration between host and device.
// (One string: _Pragma does not concatenate literals.)
// clang-format off
#define __managed__ _Pragma("GCC error \"__managed__ (managed memory) is not supported by Tessera; allocate with tsMalloc\"")
// clang-format on

// Projects test these to pick code paths. Tessera implements the subset of
// CUDA 11.8's device API listed in docs/cuda-features.md (11.8 is the newest
// CUDA Clang 16 knows).
#define __CUDACC__ 1
#define __CUDACC_VER_MAJOR__ 11
#define __CUDACC_VER_MINOR__ 8
#define __CUDACC_VER_BUILD__ 0
#define CUDART_VERSION 11080
#define CUDA_VERSION 11080
#define __CUDART_API_VERSION 11080
// Identifies Tessera's compiler (tessc) for code that needs to know.
#define __TESSERA__ 1

#endif // TESSERA_DEVICE_KEYWORDS_H
