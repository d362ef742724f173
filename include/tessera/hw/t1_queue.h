/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: hardware queues.
 *
 * A queue is a ring of RING_SIZE 64-byte packets (t1_packet.h) at virtual
 * address RING_BASE in context CONTEXT. Indices are 64-bit and never wrap:
 * packet index i lives in slot i % RING_SIZE. The host owns WRITE_INDEX, the
 * device owns READ_INDEX; the ring is full when WRITE_INDEX - READ_INDEX ==
 * RING_SIZE.
 *
 * Submitting: the host waits until slot WRITE_INDEX is free (READ_INDEX >
 * WRITE_INDEX - RING_SIZE), writes the packet body, then its 16-bit header
 * last with a release store, then writes WRITE_INDEX + 1 to the queue's
 * doorbell register T1_REG_DOORBELL(q) (t1_regs.h), which updates
 * WRITE_INDEX and wakes the device. The in-process emulator also accepts a
 * WRITE_INDEX store followed by Device::ring_doorbell(); under QEMU the
 * doorbell register write is posted through the ivshmem transport's
 * register-write queue like every register write (t1_ivshmem.h). The device
 * consumes packets in index order, advances READ_INDEX once a packet has been
 * taken (not necessarily completed), and sets the slot's header type back to
 * T1_PKT_TYPE_INVALID so a stale packet is never run twice. A slot whose type
 * is still INVALID when the device reaches it is treated as not yet written:
 * the device waits for the next doorbell.
 *
 * Errors: a malformed packet, an unreachable ring, signal or kernarg, or a
 * faulting dispatch write a fault record, set STATUS.ERROR with the cause
 * and stop the queue (READ_INDEX stays after the failing packet, which
 * ERROR_INDEX names). Other queues are not affected. Clearing CONTROL.ENABLE
 * clears the error; the host may then rewrite READ_INDEX/WRITE_INDEX and
 * enable the queue again.
 */
#ifndef TESSERA_HW_T1_QUEUE_H
#define TESSERA_HW_T1_QUEUE_H

#include "t1_types.h"
#include "t1_regs.h"

/* Offsets within one queue's register block (T1_REG_QUEUE(q) + offset). */
#define T1_QREG_RING_BASE   0x00 /* u64 RW: ring VA in CONTEXT, 64-byte aligned */
#define T1_QREG_RING_SIZE   0x08 /* u32 RW: packets, power of two, >= 2 */
#define T1_QREG_CONTEXT     0x0C /* u32 RW: context id (index in the context table) */
#define T1_QREG_CONTROL     0x10 /* u32 RW: T1_QCTL_* */
#define T1_QREG_STATUS      0x14 /* u32 RO: T1_QSTATUS_* */
#define T1_QREG_READ_INDEX  0x18 /* u64: written by the device; the host may set it while
                                  * the queue is disabled and STATUS.ACTIVE reads 0 */
#define T1_QREG_WRITE_INDEX 0x20 /* u64: written by the host */
#define T1_QREG_PRIORITY    0x28 /* u32 RW: 0 (lowest) .. T1_QUEUE_PRIORITY_MAX; scheduling hint */
#define T1_QREG_ERROR_INDEX 0x30 /* u64 RO: index of the packet that put the queue in error */

/* RING_BASE, RING_SIZE and CONTEXT are latched when ENABLE goes 0 -> 1;
 * changing them while enabled has no effect. Clearing ENABLE stops the queue
 * at once: a packet in progress (a running dispatch, a waiting BARRIER_AND)
 * is aborted and completes its signal with status T1_FAULT_ABORTED; packets
 * not yet taken stay in the ring. STATUS.ACTIVE clears when it has stopped. */
#define T1_QCTL_ENABLE      T1_U32(0x1)

#define T1_QSTATUS_ACTIVE   T1_U32(0x1) /* enabled and consuming packets */
#define T1_QSTATUS_ERROR    T1_U32(0x2) /* stopped on an error */
#define T1_QSTATUS_BUSY     T1_U32(0x4) /* at least one packet taken and not completed */
/* Error cause (T1_FAULT_*) in bits 15:8 while T1_QSTATUS_ERROR is set. */
#define T1_QSTATUS_CAUSE_SHIFT 8
#define T1_QSTATUS_CAUSE(s) (((s) >> T1_QSTATUS_CAUSE_SHIFT) & 0xFF)

#define T1_QUEUE_PRIORITY_MAX 15
#define T1_QUEUE_MIN_SIZE     2
#define T1_QUEUE_MAX_SIZE     (T1_U32(1) << 20)

#if !defined(__ASSEMBLER__)
/* The same block as a struct, for drivers that map the page. */
struct t1_queue_regs {
	t1_u64 ring_base;
	t1_u32 ring_size;
	t1_u32 context;
	t1_u32 control;
	t1_u32 status;
	t1_u64 read_index;
	t1_u64 write_index;
	t1_u32 priority;
	t1_u32 reserved0;
	t1_u64 error_index;
	t1_u64 reserved1;
};
T1_CHECK_OFFSET(struct t1_queue_regs, ring_base, T1_QREG_RING_BASE);
T1_CHECK_OFFSET(struct t1_queue_regs, ring_size, T1_QREG_RING_SIZE);
T1_CHECK_OFFSET(struct t1_queue_regs, context, T1_QREG_CONTEXT);
T1_CHECK_OFFSET(struct t1_queue_regs, control, T1_QREG_CONTROL);
T1_CHECK_OFFSET(struct t1_queue_regs, status, T1_QREG_STATUS);
T1_CHECK_OFFSET(struct t1_queue_regs, read_index, T1_QREG_READ_INDEX);
T1_CHECK_OFFSET(struct t1_queue_regs, write_index, T1_QREG_WRITE_INDEX);
T1_CHECK_OFFSET(struct t1_queue_regs, priority, T1_QREG_PRIORITY);
T1_CHECK_OFFSET(struct t1_queue_regs, reserved0, 0x2C);
T1_CHECK_OFFSET(struct t1_queue_regs, error_index, T1_QREG_ERROR_INDEX);
T1_CHECK_OFFSET(struct t1_queue_regs, reserved1, 0x38);
T1_CHECK_SIZE(struct t1_queue_regs, T1_QUEUE_REGS_SIZE);
#endif

#endif /* TESSERA_HW_T1_QUEUE_H */
