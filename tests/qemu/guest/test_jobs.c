// SPDX-License-Identifier: Apache-2.0
/*
 * functional, wait-timeout, syncobj, job-timeout: work through the driver.
 * Jobs that must not finish yet wait in a BARRIER_AND on a t1_signal whose
 * value the test sets to 0 through the BO's CPU mapping when it wants them
 * to go on (the device re-checks dependency signals every millisecond).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "uapi_test.h"

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void sleep_ms(int ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* The t1_signal at byte `off` of a BO's CPU mapping. */
static volatile struct t1_signal *signal_at(struct buf *b, uint64_t off)
{
	return (volatile struct t1_signal *)(b->map + off);
}

static void release(volatile struct t1_signal *s)
{
	s->value = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

static uint32_t u32_at(struct buf *b, uint64_t off)
{
	uint32_t v;

	memcpy(&v, (const void *)(b->map + off), sizeof(v));
	return v;
}

void test_functional(void)
{
	struct dev d;
	struct buf src, dst, sig, code;
	uint32_t q, so;

	dev_open(&d);
	const uint32_t RW = DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE;
	buf_new(&d, &src, 64 << 10, VA(&d, 10), RW);
	buf_new(&d, &dst, 64 << 10, VA(&d, 11), RW);
	buf_new(&d, &sig, 4096, VA(&d, 12), RW);
	buf_new(&d, &code, 4096, VA(&d, 13), DRM_TESSERA_VM_READ | DRM_TESSERA_VM_EXEC);
	for (uint64_t i = 0; i < src.bytes; i++)
		src.map[i] = (uint8_t)(i * 7 + 3);
	memcpy((void *)code.map, kernel_store_5a, sizeof(kernel_store_5a));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE");
	REQUIRE_OK(syncobj_create(&d, &so), "SYNCOBJ_CREATE");
	union t1_packet job[] = {
		pkt_fill(dst.va, 32 << 10, 0xcafebabeu, 4),
		pkt_copy(src.va, dst.va + (32 << 10), 16 << 10),
		pkt_fill(dst.va + (48 << 10) + 1, 100, 0x77, 1),
		pkt_fill(dst.va + (52 << 10), 64, 0xbeef, 2),
		pkt_copy(src.va + 3, dst.va + (56 << 10) + 5, 1000),
		pkt_signal(sig.va, T1_SIGNAL_OP_WRITE, 42),
		pkt_signal(sig.va + 32, T1_SIGNAL_OP_ADD, 5),
		pkt_dispatch(code.va, dst.va + (60 << 10)),
	};
	const uint32_t n = sizeof(job) / sizeof(job[0]);
	uint64_t seqno = 0;
	REQUIRE_OK(submit(&d, q, job, n, NULL, 0, so, &seqno), "SUBMIT of %u packets", n);
	CHECK(seqno > 0, "the job has a non-zero seqno (%llu)", (unsigned long long)seqno);
	CHECK_OK(wait_job(&d, q, seqno, MS(10000)), "WAIT for the job");
	CHECK_OK(syncobj_wait(&d, so, MS(5000)), "SYNCOBJ_WAIT on the job's out_syncobj");

	bool ok = true;
	for (uint64_t i = 0; i < (32 << 10); i += 4)
		ok &= u32_at(&dst, i) == 0xcafebabeu;
	CHECK(ok, "DMA_FILL width 4 wrote 32 KiB of 0xcafebabe");
	ok = true;
	for (uint64_t i = 0; i < (16 << 10); i++)
		ok &= dst.map[(32 << 10) + i] == (uint8_t)(i * 7 + 3);
	CHECK(ok, "DMA_COPY copied 16 KiB");
	ok = dst.map[48 << 10] == 0 && dst.map[(48 << 10) + 101] == 0;
	for (int i = 1; i <= 100; i++)
		ok &= dst.map[(48 << 10) + i] == 0x77;
	CHECK(ok, "DMA_FILL width 1 wrote exactly bytes 1..100 at an odd address");
	ok = dst.map[(52 << 10) + 64] == 0;
	for (int i = 0; i < 64; i += 2)
		ok &= dst.map[(52 << 10) + i] == 0xef && dst.map[(52 << 10) + i + 1] == 0xbe;
	CHECK(ok, "DMA_FILL width 2 wrote 32 x 0xbeef");
	ok = dst.map[(56 << 10) + 4] == 0 && dst.map[(56 << 10) + 1005] == 0;
	for (int i = 0; i < 1000; i++)
		ok &= dst.map[(56 << 10) + 5 + i] == (uint8_t)((i + 3) * 7 + 3);
	CHECK(ok, "an unaligned DMA_COPY of 1000 bytes (src +3, dst +5) is exact");
	CHECK(signal_at(&sig, 0)->value == 42, "SIGNAL WRITE set the value to 42 (got %lld)",
	      (long long)signal_at(&sig, 0)->value);
	CHECK(signal_at(&sig, 32)->value == 5, "SIGNAL ADD made 0 into 5 (got %lld)",
	      (long long)signal_at(&sig, 32)->value);
	uint64_t stored;
	memcpy(&stored, (const void *)(dst.map + (60 << 10)), 8);
	CHECK(stored == 0x5a, "the dispatched kernel stored 0x5a at its kernarg (got 0x%llx)",
	      (unsigned long long)stored);
	ok = true;
	for (uint64_t i = 0; i < src.bytes; i++)
		ok &= src.map[i] == (uint8_t)(i * 7 + 3);
	CHECK(ok, "the copy source is unchanged");

	struct drm_tessera_queue_status st;
	CHECK_OK(queue_status(&d, q, &st), "QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_OK, "queue state OK (%u)", st.state);
	CHECK(st.write_index == n && st.read_index == n,
	      "indices count the job's %u packets (r %llu w %llu)", n,
	      (unsigned long long)st.read_index, (unsigned long long)st.write_index);
	CHECK(st.submitted_seqno == seqno && st.completed_seqno == seqno,
	      "submitted and completed seqno are the job's (%llu, %llu; want %llu)",
	      (unsigned long long)st.submitted_seqno, (unsigned long long)st.completed_seqno,
	      (unsigned long long)seqno);

	/* A second job gets the next seqno; an old one polls as done. */
	union t1_packet again = pkt_fill(dst.va, 4, 0x12345678u, 4);
	uint64_t seqno2 = 0;
	CHECK_OK(submit(&d, q, &again, 1, NULL, 0, so, &seqno2), "SUBMIT of a second job");
	CHECK(seqno2 == seqno + 1, "the second job's seqno is %llu (got %llu)",
	      (unsigned long long)(seqno + 1), (unsigned long long)seqno2);
	CHECK_OK(wait_job(&d, q, seqno2, MS(10000)), "WAIT for the second job");
	CHECK(u32_at(&dst, 0) == 0x12345678u, "the second job ran (0x%08x)", u32_at(&dst, 0));
	CHECK_OK(wait_job(&d, q, seqno, 0), "WAIT (poll) for the first job");
	CHECK_OK(queue_destroy(&d, q), "QUEUE_DESTROY");
	CHECK_OK(syncobj_destroy(&d, so), "SYNCOBJ_DESTROY");
}

void test_wait_timeout(void)
{
	struct dev d;
	struct buf sig, dst;
	uint32_t q;

	dev_open(&d);
	const uint32_t RW = DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE;
	buf_new(&d, &sig, 4096, VA(&d, 20), RW);
	buf_new(&d, &dst, 4096, VA(&d, 21), RW);
	signal_at(&sig, 0)->value = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE");

	/* The event count before anything happens on the queue. */
	struct drm_tessera_wait ev = {
		.size = sizeof(ev), .flags = DRM_TESSERA_WAIT_CONTEXT_EVENT, .seqno = 0, .timeout_ns = 0,
	};
	int rc = tioctl(d.fd, DRM_IOCTL_TESSERA_WAIT, &ev);
	CHECK_ERR2(0, ETIMEDOUT, rc, "WAIT CONTEXT_EVENT (poll) on a new client");
	uint64_t events0 = rc == 0 ? ev.seqno : 0;

	union t1_packet job[] = {
		pkt_barrier_and(sig.va),
		pkt_fill(dst.va, 4096, 0x0f0f0f0fu, 4),
	};
	uint64_t seqno;
	REQUIRE_OK(submit(&d, q, job, 2, NULL, 0, 0, &seqno), "SUBMIT of a job that waits on a signal");
	CHECK_ERR(ETIMEDOUT, wait_job(&d, q, seqno, 0), "WAIT (poll) for the blocked job");
	uint64_t t0 = now_ns();
	CHECK_ERR(ETIMEDOUT, wait_job(&d, q, seqno, MS(100)), "WAIT 100 ms for the blocked job");
	uint64_t waited = now_ns() - t0;
	CHECK(waited >= MS(90) && waited < MS(5000), "the 100 ms WAIT took %llu ms",
	      (unsigned long long)(waited / 1000000));
	struct drm_tessera_queue_status st;
	CHECK_OK(queue_status(&d, q, &st), "QUEUE_STATUS of the blocked queue");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_OK && st.completed_seqno < seqno,
	      "the queue is OK and the job not complete (state %u, completed %llu, job %llu)",
	      st.state, (unsigned long long)st.completed_seqno, (unsigned long long)seqno);
	CHECK(dst.map[0] == 0, "the fill behind the barrier has not run");

	/* A WAIT for a context event sleeps until the job completes. */
	ev.seqno = events0;
	ev.timeout_ns = 0;
	if (tioctl(d.fd, DRM_IOCTL_TESSERA_WAIT, &ev) == 0)
		events0 = ev.seqno;
	ev.seqno = events0;
	ev.timeout_ns = MS(50);
	CHECK_ERR(ETIMEDOUT, tioctl(d.fd, DRM_IOCTL_TESSERA_WAIT, &ev),
		  "WAIT CONTEXT_EVENT 50 ms while nothing happens");

	release(signal_at(&sig, 0));
	CHECK_OK(wait_job(&d, q, seqno, MS(10000)), "WAIT for the released job");
	CHECK(dst.map[0] == 0x0f && dst.map[4095] == 0x0f, "the fill ran after the release");
	ev.seqno = events0;
	ev.timeout_ns = MS(5000);
	CHECK_OK(tioctl(d.fd, DRM_IOCTL_TESSERA_WAIT, &ev), "WAIT CONTEXT_EVENT after the job completed");
	CHECK(ev.seqno > events0, "the context event count grew (%llu -> %llu)",
	      (unsigned long long)events0, (unsigned long long)ev.seqno);
	check_device_alive(&d);
}

void test_syncobj(void)
{
	struct dev d;
	struct buf sig, dst;
	uint32_t q1, q2, so1, so2;

	dev_open(&d);
	const uint32_t RW = DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE;
	buf_new(&d, &sig, 4096, VA(&d, 30), RW);
	buf_new(&d, &dst, 4096, VA(&d, 31), RW);
	signal_at(&sig, 0)->value = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	REQUIRE_OK(queue_create(&d, 0, &q1), "QUEUE_CREATE q1");
	REQUIRE_OK(queue_create(&d, 0, &q2), "QUEUE_CREATE q2");
	REQUIRE_OK(syncobj_create(&d, &so1), "SYNCOBJ_CREATE");
	REQUIRE_OK(syncobj_create(&d, &so2), "SYNCOBJ_CREATE");

	/* q1's job waits on the signal and signals so1; q2's job waits on so1. */
	union t1_packet gate = pkt_barrier_and(sig.va);
	union t1_packet fill = pkt_fill(dst.va, 2048, 0x21212121u, 4);
	uint64_t s1, s2;
	REQUIRE_OK(submit(&d, q1, &gate, 1, NULL, 0, so1, &s1), "SUBMIT the gate job on q1");
	REQUIRE_OK(submit(&d, q2, &fill, 1, &so1, 1, so2, &s2), "SUBMIT on q2 waiting for q1's syncobj");
	sleep_ms(100);
	CHECK_ERR(ETIMEDOUT, wait_job(&d, q2, s2, MS(50)), "q2's job waits while q1's is blocked");
	CHECK_ERR2(ETIME, ETIMEDOUT, syncobj_wait(&d, so2, MS(10)), "q2's out_syncobj is not signalled yet");
	CHECK(dst.map[0] == 0, "q2's fill has not run before q1's job finished");

	/* A job on q2 behind the waiting one also waits (in order per queue),
	 * while a job on a third queue with a signalled input runs at once. */
	uint32_t q3, done;
	struct drm_syncobj_create sc = { .flags = DRM_SYNCOBJ_CREATE_SIGNALED };
	REQUIRE_OK(tioctl(d.fd, DRM_IOCTL_SYNCOBJ_CREATE, &sc), "SYNCOBJ_CREATE (signalled)");
	done = sc.handle;
	REQUIRE_OK(queue_create(&d, 0, &q3), "QUEUE_CREATE q3");
	union t1_packet fill3 = pkt_fill(dst.va + 2048, 4, 0x33333333u, 4);
	uint64_t s3;
	CHECK_OK(submit(&d, q3, &fill3, 1, &done, 1, 0, &s3), "SUBMIT on q3 waiting on a signalled syncobj");
	CHECK_OK(wait_job(&d, q3, s3, MS(10000)), "q3's job completes while q1 is blocked");
	CHECK(dst.map[2048] == 0x33 && dst.map[0] == 0, "q3's fill ran, q2's not yet (0x%02x, 0x%02x)",
	      dst.map[2048], dst.map[0]);

	release(signal_at(&sig, 0));
	CHECK_OK(wait_job(&d, q1, s1, MS(10000)), "WAIT for q1's released job");
	CHECK_OK(syncobj_wait(&d, so1, MS(5000)), "q1's out_syncobj is signalled");
	CHECK_OK(wait_job(&d, q2, s2, MS(10000)), "WAIT for q2's job after q1's");
	CHECK_OK(syncobj_wait(&d, so2, MS(5000)), "q2's out_syncobj is signalled");
	CHECK(dst.map[0] == 0x21 && dst.map[2047] == 0x21 && dst.map[2048] == 0x33,
	      "q2's fill ran after q1's job, next to q3's");
	check_device_alive(&d);
}

void test_job_timeout(void)
{
	struct dev d;
	struct buf sig, dst;
	uint32_t q, other;
	struct drm_tessera_queue_status st;

	dev_open(&d);
	const uint32_t RW = DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE;
	buf_new(&d, &sig, 4096, VA(&d, 40), RW);
	buf_new(&d, &dst, 4096, VA(&d, 41), RW);
	signal_at(&sig, 0)->value = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE");
	REQUIRE_OK(queue_create(&d, 0, &other), "QUEUE_CREATE (another queue)");

	union t1_packet gate = pkt_barrier_and(sig.va);
	union t1_packet fill = pkt_fill(dst.va, 4096, 0x61616161u, 4);
	struct drm_tessera_submit s = {
		.size = sizeof(s),
		.queue_id = q,
		.packet_count = 1,
		.packets_ptr = (uintptr_t)&gate,
		.timeout_ms = 200,
	};
	REQUIRE_OK(tioctl(d.fd, DRM_IOCTL_TESSERA_SUBMIT, &s), "SUBMIT of a blocked job with a 200 ms timeout");
	uint64_t blocked = s.seqno;
	uint64_t later;
	CHECK_OK(submit(&d, q, &fill, 1, NULL, 0, 0, &later), "SUBMIT of a job behind it");
	uint64_t t0 = now_ns();
	CHECK_ERR(EIO, wait_job(&d, q, blocked, MS(10000)), "WAIT for the job that timed out");
	uint64_t took = now_ns() - t0;
	CHECK(took >= MS(150), "the job failed after its 200 ms timeout, not before (%llu ms)",
	      (unsigned long long)(took / 1000000));
	CHECK_ERR(EIO, wait_job(&d, q, later, MS(10000)), "WAIT for the job behind it");
	CHECK(dst.map[0] == 0, "the job behind the timed-out one did not run");
	CHECK_OK(queue_status(&d, q, &st), "QUEUE_STATUS");
	CHECK(st.state == DRM_TESSERA_QUEUE_STATE_TIMEOUT, "the queue state is TIMEOUT (%u)", st.state);
	CHECK_ERR(EIO, submit(&d, q, &fill, 1, NULL, 0, 0, NULL), "SUBMIT to the timed-out queue");

	/* Other queues of the client are unaffected; a new queue works. */
	CHECK_OK(run_job(&d, other, &fill, 1), "a job on another queue of the same client");
	CHECK(dst.map[0] == 0x61, "it ran");
	CHECK_OK(queue_destroy(&d, q), "QUEUE_DESTROY of the timed-out queue");
	CHECK_OK(queue_create(&d, 0, &q), "QUEUE_CREATE of a replacement");
	union t1_packet fill2 = pkt_fill(dst.va + 1024, 4, 0x62626262u, 4);
	CHECK_OK(run_job(&d, q, &fill2, 1), "a job on the replacement queue");
	CHECK(dst.map[1024] == 0x62, "it ran");
	check_device_alive(&d);
}
