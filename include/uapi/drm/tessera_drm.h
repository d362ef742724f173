/* SPDX-License-Identifier: MIT */
/*
 * Tessera T1 DRM driver (tessera.ko) user-space API.
 *
 * Copyright (c) 2026 The Tessera authors
 *
 * Permission is hereby granted, free of charge, to any person obtaining a
 * copy of this software and associated documentation files (the "Software"),
 * to deal in the Software without restriction, including without limitation
 * the rights to use, copy, modify, merge, publish, distribute, sublicense,
 * and/or sell copies of the Software, and to permit persons to whom the
 * Software is furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in
 * all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
 * FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
 * DEALINGS IN THE SOFTWARE.
 */
/*
 * Model: every open file of a tessera render node (/dev/dri/renderD*) is one
 * client with its own device context: a private device virtual address
 * space (48-bit, Sv48-format page tables written by the driver), its buffer
 * objects, its hardware queues and its fault history. Nothing of one client
 * is reachable from another (there is no PRIME sharing yet).
 *
 * Memory: DRM_TESSERA_BO_CREATE allocates device memory (zeroed). The
 * client maps it into its own process with mmap(MAP_SHARED) at the offset
 * DRM_TESSERA_BO_INFO returns (write-combined), and into its device address
 * space with DRM_TESSERA_VM_MAP at a VA it chooses (the runtime uses the same
 * address on both sides).
 *
 * Work: DRM_TESSERA_SUBMIT copies T1 packets (tessera/hw/t1_packet.h, 64
 * bytes each; all addresses in them are VAs of the client's context) into a
 * queue's ring as one job. The job starts once its input syncobjs have
 * signalled; its completion signals the output syncobj and the job's
 * sequence number, which DRM_TESSERA_WAIT waits for. A job that faults or
 * exceeds its timeout stops its queue: the job and every later job of that
 * queue fail (fence error -EIO or -ETIMEDOUT), submits to the queue return
 * -EIO, and the client recovers by destroying and recreating the queue.
 * Other queues and other clients are not affected. Destroying a queue fails
 * its unfinished jobs with -ECANCELED.
 *
 * Extensibility: every argument struct starts with `size` (set it to
 * sizeof(the struct) as this header defines it) and `flags`. The driver
 * rejects sizes it does not know, unknown flags and non-zero reserved
 * fields with -EINVAL, so that new fields and flags can be added later
 * without silently changing the meaning of old binaries.
 */
#ifndef _UAPI_TESSERA_DRM_H_
#define _UAPI_TESSERA_DRM_H_

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

/* Version of this interface: major << 16 | minor. */
#define DRM_TESSERA_UAPI_VERSION_MAJOR 1
#define DRM_TESSERA_UAPI_VERSION_MINOR 0

#define DRM_TESSERA_DEVICE_INFO   0x00
#define DRM_TESSERA_BO_CREATE     0x01
#define DRM_TESSERA_BO_INFO       0x02
#define DRM_TESSERA_VM_MAP        0x03
#define DRM_TESSERA_VM_UNMAP      0x04
#define DRM_TESSERA_QUEUE_CREATE  0x05
#define DRM_TESSERA_QUEUE_DESTROY 0x06
#define DRM_TESSERA_QUEUE_STATUS  0x07
#define DRM_TESSERA_SUBMIT        0x08
#define DRM_TESSERA_WAIT          0x09
#define DRM_TESSERA_GET_FAULTS    0x0a
#define DRM_TESSERA_PEER_ATTACH   0x0b

#define DRM_IOCTL_TESSERA_DEVICE_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_DEVICE_INFO, struct drm_tessera_device_info)
#define DRM_IOCTL_TESSERA_BO_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_BO_CREATE, struct drm_tessera_bo_create)
#define DRM_IOCTL_TESSERA_BO_INFO \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_BO_INFO, struct drm_tessera_bo_info)
#define DRM_IOCTL_TESSERA_VM_MAP \
	DRM_IOW(DRM_COMMAND_BASE + DRM_TESSERA_VM_MAP, struct drm_tessera_vm_map)
#define DRM_IOCTL_TESSERA_VM_UNMAP \
	DRM_IOW(DRM_COMMAND_BASE + DRM_TESSERA_VM_UNMAP, struct drm_tessera_vm_unmap)
#define DRM_IOCTL_TESSERA_QUEUE_CREATE \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_QUEUE_CREATE, struct drm_tessera_queue_create)
#define DRM_IOCTL_TESSERA_QUEUE_DESTROY \
	DRM_IOW(DRM_COMMAND_BASE + DRM_TESSERA_QUEUE_DESTROY, struct drm_tessera_queue_destroy)
#define DRM_IOCTL_TESSERA_QUEUE_STATUS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_QUEUE_STATUS, struct drm_tessera_queue_status)
#define DRM_IOCTL_TESSERA_SUBMIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_SUBMIT, struct drm_tessera_submit)
#define DRM_IOCTL_TESSERA_WAIT \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_WAIT, struct drm_tessera_wait)
#define DRM_IOCTL_TESSERA_GET_FAULTS \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_GET_FAULTS, struct drm_tessera_get_faults)
#define DRM_IOCTL_TESSERA_PEER_ATTACH \
	DRM_IOWR(DRM_COMMAND_BASE + DRM_TESSERA_PEER_ATTACH, struct drm_tessera_peer_attach)

/* ---- DEVICE_INFO: what the device and driver are ----------------------- */

#define DRM_TESSERA_PLATFORM_SILICON  1
#define DRM_TESSERA_PLATFORM_EMULATOR 2 /* the T1 model behind QEMU's ivshmem */

struct drm_tessera_device_info {
	__u32 size;               /* in: sizeof(struct drm_tessera_device_info) */
	__u32 flags;              /* in: 0 */
	__u32 uapi_version;       /* out: major << 16 | minor of this interface */
	__u32 hw_version;         /* out: T1 interface version agreed in the handshake */
	__u32 hw_version_device;  /* out: version the device speaks */
	__u32 platform;           /* out: DRM_TESSERA_PLATFORM_* */
	__u32 device_id;          /* out: T1_DEVICE_ID_* */
	__u32 revision;
	__u64 caps;               /* out: T1_CAP_* as the driver exposes them (never
	                           * HOST_WINDOWS or PEER_DMA) */
	__u64 memory_bytes;       /* out: device memory */
	__u64 memory_free;        /* out: unallocated device memory, now */
	__u32 tiles;
	__u32 threads_per_tile;
	__u32 warp_size;
	__u32 scratchpad_bytes;
	__u32 queues;             /* out: queues a client may create (hardware queues
	                           * are shared by all clients: fewer may be left) */
	__u32 links;
	__u32 clock_khz;
	__u32 fabric_index;       /* out: T1_REG_DEVICE_INDEX */
	__u32 context_id;         /* out: this client's context id on the device */
	__u32 job_timeout_ms;     /* out: default job timeout */
	__u64 va_start;           /* out: device VAs a client may map: [va_start, va_end) */
	__u64 va_end;
	__u32 max_ring_packets;   /* out: largest queue ring */
	__u32 reserved;           /* must be 0 */
	__u32 link_peer[8];       /* out: fabric index of the chip at the other end of
	                           * link l (l < links), else 0xFFFFFFFF */
};

/* ---- Buffer objects ----------------------------------------------------- */

/* Device memory, zeroed, a multiple of 4 KiB (bytes is rounded up). */
struct drm_tessera_bo_create {
	__u32 size;     /* in: sizeof(struct drm_tessera_bo_create) */
	__u32 flags;    /* in: 0 */
	__u64 bytes;    /* in: > 0; out: bytes allocated */
	__u32 handle;   /* out: GEM handle */
	__u32 reserved; /* must be 0 */
};

struct drm_tessera_bo_info {
	__u32 size;        /* in: sizeof(struct drm_tessera_bo_info) */
	__u32 flags;       /* in: 0 */
	__u32 handle;      /* in */
	__u32 reserved;    /* must be 0 */
	__u64 bytes;       /* out: bytes */
	__u64 mmap_offset; /* out: offset for mmap() on the DRM file */
};

/* ---- The client's device address space ---------------------------------- */

#define DRM_TESSERA_VM_READ  0x1 /* same bits as T1_ACCESS_READ/WRITE/EXEC */
#define DRM_TESSERA_VM_WRITE 0x2
#define DRM_TESSERA_VM_EXEC  0x4
#define DRM_TESSERA_VM_PERMS (DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE | DRM_TESSERA_VM_EXEC)

/*
 * Maps [bo_offset, bo_offset + length) of a BO at [va, va + length) of the
 * client's context. va, bo_offset and length are 4 KiB multiples, the range
 * lies in [va_start, va_end) and overlaps no existing mapping (-EBUSY), and
 * flags holds at least READ (WRITE needs READ). A mapping keeps its BO alive.
 */
struct drm_tessera_vm_map {
	__u32 size;      /* in: sizeof(struct drm_tessera_vm_map) */
	__u32 flags;     /* in: DRM_TESSERA_VM_* */
	__u32 handle;    /* in: BO */
	__u32 reserved;  /* must be 0 */
	__u64 bo_offset;
	__u64 va;
	__u64 length;
};

/* Removes the mapping that starts at va (exactly as mapped; -ENOENT if
 * none). Waits (interruptibly) for the context's queues to finish the jobs
 * already submitted, including jobs still waiting for their input syncobjs,
 * then invalidates the device TLB, so the memory is no longer reachable by
 * the device when the ioctl returns. */
struct drm_tessera_vm_unmap {
	__u32 size;      /* in: sizeof(struct drm_tessera_vm_unmap) */
	__u32 flags;     /* in: 0 */
	__u64 va;
};

/* ---- Queues ------------------------------------------------------------- */

struct drm_tessera_queue_create {
	__u32 size;         /* in: sizeof(struct drm_tessera_queue_create) */
	__u32 flags;        /* in: 0 */
	__u32 ring_packets; /* in: power of two, 4 .. max_ring_packets; 0 = driver default */
	__u32 priority;     /* in: 0 .. T1_QUEUE_PRIORITY_MAX */
	__u32 queue_id;     /* out */
	__u32 reserved;     /* must be 0 */
};

struct drm_tessera_queue_destroy {
	__u32 size;     /* in: sizeof(struct drm_tessera_queue_destroy) */
	__u32 flags;    /* in: 0 */
	__u32 queue_id; /* in */
	__u32 reserved; /* must be 0 */
};

#define DRM_TESSERA_QUEUE_STATE_OK      0
#define DRM_TESSERA_QUEUE_STATE_ERROR   1 /* a job faulted: the queue is stopped */
#define DRM_TESSERA_QUEUE_STATE_TIMEOUT 2 /* a job exceeded its timeout: the queue was reset */
#define DRM_TESSERA_QUEUE_STATE_LOST    3 /* the device was lost; QUEUE_STATUS itself then
                                           * returns -ENODEV like every ioctl, so
                                           * this state shows only in debugfs */

/* Indices count the client's packets on this queue since it was created
 * (the driver's own packets are not counted). */
struct drm_tessera_queue_status {
	__u32 size;              /* in: sizeof(struct drm_tessera_queue_status) */
	__u32 flags;             /* in: 0 */
	__u32 queue_id;          /* in */
	__u32 state;             /* out: DRM_TESSERA_QUEUE_STATE_* */
	__u64 read_index;        /* out: packets taken by the device */
	__u64 write_index;       /* out: packets submitted */
	__u64 error_index;       /* out: packet that stopped the queue (state != OK) */
	__u32 error_cause;       /* out: T1_FAULT_* for ERROR; T1_FAULT_ABORTED for
	                          * TIMEOUT; 0 for LOST */
	__u32 reserved;          /* must be 0 */
	__u64 submitted_seqno;   /* out: last job submitted */
	__u64 completed_seqno;   /* out: last job completed (in order) */
};

/* ---- Submission and waiting --------------------------------------------- */

/*
 * One job: `packet_count` packets (1 .. ring size - 2) read from
 * `packets_ptr`. Headers must name a valid packet type with reserved bits
 * clear and DMA_COPY flags within T1_DMA_FLAGS_VALID (-EINVAL); a peer
 * DMA_COPY (T1_DMA_FLAG_PEER) must name a (peer_device, peer_context) this
 * client attached with DRM_TESSERA_PEER_ATTACH (-EPERM otherwise; -ENOLINK
 * when that chip has since been lost or unbound). The job waits for every syncobj in
 * `in_syncobjs_ptr` (u32 handles; a syncobj without a fence: -EINVAL)
 * before it reaches the ring; its fence is installed in `out_syncobj` (0:
 * none). Returns the job's sequence number, which grows by one per job on
 * this queue. `timeout_ms` counts from when the job becomes the oldest
 * unfinished job on the ring. SUBMIT sleeps (interruptibly) while the queue
 * already holds 4096 jobs or 2^18 packets not yet on the ring.
 */
struct drm_tessera_submit {
	__u32 size;             /* in: sizeof(struct drm_tessera_submit) */
	__u32 flags;            /* in: 0 */
	__u32 queue_id;         /* in */
	__u32 packet_count;     /* in */
	__u64 packets_ptr;      /* in: user pointer to packet_count x 64 bytes */
	__u64 in_syncobjs_ptr;  /* in: user pointer to in_syncobj_count u32 handles */
	__u32 in_syncobj_count; /* in: at most 64 */
	__u32 out_syncobj;      /* in: syncobj handle, or 0 */
	__u32 timeout_ms;       /* in: 0 = device default (job_timeout_ms) */
	__u32 reserved;         /* must be 0 */
	__u64 seqno;            /* out: this job's sequence number */
	__u64 first_index;      /* out: queue index of the job's first packet */
};

/*
 * Without flags: waits until job `seqno` of `queue_id` completed. Returns 0
 * when it succeeded, -EIO when it (or an earlier job of the queue) failed,
 * timed out or was cancelled, -ETIMEDOUT when timeout_ns passed first (the
 * wait ran out, not the job; timeout_ns is relative; 0 polls), -ENODEV when
 * the device was lost.
 *
 * With DRM_TESSERA_WAIT_CONTEXT_EVENT: waits until the client's event count
 * exceeds `seqno` and returns the count in `seqno`. The count grows when a
 * job of the client completes or fails, a queue of it stops, or a fault
 * record for its context arrives; a runtime thread sleeps here instead of
 * polling. `queue_id` must be 0.
 */
#define DRM_TESSERA_WAIT_CONTEXT_EVENT 0x1

struct drm_tessera_wait {
	__u32 size;       /* in: sizeof(struct drm_tessera_wait) */
	__u32 flags;      /* in: DRM_TESSERA_WAIT_* */
	__u32 queue_id;   /* in */
	__u32 reserved;   /* must be 0 */
	__u64 seqno;      /* in; out for CONTEXT_EVENT */
	__u64 timeout_ns; /* in: relative */
};

/*
 * Copies up to `count` fault records of the client's context (struct
 * t1_fault_record of tessera/hw/t1_fault.h, 128 bytes each), oldest first,
 * that it has not taken yet, to `records_ptr`; `count` returns how many.
 * The driver keeps the last 64 per client. Records are in the client's
 * terms: `queue` is the client's queue_id and `packet_index` counts the
 * client's packets on that queue (as in DRM_TESSERA_QUEUE_STATUS); the
 * driver's own packets never appear.
 */
#define DRM_TESSERA_FAULT_RECORD_SIZE 128

struct drm_tessera_get_faults {
	__u32 size;        /* in: sizeof(struct drm_tessera_get_faults) */
	__u32 flags;       /* in: 0 */
	__u32 count;       /* in: capacity; out: records written */
	__u32 lost;        /* out: records dropped because the client fell behind */
	__u64 records_ptr; /* in: user pointer */
};

/* ---- Peer DMA ----------------------------------------------------------- */

/*
 * Lets this client's DMA_COPY packets with T1_DMA_FLAG_PEER write into the
 * context of another client: the one `peer_fd` (an open file of a tessera
 * render node, typically the same process's file of another chip) stands
 * for. The chips must be directly linked (-ENOLINK otherwise; a file of the
 * same chip, of another driver or a primary node: -EINVAL; a lost peer chip:
 * -ENODEV; more than 16 attachments: -ENOSPC). Returns the peer chip's fabric
 * index and the peer client's context id, the values the packets carry.
 * Attaching twice is harmless. The attachment holds the peer's context id:
 * when the peer file is closed its mappings go at once (later peer copies
 * fault as unmapped), and the id is reused only once every client that
 * attached it has closed its file.
 */
struct drm_tessera_peer_attach {
	__u32 size;         /* in: sizeof(struct drm_tessera_peer_attach) */
	__u32 flags;        /* in: 0 */
	__s32 peer_fd;      /* in */
	__u32 reserved;     /* must be 0 */
	__u32 peer_device;  /* out: fabric index */
	__u32 peer_context; /* out: context id on that chip */
};

#if defined(__cplusplus)
}
#endif

#endif /* _UAPI_TESSERA_DRM_H_ */
