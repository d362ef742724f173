/* SPDX-License-Identifier: Apache-2.0 */
/* Compile check: the hardware headers are plain, pedantic C11 (their
 * static_asserts run here too). Built as an object library, never run. */
#include <tessera/hw/t1.h>

_Static_assert(sizeof(union t1_packet) == T1_PACKET_SIZE, "packet size");
_Static_assert(T1_REG_QUEUE(63) + T1_QUEUE_REGS_SIZE <= T1_REG_LINK_BASE, "queue block");

int t1_hw_headers_c_check(void);
int t1_hw_headers_c_check(void) { return (int)sizeof(struct t1_fault_record); }
