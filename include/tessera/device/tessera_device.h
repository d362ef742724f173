// SPDX-License-Identifier: Apache-2.0
// Tessera's CUDA device prelude: tessc includes it before every kernel file
// (-include tessera_device.h), as nvcc includes cuda_runtime.h.
//
// It gives device code what CUDA's own headers would: the keywords
// (__global__, __shared__, ...), the builtin variables (threadIdx, ...),
// vector types, synchronization, atomics, warp functions, integer and math
// intrinsics, and the C/C++ standard headers made callable from device code.
// Everything is built from the NVPTX builtins that Tessera's lowering pass
// maps to Xtessera, the __tessera_activemask hook, plain C++ and calls to
// picolibc; nothing uses inline assembly. cuda_fp16.h, cuda_bf16.h,
// cooperative_groups.h and math_constants.h are included by the kernel file
// itself, as with CUDA. docs/cuda-features.md lists what is supported.
#ifndef TESSERA_DEVICE_PRELUDE_H
#define TESSERA_DEVICE_PRELUDE_H

#if !defined(__CUDA__) || !defined(__CUDA_ARCH__)
#error                                                                                             \
    "tessera_device.h is for device compilation (clang -x cuda --cuda-device-only), as tessc does"
#endif

#include "tessera_impl/keywords.h"
#include "tessera_impl/host_libc.h"
#include "vector_types.h"
#include "vector_functions.h"
#include "tessera_impl/builtin_vars.h"
#include "tessera_impl/sync.h"
#include "tessera_impl/atomics.h"
#include "tessera_impl/warp.h"
#include "tessera_impl/int_intrinsics.h"
#include "tessera_impl/conversions.h"
#include "tessera_impl/device_math.h"
#include "tessera_impl/unsupported.h"

#endif // TESSERA_DEVICE_PRELUDE_H
