/* SPDX-License-Identifier: Apache-2.0 */
/* Executes the all-zeros halfword, defined illegal in every RISC-V. */
	.text
	.globl _start
_start:
	nop
	.2byte 0x0000
	li	a7, 93
	ecall
