// SPDX-License-Identifier: Apache-2.0
/* device-info: the render node is tessera's and DEVICE_INFO is sane. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uapi_test.h"

static bool is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

/* The drm-driver line of the DRM fdinfo of an open node. */
static bool fdinfo_says_tessera(int fd, char *line_out, size_t len)
{
	char path[64], line[256];
	bool found = false;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	FILE *f = fopen(path, "r");
	line_out[0] = 0;
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "drm-driver:", 11) == 0) {
			snprintf(line_out, len, "%s", line);
			found = strstr(line, "tessera") != NULL;
		}
	}
	fclose(f);
	return found;
}

void test_device_info(void)
{
	struct dev d;

	dev_open(&d);
	const struct drm_tessera_device_info *i = &d.info;
	printf("device %s: hw %u.%u (device speaks %u.%u), platform %u, id 0x%x rev %u, caps 0x%llx\n",
	       d.path, T1_VERSION_MAJOR(i->hw_version), T1_VERSION_MINOR(i->hw_version),
	       T1_VERSION_MAJOR(i->hw_version_device), T1_VERSION_MINOR(i->hw_version_device),
	       i->platform, i->device_id, i->revision, (unsigned long long)i->caps);
	printf("  memory %llu MiB (%llu MiB free), %u tiles x %u threads, warp %u, scratchpad %u,"
	       " %u queues, context %u, VA [0x%llx, 0x%llx), ring <= %u, timeout %u ms\n",
	       (unsigned long long)(i->memory_bytes >> 20), (unsigned long long)(i->memory_free >> 20),
	       i->tiles, i->threads_per_tile, i->warp_size, i->scratchpad_bytes, i->queues,
	       i->context_id, (unsigned long long)i->va_start, (unsigned long long)i->va_end,
	       i->max_ring_packets, i->job_timeout_ms);

	CHECK(i->size == sizeof(*i), "size stays %zu (got %u)", sizeof(*i), i->size);
	CHECK(i->uapi_version == ((DRM_TESSERA_UAPI_VERSION_MAJOR << 16) | DRM_TESSERA_UAPI_VERSION_MINOR),
	      "uapi_version 0x%x is this header's %d.%d", i->uapi_version,
	      DRM_TESSERA_UAPI_VERSION_MAJOR, DRM_TESSERA_UAPI_VERSION_MINOR);
	CHECK(T1_VERSION_MAJOR(i->hw_version) == T1_HW_VERSION_MAJOR,
	      "hw_version major %u == %u", T1_VERSION_MAJOR(i->hw_version), T1_HW_VERSION_MAJOR);
	CHECK(T1_VERSION_MAJOR(i->hw_version_device) == T1_HW_VERSION_MAJOR,
	      "hw_version_device major %u == %u", T1_VERSION_MAJOR(i->hw_version_device),
	      T1_HW_VERSION_MAJOR);
	CHECK(i->platform == DRM_TESSERA_PLATFORM_EMULATOR, "platform %u is EMULATOR (%u)",
	      i->platform, DRM_TESSERA_PLATFORM_EMULATOR);
	CHECK(i->device_id == T1_DEVICE_ID_T1_EMU, "device_id 0x%x is T1_DEVICE_ID_T1_EMU",
	      i->device_id);
	CHECK(i->caps & T1_CAP_EMULATED, "caps 0x%llx has T1_CAP_EMULATED",
	      (unsigned long long)i->caps);
	CHECK(i->memory_bytes > 0 && i->memory_bytes % 4096 == 0,
	      "memory_bytes %llu is > 0 and a 4 KiB multiple", (unsigned long long)i->memory_bytes);
	CHECK(i->memory_free <= i->memory_bytes, "memory_free %llu <= memory_bytes %llu",
	      (unsigned long long)i->memory_free, (unsigned long long)i->memory_bytes);
	CHECK(i->tiles > 0, "tiles %u > 0", i->tiles);
	CHECK(i->threads_per_tile > 0, "threads_per_tile %u > 0", i->threads_per_tile);
	CHECK(i->warp_size == T1_WARP_SIZE, "warp_size %u == %u", i->warp_size, T1_WARP_SIZE);
	CHECK(i->scratchpad_bytes > 0, "scratchpad_bytes %u > 0", i->scratchpad_bytes);
	CHECK(i->queues > 0 && i->queues <= T1_MAX_QUEUES, "queues %u in 1..%u", i->queues,
	      T1_MAX_QUEUES);
	CHECK(i->clock_khz > 0, "clock_khz %u > 0", i->clock_khz);
	CHECK(i->context_id > 0, "context_id %u > 0 (0 is not a client's)", i->context_id);
	CHECK(i->job_timeout_ms > 0, "job_timeout_ms %u > 0", i->job_timeout_ms);
	CHECK(i->va_start < i->va_end, "va_start 0x%llx < va_end 0x%llx",
	      (unsigned long long)i->va_start, (unsigned long long)i->va_end);
	CHECK(i->va_start % 4096 == 0 && i->va_end % 4096 == 0, "the VA range is page aligned");
	CHECK(i->va_start > 0, "VA 0 is not in the client range");
	CHECK(i->va_end <= (1ull << (T1_VA_BITS - 1)), "va_end 0x%llx <= 2^47",
	      (unsigned long long)i->va_end);
	CHECK(i->va_end - i->va_start >= (4ull << 30), "the VA range holds at least 4 GiB");
	CHECK(is_pow2(i->max_ring_packets) && i->max_ring_packets >= 4,
	      "max_ring_packets %u is a power of two >= 4", i->max_ring_packets);
	CHECK(i->reserved == 0, "reserved is 0");
	CHECK(i->links <= T1_MAX_LINKS, "links %u <= %u", i->links, T1_MAX_LINKS);
	for (uint32_t l = 0; l < sizeof(i->link_peer) / sizeof(i->link_peer[0]); l++) {
		if (l < i->links)
			CHECK(i->link_peer[l] != i->fabric_index,
			      "link_peer[%u] = 0x%x is not this chip (%u)", l, i->link_peer[l],
			      i->fabric_index);
		else
			CHECK(i->link_peer[l] == T1_LINK_NO_PEER,
			      "link_peer[%u] = 0x%x is 0xFFFFFFFF (only %u links)", l, i->link_peer[l],
			      i->links);
	}

	/* A second open is a second client with its own context. */
	struct dev d2;
	dev_open(&d2);
	CHECK(d2.info.context_id != d.info.context_id && d2.info.context_id > 0,
	      "a second open gets its own context id (%u vs %u)", d2.info.context_id,
	      d.info.context_id);
	dev_close(&d2);

	/* memory_free follows allocations. */
	uint32_t h;
	struct drm_tessera_device_info before = d.info, after = { .size = sizeof(after) };
	REQUIRE_OK(bo_create(&d, 1 << 20, &h), "BO_CREATE of 1 MiB");
	CHECK_OK(tioctl(d.fd, DRM_IOCTL_TESSERA_DEVICE_INFO, &after), "DEVICE_INFO after BO_CREATE");
	CHECK(after.memory_free + (1 << 20) <= before.memory_free,
	      "memory_free fell by >= 1 MiB after a 1 MiB BO (%llu -> %llu)",
	      (unsigned long long)before.memory_free, (unsigned long long)after.memory_free);
	CHECK_OK(bo_close(&d, h), "GEM_CLOSE");

	char line[256];
	CHECK(fdinfo_says_tessera(d.fd, line, sizeof(line)),
	      "fdinfo of the node has drm-driver: tessera (got '%s')", line);
	dev_close(&d);
}
