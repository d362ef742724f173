/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera T1 DRM driver: interrupts and fault records.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#ifndef TESSERA_IRQ_H
#define TESSERA_IRQ_H

#include "tessera_drv.h"

int tessera_irq_init(struct tessera_device *tdev);
void tessera_irq_fini(struct tessera_device *tdev);
/* Processes everything pending (faults, completions, queue errors). */
void tessera_irq_poll(struct tessera_device *tdev);

const char *tessera_fault_cause_name(u32 cause);
int tessera_ioctl_get_faults(struct drm_device *dev, void *data, struct drm_file *file);

#endif /* TESSERA_IRQ_H */
