// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: threadIdx, blockIdx, blockDim, gridDim and warpSize.
//
// nvcc makes these uint3/dim3 variables; here each is an empty object whose
// .x/.y/.z are Microsoft-style properties (Clang accepts __declspec(property)
// in CUDA mode), so `threadIdx.x` becomes a call of the matching
// __nvvm_read_ptx_sreg_* builtin, which the lowering pass turns into a CSR
// read. The objects convert to uint3 and dim3 like nvcc's variables.
// Instances, copies and addresses are forbidden, as with nvcc.
// The variable names (not the types) match Clang's own header. They are
// never defined: at -O0 they stay in the IR as unused extern_weak globals,
// which the retarget pass drops.
#ifndef TESSERA_DEVICE_BUILTIN_VARS_H
#define TESSERA_DEVICE_BUILTIN_VARS_H

#include "../vector_types.h"

#define __TESSERA_BUILTIN_VAR_TYPE(type_name, sreg)                                                \
  struct type_name {                                                                               \
    __declspec(property(get = __get_x)) unsigned int x;                                            \
    __declspec(property(get = __get_y)) unsigned int y;                                            \
    __declspec(property(get = __get_z)) unsigned int z;                                            \
    static __TESSERA_D unsigned int __get_x() { return __nvvm_read_ptx_sreg_##sreg##_x(); }        \
    static __TESSERA_D unsigned int __get_y() { return __nvvm_read_ptx_sreg_##sreg##_y(); }        \
    static __TESSERA_D unsigned int __get_z() { return __nvvm_read_ptx_sreg_##sreg##_z(); }        \
    __TESSERA_D operator uint3() const { return uint3{__get_x(), __get_y(), __get_z()}; }          \
    __TESSERA_D operator dim3() const { return dim3(__get_x(), __get_y(), __get_z()); }            \
                                                                                                   \
  private:                                                                                         \
    __device__ type_name() = delete;                                                               \
    __device__ type_name(const type_name&) = delete;                                               \
    __device__ void operator=(const type_name&) const = delete;                                    \
    __device__ type_name* operator&() const = delete;                                              \
  }

__TESSERA_BUILTIN_VAR_TYPE(__tessera_threadIdx_t, tid);
__TESSERA_BUILTIN_VAR_TYPE(__tessera_blockIdx_t, ctaid);
__TESSERA_BUILTIN_VAR_TYPE(__tessera_blockDim_t, ntid);
__TESSERA_BUILTIN_VAR_TYPE(__tessera_gridDim_t, nctaid);
#undef __TESSERA_BUILTIN_VAR_TYPE

extern const __device__ __attribute__((weak)) __tessera_threadIdx_t threadIdx;
extern const __device__ __attribute__((weak)) __tessera_blockIdx_t blockIdx;
extern const __device__ __attribute__((weak)) __tessera_blockDim_t blockDim;
extern const __device__ __attribute__((weak)) __tessera_gridDim_t gridDim;

// T1 warps have 32 lanes (T1_WARP_SIZE in tessera/hw/t1_isa.h).
__device__ const int warpSize = 32;

#endif // TESSERA_DEVICE_BUILTIN_VARS_H
