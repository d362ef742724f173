/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera T1 DRM driver: the device and the per-file client.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#ifndef TESSERA_DRV_H
#define TESSERA_DRV_H

#include <linux/atomic.h>
#include <linux/bitmap.h>
#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <drm/drm_device.h>
#include <drm/drm_file.h>
#include <drm/drm_mm.h>

#include <tessera/hw/t1_fault.h>
#include <tessera/hw/t1_ivshmem.h>
#include <tessera/hw/t1_link.h>
#include <tessera/hw/t1_mmu.h>
#include <tessera/hw/t1_regs.h>

#define TESSERA_DRIVER_NAME "tessera"

/* Device VAs a client may map; [2 GiB, 4 GiB) below it is the driver's own
 * area of every context (queue rings and fences). */
#define TESSERA_VA_START        (1ULL << 32)
#define TESSERA_VA_END          (1ULL << 47)
#define TESSERA_DRIVER_VA_BASE  (1ULL << 31)
#define TESSERA_QUEUE_VA_SLOT   (32ULL << 20)

/* Queues one client may hold at once (its queue ids are 1..this). The
 * driver area has one 32 MiB slot per id. */
#define TESSERA_MAX_CLIENT_QUEUES 64
#define TESSERA_DEFAULT_RING_PACKETS 1024
#define TESSERA_MAX_RING_PACKETS 65536
#define TESSERA_MAX_IN_SYNCOBJS 64
/* Work a queue holds before it reaches the ring; SUBMIT waits beyond it. */
#define TESSERA_MAX_PENDING_JOBS 4096
#define TESSERA_MAX_PENDING_PACKETS (1u << 18)

/* Peer contexts one client may attach (DRM_TESSERA_PEER_ATTACH). */
#define TESSERA_MAX_PEER_ATTACH 16

/* Fault records kept per client (uAPI) and per device (debugfs). */
#define TESSERA_CLIENT_FAULTS 64
#define TESSERA_DEVICE_FAULTS 16

/* Bits of tessera_device.flags. */
#define TESSERA_FLAG_LOST 0

extern unsigned int tessera_job_timeout_ms;
#define TESSERA_DEFAULT_TIMEOUT_MS 10000

/* The job_timeout_ms module parameter; 0 means the built-in default. */
static inline u32 tessera_default_timeout_ms(void)
{
	u32 ms = READ_ONCE(tessera_job_timeout_ms);

	return ms ? ms : TESSERA_DEFAULT_TIMEOUT_MS;
}

struct tessera_queue;
struct tessera_ctx;

struct tessera_device {
	struct drm_device drm;
	struct pci_dev *pdev;

	/* BAR0: ivshmem's registers (doorbell). BAR2: the first 2 MiB
	 * (register page, transport) uncached, device memory write-combined. */
	void __iomem *bar0;
	void __iomem *regs;
	struct t1_ivshmem_transport __iomem *tp;
	void __iomem *mem;
	resource_size_t shm_phys;
	resource_size_t shm_len;
	resource_size_t mem_phys;
	u64 mem_size;

	/* Transport. */
	u32 server_peer;
	u32 rwq_entries;
	spinlock_t rwq_lock;		/* rwq_head, the RWQ slots */
	u64 rwq_head;
	u64 rwq_tail_seen;
	struct delayed_work heartbeat_work;
	u64 heartbeat_last;
	unsigned long heartbeat_jiffies;

	unsigned long flags;		/* TESSERA_FLAG_* */
	struct work_struct lost_work;

	/* Identification, read at probe. */
	u32 hw_version;			/* agreed in the handshake */
	u32 hw_version_device;
	u32 device_id;
	u32 revision;
	u64 caps;
	u32 num_tiles;
	u32 threads_per_tile;
	u32 warp_size;
	u32 scratchpad_size;
	u32 num_queues;
	u32 num_links;
	u32 num_contexts;
	u32 clock_khz;
	u32 device_index;
	u32 link_peer[T1_MAX_LINKS];	/* PEER_DEVICE of each link */
	struct list_head peer_link;	/* the chips peers can attach (tessera_peer.c) */

	/* Device memory: a range allocator over [0, mem_size). */
	struct mutex mm_lock;
	struct drm_mm mm;
	u64 mem_used;
	bool mm_ready;

	/* Contexts: the table in device memory, ids 1..num_contexts-1. */
	struct drm_mm_node ctx_table;
	struct ida ctx_ida;
	struct xarray ctx_clients;	/* context id -> client */

	/* Hardware queues: numbers are global across clients. */
	struct mutex queues_lock;	/* allocation of hardware queue numbers */
	DECLARE_BITMAP(hwq_used, T1_MAX_QUEUES);
	spinlock_t hwq_lock;		/* hwq[] lookups from interrupt threads */
	struct tessera_queue *hwq[T1_MAX_QUEUES];

	/* Clients, for debugfs and device loss. */
	struct mutex clients_lock;
	struct list_head clients;
	atomic64_t client_seq;

	/* Interrupts and faults. */
	int irqs;
	struct mutex irq_lock;		/* serialises interrupt processing */
	u32 fault_next;			/* next fault record number to read */
	spinlock_t fault_lock;		/* recent[] */
	struct t1_fault_record recent[TESSERA_DEVICE_FAULTS];
	u32 recent_count;
	u64 faults_total;

	struct workqueue_struct *wq;
};

/* One open file of the render node: its device context and everything it owns. */
struct tessera_client {
	struct kref ref;
	struct tessera_device *tdev;
	u64 id;				/* drm-client-id */
	struct tessera_ctx *ctx;	/* the client's context id (tessera_mmu.h) */
	u32 ctx_id;			/* ctx->id */
	struct list_head link;		/* tdev->clients */

	struct mutex lock;		/* VM and queue table of this client */
	struct tessera_pt *root;	/* level-3 page table */
	bool vm_disabled;		/* context entry invalidated (closing) */
	struct drm_mm va_mm;		/* user mappings in [VA_START, VA_END) */
	struct xarray queues;		/* queue id -> tessera_queue */

	atomic64_t events;		/* DRM_TESSERA_WAIT_CONTEXT_EVENT */
	wait_queue_head_t event_wq;

	struct mutex fault_read_lock;	/* GET_FAULTS callers */
	spinlock_t fault_lock;		/* the fields below */
	struct t1_fault_record faults[TESSERA_CLIENT_FAULTS];
	u64 fault_total;		/* records ever received; slot = n % 64 */
	u32 fault_count;		/* records held, the newest ones */
	u32 fault_lost;			/* dropped since the last GET_FAULTS */

	/* Peer contexts this client's DMA_COPY packets may write into
	 * (tessera_peer.c); the list only grows until postclose. */
	struct mutex peer_lock;
	struct list_head peers;		/* struct tessera_peer_attach */
	u32 npeers;

	atomic64_t engine_ns;		/* sum of job run times */
	atomic64_t vram_bytes;		/* BOs the client created, still alive */
};

static inline struct tessera_device *to_tdev(struct drm_device *drm)
{
	return container_of(drm, struct tessera_device, drm);
}

static inline bool tessera_is_lost(struct tessera_device *tdev)
{
	return test_bit(TESSERA_FLAG_LOST, &tdev->flags);
}

void tessera_device_lost(struct tessera_device *tdev, const char *why);

struct tessera_client *tessera_client_get(struct tessera_client *client);
void tessera_client_put(struct tessera_client *client);
void tessera_client_event(struct tessera_client *client);

struct drm_minor;
struct seq_file;
struct file;

void tessera_debugfs_init(struct drm_minor *minor);
void tessera_show_fdinfo(struct seq_file *m, struct file *f);
/* The drm_file of a file of one of this driver's nodes, else NULL. */
struct drm_file *tessera_drm_file(struct file *f);

#endif /* TESSERA_DRV_H */
