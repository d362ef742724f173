// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: the ivshmem transport.
 *
 * The register page lives in QEMU ivshmem shared memory, which has no write
 * side effects, so every register write is posted to the register-write
 * queue (RWQ) of the transport block and the emulator is woken through the
 * ivshmem doorbell (include/tessera/hw/t1_ivshmem.h). Reads are plain loads.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/delay.h>
#include <linux/jiffies.h>

#include "tessera_hw.h"
#include "tessera_irq.h"

#define TESSERA_HEARTBEAT_PERIOD_MS 100

static int tessera_hw_post(struct tessera_device *tdev, u32 off, u32 width, u64 val)
{
	struct t1_ivshmem_transport __iomem *tp = tdev->tp;
	unsigned long deadline = jiffies + msecs_to_jiffies(T1_IVSHMEM_DEAD_MS);
	unsigned long flags;
	u64 head;
	u32 slot;

	might_sleep();
	for (;;) {
		if (tessera_is_lost(tdev))
			return -ENODEV;
		spin_lock_irqsave(&tdev->rwq_lock, flags);
		head = tdev->rwq_head;
		/* Re-read the tail only when the cached one says full. */
		if (head - tdev->rwq_tail_seen >= tdev->rwq_entries)
			tdev->rwq_tail_seen = readq(&tp->rwq_tail);
		if (head - tdev->rwq_tail_seen < tdev->rwq_entries)
			break;
		spin_unlock_irqrestore(&tdev->rwq_lock, flags);
		if (time_after(jiffies, deadline)) {
			tessera_device_lost(tdev, "register writes not applied in time (RWQ full)");
			return -ENODEV;
		}
		tessera_hw_kick(tdev);
		usleep_range(50, 200);
	}
	slot = head % tdev->rwq_entries;
	writel(off, &tp->rwq[slot].offset);
	writel(width, &tp->rwq[slot].width);
	writeq(val, &tp->rwq[slot].value);
	/* The entry (and everything the write publishes, e.g. ring packets in
	 * device memory) must be visible before the new head. */
	wmb();
	tdev->rwq_head = head + 1;
	writeq(head + 1, &tp->rwq_head);
	spin_unlock_irqrestore(&tdev->rwq_lock, flags);
	return 0;
}

int tessera_hw_post32(struct tessera_device *tdev, u32 off, u32 val)
{
	return tessera_hw_post(tdev, off, 4, val);
}

int tessera_hw_post64(struct tessera_device *tdev, u32 off, u64 val)
{
	return tessera_hw_post(tdev, off, 8, val);
}

void tessera_hw_kick(struct tessera_device *tdev)
{
	if (tessera_is_lost(tdev))
		return;
	/* The head store must reach shared memory before the doorbell. */
	wmb();
	writel((tdev->server_peer << 16) | T1_IVSHMEM_VEC_RWQ,
	       tdev->bar0 + T1_IVSHMEM_DOORBELL_REG);
}

int tessera_hw_wr32(struct tessera_device *tdev, u32 off, u32 val)
{
	int ret = tessera_hw_post32(tdev, off, val);

	if (!ret)
		tessera_hw_kick(tdev);
	return ret;
}

int tessera_hw_wr64(struct tessera_device *tdev, u32 off, u64 val)
{
	int ret = tessera_hw_post64(tdev, off, val);

	if (!ret)
		tessera_hw_kick(tdev);
	return ret;
}

int tessera_hw_sync(struct tessera_device *tdev)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(T1_IVSHMEM_DEAD_MS);
	unsigned long flags;
	unsigned int spins = 0;
	u64 target, tail;

	might_sleep();
	spin_lock_irqsave(&tdev->rwq_lock, flags);
	target = tdev->rwq_head;
	spin_unlock_irqrestore(&tdev->rwq_lock, flags);

	for (;;) {
		if (tessera_is_lost(tdev))
			return -ENODEV;
		tail = readq(&tdev->tp->rwq_tail);
		if ((s64)(tail - target) >= 0)
			return 0;
		if (time_after(jiffies, deadline)) {
			tessera_device_lost(tdev, "register writes not applied in time");
			return -ENODEV;
		}
		/* The emulator usually answers within microseconds. */
		if (++spins < 20)
			udelay(2);
		else
			usleep_range(20, 100);
	}
}

int tessera_hw_poll32(struct tessera_device *tdev, u32 off, u32 mask, u32 want)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(T1_IVSHMEM_DEAD_MS);
	unsigned int spins = 0;

	might_sleep();
	for (;;) {
		if (tessera_is_lost(tdev))
			return -ENODEV;
		if ((tessera_rd32(tdev, off) & mask) == want)
			return 0;
		if (time_after(jiffies, deadline))
			return -ETIMEDOUT;
		if (++spins < 20)
			udelay(2);
		else
			usleep_range(20, 100);
	}
}

/* Checks the transport block the server wrote: not a T1 -> -ENODEV. */
int tessera_hw_transport_init(struct tessera_device *tdev)
{
	struct t1_ivshmem_transport __iomem *tp = tdev->tp;
	struct device *dev = &tdev->pdev->dev;
	u32 magic = readl(&tp->magic);
	u32 version = readl(&tp->version);
	u64 mem_offset, mem_size;

	if (magic != T1_IVSHMEM_MAGIC) {
		dev_info(dev, "ivshmem device without a T1 transport (magic %#x), not ours\n",
			 magic);
		return -ENODEV;
	}
	if (T1_VERSION_MAJOR(version) != T1_VERSION_MAJOR(T1_IVSHMEM_VERSION)) {
		dev_info(dev, "T1 transport version %u.%u, driver speaks %u.%u\n",
			 T1_VERSION_MAJOR(version), T1_VERSION_MINOR(version),
			 T1_VERSION_MAJOR(T1_IVSHMEM_VERSION),
			 T1_VERSION_MINOR(T1_IVSHMEM_VERSION));
		return -ENODEV;
	}
	if (readl(&tp->state) != T1_IVSHMEM_STATE_RUNNING) {
		dev_info(dev, "T1 transport: the emulator is not running (state %u)\n",
			 readl(&tp->state));
		return -ENODEV;
	}
	if (tessera_rd32(tdev, T1_REG_SIGNATURE) != T1_SIGNATURE) {
		dev_info(dev, "no T1 register page (signature %#x)\n",
			 tessera_rd32(tdev, T1_REG_SIGNATURE));
		return -ENODEV;
	}

	tdev->server_peer = readl(&tp->server_peer_id);
	tdev->rwq_entries = readl(&tp->rwq_entries);
	if (tdev->rwq_entries == 0 || tdev->rwq_entries > T1_IVSHMEM_RWQ_ENTRIES) {
		dev_err(dev, "T1 transport: bad RWQ size %u\n", tdev->rwq_entries);
		return -EINVAL;
	}
	mem_offset = readq(&tp->mem_offset);
	mem_size = readq(&tp->mem_size);
	if (mem_offset != T1_IVSHMEM_MEM_OFFSET || mem_size == 0 ||
	    mem_size & (T1_PAGE_SIZE - 1) || mem_size > T1_MAX_MEM_SIZE ||
	    mem_size > tdev->shm_len - mem_offset ||
	    mem_size != tessera_rd64(tdev, T1_REG_MEM_SIZE)) {
		dev_err(dev, "T1 transport: device memory %#llx+%#llx does not fit the %pa byte BAR (MEM_SIZE %#llx)\n",
			mem_offset, mem_size, &tdev->shm_len,
			tessera_rd64(tdev, T1_REG_MEM_SIZE));
		return -EINVAL;
	}
	tdev->mem_size = mem_size;

	/* Continue after whatever an earlier driver instance posted. */
	tdev->rwq_head = readq(&tp->rwq_head);
	tdev->rwq_tail_seen = readq(&tp->rwq_tail);
	if (tdev->rwq_tail_seen > tdev->rwq_head) {
		dev_err(dev, "T1 transport: RWQ tail %llu beyond head %llu\n",
			tdev->rwq_tail_seen, tdev->rwq_head);
		return -EINVAL;
	}
	/* A transport left behind by an emulator that died says RUNNING
	 * too: wait for one heartbeat. */
	tdev->heartbeat_last = readq(&tp->heartbeat);
	tdev->heartbeat_jiffies = jiffies;
	while (readq(&tp->heartbeat) == tdev->heartbeat_last) {
		if (time_after(jiffies, tdev->heartbeat_jiffies +
			       msecs_to_jiffies(T1_IVSHMEM_DEAD_MS))) {
			dev_info(dev, "T1 transport: the emulator is not responding (no heartbeat for %u ms)\n",
				 T1_IVSHMEM_DEAD_MS);
			return -ENODEV;
		}
		usleep_range(1000, 2000);
	}
	tdev->heartbeat_last = readq(&tp->heartbeat);
	tdev->heartbeat_jiffies = jiffies;
	return 0;
}

int tessera_hw_reset(struct tessera_device *tdev)
{
	int ret;

	ret = tessera_hw_wr32(tdev, T1_REG_RESET, 1);
	if (!ret)
		ret = tessera_hw_sync(tdev);
	if (!ret)
		ret = tessera_hw_poll32(tdev, T1_REG_RESET, 1, 0);
	if (ret)
		dev_err(&tdev->pdev->dev, "T1 reset did not complete (%d)\n", ret);
	return ret;
}

int tessera_hw_handshake(struct tessera_device *tdev)
{
	struct device *dev = &tdev->pdev->dev;
	u32 hs, dv;
	int ret;

	/* The device answers when it applies the write: after the sync. */
	ret = tessera_hw_wr32(tdev, T1_REG_DRV_VERSION, T1_HW_VERSION);
	if (!ret)
		ret = tessera_hw_sync(tdev);
	hs = tessera_rd32(tdev, T1_REG_HANDSHAKE);
	dv = T1_HANDSHAKE_VERSION(hs);
	tdev->hw_version_device = dv ? dv : tessera_rd32(tdev, T1_REG_HW_VERSION);
	if (ret || !(hs & T1_HANDSHAKE_ACK)) {
		dev_err(dev, "T1 version handshake refused: device speaks %u.%u, driver speaks %u.%u (HANDSHAKE %#x)\n",
			T1_VERSION_MAJOR(tdev->hw_version_device),
			T1_VERSION_MINOR(tdev->hw_version_device),
			T1_HW_VERSION_MAJOR, T1_HW_VERSION_MINOR, hs);
		return -ENODEV;
	}
	tdev->hw_version = T1_VERSION(T1_HW_VERSION_MAJOR,
				      min_t(u32, T1_HW_VERSION_MINOR,
					    T1_VERSION_MINOR(tdev->hw_version_device)));
	return 0;
}

void tessera_hw_read_ident(struct tessera_device *tdev)
{
	u32 l;

	tdev->device_id = tessera_rd32(tdev, T1_REG_DEVICE_ID);
	tdev->revision = tessera_rd32(tdev, T1_REG_REVISION);
	tdev->caps = tessera_rd64(tdev, T1_REG_CAPS);
	tdev->num_tiles = tessera_rd32(tdev, T1_REG_NUM_TILES);
	tdev->threads_per_tile = tessera_rd32(tdev, T1_REG_THREADS_PER_TILE);
	tdev->warp_size = tessera_rd32(tdev, T1_REG_WARP_SIZE);
	tdev->scratchpad_size = tessera_rd32(tdev, T1_REG_SCRATCHPAD_SIZE);
	tdev->num_queues = min_t(u32, tessera_rd32(tdev, T1_REG_NUM_QUEUES), T1_MAX_QUEUES);
	tdev->num_links = min_t(u32, tessera_rd32(tdev, T1_REG_NUM_LINKS), T1_MAX_LINKS);
	tdev->num_contexts = tessera_rd32(tdev, T1_REG_NUM_CONTEXTS);
	tdev->clock_khz = tessera_rd32(tdev, T1_REG_CLOCK_KHZ);
	tdev->device_index = tessera_rd32(tdev, T1_REG_DEVICE_INDEX);
	/* The topology is fixed: read it once. */
	for (l = 0; l < tdev->num_links; l++)
		tdev->link_peer[l] = tessera_rd32(tdev, T1_REG_LINK(l) + T1_LREG_PEER_DEVICE);
}

/*
 * The emulator increments the heartbeat every T1_IVSHMEM_HEARTBEAT_MS. A
 * heartbeat that stands still for T1_IVSHMEM_DEAD_MS, a stopped server or a
 * vanished transport is a lost device. The watch also polls the queues, so
 * a lost interrupt delays a completion instead of hanging it.
 */
static void tessera_hw_heartbeat_work(struct work_struct *work)
{
	struct tessera_device *tdev =
		container_of(to_delayed_work(work), struct tessera_device, heartbeat_work);
	struct t1_ivshmem_transport __iomem *tp = tdev->tp;
	u64 hb;

	if (tessera_is_lost(tdev))
		return;
	if (readl(&tp->magic) != T1_IVSHMEM_MAGIC) {
		tessera_device_lost(tdev, "the transport block vanished");
		return;
	}
	if (readl(&tp->state) == T1_IVSHMEM_STATE_STOPPED) {
		tessera_device_lost(tdev, "the emulator stopped");
		return;
	}
	hb = readq(&tp->heartbeat);
	if (hb != tdev->heartbeat_last) {
		tdev->heartbeat_last = hb;
		tdev->heartbeat_jiffies = jiffies;
	} else if (time_after(jiffies, tdev->heartbeat_jiffies +
			      msecs_to_jiffies(T1_IVSHMEM_DEAD_MS))) {
		tessera_device_lost(tdev, "the emulator's heartbeat stopped");
		return;
	}
	tessera_irq_poll(tdev);
	queue_delayed_work(tdev->wq, &tdev->heartbeat_work,
			   msecs_to_jiffies(TESSERA_HEARTBEAT_PERIOD_MS));
}

void tessera_hw_heartbeat_start(struct tessera_device *tdev)
{
	INIT_DELAYED_WORK(&tdev->heartbeat_work, tessera_hw_heartbeat_work);
	tdev->heartbeat_jiffies = jiffies;
	queue_delayed_work(tdev->wq, &tdev->heartbeat_work,
			   msecs_to_jiffies(TESSERA_HEARTBEAT_PERIOD_MS));
}

void tessera_hw_heartbeat_stop(struct tessera_device *tdev)
{
	cancel_delayed_work_sync(&tdev->heartbeat_work);
}
