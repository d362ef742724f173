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
#define T1_FAULT_MISALIGNED       3  /* misaligned atomic, LR/SC or fetch */
#define T1_FAULT_SHARED_BOUNDS    4  /* scratchpad access beyond the block's allocation */
#define T1_FAULT_ILLEGAL_INSN     5  /* illegal or unsupported encoding */
#define T1_FAULT_BREAKPOINT       6  /* ebreak (__trap, assert) */
#define T1_FAULT_ECALL            7  /* ecall in a kernel */
#define T1_FAULT_BAD_PAGE_TABLE   8  /* malformed page-table entry */
#define T1_FAULT_PHYS_RANGE       9  /* translation to a physical address outside memory */
#define T1_FAULT_BARRIER          10 /* barrier or warp-sync that cannot complete */
#define T1_FAULT_WATCHDOG         11 /* dispatch exceeded the watchdog limit */
#define T1_FAULT_BAD_PACKET       12 /* malformed packet (unknown type, bad fields) */
#define T1_FAULT_QUEUE_MEMORY     13 /* ring, signal or kernarg address not reachable */
#define T1_FAULT_ABORTED          14 /* dispatch aborted by reset or queue disable */
#define T1_FAULT_CAUSE_COUNT      15

#endif /* TESSERA_HW_T1_FAULT_H */
