/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: common types and compile-time checks.
 *
 * Every header under include/tessera/hw/ is plain C11 that also compiles as
 * C++20 and inside the Linux kernel, so the emulator, the runtime and the
 * kernel module share one definition of every register, packet and field.
 */
#ifndef TESSERA_HW_T1_TYPES_H
#define TESSERA_HW_T1_TYPES_H

/* Constants use T1_U64()/T1_U32() so the headers also serve assembly (.S). */
#if defined(__ASSEMBLER__)
#define T1_U64(x) x
#define T1_U32(x) x
#else
#define T1_U64(x) x##ull
#define T1_U32(x) x##u
#endif

#if defined(__ASSEMBLER__)
/* no C declarations */
#elif defined(__KERNEL__)
#include <linux/types.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
typedef __u8 t1_u8;
typedef __u16 t1_u16;
typedef __u32 t1_u32;
typedef __u64 t1_u64;
typedef __s32 t1_s32;
typedef __s64 t1_s64;
#define T1_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define T1_OFFSETOF(type, member) offsetof(type, member)
#else
#include <stddef.h>
#include <stdint.h>
typedef uint8_t t1_u8;
typedef uint16_t t1_u16;
typedef uint32_t t1_u32;
typedef uint64_t t1_u64;
typedef int32_t t1_s32;
typedef int64_t t1_s64;
#if defined(__cplusplus)
#define T1_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define T1_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
#define T1_OFFSETOF(type, member) offsetof(type, member)
#endif

#if !defined(__ASSEMBLER__)
/* Checks a struct member's offset against the documented layout. */
#define T1_CHECK_OFFSET(type, member, off) \
	T1_STATIC_ASSERT(T1_OFFSETOF(type, member) == (off), #type "." #member " offset")
#define T1_CHECK_SIZE(type, size) \
	T1_STATIC_ASSERT(sizeof(type) == (size), #type " size")
#endif

#endif /* TESSERA_HW_T1_TYPES_H */
