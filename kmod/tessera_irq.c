// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: interrupts and fault records.
 *
 * T1 vector v arrives as ivshmem MSI-X vector v (t1_ivshmem.h). Every
 * handler runs in a thread and takes tdev->irq_lock, so the steps below
 * never interleave:
 *   vector 0 (completion) and 2 (queue error): acknowledge INT_STATUS and
 *     QUEUE_INT_STATUS, retire finished jobs, stop queues in error;
 *   vector 1 (fault): read records FAULT_ACK..FAULT_COUNT-1 from the
 *     register page, hand each to the client owning its context, write
 *     FAULT_ACK;
 *   vector 3 (link): acknowledge only.
 * Because W1C writes are posted (applied asynchronously), a handler never
 * trusts the status bits alone: it looks at every queue that has work. And
 * faults are read before queue errors, so a fault record can still be
 * translated to the failing job's packet numbering.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/interrupt.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <drm/drm_file.h>
#include <drm/drm_print.h>

#include "tessera_drm.h"
#include "tessera_hw.h"
#include "tessera_irq.h"
#include "tessera_queue.h"

const char *tessera_fault_cause_name(u32 cause)
{
	static const char *const names[T1_FAULT_CAUSE_COUNT] = {
		[T1_FAULT_NONE] = "none",
		[T1_FAULT_UNMAPPED] = "unmapped",
		[T1_FAULT_PERMISSION] = "permission",
		[T1_FAULT_MISALIGNED] = "misaligned",
		[T1_FAULT_SHARED_BOUNDS] = "shared-bounds",
		[T1_FAULT_ILLEGAL_INSN] = "illegal-instruction",
		[T1_FAULT_BREAKPOINT] = "breakpoint",
		[T1_FAULT_ECALL] = "ecall",
		[T1_FAULT_BAD_PAGE_TABLE] = "bad-page-table",
		[T1_FAULT_PHYS_RANGE] = "physical-range",
		[T1_FAULT_BARRIER] = "barrier",
		[T1_FAULT_WATCHDOG] = "watchdog",
		[T1_FAULT_BAD_PACKET] = "bad-packet",
		[T1_FAULT_QUEUE_MEMORY] = "queue-memory",
		[T1_FAULT_ABORTED] = "aborted",
	};

	return cause < T1_FAULT_CAUSE_COUNT ? names[cause] : "unknown";
}

static void tessera_fault_deliver(struct tessera_device *tdev, const struct t1_fault_record *rec)
{
	struct t1_fault_record copy = *rec;
	struct tessera_client *client;
	struct tessera_queue *q;
	unsigned long flags;
	u32 slot;

	spin_lock_irqsave(&tdev->fault_lock, flags);
	tdev->recent[tdev->faults_total % TESSERA_DEVICE_FAULTS] = *rec;
	tdev->faults_total++;
	spin_unlock_irqrestore(&tdev->fault_lock, flags);

	drm_dbg_driver(&tdev->drm, "fault %u: %s, context %u queue %u packet %llu address %#llx pc %#llx\n",
		       rec->sequence, tessera_fault_cause_name(rec->cause), rec->context,
		       rec->queue, rec->packet_index, rec->address, rec->pc);

	xa_lock(&tdev->ctx_clients);
	client = xa_load(&tdev->ctx_clients, rec->context);
	if (client && !kref_get_unless_zero(&client->ref))
		client = NULL;
	xa_unlock(&tdev->ctx_clients);
	if (!client)
		return;

	/* The client knows its own queue ids and packet numbering only. */
	if (rec->flags & T1_FAULT_FLAG_PACKET) {
		q = tessera_queue_get_hw(tdev, rec->queue);
		if (q && q->client == client) {
			copy.queue = q->id;
			copy.packet_index = tessera_queue_client_index(q, rec->packet_index);
		}
		if (q)
			tessera_queue_put(q);
	}

	spin_lock_irqsave(&client->fault_lock, flags);
	if (client->fault_count == TESSERA_CLIENT_FAULTS) {
		client->fault_count--;
		client->fault_lost++;
	}
	slot = client->fault_total % TESSERA_CLIENT_FAULTS;
	client->faults[slot] = copy;
	client->fault_total++;
	client->fault_count++;
	spin_unlock_irqrestore(&client->fault_lock, flags);

	tessera_client_event(client);
	tessera_client_put(client);
}

static void tessera_faults_process(struct tessera_device *tdev)
{
	u32 count = tessera_rd32(tdev, T1_REG_FAULT_COUNT);
	u32 next = tdev->fault_next;
	struct t1_fault_record rec;
	u32 lost = 0;

	if (count == next)
		return;
	if (count - next > T1_FAULT_RING_ENTRIES) {
		lost += count - next - T1_FAULT_RING_ENTRIES;
		next = count - T1_FAULT_RING_ENTRIES;
	}
	while ((s32)(count - next) > 0) {
		memcpy_fromio(&rec, tdev->regs + T1_REG_FAULT_SLOT(next % T1_FAULT_RING_ENTRIES),
			      sizeof(rec));
		if (rec.sequence != next) {
			/* Overwritten by a newer record: the ones between are gone. */
			if ((s32)(rec.sequence - next) < 0)
				break;
			lost += rec.sequence - next;
			next = rec.sequence;
			if ((s32)(next - count) >= 0)
				count = next + 1;
		}
		tessera_fault_deliver(tdev, &rec);
		next++;
	}
	if (lost)
		dev_warn_ratelimited(tdev->drm.dev, "%u fault records were overwritten before they were read\n",
				     lost);
	tdev->fault_next = next;
	tessera_hw_wr32(tdev, T1_REG_FAULT_ACK, next);
}

static void tessera_irq_process(struct tessera_device *tdev)
{
	struct tessera_queue *q;
	u32 status, i;
	u64 qbits;

	mutex_lock(&tdev->irq_lock);
	if (tessera_is_lost(tdev))
		goto out;
	/* Acknowledge before handling, so an event meanwhile is not lost. */
	status = tessera_rd32(tdev, T1_REG_INT_STATUS);
	qbits = tessera_rd64(tdev, T1_REG_QUEUE_INT_STATUS);
	if (status)
		tessera_hw_post32(tdev, T1_REG_INT_STATUS, status);
	if (qbits)
		tessera_hw_post64(tdev, T1_REG_QUEUE_INT_STATUS, qbits);
	if (status || qbits)
		tessera_hw_kick(tdev);

	tessera_faults_process(tdev);
	for (i = 0; i < tdev->num_queues; i++) {
		q = tessera_queue_get_hw(tdev, i);
		if (!q)
			continue;
		tessera_queue_process(q);
		tessera_queue_check_error(q);
		tessera_queue_put(q);
	}
out:
	mutex_unlock(&tdev->irq_lock);
}

void tessera_irq_poll(struct tessera_device *tdev)
{
	tessera_irq_process(tdev);
}

static irqreturn_t tessera_irq_thread(int irq, void *arg)
{
	tessera_irq_process(arg);
	return IRQ_HANDLED;
}

static irqreturn_t tessera_irq_link_thread(int irq, void *arg)
{
	struct tessera_device *tdev = arg;

	/* Links are not managed by the driver yet: acknowledge only. */
	if (!tessera_is_lost(tdev))
		tessera_hw_wr32(tdev, T1_REG_INT_STATUS, T1_INT_BIT(T1_VEC_LINK));
	return IRQ_HANDLED;
}

int tessera_irq_init(struct tessera_device *tdev)
{
	struct pci_dev *pdev = tdev->pdev;
	int ret, v;

	mutex_init(&tdev->irq_lock);
	ret = pci_alloc_irq_vectors(pdev, T1_NUM_VECTORS, T1_NUM_VECTORS, PCI_IRQ_MSIX);
	if (ret < 0) {
		dev_err(&pdev->dev, "need %u MSI-X vectors (ivshmem-doorbell vectors=%u): %d\n",
			T1_NUM_VECTORS, T1_IVSHMEM_VECTORS, ret);
		return ret;
	}
	for (v = 0; v < T1_NUM_VECTORS; v++) {
		ret = request_threaded_irq(pci_irq_vector(pdev, v), NULL,
					   v == T1_VEC_LINK ? tessera_irq_link_thread :
							      tessera_irq_thread,
					   IRQF_ONESHOT, TESSERA_DRIVER_NAME, tdev);
		if (ret) {
			dev_err(&pdev->dev, "cannot request MSI-X vector %d: %d\n", v, ret);
			goto err;
		}
		tdev->irqs = v + 1;
	}
	return 0;
err:
	tessera_irq_fini(tdev);
	return ret;
}

void tessera_irq_fini(struct tessera_device *tdev)
{
	int v;

	for (v = 0; v < tdev->irqs; v++)
		free_irq(pci_irq_vector(tdev->pdev, v), tdev);
	tdev->irqs = 0;
	pci_free_irq_vectors(tdev->pdev);
}

int tessera_ioctl_get_faults(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_get_faults *args = data;
	struct t1_fault_record *buf = NULL;
	unsigned long flags;
	u64 first;
	u32 n, i;

	BUILD_BUG_ON(sizeof(struct t1_fault_record) != DRM_TESSERA_FAULT_RECORD_SIZE);
	if (args->size != sizeof(*args) || args->flags)
		return -EINVAL;
	n = min_t(u32, args->count, TESSERA_CLIENT_FAULTS);
	if (n) {
		buf = kmalloc_array(n, sizeof(*buf), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}

	/* Serialise readers; the interrupt thread only appends. */
	mutex_lock(&client->fault_read_lock);
	spin_lock_irqsave(&client->fault_lock, flags);
	first = client->fault_total - client->fault_count;
	n = min(n, client->fault_count);
	for (i = 0; i < n; i++)
		buf[i] = client->faults[(first + i) % TESSERA_CLIENT_FAULTS];
	spin_unlock_irqrestore(&client->fault_lock, flags);

	if (n && copy_to_user(u64_to_user_ptr(args->records_ptr), buf, n * sizeof(*buf))) {
		mutex_unlock(&client->fault_read_lock);
		kfree(buf);
		return -EFAULT;
	}

	spin_lock_irqsave(&client->fault_lock, flags);
	/* Records copied may have been pushed out meanwhile: consume up to
	 * the last one copied, whatever is left of them. */
	if (client->fault_total - client->fault_count < first + n)
		client->fault_count = client->fault_total - (first + n);
	args->lost = client->fault_lost;
	client->fault_lost = 0;
	spin_unlock_irqrestore(&client->fault_lock, flags);
	mutex_unlock(&client->fault_read_lock);

	args->count = n;
	kfree(buf);
	return 0;
}
