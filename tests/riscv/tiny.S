/* SPDX-License-Identifier: Apache-2.0 */
/* The smallest complete program: a few known instructions, then exit(42).
 * The e2e tests check `tessera-emu run --trace` lines against it. */
	.text
	.globl _start
_start:
	li	a0, 40
	addi	a0, a0, 2
	li	a7, 93
	ecall
