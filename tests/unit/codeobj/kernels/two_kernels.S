/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A T1 code object written by hand, as tessc would produce it: two kernels,
 * their .note.tessera metadata, a __device__ pointer that needs an
 * R_RISCV_RELATIVE relocation and a zero-initialized __device__ counter.
 * Built with -DWITH_SYMBOL_RELOC it also holds a pointer to an undefined
 * weak symbol, which lld turns into an R_RISCV_64 relocation that a T1
 * loader must refuse.
 */
#include <tessera/hw/t1_codeobj.h>
#include "xtessera.h"

/* Global thread index (x only): a1 = blockIdx.x * blockDim.x + threadIdx.x,
   a2 = threadIdx.x, a3 = blockDim.x. */
.macro GID
  csrr a2, T1_CSR_TID_X
  csrr a1, T1_CSR_CTAID_X
  csrr a3, T1_CSR_NTID_X
  mul a1, a1, a3
  add a1, a1, a2
.endm

  .text
/*
 * fill(uint64_t* out, uint32_t mul, struct { uint32_t a; uint64_t b; } s):
 *   out[gid] = gid * mul + s.a + s.b + table[gid % 4]; counter += 1.
 * table is reached through table_ptr, so a wrong relocation shows.
 */
  .globl fill
  .type fill, @function
  .p2align 2
fill:
  ld t0, 0(a0)
  lwu t1, 8(a0)
  lwu t2, 16(a0)
  ld t3, 24(a0)
  GID
  mul a4, a1, t1
  add a4, a4, t2
  add a4, a4, t3
  lla a5, table_ptr
  ld a5, 0(a5)
  andi a6, a1, 3
  slli a6, a6, 3
  add a5, a5, a6
  ld a5, 0(a5)
  add a4, a4, a5
  slli a6, a1, 3
  add a6, a6, t0
  sd a4, 0(a6)
  lla a5, counter
  li a6, 1
  amoadd.d zero, a6, (a5)
  T_EXIT
  .size fill, . - fill

/*
 * scale(uint64_t* data, uint64_t k), with blockDim.x * 8 bytes of dynamic
 * shared memory: data[gid] = data[gid] * k + gid of the next thread of the
 * block (cyclically), exchanged through dynamic shared memory; data[gid]
 * also makes a round trip through the thread's stack.
 */
  .globl scale
  .type scale, @function
  .p2align 2
scale:
  ld t0, 0(a0)
  ld t1, 8(a0)
  GID
  csrr t2, T1_CSR_DYNSHARED
  slli t3, a2, 3
  add t3, t3, t2
  sd a1, 0(t3)
  T_BAR
  addi t4, a2, 1
  remu t4, t4, a3
  slli t4, t4, 3
  add t4, t4, t2
  ld t5, 0(t4)
  slli t6, a1, 3
  add t6, t6, t0
  ld a4, 0(t6)
  addi sp, sp, -16
  sd a4, 8(sp)
  ld a5, 8(sp)
  addi sp, sp, 16
  mul a5, a5, t1
  add a5, a5, t5
  sd a5, 0(t6)
  T_EXIT
  .size scale, . - scale

  .data
  .globl table_ptr
  .type table_ptr, @object
  .p2align 3
table_ptr:
  .dword table
#ifdef WITH_SYMBOL_RELOC
  .weak missing_symbol
  .dword missing_symbol
#endif
  .size table_ptr, . - table_ptr

  .section .rodata
  .p2align 3
table:
  .dword 1000, 2000, 3000, 4000

  .bss
  .globl counter
  .type counter, @object
  .p2align 3
counter:
  .zero 8
  .size counter, 8

/* The metadata note (docs/hardware/code-objects.md). */
  .section .note.tessera, "a", @note
  .balign 4
  .word 8                       /* n_namesz */
  .word desc_end - desc         /* n_descsz */
  .word T1_NOTE_KERNELS         /* n_type */
  .asciz T1_NOTE_NAME
desc:
  /* struct t1_codeobj_header */
  .word T1_CODEOBJ_VERSION, 2, strtab - desc, strtab_end - strtab
  .word kernels - desc, 48, 16, 0
kernels:
  /* struct t1_kernel_desc: name, flags, kernarg size and align, arg count and
     table, static shared, stack, max block threads, reserved[3] */
  .word name_fill - strtab, 0, 32, 8, 3, fill_args - desc
  .word 0, T1_STACK_UNKNOWN, 0, 0, 0, 0
  .word name_scale - strtab, T1_KERNEL_FLAG_USES_DYNSHARED, 16, 8, 2, scale_args - desc
  .word 40, 16, 128, 0, 0, 0
fill_args:
  /* struct t1_arg_desc: offset, size, align, kind */
  .word 0, 8, 8, T1_ARG_POINTER
  .word 8, 4, 4, T1_ARG_SCALAR
  .word 16, 16, 8, T1_ARG_STRUCT
scale_args:
  .word 0, 8, 8, T1_ARG_POINTER
  .word 8, 8, 8, T1_ARG_SCALAR
strtab:
name_fill:
  .asciz "fill"
name_scale:
  .asciz "scale"
strtab_end:
desc_end:
  .balign 4
