// SPDX-License-Identifier: Apache-2.0
/*
 * bo-create, vm-map, queue-args, submit-args: the value checks of each
 * ioctl (sizes, alignment, ranges, overlaps, permissions, packet headers)
 * and that what is accepted behaves as documented.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "uapi_test.h"

static uint64_t free_bytes(struct dev *d)
{
	struct drm_tessera_device_info i = { .size = sizeof(i) };

	if (tioctl(d->fd, DRM_IOCTL_TESSERA_DEVICE_INFO, &i) != 0)
		return 0;
	return i.memory_free;
}

void test_bo_create(void)
{
	struct dev d;
	uint32_t h, h2;
	struct drm_tessera_bo_info info;

	dev_open(&d);
	uint64_t free0 = free_bytes(&d);
	CHECK_ERR(EINVAL, bo_create(&d, 0, NULL), "BO_CREATE of 0 bytes");
	const uint64_t absurd[] = { UINT64_MAX, UINT64_MAX - 4095, 1ull << 62,
				    d.info.memory_bytes + 4096, d.info.memory_bytes * 2 };
	for (size_t i = 0; i < sizeof(absurd) / sizeof(absurd[0]); i++)
		CHECK_ERR2(ENOMEM, EINVAL, bo_create(&d, absurd[i], NULL), "BO_CREATE of %llu bytes",
			   (unsigned long long)absurd[i]);
	CHECK(free_bytes(&d) == free0, "memory_free unchanged by failed creates (%llu -> %llu)",
	      (unsigned long long)free0, (unsigned long long)free_bytes(&d));

	/* Sizes round up to 4 KiB. */
	const uint64_t asked[] = { 1, 4095, 4096, 4097, 100000 };
	for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		uint64_t want = (asked[i] + 4095) & ~4095ull;

		if (bo_create(&d, asked[i], &h) != 0) {
			CHECK_OK(-1, "BO_CREATE of %llu bytes", (unsigned long long)asked[i]);
			continue;
		}
		CHECK_OK(bo_info(&d, h, &info), "BO_INFO");
		CHECK(info.bytes == want, "BO of %llu bytes has %llu (want %llu)",
		      (unsigned long long)asked[i], (unsigned long long)info.bytes,
		      (unsigned long long)want);
		CHECK(info.mmap_offset != 0 && info.mmap_offset % 4096 == 0,
		      "mmap_offset 0x%llx is a non-zero page multiple",
		      (unsigned long long)info.mmap_offset);
		CHECK_OK(bo_close(&d, h), "GEM_CLOSE");
	}

	/* New BOs are zeroed, also where a freed BO held data. */
	struct buf a;
	buf_new(&d, &a, 1 << 20, 0, 0);
	bool zero = true;
	for (uint64_t i = 0; i < a.bytes; i++)
		zero &= a.map[i] == 0;
	CHECK(zero, "a new 1 MiB BO reads as zeros");
	memset((void *)a.map, 0x5c, a.bytes);
	munmap((void *)a.map, a.bytes);
	CHECK_OK(bo_close(&d, a.handle), "GEM_CLOSE of the written BO");
	struct buf b;
	buf_new(&d, &b, 1 << 20, 0, 0);
	zero = true;
	for (uint64_t i = 0; i < b.bytes; i++)
		zero &= b.map[i] == 0;
	CHECK(zero, "a BO created after freeing a written one reads as zeros");

	/* Handles are distinct; a mapping beyond the BO is refused. */
	CHECK_OK(bo_create(&d, 4096, &h), "BO_CREATE");
	CHECK_OK(bo_create(&d, 4096, &h2), "BO_CREATE");
	CHECK(h != h2 && h != 0 && h2 != 0, "two BOs have distinct non-zero handles (%u, %u)", h, h2);
	CHECK_OK(bo_info(&d, h, &info), "BO_INFO");
	void *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, d.fd, (off_t)info.mmap_offset);
	CHECK(p == MAP_FAILED, "mmap of 8 KiB of a 4 KiB BO fails");
	if (p != MAP_FAILED)
		munmap(p, 8192);
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, d.fd, (off_t)(info.mmap_offset + (1ull << 40)));
	CHECK(p == MAP_FAILED, "mmap at an offset no BO has fails");
	if (p != MAP_FAILED)
		munmap(p, 4096);
	CHECK_OK(bo_close(&d, h), "GEM_CLOSE");
	CHECK_ERR(ENOENT, bo_info(&d, h, NULL), "BO_INFO of a closed handle");
	check_device_alive(&d);
}

void test_vm_map(void)
{
	struct dev d;
	const uint32_t R = DRM_TESSERA_VM_READ, W = DRM_TESSERA_VM_WRITE, X = DRM_TESSERA_VM_EXEC;

	dev_open(&d);
	struct buf b;
	buf_new(&d, &b, 64 << 10, 0, 0);
	const uint64_t va = VA(&d, 2), len = b.bytes;
	uint32_t h = b.handle;

	CHECK_OK(vm_map(&d, h, 0, va, len, R | W), "VM_MAP of 64 KiB RW");
	/* Overlaps. */
	CHECK_ERR(EBUSY, vm_map(&d, h, 0, va, len, R), "VM_MAP over the same range");
	CHECK_ERR(EBUSY, vm_map(&d, h, 0, va + 4096, 4096, R), "VM_MAP inside a mapping");
	CHECK_ERR(EBUSY, vm_map(&d, h, 0, va - 4096, 8192, R), "VM_MAP overlapping a mapping's start");
	CHECK_ERR(EBUSY, vm_map(&d, h, 0, va + len - 4096, 8192, R),
		  "VM_MAP overlapping a mapping's end");
	CHECK_OK(vm_map(&d, h, 0, va + len, 4096, R), "VM_MAP right after a mapping");
	CHECK_OK(vm_map(&d, h, 0, va - 4096, 4096, R), "VM_MAP right before a mapping");
	/* Alignment and length. */
	const uint64_t o = VA(&d, 3);
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o + 1, 4096, R), "VM_MAP at a misaligned VA (+1)");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o + 2048, 4096, R), "VM_MAP at a misaligned VA (+2048)");
	CHECK_ERR(EINVAL, vm_map(&d, h, 100, o, 4096, R), "VM_MAP of a misaligned bo_offset");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o, 4095, R), "VM_MAP of a misaligned length");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o, 0, R), "VM_MAP of length 0");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o, len + 4096, R), "VM_MAP longer than the BO");
	CHECK_ERR(EINVAL, vm_map(&d, h, len, o, 4096, R), "VM_MAP at bo_offset == BO size");
	CHECK_ERR(EINVAL, vm_map(&d, h, 4096, o, len, R), "VM_MAP whose bo_offset + length passes the end");
	CHECK_ERR(EINVAL, vm_map(&d, h, 4096, o, UINT64_MAX - 4095, R),
		  "VM_MAP whose bo_offset + length overflows");
	/* Range. */
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, 0, 4096, R), "VM_MAP at VA 0");
	if (d.info.va_start >= 4096)
		CHECK_ERR(EINVAL, vm_map(&d, h, 0, d.info.va_start - 4096, 4096, R),
			  "VM_MAP just below va_start");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, d.info.va_start - 4096, 8192, R),
		  "VM_MAP straddling va_start");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, d.info.va_end, 4096, R), "VM_MAP at va_end");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, d.info.va_end - 4096, 8192, R), "VM_MAP straddling va_end");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, 0xffff800000000000ull, 4096, R),
		  "VM_MAP at a kernel-half VA");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, 0xfffffffffffff000ull, 8192, R),
		  "VM_MAP whose VA range wraps around");
	/* The scratchpad aperture is never translated: no mapping may cover it. */
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, T1_SHARED_APERTURE_BASE, 4096, R),
		  "VM_MAP in the shared (scratchpad) aperture");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, T1_SHARED_APERTURE_BASE + T1_SHARED_APERTURE_SIZE - 4096, 4096, R),
		  "VM_MAP at the last page of the shared aperture");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, T1_SHARED_APERTURE_BASE - 4096, 8192, R),
		  "VM_MAP running into the shared aperture");
	/* Permissions. */
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o, 4096, 0), "VM_MAP without permissions");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o, 4096, W), "VM_MAP with WRITE without READ");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o, 4096, X), "VM_MAP with EXEC only");
	CHECK_ERR(EINVAL, vm_map(&d, h, 0, o, 4096, W | X), "VM_MAP with WRITE|EXEC without READ");
	CHECK_OK(vm_map(&d, h, 0, o, 4096, R | X), "VM_MAP READ|EXEC");
	CHECK_OK(vm_map(&d, h, 0, o + 4096, 4096, R | W | X), "VM_MAP READ|WRITE|EXEC");
	CHECK_OK(vm_map(&d, h, 8192, o + 8192, 4096, R), "VM_MAP of a BO's third page");

	/* Unmap: only at a mapping's start, once; the range is free again. */
	CHECK_OK(vm_unmap(&d, va), "VM_UNMAP");
	CHECK_ERR(ENOENT, vm_unmap(&d, va), "VM_UNMAP of the same VA again");
	CHECK_OK(vm_map(&d, h, 0, va, len, R | W), "VM_MAP again where a mapping was removed");

	/* The device sees what was mapped: a second mapping of the BO's page 2
	 * aliases b.map + 8 KiB. */
	uint32_t q;
	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE");
	const uint64_t alias = VA(&d, 4);
	CHECK_OK(vm_map(&d, h, 8192, alias, 4096, R | W), "VM_MAP of one page at bo_offset 8 KiB");
	union t1_packet p = pkt_fill(alias, 4096, 0x3c3c3c3cu, 4);
	CHECK_OK(run_job(&d, q, &p, 1), "DMA_FILL through the alias mapping");
	bool ok = true;
	for (int i = 0; i < 16384; i++)
		ok &= b.map[i] == ((i >= 8192 && i < 12288) ? 0x3c : 0);
	CHECK(ok, "the fill landed in the BO's third page only");

	/* A mapping keeps its BO alive after the handle is closed. */
	CHECK_OK(bo_close(&d, h), "GEM_CLOSE of a mapped BO");
	CHECK_ERR(ENOENT, bo_info(&d, h, NULL), "BO_INFO of the closed handle");
	p = pkt_fill(va + 12288, 4096, 0x44444444u, 4);
	CHECK_OK(run_job(&d, q, &p, 1), "DMA_FILL into a mapping whose handle was closed");
	CHECK(b.map[12288] == 0x44 && b.map[16383] == 0x44,
	      "the fill reached the BO through the still-mapped VA (0x%02x)", b.map[12288]);

	/* After VM_UNMAP the device cannot reach the memory (a fresh queue, it
	 * is stopped by the fault). */
	CHECK_OK(vm_unmap(&d, alias), "VM_UNMAP of the alias");
	uint32_t q2;
	REQUIRE_OK(queue_create(&d, 0, &q2), "QUEUE_CREATE");
	p = pkt_fill(alias, 4096, 0x99999999u, 4);
	CHECK_ERR(EIO, run_job(&d, q2, &p, 1), "DMA_FILL into an unmapped VA fails");
	CHECK(b.map[8192] == 0x3c, "the BO was not written through the removed mapping (0x%02x)",
	      b.map[8192]);
	struct drm_tessera_queue_status st;
	CHECK_OK(queue_status(&d, q2, &st), "QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_ERROR && st.error_cause == T1_FAULT_UNMAPPED,
	      "the queue is in ERROR with cause UNMAPPED (state %u cause %u)", st.state,
	      st.error_cause);
	check_device_alive(&d);
}

void test_queue_args(void)
{
	struct dev d;
	uint32_t q;
	struct drm_tessera_queue_status st;

	dev_open(&d);
	const uint32_t bad_rings[] = { 1, 2, 3, 5, 100, d.info.max_ring_packets * 2, 0x80000000u };
	for (size_t i = 0; i < sizeof(bad_rings) / sizeof(bad_rings[0]); i++)
		CHECK_ERR(EINVAL, queue_create(&d, bad_rings[i], NULL),
			  "QUEUE_CREATE with ring_packets %u", bad_rings[i]);
	struct drm_tessera_queue_create c = { .size = sizeof(c), .priority = T1_QUEUE_PRIORITY_MAX + 1 };
	CHECK_ERR(EINVAL, tioctl(d.fd, DRM_IOCTL_TESSERA_QUEUE_CREATE, &c), "QUEUE_CREATE with priority %u",
		  c.priority);
	c.priority = T1_QUEUE_PRIORITY_MAX;
	c.ring_packets = 4;
	CHECK_OK(tioctl(d.fd, DRM_IOCTL_TESSERA_QUEUE_CREATE, &c),
		 "QUEUE_CREATE with 4 packets at priority %u", c.priority);

	/* A fresh queue's status. */
	CHECK_OK(queue_status(&d, c.queue_id, &st), "QUEUE_STATUS of a new queue");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_OK && st.read_index == 0 && st.write_index == 0 &&
	      st.submitted_seqno == 0 && st.completed_seqno == 0,
	      "a new queue is OK with indices and seqnos 0 (state %u, r %llu w %llu, seq %llu/%llu)",
	      st.state, (unsigned long long)st.read_index, (unsigned long long)st.write_index,
	      (unsigned long long)st.submitted_seqno, (unsigned long long)st.completed_seqno);
	CHECK_OK(queue_destroy(&d, c.queue_id), "QUEUE_DESTROY");
	CHECK_ERR(ENOENT, queue_destroy(&d, c.queue_id), "QUEUE_DESTROY of the same queue again");
	CHECK_ERR(ENOENT, queue_status(&d, c.queue_id, &st), "QUEUE_STATUS of a destroyed queue");

	/* A client may create `queues` queues; then creation fails until one
	 * is destroyed. */
	uint32_t ids[T1_MAX_QUEUES];
	uint32_t n = 0;
	while (n < d.info.queues && n < T1_MAX_QUEUES && queue_create(&d, 4, &ids[n]) == 0)
		n++;
	CHECK(n == d.info.queues, "created %u of the %u queues DEVICE_INFO promises (last errno %s)",
	      n, d.info.queues, n == d.info.queues ? "-" : t_errno_name(errno));
	int rc = queue_create(&d, 4, &q);
	int err = errno;
	CHECK(rc == -1, "QUEUE_CREATE beyond %u queues fails (got %s)", d.info.queues,
	      rc == 0 ? "success" : t_errno_name(err));
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = i + 1; j < n; j++)
			if (ids[i] == ids[j])
				CHECK(false, "queue ids %u and %u are equal (%u)", i, j, ids[i]);
	if (n > 0) {
		CHECK_OK(queue_destroy(&d, ids[n - 1]), "QUEUE_DESTROY of one queue");
		CHECK_OK(queue_create(&d, 4, &ids[n - 1]), "QUEUE_CREATE after one was destroyed");
	}
	for (uint32_t i = 0; i < n; i++)
		CHECK_OK(queue_destroy(&d, ids[i]), "QUEUE_DESTROY of queue %u", ids[i]);
	check_device_alive(&d);
}

void test_submit_args(void)
{
	struct dev d;
	struct buf b;
	uint32_t q;
	struct drm_tessera_queue_status st;

	dev_open(&d);
	buf_new(&d, &b, 64 << 10, VA(&d, 5), DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE);
	REQUIRE_OK(queue_create(&d, 16, &q), "QUEUE_CREATE with 16 packets");
	union t1_packet good = pkt_fill(b.va, 4096, 0x01010101u, 4);
	union t1_packet many[16];
	for (int i = 0; i < 16; i++)
		many[i] = pkt_fill(b.va + 4096 * (uint64_t)i, 4096, 0x10101010u * (uint32_t)(i % 15 + 1), 4);

	CHECK_ERR(EINVAL, submit(&d, q, &good, 0, NULL, 0, 0, NULL), "SUBMIT of 0 packets");
	CHECK_ERR(EINVAL, submit(&d, q, many, 15, NULL, 0, 0, NULL),
		  "SUBMIT of 15 packets to a 16-packet ring (at most 14)");
	CHECK_ERR(EINVAL, submit(&d, q, many, 16, NULL, 0, 0, NULL), "SUBMIT of 16 packets to a 16-packet ring");
	CHECK_ERR(EINVAL, submit(&d, q, many, 0x80000000u, NULL, 0, 0, NULL), "SUBMIT of 2^31 packets");
	CHECK_ERR(EINVAL, submit(&d, q, many, 0xffffffffu, NULL, 0, 0, NULL), "SUBMIT of 2^32-1 packets");
	uint64_t seqno = 0;
	CHECK_OK(submit(&d, q, many, 14, NULL, 0, 0, &seqno), "SUBMIT of 14 packets to a 16-packet ring");
	CHECK_OK(wait_job(&d, q, seqno, MS(10000)), "WAIT for the 14-packet job");
	bool ok = true;
	for (int i = 0; i < 14; i++)
		ok &= b.map[4096 * i] == (uint8_t)(0x10 * (i % 15 + 1)) &&
		      b.map[4096 * i + 4095] == (uint8_t)(0x10 * (i % 15 + 1));
	CHECK(ok, "all 14 fills of the job ran");

	CHECK_OK(queue_status(&d, q, &st), "QUEUE_STATUS");
	const uint64_t w0 = st.write_index;
	CHECK(w0 == 14 && st.read_index == 14, "indices count the client's 14 packets (r %llu w %llu)",
	      (unsigned long long)st.read_index, (unsigned long long)w0);

	/* Headers. */
	const uint16_t bad_types[] = { T1_PKT_TYPE_INVALID, T1_PKT_TYPE_COUNT, 0x7f, 0xff };
	for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++) {
		union t1_packet p = good;

		p.header = (uint16_t)((p.header & ~T1_PKT_TYPE_MASK) | bad_types[i]);
		CHECK_ERR(EINVAL, submit(&d, q, &p, 1, NULL, 0, 0, NULL), "SUBMIT of packet type %u",
			  bad_types[i]);
	}
	for (int bit = 10; bit < 16; bit++) {
		union t1_packet p = good;

		p.header |= (uint16_t)(1u << bit);
		CHECK_ERR(EINVAL, submit(&d, q, &p, 1, NULL, 0, 0, NULL),
			  "SUBMIT with reserved header bit %d set", bit);
	}
	union t1_packet two[2] = { good, good };
	two[1].header = T1_PKT_TYPE_INVALID;
	CHECK_ERR(EINVAL, submit(&d, q, two, 2, NULL, 0, 0, NULL), "SUBMIT of a good and a bad packet");
	/* DMA_COPY flags: unknown ones are refused, a peer copy needs an
	 * attachment (none here; the peer subtest has them). */
	union t1_packet copy = pkt_copy(b.va, b.va + 8192, 64);
	const uint32_t bad_flags[] = { 0x2, 0x80000000u, T1_DMA_FLAG_PEER | 0x4 };
	for (size_t i = 0; i < sizeof(bad_flags) / sizeof(bad_flags[0]); i++) {
		union t1_packet p = copy;

		p.copy.flags = bad_flags[i];
		CHECK_ERR(EINVAL, submit(&d, q, &p, 1, NULL, 0, 0, NULL),
			  "SUBMIT of a DMA_COPY with flags 0x%x", bad_flags[i]);
	}
	const uint32_t peer_devs[] = { 0, 1, d.info.fabric_index, 0xffff };
	for (size_t i = 0; i < sizeof(peer_devs) / sizeof(peer_devs[0]); i++) {
		union t1_packet p = pkt_peer_copy(b.va, b.va + 8192, 64, peer_devs[i],
						  d.info.context_id);

		CHECK_ERR(EPERM, submit(&d, q, &p, 1, NULL, 0, 0, NULL),
			  "SUBMIT of a peer DMA_COPY to (device %u, context %u), never attached",
			  peer_devs[i], d.info.context_id);
	}
	union t1_packet mixed[2] = { good, pkt_peer_copy(b.va, b.va + 8192, 64, 1, 1) };
	CHECK_ERR(EPERM, submit(&d, q, mixed, 2, NULL, 0, 0, NULL),
		  "SUBMIT of a good packet and an unattached peer DMA_COPY");

	/* Input syncobjs: at most 64. */
	uint32_t syncs[65];
	struct drm_syncobj_create sc = { .flags = DRM_SYNCOBJ_CREATE_SIGNALED };
	REQUIRE_OK(tioctl(d.fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), "SYNCOBJ_CREATE (signalled)");
	for (int i = 0; i < 65; i++)
		syncs[i] = sc.handle;
	CHECK_ERR(EINVAL, submit(&d, q, &good, 1, syncs, 65, 0, NULL), "SUBMIT waiting on 65 syncobjs");
	CHECK_OK(submit(&d, q, &good, 1, syncs, 64, 0, &seqno), "SUBMIT waiting on 64 signalled syncobjs");
	CHECK_OK(wait_job(&d, q, seqno, MS(10000)), "WAIT for it");

	/* None of the refused submits reached the ring; the queue still works. */
	CHECK_OK(queue_status(&d, q, &st), "QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_OK, "the queue is OK after refused submits (state %u)",
	      st.state);
	CHECK(st.write_index == w0 + 1, "only the accepted packet was counted (write_index %llu, want %llu)",
	      (unsigned long long)st.write_index, (unsigned long long)(w0 + 1));

	/* Many small jobs wrap the 16-packet ring several times. */
	uint64_t first = 0, last = 0;
	ok = true;
	for (int i = 0; i < 40; i++) {
		union t1_packet p = pkt_fill(b.va + 60 * 1024 + 4 * (uint64_t)i, 4, 0x5000u + (uint32_t)i, 4);
		uint64_t s;

		if (submit(&d, q, &p, 1, NULL, 0, 0, &s) != 0) {
			CHECK_OK(-1, "SUBMIT %d of 40 one-packet jobs", i);
			ok = false;
			break;
		}
		if (i == 0)
			first = s;
		else if (s != last + 1)
			CHECK(false, "job seqnos grow by one (%llu after %llu)", (unsigned long long)s,
			      (unsigned long long)last);
		last = s;
	}
	if (ok) {
		CHECK_OK(wait_job(&d, q, last, MS(20000)), "WAIT for the last of 40 jobs");
		CHECK(last == first + 39, "40 jobs took 40 seqnos (%llu..%llu)", (unsigned long long)first,
		      (unsigned long long)last);
		bool all = true;
		for (int i = 0; i < 40; i++) {
			uint32_t v;
			memcpy(&v, (const void *)(b.map + 60 * 1024 + 4 * i), 4);
			all &= v == 0x5000u + (uint32_t)i;
		}
		CHECK(all, "all 40 one-packet jobs ran");
		CHECK_OK(wait_job(&d, q, first, 0), "WAIT (poll) for an old completed job");
	}
	check_device_alive(&d);
}
