// SPDX-License-Identifier: Apache-2.0
/*
 * ioctl-size, ioctl-flags, ioctl-reserved, ioctl-handles, ioctl-pointers:
 * every tessera ioctl with one thing wrong at a time. The other fields are
 * valid (a real BO, mapping, queue and finished job, a file of the second
 * chip for PEER_ATTACH), so the one error is the only reason to fail and
 * the errno must name it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "uapi_test.h"

struct fixture {
	struct dev d;
	struct buf b;       /* 64 KiB BO mapped RW at VA(d, 1) */
	uint32_t q;         /* a queue whose job `seqno` has completed */
	uint64_t seqno;
	union t1_packet pkt; /* a valid DMA_FILL into b */
	uint32_t syncobj;
	struct t1_fault_record rec[4];
	unsigned next_va;   /* fresh VAs for VM_MAP attempts (MiB above va_base) */
	struct dev peer;    /* a file of the second chip, or fd -1 with one chip */
};

static void fixture_init(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	dev_open(&f->d);
	buf_new(&f->d, &f->b, 64 << 10, VA(&f->d, 1), DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE);
	REQUIRE_OK(queue_create(&f->d, 0, &f->q), "QUEUE_CREATE (default ring)");
	f->pkt = pkt_fill(f->b.va, 4096, 0x11223344u, 4);
	REQUIRE_OK(submit(&f->d, f->q, &f->pkt, 1, NULL, 0, 0, &f->seqno), "SUBMIT of a DMA_FILL");
	REQUIRE_OK(wait_job(&f->d, f->q, f->seqno, MS(10000)), "WAIT for the DMA_FILL");
	REQUIRE_OK(syncobj_create(&f->d, &f->syncobj), "SYNCOBJ_CREATE");
	f->next_va = 100;
	f->peer.fd = -1;
	if (dev_count() >= 2)
		dev_open_nth(&f->peer, 1);
	else
		printf("one tessera chip: PEER_ATTACH gets no valid argument here\n");
}

/* ---- the ioctl table ---------------------------------------------------------- */

union args {
	struct drm_tessera_device_info info;
	struct drm_tessera_bo_create bo_create;
	struct drm_tessera_bo_info bo_info;
	struct drm_tessera_vm_map vm_map;
	struct drm_tessera_vm_unmap vm_unmap;
	struct drm_tessera_queue_create queue_create;
	struct drm_tessera_queue_destroy queue_destroy;
	struct drm_tessera_queue_status queue_status;
	struct drm_tessera_submit submit;
	struct drm_tessera_wait wait;
	struct drm_tessera_get_faults get_faults;
	struct drm_tessera_peer_attach peer_attach;
	uint8_t bytes[256];
};

struct ioc {
	const char *name;
	unsigned long request;
	uint32_t struct_size;
	int reserved_offset;  /* offset of a u32 that must be 0, or -1 */
	uint32_t valid_flags;
	/* Fills a valid argument; the ioctl would succeed with it. */
	void (*fill)(struct fixture *f, union args *a);
};

static void fill_info(struct fixture *f, union args *a)
{
	(void)f;
	a->info.size = sizeof(a->info);
}

static void fill_bo_create(struct fixture *f, union args *a)
{
	(void)f;
	a->bo_create.size = sizeof(a->bo_create);
	a->bo_create.bytes = 4096;
}

static void fill_bo_info(struct fixture *f, union args *a)
{
	a->bo_info.size = sizeof(a->bo_info);
	a->bo_info.handle = f->b.handle;
}

static void fill_vm_map(struct fixture *f, union args *a)
{
	/* A fresh VA each time, so a wrongly accepted map cannot make the next
	 * attempt fail with EBUSY. */
	a->vm_map.size = sizeof(a->vm_map);
	a->vm_map.flags = DRM_TESSERA_VM_READ;
	a->vm_map.handle = f->b.handle;
	a->vm_map.va = VA(&f->d, f->next_va++);
	a->vm_map.length = 4096;
}

static void fill_vm_unmap(struct fixture *f, union args *a)
{
	a->vm_unmap.size = sizeof(a->vm_unmap);
	a->vm_unmap.va = f->b.va;
}

static void fill_queue_create(struct fixture *f, union args *a)
{
	(void)f;
	a->queue_create.size = sizeof(a->queue_create);
}

static void fill_queue_destroy(struct fixture *f, union args *a)
{
	a->queue_destroy.size = sizeof(a->queue_destroy);
	a->queue_destroy.queue_id = f->q;
}

static void fill_queue_status(struct fixture *f, union args *a)
{
	a->queue_status.size = sizeof(a->queue_status);
	a->queue_status.queue_id = f->q;
}

static void fill_submit(struct fixture *f, union args *a)
{
	a->submit.size = sizeof(a->submit);
	a->submit.queue_id = f->q;
	a->submit.packet_count = 1;
	a->submit.packets_ptr = (uintptr_t)&f->pkt;
}

static void fill_wait(struct fixture *f, union args *a)
{
	a->wait.size = sizeof(a->wait);
	a->wait.queue_id = f->q;
	a->wait.seqno = f->seqno;
}

static void fill_get_faults(struct fixture *f, union args *a)
{
	a->get_faults.size = sizeof(a->get_faults);
	a->get_faults.count = 4;
	a->get_faults.records_ptr = (uintptr_t)f->rec;
}

static void fill_peer_attach(struct fixture *f, union args *a)
{
	a->peer_attach.size = sizeof(a->peer_attach);
	a->peer_attach.peer_fd = f->peer.fd;
}

#define IOC(n, req, type, res, flags, fn) \
	{ n, req, sizeof(struct type), res, flags, fn }

static const struct ioc iocs[] = {
	IOC("DEVICE_INFO", DRM_IOCTL_TESSERA_DEVICE_INFO, drm_tessera_device_info,
	    offsetof(struct drm_tessera_device_info, reserved), 0, fill_info),
	IOC("BO_CREATE", DRM_IOCTL_TESSERA_BO_CREATE, drm_tessera_bo_create,
	    offsetof(struct drm_tessera_bo_create, reserved), 0, fill_bo_create),
	IOC("BO_INFO", DRM_IOCTL_TESSERA_BO_INFO, drm_tessera_bo_info,
	    offsetof(struct drm_tessera_bo_info, reserved), 0, fill_bo_info),
	IOC("VM_MAP", DRM_IOCTL_TESSERA_VM_MAP, drm_tessera_vm_map,
	    offsetof(struct drm_tessera_vm_map, reserved), DRM_TESSERA_VM_PERMS, fill_vm_map),
	IOC("VM_UNMAP", DRM_IOCTL_TESSERA_VM_UNMAP, drm_tessera_vm_unmap, -1, 0, fill_vm_unmap),
	IOC("QUEUE_CREATE", DRM_IOCTL_TESSERA_QUEUE_CREATE, drm_tessera_queue_create,
	    offsetof(struct drm_tessera_queue_create, reserved), 0, fill_queue_create),
	IOC("QUEUE_DESTROY", DRM_IOCTL_TESSERA_QUEUE_DESTROY, drm_tessera_queue_destroy,
	    offsetof(struct drm_tessera_queue_destroy, reserved), 0, fill_queue_destroy),
	IOC("QUEUE_STATUS", DRM_IOCTL_TESSERA_QUEUE_STATUS, drm_tessera_queue_status,
	    offsetof(struct drm_tessera_queue_status, reserved), 0, fill_queue_status),
	IOC("SUBMIT", DRM_IOCTL_TESSERA_SUBMIT, drm_tessera_submit,
	    offsetof(struct drm_tessera_submit, reserved), 0, fill_submit),
	IOC("WAIT", DRM_IOCTL_TESSERA_WAIT, drm_tessera_wait,
	    offsetof(struct drm_tessera_wait, reserved), DRM_TESSERA_WAIT_CONTEXT_EVENT, fill_wait),
	IOC("GET_FAULTS", DRM_IOCTL_TESSERA_GET_FAULTS, drm_tessera_get_faults, -1, 0,
	    fill_get_faults),
	IOC("PEER_ATTACH", DRM_IOCTL_TESSERA_PEER_ATTACH, drm_tessera_peer_attach,
	    offsetof(struct drm_tessera_peer_attach, reserved), 0, fill_peer_attach),
};
#define NUM_IOCS (sizeof(iocs) / sizeof(iocs[0]))

static int call(struct fixture *f, const struct ioc *ioc, union args *a)
{
	return tioctl(f->d.fd, ioc->request, a);
}

/* Every table entry's valid argument works: the bad-argument checks below
 * change one field of exactly these. QUEUE_DESTROY and VM_UNMAP are left
 * out, they would take the fixture's queue and mapping away. */
static void check_valid_args(struct fixture *f)
{
	for (size_t i = 0; i < NUM_IOCS; i++) {
		const struct ioc *ioc = &iocs[i];
		union args a;

		if (ioc->request == DRM_IOCTL_TESSERA_QUEUE_DESTROY ||
		    ioc->request == DRM_IOCTL_TESSERA_VM_UNMAP)
			continue;
		if (ioc->request == DRM_IOCTL_TESSERA_PEER_ATTACH && f->peer.fd < 0)
			continue;
		memset(&a, 0, sizeof(a));
		ioc->fill(f, &a);
		CHECK_OK(call(f, ioc, &a), "%s with a valid argument", ioc->name);
	}
}

void test_ioctl_size(void)
{
	struct fixture f;

	fixture_init(&f);
	check_valid_args(&f);
	for (size_t i = 0; i < NUM_IOCS; i++) {
		const struct ioc *ioc = &iocs[i];
		const uint32_t sizes[] = { 0, ioc->struct_size - 1, ioc->struct_size + 8,
					   ioc->struct_size / 2, 0xffffffffu };
		for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
			union args a;

			memset(&a, 0, sizeof(a));
			ioc->fill(&f, &a);
			memcpy(&a, &sizes[s], sizeof(uint32_t));
			CHECK_ERR(EINVAL, call(&f, ioc, &a), "%s with size %u (sizeof is %u)", ioc->name,
				  sizes[s], ioc->struct_size);
		}
	}
	check_device_alive(&f.d);
}

void test_ioctl_flags(void)
{
	struct fixture f;

	fixture_init(&f);
	for (size_t i = 0; i < NUM_IOCS; i++) {
		const struct ioc *ioc = &iocs[i];
		const uint32_t bad[] = { 0x10, 0x100, 0x80000000u, ~ioc->valid_flags };
		for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
			union args a;
			uint32_t flags;

			memset(&a, 0, sizeof(a));
			ioc->fill(&f, &a);
			memcpy(&flags, a.bytes + 4, sizeof(flags));
			flags |= bad[k] & ~ioc->valid_flags;
			memcpy(a.bytes + 4, &flags, sizeof(flags));
			CHECK_ERR(EINVAL, call(&f, ioc, &a), "%s with unknown flags 0x%x", ioc->name,
				  bad[k] & ~ioc->valid_flags);
		}
	}
	check_device_alive(&f.d);
}

void test_ioctl_reserved(void)
{
	struct fixture f;

	fixture_init(&f);
	for (size_t i = 0; i < NUM_IOCS; i++) {
		const struct ioc *ioc = &iocs[i];

		if (ioc->reserved_offset < 0)
			continue;
		const uint32_t bad[] = { 1, 0x80000000u };
		for (size_t k = 0; k < 2; k++) {
			union args a;

			memset(&a, 0, sizeof(a));
			ioc->fill(&f, &a);
			memcpy(a.bytes + ioc->reserved_offset, &bad[k], sizeof(uint32_t));
			CHECK_ERR(EINVAL, call(&f, ioc, &a), "%s with reserved = 0x%x", ioc->name,
				  bad[k]);
		}
	}
	/* WAIT with CONTEXT_EVENT wants queue_id 0. */
	struct drm_tessera_wait w = {
		.size = sizeof(w),
		.flags = DRM_TESSERA_WAIT_CONTEXT_EVENT,
		.queue_id = f.q,
	};
	CHECK_ERR(EINVAL, tioctl(f.d.fd, DRM_IOCTL_TESSERA_WAIT, &w),
		  "WAIT CONTEXT_EVENT with queue_id %u (must be 0)", f.q);
	check_device_alive(&f.d);
}

void test_ioctl_handles(void)
{
	struct fixture f;
	const uint32_t bogus[] = { 0, 0xdead, 0xffffffffu };

	fixture_init(&f);
	/* A closed BO's handle and a destroyed queue's id are bad too. */
	uint32_t closed, gone;
	REQUIRE_OK(bo_create(&f.d, 4096, &closed), "BO_CREATE");
	REQUIRE_OK(bo_close(&f.d, closed), "GEM_CLOSE");
	REQUIRE_OK(queue_create(&f.d, 0, &gone), "QUEUE_CREATE");
	REQUIRE_OK(queue_destroy(&f.d, gone), "QUEUE_DESTROY");

	for (size_t k = 0; k < 4; k++) {
		uint32_t h = k < 3 ? bogus[k] : closed;

		CHECK_ERR(ENOENT, bo_info(&f.d, h, NULL), "BO_INFO of handle %u", h);
		CHECK_ERR(ENOENT, vm_map(&f.d, h, 0, VA(&f.d, 200 + k), 4096, DRM_TESSERA_VM_READ),
			  "VM_MAP of handle %u", h);
	}
	const uint32_t bad_queues[] = { 0, f.q + 100, 0xdead, 0xffffffffu, gone };
	for (size_t k = 0; k < sizeof(bad_queues) / sizeof(bad_queues[0]); k++) {
		uint32_t q = bad_queues[k];
		struct drm_tessera_queue_status st;

		if (q == f.q) /* queue ids may start at 0 */
			continue;
		CHECK_ERR(ENOENT, queue_status(&f.d, q, &st), "QUEUE_STATUS of queue %u", q);
		CHECK_ERR(ENOENT, submit(&f.d, q, &f.pkt, 1, NULL, 0, 0, NULL), "SUBMIT to queue %u", q);
		CHECK_ERR(ENOENT, wait_job(&f.d, q, 1, 0), "WAIT on queue %u", q);
		CHECK_ERR(ENOENT, queue_destroy(&f.d, q), "QUEUE_DESTROY of queue %u", q);
	}
	CHECK_ERR(ENOENT, vm_unmap(&f.d, VA(&f.d, 300)), "VM_UNMAP of a VA never mapped");
	CHECK_ERR(ENOENT, vm_unmap(&f.d, f.b.va + 4096),
		  "VM_UNMAP inside a mapping, not at its start");

	/* Syncobj handles of a SUBMIT. */
	uint32_t bad_sync = 0xbeef;
	CHECK_ERR(ENOENT, submit(&f.d, f.q, &f.pkt, 1, &bad_sync, 1, 0, NULL),
		  "SUBMIT waiting on syncobj handle 0x%x that does not exist", bad_sync);
	CHECK_ERR(ENOENT, submit(&f.d, f.q, &f.pkt, 1, NULL, 0, bad_sync, NULL),
		  "SUBMIT signalling syncobj handle 0x%x that does not exist", bad_sync);
	/* The fixture's objects are still there. */
	CHECK_OK(bo_info(&f.d, f.b.handle, NULL), "BO_INFO of the fixture's BO afterwards");
	check_device_alive(&f.d);
}

void test_ioctl_pointers(void)
{
	struct fixture f;
	void *bad_ptrs[] = { (void *)16, (void *)0xfffffffffffff000ull };

	fixture_init(&f);
	/* The argument pointer itself (DRM's ioctl entry copies it in). */
	for (size_t i = 0; i < NUM_IOCS; i++) {
		for (size_t k = 0; k < 2; k++)
			CHECK_ERR(EFAULT, tioctl(f.d.fd, iocs[i].request, bad_ptrs[k]),
				  "%s with its argument at %p", iocs[i].name, bad_ptrs[k]);
	}
	/* SUBMIT's packet array: NULL, junk, and one that runs into an unmapped page. */
	CHECK_ERR(EFAULT, submit(&f.d, f.q, NULL, 1, NULL, 0, 0, NULL), "SUBMIT with packets_ptr 0");
	CHECK_ERR(EFAULT, submit(&f.d, f.q, (const union t1_packet *)16, 1, NULL, 0, 0, NULL),
		  "SUBMIT with packets_ptr 16");
	uint8_t *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	REQUIRE(pages != MAP_FAILED, "mmap of two anonymous pages");
	REQUIRE(munmap(pages + 4096, 4096) == 0, "munmap of the second page");
	union t1_packet *edge = (union t1_packet *)(pages + 4096 - 64);
	*edge = f.pkt;
	CHECK_OK(submit(&f.d, f.q, edge, 1, NULL, 0, 0, NULL),
		 "SUBMIT of one packet that ends at the page end");
	CHECK_ERR(EFAULT, submit(&f.d, f.q, edge, 2, NULL, 0, 0, NULL),
		  "SUBMIT of two packets whose second lies in an unmapped page");
	/* SUBMIT's syncobj array. */
	CHECK_ERR(EFAULT, submit(&f.d, f.q, &f.pkt, 1, (const uint32_t *)16, 1, 0, NULL),
		  "SUBMIT with in_syncobjs_ptr 16");
	CHECK_ERR(EFAULT, submit(&f.d, f.q, &f.pkt, 1, (const uint32_t *)(pages + 4096 - 2), 1, 0,
				 NULL),
		  "SUBMIT with an in_syncobjs array that runs into an unmapped page");
	/* GET_FAULTS writes records only when there are some; with none, a bad
	 * pointer may go untouched. The fault subtest checks it with a record. */
	uint32_t count = 99;
	CHECK_ERR2(0, EFAULT, get_faults(&f.d, (struct t1_fault_record *)16, 4, &count, NULL),
		   "GET_FAULTS into a bad pointer with no faults pending");
	munmap(pages, 4096);
	check_device_alive(&f.d);
}
