/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: the MMU.
 *
 * Every context (address space) has an Sv48-format page table in device
 * memory. The context table at T1_REG_CTX_TABLE_BASE (device-physical, 16-byte
 * aligned) has T1_REG_CTX_TABLE_ENTRIES entries; queues name their context by
 * index. Context ids beyond the table or whose root lacks VALID make every
 * access of that queue fault with T1_FAULT_QUEUE_MEMORY (ring) or UNMAPPED.
 *
 * Virtual addresses are 48 bits, sign-extended to 64: bits 63:48 must equal
 * bit 47, else the access faults with T1_FAULT_UNMAPPED. The walk uses four
 * levels of 9 bits (VPN[3] = VA bits 47:39 ... VPN[0] = bits 20:12), 8-byte
 * PTEs in 4 KiB tables, exactly like RISC-V Sv48 with these rules:
 *   - V = 0                                  -> T1_FAULT_UNMAPPED
 *   - W = 1 with R = 0                       -> T1_FAULT_BAD_PAGE_TABLE
 *   - R|W|X != 0 is a leaf. Leaves are allowed at level 0 (4 KiB page) and
 *     level 1 (2 MiB page, PPN must be 2 MiB aligned); a leaf at level 3 or 2
 *     (512 GiB / 1 GiB pages, reserved) or a misaligned 2 MiB leaf
 *                                            -> T1_FAULT_BAD_PAGE_TABLE
 *   - a non-leaf at level 0                  -> T1_FAULT_BAD_PAGE_TABLE
 *   - reserved bits 63:54 != 0               -> T1_FAULT_BAD_PAGE_TABLE
 *   - a table or page outside the physical map -> T1_FAULT_PHYS_RANGE
 *   - access not allowed by R/W/X            -> T1_FAULT_PERMISSION
 * U, G, A and D are ignored (the device never writes PTEs). An atomic needs
 * R and W; an instruction fetch needs X.
 *
 * Physical address map:
 *   [0, MEM_SIZE)                          device memory
 *   [T1_HOST_APERTURE_BASE, + SIZE)        host-memory windows (page-locked
 *                                          host buffers registered by the
 *                                          driver); unregistered parts fault
 *                                          with T1_FAULT_PHYS_RANGE
 *   anything else                          T1_FAULT_PHYS_RANGE
 * VAs in [T1_SHARED_APERTURE_BASE, + T1_SHARED_APERTURE_SIZE) (t1_isa.h)
 * reach the scratchpad and are never translated: drivers must not map them.
 */
#ifndef TESSERA_HW_T1_MMU_H
#define TESSERA_HW_T1_MMU_H

#include "t1_types.h"

#define T1_PAGE_SHIFT      12
#define T1_PAGE_SIZE       (T1_U64(1) << T1_PAGE_SHIFT)        /* 4 KiB */
#define T1_HUGE_PAGE_SHIFT 21
#define T1_HUGE_PAGE_SIZE  (T1_U64(1) << T1_HUGE_PAGE_SHIFT)   /* 2 MiB */
#define T1_VA_BITS         48
#define T1_PT_LEVELS       4
#define T1_PT_ENTRIES      512
#define T1_PT_INDEX(va, level) (((va) >> (T1_PAGE_SHIFT + 9 * (level))) & 0x1FF)

/* PTE bits (Sv48 format). */
#define T1_PTE_V T1_U64(0x001) /* valid */
#define T1_PTE_R T1_U64(0x002) /* readable */
#define T1_PTE_W T1_U64(0x004) /* writable (requires R) */
#define T1_PTE_X T1_U64(0x008) /* executable */
#define T1_PTE_U T1_U64(0x010) /* ignored */
#define T1_PTE_G T1_U64(0x020) /* ignored */
#define T1_PTE_A T1_U64(0x040) /* ignored */
#define T1_PTE_D T1_U64(0x080) /* ignored */
#define T1_PTE_PPN_SHIFT 10
#define T1_PTE_PPN_MASK  T1_U64(0x003FFFFFFFFFFC00) /* bits 53:10 */
#define T1_PTE_RESERVED_MASK T1_U64(0xFFC0000000000000) /* bits 63:54, must be 0 */
/* PTE for physical address pa (page aligned) with flag bits. */
#define T1_PTE(pa, flags) ((((pa) >> T1_PAGE_SHIFT) << T1_PTE_PPN_SHIFT) | (flags))
#define T1_PTE_ADDR(pte)  ((((pte) & T1_PTE_PPN_MASK) >> T1_PTE_PPN_SHIFT) << T1_PAGE_SHIFT)

/* Host-memory aperture in the physical address space. */
#define T1_HOST_APERTURE_BASE (T1_U64(1) << 46)
#define T1_HOST_APERTURE_SIZE (T1_U64(1) << 46)
/* Device memory must lie below the host aperture. */
#define T1_MAX_MEM_SIZE       T1_HOST_APERTURE_BASE

/* Context table entry (16 bytes). */
#define T1_CTX_VALID       T1_U64(0x1)  /* in root */
#define T1_CTX_ROOT_MASK   T1_U64(0x0000FFFFFFFFF000)
#define T1_CTX_ENTRY_SIZE  16
#define T1_CTX_TABLE_ALIGN 16

#if !defined(__ASSEMBLER__)
struct t1_context_entry {
	t1_u64 root;     /* device-physical address of the level-3 table | T1_CTX_VALID */
	t1_u32 flags;    /* reserved for per-context options, must be 0 */
	t1_u32 reserved;
};
T1_CHECK_OFFSET(struct t1_context_entry, root, 0);
T1_CHECK_OFFSET(struct t1_context_entry, flags, 8);
T1_CHECK_OFFSET(struct t1_context_entry, reserved, 12);
T1_CHECK_SIZE(struct t1_context_entry, T1_CTX_ENTRY_SIZE);
#endif

#endif /* TESSERA_HW_T1_MMU_H */
