# SPDX-License-Identifier: Apache-2.0
# Every RV64GC instruction the T1 decodes (Xtessera is tested by hand in
# test_decode.cpp: llvm-objdump does not know it). Assembled at build time;
# test_objdump.cpp compares decode()+disassemble() against llvm-objdump-16.
# Compressed section: every c.* instruction is immediately followed by its
# 32-bit expansion, which the test uses as the expected decode.
    .text
    .option norvc
start:
    add a0, a1, a2
    add t6, zero, s11
    sub a0, a1, a2
    sub t6, zero, s11
    sll a0, a1, a2
    sll t6, zero, s11
    slt a0, a1, a2
    slt t6, zero, s11
    sltu a0, a1, a2
    sltu t6, zero, s11
    xor a0, a1, a2
    xor t6, zero, s11
    srl a0, a1, a2
    srl t6, zero, s11
    sra a0, a1, a2
    sra t6, zero, s11
    or a0, a1, a2
    or t6, zero, s11
    and a0, a1, a2
    and t6, zero, s11
    addw a0, a1, a2
    addw t6, zero, s11
    subw a0, a1, a2
    subw t6, zero, s11
    sllw a0, a1, a2
    sllw t6, zero, s11
    srlw a0, a1, a2
    srlw t6, zero, s11
    sraw a0, a1, a2
    sraw t6, zero, s11
    mul a0, a1, a2
    mul t6, zero, s11
    mulh a0, a1, a2
    mulh t6, zero, s11
    mulhsu a0, a1, a2
    mulhsu t6, zero, s11
    mulhu a0, a1, a2
    mulhu t6, zero, s11
    div a0, a1, a2
    div t6, zero, s11
    divu a0, a1, a2
    divu t6, zero, s11
    rem a0, a1, a2
    rem t6, zero, s11
    remu a0, a1, a2
    remu t6, zero, s11
    mulw a0, a1, a2
    mulw t6, zero, s11
    divw a0, a1, a2
    divw t6, zero, s11
    divuw a0, a1, a2
    divuw t6, zero, s11
    remw a0, a1, a2
    remw t6, zero, s11
    remuw a0, a1, a2
    remuw t6, zero, s11
    lui a0, 0
    lui a0, 1048575
    lui t0, 524288
    lui s1, 74565
    auipc a1, 0
    auipc ra, 1048575
    auipc gp, 305
    addi a0, a1, 0
    addi a0, a1, 1
    addi a0, a1, -1
    addi a0, a1, 2047
    addi a0, a1, -2048
    slti a0, a1, 0
    slti a0, a1, 1
    slti a0, a1, -1
    slti a0, a1, 2047
    slti a0, a1, -2048
    sltiu a0, a1, 0
    sltiu a0, a1, 1
    sltiu a0, a1, -1
    sltiu a0, a1, 2047
    sltiu a0, a1, -2048
    xori a0, a1, 0
    xori a0, a1, 1
    xori a0, a1, -1
    xori a0, a1, 2047
    xori a0, a1, -2048
    ori a0, a1, 0
    ori a0, a1, 1
    ori a0, a1, -1
    ori a0, a1, 2047
    ori a0, a1, -2048
    andi a0, a1, 0
    andi a0, a1, 1
    andi a0, a1, -1
    andi a0, a1, 2047
    andi a0, a1, -2048
    addiw a0, a1, 0
    addiw a0, a1, 1
    addiw a0, a1, -1
    addiw a0, a1, 2047
    addiw a0, a1, -2048
    addi zero, zero, 0
    addi sp, sp, -16
    slli a0, a1, 0
    slli a0, a1, 1
    slli a0, a1, 31
    slli a0, a1, 32
    slli a0, a1, 63
    srli a0, a1, 0
    srli a0, a1, 1
    srli a0, a1, 31
    srli a0, a1, 32
    srli a0, a1, 63
    srai a0, a1, 0
    srai a0, a1, 1
    srai a0, a1, 31
    srai a0, a1, 32
    srai a0, a1, 63
    slliw t1, t2, 0
    slliw t1, t2, 1
    slliw t1, t2, 17
    slliw t1, t2, 31
    srliw t1, t2, 0
    srliw t1, t2, 1
    srliw t1, t2, 17
    srliw t1, t2, 31
    sraiw t1, t2, 0
    sraiw t1, t2, 1
    sraiw t1, t2, 17
    sraiw t1, t2, 31
    lb a0, 0(sp)
    lb a0, -8(sp)
    lb a0, 2047(sp)
    lb a0, -2048(sp)
    lb s10, 12(t3)
    lh a0, 0(sp)
    lh a0, -8(sp)
    lh a0, 2047(sp)
    lh a0, -2048(sp)
    lh s10, 12(t3)
    lw a0, 0(sp)
    lw a0, -8(sp)
    lw a0, 2047(sp)
    lw a0, -2048(sp)
    lw s10, 12(t3)
    ld a0, 0(sp)
    ld a0, -8(sp)
    ld a0, 2047(sp)
    ld a0, -2048(sp)
    ld s10, 12(t3)
    lbu a0, 0(sp)
    lbu a0, -8(sp)
    lbu a0, 2047(sp)
    lbu a0, -2048(sp)
    lbu s10, 12(t3)
    lhu a0, 0(sp)
    lhu a0, -8(sp)
    lhu a0, 2047(sp)
    lhu a0, -2048(sp)
    lhu s10, 12(t3)
    lwu a0, 0(sp)
    lwu a0, -8(sp)
    lwu a0, 2047(sp)
    lwu a0, -2048(sp)
    lwu s10, 12(t3)
    sb ra, 0(sp)
    sb ra, 8(sp)
    sb ra, -1(sp)
    sb ra, 2047(sp)
    sb ra, -2048(sp)
    sb t5, -33(a7)
    sh ra, 0(sp)
    sh ra, 8(sp)
    sh ra, -1(sp)
    sh ra, 2047(sp)
    sh ra, -2048(sp)
    sh t5, -33(a7)
    sw ra, 0(sp)
    sw ra, 8(sp)
    sw ra, -1(sp)
    sw ra, 2047(sp)
    sw ra, -2048(sp)
    sw t5, -33(a7)
    sd ra, 0(sp)
    sd ra, 8(sp)
    sd ra, -1(sp)
    sd ra, 2047(sp)
    sd ra, -2048(sp)
    sd t5, -33(a7)
back:
    beq a0, a1, back
    beq zero, t6, fwd
    bne a0, a1, back
    bne zero, t6, fwd
    blt a0, a1, back
    blt zero, t6, fwd
    bge a0, a1, back
    bge zero, t6, fwd
    bltu a0, a1, back
    bltu zero, t6, fwd
    bgeu a0, a1, back
    bgeu zero, t6, fwd
    jal ra, back
    jal zero, fwd
    jal t0, start
    jalr ra, 0(a0)
    jalr zero, -2048(t1)
    jalr s0, 2047(ra)
fwd:
    fence iorw, iorw
    fence r, w
    fence i, o
    fence w, rw
    fence.tso
    fence.i
    ecall
    ebreak
    csrrw a0, fflags, a1
    csrrw a0, frm, a1
    csrrw a0, fcsr, a1
    csrrw a0, cycle, a1
    csrrw a0, time, a1
    csrrw a0, instret, a1
    csrrw a0, hpmcounter3, a1
    csrrw a0, hpmcounter31, a1
    csrrw zero, fcsr, zero
    csrrs a0, fflags, a1
    csrrs a0, frm, a1
    csrrs a0, fcsr, a1
    csrrs a0, cycle, a1
    csrrs a0, time, a1
    csrrs a0, instret, a1
    csrrs a0, hpmcounter3, a1
    csrrs a0, hpmcounter31, a1
    csrrs zero, fcsr, zero
    csrrc a0, fflags, a1
    csrrc a0, frm, a1
    csrrc a0, fcsr, a1
    csrrc a0, cycle, a1
    csrrc a0, time, a1
    csrrc a0, instret, a1
    csrrc a0, hpmcounter3, a1
    csrrc a0, hpmcounter31, a1
    csrrc zero, fcsr, zero
    csrrwi a0, fflags, 0
    csrrwi a0, fflags, 1
    csrrwi a0, fflags, 31
    csrrwi t2, frm, 17
    csrrsi a0, fflags, 0
    csrrsi a0, fflags, 1
    csrrsi a0, fflags, 31
    csrrsi t2, frm, 17
    csrrci a0, fflags, 0
    csrrci a0, fflags, 1
    csrrci a0, fflags, 31
    csrrci t2, frm, 17
    lr.w a0, (a1)
    sc.w a0, a1, (a2)
    amoswap.w a0, a1, (a2)
    amoadd.w a0, a1, (a2)
    amoxor.w a0, a1, (a2)
    amoand.w a0, a1, (a2)
    amoor.w a0, a1, (a2)
    amomin.w a0, a1, (a2)
    amomax.w a0, a1, (a2)
    amominu.w a0, a1, (a2)
    amomaxu.w a0, a1, (a2)
    lr.w.aq a0, (a1)
    sc.w.aq a0, a1, (a2)
    amoswap.w.aq a0, a1, (a2)
    amoadd.w.aq a0, a1, (a2)
    amoxor.w.aq a0, a1, (a2)
    amoand.w.aq a0, a1, (a2)
    amoor.w.aq a0, a1, (a2)
    amomin.w.aq a0, a1, (a2)
    amomax.w.aq a0, a1, (a2)
    amominu.w.aq a0, a1, (a2)
    amomaxu.w.aq a0, a1, (a2)
    lr.w.rl a0, (a1)
    sc.w.rl a0, a1, (a2)
    amoswap.w.rl a0, a1, (a2)
    amoadd.w.rl a0, a1, (a2)
    amoxor.w.rl a0, a1, (a2)
    amoand.w.rl a0, a1, (a2)
    amoor.w.rl a0, a1, (a2)
    amomin.w.rl a0, a1, (a2)
    amomax.w.rl a0, a1, (a2)
    amominu.w.rl a0, a1, (a2)
    amomaxu.w.rl a0, a1, (a2)
    lr.w.aqrl a0, (a1)
    sc.w.aqrl a0, a1, (a2)
    amoswap.w.aqrl a0, a1, (a2)
    amoadd.w.aqrl a0, a1, (a2)
    amoxor.w.aqrl a0, a1, (a2)
    amoand.w.aqrl a0, a1, (a2)
    amoor.w.aqrl a0, a1, (a2)
    amomin.w.aqrl a0, a1, (a2)
    amomax.w.aqrl a0, a1, (a2)
    amominu.w.aqrl a0, a1, (a2)
    amomaxu.w.aqrl a0, a1, (a2)
    amoadd.w t6, s11, (zero)
    lr.d a0, (a1)
    sc.d a0, a1, (a2)
    amoswap.d a0, a1, (a2)
    amoadd.d a0, a1, (a2)
    amoxor.d a0, a1, (a2)
    amoand.d a0, a1, (a2)
    amoor.d a0, a1, (a2)
    amomin.d a0, a1, (a2)
    amomax.d a0, a1, (a2)
    amominu.d a0, a1, (a2)
    amomaxu.d a0, a1, (a2)
    lr.d.aq a0, (a1)
    sc.d.aq a0, a1, (a2)
    amoswap.d.aq a0, a1, (a2)
    amoadd.d.aq a0, a1, (a2)
    amoxor.d.aq a0, a1, (a2)
    amoand.d.aq a0, a1, (a2)
    amoor.d.aq a0, a1, (a2)
    amomin.d.aq a0, a1, (a2)
    amomax.d.aq a0, a1, (a2)
    amominu.d.aq a0, a1, (a2)
    amomaxu.d.aq a0, a1, (a2)
    lr.d.rl a0, (a1)
    sc.d.rl a0, a1, (a2)
    amoswap.d.rl a0, a1, (a2)
    amoadd.d.rl a0, a1, (a2)
    amoxor.d.rl a0, a1, (a2)
    amoand.d.rl a0, a1, (a2)
    amoor.d.rl a0, a1, (a2)
    amomin.d.rl a0, a1, (a2)
    amomax.d.rl a0, a1, (a2)
    amominu.d.rl a0, a1, (a2)
    amomaxu.d.rl a0, a1, (a2)
    lr.d.aqrl a0, (a1)
    sc.d.aqrl a0, a1, (a2)
    amoswap.d.aqrl a0, a1, (a2)
    amoadd.d.aqrl a0, a1, (a2)
    amoxor.d.aqrl a0, a1, (a2)
    amoand.d.aqrl a0, a1, (a2)
    amoor.d.aqrl a0, a1, (a2)
    amomin.d.aqrl a0, a1, (a2)
    amomax.d.aqrl a0, a1, (a2)
    amominu.d.aqrl a0, a1, (a2)
    amomaxu.d.aqrl a0, a1, (a2)
    amoadd.d t6, s11, (zero)
    flw fa0, 0(sp)
    fsw fa1, 0(a0)
    flw fa0, -8(sp)
    fsw fa1, -8(a0)
    flw fa0, 2047(sp)
    fsw fa1, 2047(a0)
    flw fa0, -2048(sp)
    fsw fa1, -2048(a0)
    flw ft11, 4(t6)
    fsw fs11, 4(t6)
    fmadd.s fa0, fa1, fa2, fa3
    fmadd.s fa0, fa1, fa2, fa3, rne
    fmadd.s fa0, fa1, fa2, fa3, rtz
    fmadd.s fa0, fa1, fa2, fa3, rdn
    fmadd.s fa0, fa1, fa2, fa3, rup
    fmadd.s fa0, fa1, fa2, fa3, rmm
    fmadd.s fa0, fa1, fa2, fa3, dyn
    fmadd.s ft11, fs0, fs11, ft0
    fmsub.s fa0, fa1, fa2, fa3
    fmsub.s fa0, fa1, fa2, fa3, rne
    fmsub.s fa0, fa1, fa2, fa3, rtz
    fmsub.s fa0, fa1, fa2, fa3, rdn
    fmsub.s fa0, fa1, fa2, fa3, rup
    fmsub.s fa0, fa1, fa2, fa3, rmm
    fmsub.s fa0, fa1, fa2, fa3, dyn
    fmsub.s ft11, fs0, fs11, ft0
    fnmsub.s fa0, fa1, fa2, fa3
    fnmsub.s fa0, fa1, fa2, fa3, rne
    fnmsub.s fa0, fa1, fa2, fa3, rtz
    fnmsub.s fa0, fa1, fa2, fa3, rdn
    fnmsub.s fa0, fa1, fa2, fa3, rup
    fnmsub.s fa0, fa1, fa2, fa3, rmm
    fnmsub.s fa0, fa1, fa2, fa3, dyn
    fnmsub.s ft11, fs0, fs11, ft0
    fnmadd.s fa0, fa1, fa2, fa3
    fnmadd.s fa0, fa1, fa2, fa3, rne
    fnmadd.s fa0, fa1, fa2, fa3, rtz
    fnmadd.s fa0, fa1, fa2, fa3, rdn
    fnmadd.s fa0, fa1, fa2, fa3, rup
    fnmadd.s fa0, fa1, fa2, fa3, rmm
    fnmadd.s fa0, fa1, fa2, fa3, dyn
    fnmadd.s ft11, fs0, fs11, ft0
    fadd.s fa0, fa1, fa2
    fadd.s fa0, fa1, fa2, rne
    fadd.s fa0, fa1, fa2, rtz
    fadd.s fa0, fa1, fa2, rdn
    fadd.s fa0, fa1, fa2, rup
    fadd.s fa0, fa1, fa2, rmm
    fadd.s fa0, fa1, fa2, dyn
    fsub.s fa0, fa1, fa2
    fsub.s fa0, fa1, fa2, rne
    fsub.s fa0, fa1, fa2, rtz
    fsub.s fa0, fa1, fa2, rdn
    fsub.s fa0, fa1, fa2, rup
    fsub.s fa0, fa1, fa2, rmm
    fsub.s fa0, fa1, fa2, dyn
    fmul.s fa0, fa1, fa2
    fmul.s fa0, fa1, fa2, rne
    fmul.s fa0, fa1, fa2, rtz
    fmul.s fa0, fa1, fa2, rdn
    fmul.s fa0, fa1, fa2, rup
    fmul.s fa0, fa1, fa2, rmm
    fmul.s fa0, fa1, fa2, dyn
    fdiv.s fa0, fa1, fa2
    fdiv.s fa0, fa1, fa2, rne
    fdiv.s fa0, fa1, fa2, rtz
    fdiv.s fa0, fa1, fa2, rdn
    fdiv.s fa0, fa1, fa2, rup
    fdiv.s fa0, fa1, fa2, rmm
    fdiv.s fa0, fa1, fa2, dyn
    fsqrt.s fa0, fa1
    fsqrt.s fa0, fa1, rne
    fsqrt.s fa0, fa1, rtz
    fsqrt.s fa0, fa1, rdn
    fsqrt.s fa0, fa1, rup
    fsqrt.s fa0, fa1, rmm
    fsqrt.s fa0, fa1, dyn
    fsgnj.s fa0, fa1, fa2
    fsgnj.s ft11, ft10, fs2
    fsgnjn.s fa0, fa1, fa2
    fsgnjn.s ft11, ft10, fs2
    fsgnjx.s fa0, fa1, fa2
    fsgnjx.s ft11, ft10, fs2
    fmin.s fa0, fa1, fa2
    fmin.s ft11, ft10, fs2
    fmax.s fa0, fa1, fa2
    fmax.s ft11, ft10, fs2
    feq.s a0, fa1, fa2
    flt.s a0, fa1, fa2
    fle.s a0, fa1, fa2
    fclass.s a0, fa0
    fcvt.w.s a0, fa1
    fcvt.w.s a0, fa1, rtz
    fcvt.w.s a0, fa1, rne
    fcvt.w.s a0, fa1, rmm
    fcvt.s.w fa0, a1
    fcvt.s.w fa0, a1, rtz
    fcvt.s.w fa0, a1, rup
    fcvt.wu.s a0, fa1
    fcvt.wu.s a0, fa1, rtz
    fcvt.wu.s a0, fa1, rne
    fcvt.wu.s a0, fa1, rmm
    fcvt.s.wu fa0, a1
    fcvt.s.wu fa0, a1, rtz
    fcvt.s.wu fa0, a1, rup
    fcvt.l.s a0, fa1
    fcvt.l.s a0, fa1, rtz
    fcvt.l.s a0, fa1, rne
    fcvt.l.s a0, fa1, rmm
    fcvt.s.l fa0, a1
    fcvt.s.l fa0, a1, rtz
    fcvt.s.l fa0, a1, rup
    fcvt.lu.s a0, fa1
    fcvt.lu.s a0, fa1, rtz
    fcvt.lu.s a0, fa1, rne
    fcvt.lu.s a0, fa1, rmm
    fcvt.s.lu fa0, a1
    fcvt.s.lu fa0, a1, rtz
    fcvt.s.lu fa0, a1, rup
    fld fa0, 0(sp)
    fsd fa1, 0(a0)
    fld fa0, -8(sp)
    fsd fa1, -8(a0)
    fld fa0, 2047(sp)
    fsd fa1, 2047(a0)
    fld fa0, -2048(sp)
    fsd fa1, -2048(a0)
    fld ft11, 4(t6)
    fsd fs11, 4(t6)
    fmadd.d fa0, fa1, fa2, fa3
    fmadd.d fa0, fa1, fa2, fa3, rne
    fmadd.d fa0, fa1, fa2, fa3, rtz
    fmadd.d fa0, fa1, fa2, fa3, rdn
    fmadd.d fa0, fa1, fa2, fa3, rup
    fmadd.d fa0, fa1, fa2, fa3, rmm
    fmadd.d fa0, fa1, fa2, fa3, dyn
    fmadd.d ft11, fs0, fs11, ft0
    fmsub.d fa0, fa1, fa2, fa3
    fmsub.d fa0, fa1, fa2, fa3, rne
    fmsub.d fa0, fa1, fa2, fa3, rtz
    fmsub.d fa0, fa1, fa2, fa3, rdn
    fmsub.d fa0, fa1, fa2, fa3, rup
    fmsub.d fa0, fa1, fa2, fa3, rmm
    fmsub.d fa0, fa1, fa2, fa3, dyn
    fmsub.d ft11, fs0, fs11, ft0
    fnmsub.d fa0, fa1, fa2, fa3
    fnmsub.d fa0, fa1, fa2, fa3, rne
    fnmsub.d fa0, fa1, fa2, fa3, rtz
    fnmsub.d fa0, fa1, fa2, fa3, rdn
    fnmsub.d fa0, fa1, fa2, fa3, rup
    fnmsub.d fa0, fa1, fa2, fa3, rmm
    fnmsub.d fa0, fa1, fa2, fa3, dyn
    fnmsub.d ft11, fs0, fs11, ft0
    fnmadd.d fa0, fa1, fa2, fa3
    fnmadd.d fa0, fa1, fa2, fa3, rne
    fnmadd.d fa0, fa1, fa2, fa3, rtz
    fnmadd.d fa0, fa1, fa2, fa3, rdn
    fnmadd.d fa0, fa1, fa2, fa3, rup
    fnmadd.d fa0, fa1, fa2, fa3, rmm
    fnmadd.d fa0, fa1, fa2, fa3, dyn
    fnmadd.d ft11, fs0, fs11, ft0
    fadd.d fa0, fa1, fa2
    fadd.d fa0, fa1, fa2, rne
    fadd.d fa0, fa1, fa2, rtz
    fadd.d fa0, fa1, fa2, rdn
    fadd.d fa0, fa1, fa2, rup
    fadd.d fa0, fa1, fa2, rmm
    fadd.d fa0, fa1, fa2, dyn
    fsub.d fa0, fa1, fa2
    fsub.d fa0, fa1, fa2, rne
    fsub.d fa0, fa1, fa2, rtz
    fsub.d fa0, fa1, fa2, rdn
    fsub.d fa0, fa1, fa2, rup
    fsub.d fa0, fa1, fa2, rmm
    fsub.d fa0, fa1, fa2, dyn
    fmul.d fa0, fa1, fa2
    fmul.d fa0, fa1, fa2, rne
    fmul.d fa0, fa1, fa2, rtz
    fmul.d fa0, fa1, fa2, rdn
    fmul.d fa0, fa1, fa2, rup
    fmul.d fa0, fa1, fa2, rmm
    fmul.d fa0, fa1, fa2, dyn
    fdiv.d fa0, fa1, fa2
    fdiv.d fa0, fa1, fa2, rne
    fdiv.d fa0, fa1, fa2, rtz
    fdiv.d fa0, fa1, fa2, rdn
    fdiv.d fa0, fa1, fa2, rup
    fdiv.d fa0, fa1, fa2, rmm
    fdiv.d fa0, fa1, fa2, dyn
    fsqrt.d fa0, fa1
    fsqrt.d fa0, fa1, rne
    fsqrt.d fa0, fa1, rtz
    fsqrt.d fa0, fa1, rdn
    fsqrt.d fa0, fa1, rup
    fsqrt.d fa0, fa1, rmm
    fsqrt.d fa0, fa1, dyn
    fsgnj.d fa0, fa1, fa2
    fsgnj.d ft11, ft10, fs2
    fsgnjn.d fa0, fa1, fa2
    fsgnjn.d ft11, ft10, fs2
    fsgnjx.d fa0, fa1, fa2
    fsgnjx.d ft11, ft10, fs2
    fmin.d fa0, fa1, fa2
    fmin.d ft11, ft10, fs2
    fmax.d fa0, fa1, fa2
    fmax.d ft11, ft10, fs2
    feq.d a0, fa1, fa2
    flt.d a0, fa1, fa2
    fle.d a0, fa1, fa2
    fclass.d a0, fa0
    fcvt.w.d a0, fa1
    fcvt.w.d a0, fa1, rtz
    fcvt.w.d a0, fa1, rne
    fcvt.w.d a0, fa1, rmm
    fcvt.d.w fa0, a1
    fcvt.wu.d a0, fa1
    fcvt.wu.d a0, fa1, rtz
    fcvt.wu.d a0, fa1, rne
    fcvt.wu.d a0, fa1, rmm
    fcvt.d.wu fa0, a1
    fcvt.l.d a0, fa1
    fcvt.l.d a0, fa1, rtz
    fcvt.l.d a0, fa1, rne
    fcvt.l.d a0, fa1, rmm
    fcvt.d.l fa0, a1
    fcvt.d.l fa0, a1, rtz
    fcvt.d.l fa0, a1, rup
    fcvt.lu.d a0, fa1
    fcvt.lu.d a0, fa1, rtz
    fcvt.lu.d a0, fa1, rne
    fcvt.lu.d a0, fa1, rmm
    fcvt.d.lu fa0, a1
    fcvt.d.lu fa0, a1, rtz
    fcvt.d.lu fa0, a1, rup
    fmv.x.w a0, fa0
    fmv.w.x fa0, a0
    fmv.x.d t6, ft11
    fmv.d.x ft11, t6
    fcvt.s.d fa0, fa1
    fcvt.s.d fa0, fa1, rne
    fcvt.s.d fa0, fa1, rtz
    fcvt.s.d fa0, fa1, rdn
    fcvt.s.d fa0, fa1, rup
    fcvt.s.d fa0, fa1, rmm
    fcvt.s.d fa0, fa1, dyn
    fcvt.d.s fa0, fa1

# ---- compressed, each followed by its expansion ----
    .option rvc
    c.addi4spn a0, sp, 4
    .option norvc
    addi a0, sp, 4
    .option rvc
    c.addi4spn s1, sp, 1020
    .option norvc
    addi s1, sp, 1020
    .option rvc
    c.fld fa0, 0(a1)
    .option norvc
    fld fa0, 0(a1)
    .option rvc
    c.fld fs1, 248(s0)
    .option norvc
    fld fs1, 248(s0)
    .option rvc
    c.lw a0, 4(a1)
    .option norvc
    lw a0, 4(a1)
    .option rvc
    c.lw a5, 124(s0)
    .option norvc
    lw a5, 124(s0)
    .option rvc
    c.ld a0, 8(a1)
    .option norvc
    ld a0, 8(a1)
    .option rvc
    c.ld a5, 248(s1)
    .option norvc
    ld a5, 248(s1)
    .option rvc
    c.fsd fa0, 8(a1)
    .option norvc
    fsd fa0, 8(a1)
    .option rvc
    c.fsd fa5, 248(s0)
    .option norvc
    fsd fa5, 248(s0)
    .option rvc
    c.sw a0, 4(a1)
    .option norvc
    sw a0, 4(a1)
    .option rvc
    c.sw a5, 124(s0)
    .option norvc
    sw a5, 124(s0)
    .option rvc
    c.sd a0, 8(a1)
    .option norvc
    sd a0, 8(a1)
    .option rvc
    c.sd a5, 248(s1)
    .option norvc
    sd a5, 248(s1)
    .option rvc
    c.nop
    .option norvc
    addi zero, zero, 0
    .option rvc
    c.addi a0, 1
    .option norvc
    addi a0, a0, 1
    .option rvc
    c.addi t6, -32
    .option norvc
    addi t6, t6, -32
    .option rvc
    c.addi sp, 31
    .option norvc
    addi sp, sp, 31
    .option rvc
    c.addiw a0, -1
    .option norvc
    addiw a0, a0, -1
    .option rvc
    c.addiw s11, 0
    .option norvc
    addiw s11, s11, 0
    .option rvc
    c.li a0, -32
    .option norvc
    addi a0, zero, -32
    .option rvc
    c.li ra, 31
    .option norvc
    addi ra, zero, 31
    .option rvc
    c.addi16sp sp, -512
    .option norvc
    addi sp, sp, -512
    .option rvc
    c.addi16sp sp, 496
    .option norvc
    addi sp, sp, 496
    .option rvc
    c.addi16sp sp, 16
    .option norvc
    addi sp, sp, 16
    .option rvc
    c.lui a0, 1
    .option norvc
    lui a0, 1
    .option rvc
    c.lui t6, 1048544
    .option norvc
    lui t6, 1048544
    .option rvc
    c.lui ra, 31
    .option norvc
    lui ra, 31
    .option rvc
    c.lui s0, 1048575
    .option norvc
    lui s0, 1048575
    .option rvc
    c.srli a0, 1
    .option norvc
    srli a0, a0, 1
    .option rvc
    c.srli s1, 63
    .option norvc
    srli s1, s1, 63
    .option rvc
    c.srli a5, 32
    .option norvc
    srli a5, a5, 32
    .option rvc
    c.srai a0, 1
    .option norvc
    srai a0, a0, 1
    .option rvc
    c.srai s1, 63
    .option norvc
    srai s1, s1, 63
    .option rvc
    c.andi a0, -1
    .option norvc
    andi a0, a0, -1
    .option rvc
    c.andi s0, 31
    .option norvc
    andi s0, s0, 31
    .option rvc
    c.andi a2, -32
    .option norvc
    andi a2, a2, -32
    .option rvc
    c.sub a0, a1
    .option norvc
    sub a0, a0, a1
    .option rvc
    c.xor s0, a5
    .option norvc
    xor s0, s0, a5
    .option rvc
    c.or a3, a4
    .option norvc
    or a3, a3, a4
    .option rvc
    c.and a2, s1
    .option norvc
    and a2, a2, s1
    .option rvc
    c.subw a0, a1
    .option norvc
    subw a0, a0, a1
    .option rvc
    c.addw s0, a5
    .option norvc
    addw s0, s0, a5
    .option rvc
    c.j 2046
    .option norvc
    jal zero, 2046
    .option rvc
    c.j -2048
    .option norvc
    jal zero, -2048
    .option rvc
    c.j 2
    .option norvc
    jal zero, 2
    .option rvc
    c.j -1366
    .option norvc
    jal zero, -1366
    .option rvc
    c.beqz a0, 254
    .option norvc
    beq a0, zero, 254
    .option rvc
    c.beqz s1, -256
    .option norvc
    beq s1, zero, -256
    .option rvc
    c.bnez a5, 2
    .option norvc
    bne a5, zero, 2
    .option rvc
    c.bnez s0, -170
    .option norvc
    bne s0, zero, -170
    .option rvc
    c.slli a0, 1
    .option norvc
    slli a0, a0, 1
    .option rvc
    c.slli t6, 63
    .option norvc
    slli t6, t6, 63
    .option rvc
    c.slli ra, 32
    .option norvc
    slli ra, ra, 32
    .option rvc
    c.fldsp fa0, 8(sp)
    .option norvc
    fld fa0, 8(sp)
    .option rvc
    c.fldsp ft11, 504(sp)
    .option norvc
    fld ft11, 504(sp)
    .option rvc
    c.lwsp a0, 4(sp)
    .option norvc
    lw a0, 4(sp)
    .option rvc
    c.lwsp t6, 252(sp)
    .option norvc
    lw t6, 252(sp)
    .option rvc
    c.ldsp a0, 8(sp)
    .option norvc
    ld a0, 8(sp)
    .option rvc
    c.ldsp ra, 504(sp)
    .option norvc
    ld ra, 504(sp)
    .option rvc
    c.jr ra
    .option norvc
    jalr zero, 0(ra)
    .option rvc
    c.jr t6
    .option norvc
    jalr zero, 0(t6)
    .option rvc
    c.mv a0, a1
    .option norvc
    add a0, zero, a1
    .option rvc
    c.mv t6, ra
    .option norvc
    add t6, zero, ra
    .option rvc
    c.ebreak
    .option norvc
    ebreak
    .option rvc
    c.jalr a0
    .option norvc
    jalr ra, 0(a0)
    .option rvc
    c.jalr t6
    .option norvc
    jalr ra, 0(t6)
    .option rvc
    c.add a0, a1
    .option norvc
    add a0, a0, a1
    .option rvc
    c.add sp, t6
    .option norvc
    add sp, sp, t6
    .option rvc
    c.fsdsp fa0, 8(sp)
    .option norvc
    fsd fa0, 8(sp)
    .option rvc
    c.fsdsp fs11, 504(sp)
    .option norvc
    fsd fs11, 504(sp)
    .option rvc
    c.swsp a0, 4(sp)
    .option norvc
    sw a0, 4(sp)
    .option rvc
    c.swsp t6, 252(sp)
    .option norvc
    sw t6, 252(sp)
    .option rvc
    c.sdsp a0, 8(sp)
    .option norvc
    sd a0, 8(sp)
    .option rvc
    c.sdsp ra, 504(sp)
    .option norvc
    sd ra, 504(sp)

