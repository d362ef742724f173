// SPDX-License-Identifier: Apache-2.0
// Tessera device headers: CUDA names Tessera does not support, declared so that
// a use fails to compile with a message naming the feature instead of an
// "undeclared identifier" (docs/cuda-features.md lists them all).
#ifndef TESSERA_DEVICE_UNSUPPORTED_H
#define TESSERA_DEVICE_UNSUPPORTED_H

#include "host_device.h"

#define __TESSERA_UNAVAILABLE(msg) __attribute__((unavailable(msg)))

// ---- Warp functions without a member mask (removed from CUDA for sm_70+) ----
#define __TESSERA_LEGACY_WARP(name, sync_name)                                                     \
  template <typename... Args>                                                                      \
  __device__ int name(Args...)                                                                     \
      __TESSERA_UNAVAILABLE(#name " without a member mask is not supported: use " #sync_name);
__TESSERA_LEGACY_WARP(__shfl, __shfl_sync)
__TESSERA_LEGACY_WARP(__shfl_up, __shfl_up_sync)
__TESSERA_LEGACY_WARP(__shfl_down, __shfl_down_sync)
__TESSERA_LEGACY_WARP(__shfl_xor, __shfl_xor_sync)
__TESSERA_LEGACY_WARP(__any, __any_sync)
__TESSERA_LEGACY_WARP(__all, __all_sync)
__TESSERA_LEGACY_WARP(__ballot, __ballot_sync)
#undef __TESSERA_LEGACY_WARP

// ---- Textures and surfaces ----
template <typename T> struct __tessera_dependent_false { static constexpr bool value = false; };
enum cudaTextureReadMode { cudaReadModeElementType = 0, cudaReadModeNormalizedFloat = 1 };
#define cudaTextureType1D 0x01
#define cudaTextureType2D 0x02
#define cudaTextureType3D 0x03
#define cudaTextureTypeCubemap 0x0C
#define cudaTextureType1DLayered 0xF1
#define cudaTextureType2DLayered 0xF2
#define cudaTextureTypeCubemapLayered 0xFC
#define cudaSurfaceType1D 0x01
#define cudaSurfaceType2D 0x02
#define cudaSurfaceType3D 0x03

template <typename T, int type = cudaTextureType1D,
          cudaTextureReadMode mode = cudaReadModeElementType>
struct texture {
  static_assert(
      __tessera_dependent_false<T>::value,
      "texture references (texture<>) are not supported by Tessera: read through a pointer");
};
template <typename T, int type = cudaSurfaceType1D> struct surface {
  static_assert(__tessera_dependent_false<T>::value,
                "surface references (surface<>) are not supported by Tessera");
};
typedef unsigned long long int cudaTextureObject_t
    __TESSERA_UNAVAILABLE("texture objects (cudaTextureObject_t) are not supported by Tessera");
typedef unsigned long long int cudaSurfaceObject_t
    __TESSERA_UNAVAILABLE("surface objects (cudaSurfaceObject_t) are not supported by Tessera");

#define __TESSERA_TEXTURE_FN(name)                                                                 \
  template <typename T = void, typename... Args>                                                   \
  __device__ T name(Args...)                                                                       \
      __TESSERA_UNAVAILABLE("textures (" #name ") are not supported by Tessera");
__TESSERA_TEXTURE_FN(tex1Dfetch)
__TESSERA_TEXTURE_FN(tex1D)
__TESSERA_TEXTURE_FN(tex2D)
__TESSERA_TEXTURE_FN(tex3D)
__TESSERA_TEXTURE_FN(tex1DLayered)
__TESSERA_TEXTURE_FN(tex2DLayered)
__TESSERA_TEXTURE_FN(texCubemap)
__TESSERA_TEXTURE_FN(tex1DLod)
__TESSERA_TEXTURE_FN(tex2DLod)
__TESSERA_TEXTURE_FN(tex3DLod)
__TESSERA_TEXTURE_FN(tex1DGrad)
__TESSERA_TEXTURE_FN(tex2DGrad)
__TESSERA_TEXTURE_FN(tex2Dgather)
#undef __TESSERA_TEXTURE_FN
#define __TESSERA_SURFACE_FN(name)                                                                 \
  template <typename T = void, typename... Args>                                                   \
  __device__ T name(Args...)                                                                       \
      __TESSERA_UNAVAILABLE("surfaces (" #name ") are not supported by Tessera");
__TESSERA_SURFACE_FN(surf1Dread)
__TESSERA_SURFACE_FN(surf1Dwrite)
__TESSERA_SURFACE_FN(surf2Dread)
__TESSERA_SURFACE_FN(surf2Dwrite)
__TESSERA_SURFACE_FN(surf3Dread)
__TESSERA_SURFACE_FN(surf3Dwrite)
#undef __TESSERA_SURFACE_FN

#undef __TESSERA_UNAVAILABLE

#endif // TESSERA_DEVICE_UNSUPPORTED_H
