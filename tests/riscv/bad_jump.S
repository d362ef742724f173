/* SPDX-License-Identifier: Apache-2.0 */
/* Jumps to an unmapped address: must fault with an instruction fetch. */
	.text
	.globl _start
_start:
	li	t0, 0xdead0000
	jr	t0
