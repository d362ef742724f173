/* SPDX-License-Identifier: Apache-2.0 */
/*
 * void asm_compressed(uint64_t out[32], uint64_t seed): executes every
 * RV64C instruction form with explicit c.* mnemonics (the compiler picks
 * only some of them) and stores the results. Loads and stores go through a
 * stack buffer and through out[].
 */
	.text
	.globl asm_compressed
	.type asm_compressed, @function
asm_compressed:
	c.addi16sp sp, -64
	c.sdsp	ra, 0(sp)
	c.sdsp	s0, 56(sp)
	c.sdsp	s1, 48(sp)
	c.mv	s0, a0            /* out */
	c.mv	s1, a1            /* seed */
	/* Integer register-immediate forms. */
	c.li	a0, -17
	c.addi	a0, 31            /* 14 */
	c.sd	a0, 0(s0)
	c.lui	a2, 0xfffe1       /* sign-extended upper immediate */
	c.sd	a2, 8(s0)
	c.mv	a3, s1
	c.addiw	a3, -1
	c.sd	a3, 16(s0)
	c.mv	a4, s1
	c.slli	a4, 37
	c.sd	a4, 24(s0)
	c.mv	a5, s1
	c.srli	a5, 13
	c.sd	a5, 32(s0)
	c.mv	a5, s1
	c.srai	a5, 61
	c.sd	a5, 40(s0)
	c.mv	a5, s1
	c.andi	a5, -22
	c.sd	a5, 48(s0)
	/* Register-register forms. */
	c.mv	a4, s1
	c.mv	a5, a2
	c.sub	a4, a5
	c.sd	a4, 56(s0)
	c.mv	a4, s1
	c.xor	a4, a5
	c.sd	a4, 64(s0)
	c.mv	a4, s1
	c.or	a4, a5
	c.sd	a4, 72(s0)
	c.mv	a4, s1
	c.and	a4, a5
	c.sd	a4, 80(s0)
	c.mv	a4, s1
	c.subw	a4, a5
	c.sd	a4, 88(s0)
	c.mv	a4, s1
	c.addw	a4, a5
	c.sd	a4, 96(s0)
	c.mv	a4, s1
	c.add	a4, a5
	c.sd	a4, 104(s0)
	/* Stack-pointer loads and stores, words and doublewords. */
	c.addi4spn a4, sp, 16
	c.sw	s1, 0(a4)
	c.lw	a5, 0(a4)         /* sign-extends the low word */
	c.sd	a5, 112(s0)
	c.swsp	s1, 24(sp)
	c.lwsp	a5, 24(sp)
	c.sd	a5, 120(s0)
	c.sdsp	s1, 32(sp)
	c.ldsp	a5, 32(sp)
	c.sd	a5, 128(s0)
	c.ld	a5, 128(s0)
	c.addi	a5, 1
	c.sd	a5, 136(s0)
	/* FP loads and stores: raw bits in, raw bits out. */
	c.fldsp	fa0, 32(sp)
	c.fsdsp	fa0, 40(sp)
	c.ldsp	a5, 40(sp)
	c.sd	a5, 144(s0)
	c.fld	fa1, 128(s0)
	c.fsd	fa1, 152(s0)
	/* Jumps: c.jal does not exist on RV64; c.jalr, c.jr and c.j do. */
	lla	a5, 1f
	c.jalr	a5
	c.sd	a0, 160(s0)       /* a0 = 0x77 from the callee */
	c.j	2f
1:	li	a0, 0x77
	c.jr	ra
2:	c.ldsp	ra, 0(sp)
	c.ldsp	s1, 48(sp)
	c.ldsp	s0, 56(sp)
	c.addi16sp sp, 64
	c.nop
	c.jr	ra
	.size asm_compressed, . - asm_compressed
