/* SPDX-License-Identifier: Apache-2.0 */
/* A misaligned AMO: atomics must be naturally aligned (a misaligned-access fault). */
	.text
	.globl _start
_start:
	addi	sp, sp, -16
	addi	a0, sp, 4
	li	a1, 1
	amoadd.d a2, a1, (a0)
	li	a7, 93
	ecall
