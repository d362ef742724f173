// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: per-client usage in /proc/PID/fdinfo/FD, in the
 * keys of Documentation/gpu/drm-usage-stats.rst. Linux 6.1 has no
 * drm_driver.show_fdinfo yet, so this is the file_operations hook.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/fs.h>
#include <linux/seq_file.h>

#include <drm/drm_file.h>

#include "tessera_drv.h"

void tessera_show_fdinfo(struct seq_file *m, struct file *f)
{
	struct drm_file *file = f->private_data;
	struct tessera_client *client = file->driver_priv;
	struct tessera_device *tdev = to_tdev(file->minor->dev);

	if (!client)
		return;
	seq_printf(m, "drm-driver:\t%s\n", TESSERA_DRIVER_NAME);
	seq_printf(m, "drm-pdev:\t%s\n", pci_name(tdev->pdev));
	seq_printf(m, "drm-client-id:\t%llu\n", client->id);
	/* Sum of the run times of the client's finished jobs. */
	seq_printf(m, "drm-engine-compute:\t%lld ns\n",
		   (long long)atomic64_read(&client->engine_ns));
	/* Device memory of the BOs the client created and that still exist. */
	seq_printf(m, "drm-memory-vram:\t%lld KiB\n",
		   (long long)atomic64_read(&client->vram_bytes) >> 10);
}
