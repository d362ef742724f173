/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera T1 DRM driver: the ivshmem transport to the register page.
 *
 * Copyright (c) 2026 The Tessera authors
 */
#ifndef TESSERA_HW_H
#define TESSERA_HW_H

#include <linux/io.h>

#include "tessera_drv.h"

/* Register reads are plain loads: the emulator keeps the page current. */
static inline u32 tessera_rd32(struct tessera_device *tdev, u32 off)
{
	return readl(tdev->regs + off);
}

static inline u64 tessera_rd64(struct tessera_device *tdev, u32 off)
{
	return readq(tdev->regs + off);
}

/*
 * Register writes are posted to the RWQ. tessera_hw_post*() only queue the
 * write; tessera_hw_kick() rings the emulator's doorbell once for everything
 * posted so far; tessera_hw_wr*() do both. They sleep only when the RWQ is
 * full and return -ENODEV once the device is lost.
 */
int tessera_hw_post32(struct tessera_device *tdev, u32 off, u32 val);
int tessera_hw_post64(struct tessera_device *tdev, u32 off, u64 val);
void tessera_hw_kick(struct tessera_device *tdev);
int tessera_hw_wr32(struct tessera_device *tdev, u32 off, u32 val);
int tessera_hw_wr64(struct tessera_device *tdev, u32 off, u64 val);

/* Waits until the emulator has applied every write posted so far. */
int tessera_hw_sync(struct tessera_device *tdev);

/* Polls a register until (value & mask) == want, at most T1_IVSHMEM_DEAD_MS. */
int tessera_hw_poll32(struct tessera_device *tdev, u32 off, u32 mask, u32 want);

int tessera_hw_transport_init(struct tessera_device *tdev);
int tessera_hw_reset(struct tessera_device *tdev);
int tessera_hw_handshake(struct tessera_device *tdev);
void tessera_hw_read_ident(struct tessera_device *tdev);

void tessera_hw_heartbeat_start(struct tessera_device *tdev);
void tessera_hw_heartbeat_stop(struct tessera_device *tdev);

#endif /* TESSERA_HW_H */
