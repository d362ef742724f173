/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera T1 DRM driver: device memory and GEM buffer objects.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#ifndef TESSERA_GEM_H
#define TESSERA_GEM_H

#include <drm/drm_gem.h>

#include "tessera_drv.h"

struct tessera_bo {
	struct drm_gem_object base;
	struct drm_mm_node node;	/* device-physical range */
	struct tessera_client *owner;	/* for drm-memory-vram */
};

static inline struct tessera_bo *to_tessera_bo(struct drm_gem_object *obj)
{
	return container_of(obj, struct tessera_bo, base);
}

/* Device memory for the driver's own structures (page tables, context
 * table, rings): zeroed on allocation, scrubbed on free. */
int tessera_dmem_alloc(struct tessera_device *tdev, struct drm_mm_node *node,
		       u64 size, u64 align);
void tessera_dmem_free(struct tessera_device *tdev, struct drm_mm_node *node);
int tessera_dmem_init(struct tessera_device *tdev);
void tessera_dmem_fini(struct tessera_device *tdev);

static inline void __iomem *tessera_dmem_ptr(struct tessera_device *tdev, u64 pa)
{
	return tdev->mem + pa;
}

u64 tessera_dmem_free_bytes(struct tessera_device *tdev);

int tessera_ioctl_bo_create(struct drm_device *dev, void *data, struct drm_file *file);
int tessera_ioctl_bo_info(struct drm_device *dev, void *data, struct drm_file *file);

#endif /* TESSERA_GEM_H */
