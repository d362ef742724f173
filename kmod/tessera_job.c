// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: jobs, fences, submission and waiting.
 *
 * SUBMIT copies and checks the client's packets, makes a job with its own
 * dma_fence (one fence context per queue, seqno = the job's number) and
 * queues it. A per-queue worker writes jobs to the ring strictly in
 * submission order once their input syncobjs have signalled: a job still
 * waiting blocks the ones behind it. Each job ends with a driver SIGNAL
 * packet (BARRIER | INTERRUPT, WRITE seqno to the queue's fence) so that
 * the completion interrupt tells how far the queue got.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_syncobj.h>

#include "tessera_drm.h"
#include "tessera_hw.h"
#include "tessera_peer.h"
#include "tessera_queue.h"

static const char *tessera_fence_driver_name(struct dma_fence *f)
{
	return TESSERA_DRIVER_NAME;
}

static const char *tessera_fence_timeline_name(struct dma_fence *f)
{
	return "tessera-queue";
}

static const struct dma_fence_ops tessera_fence_ops = {
	.get_driver_name = tessera_fence_driver_name,
	.get_timeline_name = tessera_fence_timeline_name,
};

const char *tessera_queue_state_name(u32 state)
{
	switch (state) {
	case DRM_TESSERA_QUEUE_STATE_OK: return "ok";
	case DRM_TESSERA_QUEUE_STATE_ERROR: return "error";
	case DRM_TESSERA_QUEUE_STATE_TIMEOUT: return "timeout";
	case DRM_TESSERA_QUEUE_STATE_LOST: return "lost";
	default: return "?";
	}
}

/* Frees a job that never reached a queue (its fence was never initialised). */
static void tessera_job_free_unpublished(struct tessera_job *job)
{
	u32 i;

	for (i = 0; i < job->ndeps; i++) {
		dma_fence_remove_callback(job->deps[i].fence, &job->deps[i].cb);
		dma_fence_put(job->deps[i].fence);
	}
	kfree(job->fence);
	kvfree(job->packets);
	kfree(job);
}

/*
 * Signals the job's fence (with err if non-zero). Called under q->lock, so
 * the fences of a queue signal strictly in seqno order whoever retires
 * them; fence callbacks never take q->lock.
 */
void tessera_job_signal_locked(struct tessera_job *job, int err)
{
	u32 i;

	/* After this loop no input callback can touch the job. */
	for (i = 0; i < job->ndeps; i++)
		dma_fence_remove_callback(job->deps[i].fence, &job->deps[i].cb);
	if (err)
		dma_fence_set_error(&job->fence->base, err);
	dma_fence_signal(&job->fence->base);
}

/* Frees a signalled job, outside q->lock. */
void tessera_job_free(struct tessera_job *job)
{
	u32 i;

	for (i = 0; i < job->ndeps; i++)
		dma_fence_put(job->deps[i].fence);
	dma_fence_put(&job->fence->base);
	kvfree(job->packets);
	kfree(job);
}

static void tessera_job_dep_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct tessera_dep *dep = container_of(cb, struct tessera_dep, cb);
	struct tessera_job *job = dep->job;

	if (atomic_dec_and_test(&job->deps_left))
		queue_work(job->q->tdev->wq, &job->q->push_work);
}

static void tessera_ring_write(struct tessera_queue *q, u64 index, const union t1_packet *pkt)
{
	u8 __iomem *slot = (u8 __iomem *)q->ring + (index & (q->ring_packets - 1)) * T1_PACKET_SIZE;

	/* The body first, the header (which publishes the packet) last. */
	memcpy_toio(slot + sizeof(pkt->header), (const u8 *)pkt + sizeof(pkt->header),
		    T1_PACKET_SIZE - sizeof(pkt->header));
	wmb();
	writew(pkt->header, slot);
}

/* Writes ready jobs to the ring, in order, while there is room. */
void tessera_job_push_work(struct work_struct *work)
{
	struct tessera_queue *q = container_of(work, struct tessera_queue, push_work);
	struct tessera_device *tdev = q->tdev;
	union t1_packet fence_pkt;
	union t1_packet *packets;
	struct tessera_job *job;
	unsigned long flags;
	u64 seqno, hw_first, rd, need;
	u32 count, i;

	mutex_lock(&q->push_lock);
	for (;;) {
		spin_lock_irqsave(&q->lock, flags);
		if (q->state != DRM_TESSERA_QUEUE_STATE_OK || q->closing || q->hw_stopped ||
		    tessera_is_lost(tdev) || list_empty(&q->pending))
			break;
		job = list_first_entry(&q->pending, struct tessera_job, link);
		if (atomic_read(&job->deps_left))
			break;
		need = (u64)job->count + 1;
		rd = tessera_rd64(tdev, T1_REG_QUEUE(q->hwq) + T1_QREG_READ_INDEX);
		rd = min(rd, q->hw_write);
		/* No room: the interrupt of a job on the ring requeues us. */
		if (q->hw_write + need - rd > q->ring_packets)
			break;
		list_move_tail(&job->link, &q->inflight);
		q->jobs_pending--;
		q->jobs_inflight++;
		job->hw_first = q->hw_write;
		q->hw_write += need;
		q->pushed_seqno = job->seqno;
		q->client_pushed += job->count;
		job->push_ns = ktime_get_ns();
		if (q->jobs_inflight == 1) {
			q->head_start = jiffies;
			mod_delayed_work(tdev->wq, &q->timeout_work,
					 msecs_to_jiffies(job->timeout_ms));
		}
		/* The job may be failed and freed once the lock is dropped:
		 * keep what the ring write needs. */
		packets = job->packets;
		job->packets = NULL;
		count = job->count;
		seqno = job->seqno;
		hw_first = job->hw_first;
		spin_unlock_irqrestore(&q->lock, flags);

		for (i = 0; i < count; i++)
			tessera_ring_write(q, hw_first + i, &packets[i]);
		kvfree(packets);

		memset(&fence_pkt, 0, sizeof(fence_pkt));
		fence_pkt.signal.header = T1_PKT_TYPE_SIGNAL | T1_PKT_BARRIER | T1_PKT_INTERRUPT;
		fence_pkt.signal.op = T1_SIGNAL_OP_WRITE;
		fence_pkt.signal.signal = q->fence_va;
		fence_pkt.signal.value = seqno;
		tessera_ring_write(q, hw_first + count, &fence_pkt);

		/* The posted write orders the packets before the doorbell. */
		tessera_hw_wr64(tdev, T1_REG_DOORBELL(q->hwq), hw_first + need);
		if (READ_ONCE(q->throttled)) {
			WRITE_ONCE(q->throttled, false);
			wake_up_all(&q->wq);	/* submitters held back by the pending limit */
		}
	}
	spin_unlock_irqrestore(&q->lock, flags);
	mutex_unlock(&q->push_lock);
}

/*
 * Headers, and the DMA_COPY flags: a peer copy writes into another chip's
 * context, so it must name one the client attached (tessera_peer.c). The
 * rest of a packet is the device's to check.
 */
static int tessera_job_check_packets(struct tessera_client *client, const union t1_packet *p,
				     u32 count)
{
	u32 i;
	int ret;

	for (i = 0; i < count; i++) {
		u32 header = p[i].header;
		u32 type = T1_PKT_TYPE(header);

		if (type == T1_PKT_TYPE_INVALID || type >= T1_PKT_TYPE_COUNT ||
		    header & T1_PKT_RESERVED_MASK)
			return -EINVAL;
		if (type != T1_PKT_TYPE_DMA_COPY)
			continue;
		if (p[i].copy.flags & ~T1_DMA_FLAGS_VALID)
			return -EINVAL;
	}
	for (i = 0; i < count; i++) {
		if (T1_PKT_TYPE(p[i].header) != T1_PKT_TYPE_DMA_COPY ||
		    !(p[i].copy.flags & T1_DMA_FLAG_PEER))
			continue;
		ret = tessera_peer_check(client, p[i].copy.peer_device, p[i].copy.peer_context);
		if (ret)
			return ret;
	}
	return 0;
}

static bool tessera_job_may_queue(struct tessera_queue *q, u32 count)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&q->lock, flags);
	ok = q->closing || q->state != DRM_TESSERA_QUEUE_STATE_OK ||
	     (q->jobs_pending < TESSERA_MAX_PENDING_JOBS &&
	      q->client_packets - q->client_pushed + count <= TESSERA_MAX_PENDING_PACKETS);
	if (!ok)
		q->throttled = true;
	spin_unlock_irqrestore(&q->lock, flags);
	return ok || tessera_is_lost(q->tdev);
}

int tessera_ioctl_submit(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_submit *args = data;
	struct drm_syncobj *out = NULL;
	struct tessera_queue *q;
	struct tessera_job *job;
	struct dma_fence *fence;
	unsigned long flags;
	u32 *handles = NULL;
	bool ready;
	u32 i;
	int ret;

	if (args->size != sizeof(*args) || args->flags || args->reserved)
		return -EINVAL;
	if (!args->packet_count || args->in_syncobj_count > TESSERA_MAX_IN_SYNCOBJS)
		return -EINVAL;

	q = tessera_queue_lookup(client, args->queue_id);
	if (!q)
		return -ENOENT;
	ret = -EINVAL;
	if (args->packet_count > q->ring_packets - 2)
		goto err_put;

	ret = -ENOMEM;
	job = kzalloc(struct_size(job, deps, args->in_syncobj_count), GFP_KERNEL);
	if (!job)
		goto err_put;
	job->q = q;
	job->count = args->packet_count;
	job->timeout_ms = args->timeout_ms ? args->timeout_ms :
			  tessera_default_timeout_ms();
	job->packets = kvmalloc_array(job->count, T1_PACKET_SIZE, GFP_KERNEL);
	job->fence = kzalloc(sizeof(*job->fence), GFP_KERNEL);
	if (!job->packets || !job->fence)
		goto err_job;
	ret = -EFAULT;
	if (copy_from_user(job->packets, u64_to_user_ptr(args->packets_ptr),
			   (size_t)job->count * T1_PACKET_SIZE))
		goto err_job;
	ret = tessera_job_check_packets(client, job->packets, job->count);
	if (ret)
		goto err_job;

	/* Inputs: the +1 keeps the job from being pushed before it is queued. */
	atomic_set(&job->deps_left, 1);
	if (args->in_syncobj_count) {
		ret = -ENOMEM;
		handles = kmalloc_array(args->in_syncobj_count, sizeof(*handles), GFP_KERNEL);
		if (!handles)
			goto err_job;
		ret = -EFAULT;
		if (copy_from_user(handles, u64_to_user_ptr(args->in_syncobjs_ptr),
				   args->in_syncobj_count * sizeof(*handles)))
			goto err_job;
		for (i = 0; i < args->in_syncobj_count; i++) {
			struct tessera_dep *dep = &job->deps[i];

			ret = drm_syncobj_find_fence(file, handles[i], 0, 0, &dep->fence);
			if (ret)
				goto err_job;
			dep->job = job;
			job->ndeps++;
			atomic_inc(&job->deps_left);
			if (dma_fence_add_callback(dep->fence, &dep->cb, tessera_job_dep_cb))
				atomic_dec(&job->deps_left);	/* already signalled */
		}
	}
	if (args->out_syncobj) {
		ret = -ENOENT;
		out = drm_syncobj_find(file, args->out_syncobj);
		if (!out)
			goto err_job;
	}

	/* Back-pressure: a queue holds a bounded amount of unwritten work. */
	ret = wait_event_interruptible(q->wq, tessera_job_may_queue(q, job->count));
	if (ret)
		goto err_job;

	spin_lock_init(&job->fence->lock);
	spin_lock_irqsave(&q->lock, flags);
	if (q->closing)
		ret = -ENOENT;
	else if (tessera_is_lost(tdev) || q->state == DRM_TESSERA_QUEUE_STATE_LOST)
		ret = -ENODEV;
	else if (q->state != DRM_TESSERA_QUEUE_STATE_OK)
		ret = -EIO;
	else
		ret = 0;
	if (ret) {
		spin_unlock_irqrestore(&q->lock, flags);
		goto err_job;
	}
	job->seqno = ++q->next_seqno;
	job->client_first = q->client_packets;
	q->client_packets += job->count;
	dma_fence_init(&job->fence->base, &tessera_fence_ops, &job->fence->lock,
		       q->fence_ctx, job->seqno);
	fence = dma_fence_get(&job->fence->base);
	list_add_tail(&job->link, &q->pending);
	q->jobs_pending++;
	args->seqno = job->seqno;
	args->first_index = job->client_first;
	ready = atomic_dec_and_test(&job->deps_left);
	spin_unlock_irqrestore(&q->lock, flags);
	/* The job belongs to the queue now and may retire at any time. */

	if (ready)
		queue_work(tdev->wq, &q->push_work);
	if (out) {
		drm_syncobj_replace_fence(out, fence);
		drm_syncobj_put(out);
	}
	dma_fence_put(fence);
	kfree(handles);
	tessera_queue_put(q);
	return 0;

err_job:
	if (out)
		drm_syncobj_put(out);
	kfree(handles);
	tessera_job_free_unpublished(job);
err_put:
	tessera_queue_put(q);
	return ret;
}

/* 0: done, -EIO: failed, -ENODEV: lost, -EAGAIN: not yet. */
static int tessera_job_state(struct tessera_queue *q, u64 seqno)
{
	unsigned long flags;
	int ret = -EAGAIN;

	spin_lock_irqsave(&q->lock, flags);
	if (seqno <= q->completed_seqno)
		ret = 0;
	else if (q->failed_from && seqno >= q->failed_from)
		ret = q->state == DRM_TESSERA_QUEUE_STATE_LOST ? -ENODEV : -EIO;
	spin_unlock_irqrestore(&q->lock, flags);
	if (ret == -EAGAIN && tessera_is_lost(q->tdev))
		ret = -ENODEV;
	return ret;
}

static long tessera_timeout_jiffies(u64 ns)
{
	u64 j;

	if (!ns)
		return 0;
	j = nsecs_to_jiffies64(ns);
	/* Beyond a year is forever. */
	if (j > 365ULL * 24 * 3600 * HZ)
		return MAX_SCHEDULE_TIMEOUT;
	return max_t(long, j, 1);
}

int tessera_ioctl_wait(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_wait *args = data;
	long timeout = tessera_timeout_jiffies(args->timeout_ns);
	struct tessera_queue *q;
	long left;
	int state = -EAGAIN;

	if (args->size != sizeof(*args) || args->reserved ||
	    args->flags & ~DRM_TESSERA_WAIT_CONTEXT_EVENT)
		return -EINVAL;

	if (args->flags & DRM_TESSERA_WAIT_CONTEXT_EVENT) {
		u64 seen = args->seqno;

		if (args->queue_id)
			return -EINVAL;
		left = wait_event_interruptible_timeout(client->event_wq,
				(u64)atomic64_read(&client->events) > seen || tessera_is_lost(tdev),
				timeout);
		args->seqno = atomic64_read(&client->events);
		if (tessera_is_lost(tdev))
			return -ENODEV;
		if (left < 0)
			return left;
		return args->seqno > seen ? 0 : -ETIMEDOUT;
	}

	q = tessera_queue_lookup(client, args->queue_id);
	if (!q)
		return -ENOENT;
	if (args->seqno > READ_ONCE(q->next_seqno)) {
		tessera_queue_put(q);
		return -EINVAL;
	}
	left = wait_event_interruptible_timeout(q->wq,
			(state = tessera_job_state(q, args->seqno)) != -EAGAIN, timeout);
	tessera_queue_put(q);
	if (left < 0)
		return left;
	if (state == -EAGAIN)
		return -ETIMEDOUT;
	return state;
}
