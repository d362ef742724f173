/* SPDX-License-Identifier: Apache-2.0 */
/*
 * uint64_t asm_branch_mask(int64_t a, int64_t b): bit i set when branch i
 * is taken: 0 beq, 1 bne, 2 blt, 3 bge, 4 bltu, 5 bgeu, 6 c.beqz a, 7 c.bnez a.
 * Written in assembly so each branch form is certainly executed, in both
 * its taken and fall-through directions, with jal/jalr in between.
 */
	.text
	.globl asm_branch_mask
	.type asm_branch_mask, @function
asm_branch_mask:
	li	t0, 0
	.macro BR op, bit
	\op	a0, a1, 1f
	j	2f
1:	ori	t0, t0, 1 << \bit
2:
	.endm
	BR beq, 0
	BR bne, 1
	BR blt, 2
	BR bge, 3
	BR bltu, 4
	BR bgeu, 5
	/* Compressed forms need a0 in x8..x15: use s0 (saved and restored). */
	addi	sp, sp, -16
	sd	s0, 8(sp)
	mv	s0, a0
	c.beqz	s0, 3f
	c.j	4f
3:	ori	t0, t0, 1 << 6
4:	c.bnez	s0, 5f
	c.j	6f
5:	ori	t0, t0, 1 << 7
6:	ld	s0, 8(sp)
	addi	sp, sp, 16
	/* Return through a computed jalr to exercise it. */
	mv	a0, t0
	lla	t1, 7f
	jalr	zero, 0(t1)
	ebreak
7:	ret
	.size asm_branch_mask, . - asm_branch_mask
