// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: contexts and their address spaces.
 *
 * Every open file gets a context id (1..NUM_CONTEXTS-1, from an IDA) and an
 * Sv48 page table in device memory (include/tessera/hw/t1_mmu.h): 4 KiB
 * leaves, and 2 MiB leaves wherever the VA and the physical address are
 * both 2 MiB aligned. A drm_mm over the client's VA range finds mappings
 * and rejects overlaps. The driver's own per-client area [2 GiB, 4 GiB)
 * (queue rings and fences) lies below what user space may map.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_gem.h>

#include <tessera/hw/t1_isa.h>

#include "tessera_drm.h"
#include "tessera_gem.h"
#include "tessera_hw.h"
#include "tessera_mmu.h"
#include "tessera_peer.h"
#include "tessera_queue.h"

/* One user mapping: [node.start, node.start + node.size) of the context. */
struct tessera_mapping {
	struct drm_mm_node node;
	struct drm_gem_object *obj;	/* reference held while mapped */
	u64 bo_offset;
	u32 flags;			/* DRM_TESSERA_VM_* */
};

static u64 tessera_ctx_entry_pa(struct tessera_device *tdev, u32 ctx)
{
	return tdev->ctx_table.start + (u64)ctx * T1_CTX_ENTRY_SIZE;
}

int tessera_mmu_init(struct tessera_device *tdev)
{
	u32 n = min_t(u32, tdev->num_contexts, 65536);
	int ret;

	if (n < 2) {
		drm_err(&tdev->drm, "device supports %u contexts, need at least 2\n", n);
		return -ENODEV;
	}
	ret = tessera_dmem_alloc(tdev, &tdev->ctx_table,
				 round_up((u64)n * T1_CTX_ENTRY_SIZE, T1_PAGE_SIZE),
				 T1_PAGE_SIZE);
	if (ret)
		return ret;
	tdev->num_contexts = n;
	ida_init(&tdev->ctx_ida);
	xa_init(&tdev->ctx_clients);

	/* Entry 0 stays invalid: no client ever runs in context 0. */
	ret = tessera_hw_post64(tdev, T1_REG_CTX_TABLE_BASE, tdev->ctx_table.start);
	if (!ret)
		ret = tessera_hw_post32(tdev, T1_REG_CTX_TABLE_ENTRIES, n);
	tessera_hw_kick(tdev);
	if (!ret)
		ret = tessera_hw_sync(tdev);
	return ret;
}

void tessera_mmu_fini(struct tessera_device *tdev)
{
	tessera_dmem_free(tdev, &tdev->ctx_table);
	ida_destroy(&tdev->ctx_ida);
	xa_destroy(&tdev->ctx_clients);
}

/* ---- Page tables ------------------------------------------------------- */

static void tessera_pt_write(struct tessera_device *tdev, struct tessera_pt *pt,
			     unsigned int idx, u64 pte)
{
	/* After an unbind the range may belong to a new driver instance. */
	if (drm_dev_is_unplugged(&tdev->drm))
		return;
	writeq(pte, tessera_dmem_ptr(tdev, pt->node.start + (u64)idx * sizeof(u64)));
}

static struct tessera_pt *tessera_pt_alloc(struct tessera_device *tdev, unsigned int level)
{
	struct tessera_pt *pt = kzalloc(sizeof(*pt), GFP_KERNEL);

	if (!pt)
		return NULL;
	pt->level = level;
	INIT_LIST_HEAD(&pt->free_link);
	if (level > 0) {
		pt->child = kcalloc(T1_PT_ENTRIES, sizeof(*pt->child), GFP_KERNEL);
		if (!pt->child)
			goto err;
	}
	if (tessera_dmem_alloc(tdev, &pt->node, T1_PAGE_SIZE, T1_PAGE_SIZE))
		goto err;
	return pt;
err:
	kfree(pt->child);
	kfree(pt);
	return NULL;
}

static void tessera_pt_destroy(struct tessera_device *tdev, struct tessera_pt *pt)
{
	tessera_dmem_free(tdev, &pt->node);
	kfree(pt->child);
	kfree(pt);
}

static void tessera_pt_destroy_all(struct tessera_device *tdev, struct tessera_pt *pt)
{
	unsigned int i;

	if (pt->child)
		for (i = 0; i < T1_PT_ENTRIES; i++)
			if (pt->child[i])
				tessera_pt_destroy_all(tdev, pt->child[i]);
	tessera_pt_destroy(tdev, pt);
}

static void tessera_pt_set(struct tessera_device *tdev, struct tessera_pt *pt,
			   unsigned int idx, u64 pte)
{
	tessera_pt_write(tdev, pt, idx, pte);
	__set_bit(idx, pt->valid);
	pt->used++;
}

/* The next-level table under entry idx, created if missing. */
static int tessera_pt_child(struct tessera_device *tdev, struct tessera_pt *pt,
			    unsigned int idx, struct tessera_pt **out)
{
	struct tessera_pt *child = pt->child[idx];

	if (!child) {
		if (test_bit(idx, pt->valid))
			return -EBUSY;	/* a 2 MiB leaf is there */
		child = tessera_pt_alloc(tdev, pt->level - 1);
		if (!child)
			return -ENOMEM;
		/* The zeroed table must be visible before the entry naming it. */
		wmb();
		tessera_pt_set(tdev, pt, idx, T1_PTE(child->node.start, T1_PTE_V));
		pt->child[idx] = child;
	}
	*out = child;
	return 0;
}

static void tessera_pt_unmap(struct tessera_device *tdev, struct tessera_pt *pt,
			     u64 va, u64 end, struct list_head *freed)
{
	u64 span = 1ULL << (T1_PAGE_SHIFT + 9 * pt->level);

	while (va < end) {
		unsigned int idx = T1_PT_INDEX(va, pt->level);
		u64 next = min((va & ~(span - 1)) + span, end);
		struct tessera_pt *child = pt->child ? pt->child[idx] : NULL;

		if (child) {
			tessera_pt_unmap(tdev, child, va, next, freed);
			if (!child->used) {
				pt->child[idx] = NULL;
				list_add_tail(&child->free_link, freed);
				goto clear;
			}
		} else if (test_bit(idx, pt->valid)) {
			/* A leaf; mappings never share a leaf, so it lies
			 * wholly inside the range. */
			goto clear;
		}
		va = next;
		continue;
clear:
		tessera_pt_write(tdev, pt, idx, 0);
		__clear_bit(idx, pt->valid);
		pt->used--;
		va = next;
	}
}

void tessera_vm_unmap_range(struct tessera_client *client, u64 va, u64 len,
			    struct list_head *freed)
{
	if (len)
		tessera_pt_unmap(client->tdev, client->root, va, va + len, freed);
}

void tessera_vm_free_tables(struct tessera_client *client, struct list_head *freed)
{
	struct tessera_pt *pt, *tmp;

	list_for_each_entry_safe(pt, tmp, freed, free_link) {
		list_del(&pt->free_link);
		tessera_pt_destroy(client->tdev, pt);
	}
}

int tessera_vm_invalidate(struct tessera_client *client)
{
	struct tessera_device *tdev = client->tdev;
	int ret;

	ret = tessera_hw_wr32(tdev, T1_REG_TLB_INVALIDATE, client->ctx_id);
	if (!ret)
		ret = tessera_hw_sync(tdev);
	if (!ret) {
		ret = tessera_hw_poll32(tdev, T1_REG_TLB_INVALIDATE, ~0u, 0);
		if (ret == -ETIMEDOUT)
			tessera_device_lost(tdev, "TLB invalidation did not complete");
	}
	return ret;
}

int tessera_vm_map_range(struct tessera_client *client, u64 va, u64 pa, u64 len, u64 pte_flags)
{
	struct tessera_device *tdev = client->tdev;
	u64 done = 0;
	int ret = 0;

	while (done < len) {
		u64 v = va + done, p = pa + done;
		struct tessera_pt *pt = client->root;
		unsigned int level, idx;

		for (level = T1_PT_LEVELS - 1; level > 1; level--) {
			ret = tessera_pt_child(tdev, pt, T1_PT_INDEX(v, level), &pt);
			if (ret)
				goto unwind;
		}
		idx = T1_PT_INDEX(v, 1);
		if (!((v | p) & (T1_HUGE_PAGE_SIZE - 1)) && len - done >= T1_HUGE_PAGE_SIZE &&
		    !test_bit(idx, pt->valid)) {
			tessera_pt_set(tdev, pt, idx, T1_PTE(p, pte_flags | T1_PTE_V));
			done += T1_HUGE_PAGE_SIZE;
			continue;
		}
		ret = tessera_pt_child(tdev, pt, idx, &pt);
		if (ret)
			goto unwind;
		idx = T1_PT_INDEX(v, 0);
		if (test_bit(idx, pt->valid)) {
			ret = -EBUSY;
			goto unwind;
		}
		tessera_pt_set(tdev, pt, idx, T1_PTE(p, pte_flags | T1_PTE_V));
		done += T1_PAGE_SIZE;
	}
	/* The entries are write-combined stores: make them visible now. */
	wmb();
	return 0;

unwind:
	{
		LIST_HEAD(freed);

		tessera_vm_unmap_range(client, va, done, &freed);
		/* The entries may have been walked meanwhile. */
		tessera_vm_invalidate(client);
		tessera_vm_free_tables(client, &freed);
	}
	return ret;
}

/* ---- Contexts ------------------------------------------------------------ */

static void tessera_ctx_release(struct kref *ref)
{
	struct tessera_ctx *ctx = container_of(ref, struct tessera_ctx, ref);
	struct tessera_device *tdev = ctx->tdev;

	ida_free(&tdev->ctx_ida, ctx->id);
	kfree(ctx);
	/* The IDA lives until the last reference to the device goes. */
	drm_dev_put(&tdev->drm);
}

void tessera_ctx_put(struct tessera_ctx *ctx)
{
	kref_put(&ctx->ref, tessera_ctx_release);
}

int tessera_vm_init(struct tessera_client *client)
{
	struct tessera_device *tdev = client->tdev;
	struct tessera_ctx *ctx;
	u64 entry;
	int id;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	id = ida_alloc_range(&tdev->ctx_ida, 1, tdev->num_contexts - 1, GFP_KERNEL);
	if (id < 0) {
		kfree(ctx);
		return id == -ENOSPC ? -EBUSY : id;
	}
	client->root = tessera_pt_alloc(tdev, T1_PT_LEVELS - 1);
	if (!client->root) {
		ida_free(&tdev->ctx_ida, id);
		kfree(ctx);
		return -ENOMEM;
	}
	kref_init(&ctx->ref);
	ctx->tdev = tdev;
	ctx->id = id;
	drm_dev_get(&tdev->drm);
	client->ctx = ctx;
	client->ctx_id = id;
	drm_mm_init(&client->va_mm, TESSERA_VA_START, TESSERA_VA_END - TESSERA_VA_START);

	entry = tessera_ctx_entry_pa(tdev, id);
	writeq(0, tessera_dmem_ptr(tdev, entry + 8));	/* flags, reserved */
	wmb();
	writeq(client->root->node.start | T1_CTX_VALID, tessera_dmem_ptr(tdev, entry));
	wmb();
	return 0;
}

static void tessera_mapping_destroy(struct tessera_mapping *m)
{
	drm_gem_object_put(m->obj);
	kfree(m);
}

/*
 * At postclose, once the client's queues have stopped: the context entry
 * becomes invalid, so that the device no longer translates anything in the
 * context; a peer copy still aimed at it (by a client that attached it)
 * faults as UNMAPPED. The id stays taken (tessera_ctx_put).
 */
void tessera_vm_disable(struct tessera_client *client)
{
	struct tessera_device *tdev = client->tdev;
	int idx;

	if (drm_dev_enter(&tdev->drm, &idx)) {
		writeq(0, tessera_dmem_ptr(tdev, tessera_ctx_entry_pa(tdev, client->ctx_id)));
		wmb();
		tessera_vm_invalidate(client);
		drm_dev_exit(idx);
	}
	client->vm_disabled = true;
}

/* At postclose: the client's queues are already gone. */
void tessera_vm_fini(struct tessera_client *client)
{
	struct tessera_device *tdev = client->tdev;
	struct drm_mm_node *node, *tmp;

	/* Drop the whole context at once; its BOs are released only after
	 * the device can no longer reach them: peer copies that walked the
	 * tables before the invalidation end first. (Postclose has done
	 * that already; a failed open has no attachers.) */
	if (!client->vm_disabled) {
		tessera_vm_disable(client);
		tessera_peer_quiesce(client->ctx);
	}
	drm_mm_for_each_node_safe(node, tmp, &client->va_mm) {
		drm_mm_remove_node(node);
		tessera_mapping_destroy(container_of(node, struct tessera_mapping, node));
	}
	tessera_pt_destroy_all(tdev, client->root);
	client->root = NULL;
	drm_mm_takedown(&client->va_mm);
	tessera_ctx_put(client->ctx);
	client->ctx = NULL;
}

/* ---- Ioctls ---------------------------------------------------------------- */

static u64 tessera_vm_pte_flags(u32 flags)
{
	u64 pte = 0;

	if (flags & DRM_TESSERA_VM_READ)
		pte |= T1_PTE_R;
	if (flags & DRM_TESSERA_VM_WRITE)
		pte |= T1_PTE_W;
	if (flags & DRM_TESSERA_VM_EXEC)
		pte |= T1_PTE_X;
	return pte;
}

int tessera_ioctl_vm_map(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_vm_map *args = data;
	const u64 ap_start = T1_SHARED_APERTURE_BASE;
	const u64 ap_end = T1_SHARED_APERTURE_BASE + T1_SHARED_APERTURE_SIZE;
	struct tessera_mapping *m;
	struct drm_gem_object *obj;
	int ret;

	if (args->size != sizeof(*args) || args->reserved)
		return -EINVAL;
	if (args->flags & ~DRM_TESSERA_VM_PERMS || !(args->flags & DRM_TESSERA_VM_READ))
		return -EINVAL;
	if (!args->length || (args->va | args->bo_offset | args->length) & (T1_PAGE_SIZE - 1))
		return -EINVAL;
	if (args->va < TESSERA_VA_START || args->va >= TESSERA_VA_END ||
	    args->length > TESSERA_VA_END - args->va)
		return -EINVAL;
	if (args->va < ap_end && args->va + args->length > ap_start)
		return -EINVAL;

	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	if (args->bo_offset > obj->size || args->length > obj->size - args->bo_offset) {
		ret = -EINVAL;
		goto err_put;
	}
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		ret = -ENOMEM;
		goto err_put;
	}
	m->obj = obj;
	m->bo_offset = args->bo_offset;
	m->flags = args->flags;
	m->node.start = args->va;
	m->node.size = args->length;

	mutex_lock(&client->lock);
	ret = drm_mm_reserve_node(&client->va_mm, &m->node);
	if (ret) {
		ret = ret == -ENOSPC ? -EBUSY : ret;
		goto err_unlock;
	}
	ret = tessera_vm_map_range(client, args->va,
				   to_tessera_bo(obj)->node.start + args->bo_offset,
				   args->length, tessera_vm_pte_flags(args->flags));
	if (ret) {
		drm_mm_remove_node(&m->node);
		goto err_unlock;
	}
	mutex_unlock(&client->lock);
	return 0;

err_unlock:
	mutex_unlock(&client->lock);
	kfree(m);
err_put:
	drm_gem_object_put(obj);
	return ret;
}

static struct tessera_mapping *tessera_vm_find(struct tessera_client *client, u64 va)
{
	struct drm_mm_node *node;

	drm_mm_for_each_node_in_range(node, &client->va_mm, va, va + 1)
		if (node->start == va)
			return container_of(node, struct tessera_mapping, node);
	return NULL;
}

int tessera_ioctl_vm_unmap(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_vm_unmap *args = data;
	struct tessera_mapping *m;
	LIST_HEAD(freed);
	int ret;

	if (args->size != sizeof(*args) || args->flags)
		return -EINVAL;
	if (args->va < TESSERA_VA_START || args->va >= TESSERA_VA_END)
		return -ENOENT;

	mutex_lock(&client->lock);
	m = tessera_vm_find(client, args->va);
	mutex_unlock(&client->lock);
	if (!m)
		return -ENOENT;

	/* Every job submitted so far finishes first (inputs included); a
	 * signal leaves the mapping as it was. */
	ret = tessera_queues_wait_submitted(client);
	if (ret)
		return ret;

	mutex_lock(&client->lock);
	m = tessera_vm_find(client, args->va);	/* may have gone meanwhile */
	if (!m) {
		mutex_unlock(&client->lock);
		return -ENOENT;
	}
	drm_mm_remove_node(&m->node);
	tessera_vm_unmap_range(client, m->node.start, m->node.size, &freed);
	wmb();
	ret = tessera_vm_invalidate(client);
	/* A job that reached a ring meanwhile may hold translations it cached
	 * before the invalidation: it ends before the pages are reused. The
	 * same holds for peer copies of clients that attached the context. */
	tessera_queues_wait_ring_idle(client);
	tessera_peer_quiesce(client->ctx);
	tessera_vm_free_tables(client, &freed);
	mutex_unlock(&client->lock);
	tessera_mapping_destroy(m);
	return ret == -ENODEV ? -ENODEV : 0;
}
