/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tessera-uapi-test: checks the uAPI of tessera.ko (tessera_drm.h) from
 * inside the QEMU guest. Each subtest runs in its own process and prints
 * PASS or FAIL with every failing check (what was called, the errno
 * expected and the errno got).
 */
#ifndef TESSERA_UAPI_TEST_H
#define TESSERA_UAPI_TEST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tessera_drm.h"
#include "tessera/hw/t1.h"

/* ---- checks -------------------------------------------------------------- */

struct t_state {
	const char *subtest; /* running subtest */
	const char *who;     /* "" or a process label such as "[B] " */
	int checks;
	int failures;
	bool verbose;
};
extern struct t_state t_cur;

void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void t_ok(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Records the outcome of a call that returned rc (0 or -1) with errno err
 * against the errno expected (0: success; a second errno may be accepted). */
bool t_expect_errno(int expected, int also, int rc, int err, const char *file, int line,
		    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
const char *t_errno_name(int err);

#define CHECK(cond, ...)                                                   \
	do {                                                               \
		if (cond)                                                  \
			t_ok(__FILE__, __LINE__, __VA_ARGS__);             \
		else                                                       \
			t_fail(__FILE__, __LINE__, __VA_ARGS__);           \
	} while (0)

/* CHECK_ERR(EINVAL, call, "what %d", x): call returns 0 or -1 + errno. */
#define CHECK_ERR(expected, call, ...)                                      \
	do {                                                                \
		int rc_ = (call);                                           \
		int err_ = rc_ ? errno : 0;                                 \
		t_expect_errno((expected), -1, rc_, err_, __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)
#define CHECK_ERR2(expected, also, call, ...)                               \
	do {                                                                \
		int rc_ = (call);                                           \
		int err_ = rc_ ? errno : 0;                                 \
		t_expect_errno((expected), (also), rc_, err_, __FILE__, __LINE__, __VA_ARGS__); \
	} while (0)
#define CHECK_OK(call, ...) CHECK_ERR(0, call, __VA_ARGS__)

/* REQUIRE_*: as CHECK_*, but a failure ends the subtest (its process). */
#define REQUIRE(cond, ...)                                                  \
	do {                                                                \
		if (cond) {                                                 \
			t_ok(__FILE__, __LINE__, __VA_ARGS__);              \
		} else {                                                    \
			t_fail(__FILE__, __LINE__, __VA_ARGS__);            \
			t_abort_subtest();                                  \
		}                                                           \
	} while (0)
#define REQUIRE_OK(call, ...)                                               \
	do {                                                                \
		int rc_ = (call);                                           \
		int err_ = rc_ ? errno : 0;                                 \
		if (!t_expect_errno(0, -1, rc_, err_, __FILE__, __LINE__, __VA_ARGS__)) \
			t_abort_subtest();                                  \
	} while (0)

/* Ends the current subtest process after a failed REQUIRE. */
_Noreturn void t_abort_subtest(void);

/* ---- processes ------------------------------------------------------------- */

/* Runs fn(arg) in a child process labelled `who` (e.g. "[B] "); returns its
 * pid. The child exits 0 when none of its checks failed. */
int t_spawn(const char *who, void (*fn)(void *arg), void *arg);
/* Waits for a child of t_spawn and records a failure unless it exited 0. */
void t_join(int pid, const char *who);

/* One-way channel between processes (a pipe) for 64-bit values. */
struct t_chan {
	int rd, wr;
};
void t_chan_init(struct t_chan *c);
void t_chan_send(struct t_chan *c, uint64_t v);
/* Receives one value; a closed or silent channel (timeout_ms) ends the subtest. */
uint64_t t_chan_recv(struct t_chan *c, int timeout_ms);
/* True when a value (or the end of the channel) is waiting. */
bool t_chan_ready(struct t_chan *c);

/* ---- the device -------------------------------------------------------------- */

struct dev {
	int fd;
	char path[64];
	struct drm_tessera_device_info info;
};

/* Opens the render node whose driver is "tessera" (TESSERA_UAPI_DEVICE
 * overrides the path) and reads DEVICE_INFO. Ends the subtest on failure. */
void dev_open(struct dev *d);
/* The same for the n-th (0-based) tessera render node: another chip. */
void dev_open_nth(struct dev *d, int n);
/* Tessera render nodes (chips) there are. */
int dev_count(void);
void dev_close(struct dev *d);

/* ioctl that restarts on EINTR/EAGAIN, as libdrm's drmIoctl does. */
int tioctl(int fd, unsigned long request, void *arg);

/* First VA of the client range that the tests use, 2 MiB aligned; VA(n)
 * is n MiB above it, so tests place mappings without colliding. */
uint64_t va_base(const struct dev *d);
#define VA(d, mib) (va_base(d) + (uint64_t)(mib) * (1ull << 20))

/* A BO, its CPU mapping and (when va != 0) its device mapping. */
struct buf {
	uint32_t handle;
	uint64_t bytes;
	uint64_t mmap_offset;
	uint64_t va;
	volatile uint8_t *map;
};
/* Creates a BO of `bytes`, maps it into the process and, if va != 0, at va
 * with vm_flags. Ends the subtest on failure. */
void buf_new(struct dev *d, struct buf *b, uint64_t bytes, uint64_t va, uint32_t vm_flags);
/* Removes the CPU mapping (which keeps the DRM file open otherwise). */
void buf_unmap(struct buf *b);

int peer_attach(struct dev *d, int peer_fd, struct drm_tessera_peer_attach *out);
int bo_create(struct dev *d, uint64_t bytes, uint32_t *handle);
int bo_info(struct dev *d, uint32_t handle, struct drm_tessera_bo_info *out);
int bo_close(struct dev *d, uint32_t handle);
int vm_map(struct dev *d, uint32_t handle, uint64_t bo_offset, uint64_t va, uint64_t length,
	   uint32_t flags);
int vm_unmap(struct dev *d, uint64_t va);
int queue_create(struct dev *d, uint32_t ring_packets, uint32_t *queue_id);
int queue_destroy(struct dev *d, uint32_t queue_id);
int queue_status(struct dev *d, uint32_t queue_id, struct drm_tessera_queue_status *out);
/* SUBMIT of n packets; seqno may be NULL. */
int submit(struct dev *d, uint32_t queue_id, const union t1_packet *packets, uint32_t n,
	   const uint32_t *in_syncobjs, uint32_t in_count, uint32_t out_syncobj,
	   uint64_t *seqno);
int wait_job(struct dev *d, uint32_t queue_id, uint64_t seqno, uint64_t timeout_ns);
int get_faults(struct dev *d, struct t1_fault_record *records, uint32_t capacity,
	       uint32_t *count, uint32_t *lost);
int syncobj_create(struct dev *d, uint32_t *handle);
int syncobj_destroy(struct dev *d, uint32_t handle);
/* Waits (relative timeout) for the syncobj's fence, also for one not yet
 * submitted. 0 when signalled, -1 with ETIME when the time ran out. */
int syncobj_wait(struct dev *d, uint32_t handle, uint64_t timeout_ns);

/* Submits one job and waits for it; returns wait_job's result. */
int run_job(struct dev *d, uint32_t queue_id, const union t1_packet *packets, uint32_t n);

#define MS(x) ((uint64_t)(x) * 1000000ull)

/* ---- packets ----------------------------------------------------------------- */

union t1_packet pkt_fill(uint64_t dst, uint64_t size, uint32_t pattern, uint16_t width);
union t1_packet pkt_copy(uint64_t src, uint64_t dst, uint64_t size);
/* A DMA_COPY with T1_DMA_FLAG_PEER: dst is a VA of peer_context on chip peer_device. */
union t1_packet pkt_peer_copy(uint64_t src, uint64_t dst, uint64_t size, uint32_t peer_device,
			      uint32_t peer_context);
union t1_packet pkt_signal(uint64_t signal_va, uint16_t op, int64_t value);
union t1_packet pkt_barrier_and(uint64_t signal_va);
union t1_packet pkt_dispatch(uint64_t entry, uint64_t kernarg);

/* Hand-encoded RV64 kernels (one thread each). */
extern const uint32_t kernel_load_from_zero[2]; /* ld a0, 0(zero); ebreak */
extern const uint32_t kernel_store_5a[3];       /* li t1, 0x5a; sd t1, 0(a0); t.exit */

/* ---- subtests ------------------------------------------------------------------ */

void test_device_info(void);
void test_ioctl_size(void);
void test_ioctl_flags(void);
void test_ioctl_reserved(void);
void test_ioctl_handles(void);
void test_ioctl_pointers(void);
void test_bo_create(void);
void test_vm_map(void);
void test_queue_args(void);
void test_submit_args(void);
void test_wait_timeout(void);
void test_functional(void);
void test_syncobj(void);
void test_job_timeout(void);
void test_isolation(void);
void test_fault(void);
void test_peer(void);
/* fdinfo and debugfs (needs debugfs at /sys/kernel/debug). */
void test_usage(void);
/* These end the device (they ask the host to kill or stop the emulator). */
void test_lost(void);
void test_stopped(void);

/* Checks that a DMA_FILL on a fresh queue still works (the device survived
 * whatever the subtest did). */
void check_device_alive(struct dev *d);

#endif /* TESSERA_UAPI_TEST_H */
