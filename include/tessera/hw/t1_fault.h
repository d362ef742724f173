/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: fault causes and access kinds.
 * (The fault record layout and its registers are defined further below.)
 */
#ifndef TESSERA_HW_T1_FAULT_H
#define TESSERA_HW_T1_FAULT_H

#include "t1_types.h"

/* Access kinds, as bits: an atomic read-modify-write is READ | WRITE. */
#define T1_ACCESS_READ  0x1
#define T1_ACCESS_WRITE 0x2
#define T1_ACCESS_EXEC  0x4

/* Fault causes (t1_fault_record.cause). 0 means no fault. */
#define T1_FAULT_NONE             0
#define T1_FAULT_UNMAPPED         1  /* no valid translation for the address */
#define T1_FAULT_PERMISSION       2  /* mapped, but R/W/X forbids the access */
#define T1_FAULT_MISALIGNED       3  /* misaligned atomic, LR or SC */
#define T1_FAULT_SHARED_BOUNDS    4  /* scratchpad access beyond the block's allocation */
#define T1_FAULT_ILLEGAL_INSN     5  /* illegal or unsupported encoding */
#define T1_FAULT_BREAKPOINT       6  /* ebreak (__trap, assert) */
#define T1_FAULT_ECALL            7  /* ecall in a kernel */
#define T1_FAULT_BAD_PAGE_TABLE   8  /* malformed page-table entry */
#define T1_FAULT_PHYS_RANGE       9  /* translation to a physical address outside memory */
#define T1_FAULT_BARRIER          10 /* barrier or warp-sync that cannot complete */
#define T1_FAULT_WATCHDOG         11 /* dispatch exceeded the watchdog limit */
#define T1_FAULT_BAD_PACKET       12 /* malformed packet (unknown type, bad fields) */
#define T1_FAULT_QUEUE_MEMORY     13 /* the queue's own memory not reachable: ring, completion or
                                         dependency signal, kernarg (a packet's data operands,
                                         e.g. DMA or SIGNAL targets, fault with the MMU cause) */
#define T1_FAULT_ABORTED          14 /* work aborted by a queue disable (signal status only) */
#define T1_FAULT_CAUSE_COUNT      15

/*
 * Fault record: written to the register page's fault ring (t1_regs.h) for
 * every fault of a queue: a kernel fault, a malformed packet, an unreachable
 * queue resource, a watchdog expiry. Work aborted by a queue disable or a
 * reset is not a fault and writes no record (T1_FAULT_ABORTED appears only
 * in completion signals). Fields that do not apply are 0 (thread position
 * fields are valid only when T1_FAULT_FLAG_THREAD is set).
 */
#define T1_FAULT_FLAG_VALID  0x1 /* the record was written */
#define T1_FAULT_FLAG_THREAD 0x2 /* block/thread/tile/warp/lane/pc/raw_insn are valid */
#define T1_FAULT_FLAG_PACKET 0x4 /* queue/packet_index name the packet */

#if !defined(__ASSEMBLER__)
struct t1_fault_record {
	t1_u32 cause;        /* T1_FAULT_* */
	t1_u32 access;       /* T1_ACCESS_* of the faulting access (memory faults) */
	t1_u32 context;      /* context id of the queue */
	t1_u32 queue;        /* queue number */
	t1_u64 packet_index; /* index of the packet in the queue */
	t1_u64 kernel_entry; /* entry VA of the faulting dispatch, else 0 */
	t1_u32 block_x;      /* faulting block (blockIdx) */
	t1_u32 block_y;
	t1_u32 block_z;
	t1_u32 thread_x;     /* faulting thread (threadIdx) */
	t1_u32 thread_y;
	t1_u32 thread_z;
	t1_u32 tile;
	t1_u32 warp;         /* warp within the block */
	t1_u32 lane;
	t1_u32 raw_insn;     /* encoding at pc, if it could be fetched */
	t1_u64 pc;
	t1_u64 address;      /* faulting address (data, fetch, or packet field) */
	t1_u64 timestamp;    /* device time, ns */
	t1_u32 sequence;     /* record number since reset (FAULT_COUNT - 1 at write) */
	t1_u32 flags;        /* T1_FAULT_FLAG_* */
	t1_u64 reserved[3];
};
T1_CHECK_OFFSET(struct t1_fault_record, cause, 0);
T1_CHECK_OFFSET(struct t1_fault_record, access, 4);
T1_CHECK_OFFSET(struct t1_fault_record, context, 8);
T1_CHECK_OFFSET(struct t1_fault_record, queue, 12);
T1_CHECK_OFFSET(struct t1_fault_record, packet_index, 16);
T1_CHECK_OFFSET(struct t1_fault_record, kernel_entry, 24);
T1_CHECK_OFFSET(struct t1_fault_record, block_x, 32);
T1_CHECK_OFFSET(struct t1_fault_record, block_y, 36);
T1_CHECK_OFFSET(struct t1_fault_record, block_z, 40);
T1_CHECK_OFFSET(struct t1_fault_record, thread_x, 44);
T1_CHECK_OFFSET(struct t1_fault_record, thread_y, 48);
T1_CHECK_OFFSET(struct t1_fault_record, thread_z, 52);
T1_CHECK_OFFSET(struct t1_fault_record, tile, 56);
T1_CHECK_OFFSET(struct t1_fault_record, warp, 60);
T1_CHECK_OFFSET(struct t1_fault_record, lane, 64);
T1_CHECK_OFFSET(struct t1_fault_record, raw_insn, 68);
T1_CHECK_OFFSET(struct t1_fault_record, pc, 72);
T1_CHECK_OFFSET(struct t1_fault_record, address, 80);
T1_CHECK_OFFSET(struct t1_fault_record, timestamp, 88);
T1_CHECK_OFFSET(struct t1_fault_record, sequence, 96);
T1_CHECK_OFFSET(struct t1_fault_record, flags, 100);
T1_CHECK_OFFSET(struct t1_fault_record, reserved, 104);
T1_CHECK_SIZE(struct t1_fault_record, 128);
#endif

#endif /* TESSERA_HW_T1_FAULT_H */
