/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tessera T1 DRM driver: peer attachments (peer DMA between linked chips).
 *
 * Copyright (c) 2026 The Tessera authors
 */
#ifndef TESSERA_PEER_H
#define TESSERA_PEER_H

#include "tessera_drv.h"

struct tessera_ctx;
struct seq_file;

int tessera_ioctl_peer_attach(struct drm_device *dev, void *data, struct drm_file *file);

/* SUBMIT: may this client's peer DMA_COPY write into (device, context)?
 * 0, -EPERM (not attached) or -ENOLINK (the peer chip was lost or its
 * driver unbound since). */
int tessera_peer_check(struct tessera_client *client, u32 device, u32 context);

/* At postclose, after the client's queues are gone: drops its attachments. */
void tessera_peer_detach_all(struct tessera_client *client);

/* After ctx's translations changed (entries cleared, TLB invalidated):
 * waits until the jobs that the clients attached to ctx had on their rings
 * have retired, so none still writes through an old translation. Called
 * by ctx's owner, which serialises these calls (client->lock or postclose). */
void tessera_peer_quiesce(struct tessera_ctx *ctx);

/* Probe: tdev's chip can be attached from now on. */
void tessera_peer_device_add(struct tessera_device *tdev);
/* Remove (tdev already marked lost): no new attachment to it, and the
 * queues of every client attached to one of its contexts stop, so that
 * nothing queued before can reach a context id that a new driver instance
 * hands out again. */
void tessera_peer_device_remove(struct tessera_device *tdev);

/* debugfs "peers". */
void tessera_peer_debugfs_show(struct seq_file *m, struct tessera_device *tdev);

#endif /* TESSERA_PEER_H */
