// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: peer attachments.
 *
 * A DMA_COPY with T1_DMA_FLAG_PEER writes into context `peer_context` of
 * the chip at fabric index `peer_device`, translated by that chip's MMU.
 * PEER_ATTACH lets a client name the context of the client behind an open
 * file of another, directly linked chip; SUBMIT accepts only the pairs the
 * client attached. Each driver instance serves one chip; the instances
 * share the module-wide list of attachments below.
 *
 * Lifetime. An attachment holds a reference to the peer's context id
 * (struct tessera_ctx), never to the peer's file: two clients attached to
 * each other must not keep each other open.
 *  - The peer closes: its context entry is cleared and its page tables and
 *    BOs go as for any close (peer copies into it fault as UNMAPPED), but
 *    its id stays taken until every client that attached it has closed, so
 *    the id never names another client's context meanwhile.
 *  - The peer's translations change (VM_UNMAP, queue destroy, close):
 *    after the TLB invalidation it waits for the jobs that attached clients
 *    had on their rings, as it does for its own, before memory is freed.
 *  - The attacher closes: its queues stop first, then the attachments go.
 *  - The peer chip's driver goes away (unbind): the attachers' queues stop
 *    and their later peer SUBMITs fail, since a new driver instance hands
 *    the same ids out again.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/file.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>

#include "tessera_drm.h"
#include "tessera_mmu.h"
#include "tessera_peer.h"
#include "tessera_queue.h"

struct tessera_peer_attach {
	struct list_head client_link;	/* client->peers, under client->peer_lock */
	struct list_head link;		/* tessera_peer_list, under tessera_peer_lock */
	struct tessera_client *client;	/* the attacher, which detaches before it goes */
	struct tessera_ctx *ctx;	/* the peer's context id (a reference) */
	u32 device;			/* fabric index of ctx's chip */
};

/* Protects tessera_peer_list and tessera_peer_devices (innermost but for
 * the allocator; never held while waiting for a device or a job). */
static DEFINE_MUTEX(tessera_peer_lock);
static LIST_HEAD(tessera_peer_list);
static LIST_HEAD(tessera_peer_devices);

/* Peer copies to tdev's chip are allowed only while its driver serves it. */
static bool tessera_peer_reachable(struct tessera_device *tdev)
{
	return !tessera_is_lost(tdev) && !drm_dev_is_unplugged(&tdev->drm);
}

static bool tessera_peer_linked(struct tessera_device *tdev, u32 index)
{
	u32 l;

	for (l = 0; l < tdev->num_links; l++)
		if (tdev->link_peer[l] == index)
			return true;
	return false;
}

/* Another served chip with the same fabric index (two fabrics in one
 * machine): a packet could not tell the two apart. */
static bool tessera_peer_ambiguous(struct tessera_device *ptdev)
{
	struct tessera_device *other;
	bool dup = false;

	mutex_lock(&tessera_peer_lock);
	list_for_each_entry(other, &tessera_peer_devices, peer_link)
		if (other != ptdev && other->device_index == ptdev->device_index &&
		    !tessera_is_lost(other))
			dup = true;
	mutex_unlock(&tessera_peer_lock);
	return dup;
}

/* Records (ptdev, peer's context) in client's list, once. */
static int tessera_peer_add(struct tessera_client *client, struct tessera_device *ptdev,
			    struct tessera_client *peer, struct drm_tessera_peer_attach *args)
{
	struct tessera_peer_attach *a;
	int ret = 0;

	mutex_lock(&client->peer_lock);
	list_for_each_entry(a, &client->peers, client_link)
		if (a->ctx == peer->ctx)
			goto out;
	if (client->npeers >= TESSERA_MAX_PEER_ATTACH) {
		ret = -ENOSPC;
		goto unlock;
	}
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a) {
		ret = -ENOMEM;
		goto unlock;
	}
	a->client = client;
	a->ctx = tessera_ctx_get(peer->ctx);
	a->device = ptdev->device_index;
	mutex_lock(&tessera_peer_lock);
	atomic_inc(&a->ctx->attachers);
	list_add_tail(&a->link, &tessera_peer_list);
	mutex_unlock(&tessera_peer_lock);
	list_add_tail(&a->client_link, &client->peers);
	client->npeers++;
out:
	args->peer_device = a->device;
	args->peer_context = a->ctx->id;
unlock:
	mutex_unlock(&client->peer_lock);
	return ret;
}

int tessera_ioctl_peer_attach(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_peer_attach *args = data;
	struct tessera_device *ptdev;
	struct drm_file *pfile;
	struct fd f;
	int idx, ret;

	if (args->size != sizeof(*args) || args->flags || args->reserved)
		return -EINVAL;
	f = fdget(args->peer_fd);
	if (!f.file)
		return -EINVAL;
	/* A render node file of tessera, of another chip. The file reference
	 * keeps the peer client alive while we look at it. */
	ret = -EINVAL;
	pfile = tessera_drm_file(f.file);
	if (!pfile || !drm_is_render_client(pfile) || !pfile->driver_priv)
		goto out_fd;
	ptdev = to_tdev(pfile->minor->dev);
	if (ptdev == tdev)
		goto out_fd;
	ret = -ENODEV;
	if (!drm_dev_enter(&ptdev->drm, &idx))
		goto out_fd;
	if (tessera_is_lost(ptdev))
		goto out_exit;
	ret = -ENOLINK;
	if (!tessera_peer_linked(tdev, ptdev->device_index) || tessera_peer_ambiguous(ptdev))
		goto out_exit;
	ret = tessera_peer_add(client, ptdev, pfile->driver_priv, args);
out_exit:
	drm_dev_exit(idx);
out_fd:
	fdput(f);
	return ret;
}

int tessera_peer_check(struct tessera_client *client, u32 device, u32 context)
{
	struct tessera_peer_attach *a;
	int ret = -EPERM;

	mutex_lock(&client->peer_lock);
	list_for_each_entry(a, &client->peers, client_link) {
		if (a->device != device || a->ctx->id != context)
			continue;
		if (tessera_peer_reachable(a->ctx->tdev)) {
			ret = 0;
			break;
		}
		ret = -ENOLINK;	/* a chip whose driver went; another may match */
	}
	mutex_unlock(&client->peer_lock);
	return ret;
}

void tessera_peer_detach_all(struct tessera_client *client)
{
	struct tessera_peer_attach *a, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&client->peer_lock);
	mutex_lock(&tessera_peer_lock);
	list_for_each_entry(a, &client->peers, client_link) {
		list_del(&a->link);
		atomic_dec(&a->ctx->attachers);
	}
	mutex_unlock(&tessera_peer_lock);
	list_splice_init(&client->peers, &gone);
	client->npeers = 0;
	mutex_unlock(&client->peer_lock);

	/* The last reference to a context id returns it to its chip's IDA. */
	list_for_each_entry_safe(a, tmp, &gone, client_link) {
		tessera_ctx_put(a->ctx);
		kfree(a);
	}
}

/* ---- Acting on the clients attached to a context or a chip ---------------- */

static bool tessera_peer_match(struct tessera_peer_attach *a, struct tessera_ctx *ctx,
			       struct tessera_device *tdev)
{
	return ctx ? a->ctx == ctx : a->ctx->tdev == tdev;
}

/*
 * Calls fn for every client attached to ctx (or, with ctx NULL, to a
 * context of tdev), with a reference to the client and without
 * tessera_peer_lock, since fn may wait for jobs. Attachers that come later
 * are not visited: their jobs see the state the caller has already set up.
 */
static void tessera_peer_each_attacher(struct tessera_ctx *ctx, struct tessera_device *tdev,
				       void (*fn)(struct tessera_client *client))
{
	struct tessera_client **clients;
	struct tessera_peer_attach *a;
	unsigned int n = 0, i;

	mutex_lock(&tessera_peer_lock);
	list_for_each_entry(a, &tessera_peer_list, link)
		n += tessera_peer_match(a, ctx, tdev);
	if (!n) {
		mutex_unlock(&tessera_peer_lock);
		return;
	}
	clients = kmalloc_array(n, sizeof(*clients), GFP_KERNEL);
	if (!clients) {
		/* Still correct, only slower for everyone else: attachments
		 * wait meanwhile, and fn never takes tessera_peer_lock. */
		list_for_each_entry(a, &tessera_peer_list, link)
			if (tessera_peer_match(a, ctx, tdev))
				fn(a->client);
		mutex_unlock(&tessera_peer_lock);
		return;
	}
	n = 0;
	list_for_each_entry(a, &tessera_peer_list, link)
		if (tessera_peer_match(a, ctx, tdev))
			clients[n++] = tessera_client_get(a->client);
	mutex_unlock(&tessera_peer_lock);

	for (i = 0; i < n; i++) {
		fn(clients[i]);
		tessera_client_put(clients[i]);
	}
	kfree(clients);
}

/* The client's jobs already on a ring retire (a killed caller stops them). */
static void tessera_peer_wait_rings(struct tessera_client *client)
{
	struct tessera_queue *qs[TESSERA_MAX_CLIENT_QUEUES];
	unsigned int n, i;

	n = tessera_queues_get_all(client, qs);
	for (i = 0; i < n; i++) {
		tessera_queue_wait_ring_idle(qs[i]);
		tessera_queue_put(qs[i]);
	}
}

void tessera_peer_quiesce(struct tessera_ctx *ctx)
{
	/* Pairs with the locked increment in tessera_peer_add(): an attacher
	 * that is not counted yet has no job that walked the old tables. */
	smp_mb();
	if (!atomic_read(&ctx->attachers))
		return;
	tessera_peer_each_attacher(ctx, NULL, tessera_peer_wait_rings);
}

/* Every queue of the client stops; its unfinished jobs fail with -EIO. */
static void tessera_peer_stop_queues(struct tessera_client *client)
{
	struct tessera_queue *qs[TESSERA_MAX_CLIENT_QUEUES];
	unsigned int n, i;

	n = tessera_queues_get_all(client, qs);
	for (i = 0; i < n; i++) {
		tessera_queue_fail(qs[i], DRM_TESSERA_QUEUE_STATE_ERROR, -EIO, T1_FAULT_ABORTED,
				   U64_MAX);
		tessera_queue_put(qs[i]);
	}
}

void tessera_peer_device_add(struct tessera_device *tdev)
{
	mutex_lock(&tessera_peer_lock);
	list_add_tail(&tdev->peer_link, &tessera_peer_devices);
	mutex_unlock(&tessera_peer_lock);
}

void tessera_peer_device_remove(struct tessera_device *tdev)
{
	mutex_lock(&tessera_peer_lock);
	list_del_init(&tdev->peer_link);
	mutex_unlock(&tessera_peer_lock);
	tessera_peer_each_attacher(NULL, tdev, tessera_peer_stop_queues);
}

/* debugfs "peers": the links, then each client's context and attachments. */
void tessera_peer_debugfs_show(struct seq_file *m, struct tessera_device *tdev)
{
	struct tessera_peer_attach *a;
	struct tessera_client *client;
	u32 l;

	seq_printf(m, "fabric index %u, %u links:", tdev->device_index, tdev->num_links);
	for (l = 0; l < tdev->num_links; l++)
		seq_printf(m, " %u", tdev->link_peer[l]);
	seq_printf(m, "\n%6s %4s %8s  %s\n", "client", "ctx", "attached", "attaches (chip:context)");
	mutex_lock(&tdev->clients_lock);
	list_for_each_entry(client, &tdev->clients, link) {
		seq_printf(m, "%6llu %4u %8d ", client->id, client->ctx_id,
			   atomic_read(&client->ctx->attachers));
		mutex_lock(&client->peer_lock);
		list_for_each_entry(a, &client->peers, client_link)
			seq_printf(m, " %u:%u%s", a->device, a->ctx->id,
				   tessera_peer_reachable(a->ctx->tdev) ? "" : "(gone)");
		mutex_unlock(&client->peer_lock);
		seq_putc(m, '\n');
	}
	mutex_unlock(&tdev->clients_lock);
}
