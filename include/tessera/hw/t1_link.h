/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: chip-to-chip links.
 *
 * A chip has up to T1_MAX_LINKS point-to-point links, each joining it to one
 * peer chip of the fabric (identified by fabric index). Peer DMA (a DMA_COPY
 * with T1_DMA_FLAG_PEER) travels over the link to the destination chip.
 *
 * Link model: a transfer of n bytes takes latency_ns + n * 1000 / bandwidth_mbps
 * nanoseconds (bandwidth in MB/s = 10^6 bytes per second); transfers on one
 * link are serialised in submission order. Counters count payload bytes.
 * A link that goes up or down sets INT_STATUS bit T1_VEC_LINK.
 */
#ifndef TESSERA_HW_T1_LINK_H
#define TESSERA_HW_T1_LINK_H

#include "t1_types.h"
#include "t1_regs.h"

/* Offsets within one link's block (T1_REG_LINK(l) + offset); all RO. */
#define T1_LREG_PEER_DEVICE    0x00 /* u32: fabric index of the peer, T1_LINK_NO_PEER if none */
#define T1_LREG_STATUS         0x04 /* u32: T1_LINK_STATUS_* */
#define T1_LREG_BANDWIDTH_MBPS 0x08 /* u32: MB/s in each direction */
#define T1_LREG_LATENCY_NS     0x0C /* u32: one-way latency */
#define T1_LREG_BYTES_TX       0x10 /* u64: bytes sent since device creation */
#define T1_LREG_BYTES_RX       0x18 /* u64: bytes received */

#define T1_LINK_NO_PEER     T1_U32(0xFFFFFFFF)
#define T1_LINK_STATUS_UP   T1_U32(0x1)

/* Defaults of the reference design: 100 GB/s per link, 4 us latency. */
#define T1_LINK_DEFAULT_BANDWIDTH_MBPS 100000
#define T1_LINK_DEFAULT_LATENCY_NS     4000

#if !defined(__ASSEMBLER__)
struct t1_link_regs {
	t1_u32 peer_device;
	t1_u32 status;
	t1_u32 bandwidth_mbps;
	t1_u32 latency_ns;
	t1_u64 bytes_tx;
	t1_u64 bytes_rx;
};
T1_CHECK_OFFSET(struct t1_link_regs, peer_device, T1_LREG_PEER_DEVICE);
T1_CHECK_OFFSET(struct t1_link_regs, status, T1_LREG_STATUS);
T1_CHECK_OFFSET(struct t1_link_regs, bandwidth_mbps, T1_LREG_BANDWIDTH_MBPS);
T1_CHECK_OFFSET(struct t1_link_regs, latency_ns, T1_LREG_LATENCY_NS);
T1_CHECK_OFFSET(struct t1_link_regs, bytes_tx, T1_LREG_BYTES_TX);
T1_CHECK_OFFSET(struct t1_link_regs, bytes_rx, T1_LREG_BYTES_RX);
T1_CHECK_SIZE(struct t1_link_regs, T1_LINK_REGS_SIZE);
#endif

#endif /* TESSERA_HW_T1_LINK_H */
