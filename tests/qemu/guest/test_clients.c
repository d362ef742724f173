// SPDX-License-Identifier: Apache-2.0
/*
 * isolation and fault: two processes, each with its own open of the render
 * node (so its own context). Nothing of one is reachable from the other,
 * and one client's faulting kernel does not disturb the other's work.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

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
