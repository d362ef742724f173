// SPDX-License-Identifier: Apache-2.0
// CUDA's built-in vector types (char1 ... double4, dim3) with CUDA's sizes and
// alignments: an N-component vector of an S-byte type is aligned to N*S bytes
// for N = 1, 2, 4 (at most 16) and to S bytes for N = 3. Kernel arguments and
// structures shared with host code depend on these layouts.
#ifndef TESSERA_DEVICE_VECTOR_TYPES_H
#define TESSERA_DEVICE_VECTOR_TYPES_H

#include "tessera_impl/host_device.h"

// signed char
struct __align__(1) char1 {
  signed char x;
};
struct __align__(2) char2 {
  signed char x, y;
};
struct __align__(1) char3 {
  signed char x, y, z;
};
struct __align__(4) char4 {
  signed char x, y, z, w;
};

// unsigned char
struct __align__(1) uchar1 {
  unsigned char x;
};
struct __align__(2) uchar2 {
  unsigned char x, y;
};
struct __align__(1) uchar3 {
  unsigned char x, y, z;
};
struct __align__(4) uchar4 {
  unsigned char x, y, z, w;
};

// short
struct __align__(2) short1 {
  short x;
};
struct __align__(4) short2 {
  short x, y;
};
struct __align__(2) short3 {
  short x, y, z;
};
struct __align__(8) short4 {
  short x, y, z, w;
};

// unsigned short
struct __align__(2) ushort1 {
  unsigned short x;
};
struct __align__(4) ushort2 {
  unsigned short x, y;
};
struct __align__(2) ushort3 {
  unsigned short x, y, z;
};
struct __align__(8) ushort4 {
  unsigned short x, y, z, w;
};

// int
struct __align__(4) int1 {
  int x;
};
struct __align__(8) int2 {
  int x, y;
};
struct __align__(4) int3 {
  int x, y, z;
};
struct __align__(16) int4 {
  int x, y, z, w;
};

// unsigned int
struct __align__(4) uint1 {
  unsigned int x;
};
struct __align__(8) uint2 {
  unsigned int x, y;
};
struct __align__(4) uint3 {
  unsigned int x, y, z;
};
struct __align__(16) uint4 {
  unsigned int x, y, z, w;
};

// long int
struct __align__(8) long1 {
  long int x;
};
struct __align__(16) long2 {
  long int x, y;
};
struct __align__(8) long3 {
  long int x, y, z;
};
struct __align__(16) long4 {
  long int x, y, z, w;
};

// unsigned long int
struct __align__(8) ulong1 {
  unsigned long int x;
};
struct __align__(16) ulong2 {
  unsigned long int x, y;
};
struct __align__(8) ulong3 {
  unsigned long int x, y, z;
};
struct __align__(16) ulong4 {
  unsigned long int x, y, z, w;
};

// long long int
struct __align__(8) longlong1 {
  long long int x;
};
struct __align__(16) longlong2 {
  long long int x, y;
};
struct __align__(8) longlong3 {
  long long int x, y, z;
};
struct __align__(16) longlong4 {
  long long int x, y, z, w;
};

// unsigned long long int
struct __align__(8) ulonglong1 {
  unsigned long long int x;
};
struct __align__(16) ulonglong2 {
  unsigned long long int x, y;
};
struct __align__(8) ulonglong3 {
  unsigned long long int x, y, z;
};
struct __align__(16) ulonglong4 {
  unsigned long long int x, y, z, w;
};

// float
struct __align__(4) float1 {
  float x;
};
struct __align__(8) float2 {
  float x, y;
};
struct __align__(4) float3 {
  float x, y, z;
};
struct __align__(16) float4 {
  float x, y, z, w;
};

// double
struct __align__(8) double1 {
  double x;
};
struct __align__(16) double2 {
  double x, y;
};
struct __align__(8) double3 {
  double x, y, z;
};
struct __align__(16) double4 {
  double x, y, z, w;
};

// dim3: three unsigned extents, each defaulting to 1 (grid and block sizes).
struct dim3 {
  unsigned int x, y, z;
  __host__ __device__ constexpr dim3(unsigned int vx = 1, unsigned int vy = 1, unsigned int vz = 1)
      : x(vx), y(vy), z(vz) {}
  __host__ __device__ constexpr dim3(uint3 v) : x(v.x), y(v.y), z(v.z) {}
  __host__ __device__ constexpr operator uint3() const { return uint3{x, y, z}; }
};

#endif // TESSERA_DEVICE_VECTOR_TYPES_H
