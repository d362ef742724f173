// SPDX-License-Identifier: GPL-2.0
/*
 * Tessera T1 DRM driver: module, PCI device, DRM device, clients.
 *
 * The T1 reaches the guest as QEMU's ivshmem-doorbell PCI function; the
 * driver claims it only when BAR2 holds a T1 transport and register page
 * (other ivshmem devices are left alone). Every open file of the render
 * node is a client with its own device context (tessera_mmu.c), buffer
 * objects (tessera_gem.c) and queues (tessera_queue.c, tessera_job.c).
 *
 * Copyright (c) 2026 The Tessera authors
 */
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/slab.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_managed.h>
#include <drm/drm_print.h>

#include "tessera_drm.h"
#include "tessera_gem.h"
#include "tessera_hw.h"
#include "tessera_irq.h"
#include "tessera_mmu.h"
#include "tessera_peer.h"
#include "tessera_queue.h"

unsigned int tessera_job_timeout_ms = TESSERA_DEFAULT_TIMEOUT_MS;
module_param_named(job_timeout_ms, tessera_job_timeout_ms, uint, 0644);
MODULE_PARM_DESC(job_timeout_ms,
		 "Timeout of a job that gives none, in milliseconds (default 10000; 0: the default)");

/* ---- Clients ------------------------------------------------------------- */

struct tessera_client *tessera_client_get(struct tessera_client *client)
{
	kref_get(&client->ref);
	return client;
}

static void tessera_client_release(struct kref *ref)
{
	kfree(container_of(ref, struct tessera_client, ref));
}

void tessera_client_put(struct tessera_client *client)
{
	kref_put(&client->ref, tessera_client_release);
}

void tessera_client_event(struct tessera_client *client)
{
	atomic64_inc(&client->events);
	wake_up_all(&client->event_wq);
}

static int tessera_open(struct drm_device *dev, struct drm_file *file)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_client *client;
	int idx, ret;

	if (!drm_dev_enter(dev, &idx))
		return -ENODEV;
	ret = -ENODEV;
	if (tessera_is_lost(tdev))
		goto out;
	ret = -ENOMEM;
	client = kzalloc(sizeof(*client), GFP_KERNEL);
	if (!client)
		goto out;
	kref_init(&client->ref);
	client->tdev = tdev;
	client->id = atomic64_inc_return(&tdev->client_seq);
	mutex_init(&client->lock);
	mutex_init(&client->fault_read_lock);
	mutex_init(&client->peer_lock);
	INIT_LIST_HEAD(&client->peers);
	spin_lock_init(&client->fault_lock);
	xa_init_flags(&client->queues, XA_FLAGS_ALLOC1);
	init_waitqueue_head(&client->event_wq);

	ret = tessera_vm_init(client);
	if (ret) {
		kfree(client);
		goto out;
	}
	ret = xa_insert(&tdev->ctx_clients, client->ctx_id, client, GFP_KERNEL);
	if (ret) {
		tessera_vm_fini(client);
		kfree(client);
		goto out;
	}
	mutex_lock(&tdev->clients_lock);
	list_add_tail(&client->link, &tdev->clients);
	mutex_unlock(&tdev->clients_lock);
	file->driver_priv = client;
out:
	drm_dev_exit(idx);
	return ret;
}

static void tessera_postclose(struct drm_device *dev, struct drm_file *file)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_client *client = file->driver_priv;

	mutex_lock(&tdev->clients_lock);
	list_del(&client->link);
	mutex_unlock(&tdev->clients_lock);

	/*
	 * The client's queues stop, then its context goes invalid and the
	 * peer copies of clients that attached it end (later ones fault as
	 * UNMAPPED). Then the queues go (their rings live in the context),
	 * then this client's own attachments, then the context (whose id
	 * stays taken while others hold an attachment to it).
	 */
	tessera_queues_halt_all(client);
	tessera_vm_disable(client);
	tessera_peer_quiesce(client->ctx);
	tessera_queues_destroy_all(client);
	tessera_peer_detach_all(client);
	xa_erase(&tdev->ctx_clients, client->ctx_id);
	tessera_vm_fini(client);
	xa_destroy(&client->queues);
	file->driver_priv = NULL;
	tessera_client_put(client);
}

/* ---- Device loss ----------------------------------------------------------- */

/* Fails every job with -ENODEV and wakes every waiter. */
static void tessera_device_lost_handle(struct tessera_device *tdev)
{
	struct tessera_client *client;

	tessera_queues_lost(tdev);
	mutex_lock(&tdev->clients_lock);
	list_for_each_entry(client, &tdev->clients, link)
		wake_up_all(&client->event_wq);
	mutex_unlock(&tdev->clients_lock);
}

static void tessera_device_lost_work(struct work_struct *work)
{
	tessera_device_lost_handle(container_of(work, struct tessera_device, lost_work));
}

void tessera_device_lost(struct tessera_device *tdev, const char *why)
{
	if (test_and_set_bit(TESSERA_FLAG_LOST, &tdev->flags))
		return;
	drm_err(&tdev->drm, "device lost: %s; every job fails and every ioctl returns -ENODEV\n",
		why);
	/* Callers may hold locks the handling needs: do it from a worker. */
	schedule_work(&tdev->lost_work);
}

/* ---- Ioctls ------------------------------------------------------------------ */

static int tessera_ioctl_device_info(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct tessera_device *tdev = to_tdev(dev);
	struct tessera_client *client = file->driver_priv;
	struct drm_tessera_device_info *args = data;
	u32 l;

	if (args->size != sizeof(*args) || args->flags || args->reserved)
		return -EINVAL;
	args->uapi_version = DRM_TESSERA_UAPI_VERSION_MAJOR << 16 | DRM_TESSERA_UAPI_VERSION_MINOR;
	args->hw_version = tdev->hw_version;
	args->hw_version_device = tdev->hw_version_device;
	args->platform = tdev->caps & T1_CAP_EMULATED ? DRM_TESSERA_PLATFORM_EMULATOR :
							 DRM_TESSERA_PLATFORM_SILICON;
	args->device_id = tdev->device_id;
	args->revision = tdev->revision;
	/* Host windows are not available through the driver. */
	args->caps = tdev->caps & ~T1_CAP_HOST_WINDOWS;
	args->memory_bytes = tdev->mem_size;
	args->memory_free = tessera_dmem_free_bytes(tdev);
	args->tiles = tdev->num_tiles;
	args->threads_per_tile = tdev->threads_per_tile;
	args->warp_size = tdev->warp_size;
	args->scratchpad_bytes = tdev->scratchpad_size;
	args->queues = min_t(u32, tdev->num_queues, TESSERA_MAX_CLIENT_QUEUES);
	args->links = tdev->num_links;
	args->clock_khz = tdev->clock_khz;
	args->fabric_index = tdev->device_index;
	args->context_id = client->ctx_id;
	args->job_timeout_ms = tessera_default_timeout_ms();
	args->va_start = TESSERA_VA_START;
	args->va_end = TESSERA_VA_END;
	args->max_ring_packets = TESSERA_MAX_RING_PACKETS;
	for (l = 0; l < ARRAY_SIZE(args->link_peer); l++)
		args->link_peer[l] = l < tdev->num_links ? tdev->link_peer[l] : T1_LINK_NO_PEER;
	return 0;
}

/*
 * Every ioctl runs inside drm_dev_enter() (so unplug waits for it) and
 * fails with -ENODEV once the device is lost or gone.
 */
#define TESSERA_IOCTL_GUARD(name)							\
static int tessera_guard_##name(struct drm_device *dev, void *data,			\
				struct drm_file *file)					\
{											\
	int idx, ret;									\
											\
	if (!drm_dev_enter(dev, &idx))							\
		return -ENODEV;								\
	ret = tessera_is_lost(to_tdev(dev)) ? -ENODEV :					\
					      tessera_ioctl_##name(dev, data, file);	\
	drm_dev_exit(idx);								\
	return ret;									\
}

TESSERA_IOCTL_GUARD(device_info)
TESSERA_IOCTL_GUARD(bo_create)
TESSERA_IOCTL_GUARD(bo_info)
TESSERA_IOCTL_GUARD(vm_map)
TESSERA_IOCTL_GUARD(vm_unmap)
TESSERA_IOCTL_GUARD(queue_create)
TESSERA_IOCTL_GUARD(queue_destroy)
TESSERA_IOCTL_GUARD(queue_status)
TESSERA_IOCTL_GUARD(submit)
TESSERA_IOCTL_GUARD(wait)
TESSERA_IOCTL_GUARD(get_faults)
TESSERA_IOCTL_GUARD(peer_attach)

static const struct drm_ioctl_desc tessera_ioctls[] = {
	DRM_IOCTL_DEF_DRV(TESSERA_DEVICE_INFO, tessera_guard_device_info, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_BO_CREATE, tessera_guard_bo_create, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_BO_INFO, tessera_guard_bo_info, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_VM_MAP, tessera_guard_vm_map, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_VM_UNMAP, tessera_guard_vm_unmap, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_QUEUE_CREATE, tessera_guard_queue_create, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_QUEUE_DESTROY, tessera_guard_queue_destroy, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_QUEUE_STATUS, tessera_guard_queue_status, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_SUBMIT, tessera_guard_submit, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_WAIT, tessera_guard_wait, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_GET_FAULTS, tessera_guard_get_faults, DRM_RENDER_ALLOW),
	DRM_IOCTL_DEF_DRV(TESSERA_PEER_ATTACH, tessera_guard_peer_attach, DRM_RENDER_ALLOW),
};

static const struct file_operations tessera_fops = {
	.owner = THIS_MODULE,
	DRM_GEM_FOPS,
	.show_fdinfo = tessera_show_fdinfo,
};

static const struct drm_driver tessera_drm_driver = {
	.driver_features = DRIVER_GEM | DRIVER_RENDER | DRIVER_SYNCOBJ,
	.open = tessera_open,
	.postclose = tessera_postclose,
	.ioctls = tessera_ioctls,
	.num_ioctls = ARRAY_SIZE(tessera_ioctls),
	.fops = &tessera_fops,
#ifdef CONFIG_DEBUG_FS
	.debugfs_init = tessera_debugfs_init,
#endif
	.name = TESSERA_DRIVER_NAME,
	.desc = "Tessera T1",
	.date = "20261129",
	.major = DRM_TESSERA_UAPI_VERSION_MAJOR,
	.minor = DRM_TESSERA_UAPI_VERSION_MINOR,
};

struct drm_file *tessera_drm_file(struct file *f)
{
	struct drm_file *file;

	/* Opening a DRM node installs the driver's own file operations. */
	if (f->f_op != &tessera_fops)
		return NULL;
	file = f->private_data;
	return file && file->minor->dev->driver == &tessera_drm_driver ? file : NULL;
}

/* ---- PCI ------------------------------------------------------------------ */

/* Runs when the last reference to the DRM device goes (after remove and
 * after the last file closed): everything that BOs or clients may use. */
static void tessera_drm_release(struct drm_device *drm, void *arg)
{
	struct tessera_device *tdev = arg;

	if (drm_mm_node_allocated(&tdev->ctx_table))
		tessera_mmu_fini(tdev);
	tessera_dmem_fini(tdev);
	if (tdev->wq)
		destroy_workqueue(tdev->wq);
	if (tdev->mem)
		iounmap(tdev->mem);
	if (tdev->regs)
		iounmap(tdev->regs);
}

/* Quietens the device: no queue runs and no interrupt is raised after it. */
static void tessera_hw_quiesce(struct tessera_device *tdev)
{
	if (tessera_is_lost(tdev))
		return;
	tessera_hw_reset(tdev);
}

static int tessera_start(struct tessera_device *tdev)
{
	int ret;

	ret = tessera_hw_reset(tdev);
	if (ret)
		return ret;
	ret = tessera_hw_handshake(tdev);
	if (ret)
		return ret;
	tessera_hw_read_ident(tdev);
	if (!tdev->num_queues) {
		drm_err(&tdev->drm, "the device has no queues\n");
		return -ENODEV;
	}
	ret = tessera_mmu_init(tdev);
	if (ret)
		return ret;
	tdev->fault_next = tessera_rd32(tdev, T1_REG_FAULT_COUNT);
	ret = tessera_irq_init(tdev);
	if (ret)
		return ret;
	/* Interrupts only now that every handler is installed. */
	ret = tessera_hw_post32(tdev, T1_REG_INT_MASK, (1u << T1_NUM_VECTORS) - 1);
	if (!ret)
		ret = tessera_hw_post32(tdev, T1_REG_CONTROL,
					T1_CONTROL_DRIVER_READY | T1_CONTROL_ENABLE);
	tessera_hw_kick(tdev);
	if (!ret)
		ret = tessera_hw_sync(tdev);
	if (!ret && !(tessera_rd32(tdev, T1_REG_STATUS) & T1_STATUS_ENABLED)) {
		drm_err(&tdev->drm, "the command processor did not start (STATUS %#x)\n",
			tessera_rd32(tdev, T1_REG_STATUS));
		ret = -EIO;
	}
	if (ret)
		tessera_irq_fini(tdev);
	return ret;
}

static int tessera_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct tessera_device *tdev;
	resource_size_t len;
	int ret;

	ret = pcim_enable_device(pdev);
	if (ret)
		return ret;
	len = pci_resource_len(pdev, T1_IVSHMEM_BAR_SHM);
	if (!(pci_resource_flags(pdev, T1_IVSHMEM_BAR_SHM) & IORESOURCE_MEM) ||
	    len <= T1_IVSHMEM_MEM_OFFSET) {
		dev_info(&pdev->dev, "ivshmem device with %pa bytes of shared memory: not a T1\n",
			 &len);
		return -ENODEV;
	}
	ret = pcim_iomap_regions(pdev, BIT(T1_IVSHMEM_BAR_REGS), TESSERA_DRIVER_NAME);
	if (ret)
		return ret;
	ret = pci_request_region(pdev, T1_IVSHMEM_BAR_SHM, TESSERA_DRIVER_NAME);
	if (ret)
		return ret;
	pci_set_master(pdev);

	tdev = devm_drm_dev_alloc(&pdev->dev, &tessera_drm_driver, struct tessera_device, drm);
	if (IS_ERR(tdev))
		return PTR_ERR(tdev);
	tdev->pdev = pdev;
	pci_set_drvdata(pdev, tdev);
	tdev->bar0 = pcim_iomap_table(pdev)[T1_IVSHMEM_BAR_REGS];
	tdev->shm_phys = pci_resource_start(pdev, T1_IVSHMEM_BAR_SHM);
	tdev->shm_len = len;
	spin_lock_init(&tdev->rwq_lock);
	spin_lock_init(&tdev->hwq_lock);
	spin_lock_init(&tdev->fault_lock);
	mutex_init(&tdev->queues_lock);
	mutex_init(&tdev->clients_lock);
	INIT_LIST_HEAD(&tdev->clients);
	INIT_LIST_HEAD(&tdev->peer_link);
	INIT_WORK(&tdev->lost_work, tessera_device_lost_work);
	ret = drmm_add_action_or_reset(&tdev->drm, tessera_drm_release, tdev);
	if (ret)
		return ret;

	/* Registers and transport uncached, device memory write-combined. */
	tdev->regs = ioremap(tdev->shm_phys, T1_IVSHMEM_MEM_OFFSET);
	if (!tdev->regs)
		return -ENOMEM;
	tdev->tp = tdev->regs + T1_IVSHMEM_TRANSPORT_OFFSET;
	ret = tessera_hw_transport_init(tdev);
	if (ret)
		return ret;
	tdev->mem_phys = tdev->shm_phys + T1_IVSHMEM_MEM_OFFSET;
	tdev->mem = ioremap_wc(tdev->mem_phys, tdev->mem_size);
	if (!tdev->mem)
		return -ENOMEM;
	tdev->wq = alloc_workqueue("tessera", WQ_UNBOUND | WQ_HIGHPRI, 0);
	if (!tdev->wq)
		return -ENOMEM;
	ret = tessera_dmem_init(tdev);
	if (ret)
		return ret;

	ret = tessera_start(tdev);
	if (ret)
		goto err_quiesce;
	tessera_hw_heartbeat_start(tdev);

	ret = drm_dev_register(&tdev->drm, 0);
	if (ret)
		goto err_heartbeat;
	tessera_peer_device_add(tdev);
	drm_info(&tdev->drm, "T1 %s rev %u, interface %u.%u (device %u.%u), %llu MiB, %u tiles, %u queues, %u contexts\n",
		 tdev->caps & T1_CAP_EMULATED ? "emulator" : "silicon", tdev->revision,
		 T1_VERSION_MAJOR(tdev->hw_version), T1_VERSION_MINOR(tdev->hw_version),
		 T1_VERSION_MAJOR(tdev->hw_version_device),
		 T1_VERSION_MINOR(tdev->hw_version_device),
		 tdev->mem_size >> 20, tdev->num_tiles, tdev->num_queues, tdev->num_contexts);
	return 0;

err_heartbeat:
	tessera_hw_heartbeat_stop(tdev);
	tessera_irq_fini(tdev);
err_quiesce:
	tessera_hw_quiesce(tdev);
	set_bit(TESSERA_FLAG_LOST, &tdev->flags);
	cancel_work_sync(&tdev->lost_work);
	return ret;
}

static void tessera_remove(struct pci_dev *pdev)
{
	struct tessera_device *tdev = pci_get_drvdata(pdev);

	/* Stop the device while it is still reachable, then treat it as
	 * lost: every job fails, every waiter wakes, every ioctl returns
	 * -ENODEV. Files may stay open; they free their state on close. */
	tessera_hw_quiesce(tdev);
	set_bit(TESSERA_FLAG_LOST, &tdev->flags);
	cancel_work_sync(&tdev->lost_work);
	tessera_device_lost_handle(tdev);
	/* Other chips' clients attached to contexts of this one stop. */
	tessera_peer_device_remove(tdev);

	drm_dev_unplug(&tdev->drm);
	tessera_hw_heartbeat_stop(tdev);
	tessera_irq_fini(tdev);
	flush_workqueue(tdev->wq);
	/* User mappings of device memory go; touching them gives SIGBUS. */
	unmap_mapping_range(tdev->drm.anon_inode->i_mapping, 0, 0, 1);
}

/* Reboot or power-off: stop the chip, so that no queue runs and no
 * interrupt arrives while the next kernel boots and probes it again. */
static void tessera_shutdown(struct pci_dev *pdev)
{
	struct tessera_device *tdev = pci_get_drvdata(pdev);

	if (tdev)
		tessera_hw_quiesce(tdev);
}

static const struct pci_device_id tessera_pci_ids[] = {
	{ PCI_DEVICE(T1_IVSHMEM_PCI_VENDOR_ID, T1_IVSHMEM_PCI_DEVICE_ID) },
	{ }
};
MODULE_DEVICE_TABLE(pci, tessera_pci_ids);

static struct pci_driver tessera_pci_driver = {
	.name = TESSERA_DRIVER_NAME,
	.id_table = tessera_pci_ids,
	.probe = tessera_probe,
	.remove = tessera_remove,
	.shutdown = tessera_shutdown,
};
module_pci_driver(tessera_pci_driver);

MODULE_DESCRIPTION("Tessera T1 accelerator (DRM render node)");
MODULE_AUTHOR("The Tessera authors");
MODULE_LICENSE("GPL");
