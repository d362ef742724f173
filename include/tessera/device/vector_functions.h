// SPDX-License-Identifier: Apache-2.0
// CUDA's make_<type><N>(...) constructors for the vector types.
#ifndef TESSERA_DEVICE_VECTOR_FUNCTIONS_H
#define TESSERA_DEVICE_VECTOR_FUNCTIONS_H

#include "vector_types.h"

__TESSERA_HD char1 make_char1(signed char x) { return char1{x}; }
__TESSERA_HD char2 make_char2(signed char x, signed char y) { return char2{x, y}; }
__TESSERA_HD char3 make_char3(signed char x, signed char y, signed char z) {
  return char3{x, y, z};
}
__TESSERA_HD char4 make_char4(signed char x, signed char y, signed char z, signed char w) {
  return char4{x, y, z, w};
}

__TESSERA_HD uchar1 make_uchar1(unsigned char x) { return uchar1{x}; }
__TESSERA_HD uchar2 make_uchar2(unsigned char x, unsigned char y) { return uchar2{x, y}; }
__TESSERA_HD uchar3 make_uchar3(unsigned char x, unsigned char y, unsigned char z) {
  return uchar3{x, y, z};
}
__TESSERA_HD uchar4 make_uchar4(unsigned char x, unsigned char y, unsigned char z,
                                unsigned char w) {
  return uchar4{x, y, z, w};
}

__TESSERA_HD short1 make_short1(short x) { return short1{x}; }
__TESSERA_HD short2 make_short2(short x, short y) { return short2{x, y}; }
__TESSERA_HD short3 make_short3(short x, short y, short z) { return short3{x, y, z}; }
__TESSERA_HD short4 make_short4(short x, short y, short z, short w) { return short4{x, y, z, w}; }

__TESSERA_HD ushort1 make_ushort1(unsigned short x) { return ushort1{x}; }
__TESSERA_HD ushort2 make_ushort2(unsigned short x, unsigned short y) { return ushort2{x, y}; }
__TESSERA_HD ushort3 make_ushort3(unsigned short x, unsigned short y, unsigned short z) {
  return ushort3{x, y, z};
}
__TESSERA_HD ushort4 make_ushort4(unsigned short x, unsigned short y, unsigned short z,
                                  unsigned short w) {
  return ushort4{x, y, z, w};
}

__TESSERA_HD int1 make_int1(int x) { return int1{x}; }
__TESSERA_HD int2 make_int2(int x, int y) { return int2{x, y}; }
__TESSERA_HD int3 make_int3(int x, int y, int z) { return int3{x, y, z}; }
__TESSERA_HD int4 make_int4(int x, int y, int z, int w) { return int4{x, y, z, w}; }

__TESSERA_HD uint1 make_uint1(unsigned int x) { return uint1{x}; }
__TESSERA_HD uint2 make_uint2(unsigned int x, unsigned int y) { return uint2{x, y}; }
__TESSERA_HD uint3 make_uint3(unsigned int x, unsigned int y, unsigned int z) {
  return uint3{x, y, z};
}
__TESSERA_HD uint4 make_uint4(unsigned int x, unsigned int y, unsigned int z, unsigned int w) {
  return uint4{x, y, z, w};
}

__TESSERA_HD long1 make_long1(long int x) { return long1{x}; }
__TESSERA_HD long2 make_long2(long int x, long int y) { return long2{x, y}; }
__TESSERA_HD long3 make_long3(long int x, long int y, long int z) { return long3{x, y, z}; }
__TESSERA_HD long4 make_long4(long int x, long int y, long int z, long int w) {
  return long4{x, y, z, w};
}

__TESSERA_HD ulong1 make_ulong1(unsigned long int x) { return ulong1{x}; }
__TESSERA_HD ulong2 make_ulong2(unsigned long int x, unsigned long int y) { return ulong2{x, y}; }
__TESSERA_HD ulong3 make_ulong3(unsigned long int x, unsigned long int y, unsigned long int z) {
  return ulong3{x, y, z};
}
__TESSERA_HD ulong4 make_ulong4(unsigned long int x, unsigned long int y, unsigned long int z,
                                unsigned long int w) {
  return ulong4{x, y, z, w};
}

__TESSERA_HD longlong1 make_longlong1(long long int x) { return longlong1{x}; }
__TESSERA_HD longlong2 make_longlong2(long long int x, long long int y) { return longlong2{x, y}; }
__TESSERA_HD longlong3 make_longlong3(long long int x, long long int y, long long int z) {
  return longlong3{x, y, z};
}
__TESSERA_HD longlong4 make_longlong4(long long int x, long long int y, long long int z,
                                      long long int w) {
  return longlong4{x, y, z, w};
}

__TESSERA_HD ulonglong1 make_ulonglong1(unsigned long long int x) { return ulonglong1{x}; }
__TESSERA_HD ulonglong2 make_ulonglong2(unsigned long long int x, unsigned long long int y) {
  return ulonglong2{x, y};
}
__TESSERA_HD ulonglong3 make_ulonglong3(unsigned long long int x, unsigned long long int y,
                                        unsigned long long int z) {
  return ulonglong3{x, y, z};
}
__TESSERA_HD ulonglong4 make_ulonglong4(unsigned long long int x, unsigned long long int y,
                                        unsigned long long int z, unsigned long long int w) {
  return ulonglong4{x, y, z, w};
}

__TESSERA_HD float1 make_float1(float x) { return float1{x}; }
__TESSERA_HD float2 make_float2(float x, float y) { return float2{x, y}; }
__TESSERA_HD float3 make_float3(float x, float y, float z) { return float3{x, y, z}; }
__TESSERA_HD float4 make_float4(float x, float y, float z, float w) { return float4{x, y, z, w}; }

__TESSERA_HD double1 make_double1(double x) { return double1{x}; }
__TESSERA_HD double2 make_double2(double x, double y) { return double2{x, y}; }
__TESSERA_HD double3 make_double3(double x, double y, double z) { return double3{x, y, z}; }
__TESSERA_HD double4 make_double4(double x, double y, double z, double w) {
  return double4{x, y, z, w};
}

#endif // TESSERA_DEVICE_VECTOR_FUNCTIONS_H
