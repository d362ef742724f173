/* SPDX-License-Identifier: Apache-2.0 */
/* Tessera T1 hardware interface: everything, in dependency order. */
#ifndef TESSERA_HW_T1_H
#define TESSERA_HW_T1_H

#include "t1_types.h"
#include "t1_isa.h"
#include "t1_fault.h"
#include "t1_regs.h"
#include "t1_queue.h"
#include "t1_packet.h"
#include "t1_signal.h"
#include "t1_mmu.h"
#include "t1_link.h"
#include "t1_codeobj.h"
#include "t1_ivshmem.h"

#endif /* TESSERA_HW_T1_H */
