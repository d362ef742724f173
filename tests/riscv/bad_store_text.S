/* SPDX-License-Identifier: Apache-2.0 */
/* Stores into its own (read-only, executable) code: a permission fault. */
	.text
	.globl _start
_start:
	lla	a0, _start
	sw	zero, 0(a0)
	li	a7, 93
	ecall
