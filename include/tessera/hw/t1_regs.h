/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: the register page.
 *
 * One 64 KiB page per device (PCI BAR0 on silicon, shared memory in the
 * emulator). All registers are little-endian and naturally aligned; 64-bit
 * registers must be accessed with single 64-bit loads/stores. Offsets below
 * are from the start of the page. Unlisted offsets are reserved: they read 0
 * and writes are ignored.
 *
 *   0x0000  identification (read-only)
 *   0x0100  control
 *   0x0200  interrupts
 *   0x0400  fault status, 0x0800 fault-record ring (16 x 128 bytes)
 *   0x1000  queues (64 x 64 bytes, struct t1_queue_regs, t1_queue.h)
 *   0x3000  links (7 x 32 bytes, struct t1_link_regs, t1_link.h)
 */
#ifndef TESSERA_HW_T1_REGS_H
#define TESSERA_HW_T1_REGS_H

#include "t1_types.h"

/* ---- Interface version ------------------------------------------------- */

/* Version of the hardware interface these headers describe. A version is
 * encoded as major << 16 | minor; major changes are incompatible. */
#define T1_HW_VERSION_MAJOR 1
#define T1_HW_VERSION_MINOR 0
#define T1_VERSION(major, minor) ((((major) & 0x3FFF) << 16) | ((minor) & 0xFFFF))
#define T1_VERSION_MAJOR(v) (((v) >> 16) & 0x3FFF)
#define T1_VERSION_MINOR(v) ((v) & 0xFFFF)
#define T1_HW_VERSION T1_VERSION(T1_HW_VERSION_MAJOR, T1_HW_VERSION_MINOR)

#define T1_REG_PAGE_SIZE T1_U32(0x10000) /* 64 KiB */

/* ---- Identification block (read-only) ---------------------------------- */

#define T1_REG_SIGNATURE        0x000 /* u32: T1_SIGNATURE */
#define T1_REG_VENDOR_ID        0x004 /* u32: T1_VENDOR_ID */
#define T1_REG_DEVICE_ID        0x008 /* u32: T1_DEVICE_ID_* */
#define T1_REG_REVISION         0x00C /* u32: silicon / model revision */
#define T1_REG_HW_VERSION       0x010 /* u32: T1_VERSION() of the interface the device speaks */
#define T1_REG_CAPS             0x018 /* u64: T1_CAP_* bits */
#define T1_REG_NUM_TILES        0x020 /* u32: compute tiles */
#define T1_REG_THREADS_PER_TILE 0x024 /* u32: resident threads per tile */
#define T1_REG_WARP_SIZE        0x028 /* u32: lanes per warp (T1_WARP_SIZE) */
#define T1_REG_SCRATCHPAD_SIZE  0x02C /* u32: scratchpad bytes per tile */
#define T1_REG_MEM_SIZE         0x030 /* u64: device memory bytes */
#define T1_REG_NUM_QUEUES       0x038 /* u32: implemented queues (<= T1_MAX_QUEUES) */
#define T1_REG_NUM_LINKS        0x03C /* u32: implemented links (<= T1_MAX_LINKS) */
#define T1_REG_NUM_CONTEXTS     0x040 /* u32: max context-table entries supported */
#define T1_REG_CLOCK_KHZ        0x044 /* u32: nominal core clock */
#define T1_REG_DEVICE_INDEX     0x048 /* u32: index of this chip in its fabric */
#define T1_REG_FAULT_RING_SIZE  0x04C /* u32: entries of the fault ring (T1_FAULT_RING_ENTRIES) */

/* "T1SS" in memory order: bytes 'T','1','S','S' at offsets 0..3. */
#define T1_SIGNATURE      T1_U32(0x53533154)
#define T1_VENDOR_ID      T1_U32(0x7E55)  /* Tessera project, unofficial */
#define T1_DEVICE_ID_T1   T1_U32(0x0001)  /* T1 silicon */
#define T1_DEVICE_ID_T1_EMU T1_U32(0x8001) /* T1 software model */

/* Capabilities (T1_REG_CAPS). */
#define T1_CAP_EMULATED      T1_U64(0x0001) /* software model, not silicon */
#define T1_CAP_HOST_WINDOWS  T1_U64(0x0002) /* host-memory aperture (t1_mmu.h) */
#define T1_CAP_PEER_DMA      T1_U64(0x0004) /* DMA_COPY with T1_DMA_FLAG_PEER */
#define T1_CAP_FP64          T1_U64(0x0008) /* D extension in the tiles */
#define T1_CAP_DETERMINISTIC T1_U64(0x0010) /* running in deterministic mode */
#define T1_CAP_WATCHDOG      T1_U64(0x0020) /* dispatch watchdog (T1_FAULT_WATCHDOG) */

/* ---- Control block ------------------------------------------------------ */

/*
 * Version handshake. The driver writes the interface version it speaks to
 * DRV_VERSION; the device answers in HANDSHAKE with ACK or NAK, OR-ed with
 * the version the device speaks (so a refusing driver or device can always
 * report both versions). The device accepts when the majors are equal; the
 * version in use is then major.min(driver minor, device minor). Until an ACK,
 * the command processor cannot be enabled (CONTROL.ENABLE stays 0, so no
 * queue runs); a NAK also clears CONTROL.ENABLE. Writing DRV_VERSION
 * again redoes the handshake. HANDSHAKE reads 0 before the first attempt and
 * after a reset.
 */
#define T1_REG_DRV_VERSION  0x100 /* u32, RW: T1_VERSION() the driver speaks */
#define T1_REG_HANDSHAKE    0x104 /* u32, RO: T1_HANDSHAKE_ACK/NAK | device version */
#define T1_HANDSHAKE_ACK     T1_U32(0x80000000)
#define T1_HANDSHAKE_NAK     T1_U32(0x40000000)
#define T1_HANDSHAKE_VERSION(v) ((v) & T1_U32(0x3FFFFFFF))

/* CONTROL (RW). */
#define T1_REG_CONTROL      0x108
#define T1_CONTROL_DRIVER_READY T1_U32(0x1) /* no interrupt is raised before this is set */
#define T1_CONTROL_ENABLE       T1_U32(0x2) /* command processor runs; needs a handshake ACK */

/* RESET (RW): write 1 to reset. The device abandons every running packet
 * (no completion signal, interrupt or fault record is written for it),
 * disables all queues, clears every register except the identification
 * block and the link block (HANDSHAKE, CONTROL, INT_MASK, the context table
 * base, the fault ring and all queue registers read 0 afterwards); device
 * memory is kept. Reads 1 while the reset is in progress, 0 when done. */
#define T1_REG_RESET        0x10C

/* STATUS (RO). */
#define T1_REG_STATUS       0x110
#define T1_STATUS_HANDSHAKE_OK T1_U32(0x1) /* a handshake was acknowledged */
#define T1_STATUS_ENABLED      T1_U32(0x2) /* command processor running */
#define T1_STATUS_RESETTING    T1_U32(0x4)
#define T1_STATUS_FAULT        T1_U32(0x8) /* FAULT_COUNT != FAULT_ACK */

/* Number of valid entries at CTX_TABLE_BASE (RW, <= NUM_CONTEXTS). */
#define T1_REG_CTX_TABLE_ENTRIES 0x114
/* TIMESTAMP (RO, u64): device time in nanoseconds (see the emulator guide
 * for the deterministic mode, where it is a counter). */
#define T1_REG_TIMESTAMP    0x118
/* CTX_TABLE_BASE (RW, u64): device-physical address of the context table
 * (struct t1_context_entry[], t1_mmu.h), 16-byte aligned. */
#define T1_REG_CTX_TABLE_BASE 0x120
/* TLB_INVALIDATE (RW): write a context id to drop its cached translations,
 * or T1_TLB_INVALIDATE_ALL. Reads 0 once done. Translations cached by a
 * running dispatch are dropped when the dispatch ends; a driver must not
 * unmap memory a running dispatch uses. */
#define T1_REG_TLB_INVALIDATE 0x128
#define T1_TLB_INVALIDATE_ALL T1_U32(0xFFFFFFFF)

/* ---- Interrupt block ---------------------------------------------------- */

/*
 * INT_STATUS (W1C): one bit per vector, set when the event happens whatever
 * the mask. An interrupt is delivered for each event whose vector has its
 * INT_MASK bit set while CONTROL.DRIVER_READY is 1. Events that happen while
 * not ready or masked stay pending in INT_STATUS and are delivered once,
 * when DRIVER_READY is set or the vector is unmasked. The driver clears the
 * bits it has handled.
 * QUEUE_INT_STATUS (u64, W1C) says which queues completed an INTERRUPT-bit
 * packet (vector 0) or entered the error state (vector 2).
 */
#define T1_REG_INT_STATUS       0x200 /* u32, W1C */
#define T1_REG_INT_MASK         0x204 /* u32, RW: 1 = vector enabled; 0 after reset */
#define T1_REG_QUEUE_INT_STATUS 0x208 /* u64, W1C: bit q = queue q */

#define T1_VEC_QUEUE_COMPLETION 0 /* a packet with T1_PKT_INTERRUPT completed */
#define T1_VEC_FAULT            1 /* a fault record was written */
#define T1_VEC_QUEUE_ERROR      2 /* a queue entered the error state (bad packet, fault) */
#define T1_VEC_LINK             3 /* a link changed state */
#define T1_NUM_VECTORS          4
#define T1_INT_BIT(vec)         (T1_U32(1) << (vec))

/* ---- Fault block -------------------------------------------------------- */

/*
 * Fault records (struct t1_fault_record, t1_fault.h) are written to a ring of
 * T1_FAULT_RING_ENTRIES in the register page: record number n (counting from
 * 0 since reset) goes to slot n % T1_FAULT_RING_ENTRIES, then FAULT_COUNT
 * becomes n + 1 and vector 1 is raised. The driver reads records
 * FAULT_ACK..FAULT_COUNT-1 and writes the new FAULT_ACK. If the driver falls
 * more than T1_FAULT_RING_ENTRIES behind, old records are overwritten (the
 * record's sequence field tells which number it is).
 */
#define T1_REG_FAULT_COUNT  0x400 /* u32, RO: records written since reset */
#define T1_REG_FAULT_ACK    0x404 /* u32, RW: records consumed by the driver */
#define T1_REG_FAULT_RING   0x800 /* T1_FAULT_RING_ENTRIES x 128-byte records */
#define T1_FAULT_RING_ENTRIES 16
#define T1_FAULT_RECORD_SIZE  128
#define T1_REG_FAULT_SLOT(i) (T1_REG_FAULT_RING + (i) * T1_FAULT_RECORD_SIZE)

/* ---- Queue and link blocks ---------------------------------------------- */

#define T1_REG_QUEUE_BASE   0x1000 /* see t1_queue.h */
#define T1_MAX_QUEUES       64
#define T1_QUEUE_REGS_SIZE  64
#define T1_REG_QUEUE(q)     (T1_REG_QUEUE_BASE + (q) * T1_QUEUE_REGS_SIZE)

#define T1_REG_LINK_BASE    0x3000 /* see t1_link.h */
#define T1_MAX_LINKS        7
#define T1_LINK_REGS_SIZE   32
#define T1_REG_LINK(l)      (T1_REG_LINK_BASE + (l) * T1_LINK_REGS_SIZE)

/*
 * Doorbells: one u64 write-only register per queue. Writing the queue's new
 * write index here stores it to the queue's WRITE_INDEX and wakes the command
 * processor in one MMIO write (silicon, and the emulator's Device::write64).
 * Where the register page is plain shared memory (QEMU's ivshmem BAR), the
 * write is posted through the transport's register-write queue like any
 * register write (t1_ivshmem.h). Reads return 0.
 */
#define T1_REG_DOORBELL_BASE 0x4000
#define T1_REG_DOORBELL(q)   (T1_REG_DOORBELL_BASE + (q) * 8)

#if !defined(__ASSEMBLER__)
T1_STATIC_ASSERT(T1_REG_FAULT_SLOT(T1_FAULT_RING_ENTRIES) <= T1_REG_QUEUE_BASE, "fault ring overlaps queues");
T1_STATIC_ASSERT(T1_REG_QUEUE(T1_MAX_QUEUES) <= T1_REG_LINK_BASE, "queues overlap links");
T1_STATIC_ASSERT(T1_REG_LINK(T1_MAX_LINKS) <= T1_REG_DOORBELL_BASE, "links overlap doorbells");
T1_STATIC_ASSERT(T1_REG_DOORBELL(T1_MAX_QUEUES) <= T1_REG_PAGE_SIZE, "doorbells beyond the page");
#endif

#endif /* TESSERA_HW_T1_REGS_H */
