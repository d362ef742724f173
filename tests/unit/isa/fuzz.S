# SPDX-License-Identifier: Apache-2.0
# Pseudo-random encodings for the decoder-vs-LLVM validity cross-check
# (test_objdump.cpp): 2000 words under every 32-bit major opcode the T1 uses
# (half of them with bits 24:20 cleared, to reach the FP encodings that need
# rs2 = 0), then every 16-bit halfword of the three compressed quadrants.
# The generator is a 31-bit LCG evaluated by the assembler itself.
    .text
    .option norvc
    .set seed, 1
    .irp opc, 0x03, 0x07, 0x0b, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2b, 0x2f, 0x33, 0x37, 0x3b, 0x43, 0x47, 0x4b, 0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73
    .rept 2000
    .set seed, (seed * 1103515245 + 12345) & 0x7fffffff
    .set hi, seed
    .set seed, (seed * 1103515245 + 12345) & 0x7fffffff
    .set w, ((hi << 9) ^ (seed >> 7)) & 0xffffff80
    .if (seed & 0x100)
    .set w, w & 0xfe0fffff
    .endif
    .word w | \opc
    .endr
    .endr

    .set h, 0
    .rept 65536
    .if (h & 3) != 3
    .half h
    .endif
    .set h, h + 1
    .endr
