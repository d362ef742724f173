/* SPDX-License-Identifier: Apache-2.0 */
/* Assembler macros for Xtessera, for hand-written test kernels (.S). */
#ifndef TESSERA_TESTS_XTESSERA_H
#define TESSERA_TESTS_XTESSERA_H
#include <tessera/hw/t1_isa.h>
#ifdef __ASSEMBLER__
#define T_BAR          .insn r CUSTOM_0, 0, 0, x0, x0, x0
#define T_BAR_POPC(rd, rs) .insn r CUSTOM_0, 0, 1, rd, rs, x0
#define T_BAR_AND(rd, rs)  .insn r CUSTOM_0, 0, 2, rd, rs, x0
#define T_BAR_OR(rd, rs)   .insn r CUSTOM_0, 0, 3, rd, rs, x0
#define T_EXIT         .insn r CUSTOM_0, 1, 0, x0, x0, x0
#define T_VOTE_ALL(rd, p, m)    .insn r CUSTOM_0, 2, 0, rd, p, m
#define T_VOTE_ANY(rd, p, m)    .insn r CUSTOM_0, 2, 1, rd, p, m
#define T_VOTE_BALLOT(rd, p, m) .insn r CUSTOM_0, 2, 2, rd, p, m
#define T_VOTE_UNI(rd, p, m)    .insn r CUSTOM_0, 2, 3, rd, p, m
#define T_ACTIVEMASK(rd) .insn r CUSTOM_0, 3, 0, rd, x0, x0
#define T_WSYNC(m)       .insn r CUSTOM_0, 4, 0, x0, m, x0
#define T_SHFL_IDX(rd, v, c, m)  .insn r4 CUSTOM_1, 0, 0, rd, v, c, m
#define T_SHFL_UP(rd, v, c, m)   .insn r4 CUSTOM_1, 1, 0, rd, v, c, m
#define T_SHFL_DOWN(rd, v, c, m) .insn r4 CUSTOM_1, 2, 0, rd, v, c, m
#define T_SHFL_BFLY(rd, v, c, m) .insn r4 CUSTOM_1, 3, 0, rd, v, c, m
#endif
#endif
