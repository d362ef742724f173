/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry point of the bare test programs. The loader (tessera-emu run, or
 * qemu-riscv64) leaves the Linux initial stack at sp: argc, argv[], NULL,
 * envp[], NULL, auxv. Calls main(argc, argv) and exits with its result.
 */
	.section .text._start, "ax", @progbits
	.globl _start
	.type _start, @function
_start:
	.option push
	.option norelax
	/* No gp relaxation (-mno-relax), but set gp anyway for C code that
	 * might have been built with relaxation elsewhere. */
	lla	gp, __global_pointer$
	.option pop
	ld	a0, 0(sp)        /* argc */
	addi	a1, sp, 8        /* argv */
	andi	sp, sp, -16
	call	rt_start
	/* rt_start does not return. */
1:	j	1b
	.size _start, . - _start
