/* SPDX-License-Identifier: Apache-2.0 */
/* Loads from address 0x8 (the unmapped null page). */
	.text
	.globl _start
_start:
	li	a0, 8
	ld	a1, 0(a0)
	li	a7, 93
	ecall
