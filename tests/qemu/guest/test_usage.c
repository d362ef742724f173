// SPDX-License-Identifier: Apache-2.0
/*
 * usage: what the driver tells about its clients outside the uAPI.
 * /proc/self/fdinfo/FD (kmod/tessera_fdinfo.c): the driver, the PCI device,
 * the client id, the exact device memory of the client's BOs and the device
 * time of its jobs, per client. debugfs, /sys/kernel/debug/dri/MINOR/
 * (kmod/tessera_debugfs.c): this client's queues with ring size and state,
 * a fault with its cause and address, a heartbeat that moves.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "tessera/hw/t1_ivshmem.h"
#include "uapi_test.h"

#define RW (DRM_TESSERA_VM_READ | DRM_TESSERA_VM_WRITE)

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
	struct timespec t = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000l };

	while (nanosleep(&t, &t) != 0)
		;
}

/* Reads a whole (small, virtual) file into buf; false when it cannot. */
static bool read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	buf[0] = 0;
	if (!f)
		return false;
	n = fread(buf, 1, len - 1, f);
	buf[n] = 0;
	fclose(f);
	return true;
}

/* ---- fdinfo ------------------------------------------------------------------ */

struct fdinfo {
	char driver[32];
	char pdev[32];
	uint64_t client_id;
	uint64_t engine_ns;
	uint64_t vram_kib;
	bool has_driver, has_pdev, has_client_id, has_engine, has_vram;
};

/* Parses the DRM keys of /proc/self/fdinfo/FD, with their units. */
static void fdinfo_read(int fd, struct fdinfo *fi)
{
	char path[64], text[4096], *save = NULL;

	memset(fi, 0, sizeof(*fi));
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	REQUIRE(read_text(path, text, sizeof(text)), "read %s", path);
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		unsigned long long v;
		char unit[8];

		if (sscanf(line, "drm-driver: %31s", fi->driver) == 1) {
			fi->has_driver = true;
		} else if (sscanf(line, "drm-pdev: %31s", fi->pdev) == 1) {
			fi->has_pdev = true;
		} else if (sscanf(line, "drm-client-id: %llu", &v) == 1) {
			fi->has_client_id = true;
			fi->client_id = v;
		} else if (sscanf(line, "drm-engine-compute: %llu %7s", &v, unit) == 2 &&
			   strcmp(unit, "ns") == 0) {
			fi->has_engine = true;
			fi->engine_ns = v;
		} else if (sscanf(line, "drm-memory-vram: %llu %7s", &v, unit) == 2 &&
			   strcmp(unit, "KiB") == 0) {
			fi->has_vram = true;
			fi->vram_kib = v;
		}
	}
	REQUIRE(fi->has_driver && fi->has_pdev && fi->has_client_id && fi->has_engine &&
		fi->has_vram,
		"%s has drm-driver, drm-pdev, drm-client-id, drm-engine-compute (ns) and "
		"drm-memory-vram (KiB) (found %d %d %d %d %d)",
		path, fi->has_driver, fi->has_pdev, fi->has_client_id, fi->has_engine, fi->has_vram);
}

static uint64_t vram_kib(struct dev *d)
{
	struct fdinfo fi;

	fdinfo_read(d->fd, &fi);
	return fi.vram_kib;
}

/* The device number of an open node, the PCI address of its device. */
static dev_t node_rdev(struct dev *d)
{
	struct stat st;

	REQUIRE(fstat(d->fd, &st) == 0 && S_ISCHR(st.st_mode), "fstat of %s: a character device",
		d->path);
	return st.st_rdev;
}

static unsigned node_minor(struct dev *d)
{
	return minor(node_rdev(d));
}

static void node_pci_address(struct dev *d, char *out, size_t len)
{
	char link[128], target[256];
	dev_t rdev = node_rdev(d);

	snprintf(link, sizeof(link), "/sys/dev/char/%u:%u/device", major(rdev), minor(rdev));
	ssize_t n = readlink(link, target, sizeof(target) - 1);
	REQUIRE(n > 0, "readlink %s (the node's PCI device)", link);
	target[n] = 0;
	const char *base = strrchr(target, '/');
	snprintf(out, len, "%s", base ? base + 1 : target);
}

/* ---- debugfs ------------------------------------------------------------------- */

static void debugfs_read(struct dev *d, const char *name, char *buf, size_t len)
{
	char path[96];

	snprintf(path, sizeof(path), "/sys/kernel/debug/dri/%u/%s", node_minor(d), name);
	REQUIRE(read_text(path, buf, len), "read %s (debugfs mounted at /sys/kernel/debug?)", path);
}

struct queue_line {
	unsigned hwq, ctx, queue, ring, pending, inflight;
	unsigned long long client, hw_read, hw_write, pushed, submitted, last_job, completed;
	char state[16];
	char stopped[128]; /* the "stopped at ..." line after it, if any */
};

/* Finds the line of `queues` for (client id, queue id); false if none. */
static bool debugfs_queue(struct dev *d, uint64_t client_id, uint32_t queue_id,
			  struct queue_line *out)
{
	static char text[16384];
	char *save = NULL;
	bool found = false;

	debugfs_read(d, "queues", text, sizeof(text));
	CHECK(strncmp(text, "hwq client  ctx queue   ring", 28) == 0,
	      "debugfs queues starts with its header (got '%.40s')", text);
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct queue_line q;

		memset(&q, 0, sizeof(q));
		if (found && strncmp(line, "    stopped at ", 15) == 0) {
			snprintf(out->stopped, sizeof(out->stopped), "%s", line + 4);
			continue;
		}
		if (found)
			break;
		if (sscanf(line, "%u %llu %u %u %u %llu %llu %llu %llu %15s %u %u %llu %llu", &q.hwq,
			   &q.client, &q.ctx, &q.queue, &q.ring, &q.hw_read, &q.hw_write, &q.pushed,
			   &q.submitted, q.state, &q.pending, &q.inflight, &q.last_job,
			   &q.completed) != 14)
			continue;
		if (q.client == client_id && q.queue == queue_id) {
			*out = q;
			found = true;
		}
	}
	return found;
}

static uint64_t heartbeat(struct dev *d)
{
	char text[2048];
	const char *p;
	unsigned long long hb = 0;

	debugfs_read(d, "transport", text, sizeof(text));
	p = strstr(text, "\nheartbeat:");
	REQUIRE(p && sscanf(p, "\nheartbeat: %llu", &hb) == 1,
		"debugfs transport has a heartbeat line (got:\n%s)", text);
	return hb;
}

/* ---- the subtest ------------------------------------------------------------------ */

static void check_memory(struct dev *d, const struct fdinfo *first)
{
	/* Sizes round up to 4 KiB pages; the total is exact. */
	static const uint64_t sizes[] = { 4096, 12289, (3ull << 20) + 1, 64 << 10 };
	uint32_t handles[4];
	uint64_t total = 0;

	CHECK(first->vram_kib == 0, "a fresh client has drm-memory-vram 0 KiB (got %llu)",
	      (unsigned long long)first->vram_kib);
	for (int i = 0; i < 4; i++) {
		struct drm_tessera_bo_info info;

		REQUIRE_OK(bo_create(d, sizes[i], &handles[i]), "BO_CREATE of %llu bytes",
			   (unsigned long long)sizes[i]);
		REQUIRE_OK(bo_info(d, handles[i], &info), "BO_INFO");
		uint64_t want = (sizes[i] + 4095) & ~4095ull;
		CHECK(info.bytes == want, "a BO of %llu bytes has %llu (got %llu)",
		      (unsigned long long)sizes[i], (unsigned long long)want,
		      (unsigned long long)info.bytes);
		total += info.bytes;
		uint64_t kib = vram_kib(d);
		CHECK(kib == total >> 10, "drm-memory-vram is %llu KiB after %d BOs (got %llu)",
		      (unsigned long long)(total >> 10), i + 1, (unsigned long long)kib);
	}

	/* Another client of the same chip does not count them. */
	struct dev other;
	struct fdinfo ofi;
	uint32_t oh;
	dev_open(&other);
	fdinfo_read(other.fd, &ofi);
	CHECK(ofi.client_id != first->client_id,
	      "a second open has its own drm-client-id (%llu vs %llu)",
	      (unsigned long long)ofi.client_id, (unsigned long long)first->client_id);
	CHECK(ofi.vram_kib == 0,
	      "a second client has drm-memory-vram 0 KiB beside the first's %llu (got %llu)",
	      (unsigned long long)(total >> 10), (unsigned long long)ofi.vram_kib);
	REQUIRE_OK(bo_create(&other, 8192, &oh), "BO_CREATE of 8 KiB in the second client");
	uint64_t kib = vram_kib(&other);
	CHECK(kib == 8, "the second client's drm-memory-vram is its 8 KiB (got %llu)",
	      (unsigned long long)kib);
	kib = vram_kib(d);
	CHECK(kib == total >> 10, "the first client's stays %llu KiB (got %llu)",
	      (unsigned long long)(total >> 10), (unsigned long long)kib);
	dev_close(&other);
	kib = vram_kib(d);
	CHECK(kib == total >> 10, "the first client's stays %llu KiB after the second closed (got %llu)",
	      (unsigned long long)(total >> 10), (unsigned long long)kib);

	/* A client of the other chip, if there is one: its own PCI device. */
	if (dev_count() >= 2) {
		char pci[256];
		dev_open_nth(&other, 1);
		fdinfo_read(other.fd, &ofi);
		node_pci_address(&other, pci, sizeof(pci));
		CHECK(strcmp(ofi.pdev, pci) == 0 && strcmp(ofi.pdev, first->pdev) != 0,
		      "a client of chip 1 has drm-pdev %s (got %s; chip 0 is %s)", pci, ofi.pdev,
		      first->pdev);
		CHECK(ofi.vram_kib == 0, "a client of chip 1 has drm-memory-vram 0 KiB (got %llu)",
		      (unsigned long long)ofi.vram_kib);
		dev_close(&other);
	}

	/* Closing a BO takes its size off. */
	total -= (3ull << 20) + 4096;
	CHECK_OK(bo_close(d, handles[2]), "GEM_CLOSE of the 3 MiB + 4 KiB BO");
	kib = vram_kib(d);
	CHECK(kib == total >> 10, "drm-memory-vram is %llu KiB after closing it (got %llu)",
	      (unsigned long long)(total >> 10), (unsigned long long)kib);
	for (int i = 0; i < 4; i++)
		if (i != 2)
			CHECK_OK(bo_close(d, handles[i]), "GEM_CLOSE");
	kib = vram_kib(d);
	CHECK(kib == 0, "drm-memory-vram is 0 KiB with every BO closed (got %llu)",
	      (unsigned long long)kib);
}

/* A 32 MiB DMA_FILL: drm-engine-compute grows, by no more than the time
 * from SUBMIT to the end of WAIT. */
static void check_engine(struct dev *d, uint32_t q, uint64_t *seqno_out)
{
	const uint64_t bytes = 32ull << 20;
	struct fdinfo before, after;
	struct buf b;
	uint64_t seqno = 0;

	buf_new(d, &b, bytes, VA(d, 64), RW);
	union t1_packet fill = pkt_fill(b.va, bytes, 0x5a5a5a5au, 4);
	fdinfo_read(d->fd, &before);
	uint64_t t0 = now_ns();
	REQUIRE_OK(submit(d, q, &fill, 1, NULL, 0, 0, &seqno), "SUBMIT of a 32 MiB DMA_FILL");
	REQUIRE_OK(wait_job(d, q, seqno, MS(20000)), "WAIT for the 32 MiB DMA_FILL");
	uint64_t elapsed = now_ns() - t0;
	fdinfo_read(d->fd, &after);
	printf("engine: drm-engine-compute %llu -> %llu ns for a 32 MiB fill that took %llu ns"
	       " from SUBMIT to WAIT\n",
	       (unsigned long long)before.engine_ns, (unsigned long long)after.engine_ns,
	       (unsigned long long)elapsed);
	CHECK(after.engine_ns > before.engine_ns,
	      "drm-engine-compute grows over a 32 MiB DMA_FILL (%llu -> %llu ns)",
	      (unsigned long long)before.engine_ns, (unsigned long long)after.engine_ns);
	CHECK(after.engine_ns - before.engine_ns <= elapsed,
	      "drm-engine-compute grows by at most the %llu ns from SUBMIT to WAIT (by %llu)",
	      (unsigned long long)elapsed, (unsigned long long)(after.engine_ns - before.engine_ns));
	CHECK(b.map[0] == 0x5a && b.map[bytes - 1] == 0x5a, "the fill wrote its pattern");
	buf_unmap(&b);
	CHECK_OK(bo_close(d, b.handle), "GEM_CLOSE of the 32 MiB BO");
	*seqno_out = seqno;
}

static void check_queues(struct dev *d, const struct fdinfo *fi, uint32_t q, uint64_t seqno)
{
	struct queue_line ql;

	REQUIRE(debugfs_queue(d, fi->client_id, q, &ql),
		"debugfs queues has a line for client %llu queue %u",
		(unsigned long long)fi->client_id, q);
	CHECK(ql.ctx == d->info.context_id, "its ctx is the client's context %u (got %u)",
	      d->info.context_id, ql.ctx);
	CHECK(ql.ring == 64, "its ring is the 64 packets asked for (got %u)", ql.ring);
	CHECK(strcmp(ql.state, "ok") == 0, "its state is ok (got %s)", ql.state);
	CHECK(ql.last_job == seqno && ql.completed == seqno && ql.pending == 0 && ql.inflight == 0,
	      "its last_job and completed are job %llu with none pending or in flight"
	      " (got %llu, %llu, %u, %u)",
	      (unsigned long long)seqno, ql.last_job, ql.completed, ql.pending, ql.inflight);
	CHECK(ql.hw_read == ql.hw_write && ql.hw_write > 0,
	      "the hardware took every packet of its ring (hw_read %llu, hw_write %llu)", ql.hw_read,
	      ql.hw_write);

	/* Another client's queue is listed under that client, with its ring. */
	struct dev other;
	struct fdinfo ofi;
	uint32_t oq;
	dev_open(&other);
	fdinfo_read(other.fd, &ofi);
	REQUIRE_OK(queue_create(&other, 16, &oq), "QUEUE_CREATE of 16 packets in a second client");
	CHECK(debugfs_queue(d, ofi.client_id, oq, &ql) && ql.ring == 16 &&
	      ql.ctx == other.info.context_id && strcmp(ql.state, "ok") == 0,
	      "debugfs queues lists the second client's queue %u with ring 16, ctx %u, ok",
	      oq, other.info.context_id);
	dev_close(&other);
	CHECK(!debugfs_queue(d, ofi.client_id, oq, &ql),
	      "the second client's queue is gone from debugfs queues after its close");
}

/* A DMA_FILL to an unmapped VA: faults shows the record GET_FAULTS gave,
 * queues shows the queue stopped with its cause. */
static void check_fault(struct dev *d, const struct fdinfo *fi)
{
	static char text[16384];
	unsigned long long total_before = 0, total_after = 0;
	struct drm_tessera_queue_status st;
	struct t1_fault_record rec[4];
	struct queue_line ql;
	uint32_t q, count = 0;
	const uint64_t bad_va = VA(d, 300) + 0x3000; /* nothing is mapped there */

	debugfs_read(d, "faults", text, sizeof(text));
	CHECK(sscanf(text, "fault records received: %llu", &total_before) == 1,
	      "debugfs faults starts with the record count (got '%.60s')", text);
	REQUIRE_OK(queue_create(d, 16, &q), "QUEUE_CREATE for the faulting job");
	union t1_packet fill = pkt_fill(bad_va, 4096, 0x12345678u, 4);
	CHECK_ERR(EIO, run_job(d, q, &fill, 1), "a DMA_FILL to unmapped VA 0x%llx fails",
		  (unsigned long long)bad_va);
	REQUIRE_OK(get_faults(d, rec, 4, &count, NULL), "GET_FAULTS");
	REQUIRE(count == 1, "one fault record (got %u)", count);
	const struct t1_fault_record *r = &rec[0];
	CHECK(r->cause == T1_FAULT_UNMAPPED && r->context == d->info.context_id &&
	      r->address >= bad_va && r->address < bad_va + 4096,
	      "the record: UNMAPPED in context %u at 0x%llx (got cause %u, context %u, address 0x%llx)",
	      d->info.context_id, (unsigned long long)bad_va, r->cause, r->context,
	      (unsigned long long)r->address);

	/* The line kmod/tessera_debugfs.c writes for that record. */
	/* From the line start to the address and the blank after it (the
	 * kernel's %#llx is 0x... also for 0, unlike the C library's). */
	char want[160];
	snprintf(want, sizeof(want), "\n#%u %s (%u) %c%c%c address 0x%llx ", r->sequence,
		 r->cause == T1_FAULT_UNMAPPED ? "unmapped" : "?", r->cause,
		 r->access & T1_ACCESS_READ ? 'r' : '-', r->access & T1_ACCESS_WRITE ? 'w' : '-',
		 r->access & T1_ACCESS_EXEC ? 'x' : '-', (unsigned long long)r->address);
	debugfs_read(d, "faults", text, sizeof(text));
	CHECK(sscanf(text, "fault records received: %llu", &total_after) == 1 &&
	      total_after > total_before,
	      "debugfs faults counts the new record (%llu -> %llu)", total_before, total_after);
	char *line = strstr(text, want);
	CHECK(line != NULL, "debugfs faults shows '%s' (got:\n%s)", want + 1, text);
	if (line) {
		line++;
		char ctx[32];
		snprintf(ctx, sizeof(ctx), " context %u ", d->info.context_id);
		char *eol = strchr(line, '\n');
		if (eol)
			*eol = 0;
		CHECK(strstr(line, ctx) != NULL, "the fault line names context %u: '%s'",
		      d->info.context_id, line);
	}

	CHECK_OK(queue_status(d, q, &st), "QUEUE_STATUS of the faulted queue");
	char stopped[96];
	snprintf(stopped, sizeof(stopped), "stopped at client packet %llu, cause unmapped",
		 (unsigned long long)st.error_index);
	CHECK(debugfs_queue(d, fi->client_id, q, &ql) && strcmp(ql.state, "error") == 0 &&
	      strcmp(ql.stopped, stopped) == 0,
	      "debugfs queues shows the queue in error, '%s' (got state '%s', '%s')", stopped,
	      ql.state, ql.stopped);
	CHECK_OK(queue_destroy(d, q), "QUEUE_DESTROY of the faulted queue");
}

static void check_transport(struct dev *d)
{
	char text[2048], want[64];

	debugfs_read(d, "transport", text, sizeof(text));
	snprintf(want, sizeof(want), "magic:          0x%x\n", T1_IVSHMEM_MAGIC);
	CHECK(strstr(text, want) != NULL, "debugfs transport has '%.23s'", want);
	CHECK(strstr(text, "state:          1 (running)\n") != NULL,
	      "debugfs transport says the server is running");
	CHECK(strstr(text, "rwq dropped:    0\n") != NULL, "debugfs transport: no RWQ entry dropped");
	CHECK(strstr(text, "device lost:    no\n") != NULL, "debugfs transport: device not lost");
	/* The server adds 1 every T1_IVSHMEM_HEARTBEAT_MS. */
	uint64_t hb0 = heartbeat(d);
	sleep_ms(20 * T1_IVSHMEM_HEARTBEAT_MS);
	uint64_t hb1 = heartbeat(d);
	CHECK(hb1 > hb0, "the heartbeat moves in %u ms (%llu -> %llu)", 20 * T1_IVSHMEM_HEARTBEAT_MS,
	      (unsigned long long)hb0, (unsigned long long)hb1);
}

void test_usage(void)
{
	struct dev d;
	struct fdinfo fi;
	char pci[256];
	uint32_t q;
	uint64_t seqno = 0;

	dev_open(&d);
	fdinfo_read(d.fd, &fi);
	node_pci_address(&d, pci, sizeof(pci));
	CHECK(strcmp(fi.driver, "tessera") == 0, "drm-driver is tessera (got %s)", fi.driver);
	CHECK(strcmp(fi.pdev, pci) == 0, "drm-pdev is the node's PCI device %s (got %s)", pci,
	      fi.pdev);
	CHECK(fi.client_id > 0, "drm-client-id %llu > 0", (unsigned long long)fi.client_id);
	CHECK(fi.engine_ns == 0, "a fresh client has drm-engine-compute 0 ns (got %llu)",
	      (unsigned long long)fi.engine_ns);

	check_memory(&d, &fi);
	REQUIRE_OK(queue_create(&d, 64, &q), "QUEUE_CREATE of 64 packets");
	check_engine(&d, q, &seqno);
	check_queues(&d, &fi, q, seqno);
	check_fault(&d, &fi);
	check_transport(&d);
	CHECK_OK(queue_destroy(&d, q), "QUEUE_DESTROY");
	CHECK(!debugfs_queue(&d, fi.client_id, q, &(struct queue_line){ 0 }),
	      "the queue is gone from debugfs queues after QUEUE_DESTROY");
	dev_close(&d);
}
