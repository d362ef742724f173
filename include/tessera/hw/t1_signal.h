/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: signals.
 *
 * A signal is a 32-byte, 8-byte aligned object in device-visible memory
 * (device memory or a host window). Its value counts outstanding work: a
 * waiter considers the signal done when value <= 0.
 *
 * When a packet with a completion_signal completes, the device, in order:
 *   1. writes status (T1_SIGNAL_STATUS_OK, or the T1_FAULT_* cause) and
 *      reserved (0),
 *   2. writes start_ts and end_ts (device timestamps, ns, of the packet's
 *      execution: start = when it left the queue, end = when it finished),
 *   3. atomically decrements value by 1 (a release operation: everything
 *      above and every memory write of the packet is visible to whoever
 *      observes the new value).
 * The host typically sets value to 1 before submitting and waits for 0.
 * A SIGNAL packet touches only value.
 */
#ifndef TESSERA_HW_T1_SIGNAL_H
#define TESSERA_HW_T1_SIGNAL_H

#include "t1_types.h"

#define T1_SIGNAL_SIZE      32
#define T1_SIGNAL_ALIGN     8
#define T1_SIGNAL_STATUS_OK 0

#if !defined(__ASSEMBLER__)
struct t1_signal {
	t1_s64 value;     /* done when <= 0 */
	t1_u32 status;    /* T1_SIGNAL_STATUS_OK or a T1_FAULT_* cause */
	t1_u32 reserved;
	t1_u64 start_ts;  /* ns, device timestamp */
	t1_u64 end_ts;
};
T1_CHECK_OFFSET(struct t1_signal, value, 0);
T1_CHECK_OFFSET(struct t1_signal, status, 8);
T1_CHECK_OFFSET(struct t1_signal, reserved, 12);
T1_CHECK_OFFSET(struct t1_signal, start_ts, 16);
T1_CHECK_OFFSET(struct t1_signal, end_ts, 24);
T1_CHECK_SIZE(struct t1_signal, T1_SIGNAL_SIZE);
#endif

#endif /* TESSERA_HW_T1_SIGNAL_H */
