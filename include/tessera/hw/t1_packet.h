/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tessera T1 hardware interface: queue packets.
 *
 * Every packet is 64 bytes, little-endian, 64-byte aligned in its ring
 * (modelled on HSA AQL). The first 16 bits are the header:
 *
 *   bits 7:0   type (T1_PKT_TYPE_*)
 *   bit  8     BARRIER: start only after every earlier packet of the queue
 *              has completed. Without it a packet may start while earlier
 *              ones still run (the emulator runs packets of one queue in
 *              order; a conforming driver must not rely on that).
 *   bit  9     INTERRUPT: on completion set the queue's QUEUE_INT_STATUS bit
 *              and raise T1_VEC_QUEUE_COMPLETION
 *   bits 15:10 reserved, must be 0 (else T1_FAULT_BAD_PACKET)
 *
 * The host writes the whole packet first and the header last (a 16-bit
 * release store); the device sets the type back to INVALID once it has
 * taken the packet. Every packet ends with completion_signal at offset 56:
 * the VA of a struct t1_signal (t1_signal.h) in the queue's context, or 0.
 * Fields marked reserved must be 0. All addresses are virtual addresses in
 * the queue's context unless said otherwise.
 */
#ifndef TESSERA_HW_T1_PACKET_H
#define TESSERA_HW_T1_PACKET_H

#include "t1_types.h"

#define T1_PACKET_SIZE 64

#define T1_PKT_TYPE_INVALID         0
#define T1_PKT_TYPE_KERNEL_DISPATCH 1
#define T1_PKT_TYPE_DMA_COPY        2
#define T1_PKT_TYPE_DMA_FILL        3
#define T1_PKT_TYPE_BARRIER_AND     4
#define T1_PKT_TYPE_SIGNAL          5
#define T1_PKT_TYPE_TIMESTAMP       6
#define T1_PKT_TYPE_COUNT           7

#define T1_PKT_TYPE_MASK      T1_U32(0x00FF)
#define T1_PKT_BARRIER        T1_U32(0x0100)
#define T1_PKT_INTERRUPT      T1_U32(0x0200)
#define T1_PKT_RESERVED_MASK  T1_U32(0xFC00)
#define T1_PKT_TYPE(header)   ((header) & T1_PKT_TYPE_MASK)

/* Offset of completion_signal in every packet kind. */
#define T1_PKT_COMPLETION_SIGNAL_OFFSET 56

/*
 * Kernel dispatch. Limits checked by the device (else BAD_PACKET): every
 * block and grid dimension >= 1; block_x*block_y*block_z <= threads per tile
 * (T1_REG_THREADS_PER_TILE); shared_bytes <= scratchpad size;
 * dynshared_offset <= shared_bytes and 16-byte aligned; entry 2-byte aligned
 * and non-zero; stack_size a multiple of 16 (0 allowed: kernels without
 * stack); stack_base 16-byte aligned when stack_size != 0.
 *
 * Thread stacks: resident thread slot i (i = tile * threads_per_tile + slot
 * within the tile) uses [stack_base + i * stack_size, + stack_size) and starts
 * with sp at the top of it. In interface 1.0 a tile holds one block at a
 * time, so a thread's slot within its tile is its linear index in the block
 * (threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z)). The runtime reserves tiles * threads_per_tile *
 * stack_size bytes. Kernel entry ABI: see t1_isa.h (a0 = kernarg).
 */
#if !defined(__ASSEMBLER__)
struct t1_kernel_dispatch_packet {
	t1_u16 header;
	t1_u16 block_x;          /* threads per block, x */
	t1_u16 block_y;
	t1_u16 block_z;
	t1_u32 grid_x;           /* blocks per grid, x */
	t1_u32 grid_y;
	t1_u32 grid_z;
	t1_u32 shared_bytes;     /* scratchpad bytes per block: static + dynamic */
	t1_u32 dynshared_offset; /* start of dynamic shared memory within it (DYNSHARED CSR) */
	t1_u32 stack_size;       /* bytes of stack per thread */
	t1_u64 entry;            /* VA of the kernel's first instruction */
	t1_u64 kernarg;          /* VA of the argument buffer, passed in a0 (may be 0) */
	t1_u64 stack_base;       /* VA of the per-thread stack slots */
	t1_u64 completion_signal;
};
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, header, 0);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, block_x, 2);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, block_y, 4);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, block_z, 6);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, grid_x, 8);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, grid_y, 12);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, grid_z, 16);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, shared_bytes, 20);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, dynshared_offset, 24);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, stack_size, 28);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, entry, 32);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, kernarg, 40);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, stack_base, 48);
T1_CHECK_OFFSET(struct t1_kernel_dispatch_packet, completion_signal, 56);
T1_CHECK_SIZE(struct t1_kernel_dispatch_packet, T1_PACKET_SIZE);
#endif

/*
 * DMA copy: size bytes from src to dst (any alignment, any size; 0 is a
 * no-op). Both ranges are translated page by page in the queue's context;
 * src needs read and dst write permission (else an UNMAPPED/PERMISSION fault
 * record naming the address). Overlapping ranges give unspecified data.
 *
 * With T1_DMA_FLAG_PEER, dst is a VA in context peer_context of the chip at
 * fabric index peer_device and is translated by that chip's MMU; the data
 * travels over the link to it (bandwidth/latency modelled, link counters
 * updated). peer_device not directly linked to this chip (or this chip
 * itself) -> BAD_PACKET. Faults on the peer side name the peer VA.
 */
#define T1_DMA_FLAG_PEER T1_U32(0x1)
#define T1_DMA_FLAGS_VALID T1_DMA_FLAG_PEER

#if !defined(__ASSEMBLER__)
struct t1_dma_copy_packet {
	t1_u16 header;
	t1_u16 peer_device;   /* fabric index of the destination chip (PEER only) */
	t1_u32 flags;         /* T1_DMA_FLAG_* */
	t1_u64 src;
	t1_u64 dst;
	t1_u64 size;          /* bytes */
	t1_u32 peer_context;  /* destination context on the peer (PEER only) */
	t1_u32 reserved0;
	t1_u64 reserved1[2];
	t1_u64 completion_signal;
};
T1_CHECK_OFFSET(struct t1_dma_copy_packet, header, 0);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, peer_device, 2);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, flags, 4);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, src, 8);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, dst, 16);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, size, 24);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, peer_context, 32);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, reserved0, 36);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, reserved1, 40);
T1_CHECK_OFFSET(struct t1_dma_copy_packet, completion_signal, 56);
T1_CHECK_SIZE(struct t1_dma_copy_packet, T1_PACKET_SIZE);
#endif

/*
 * DMA fill: writes size bytes at dst with the low `width` bytes of pattern
 * repeated (little-endian). width is 1, 2 or 4 (memset, memsetD16,
 * memsetD32); dst and size must be multiples of width (else BAD_PACKET).
 */
#if !defined(__ASSEMBLER__)
struct t1_dma_fill_packet {
	t1_u16 header;
	t1_u16 width;         /* element bytes: 1, 2 or 4 */
	t1_u32 pattern;
	t1_u64 dst;
	t1_u64 size;          /* bytes */
	t1_u64 reserved[4];
	t1_u64 completion_signal;
};
T1_CHECK_OFFSET(struct t1_dma_fill_packet, header, 0);
T1_CHECK_OFFSET(struct t1_dma_fill_packet, width, 2);
T1_CHECK_OFFSET(struct t1_dma_fill_packet, pattern, 4);
T1_CHECK_OFFSET(struct t1_dma_fill_packet, dst, 8);
T1_CHECK_OFFSET(struct t1_dma_fill_packet, size, 16);
T1_CHECK_OFFSET(struct t1_dma_fill_packet, reserved, 24);
T1_CHECK_OFFSET(struct t1_dma_fill_packet, completion_signal, 56);
T1_CHECK_SIZE(struct t1_dma_fill_packet, T1_PACKET_SIZE);
#endif

/*
 * Barrier-AND: completes once every non-zero dep_signal has value <= 0. The
 * signals may be written by the host, other queues or other chips; the
 * device re-checks them whenever a doorbell rings or a packet completes and
 * at least every millisecond. A signal whose status is non-zero when it
 * reaches <= 0 makes the barrier complete with that status (errors
 * propagate along dependency chains). Only this queue waits.
 */
#define T1_BARRIER_AND_SIGNALS 5
#if !defined(__ASSEMBLER__)
struct t1_barrier_and_packet {
	t1_u16 header;
	t1_u16 reserved0;
	t1_u32 reserved1;
	t1_u64 dep_signal[T1_BARRIER_AND_SIGNALS]; /* VAs of t1_signal, 0 = unused */
	t1_u64 reserved2;
	t1_u64 completion_signal;
};
T1_CHECK_OFFSET(struct t1_barrier_and_packet, header, 0);
T1_CHECK_OFFSET(struct t1_barrier_and_packet, reserved0, 2);
T1_CHECK_OFFSET(struct t1_barrier_and_packet, reserved1, 4);
T1_CHECK_OFFSET(struct t1_barrier_and_packet, dep_signal, 8);
T1_CHECK_OFFSET(struct t1_barrier_and_packet, reserved2, 48);
T1_CHECK_OFFSET(struct t1_barrier_and_packet, completion_signal, 56);
T1_CHECK_SIZE(struct t1_barrier_and_packet, T1_PACKET_SIZE);
#endif

/* Signal: an atomic operation on the value of the t1_signal at `signal`
 * (status and timestamps are not touched; use completion_signal for that). */
#define T1_SIGNAL_OP_WRITE 0 /* value = operand */
#define T1_SIGNAL_OP_ADD   1 /* value += operand */
#define T1_SIGNAL_OP_SUB   2 /* value -= operand */
#define T1_SIGNAL_OP_COUNT 3
#if !defined(__ASSEMBLER__)
struct t1_signal_packet {
	t1_u16 header;
	t1_u16 op;            /* T1_SIGNAL_OP_* */
	t1_u32 reserved0;
	t1_u64 signal;        /* VA of the t1_signal, 8-byte aligned */
	t1_s64 value;         /* operand */
	t1_u64 reserved1[4];
	t1_u64 completion_signal;
};
T1_CHECK_OFFSET(struct t1_signal_packet, header, 0);
T1_CHECK_OFFSET(struct t1_signal_packet, op, 2);
T1_CHECK_OFFSET(struct t1_signal_packet, reserved0, 4);
T1_CHECK_OFFSET(struct t1_signal_packet, signal, 8);
T1_CHECK_OFFSET(struct t1_signal_packet, value, 16);
T1_CHECK_OFFSET(struct t1_signal_packet, reserved1, 24);
T1_CHECK_OFFSET(struct t1_signal_packet, completion_signal, 56);
T1_CHECK_SIZE(struct t1_signal_packet, T1_PACKET_SIZE);
#endif

/* Timestamp: stores the device timestamp (u64 ns, T1_REG_TIMESTAMP) at the
 * moment the packet runs to dst (8-byte aligned). */
#if !defined(__ASSEMBLER__)
struct t1_timestamp_packet {
	t1_u16 header;
	t1_u16 reserved0;
	t1_u32 reserved1;
	t1_u64 dst;
	t1_u64 reserved2[5];
	t1_u64 completion_signal;
};
T1_CHECK_OFFSET(struct t1_timestamp_packet, header, 0);
T1_CHECK_OFFSET(struct t1_timestamp_packet, reserved0, 2);
T1_CHECK_OFFSET(struct t1_timestamp_packet, reserved1, 4);
T1_CHECK_OFFSET(struct t1_timestamp_packet, dst, 8);
T1_CHECK_OFFSET(struct t1_timestamp_packet, reserved2, 16);
T1_CHECK_OFFSET(struct t1_timestamp_packet, completion_signal, 56);
T1_CHECK_SIZE(struct t1_timestamp_packet, T1_PACKET_SIZE);

/* Any packet, for code that looks at the header first. */
union t1_packet {
	t1_u16 header;
	struct t1_kernel_dispatch_packet dispatch;
	struct t1_dma_copy_packet copy;
	struct t1_dma_fill_packet fill;
	struct t1_barrier_and_packet barrier_and;
	struct t1_signal_packet signal;
	struct t1_timestamp_packet timestamp;
	t1_u64 raw[T1_PACKET_SIZE / 8];
};
T1_CHECK_SIZE(union t1_packet, T1_PACKET_SIZE);
#endif

#endif /* TESSERA_HW_T1_PACKET_H */
