// SPDX-License-Identifier: Apache-2.0
/*
 * lost, stopped: the emulator dies (SIGKILL) or stops (SIGTERM) under a
 * client that has a blocked job and a second process blocked in WAIT on it.
 * The test asks the host for it with a TESSERA-QEMU-HOST line on the
 * console (scripts/qemu/run-tests.sh acts on it) and then checks that the
 * driver declares the device lost by itself: the waits return -ENODEV in
 * bounded time, the out fence signals with -ENODEV, every ioctl (and open,
 * and a new mmap) returns -ENODEV, the queue shows as lost in debugfs, and
 * the file closes. The device does not come back, so these subtests run
 * only when named, last in a guest (tests/qemu/device-lost.list).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <linux/sync_file.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "uapi_test.h"

/* The driver's limit for a still heartbeat is T1_IVSHMEM_DEAD_MS (2 s),
 * checked every 100 ms; a waiter must be woken well within this. */
#define LOST_WITHIN_MS 10000

static uint64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000ull + (uint64_t)t.tv_nsec / 1000000ull;
}

static void sleep_ms(int ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&t, NULL);
}

/* How the device goes away and what the driver must then say about it. */
struct lost_case {
	const char *host_action; /* TESSERA-QEMU-HOST request */
	const char *reason;      /* in the kernel's "device lost: ..." line */
	const char *transport;   /* a line of debugfs "transport" afterwards */
	uint64_t min_ms;         /* the loss may not be declared sooner */
	uint64_t max_ms;         /* nor later */
};

/* The process blocked in WAIT on the parent's job (same file). */
struct waiter {
	struct dev *d;
	uint32_t queue;
	uint64_t seqno;
	struct t_chan ready, done;
};

static void waiter_main(void *arg)
{
	struct waiter *w = arg;

	t_chan_send(&w->ready, 1);
	uint64_t t0 = now_ms();
	int rc = wait_job(w->d, w->queue, w->seqno, MS(30000));
	int err = rc ? errno : 0;
	uint64_t took = now_ms() - t0;
	t_expect_errno(ENODEV, -1, rc, err, __FILE__, __LINE__,
		       "the WAIT blocked in another process returns once the device is lost");
	printf("[waiter] its WAIT returned %s after %llu ms\n", t_errno_name(err),
	       (unsigned long long)took);
	t_chan_send(&w->done, ((uint64_t)(unsigned)err << 32) | (took & 0xffffffffu));
}

/* The kernel log holds `needle` (the driver's reason for the loss). */
static bool kernel_log_has(const char *needle)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);

	if (len <= 0)
		return false;
	char *buf = malloc((size_t)len + 1);
	if (!buf)
		return false;
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	bool found = false;
	if (n > 0) {
		buf[n] = 0;
		found = strstr(buf, needle) != NULL;
	}
	free(buf);
	return found;
}

/* Reads debugfs file `name` of the tessera DRM device into buf ("" when
 * there is none); debugfs is mounted by the QEMU test's /init. */
static void read_debugfs(const char *name, char *buf, size_t len)
{
	const char *top = "/sys/kernel/debug/dri";
	DIR *dir = opendir(top);
	struct dirent *e;

	buf[0] = 0;
	if (!dir)
		return;
	while ((e = readdir(dir)) != NULL) {
		char path[300], id[128] = "";

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s/name", top, e->d_name);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(id, sizeof(id), f))
			id[0] = 0;
		fclose(f);
		if (strncmp(id, "tessera", 7) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/%s", top, e->d_name, name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		ssize_t n = read(fd, buf, len - 1);
		close(fd);
		buf[n > 0 ? n : 0] = 0;
		if (n > 0)
			break;
	}
	closedir(dir);
}

/* The status of the fence in a syncobj: 1 signalled, 0 pending, < 0 the
 * error it signalled with; INT32_MIN when it cannot be read. */
static int syncobj_fence_status(struct dev *d, uint32_t handle)
{
	struct drm_syncobj_handle h = {
		.handle = handle,
		.flags = DRM_SYNCOBJ_HANDLE_TO_FD_FLAGS_EXPORT_SYNC_FILE,
		.fd = -1,
	};
	struct sync_file_info info;
	int status = INT32_MIN;

	if (tioctl(d->fd, DRM_IOCTL_SYNCOBJ_HANDLE_TO_FD, &h) != 0)
		return status;
	memset(&info, 0, sizeof(info));
	if (ioctl(h.fd, SYNC_IOC_FILE_INFO, &info) == 0)
		status = info.status;
	close(h.fd);
	return status;
}

static void device_goes_away(const struct lost_case *c)
{
	const uint32_t RW = DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE;
	struct dev d;
	struct buf sig, dst;
	uint32_t q, so;

	dev_open(&d);
	buf_new(&d, &sig, 4096, VA(&d, 60), RW);
	buf_new(&d, &dst, 4096, VA(&d, 61), RW);
	((volatile struct t1_signal *)sig.map)->value = 1; /* nobody sets it to 0 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	REQUIRE_OK(queue_create(&d, 0, &q), "QUEUE_CREATE");
	REQUIRE_OK(syncobj_create(&d, &so), "SYNCOBJ_CREATE");

	/* The device works before it goes away. */
	union t1_packet fill = pkt_fill(dst.va, 4096, 0x3c3c3c3cu, 4);
	REQUIRE_OK(run_job(&d, q, &fill, 1), "a DMA_FILL job before the emulator goes away");
	CHECK(dst.map[0] == 0x3c && dst.map[4095] == 0x3c, "the fill ran");

	/* A job that cannot finish on its own; its timeout is far off, so only
	 * the loss can end it. */
	union t1_packet job[] = { pkt_barrier_and(sig.va), pkt_fill(dst.va, 4096, 0x77777777u, 4) };
	struct drm_tessera_submit s = {
		.size = sizeof(s),
		.queue_id = q,
		.packet_count = 2,
		.packets_ptr = (uintptr_t)job,
		.out_syncobj = so,
		.timeout_ms = 120000,
	};
	REQUIRE_OK(tioctl(d.fd, DRM_IOCTL_TESSERA_SUBMIT, &s), "SUBMIT of a job blocked on a signal");
	const uint64_t seqno = s.seqno;
	CHECK_ERR(ETIMEDOUT, wait_job(&d, q, seqno, MS(100)), "the job is blocked (WAIT 100 ms)");

	struct waiter w = { .d = &d, .queue = q, .seqno = seqno };
	t_chan_init(&w.ready);
	t_chan_init(&w.done);
	int pid = t_spawn("[waiter] ", waiter_main, &w);
	t_chan_recv(&w.ready, 10000);
	sleep_ms(300); /* into its WAIT */
	REQUIRE(!t_chan_ready(&w.done), "the other process is blocked in WAIT");

	/* The host acts on this line (scripts/qemu/run-tests.sh --help). */
	printf("TESSERA-QEMU-HOST %s\n", c->host_action);
	fflush(stdout);
	const uint64_t t0 = now_ms();

	int rc = wait_job(&d, q, seqno, MS(LOST_WITHIN_MS + 5000));
	int err = rc ? errno : 0;
	const uint64_t took = now_ms() - t0;
	if (err == ETIMEDOUT)
		t_fail(__FILE__, __LINE__,
		       "the device was not declared lost within %d ms of the %s request (run-tests.sh says whether it acted on it)",
		       LOST_WITHIN_MS + 5000, c->host_action);
	else
		t_expect_errno(ENODEV, -1, rc, err, __FILE__, __LINE__,
			       "the blocked job's WAIT once the emulator is gone");
	printf("lost %s: the blocked WAIT returned %s %llu ms after the %s request\n",
	       t_cur.subtest, t_errno_name(err), (unsigned long long)took, c->host_action);
	CHECK(took >= c->min_ms && took <= c->max_ms,
	      "the loss was declared %llu ms after the request (expected %llu..%llu ms)",
	      (unsigned long long)took, (unsigned long long)c->min_ms,
	      (unsigned long long)c->max_ms);

	uint64_t v = t_chan_recv(&w.done, 5000);
	CHECK((int)(v >> 32) == ENODEV, "the other process's WAIT got ENODEV (%s)",
	      t_errno_name((int)(v >> 32)));
	t_join(pid, "[waiter] ");

	/* The job's out fence signals, with -ENODEV: syncobj waiters wake too. */
	CHECK_OK(syncobj_wait(&d, so, MS(5000)), "the job's out syncobj is signalled");
	int fst = syncobj_fence_status(&d, so);
	CHECK(fst == -ENODEV, "its fence carries -ENODEV (status %d)", fst);
	CHECK(dst.map[0] == 0x3c, "the fill behind the barrier never ran");

	/* What the driver says about it. */
	char want[128], text[4096];
	snprintf(want, sizeof(want), "device lost: %s", c->reason);
	CHECK(kernel_log_has(want), "the kernel log says \"%s\"", want);
	read_debugfs("transport", text, sizeof(text));
	CHECK(strstr(text, "device lost:    yes") != NULL, "debugfs transport says the device is lost");
	CHECK(strstr(text, c->transport) != NULL, "debugfs transport says \"%s\"", c->transport);
	read_debugfs("queues", text, sizeof(text));
	CHECK(strstr(text, " lost ") != NULL, "debugfs queues shows the queue as lost:\n%s", text);

	/* Every ioctl of the driver now returns -ENODEV, QUEUE_STATUS too (its
	 * LOST state cannot be read through it). */
	struct drm_tessera_device_info info = { .size = sizeof(info) };
	CHECK_ERR(ENODEV, tioctl(d.fd, DRM_IOCTL_TESSERA_DEVICE_INFO, &info), "DEVICE_INFO");
	uint32_t h;
	CHECK_ERR(ENODEV, bo_create(&d, 4096, &h), "BO_CREATE");
	CHECK_ERR(ENODEV, bo_info(&d, sig.handle, NULL), "BO_INFO");
	CHECK_ERR(ENODEV, vm_map(&d, dst.handle, 0, VA(&d, 62), 4096, RW), "VM_MAP");
	CHECK_ERR(ENODEV, vm_unmap(&d, sig.va), "VM_UNMAP");
	uint32_t q2;
	CHECK_ERR(ENODEV, queue_create(&d, 0, &q2), "QUEUE_CREATE");
	struct drm_tessera_queue_status st;
	CHECK_ERR(ENODEV, queue_status(&d, q, &st), "QUEUE_STATUS");
	CHECK_ERR(ENODEV, submit(&d, q, &fill, 1, NULL, 0, 0, NULL), "SUBMIT");
	CHECK_ERR(ENODEV, wait_job(&d, q, seqno, 0), "WAIT (poll) for the failed job");
	struct drm_tessera_wait ev = {
		.size = sizeof(ev), .flags = DRM_TESSERA_WAIT_CONTEXT_EVENT, .timeout_ns = MS(10),
	};
	CHECK_ERR(ENODEV, tioctl(d.fd, DRM_IOCTL_TESSERA_WAIT, &ev), "WAIT CONTEXT_EVENT");
	struct t1_fault_record rec[4];
	CHECK_ERR(ENODEV, get_faults(&d, rec, 4, NULL, NULL), "GET_FAULTS");
	CHECK_ERR(ENODEV, peer_attach(&d, d.fd, NULL), "PEER_ATTACH");
	CHECK_ERR(ENODEV, queue_destroy(&d, q), "QUEUE_DESTROY");

	/* No new file and no new mapping of device memory. */
	int fd2 = open(d.path, O_RDWR | O_CLOEXEC);
	CHECK(fd2 < 0 && errno == ENODEV, "open(%s) fails with ENODEV (%s)", d.path,
	      fd2 < 0 ? t_errno_name(errno) : "it opened");
	if (fd2 >= 0)
		close(fd2);
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, d.fd, (off_t)dst.mmap_offset);
	CHECK(p == MAP_FAILED && errno == ENODEV, "a new mmap of a BO fails with ENODEV (%s)",
	      p == MAP_FAILED ? t_errno_name(errno) : "it mapped");
	if (p != MAP_FAILED)
		munmap(p, 4096);

	/* Releasing still works: handles, syncobjs, mappings, the file. */
	CHECK_OK(bo_close(&d, dst.handle), "GEM_CLOSE of a mapped BO");
	CHECK_OK(syncobj_destroy(&d, so), "SYNCOBJ_DESTROY");
	buf_unmap(&sig);
	buf_unmap(&dst);
	CHECK_OK(close(d.fd), "close() of the render node");
	d.fd = -1;
}

void test_lost(void)
{
	/* SIGKILL: the transport still says RUNNING; the heartbeat stands
	 * still, which the driver notices after T1_IVSHMEM_DEAD_MS. */
	static const struct lost_case c = {
		.host_action = "kill-emulator",
		.reason = "the emulator's heartbeat stopped",
		.transport = "state:          1 (running)",
		.min_ms = 1500,
		.max_ms = LOST_WITHIN_MS,
	};
	device_goes_away(&c);
}

void test_stopped(void)
{
	/* SIGTERM: the emulator marks the transport STOPPED, which the
	 * driver's 100 ms watch sees long before the heartbeat limit. */
	static const struct lost_case c = {
		.host_action = "stop-emulator",
		.reason = "the emulator stopped",
		.transport = "state:          2 (stopped)",
		.min_ms = 0,
		.max_ms = 1500,
	};
	device_goes_away(&c);
}
