// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: device memory and GEM buffer objects.
 *
 * Device memory is BAR2 + T1_IVSHMEM_MEM_OFFSET; device-physical address p
 * is CPU physical address mem_phys + p. One drm_mm range allocator hands out
 * all of it: buffer objects, page tables, the context table and queue
 * rings. Memory is zeroed when allocated and scrubbed when freed, so
 * nothing of one client ever reaches another.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_vma_manager.h>

#include "tessera_drm.h"
#include "tessera_gem.h"

/* x86 pages and T1 pages are both 4 KiB: a BO maps 1:1 into both. */
static_assert(PAGE_SIZE == T1_PAGE_SIZE, "CPU and T1 page sizes differ");

/* Clears device memory in chunks, so a large BO does not hog the CPU. */
static void tessera_dmem_clear(struct tessera_device *tdev, u64 pa, u64 size)
{
	const u64 chunk = 1ULL << 20;
	int idx;

	if (!drm_dev_enter(&tdev->drm, &idx))
		return;
	while (size) {
		u64 n = min(size, chunk);

		memset_io(tessera_dmem_ptr(tdev, pa), 0, n);
		pa += n;
		size -= n;
		if (size)
			cond_resched();
	}
	/* Drain the write-combining buffers: the zeroes must be visible to the
	 * device and to other CPUs before the memory is used. */
	wmb();
	drm_dev_exit(idx);
}

int tessera_dmem_alloc(struct tessera_device *tdev, struct drm_mm_node *node,
		       u64 size, u64 align)
{
	int ret;

	mutex_lock(&tdev->mm_lock);
	ret = drm_mm_insert_node_in_range(&tdev->mm, node, size, align, 0, 0,
					  tdev->mem_size, DRM_MM_INSERT_BEST);
	if (!ret)
		tdev->mem_used += size;
	mutex_unlock(&tdev->mm_lock);
	if (ret)
		return ret == -ENOSPC ? -ENOMEM : ret;
	tessera_dmem_clear(tdev, node->start, size);
	return 0;
}

void tessera_dmem_free(struct tessera_device *tdev, struct drm_mm_node *node)
{
	if (!drm_mm_node_allocated(node))
		return;
	/* Scrub before the range can be handed to anyone else. */
	tessera_dmem_clear(tdev, node->start, node->size);
	mutex_lock(&tdev->mm_lock);
	tdev->mem_used -= node->size;
	drm_mm_remove_node(node);
	mutex_unlock(&tdev->mm_lock);
}

u64 tessera_dmem_free_bytes(struct tessera_device *tdev)
{
	u64 used;

	mutex_lock(&tdev->mm_lock);
	used = tdev->mem_used;
	mutex_unlock(&tdev->mm_lock);
	return tdev->mem_size - used;
}

int tessera_dmem_init(struct tessera_device *tdev)
{
	mutex_init(&tdev->mm_lock);
	drm_mm_init(&tdev->mm, 0, tdev->mem_size);
	tdev->mm_ready = true;
	return 0;
}

void tessera_dmem_fini(struct tessera_device *tdev)
{
	if (!tdev->mm_ready)
		return;
	if (!drm_mm_clean(&tdev->mm))
		drm_warn(&tdev->drm, "device memory still allocated at teardown\n");
	else
		drm_mm_takedown(&tdev->mm);
	tdev->mm_ready = false;
}

static void tessera_bo_free(struct drm_gem_object *obj)
{
	struct tessera_bo *bo = to_tessera_bo(obj);
	struct tessera_device *tdev = to_tdev(obj->dev);

	if (bo->owner) {
		atomic64_sub(obj->size, &bo->owner->vram_bytes);
		tessera_client_put(bo->owner);
	}
	drm_gem_object_release(obj);
	tessera_dmem_free(tdev, &bo->node);
	kfree(bo);
}

static const struct vm_operations_struct tessera_bo_vm_ops = {
	.open = drm_gem_vm_open,
	.close = drm_gem_vm_close,
};

/*
 * mmap(): the BO's pages of BAR2, write-combined, mapped up front. A PFN
 * map has no struct pages; it is shared only (a private copy-on-write view
 * of device memory makes no sense).
 */
static int tessera_bo_mmap(struct drm_gem_object *obj, struct vm_area_struct *vma)
{
	struct tessera_device *tdev = to_tdev(obj->dev);
	struct tessera_bo *bo = to_tessera_bo(obj);
	unsigned long pgoff = vma->vm_pgoff - drm_vma_node_start(&obj->vma_node);
	unsigned long len = vma->vm_end - vma->vm_start;
	u64 off = (u64)pgoff << PAGE_SHIFT;
	int idx, ret;

	if (off > obj->size || len > obj->size - off)
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE)
		return -EINVAL;
	if (!drm_dev_enter(obj->dev, &idx))
		return -ENODEV;
	if (tessera_is_lost(tdev)) {
		ret = -ENODEV;
		goto out;
	}
	vma->vm_flags |= VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP;
	vma->vm_page_prot = pgprot_writecombine(vm_get_page_prot(vma->vm_flags));
	vma->vm_ops = &tessera_bo_vm_ops;
	ret = io_remap_pfn_range(vma, vma->vm_start,
				 (tdev->mem_phys + bo->node.start + off) >> PAGE_SHIFT,
				 len, vma->vm_page_prot);
out:
	drm_dev_exit(idx);
	return ret;
}

static const struct drm_gem_object_funcs tessera_bo_funcs = {
	.free = tessera_bo_free,
	.mmap = tessera_bo_mmap,
	.vm_ops = &tessera_bo_vm_ops,
};

int tessera_ioctl_bo_create(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_bo_create *args = data;
	struct tessera_bo *bo;
	u64 bytes;
	u32 handle;
	int ret;

	if (args->size != sizeof(*args) || args->flags || args->reserved)
		return -EINVAL;
	if (!args->bytes)
		return -EINVAL;
	if (args->bytes > tdev->mem_size)
		return -ENOMEM;
	bytes = round_up(args->bytes, T1_PAGE_SIZE);

	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	/* 2 MiB alignment lets large BOs use 2 MiB device pages. */
	ret = -ENOMEM;
	if (bytes >= T1_HUGE_PAGE_SIZE)
		ret = tessera_dmem_alloc(tdev, &bo->node, bytes, T1_HUGE_PAGE_SIZE);
	if (ret)
		ret = tessera_dmem_alloc(tdev, &bo->node, bytes, T1_PAGE_SIZE);
	if (ret) {
		kfree(bo);
		return ret;
	}

	drm_gem_private_object_init(dev, &bo->base, bytes);
	bo->base.funcs = &tessera_bo_funcs;
	bo->owner = tessera_client_get(client);
	atomic64_add(bytes, &client->vram_bytes);

	ret = drm_gem_create_mmap_offset(&bo->base);
	if (!ret)
		ret = drm_gem_handle_create(file, &bo->base, &handle);
	/* The handle (if any) holds the object now. */
	drm_gem_object_put(&bo->base);
	if (ret)
		return ret;
	args->bytes = bytes;
	args->handle = handle;
	return 0;
}

int tessera_ioctl_bo_info(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_tessera_bo_info *args = data;
	struct drm_gem_object *obj;

	if (args->size != sizeof(*args) || args->flags || args->reserved)
		return -EINVAL;
	obj = drm_gem_object_lookup(file, args->handle);
	if (!obj)
		return -ENOENT;
	args->bytes = obj->size;
	args->mmap_offset = drm_vma_node_offset_addr(&obj->vma_node);
	drm_gem_object_put(obj);
	return 0;
}
