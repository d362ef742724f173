// SPDX-License-Identifier: Apache-2.0
/* The render node, thin ioctl wrappers and T1 packet builders. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi_test.h"

int tioctl(int fd, unsigned long request, void *arg)
{
	int r;

	do {
		r = ioctl(fd, request, arg);
	} while (r == -1 && (errno == EINTR || errno == EAGAIN));
	return r;
}

/* The DRM driver name of an open node, or "" if it does not answer. */
static void driver_name(int fd, char *name, size_t len)
{
	struct drm_version v;

	memset(&v, 0, sizeof(v));
	memset(name, 0, len);
	v.name = name;
	v.name_len = len - 1;
	if (tioctl(fd, DRM_IOCTL_VERSION, &v) != 0)
		name[0] = 0;
}

/* Opens the n-th render node (0-based, in minor order) whose driver is
 * "tessera"; -1 when there are not that many. */
static int open_nth(int n, char *path_out, size_t len)
{
	const char *forced = getenv("TESSERA_UAPI_DEVICE");
	int seen = 0;

	for (int minor = 128; minor < 192; minor++) {
		char path[64], name[32];

		if (forced)
			snprintf(path, sizeof(path), "%s", forced);
		else
			snprintf(path, sizeof(path), "/dev/dri/renderD%d", minor);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			driver_name(fd, name, sizeof(name));
			if (strcmp(name, "tessera") == 0 && seen++ == n) {
				snprintf(path_out, len, "%s", path);
				return fd;
			}
			close(fd);
		}
		if (forced)
			break;
	}
	return -1;
}

int dev_count(void)
{
	char path[64];
	int n = 0;

	for (;;) {
		int fd = open_nth(n, path, sizeof(path));
		if (fd < 0)
			return n;
		close(fd);
		n++;
	}
}

void dev_open_nth(struct dev *d, int n)
{
	const char *forced = getenv("TESSERA_UAPI_DEVICE");

	memset(d, 0, sizeof(*d));
	d->fd = open_nth(n, d->path, sizeof(d->path));
	REQUIRE(d->fd >= 0, "render node number %d whose driver is \"tessera\" (%s)", n,
		forced ? forced : "/dev/dri/renderD128..191");
	d->info.size = sizeof(d->info);
	REQUIRE_OK(tioctl(d->fd, DRM_IOCTL_TESSERA_DEVICE_INFO, &d->info), "DEVICE_INFO on %s",
		   d->path);
}

void dev_open(struct dev *d)
{
	dev_open_nth(d, 0);
}

void dev_close(struct dev *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

uint64_t va_base(const struct dev *d)
{
	const uint64_t align = 2ull << 20;

	return (d->info.va_start + align - 1) & ~(align - 1);
}

int peer_attach(struct dev *d, int peer_fd, struct drm_tessera_peer_attach *out)
{
	struct drm_tessera_peer_attach a = { .size = sizeof(a), .peer_fd = peer_fd };
	int r = tioctl(d->fd, DRM_IOCTL_TESSERA_PEER_ATTACH, &a);

	if (r == 0 && out)
		*out = a;
	return r;
}

int bo_create(struct dev *d, uint64_t bytes, uint32_t *handle)
{
	struct drm_tessera_bo_create c = { .size = sizeof(c), .bytes = bytes };
	int r = tioctl(d->fd, DRM_IOCTL_TESSERA_BO_CREATE, &c);

	if (r == 0 && handle)
		*handle = c.handle;
	return r;
}

int bo_info(struct dev *d, uint32_t handle, struct drm_tessera_bo_info *out)
{
	struct drm_tessera_bo_info i = { .size = sizeof(i), .handle = handle };
	int r = tioctl(d->fd, DRM_IOCTL_TESSERA_BO_INFO, &i);

	if (r == 0 && out)
		*out = i;
	return r;
}

int bo_close(struct dev *d, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	return tioctl(d->fd, DRM_IOCTL_GEM_CLOSE, &c);
}

int vm_map(struct dev *d, uint32_t handle, uint64_t bo_offset, uint64_t va, uint64_t length,
	   uint32_t flags)
{
	struct drm_tessera_vm_map m = {
		.size = sizeof(m),
		.flags = flags,
		.handle = handle,
		.bo_offset = bo_offset,
		.va = va,
		.length = length,
	};
	return tioctl(d->fd, DRM_IOCTL_TESSERA_VM_MAP, &m);
}

int vm_unmap(struct dev *d, uint64_t va)
{
	struct drm_tessera_vm_unmap u = { .size = sizeof(u), .va = va };

	return tioctl(d->fd, DRM_IOCTL_TESSERA_VM_UNMAP, &u);
}

int queue_create(struct dev *d, uint32_t ring_packets, uint32_t *queue_id)
{
	struct drm_tessera_queue_create c = { .size = sizeof(c), .ring_packets = ring_packets };
	int r = tioctl(d->fd, DRM_IOCTL_TESSERA_QUEUE_CREATE, &c);

	if (r == 0 && queue_id)
		*queue_id = c.queue_id;
	return r;
}

int queue_destroy(struct dev *d, uint32_t queue_id)
{
	struct drm_tessera_queue_destroy q = { .size = sizeof(q), .queue_id = queue_id };

	return tioctl(d->fd, DRM_IOCTL_TESSERA_QUEUE_DESTROY, &q);
}

int queue_status(struct dev *d, uint32_t queue_id, struct drm_tessera_queue_status *out)
{
	struct drm_tessera_queue_status s = { .size = sizeof(s), .queue_id = queue_id };
	int r = tioctl(d->fd, DRM_IOCTL_TESSERA_QUEUE_STATUS, &s);

	if (r == 0 && out)
		*out = s;
	return r;
}

int submit(struct dev *d, uint32_t queue_id, const union t1_packet *packets, uint32_t n,
	   const uint32_t *in_syncobjs, uint32_t in_count, uint32_t out_syncobj, uint64_t *seqno)
{
	struct drm_tessera_submit s = {
		.size = sizeof(s),
		.queue_id = queue_id,
		.packet_count = n,
		.packets_ptr = (uintptr_t)packets,
		.in_syncobjs_ptr = (uintptr_t)in_syncobjs,
		.in_syncobj_count = in_count,
		.out_syncobj = out_syncobj,
	};
	int r = tioctl(d->fd, DRM_IOCTL_TESSERA_SUBMIT, &s);

	if (r == 0 && seqno)
		*seqno = s.seqno;
	return r;
}

int wait_job(struct dev *d, uint32_t queue_id, uint64_t seqno, uint64_t timeout_ns)
{
	struct drm_tessera_wait w = {
		.size = sizeof(w),
		.queue_id = queue_id,
		.seqno = seqno,
		.timeout_ns = timeout_ns,
	};
	return tioctl(d->fd, DRM_IOCTL_TESSERA_WAIT, &w);
}

int get_faults(struct dev *d, struct t1_fault_record *records, uint32_t capacity,
	       uint32_t *count, uint32_t *lost)
{
	struct drm_tessera_get_faults g = {
		.size = sizeof(g),
		.count = capacity,
		.records_ptr = (uintptr_t)records,
	};
	int r = tioctl(d->fd, DRM_IOCTL_TESSERA_GET_FAULTS, &g);

	if (r == 0) {
		if (count)
			*count = g.count;
		if (lost)
			*lost = g.lost;
	}
	return r;
}

int syncobj_create(struct dev *d, uint32_t *handle)
{
	struct drm_syncobj_create c = { 0 };
	int r = tioctl(d->fd, DRM_IOCTL_SYNCOBJ_CREATE, &c);

	if (r == 0)
		*handle = c.handle;
	return r;
}

int syncobj_destroy(struct dev *d, uint32_t handle)
{
	struct drm_syncobj_destroy c = { .handle = handle };

	return tioctl(d->fd, DRM_IOCTL_SYNCOBJ_DESTROY, &c);
}

int syncobj_wait(struct dev *d, uint32_t handle, uint64_t timeout_ns)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	/* The timeout of DRM_IOCTL_SYNCOBJ_WAIT is absolute (CLOCK_MONOTONIC). */
	struct drm_syncobj_wait w = {
		.handles = (uintptr_t)&handle,
		.timeout_nsec = (int64_t)now.tv_sec * 1000000000ll + now.tv_nsec +
				(int64_t)timeout_ns,
		.count_handles = 1,
		.flags = DRM_SYNCOBJ_WAIT_FLAGS_WAIT_FOR_SUBMIT,
	};
	return tioctl(d->fd, DRM_IOCTL_SYNCOBJ_WAIT, &w);
}

void buf_new(struct dev *d, struct buf *b, uint64_t bytes, uint64_t va, uint32_t vm_flags)
{
	struct drm_tessera_bo_info info = { 0 };

	memset(b, 0, sizeof(*b));
	REQUIRE_OK(bo_create(d, bytes, &b->handle), "BO_CREATE of %llu bytes",
		   (unsigned long long)bytes);
	REQUIRE_OK(bo_info(d, b->handle, &info), "BO_INFO of a new BO");
	b->bytes = info.bytes;
	b->mmap_offset = info.mmap_offset;
	REQUIRE(b->bytes >= bytes && b->bytes % 4096 == 0,
		"BO of %llu bytes has %llu bytes, a 4 KiB multiple >= the request",
		(unsigned long long)bytes, (unsigned long long)b->bytes);
	void *p = mmap(NULL, b->bytes, PROT_READ | PROT_WRITE, MAP_SHARED, d->fd,
		       (off_t)b->mmap_offset);
	REQUIRE(p != MAP_FAILED, "mmap of a BO (%llu bytes at offset 0x%llx): %s",
		(unsigned long long)b->bytes, (unsigned long long)b->mmap_offset,
		p == MAP_FAILED ? strerror(errno) : "ok");
	b->map = p;
	if (va) {
		REQUIRE_OK(vm_map(d, b->handle, 0, va, b->bytes, vm_flags),
			   "VM_MAP of %llu bytes at 0x%llx", (unsigned long long)b->bytes,
			   (unsigned long long)va);
		b->va = va;
	}
}

void buf_unmap(struct buf *b)
{
	if (b->map)
		munmap((void *)b->map, b->bytes);
	b->map = NULL;
}

int run_job(struct dev *d, uint32_t queue_id, const union t1_packet *packets, uint32_t n)
{
	uint64_t seqno;

	if (submit(d, queue_id, packets, n, NULL, 0, 0, &seqno) != 0)
		return -1;
	return wait_job(d, queue_id, seqno, MS(10000));
}

union t1_packet pkt_fill(uint64_t dst, uint64_t size, uint32_t pattern, uint16_t width)
{
	union t1_packet p;

	memset(&p, 0, sizeof(p));
	p.fill.header = T1_PKT_TYPE_DMA_FILL | T1_PKT_BARRIER;
	p.fill.width = width;
	p.fill.pattern = pattern;
	p.fill.dst = dst;
	p.fill.size = size;
	return p;
}

union t1_packet pkt_copy(uint64_t src, uint64_t dst, uint64_t size)
{
	union t1_packet p;

	memset(&p, 0, sizeof(p));
	p.copy.header = T1_PKT_TYPE_DMA_COPY | T1_PKT_BARRIER;
	p.copy.src = src;
	p.copy.dst = dst;
	p.copy.size = size;
	return p;
}

union t1_packet pkt_peer_copy(uint64_t src, uint64_t dst, uint64_t size, uint32_t peer_device,
			      uint32_t peer_context)
{
	union t1_packet p = pkt_copy(src, dst, size);

	p.copy.flags = T1_DMA_FLAG_PEER;
	p.copy.peer_device = (uint16_t)peer_device;
	p.copy.peer_context = peer_context;
	return p;
}

union t1_packet pkt_signal(uint64_t signal_va, uint16_t op, int64_t value)
{
	union t1_packet p;

	memset(&p, 0, sizeof(p));
	p.signal.header = T1_PKT_TYPE_SIGNAL | T1_PKT_BARRIER;
	p.signal.op = op;
	p.signal.signal = signal_va;
	p.signal.value = value;
	return p;
}

union t1_packet pkt_barrier_and(uint64_t signal_va)
{
	union t1_packet p;

	memset(&p, 0, sizeof(p));
	p.barrier_and.header = T1_PKT_TYPE_BARRIER_AND | T1_PKT_BARRIER;
	p.barrier_and.dep_signal[0] = signal_va;
	return p;
}

union t1_packet pkt_dispatch(uint64_t entry, uint64_t kernarg)
{
	union t1_packet p;

	memset(&p, 0, sizeof(p));
	p.dispatch.header = T1_PKT_TYPE_KERNEL_DISPATCH | T1_PKT_BARRIER;
	p.dispatch.block_x = p.dispatch.block_y = p.dispatch.block_z = 1;
	p.dispatch.grid_x = p.dispatch.grid_y = p.dispatch.grid_z = 1;
	p.dispatch.entry = entry;
	p.dispatch.kernarg = kernarg;
	return p;
}

const uint32_t kernel_load_from_zero[2] = {
	0x00003503, /* ld a0, 0(zero): VA 0 is never mapped -> UNMAPPED fault */
	0x00100073, /* ebreak (not reached) */
};

const uint32_t kernel_store_5a[3] = {
	0x05a00313, /* addi t1, zero, 0x5a */
	0x00653023, /* sd t1, 0(a0) (a0 = kernarg) */
	0x0000100b, /* t.exit */
};

void check_device_alive(struct dev *d)
{
	struct buf b;
	uint32_t q = 0;

	buf_new(d, &b, 4096, VA(d, 1000), DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE);
	REQUIRE_OK(queue_create(d, 0, &q), "QUEUE_CREATE for the after-check");
	union t1_packet p = pkt_fill(b.va, 4096, 0xa5a5a5a5u, 4);
	CHECK_OK(run_job(d, q, &p, 1), "a DMA_FILL job after everything else (the device survived)");
	bool all = true;
	for (int i = 0; i < 4096; i++)
		all &= b.map[i] == 0xa5;
	CHECK(all, "the after-check DMA_FILL wrote its pattern");
	CHECK_OK(queue_destroy(d, q), "QUEUE_DESTROY after the after-check");
}
