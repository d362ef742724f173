// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: hardware queues.
 *
 * A client's queue owns one hardware queue (numbers are global across
 * clients) and a ring in device memory, mapped read-write into the client's
 * context in the driver area together with a fence page: every job ends
 * with a driver SIGNAL packet that writes the job's seqno there and raises
 * an interrupt, so the fence value says which jobs finished.
 *
 * A queue that faults or times out is stopped for good (ERROR, TIMEOUT;
 * LOST when the device is lost): its hardware queue is disabled, its
 * unfinished jobs fail, and the client recreates the queue to go on.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_print.h>

#include "tessera_drm.h"
#include "tessera_gem.h"
#include "tessera_hw.h"
#include "tessera_mmu.h"
#include "tessera_peer.h"
#include "tessera_queue.h"

static void tessera_queue_release(struct kref *ref)
{
	struct tessera_queue *q = container_of(ref, struct tessera_queue, ref);

	tessera_client_put(q->client);
	kfree(q);
}

void tessera_queue_put(struct tessera_queue *q)
{
	kref_put(&q->ref, tessera_queue_release);
}

struct tessera_queue *tessera_queue_get_hw(struct tessera_device *tdev, u32 hwq)
{
	struct tessera_queue *q;
	unsigned long flags;

	if (hwq >= T1_MAX_QUEUES)
		return NULL;
	spin_lock_irqsave(&tdev->hwq_lock, flags);
	q = tdev->hwq[hwq];
	if (q)
		kref_get(&q->ref);
	spin_unlock_irqrestore(&tdev->hwq_lock, flags);
	return q;
}

/* Lookups do not take client->lock, which VM_UNMAP holds while it waits:
 * an entry still in the table holds the table's reference. */
struct tessera_queue *tessera_queue_lookup(struct tessera_client *client, u32 id)
{
	struct tessera_queue *q;

	xa_lock(&client->queues);
	q = xa_load(&client->queues, id);
	if (q)
		kref_get(&q->ref);
	xa_unlock(&client->queues);
	return q;
}

static u32 tessera_qreg(struct tessera_queue *q, u32 reg)
{
	return T1_REG_QUEUE(q->hwq) + reg;
}

/* ---- Index translation (q->lock held) ------------------------------------ */

static u64 tessera_queue_client_index_locked(struct tessera_queue *q, u64 hw)
{
	struct tessera_job *job;

	list_for_each_entry(job, &q->inflight, link) {
		if (hw < job->hw_first)
			return job->client_first;
		if (hw < job->hw_first + job->count)
			return job->client_first + (hw - job->hw_first);
		/* The job's fence packet counts as its last client packet. */
		if (hw == job->hw_first + job->count)
			return job->client_first + job->count - 1;
	}
	return q->client_pushed ? q->client_pushed - 1 : 0;
}

u64 tessera_queue_client_index(struct tessera_queue *q, u64 hw)
{
	unsigned long flags;
	u64 idx;

	spin_lock_irqsave(&q->lock, flags);
	idx = tessera_queue_client_index_locked(q, hw);
	spin_unlock_irqrestore(&q->lock, flags);
	return idx;
}

/* Client packets the device has taken, given the ring's READ_INDEX. */
static u64 tessera_queue_client_taken_locked(struct tessera_queue *q, u64 hw_read)
{
	struct tessera_job *job;

	list_for_each_entry(job, &q->inflight, link) {
		if (hw_read <= job->hw_first)
			return job->client_first;
		if (hw_read <= job->hw_first + job->count)
			return job->client_first + (hw_read - job->hw_first);
	}
	return q->client_pushed;
}

/* ---- Completion ---------------------------------------------------------- */

static void tessera_queue_arm_timeout_locked(struct tessera_queue *q)
{
	struct tessera_job *head;

	if (list_empty(&q->inflight) || q->state != DRM_TESSERA_QUEUE_STATE_OK || q->closing) {
		cancel_delayed_work(&q->timeout_work);
		return;
	}
	head = list_first_entry(&q->inflight, struct tessera_job, link);
	q->head_start = jiffies;
	mod_delayed_work(q->tdev->wq, &q->timeout_work, msecs_to_jiffies(head->timeout_ms));
}

void tessera_queue_process(struct tessera_queue *q)
{
	struct tessera_device *tdev = q->tdev;
	struct tessera_job *job, *tmp;
	unsigned long flags;
	LIST_HEAD(done);
	u64 value, rd, now, busy = 0;
	bool push = false;
	u32 n = 0;

	spin_lock_irqsave(&q->lock, flags);
	if (list_empty(&q->inflight) || tessera_is_lost(tdev)) {
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	value = readq(&q->fence->value);
	rd = tessera_rd64(tdev, tessera_qreg(q, T1_QREG_READ_INDEX));
	now = ktime_get_ns();
	list_for_each_entry_safe(job, tmp, &q->inflight, link) {
		/* The fence lies in memory the client's own packets can
		 * write: believe it only once the device took the job's
		 * fence packet. */
		if (job->seqno > value || rd < job->hw_first + job->count + 1)
			break;
		/* Account the time before anyone can see the job done, so
		 * fdinfo read after a WAIT includes it. */
		busy = now - max(job->push_ns, q->last_done_ns);
		atomic64_add(busy, &q->client->engine_ns);
		q->last_done_ns = now;
		tessera_job_signal_locked(job, 0);
		list_move_tail(&job->link, &done);
		q->completed_seqno = job->seqno;
		q->retired_seqno = job->seqno;
		q->jobs_inflight--;
		n++;
	}
	if (n) {
		tessera_queue_arm_timeout_locked(q);
		push = !list_empty(&q->pending) && !q->closing;
	}
	spin_unlock_irqrestore(&q->lock, flags);
	if (!n)
		return;

	list_for_each_entry_safe(job, tmp, &done, link) {
		list_del(&job->link);
		tessera_job_free(job);
	}
	wake_up_all(&q->wq);
	tessera_client_event(q->client);
	if (push)
		queue_work(tdev->wq, &q->push_work);
}

/* ---- Stopping ------------------------------------------------------------ */

/* Fails every job not completed yet, in order. */
static void tessera_queue_fail_jobs(struct tessera_queue *q, int err)
{
	struct tessera_job *job, *tmp;
	unsigned long flags;
	LIST_HEAD(jobs);

	spin_lock_irqsave(&q->lock, flags);
	list_splice_tail_init(&q->inflight, &jobs);
	list_splice_tail_init(&q->pending, &jobs);
	if (!list_empty(&jobs)) {
		job = list_first_entry(&jobs, struct tessera_job, link);
		if (!q->failed_from)
			q->failed_from = job->seqno;
		q->retired_seqno = q->next_seqno;
	}
	list_for_each_entry(job, &jobs, link)
		tessera_job_signal_locked(job, err);
	q->jobs_inflight = 0;
	q->jobs_pending = 0;
	cancel_delayed_work(&q->timeout_work);
	spin_unlock_irqrestore(&q->lock, flags);

	list_for_each_entry_safe(job, tmp, &jobs, link) {
		list_del(&job->link);
		tessera_job_free(job);
	}
	wake_up_all(&q->wq);
}

/* Disables the hardware queue (once) and fails what is left. */
static void tessera_queue_halt(struct tessera_queue *q, int err)
{
	struct tessera_device *tdev = q->tdev;
	unsigned long flags;
	u64 rd = 0;
	int ret = -ENODEV;

	mutex_lock(&q->stop_lock);
	if (!q->hw_stopped) {
		if (!tessera_is_lost(tdev)) {
			ret = tessera_hw_wr32(tdev, tessera_qreg(q, T1_QREG_CONTROL), 0);
			if (!ret)
				ret = tessera_hw_sync(tdev);
			if (!ret) {
				ret = tessera_hw_poll32(tdev, tessera_qreg(q, T1_QREG_STATUS),
							T1_QSTATUS_ACTIVE, 0);
				if (ret == -ETIMEDOUT)
					tessera_device_lost(tdev, "a queue did not stop");
			}
			/* Jobs that finished before the queue stopped succeed. */
			if (!ret) {
				tessera_queue_process(q);
				rd = tessera_rd64(tdev, tessera_qreg(q, T1_QREG_READ_INDEX));
			}
		}
		spin_lock_irqsave(&q->lock, flags);
		if (!ret)
			q->final_read = tessera_queue_client_taken_locked(q, rd);
		else if (!list_empty(&q->inflight))
			q->final_read = list_first_entry(&q->inflight, struct tessera_job,
							 link)->client_first;
		else
			q->final_read = q->client_pushed;
		q->hw_stopped = true;
		spin_unlock_irqrestore(&q->lock, flags);
	}
	tessera_queue_fail_jobs(q, err);
	mutex_unlock(&q->stop_lock);
}

void tessera_queue_fail(struct tessera_queue *q, u32 state, int err, u32 cause, u64 hw_index)
{
	struct tessera_device *tdev = q->tdev;
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	if (q->state != DRM_TESSERA_QUEUE_STATE_OK || q->closing) {
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	q->state = state;
	q->error_cause = cause;
	if (hw_index == U64_MAX && !list_empty(&q->inflight) && !tessera_is_lost(tdev)) {
		/* Timeout: the packet the device is working on. */
		struct tessera_job *head = list_first_entry(&q->inflight, struct tessera_job, link);
		u64 rd = tessera_rd64(tdev, tessera_qreg(q, T1_QREG_READ_INDEX));

		hw_index = max(rd ? rd - 1 : 0, head->hw_first);
	}
	if (hw_index != U64_MAX)
		q->error_index = tessera_queue_client_index_locked(q, hw_index);
	else
		q->error_index = q->client_pushed;
	spin_unlock_irqrestore(&q->lock, flags);

	tessera_queue_halt(q, err);
	tessera_client_event(q->client);
}

void tessera_queue_check_error(struct tessera_queue *q)
{
	struct tessera_device *tdev = q->tdev;
	u32 status;

	if (READ_ONCE(q->state) != DRM_TESSERA_QUEUE_STATE_OK || READ_ONCE(q->hw_stopped) ||
	    tessera_is_lost(tdev))
		return;
	status = tessera_rd32(tdev, tessera_qreg(q, T1_QREG_STATUS));
	if (!(status & T1_QSTATUS_ERROR))
		return;
	drm_dbg_driver(&tdev->drm, "queue %u of client %llu (hw %u) stopped: cause %u at ring index %llu\n",
		       q->id, q->client->id, q->hwq, T1_QSTATUS_CAUSE(status),
		       tessera_rd64(tdev, tessera_qreg(q, T1_QREG_ERROR_INDEX)));
	tessera_queue_fail(q, DRM_TESSERA_QUEUE_STATE_ERROR, -EIO, T1_QSTATUS_CAUSE(status),
			   tessera_rd64(tdev, tessera_qreg(q, T1_QREG_ERROR_INDEX)));
}

static void tessera_queue_timeout_work(struct work_struct *work)
{
	struct tessera_queue *q = container_of(to_delayed_work(work), struct tessera_queue,
					       timeout_work);
	struct tessera_job *head;
	unsigned long flags, deadline;
	u64 seqno;
	u32 ms;

	tessera_queue_process(q);
	spin_lock_irqsave(&q->lock, flags);
	if (q->state != DRM_TESSERA_QUEUE_STATE_OK || q->closing || list_empty(&q->inflight)) {
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	head = list_first_entry(&q->inflight, struct tessera_job, link);
	ms = head->timeout_ms;
	seqno = head->seqno;
	deadline = q->head_start + msecs_to_jiffies(ms);
	if (time_before(jiffies, deadline)) {
		mod_delayed_work(q->tdev->wq, &q->timeout_work, deadline - jiffies);
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	spin_unlock_irqrestore(&q->lock, flags);

	drm_warn(&q->tdev->drm, "client %llu queue %u (hw %u): job %llu exceeded its %u ms timeout, queue stopped\n",
		 q->client->id, q->id, q->hwq, seqno, ms);
	tessera_queue_fail(q, DRM_TESSERA_QUEUE_STATE_TIMEOUT, -ETIMEDOUT, T1_FAULT_ABORTED,
			   U64_MAX);
}

/* ---- Life cycle ---------------------------------------------------------- */

static u64 tessera_queue_mem_bytes(struct tessera_queue *q)
{
	return (u64)q->ring_packets * T1_PACKET_SIZE + T1_PAGE_SIZE;
}

/* Disables, unmaps and frees a queue that is no longer in the client's table
 * (client->lock held). Every job left fails with -ECANCELED. */
static void tessera_queue_teardown(struct tessera_queue *q, bool mapped)
{
	struct tessera_device *tdev = q->tdev;
	unsigned long flags;
	LIST_HEAD(freed);
	int idx;

	spin_lock_irqsave(&q->lock, flags);
	q->closing = true;
	spin_unlock_irqrestore(&q->lock, flags);

	tessera_queue_halt(q, -ECANCELED);
	/* No callback, interrupt or timer queues work for it any more. */
	cancel_work_sync(&q->push_work);
	cancel_delayed_work_sync(&q->timeout_work);

	spin_lock_irqsave(&tdev->hwq_lock, flags);
	if (tdev->hwq[q->hwq] == q)
		tdev->hwq[q->hwq] = NULL;
	spin_unlock_irqrestore(&tdev->hwq_lock, flags);

	if (mapped) {
		tessera_vm_unmap_range(q->client, q->ring_va, tessera_queue_mem_bytes(q), &freed);
		if (drm_dev_enter(&tdev->drm, &idx)) {
			wmb();
			tessera_vm_invalidate(q->client);
			drm_dev_exit(idx);
		}
		/* A peer copy into the ring's VA (the context's owner let
		 * another client write into it) ends before the ring is freed;
		 * a closing client did this once for the whole context. */
		if (!q->client->vm_disabled)
			tessera_peer_quiesce(q->client->ctx);
		tessera_vm_free_tables(q->client, &freed);
	}
	tessera_dmem_free(tdev, &q->mem);

	mutex_lock(&tdev->queues_lock);
	clear_bit(q->hwq, tdev->hwq_used);
	mutex_unlock(&tdev->queues_lock);
	tessera_queue_put(q);
}

static int tessera_queue_enable(struct tessera_queue *q)
{
	struct tessera_device *tdev = q->tdev;
	u32 status;
	int ret;

	ret = tessera_hw_post64(tdev, tessera_qreg(q, T1_QREG_RING_BASE), q->ring_va);
	if (!ret)
		ret = tessera_hw_post32(tdev, tessera_qreg(q, T1_QREG_RING_SIZE), q->ring_packets);
	if (!ret)
		ret = tessera_hw_post32(tdev, tessera_qreg(q, T1_QREG_CONTEXT), q->client->ctx_id);
	if (!ret)
		ret = tessera_hw_post32(tdev, tessera_qreg(q, T1_QREG_PRIORITY), q->priority);
	if (!ret)
		ret = tessera_hw_post64(tdev, tessera_qreg(q, T1_QREG_READ_INDEX), 0);
	if (!ret)
		ret = tessera_hw_post64(tdev, tessera_qreg(q, T1_QREG_WRITE_INDEX), 0);
	if (!ret)
		ret = tessera_hw_post32(tdev, tessera_qreg(q, T1_QREG_CONTROL), T1_QCTL_ENABLE);
	tessera_hw_kick(tdev);
	if (!ret)
		ret = tessera_hw_sync(tdev);
	if (ret)
		return ret;
	status = tessera_rd32(tdev, tessera_qreg(q, T1_QREG_STATUS));
	if (status & T1_QSTATUS_ERROR) {
		drm_err(&tdev->drm, "hardware queue %u refused its configuration (cause %u)\n",
			q->hwq, T1_QSTATUS_CAUSE(status));
		return -EIO;
	}
	return 0;
}

int tessera_ioctl_queue_create(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_queue_create *args = data;
	struct tessera_queue *q;
	unsigned long flags;
	u32 ring, id, hwq;
	bool mapped = false;
	int ret;

	if (args->size != sizeof(*args) || args->flags || args->reserved)
		return -EINVAL;
	ring = args->ring_packets ? args->ring_packets : TESSERA_DEFAULT_RING_PACKETS;
	if (!is_power_of_2(ring) || ring < 4 || ring > TESSERA_MAX_RING_PACKETS)
		return -EINVAL;
	if (args->priority > T1_QUEUE_PRIORITY_MAX)
		return -EINVAL;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	kref_init(&q->ref);
	q->tdev = tdev;
	q->client = tessera_client_get(client);
	q->ring_packets = ring;
	q->priority = args->priority;
	q->state = DRM_TESSERA_QUEUE_STATE_OK;
	spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->pending);
	INIT_LIST_HEAD(&q->inflight);
	init_waitqueue_head(&q->wq);
	mutex_init(&q->push_lock);
	mutex_init(&q->stop_lock);
	INIT_WORK(&q->push_work, tessera_job_push_work);
	INIT_DELAYED_WORK(&q->timeout_work, tessera_queue_timeout_work);
	q->fence_ctx = dma_fence_context_alloc(1);

	mutex_lock(&client->lock);
	ret = xa_alloc(&client->queues, &id, NULL,
		       XA_LIMIT(1, TESSERA_MAX_CLIENT_QUEUES), GFP_KERNEL);
	if (ret)
		goto err_unlock;
	q->id = id;

	mutex_lock(&tdev->queues_lock);
	hwq = find_first_zero_bit(tdev->hwq_used, tdev->num_queues);
	if (hwq >= tdev->num_queues) {
		mutex_unlock(&tdev->queues_lock);
		ret = -EBUSY;
		goto err_id;
	}
	set_bit(hwq, tdev->hwq_used);
	mutex_unlock(&tdev->queues_lock);
	q->hwq = hwq;

	ret = tessera_dmem_alloc(tdev, &q->mem, tessera_queue_mem_bytes(q), T1_PAGE_SIZE);
	if (ret)
		goto err_teardown;
	q->ring = tessera_dmem_ptr(tdev, q->mem.start);
	q->fence = tessera_dmem_ptr(tdev, q->mem.start + (u64)ring * T1_PACKET_SIZE);
	q->ring_va = TESSERA_DRIVER_VA_BASE + (u64)(id - 1) * TESSERA_QUEUE_VA_SLOT;
	q->fence_va = q->ring_va + (u64)ring * T1_PACKET_SIZE;
	ret = tessera_vm_map_range(client, q->ring_va, q->mem.start,
				   tessera_queue_mem_bytes(q), T1_PTE_R | T1_PTE_W);
	if (ret)
		goto err_teardown;
	mapped = true;

	spin_lock_irqsave(&tdev->hwq_lock, flags);
	tdev->hwq[hwq] = q;
	spin_unlock_irqrestore(&tdev->hwq_lock, flags);

	ret = tessera_queue_enable(q);
	if (ret)
		goto err_teardown;
	xa_store(&client->queues, id, q, GFP_KERNEL);
	mutex_unlock(&client->lock);
	args->queue_id = id;
	return 0;

err_teardown:
	xa_erase(&client->queues, id);
	tessera_queue_teardown(q, mapped);
	mutex_unlock(&client->lock);
	return ret;
err_id:
	xa_erase(&client->queues, id);
err_unlock:
	mutex_unlock(&client->lock);
	tessera_queue_put(q);
	return ret;
}

int tessera_ioctl_queue_destroy(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_queue_destroy *args = data;
	struct tessera_queue *q;

	if (args->size != sizeof(*args) || args->flags || args->reserved)
		return -EINVAL;
	mutex_lock(&client->lock);
	q = xa_load(&client->queues, args->queue_id);
	if (!q) {
		mutex_unlock(&client->lock);
		return -ENOENT;
	}
	xa_erase(&client->queues, args->queue_id);
	tessera_queue_teardown(q, true);
	mutex_unlock(&client->lock);
	return 0;
}

int tessera_ioctl_queue_status(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_queue_status *args = data;
	struct tessera_queue *q;
	unsigned long flags;

	if (args->size != sizeof(*args) || args->flags || args->reserved)
		return -EINVAL;
	q = tessera_queue_lookup(client, args->queue_id);
	if (!q)
		return -ENOENT;
	spin_lock_irqsave(&q->lock, flags);
	args->state = q->state;
	if (q->hw_stopped)
		args->read_index = q->final_read;
	else
		args->read_index = tessera_queue_client_taken_locked(q,
			tessera_rd64(q->tdev, tessera_qreg(q, T1_QREG_READ_INDEX)));
	args->write_index = q->client_packets;
	args->error_index = q->state == DRM_TESSERA_QUEUE_STATE_OK ? 0 : q->error_index;
	args->error_cause = q->state == DRM_TESSERA_QUEUE_STATE_OK ? 0 : q->error_cause;
	args->submitted_seqno = q->next_seqno;
	args->completed_seqno = q->completed_seqno;
	spin_unlock_irqrestore(&q->lock, flags);
	tessera_queue_put(q);
	return 0;
}

/* ---- Client-wide operations ---------------------------------------------- */

static bool tessera_queue_retired(struct tessera_queue *q, u64 seqno)
{
	unsigned long flags;
	bool done;

	spin_lock_irqsave(&q->lock, flags);
	done = q->retired_seqno >= seqno;
	spin_unlock_irqrestore(&q->lock, flags);
	return done || tessera_is_lost(q->tdev);
}

/* Waits until every job already on q's ring has retired. Jobs retire at
 * the latest when they time out; a killed caller stops the queue instead,
 * so that nothing runs on. */
void tessera_queue_wait_ring_idle(struct tessera_queue *q)
{
	unsigned long flags;
	u64 target;

	spin_lock_irqsave(&q->lock, flags);
	target = q->pushed_seqno;
	spin_unlock_irqrestore(&q->lock, flags);
	if (wait_event_killable(q->wq, tessera_queue_retired(q, target)))
		tessera_queue_fail(q, DRM_TESSERA_QUEUE_STATE_ERROR, -EINTR,
				   T1_FAULT_ABORTED, U64_MAX);
}

/* The same for every queue of the client (client->lock held). */
void tessera_queues_wait_ring_idle(struct tessera_client *client)
{
	struct tessera_queue *q;
	unsigned long i;

	xa_for_each(&client->queues, i, q)
		tessera_queue_wait_ring_idle(q);
}

/* References to every queue of the client, without client->lock (which
 * its owner may hold while it waits for another client: tessera_peer.c). */
unsigned int tessera_queues_get_all(struct tessera_client *client,
				    struct tessera_queue *qs[TESSERA_MAX_CLIENT_QUEUES])
{
	struct tessera_queue *q;
	unsigned long i;
	unsigned int n = 0;

	xa_lock(&client->queues);
	xa_for_each(&client->queues, i, q) {
		if (n == TESSERA_MAX_CLIENT_QUEUES)
			break;
		kref_get(&q->ref);
		qs[n++] = q;
	}
	xa_unlock(&client->queues);
	return n;
}

/* Waits (interruptibly, without client->lock) until every job the client
 * has submitted so far has retired, those still waiting for inputs too. */
int tessera_queues_wait_submitted(struct tessera_client *client)
{
	struct tessera_queue *qs[TESSERA_MAX_CLIENT_QUEUES];
	u64 targets[TESSERA_MAX_CLIENT_QUEUES];
	struct tessera_queue *q;
	unsigned long i, flags;
	unsigned int n = 0, k;
	int ret = 0;

	mutex_lock(&client->lock);
	xa_for_each(&client->queues, i, q) {
		if (n == ARRAY_SIZE(qs))
			break;
		spin_lock_irqsave(&q->lock, flags);
		targets[n] = q->next_seqno;
		spin_unlock_irqrestore(&q->lock, flags);
		kref_get(&q->ref);
		qs[n++] = q;
	}
	mutex_unlock(&client->lock);

	for (k = 0; k < n; k++) {
		if (!ret)
			ret = wait_event_interruptible(qs[k]->wq,
						       tessera_queue_retired(qs[k], targets[k]));
		tessera_queue_put(qs[k]);
	}
	return ret;
}

/*
 * At postclose: every queue of the client stops and its jobs fail, before
 * anything waits for the jobs of other clients (tessera_peer.c), which may
 * in turn be waiting for ours while they close.
 */
void tessera_queues_halt_all(struct tessera_client *client)
{
	struct tessera_queue *q;
	unsigned long i, flags;

	mutex_lock(&client->lock);
	xa_for_each(&client->queues, i, q) {
		spin_lock_irqsave(&q->lock, flags);
		q->closing = true;
		spin_unlock_irqrestore(&q->lock, flags);
		tessera_queue_halt(q, -ECANCELED);
	}
	mutex_unlock(&client->lock);
}

void tessera_queues_destroy_all(struct tessera_client *client)
{
	struct tessera_queue *q;
	unsigned long i;

	mutex_lock(&client->lock);
	xa_for_each(&client->queues, i, q) {
		xa_erase(&client->queues, i);
		tessera_queue_teardown(q, true);
	}
	mutex_unlock(&client->lock);
}

/* The device is gone: every queue stops, every job fails with -ENODEV. */
void tessera_queues_lost(struct tessera_device *tdev)
{
	struct tessera_queue *q;
	u32 i;

	for (i = 0; i < T1_MAX_QUEUES; i++) {
		q = tessera_queue_get_hw(tdev, i);
		if (!q)
			continue;
		tessera_queue_fail(q, DRM_TESSERA_QUEUE_STATE_LOST, -ENODEV, 0, U64_MAX);
		/* A queue already stopped for another reason still has to
		 * lose the jobs submitted since. */
		tessera_queue_halt(q, -ENODEV);
		tessera_queue_put(q);
	}
}
