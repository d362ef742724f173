// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: the C and C++ standard headers device code may use.
//
// glibc's and libstdc++'s declarations are host-only to Clang. Included inside
// `force_cuda_host_device`, their functions become __host__ __device__, so
// device code can call expf, memcpy, abs, ... ; the calls are resolved at link
// time by picolibc. Later #includes of the same headers by user code are
// no-ops thanks to their include guards, which is why the prelude includes them
// first.
//
// Headers that declare C variadic functions (stdio.h, and libstdc++'s
// type_traits with its `...` overload tricks) cannot be wrapped: Clang rejects
// __device__ variadic functions. They are included unwrapped, first, so that a
// wrapped header that includes them (cmath does in C++17) finds them already
// done. Their templates and constexpr functions work in device code anyway
// (constexpr functions are implicitly __host__ __device__).
#ifndef TESSERA_DEVICE_HOST_LIBC_H
#define TESSERA_DEVICE_HOST_LIBC_H

#include <cstddef>
#include <initializer_list>
#include <limits>
#include <type_traits>
#include <utility>
#include <stdio.h>
// Device printf: Clang turns its calls into vprintf(format, packed arguments),
// which tessc reports as not supported yet. Declared here, defined nowhere.
extern "C" __device__ int printf(const char*, ...);
// Unwrapped so that device code's clock() is Tessera's own __device__ overload.
#include <time.h>

#pragma clang force_cuda_host_device begin
#include <assert.h>
#include <float.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cassert>
#include <cfloat>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#pragma clang force_cuda_host_device end

// std::min/max (constexpr, so usable on the device) live in libstdc++'s
// stl_algobase.h, which C++17's <cmath> includes: it must come unwrapped (it
// declares variadic exception helpers) and after the wrapped <cstdlib>. The
// whole <algorithm> would cost a third of the prelude's parse time; user code
// including it later still gets all of it. Clang's <new> wrapper defines
// device operator new with malloc.
#if __has_include(<bits/stl_algobase.h>)
#include <bits/stl_algobase.h>
#else
#include <algorithm>
#endif
#include <new>

#pragma clang force_cuda_host_device begin
#include <math.h>
#include <cmath>
#pragma clang force_cuda_host_device end

#endif // TESSERA_DEVICE_HOST_LIBC_H
