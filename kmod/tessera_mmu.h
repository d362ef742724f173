/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera T1 DRM driver: contexts, page tables, VM map/unmap.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#ifndef TESSERA_MMU_H
#define TESSERA_MMU_H

#include <linux/bitmap.h>

#include "tessera_drv.h"

/* One 4 KiB page table in device memory and its shadow in kernel memory
 * (the device never writes PTEs, so the shadow is always current). */
struct tessera_pt {
	struct drm_mm_node node;
	unsigned int level;
	unsigned int used;			/* valid entries */
	DECLARE_BITMAP(valid, T1_PT_ENTRIES);
	struct tessera_pt **child;		/* next-level tables; NULL at level 0 */
	struct list_head free_link;
};

/*
 * A context id and the right to it. The owning client holds one reference
 * and every peer attachment to it another (tessera_peer.c), so the id goes
 * back to the IDA only when its owner has closed its file and no other
 * client can still name it in a peer DMA_COPY. The context table entry is
 * cleared when the owner closes (peer copies into it fault as UNMAPPED);
 * nobody writes the entry again until the id is handed out anew.
 */
struct tessera_ctx {
	struct kref ref;
	struct tessera_device *tdev;	/* holds a drm_device reference */
	u32 id;
	atomic_t attachers;		/* peer attachments to it */
};

static inline struct tessera_ctx *tessera_ctx_get(struct tessera_ctx *ctx)
{
	kref_get(&ctx->ref);
	return ctx;
}

/* Sleeps (it may free the drm_device): process context only. */
void tessera_ctx_put(struct tessera_ctx *ctx);

int tessera_mmu_init(struct tessera_device *tdev);
void tessera_mmu_fini(struct tessera_device *tdev);

int tessera_vm_init(struct tessera_client *client);
/* Invalidates the client's context entry: nothing is translated in it any more. */
void tessera_vm_disable(struct tessera_client *client);
void tessera_vm_fini(struct tessera_client *client);

/* Maps [va, va + len) to device-physical [pa, pa + len) with T1_PTE_* bits. */
int tessera_vm_map_range(struct tessera_client *client, u64 va, u64 pa, u64 len, u64 pte_flags);
/* Clears the PTEs of [va, va + len); emptied tables go on *freed, to be
 * given to tessera_vm_free_tables() after the TLB invalidation. */
void tessera_vm_unmap_range(struct tessera_client *client, u64 va, u64 len,
			    struct list_head *freed);
void tessera_vm_free_tables(struct tessera_client *client, struct list_head *freed);
/* TLB_INVALIDATE(context), applied and complete on return. */
int tessera_vm_invalidate(struct tessera_client *client);

int tessera_ioctl_vm_map(struct drm_device *dev, void *data, struct drm_file *file);
int tessera_ioctl_vm_unmap(struct drm_device *dev, void *data, struct drm_file *file);

#endif /* TESSERA_MMU_H */
