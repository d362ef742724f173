// SPDX-License-Identifier: Apache-2.0
/*
 * isolation and fault: two processes, each with its own open of the render
 * node (so its own context). Nothing of one is reachable from the other,
 * and one client's faulting kernel does not disturb the other's work.
 * peer: clients of two linked chips; a client writes into another's
 * context only after attaching it, and never after that context is gone.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "uapi_test.h"

#define RW (DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE)

static uint8_t pattern_a(uint64_t i)
{
	return (uint8_t)(i * 13 + 1);
}

/* ---- isolation ------------------------------------------------------------------ */

struct iso {
	struct t_chan a2b, b2a;
};

static void iso_owner(void *arg)
{
	struct iso *c = arg;
	struct dev d;
	struct buf a, check;
	uint32_t q;

	dev_open(&d);
	buf_new(&d, &a, 64 << 10, VA(&d, 50), RW);
	buf_new(&d, &check, 64 << 10, VA(&d, 51), RW);
	for (uint64_t i = 0; i < a.bytes; i++)
		a.map[i] = pattern_a(i);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE");
	t_chan_send(&c->a2b, a.handle);
	t_chan_send(&c->a2b, a.mmap_offset);
	t_chan_send(&c->a2b, a.va);
	t_chan_send(&c->a2b, q);
	t_chan_send(&c->a2b, d.info.context_id);

	/* B tries everything it can against A's objects meanwhile. */
	uint64_t done = t_chan_recv(&c->b2a, 60000);
	CHECK(done == 1, "B finished its attempts");

	bool same = true;
	for (uint64_t i = 0; i < a.bytes; i++)
		same &= a.map[i] == pattern_a(i);
	CHECK(same, "A's buffer is unchanged (CPU view)");
	union t1_packet copy = pkt_copy(a.va, check.va, a.bytes);
	CHECK_OK(run_job(&d, q, &copy, 1), "A copies its buffer on its own queue");
	same = true;
	for (uint64_t i = 0; i < check.bytes; i++)
		same &= check.map[i] == pattern_a(i);
	CHECK(same, "A's buffer is unchanged (device view)");
	struct t1_fault_record rec[4];
	uint32_t count = 99;
	CHECK_OK(get_faults(&d, rec, 4, &count, NULL), "GET_FAULTS in A");
	CHECK(count == 0, "A sees none of B's faults (%u records)", count);
	struct drm_tessera_queue_status st;
	CHECK_OK(queue_status(&d, q, &st), "QUEUE_STATUS of A's queue");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_OK, "A's queue is OK (%u)", st.state);
}

static void iso_intruder(void *arg)
{
	struct iso *c = arg;
	struct dev d;

	uint32_t a_handle = (uint32_t)t_chan_recv(&c->a2b, 30000);
	uint64_t a_offset = t_chan_recv(&c->a2b, 30000);
	uint64_t a_va = t_chan_recv(&c->a2b, 30000);
	uint32_t a_queue = (uint32_t)t_chan_recv(&c->a2b, 30000);
	uint32_t a_ctx = (uint32_t)t_chan_recv(&c->a2b, 30000);

	dev_open(&d);
	CHECK(d.info.context_id != a_ctx, "B's context (%u) is not A's (%u)", d.info.context_id, a_ctx);
	/* Before B owns anything, A's numbers name nothing of B's. */
	CHECK_ERR(ENOENT, bo_info(&d, a_handle, NULL), "B: BO_INFO of A's handle %u", a_handle);
	CHECK_ERR(ENOENT, vm_map(&d, a_handle, 0, VA(&d, 60), 4096, DRM_TESSERA_VM_READ),
		  "B: VM_MAP of A's handle %u", a_handle);
	struct drm_tessera_queue_status st;
	CHECK_ERR(ENOENT, queue_status(&d, a_queue, &st), "B: QUEUE_STATUS of A's queue %u", a_queue);
	union t1_packet nop = pkt_fill(VA(&d, 60), 4, 0, 4);
	CHECK_ERR(ENOENT, submit(&d, a_queue, &nop, 1, NULL, 0, 0, NULL), "B: SUBMIT to A's queue %u",
		  a_queue);
	CHECK_ERR(ENOENT, wait_job(&d, a_queue, 1, 0), "B: WAIT on A's queue %u", a_queue);
	CHECK_ERR(ENOENT, queue_destroy(&d, a_queue), "B: QUEUE_DESTROY of A's queue %u", a_queue);
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, d.fd, (off_t)a_offset);
	CHECK(p == MAP_FAILED, "B: mmap of A's mmap offset 0x%llx on B's own fd fails",
	      (unsigned long long)a_offset);
	if (p != MAP_FAILED)
		munmap(p, 4096);

	/* B's device accesses to A's VA fault in B's context. */
	struct buf mine;
	uint32_t qr, qw;
	buf_new(&d, &mine, 64 << 10, VA(&d, 61), RW);
	REQUIRE(mine.va != a_va, "B's buffer is at another VA than A's");
	REQUIRE_OK(queue_create(&d, 0, &qr), "B: QUEUE_CREATE");
	REQUIRE_OK(queue_create(&d, 0, &qw), "B: QUEUE_CREATE");
	union t1_packet steal = pkt_copy(a_va, mine.va, 4096);
	CHECK_ERR(EIO, run_job(&d, qr, &steal, 1), "B: DMA_COPY from A's VA fails");
	CHECK_OK(queue_status(&d, qr, &st), "B: QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_ERROR && st.error_cause == T1_FAULT_UNMAPPED,
	      "B: the reading queue is in ERROR with cause UNMAPPED (state %u, cause %u)", st.state,
	      st.error_cause);
	union t1_packet smash = pkt_fill(a_va, 4096, 0xdeaddeadu, 4);
	CHECK_ERR(EIO, run_job(&d, qw, &smash, 1), "B: DMA_FILL of A's VA fails");
	CHECK_OK(queue_status(&d, qw, &st), "B: QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_ERROR && st.error_cause == T1_FAULT_UNMAPPED,
	      "B: the writing queue is in ERROR with cause UNMAPPED (state %u, cause %u)", st.state,
	      st.error_cause);
	bool zero = true;
	for (uint64_t i = 0; i < mine.bytes; i++)
		zero &= mine.map[i] == 0;
	CHECK(zero, "B: nothing of A's reached B's buffer");

	struct t1_fault_record rec[8];
	uint32_t count = 0;
	CHECK_OK(get_faults(&d, rec, 8, &count, NULL), "B: GET_FAULTS");
	CHECK(count >= 2, "B: at least two fault records (%u)", count);
	for (uint32_t i = 0; i < count && i < 8; i++) {
		CHECK(rec[i].cause == T1_FAULT_UNMAPPED && rec[i].context == d.info.context_id &&
		      rec[i].address >= a_va && rec[i].address < a_va + 4096,
		      "B: record %u: cause %u (want UNMAPPED), context %u (want %u), address 0x%llx"
		      " (want A's VA 0x%llx)",
		      i, rec[i].cause, rec[i].context, d.info.context_id,
		      (unsigned long long)rec[i].address, (unsigned long long)a_va);
		CHECK(rec[i].queue == (i == 0 ? qr : qw),
		      "B: record %u names B's queue id %u (got %u)", i, i == 0 ? qr : qw, rec[i].queue);
	}
	t_chan_send(&c->b2a, 1);
}

void test_isolation(void)
{
	struct iso c;

	t_chan_init(&c.a2b);
	t_chan_init(&c.b2a);
	int a = t_spawn("[A] ", iso_owner, &c);
	int b = t_spawn("[B] ", iso_intruder, &c);
	t_join(b, "[B] ");
	t_join(a, "[A] ");
}

/* ---- fault ------------------------------------------------------------------------ */

struct flt {
	struct t_chan a2b, b2a;
};

static int fault_kernel(struct dev *d, uint32_t q, uint64_t entry)
{
	union t1_packet p = pkt_dispatch(entry, 0);

	return run_job(d, q, &p, 1);
}

static void fault_owner(void *arg)
{
	struct flt *c = arg;
	struct dev d;
	struct buf code, dst;
	uint32_t q, spare;

	dev_open(&d);
	buf_new(&d, &code, 4096, VA(&d, 70), DRM_TESSERA_VM_READ | DRM_TESSERA_VM_EXEC);
	buf_new(&d, &dst, 4096, VA(&d, 71), RW);
	memcpy((void *)code.map, kernel_load_from_zero, sizeof(kernel_load_from_zero));
	memcpy((void *)(code.map + 256), kernel_store_5a, sizeof(kernel_store_5a));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE");
	REQUIRE_OK(queue_create(&d, 0, &spare), "QUEUE_CREATE (a second queue)");

	/* Fault only while B is busy. */
	CHECK(t_chan_recv(&c->b2a, 30000) == 1, "B is running");
	CHECK_ERR(EIO, fault_kernel(&d, q, code.va), "WAIT for a kernel that loads from VA 0");

	struct drm_tessera_queue_status st;
	CHECK_OK(queue_status(&d, q, &st), "QUEUE_STATUS of the faulted queue");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_ERROR, "the queue is in ERROR (%u)", st.state);
	CHECK(st.error_cause == T1_FAULT_UNMAPPED, "error_cause %u is UNMAPPED", st.error_cause);
	CHECK(st.error_index == 0, "error_index %llu names the client's first packet",
	      (unsigned long long)st.error_index);

	struct t1_fault_record rec[16];
	uint32_t count = 0, lost = 99;
	CHECK_OK(get_faults(&d, rec, 16, &count, &lost), "GET_FAULTS");
	CHECK(count == 1 && lost == 0, "one fault record, none lost (%u, %u)", count, lost);
	if (count >= 1) {
		const struct t1_fault_record *r = &rec[0];

		CHECK(r->cause == T1_FAULT_UNMAPPED, "record cause %u is UNMAPPED", r->cause);
		CHECK(r->address == 0, "record address 0x%llx is 0", (unsigned long long)r->address);
		CHECK(r->access == T1_ACCESS_READ, "record access %u is READ", r->access);
		CHECK(r->context == d.info.context_id, "record context %u is A's (%u)", r->context,
		      d.info.context_id);
		CHECK(r->flags & T1_FAULT_FLAG_VALID, "record flags 0x%x have VALID", r->flags);
		/* In the client's terms: its queue id and its packet numbering. */
		CHECK(r->queue == q, "record queue %u is the client's queue id %u", r->queue, q);
		if (r->flags & T1_FAULT_FLAG_PACKET)
			CHECK(r->packet_index == 0, "record packet_index %llu is the client's first packet",
			      (unsigned long long)r->packet_index);
		CHECK(r->kernel_entry == code.va, "record kernel_entry 0x%llx is the code's VA 0x%llx",
		      (unsigned long long)r->kernel_entry, (unsigned long long)code.va);
		if (r->flags & T1_FAULT_FLAG_THREAD)
			CHECK(r->pc == code.va && r->raw_insn == kernel_load_from_zero[0],
			      "record pc 0x%llx / insn 0x%08x are the faulting load's",
			      (unsigned long long)r->pc, r->raw_insn);
	}
	count = 99;
	CHECK_OK(get_faults(&d, rec, 16, &count, NULL), "GET_FAULTS again");
	CHECK(count == 0, "records are handed out once (%u now)", count);

	/* The faulted queue refuses work; the client's other queue does not. */
	union t1_packet fill = pkt_fill(dst.va, 4096, 0x71717171u, 4);
	CHECK_ERR(EIO, submit(&d, q, &fill, 1, NULL, 0, 0, NULL), "SUBMIT to the faulted queue");
	CHECK_OK(run_job(&d, spare, &fill, 1), "a job on A's other queue");
	CHECK(dst.map[0] == 0x71, "it ran (0x%02x)", dst.map[0]);

	/* Recovery: a new queue runs a good kernel and a fill. */
	CHECK_OK(queue_destroy(&d, q), "QUEUE_DESTROY of the faulted queue");
	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE of a replacement");
	union t1_packet good[] = {
		pkt_fill(dst.va, 4096, 0x72727272u, 4),
		pkt_dispatch(code.va + 256, dst.va + 1024),
	};
	CHECK_OK(run_job(&d, q, good, 2), "a fill and a good kernel on the replacement queue");
	uint64_t v;
	memcpy(&v, (const void *)(dst.map + 1024), 8);
	CHECK(dst.map[0] == 0x72 && v == 0x5a, "both ran (fill 0x%02x, kernel wrote 0x%llx)",
	      dst.map[0], (unsigned long long)v);

	/* A second fault: GET_FAULTS into a bad pointer is EFAULT. */
	uint32_t q2;
	REQUIRE_OK(queue_create(&d, 0, &q2), "QUEUE_CREATE");
	CHECK_ERR(EIO, fault_kernel(&d, q2, code.va), "WAIT for a second faulting kernel");
	CHECK_ERR(EFAULT, get_faults(&d, (struct t1_fault_record *)16, 4, &count, NULL),
		  "GET_FAULTS into a bad pointer with a record pending");
	t_chan_send(&c->a2b, 1);
}

static void fault_bystander(void *arg)
{
	struct flt *c = arg;
	struct dev d;
	struct buf src, dst;
	uint32_t q;

	dev_open(&d);
	buf_new(&d, &src, 64 << 10, VA(&d, 80), RW);
	buf_new(&d, &dst, 64 << 10, VA(&d, 81), RW);
	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE");
	int i, bad = 0;
	bool stop = false;
	/* Jobs until A is done, at least 10, at most 2000. */
	for (i = 0; i < 2000 && (!stop || i < 10); i++) {
		const uint32_t pat = 0x01010101u * (uint32_t)(i % 251 + 1);
		union t1_packet job[] = {
			pkt_fill(src.va, src.bytes, pat, 4),
			pkt_copy(src.va, dst.va, dst.bytes),
		};
		if (run_job(&d, q, job, 2) != 0) {
			CHECK_OK(-1, "job %d of the bystander", i);
			bad++;
			break;
		}
		if (dst.map[0] != (uint8_t)pat || dst.map[dst.bytes - 1] != (uint8_t)pat) {
			CHECK(false, "job %d copied 0x%02x (want 0x%02x)", i, dst.map[0], (uint8_t)pat);
			bad++;
			break;
		}
		if (i == 0)
			t_chan_send(&c->b2a, 1);
		if (t_chan_ready(&c->a2b))
			stop = true;
	}
	CHECK(bad == 0, "B ran %d jobs correctly while A faulted", i);
	printf("[B] the bystander ran %d jobs\n", i);
	if (!stop)
		t_chan_recv(&c->a2b, 60000);
	struct t1_fault_record rec[4];
	uint32_t count = 99;
	CHECK_OK(get_faults(&d, rec, 4, &count, NULL), "B: GET_FAULTS");
	CHECK(count == 0, "B sees none of A's faults (%u records)", count);
	struct drm_tessera_queue_status st;
	CHECK_OK(queue_status(&d, q, &st), "B: QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_OK, "B's queue is OK (%u)", st.state);
}

void test_fault(void)
{
	struct flt c;

	t_chan_init(&c.a2b);
	t_chan_init(&c.b2a);
	int b = t_spawn("[B] ", fault_bystander, &c);
	int a = t_spawn("[A] ", fault_owner, &c);
	t_join(a, "[A] ");
	t_join(b, "[B] ");
}

/* ---- peer ------------------------------------------------------------------------- */

static uint8_t pattern_p(uint64_t i)
{
	return (uint8_t)(i * 7 + 3);
}

static bool links_to(const struct dev *d, uint32_t index)
{
	for (uint32_t l = 0; l < d->info.links && l < 8; l++)
		if (d->info.link_peer[l] == index)
			return true;
	return false;
}

static bool all_bytes(const struct buf *b, uint64_t from, uint64_t to, uint8_t v)
{
	for (uint64_t i = from; i < to; i++)
		if (b->map[i] != v)
			return false;
	return true;
}

/* An open card (primary) node of tessera's chip with fabric index `index`, or -1. */
static int open_card_of(uint32_t index)
{
	for (int minor = 0; minor < 64; minor++) {
		char path[64], name[32] = { 0 };
		struct drm_version v = { .name = name, .name_len = sizeof(name) - 1 };

		snprintf(path, sizeof(path), "/dev/dri/card%d", minor);
		int fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct drm_tessera_device_info info = { .size = sizeof(info) };
		if (tioctl(fd, DRM_IOCTL_VERSION, &v) == 0 && strcmp(name, "tessera") == 0 &&
		    tioctl(fd, DRM_IOCTL_TESSERA_DEVICE_INFO, &info) == 0 && info.fabric_index == index)
			return fd;
		close(fd);
	}
	return -1;
}

/* Closes a file in a thread: the close of a DRM file runs the driver's
 * release before close() returns. */
struct closer {
	int fd;
	int done;
};

static void *closer_main(void *arg)
{
	struct closer *c = arg;

	close(c->fd);
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

static void check_attach_errors(struct dev *a, struct dev *b)
{
	CHECK_ERR(EINVAL, peer_attach(a, -1, NULL), "PEER_ATTACH with peer_fd -1");
	CHECK_ERR(EINVAL, peer_attach(a, 999, NULL), "PEER_ATTACH with peer_fd 999 (not open)");
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	REQUIRE(devnull >= 0, "open /dev/null");
	CHECK_ERR(EINVAL, peer_attach(a, devnull, NULL), "PEER_ATTACH of /dev/null (not DRM)");
	close(devnull);
	int pfd[2];
	REQUIRE(pipe(pfd) == 0, "pipe");
	CHECK_ERR(EINVAL, peer_attach(a, pfd[0], NULL), "PEER_ATTACH of a pipe");
	close(pfd[0]);
	close(pfd[1]);
	CHECK_ERR(EINVAL, peer_attach(a, a->fd, NULL), "PEER_ATTACH of the caller's own file");
	struct dev a2;
	dev_open_nth(&a2, 0);
	CHECK_ERR(EINVAL, peer_attach(a, a2.fd, NULL), "PEER_ATTACH of another file of the same chip");
	dev_close(&a2);
	int card = open_card_of(b->info.fabric_index);
	if (card >= 0) {
		CHECK_ERR(EINVAL, peer_attach(a, card, NULL),
			  "PEER_ATTACH of chip B's card (primary) node, not a render node");
		close(card);
	} else {
		printf("no card node of chip B: PEER_ATTACH of a primary node not checked\n");
	}
	struct drm_tessera_peer_attach bad = { .size = sizeof(bad) - 4, .peer_fd = b->fd };
	CHECK_ERR(EINVAL, tioctl(a->fd, DRM_IOCTL_TESSERA_PEER_ATTACH, &bad),
		  "PEER_ATTACH with size %u", bad.size);
	bad = (struct drm_tessera_peer_attach){ .size = sizeof(bad), .flags = 1, .peer_fd = b->fd };
	CHECK_ERR(EINVAL, tioctl(a->fd, DRM_IOCTL_TESSERA_PEER_ATTACH, &bad), "PEER_ATTACH with flags 1");
	bad = (struct drm_tessera_peer_attach){ .size = sizeof(bad), .peer_fd = b->fd, .reserved = 1 };
	CHECK_ERR(EINVAL, tioctl(a->fd, DRM_IOCTL_TESSERA_PEER_ATTACH, &bad),
		  "PEER_ATTACH with reserved 1");
}

/* 16 attachments per client; ids stay taken while attached, and come back after. */
static void check_attach_limit(struct dev *b)
{
	struct dev a3, extra[15], more, fresh[15];
	uint32_t ids[15];

	dev_open_nth(&a3, 0);
	CHECK_OK(peer_attach(&a3, b->fd, NULL), "a client A3 of chip A attaches B");
	for (int k = 0; k < 15; k++) {
		dev_open_nth(&extra[k], 1);
		ids[k] = extra[k].info.context_id;
		CHECK_OK(peer_attach(&a3, extra[k].fd, NULL), "A3 attaches chip B's client %d (context %u)",
			 k, ids[k]);
	}
	dev_open_nth(&more, 1);
	CHECK_ERR(ENOSPC, peer_attach(&a3, more.fd, NULL), "a 17th PEER_ATTACH of one client");
	CHECK_OK(peer_attach(&a3, extra[3].fd, NULL), "attaching an attached context again at the limit");
	dev_close(&more);
	for (int k = 0; k < 15; k++)
		dev_close(&extra[k]);

	int clash = 0;
	for (int k = 0; k < 15; k++) {
		dev_open_nth(&fresh[k], 1);
		for (int j = 0; j < 15; j++)
			clash += fresh[k].info.context_id == ids[j];
	}
	CHECK(clash == 0, "15 new clients of chip B got none of the 15 closed clients' ids that A3 "
	      "still attaches (%d did)", clash);
	for (int k = 0; k < 15; k++)
		dev_close(&fresh[k]);

	dev_close(&a3);
	int back = 0;
	for (int k = 0; k < 15; k++) {
		dev_open_nth(&fresh[k], 1);
		for (int j = 0; j < 15; j++)
			back += fresh[k].info.context_id == ids[j];
	}
	CHECK(back > 0, "after A3 closed, new clients of chip B get those ids again (%d of 15)", back);
	for (int k = 0; k < 15; k++)
		dev_close(&fresh[k]);
}

void test_peer(void)
{
	int n = dev_count();
	REQUIRE(n >= 2, "two tessera chips (run-tests.sh --devices 2); found %d", n);

	struct dev a, b, c;
	dev_open_nth(&a, 0);
	dev_open_nth(&b, 1);
	const uint32_t ia = a.info.fabric_index, ib = b.info.fabric_index;
	const uint32_t actx = a.info.context_id, bctx = b.info.context_id;
	printf("chip A %s: fabric index %u, %u links; chip B %s: fabric index %u, %u links\n", a.path,
	       ia, a.info.links, b.path, ib, b.info.links);
	CHECK(ia != ib, "the chips have different fabric indices (%u, %u)", ia, ib);

	/* DEVICE_INFO: the links of each chip name the other. */
	CHECK(links_to(&a, ib), "chip A's link_peer[] names chip B (%u): [%u %u %u ...] of %u links", ib,
	      a.info.link_peer[0], a.info.link_peer[1], a.info.link_peer[2], a.info.links);
	CHECK(links_to(&b, ia), "chip B's link_peer[] names chip A (%u): [%u %u %u ...] of %u links", ia,
	      b.info.link_peer[0], b.info.link_peer[1], b.info.link_peer[2], b.info.links);
	for (uint32_t l = 0; l < 8; l++) {
		if (l >= a.info.links)
			CHECK(a.info.link_peer[l] == T1_LINK_NO_PEER, "chip A link_peer[%u] = 0x%x", l,
			      a.info.link_peer[l]);
		if (l >= b.info.links)
			CHECK(b.info.link_peer[l] == T1_LINK_NO_PEER, "chip B link_peer[%u] = 0x%x", l,
			      b.info.link_peer[l]);
	}
	CHECK((a.info.caps & T1_CAP_PEER_DMA) && (b.info.caps & T1_CAP_PEER_DMA),
	      "both chips report T1_CAP_PEER_DMA (0x%llx, 0x%llx)", (unsigned long long)a.info.caps,
	      (unsigned long long)b.info.caps);

	check_attach_errors(&a, &b);

	/* A file of the other chip: attached, once, either way round. */
	struct drm_tessera_peer_attach pa, pa2, pb;
	REQUIRE_OK(peer_attach(&a, b.fd, &pa), "PEER_ATTACH of chip B's file from chip A's");
	CHECK(pa.peer_device == ib && pa.peer_context == bctx,
	      "it names chip B and B's context (%u, %u; want %u, %u)", pa.peer_device, pa.peer_context,
	      ib, bctx);
	CHECK_OK(peer_attach(&a, b.fd, &pa2), "PEER_ATTACH of the same file again");
	CHECK(pa2.peer_device == pa.peer_device && pa2.peer_context == pa.peer_context,
	      "the same answer (%u, %u)", pa2.peer_device, pa2.peer_context);
	REQUIRE_OK(peer_attach(&b, a.fd, &pb), "PEER_ATTACH the other way round (B attaches A)");
	CHECK(pb.peer_device == ia && pb.peer_context == actx, "it names chip A and A's context (%u, %u)",
	      pb.peer_device, pb.peer_context);

	/* debugfs lists the attachment under A's client (when debugfs is there). */
	char dbg[96], text[2048] = { 0 }, want[32];
	int minor = atoi(a.path + strlen("/dev/dri/renderD"));
	snprintf(dbg, sizeof(dbg), "/sys/kernel/debug/dri/%d/peers", minor);
	FILE *df = fopen(dbg, "r");
	if (df) {
		size_t got = fread(text, 1, sizeof(text) - 1, df);
		text[got] = 0;
		fclose(df);
		snprintf(want, sizeof(want), " %u:%u", ib, bctx);
		CHECK(strstr(text, want) != NULL, "%s lists A's attachment%s (got:\n%s)", dbg, want, text);
	} else {
		printf("no %s: debugfs not checked\n", dbg);
	}

	/* Peer copies deliver the bytes, both ways. */
	struct buf src, back, sig, dst;
	buf_new(&a, &src, 64 << 10, VA(&a, 10), RW);
	buf_new(&a, &back, 64 << 10, VA(&a, 11), RW);
	buf_new(&a, &sig, 4096, VA(&a, 12), RW);
	buf_new(&b, &dst, 64 << 10, VA(&b, 20), RW);
	for (uint64_t i = 0; i < src.bytes; i++)
		src.map[i] = pattern_p(i);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	uint32_t qa, qb, qp;
	REQUIRE_OK(queue_create(&a, 0, &qa), "QUEUE_CREATE on chip A");
	REQUIRE_OK(queue_create(&b, 0, &qb), "QUEUE_CREATE on chip B");
	union t1_packet p = pkt_peer_copy(src.va, dst.va, src.bytes, ib, bctx);
	CHECK_OK(run_job(&a, qa, &p, 1), "a peer DMA_COPY of 64 KiB from A's BO into B's context");
	bool same = true;
	for (uint64_t i = 0; i < dst.bytes; i++)
		same &= dst.map[i] == pattern_p(i);
	CHECK(same, "B's BO, read through B's mmap, holds A's bytes");
	for (int k = 0; k < 5; k++)
		src.map[4093 + k] = (uint8_t)(0xe0 + k);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	p = pkt_peer_copy(src.va + 4093, dst.va + 8190, 5, ib, bctx);
	CHECK_OK(run_job(&a, qa, &p, 1), "a 5-byte peer copy across page boundaries on both sides");
	bool five = dst.map[8189] == pattern_p(8189) && dst.map[8195] == pattern_p(8195);
	for (int k = 0; k < 5; k++)
		five &= dst.map[8190 + k] == (uint8_t)(0xe0 + k);
	CHECK(five, "exactly those 5 bytes arrived (%02x %02x..%02x %02x)", dst.map[8189], dst.map[8190],
	      dst.map[8194], dst.map[8195]);
	p = pkt_peer_copy(dst.va, back.va, dst.bytes, ia, actx);
	CHECK_OK(run_job(&b, qb, &p, 1), "a peer copy from B's BO back into A's context");
	same = true;
	for (uint64_t i = 0; i < back.bytes; i++)
		same &= back.map[i] == dst.map[i];
	CHECK(same, "A's BO holds B's bytes");

	/* A context nobody attached: -EPERM, and nothing reaches the ring. */
	struct buf cbuf;
	dev_open_nth(&c, 1);
	buf_new(&c, &cbuf, 64 << 10, VA(&c, 20), RW); /* the VA of B's dst */
	memset((void *)cbuf.map, 0x77, cbuf.bytes);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	struct drm_tessera_queue_status st;
	CHECK_OK(queue_status(&a, qa, &st), "QUEUE_STATUS");
	const uint64_t w0 = st.write_index;
	p = pkt_peer_copy(src.va, cbuf.va, 4096, ib, c.info.context_id);
	CHECK_ERR(EPERM, submit(&a, qa, &p, 1, NULL, 0, 0, NULL),
		  "SUBMIT of a peer copy into chip B's context %u, which A did not attach", c.info.context_id);
	p = pkt_peer_copy(src.va, dst.va, 4096, ia, bctx);
	CHECK_ERR(EPERM, submit(&a, qa, &p, 1, NULL, 0, 0, NULL),
		  "SUBMIT of a peer copy to B's context id on the wrong chip (A's own index %u)", ia);
	p = pkt_peer_copy(src.va, dst.va, 4096, ib, bctx);
	p.copy.flags |= 0x2;
	CHECK_ERR(EINVAL, submit(&a, qa, &p, 1, NULL, 0, 0, NULL),
		  "SUBMIT of an attached peer copy with an unknown DMA flag");
	CHECK_OK(queue_status(&a, qa, &st), "QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_OK && st.write_index == w0,
	      "the queue is OK and counted none of them (state %u, write_index %llu, want %llu)",
	      st.state, (unsigned long long)st.write_index, (unsigned long long)w0);
	CHECK(all_bytes(&cbuf, 0, cbuf.bytes, 0x77), "C's BO is untouched");

	check_attach_limit(&b);

	/*
	 * B closes while a job of A aimed at B's context waits on A's ring
	 * behind a barrier: B's close waits for it, and once released it
	 * faults (B's context is invalid) instead of writing anywhere.
	 */
	volatile struct t1_signal *gate = (volatile struct t1_signal *)sig.map;
	gate->value = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	union t1_packet gated[] = {
		pkt_barrier_and(sig.va),
		pkt_peer_copy(src.va, dst.va, 4096, ib, bctx),
	};
	uint64_t seqno;
	REQUIRE_OK(submit(&a, qa, gated, 2, NULL, 0, 0, &seqno), "SUBMIT of a gated peer copy");
	CHECK_ERR(ETIMEDOUT, wait_job(&a, qa, seqno, MS(50)), "the gated job waits for its signal");
	buf_unmap(&dst); /* B's only mapping, which would keep B's file open */
	struct closer cl = { .fd = b.fd };
	pthread_t th;
	REQUIRE(pthread_create(&th, NULL, closer_main, &cl) == 0, "a thread that closes B's file");
	b.fd = -1;
	/* Probe copies on another queue of A tell when B's context went invalid. */
	REQUIRE_OK(queue_create(&a, 0, &qp), "QUEUE_CREATE of a probe queue on chip A");
	int tries = 0, rc = 0;
	for (; tries < 200; tries++) {
		p = pkt_peer_copy(src.va, dst.va + 60 * 1024, 4, ib, bctx);
		rc = run_job(&a, qp, &p, 1);
		if (rc != 0)
			break;
		usleep(20 * 1000);
	}
	CHECK(rc != 0 && errno == EIO, "a probe peer copy into B's context faults once B is closing "
	      "(after %d probes that still worked)", tries);
	usleep(200 * 1000);
	CHECK(!__atomic_load_n(&cl.done, __ATOMIC_SEQ_CST),
	      "B's close has not returned while A's gated job aimed at B's context is on A's ring");
	gate->value = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	CHECK_ERR(EIO, wait_job(&a, qa, seqno, MS(10000)), "the released peer copy fails");
	pthread_join(th, NULL);
	CHECK(__atomic_load_n(&cl.done, __ATOMIC_SEQ_CST), "B's close returned after A's job ended");
	CHECK_OK(queue_status(&a, qa, &st), "QUEUE_STATUS of A's queue");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_ERROR && st.error_cause == T1_FAULT_UNMAPPED &&
	      st.error_index == w0 + 1,
	      "A's queue stopped at the peer copy with cause UNMAPPED (state %u, cause %u, index %llu;"
	      " want index %llu)", st.state, st.error_cause, (unsigned long long)st.error_index,
	      (unsigned long long)(w0 + 1));
	struct t1_fault_record rec[8];
	uint32_t count = 0;
	CHECK_OK(get_faults(&a, rec, 8, &count, NULL), "GET_FAULTS on A");
	bool found = false;
	for (uint32_t i = 0; i < count && i < 8; i++)
		found |= rec[i].cause == T1_FAULT_UNMAPPED && rec[i].access == T1_ACCESS_WRITE &&
			 rec[i].address == dst.va && rec[i].context == actx && rec[i].queue == qa;
	CHECK(found, "A has a record: UNMAPPED write at B's VA 0x%llx, A's context %u, queue %u (%u records)",
	      (unsigned long long)dst.va, actx, qa, count);

	/* B's id stays taken while A holds the attachment. */
	struct dev d;
	struct buf dbuf;
	dev_open_nth(&d, 1);
	CHECK(d.info.context_id != bctx, "a new client of chip B gets context %u, not B's %u",
	      d.info.context_id, bctx);
	buf_new(&d, &dbuf, 64 << 10, VA(&d, 20), RW); /* the VA of B's dst */
	memset((void *)dbuf.map, 0x55, dbuf.bytes);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	CHECK_OK(queue_destroy(&a, qa), "QUEUE_DESTROY of the stopped queue");
	REQUIRE_OK(queue_create(&a, 0, &qa), "QUEUE_CREATE of a new one");
	p = pkt_peer_copy(src.va, dst.va, 4096, ib, bctx);
	CHECK_ERR(EIO, run_job(&a, qa, &p, 1), "a peer copy to B's context after B closed fails");
	CHECK_OK(queue_status(&a, qa, &st), "QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_ERROR && st.error_cause == T1_FAULT_UNMAPPED,
	      "with cause UNMAPPED (state %u, cause %u)", st.state, st.error_cause);
	CHECK(all_bytes(&dbuf, 0, dbuf.bytes, 0x55), "D's BO (same VA, same chip) is untouched");
	CHECK(all_bytes(&cbuf, 0, cbuf.bytes, 0x77), "C's BO is untouched");

	/* Recovery: a new queue works, and A may write into C once attached. */
	CHECK_OK(queue_destroy(&a, qa), "QUEUE_DESTROY");
	CHECK_OK(queue_destroy(&a, qp), "QUEUE_DESTROY of the probe queue");
	REQUIRE_OK(queue_create(&a, 0, &qa), "QUEUE_CREATE");
	union t1_packet local[] = { pkt_fill(back.va, back.bytes, 0, 4), pkt_copy(src.va, back.va, src.bytes) };
	CHECK_OK(run_job(&a, qa, local, 2), "a fill and a copy on A's new queue");
	same = true;
	for (uint64_t i = 0; i < back.bytes; i++)
		same &= back.map[i] == src.map[i];
	CHECK(same, "they ran");
	struct drm_tessera_peer_attach pc;
	CHECK_OK(peer_attach(&a, c.fd, &pc), "A attaches C");
	p = pkt_peer_copy(src.va, cbuf.va, 4096, ib, pc.peer_context);
	CHECK_OK(run_job(&a, qa, &p, 1), "a peer copy into C's context");
	same = true;
	for (uint64_t i = 0; i < 4096; i++)
		same &= cbuf.map[i] == src.map[i];
	CHECK(same && all_bytes(&cbuf, 4096, cbuf.bytes, 0x77), "C's BO holds A's 4 KiB and nothing more");
	CHECK(all_bytes(&dbuf, 0, dbuf.bytes, 0x55), "D's BO is still untouched");

	/* A closes: its attachments go, and B's id is handed out again. */
	buf_unmap(&src);
	buf_unmap(&back);
	buf_unmap(&sig);
	dev_close(&a);
	struct dev fresh[16];
	int nf = 0;
	bool reused = false;
	while (nf < 16 && !reused) {
		dev_open_nth(&fresh[nf], 1);
		reused = fresh[nf++].info.context_id == bctx;
	}
	CHECK(reused, "once A closed, chip B hands B's context id %u out again (%d opens)", bctx, nf);
	for (int k = 0; k < nf; k++)
		dev_close(&fresh[k]);
}
