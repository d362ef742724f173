/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: the code-object metadata note.
 *
 * A T1 code object is an ELF64 little-endian EM_RISCV file. Its kernel
 * metadata is one ELF note (in a SHT_NOTE section named ".note.tessera",
 * also covered by a PT_NOTE segment when the file has program headers) with
 * name T1_NOTE_NAME and type T1_NOTE_KERNELS. The note's descriptor is:
 *
 *   struct t1_codeobj_header                  at offset 0
 *   struct t1_kernel_desc[kernel_count]       at kernels_offset
 *   struct t1_arg_desc[...]                   at each kernel's args_offset
 *   string table (NUL-terminated UTF-8)       at strtab_offset, strtab_size bytes
 *
 * All offsets are in bytes from the start of the descriptor; tables start at
 * offsets that are multiples of 8. The note uses the common 4-byte ELF note
 * layout (section alignment 4: namesz, descsz and type, then the name padded
 * to 4, then the descriptor), so the descriptor itself is only 4-byte
 * aligned in the file: readers copy fields out (memcpy) rather than
 * casting pointers. A reader must check every offset and count against the
 * descriptor size, refuse a major version it does not know (saying which it
 * found and which it supports), and ignore descriptor-size growth: newer
 * minors may enlarge kernel_desc_size/arg_desc_size with fields appended.
 * The kernel's entry address is the value of the ELF symbol whose name is
 * the kernel's name, relocated by the load bias.
 */
#ifndef TESSERA_HW_T1_CODEOBJ_H
#define TESSERA_HW_T1_CODEOBJ_H

#include "t1_types.h"

#define T1_NOTE_NAME    "Tessera" /* namesz = 8 including the NUL */
#define T1_NOTE_KERNELS 1
#define T1_CODEOBJ_SECTION ".note.tessera"

#define T1_CODEOBJ_VERSION_MAJOR 1
#define T1_CODEOBJ_VERSION_MINOR 0
#define T1_CODEOBJ_VERSION ((T1_CODEOBJ_VERSION_MAJOR << 16) | T1_CODEOBJ_VERSION_MINOR)

/* t1_kernel_desc.flags */
#define T1_KERNEL_FLAG_USES_DYNSHARED T1_U32(0x1) /* reads the DYNSHARED CSR */
#define T1_KERNEL_FLAG_RECURSION      T1_U32(0x2) /* stack_bytes is a lower bound */
#define T1_KERNEL_FLAG_USES_FP64      T1_U32(0x4)

#define T1_STACK_UNKNOWN T1_U32(0xFFFFFFFF)

/* t1_arg_desc.kind */
#define T1_ARG_SCALAR  0 /* integer or floating-point value */
#define T1_ARG_POINTER 1 /* device VA */
#define T1_ARG_STRUCT  2 /* aggregate passed by value */

#if !defined(__ASSEMBLER__)
struct t1_codeobj_header {
	t1_u32 version;          /* T1_CODEOBJ_VERSION: major << 16 | minor */
	t1_u32 kernel_count;
	t1_u32 strtab_offset;
	t1_u32 strtab_size;
	t1_u32 kernels_offset;   /* first t1_kernel_desc */
	t1_u32 kernel_desc_size; /* sizeof(struct t1_kernel_desc) of the writer */
	t1_u32 arg_desc_size;    /* sizeof(struct t1_arg_desc) of the writer */
	t1_u32 flags;            /* reserved, 0 */
};
T1_CHECK_OFFSET(struct t1_codeobj_header, version, 0);
T1_CHECK_OFFSET(struct t1_codeobj_header, kernel_count, 4);
T1_CHECK_OFFSET(struct t1_codeobj_header, strtab_offset, 8);
T1_CHECK_OFFSET(struct t1_codeobj_header, strtab_size, 12);
T1_CHECK_OFFSET(struct t1_codeobj_header, kernels_offset, 16);
T1_CHECK_OFFSET(struct t1_codeobj_header, kernel_desc_size, 20);
T1_CHECK_OFFSET(struct t1_codeobj_header, arg_desc_size, 24);
T1_CHECK_OFFSET(struct t1_codeobj_header, flags, 28);
T1_CHECK_SIZE(struct t1_codeobj_header, 32);

struct t1_kernel_desc {
	t1_u32 name_offset;         /* kernel (symbol) name in the string table */
	t1_u32 flags;               /* T1_KERNEL_FLAG_* */
	t1_u32 kernarg_size;        /* bytes of the kernarg buffer */
	t1_u32 kernarg_align;       /* its alignment, power of two >= 1 */
	t1_u32 arg_count;
	t1_u32 args_offset;         /* first t1_arg_desc of this kernel */
	t1_u32 static_shared_bytes; /* __shared__ bytes; dynamic shared starts after them (16-aligned) */
	t1_u32 stack_bytes;         /* per thread, or T1_STACK_UNKNOWN */
	t1_u32 max_block_threads;   /* largest block the kernel supports, 0 = device limit */
	t1_u32 reserved[3];
};
T1_CHECK_OFFSET(struct t1_kernel_desc, name_offset, 0);
T1_CHECK_OFFSET(struct t1_kernel_desc, flags, 4);
T1_CHECK_OFFSET(struct t1_kernel_desc, kernarg_size, 8);
T1_CHECK_OFFSET(struct t1_kernel_desc, kernarg_align, 12);
T1_CHECK_OFFSET(struct t1_kernel_desc, arg_count, 16);
T1_CHECK_OFFSET(struct t1_kernel_desc, args_offset, 20);
T1_CHECK_OFFSET(struct t1_kernel_desc, static_shared_bytes, 24);
T1_CHECK_OFFSET(struct t1_kernel_desc, stack_bytes, 28);
T1_CHECK_OFFSET(struct t1_kernel_desc, max_block_threads, 32);
T1_CHECK_OFFSET(struct t1_kernel_desc, reserved, 36);
T1_CHECK_SIZE(struct t1_kernel_desc, 48);

struct t1_arg_desc {
	t1_u32 offset; /* in the kernarg buffer */
	t1_u32 size;
	t1_u32 align;
	t1_u32 kind;   /* T1_ARG_* */
};
T1_CHECK_OFFSET(struct t1_arg_desc, offset, 0);
T1_CHECK_OFFSET(struct t1_arg_desc, size, 4);
T1_CHECK_OFFSET(struct t1_arg_desc, align, 8);
T1_CHECK_OFFSET(struct t1_arg_desc, kind, 12);
T1_CHECK_SIZE(struct t1_arg_desc, 16);
#endif

#endif /* TESSERA_HW_T1_CODEOBJ_H */
