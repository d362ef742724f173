/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera T1 DRM driver: hardware queues, jobs and their fences.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#ifndef TESSERA_QUEUE_H
#define TESSERA_QUEUE_H

#include <linux/dma-fence.h>

#include <tessera/hw/t1_packet.h>
#include <tessera/hw/t1_queue.h>
#include <tessera/hw/t1_signal.h>

#include "tessera_drv.h"

struct tessera_queue {
	struct kref ref;
	struct tessera_device *tdev;
	struct tessera_client *client;	/* owner; outlives the queue's use */
	u32 id;				/* the client's queue id */
	u32 hwq;			/* hardware queue number */
	u32 ring_packets;
	u32 priority;
	u64 ring_va;			/* ring, then the fence page, in the context */
	u64 fence_va;
	struct drm_mm_node mem;		/* ring + fence page in device memory */
	void __iomem *ring;
	struct t1_signal __iomem *fence;
	u64 fence_ctx;			/* dma_fence context */

	spinlock_t lock;		/* everything below */
	struct list_head pending;	/* submitted, not yet on the ring, in order */
	struct list_head inflight;	/* on the ring, in order */
	u32 state;			/* DRM_TESSERA_QUEUE_STATE_* */
	bool closing;			/* being destroyed: no new work */
	bool hw_stopped;		/* hardware queue disabled for good */
	bool throttled;			/* a SUBMIT waits for pending work to shrink */
	u64 next_seqno;			/* last seqno handed out */
	u64 pushed_seqno;		/* last job written to the ring */
	u64 completed_seqno;		/* last job completed, in order */
	u64 failed_from;		/* first failed job (0: none) */
	u64 retired_seqno;		/* last job completed or failed */
	u64 hw_write;			/* next hardware ring index */
	u64 client_packets;		/* client packets submitted */
	u64 client_pushed;		/* client packets written to the ring */
	u64 final_read;			/* client read index when stopped */
	u64 error_index;		/* client index of the packet that stopped it */
	u32 error_cause;
	unsigned long head_start;	/* jiffies when the oldest job on the ring started */
	u64 last_done_ns;		/* for job run times */
	u32 jobs_pending;
	u32 jobs_inflight;

	wait_queue_head_t wq;		/* job retirement, state changes */
	struct mutex push_lock;		/* ring writes */
	struct mutex stop_lock;		/* disabling the hardware queue */
	struct work_struct push_work;
	struct delayed_work timeout_work;
};

struct tessera_fence {
	struct dma_fence base;		/* first: dma_fence_free() frees the whole */
	spinlock_t lock;
};

struct tessera_dep {
	struct dma_fence_cb cb;
	struct dma_fence *fence;
	struct tessera_job *job;
};

struct tessera_job {
	struct list_head link;
	struct tessera_queue *q;
	struct tessera_fence *fence;	/* the job holds one reference */
	union t1_packet *packets;	/* owned by the job until it is pushed */
	u32 count;
	u32 timeout_ms;
	u64 seqno;
	u64 client_first;		/* client index of the first packet */
	u64 hw_first;			/* ring index of the first packet, once pushed */
	u64 push_ns;
	atomic_t deps_left;		/* unsignalled inputs + 1 while being set up */
	u32 ndeps;
	struct tessera_dep deps[];
};

void tessera_queue_put(struct tessera_queue *q);
/* A reference to the client's queue id, or NULL. */
struct tessera_queue *tessera_queue_lookup(struct tessera_client *client, u32 id);
/* A reference to the queue on hardware queue hwq, or NULL. */
struct tessera_queue *tessera_queue_get_hw(struct tessera_device *tdev, u32 hwq);

/* Retires every job whose fence value was written; from interrupts and polls. */
void tessera_queue_process(struct tessera_queue *q);
/* Checks the hardware queue for the error state and stops it if so. */
void tessera_queue_check_error(struct tessera_queue *q);
/* Stops a queue for good: state, fence error, cause, failing ring index
 * (U64_MAX: none, or the packet in progress for a timeout). */
void tessera_queue_fail(struct tessera_queue *q, u32 state, int err, u32 cause, u64 hw_index);
/* Translates a ring index into the client's packet numbering. */
u64 tessera_queue_client_index(struct tessera_queue *q, u64 hw_index);

void tessera_queue_wait_ring_idle(struct tessera_queue *q);
void tessera_queues_wait_ring_idle(struct tessera_client *client);
unsigned int tessera_queues_get_all(struct tessera_client *client,
				    struct tessera_queue *qs[TESSERA_MAX_CLIENT_QUEUES]);
int tessera_queues_wait_submitted(struct tessera_client *client);
void tessera_queues_halt_all(struct tessera_client *client);
void tessera_queues_destroy_all(struct tessera_client *client);
void tessera_queues_lost(struct tessera_device *tdev);

/* tessera_job.c */
void tessera_job_push_work(struct work_struct *work);
void tessera_job_signal_locked(struct tessera_job *job, int err);
void tessera_job_free(struct tessera_job *job);
const char *tessera_queue_state_name(u32 state);

int tessera_ioctl_queue_create(struct drm_device *dev, void *data, struct drm_file *file);
int tessera_ioctl_queue_destroy(struct drm_device *dev, void *data, struct drm_file *file);
int tessera_ioctl_queue_status(struct drm_device *dev, void *data, struct drm_file *file);
int tessera_ioctl_submit(struct drm_device *dev, void *data, struct drm_file *file);
int tessera_ioctl_wait(struct drm_device *dev, void *data, struct drm_file *file);

#endif /* TESSERA_QUEUE_H */
