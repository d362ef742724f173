/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: the ivshmem transport.
 *
 * The emulated T1 reaches a QEMU virtual machine as QEMU's stock
 * `ivshmem-doorbell` PCI function (vendor 0x1af4, device 0x1110), served by
 * `tessera-emu serve`. Its BAR2 is shared memory laid out as:
 *
 *   0x000000  the T1 register page (64 KiB, t1_regs.h)
 *   0x010000  the transport block (struct t1_ivshmem_transport, below)
 *   0x200000  device memory: device-physical address p is BAR2 + 0x200000 + p
 *
 * Reading a register is a plain load from the page: the emulator keeps every
 * readable register current there (TIMESTAMP is refreshed every heartbeat).
 * Writing a register cannot be a plain store, because shared memory has no
 * write side effects. Instead the guest posts the write to the register-write
 * queue (RWQ) in the transport block and rings the emulator's doorbell:
 *
 *   1. wait while rwq_head - rwq_tail == rwq_entries (queue full),
 *   2. fill rwq[rwq_head % rwq_entries] = { offset, width, value },
 *   3. store rwq_head + 1 (release),
 *   4. write (server_peer_id << 16) | T1_IVSHMEM_VEC_RWQ to ivshmem's
 *      Doorbell register (BAR0 + 0x0c).
 *
 * The emulator applies posted writes in order, exactly as MMIO writes to
 * silicon (same offsets, same side effects: handshake, W1C, queue enable,
 * doorbells, reset), and advances rwq_tail after each. Like posted PCIe
 * writes they complete asynchronously: a driver that must observe the effect
 * of a write (a reset, a TLB invalidation before reusing memory, a queue
 * disable) waits until rwq_tail reaches its rwq_head. A queue doorbell is
 * the posted write of T1_REG_DOORBELL(q).
 *
 * Interrupts: T1 vector v (T1_VEC_*) is delivered as ivshmem MSI-X vector v,
 * and only while CONTROL.DRIVER_READY is set (interrupts sent before the
 * guest enabled MSI-X would be lost).
 *
 * Liveness: the server writes magic/version before QEMU connects and
 * increments heartbeat every T1_IVSHMEM_HEARTBEAT_MS while it runs; on a
 * clean stop it sets state to T1_IVSHMEM_STATE_STOPPED. A driver that sees
 * the heartbeat stand still for T1_IVSHMEM_DEAD_MS, or posted writes not
 * applied within that time, reports the device as lost.
 */
#ifndef TESSERA_HW_T1_IVSHMEM_H
#define TESSERA_HW_T1_IVSHMEM_H

#include "t1_types.h"
#include "t1_regs.h"

#define T1_IVSHMEM_PCI_VENDOR_ID T1_U32(0x1af4)
#define T1_IVSHMEM_PCI_DEVICE_ID T1_U32(0x1110)
#define T1_IVSHMEM_BAR_REGS      0   /* ivshmem's own registers */
#define T1_IVSHMEM_BAR_SHM       2   /* the shared memory */
#define T1_IVSHMEM_DOORBELL_REG  0x0c /* in BAR0: (peer << 16) | vector */

/* Layout of the shared memory (BAR2). */
#define T1_IVSHMEM_REGS_OFFSET      T1_U64(0x000000)
#define T1_IVSHMEM_TRANSPORT_OFFSET T1_U64(0x010000)
#define T1_IVSHMEM_TRANSPORT_SIZE   T1_U64(0x010000)
#define T1_IVSHMEM_MEM_OFFSET       T1_U64(0x200000)

#define T1_IVSHMEM_MAGIC   T1_U32(0x56493154) /* "T1IV" in memory order */
#define T1_IVSHMEM_VERSION T1_VERSION(1, 0)

/* Guest -> emulator doorbell vectors. */
#define T1_IVSHMEM_VEC_RWQ 0 /* register writes were posted */
/* Vectors QEMU must be configured with (`vectors=` of ivshmem-doorbell):
 * one per T1 interrupt vector; the guest -> emulator direction uses 0. */
#define T1_IVSHMEM_VECTORS T1_NUM_VECTORS

#define T1_IVSHMEM_RWQ_ENTRIES  1024
#define T1_IVSHMEM_HEARTBEAT_MS 10
#define T1_IVSHMEM_DEAD_MS      2000

#define T1_IVSHMEM_STATE_RUNNING T1_U32(1)
#define T1_IVSHMEM_STATE_STOPPED T1_U32(2)

#if !defined(__ASSEMBLER__)
/* One posted register write. width is 4 or 8 (bytes); other widths,
 * misaligned offsets and offsets outside the register page are dropped (and
 * counted in rwq_dropped). */
struct t1_ivshmem_rwq_entry {
	t1_u32 offset;
	t1_u32 width;
	t1_u64 value;
};
T1_CHECK_OFFSET(struct t1_ivshmem_rwq_entry, offset, 0);
T1_CHECK_OFFSET(struct t1_ivshmem_rwq_entry, width, 4);
T1_CHECK_OFFSET(struct t1_ivshmem_rwq_entry, value, 8);
T1_CHECK_SIZE(struct t1_ivshmem_rwq_entry, 16);

struct t1_ivshmem_transport {
	t1_u32 magic;          /* T1_IVSHMEM_MAGIC, written by the server */
	t1_u32 version;        /* T1_IVSHMEM_VERSION */
	t1_u32 server_peer_id; /* ivshmem peer id of the emulator (doorbell target) */
	t1_u32 rwq_entries;    /* T1_IVSHMEM_RWQ_ENTRIES */
	t1_u64 mem_offset;     /* T1_IVSHMEM_MEM_OFFSET */
	t1_u64 mem_size;       /* device memory bytes (== T1_REG_MEM_SIZE) */
	t1_u64 heartbeat;      /* server: +1 every T1_IVSHMEM_HEARTBEAT_MS */
	t1_u64 rwq_head;       /* guest: writes posted (never wraps) */
	t1_u64 rwq_tail;       /* server: writes applied */
	t1_u64 rwq_dropped;    /* server: malformed writes dropped */
	t1_u32 state;          /* T1_IVSHMEM_STATE_* */
	t1_u32 reserved0;
	t1_u64 reserved[7];
	struct t1_ivshmem_rwq_entry rwq[T1_IVSHMEM_RWQ_ENTRIES];
};
T1_CHECK_OFFSET(struct t1_ivshmem_transport, magic, 0x00);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, version, 0x04);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, server_peer_id, 0x08);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, rwq_entries, 0x0C);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, mem_offset, 0x10);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, mem_size, 0x18);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, heartbeat, 0x20);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, rwq_head, 0x28);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, rwq_tail, 0x30);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, rwq_dropped, 0x38);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, state, 0x40);
T1_CHECK_OFFSET(struct t1_ivshmem_transport, rwq, 0x80);
T1_STATIC_ASSERT(sizeof(struct t1_ivshmem_transport) <= T1_IVSHMEM_TRANSPORT_SIZE,
		 "transport block too large");
T1_STATIC_ASSERT(T1_IVSHMEM_TRANSPORT_OFFSET >= T1_REG_PAGE_SIZE, "transport overlaps registers");
#endif

#endif /* TESSERA_HW_T1_IVSHMEM_H */
