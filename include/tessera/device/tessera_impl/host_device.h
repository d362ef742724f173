// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: the function-space keywords, usable from any compiler.
//
// Headers that also serve host code (cuda_fp16.h, cuda_bf16.h, vector_types.h)
// include this instead of the full prelude, so that a plain C++ compiler (the
// host unit tests, host code of a Tessera application) sees __host__ and
// __device__ as nothing, while Clang's CUDA mode sees its target attributes.
#ifndef TESSERA_DEVICE_HOST_DEVICE_H
#define TESSERA_DEVICE_HOST_DEVICE_H

#if defined(__CUDA__)
#ifndef __host__
#define __host__ __attribute__((host))
#endif
#ifndef __device__
#define __device__ __attribute__((device))
#endif
#else
#ifndef __host__
#define __host__
#endif
#ifndef __device__
#define __device__
#endif
#endif

#ifndef __forceinline__
#define __forceinline__ __inline__ __attribute__((always_inline))
#endif
#ifndef __align__
#define __align__(n) __attribute__((aligned(n)))
#endif

// Inside a function body: its floating-point operations are rounded one by
// one, never fused into FMAs (Clang's CUDA mode contracts by default).
#if defined(__clang__)
#define __TESSERA_NO_CONTRACT _Pragma("clang fp contract(off)")
#else
#define __TESSERA_NO_CONTRACT
#endif

// What Tessera's own inline definitions are marked with.
#define __TESSERA_HD __host__ __device__ __forceinline__
#define __TESSERA_D __device__ __forceinline__

#endif // TESSERA_DEVICE_HOST_DEVICE_H
