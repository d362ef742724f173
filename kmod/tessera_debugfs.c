// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: debugfs, under /sys/kernel/debug/dri/N/:
 *   queues     every hardware queue in use: owner, ring, indices, state, jobs
 *   faults     the last 16 fault records of the device, decoded
 *   transport  the ivshmem transport: heartbeat, RWQ head/tail/dropped
 *   peers      the links, each client's context and peer attachments
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/jiffies.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <drm/drm_debugfs.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include "tessera_drm.h"
#include "tessera_gem.h"
#include "tessera_hw.h"
#include "tessera_irq.h"
#include "tessera_peer.h"
#include "tessera_queue.h"

static struct tessera_device *tessera_debugfs_tdev(struct seq_file *m)
{
	struct drm_info_node *node = m->private;

	return to_tdev(node->minor->dev);
}

static int tessera_debugfs_queues(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = tessera_debugfs_tdev(m);
	struct tessera_queue *q;
	unsigned long flags;
	int idx;
	u32 i;

	if (!drm_dev_enter(&tdev->drm, &idx))
		return -ENODEV;
	seq_printf(m, "%3s %6s %4s %5s %6s %10s %10s %10s %10s %-7s %7s %8s %9s %9s\n",
		   "hwq", "client", "ctx", "queue", "ring", "hw_read", "hw_write",
		   "pushed", "submitted", "state", "pending", "inflight", "last_job", "completed");
	for (i = 0; i < tdev->num_queues; i++) {
		u64 hw_read = 0, hw_write = 0;

		q = tessera_queue_get_hw(tdev, i);
		if (!q)
			continue;
		if (!tessera_is_lost(tdev)) {
			hw_read = tessera_rd64(tdev, T1_REG_QUEUE(i) + T1_QREG_READ_INDEX);
			hw_write = tessera_rd64(tdev, T1_REG_QUEUE(i) + T1_QREG_WRITE_INDEX);
		}
		spin_lock_irqsave(&q->lock, flags);
		seq_printf(m, "%3u %6llu %4u %5u %6u %10llu %10llu %10llu %10llu %-7s %7u %8u %9llu %9llu\n",
			   i, q->client->id, q->client->ctx_id, q->id, q->ring_packets,
			   hw_read, hw_write,
			   q->client_pushed, q->client_packets, tessera_queue_state_name(q->state),
			   q->jobs_pending, q->jobs_inflight, q->next_seqno, q->completed_seqno);
		if (q->state != DRM_TESSERA_QUEUE_STATE_OK)
			seq_printf(m, "    stopped at client packet %llu, cause %s\n",
				   q->error_index, tessera_fault_cause_name(q->error_cause));
		spin_unlock_irqrestore(&q->lock, flags);
		tessera_queue_put(q);
	}
	drm_dev_exit(idx);
	return 0;
}

static void tessera_debugfs_access(struct seq_file *m, u32 access)
{
	seq_printf(m, "%c%c%c", access & T1_ACCESS_READ ? 'r' : '-',
		   access & T1_ACCESS_WRITE ? 'w' : '-', access & T1_ACCESS_EXEC ? 'x' : '-');
}

static int tessera_debugfs_faults(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = tessera_debugfs_tdev(m);
	struct t1_fault_record *recs;
	unsigned long flags;
	u64 total, first, n, i;

	recs = kmalloc_array(TESSERA_DEVICE_FAULTS, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	spin_lock_irqsave(&tdev->fault_lock, flags);
	total = tdev->faults_total;
	n = min_t(u64, total, TESSERA_DEVICE_FAULTS);
	first = total - n;
	for (i = 0; i < n; i++)
		recs[i] = tdev->recent[(first + i) % TESSERA_DEVICE_FAULTS];
	spin_unlock_irqrestore(&tdev->fault_lock, flags);

	seq_printf(m, "fault records received: %llu (showing the last %llu)\n", total, n);
	for (i = 0; i < n; i++) {
		const struct t1_fault_record *r = &recs[i];

		seq_printf(m, "#%u %s (%u) ", r->sequence, tessera_fault_cause_name(r->cause),
			   r->cause);
		tessera_debugfs_access(m, r->access);
		seq_printf(m, " address %#llx", r->address);
		if (r->flags & T1_FAULT_FLAG_PACKET)
			seq_printf(m, " context %u hwq %u packet %llu", r->context, r->queue,
				   r->packet_index);
		if (r->kernel_entry)
			seq_printf(m, " kernel %#llx", r->kernel_entry);
		if (r->flags & T1_FAULT_FLAG_THREAD)
			seq_printf(m, " pc %#llx insn %#010x block (%u,%u,%u) thread (%u,%u,%u) tile %u warp %u lane %u",
				   r->pc, r->raw_insn, r->block_x, r->block_y, r->block_z,
				   r->thread_x, r->thread_y, r->thread_z, r->tile, r->warp, r->lane);
		seq_printf(m, " time %llu ns\n", r->timestamp);
	}
	kfree(recs);
	return 0;
}

static int tessera_debugfs_transport(struct seq_file *m, void *unused)
{
	struct tessera_device *tdev = tessera_debugfs_tdev(m);
	struct t1_ivshmem_transport __iomem *tp = tdev->tp;
	int idx;

	if (!drm_dev_enter(&tdev->drm, &idx))
		return -ENODEV;
	seq_printf(m, "magic:          %#x\n", readl(&tp->magic));
	seq_printf(m, "version:        %u.%u\n", T1_VERSION_MAJOR(readl(&tp->version)),
		   T1_VERSION_MINOR(readl(&tp->version)));
	seq_printf(m, "state:          %u (%s)\n", readl(&tp->state),
		   readl(&tp->state) == T1_IVSHMEM_STATE_RUNNING ? "running" :
		   readl(&tp->state) == T1_IVSHMEM_STATE_STOPPED ? "stopped" : "?");
	seq_printf(m, "server peer:    %u\n", readl(&tp->server_peer_id));
	seq_printf(m, "heartbeat:      %llu (last change %u ms ago)\n", readq(&tp->heartbeat),
		   jiffies_to_msecs(jiffies - tdev->heartbeat_jiffies));
	seq_printf(m, "rwq entries:    %u\n", readl(&tp->rwq_entries));
	seq_printf(m, "rwq head:       %llu (driver %llu)\n", readq(&tp->rwq_head),
		   tdev->rwq_head);
	seq_printf(m, "rwq tail:       %llu\n", readq(&tp->rwq_tail));
	seq_printf(m, "rwq dropped:    %llu\n", readq(&tp->rwq_dropped));
	seq_printf(m, "device memory:  %llu MiB, %llu MiB free\n", tdev->mem_size >> 20,
		   tessera_dmem_free_bytes(tdev) >> 20);
	seq_printf(m, "device lost:    %s\n", tessera_is_lost(tdev) ? "yes" : "no");
	drm_dev_exit(idx);
	return 0;
}

static int tessera_debugfs_peers(struct seq_file *m, void *unused)
{
	tessera_peer_debugfs_show(m, tessera_debugfs_tdev(m));
	return 0;
}

static const struct drm_info_list tessera_debugfs_list[] = {
	{ "queues", tessera_debugfs_queues, 0 },
	{ "faults", tessera_debugfs_faults, 0 },
	{ "transport", tessera_debugfs_transport, 0 },
	{ "peers", tessera_debugfs_peers, 0 },
};

void tessera_debugfs_init(struct drm_minor *minor)
{
	drm_debugfs_create_files(tessera_debugfs_list, ARRAY_SIZE(tessera_debugfs_list),
				 minor->debugfs_root, minor);
}
