/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: the Xtessera ISA extension.
 *
 * Every T1 thread is an RV64GC hart. Xtessera adds read-only CSRs in the
 * custom user read-only range (0xCC0-0xCFF) and a few instructions in the
 * custom-0 and custom-1 major opcodes. docs/hardware/isa.md gives the exact
 * semantics; this header gives the numbers and encodings.
 */
#ifndef TESSERA_HW_T1_ISA_H
#define TESSERA_HW_T1_ISA_H

#include "t1_types.h"

#define T1_WARP_SIZE 32

/* ---- Read-only CSRs (csrr rd, CSR). Writing any of them is illegal. ---- */
#define T1_CSR_TID_X      0xCC0 /* thread index in block (threadIdx.x) */
#define T1_CSR_TID_Y      0xCC1
#define T1_CSR_TID_Z      0xCC2
#define T1_CSR_NTID_X     0xCC3 /* block dimensions (blockDim.x) */
#define T1_CSR_NTID_Y     0xCC4
#define T1_CSR_NTID_Z     0xCC5
#define T1_CSR_CTAID_X    0xCC6 /* block index in grid (blockIdx.x) */
#define T1_CSR_CTAID_Y    0xCC7
#define T1_CSR_CTAID_Z    0xCC8
#define T1_CSR_NCTAID_X   0xCC9 /* grid dimensions in blocks (gridDim.x) */
#define T1_CSR_NCTAID_Y   0xCCA
#define T1_CSR_NCTAID_Z   0xCCB
#define T1_CSR_LANEID     0xCCC /* lane within the warp, 0..31 */
#define T1_CSR_WARPID     0xCCD /* warp within the block */
#define T1_CSR_NWARPS     0xCCE /* warps in the block */
#define T1_CSR_TILEID     0xCCF /* tile running the block */
#define T1_CSR_DYNSHARED  0xCD0 /* address of the block's dynamic shared memory */
#define T1_CSR_DEVICEID   0xCD1 /* device index in the fabric */
#define T1_CSR_FIRST      0xCC0
#define T1_CSR_LAST       0xCD1

/*
 * Scratchpad (shared memory) aperture. Loads, stores and atomics whose address
 * falls in [T1_SHARED_APERTURE_BASE, T1_SHARED_APERTURE_BASE + scratchpad size)
 * reach the running block's scratchpad instead of device memory; an access
 * beyond the block's allocation (static + dynamic shared size) faults.
 * The range is never translated by the MMU and must not be mapped.
 */
#define T1_SHARED_APERTURE_BASE T1_U64(0x00007F0000000000)
#define T1_SHARED_APERTURE_SIZE T1_U64(0x0000000001000000) /* 16 MiB window */

/* ---- Instructions ---- */
#define T1_OPCODE_CUSTOM0 0x0B /* R-type Xtessera instructions */
#define T1_OPCODE_CUSTOM1 0x2B /* R4-type Xtessera instructions */

/* custom-0, funct3 selects the instruction, funct7 its variant. */
#define T1_F3_BAR        0 /* t.bar[.popc|.and|.or] rd, rs1 : block barrier */
#define T1_F3_EXIT       1 /* t.exit : the thread ends */
#define T1_F3_VOTE       2 /* t.vote.{all,any,ballot,uni} rd, rs1(pred), rs2(membermask) */
#define T1_F3_ACTIVEMASK 3 /* t.activemask rd */
#define T1_F3_WSYNC      4 /* t.wsync rs1(membermask) : __syncwarp */

#define T1_BAR_SYNC 0 /* all threads of the block arrive; rd must be x0 */
#define T1_BAR_POPC 1 /* rd = number of threads with rs1 != 0 */
#define T1_BAR_AND  2 /* rd = 1 if every thread has rs1 != 0 */
#define T1_BAR_OR   3 /* rd = 1 if any thread has rs1 != 0 */

#define T1_VOTE_ALL    0
#define T1_VOTE_ANY    1
#define T1_VOTE_BALLOT 2
#define T1_VOTE_UNI    3 /* 1 if the predicate (rs1 != 0) is the same in every member lane */

/*
 * custom-1, R4 layout: t.shfl.MODE rd, rs1(value), rs2(control), rs3(membermask)
 * funct3 = mode, funct2 must be 0. The control operand packs PTX's b and c:
 *   bits  4:0  b     source lane (idx), delta (up/down) or xor mask (bfly)
 *   bits 12:8  clamp: for idx/down/bfly the highest source lane of the
 *              segment (31 for a full warp); for up the lowest (0)
 *   bits 20:16 segmask: the lane bits that select the segment (0 for a full
 *              warp, 0x18 for segments of 8 lanes)
 * The whole 64-bit register moves.
 */
#define T1_SHFL_IDX  0
#define T1_SHFL_UP   1
#define T1_SHFL_DOWN 2
#define T1_SHFL_BFLY 3
#if !defined(__ASSEMBLER__)
#define T1_SHFL_CTL(b, clamp, segmask) \
	(((b) & 0x1Fu) | (((clamp) & 0x1Fu) << 8) | (((segmask) & 0x1Fu) << 16))

#define T1_ENCODE_R(opcode, f3, f7, rd, rs1, rs2)                    \
	((t1_u32)(opcode) | ((t1_u32)(rd) << 7) | ((t1_u32)(f3) << 12) | \
	 ((t1_u32)(rs1) << 15) | ((t1_u32)(rs2) << 20) | ((t1_u32)(f7) << 25))
#define T1_ENCODE_R4(opcode, f3, f2, rd, rs1, rs2, rs3)              \
	((t1_u32)(opcode) | ((t1_u32)(rd) << 7) | ((t1_u32)(f3) << 12) | \
	 ((t1_u32)(rs1) << 15) | ((t1_u32)(rs2) << 20) |                 \
	 ((t1_u32)(f2) << 25) | ((t1_u32)(rs3) << 27))
#endif

/* Kernel entry ABI: a0 = kernarg address, sp = top of the thread's stack
 * (16-byte aligned), ra = 0, every other register 0, fcsr = 0. */

#endif /* TESSERA_HW_T1_ISA_H */
