// SPDX-License-Identifier: Apache-2.0
/*
 * tessera-qemu-cmos INDEX [VALUE]: prints the CMOS/NVRAM byte INDEX of the
 * guest's PC real-time clock (decimal), or sets it to VALUE.
 *
 * The QEMU reboot test (run-tests.sh --boots) counts the guest's boots in
 * such a byte: RAM and the initramfs are the same on every boot, but QEMU
 * keeps the RTC's CMOS bytes across a guest reset within one QEMU process
 * (a reset only clears interrupt bits of registers B and C), and a new
 * QEMU process starts with them zero. Only the general-purpose bytes
 * 0x0e..0x7f are accepted: 0x00..0x0d are the clock and its control
 * registers, which the kernel owns.
 *
 * The index/data ports 0x70/0x71 are reached with ioperm() (root only).
 * The kernel's RTC driver uses the same pair under its own lock; in the
 * test's /init nothing else reads the clock at that moment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/io.h>

#define CMOS_INDEX_PORT 0x70
#define CMOS_DATA_PORT  0x71
#define CMOS_FIRST_FREE 0x0e
#define CMOS_LAST       0x7f

static int usage(void)
{
	fprintf(stderr, "usage: tessera-qemu-cmos INDEX [VALUE]   (INDEX 0x%02x..0x%02x, VALUE 0..255)\n",
		CMOS_FIRST_FREE, CMOS_LAST);
	return 2;
}

/* A whole number in [lo, hi] (decimal or 0x hex), or -1. */
static long parse(const char *s, long lo, long hi)
{
	char *end;

	errno = 0;
	long v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3)
		return usage();
	long index = parse(argv[1], CMOS_FIRST_FREE, CMOS_LAST);
	long value = argc == 3 ? parse(argv[2], 0, 255) : 0;
	if (index < 0 || value < 0)
		return usage();
	if (ioperm(CMOS_INDEX_PORT, 2, 1) != 0) {
		fprintf(stderr, "tessera-qemu-cmos: ioperm(0x%x, 2): %s\n", CMOS_INDEX_PORT,
			strerror(errno));
		return 1;
	}
	/* Bit 7 of the index is the NMI mask: left clear, as Linux does. */
	outb((unsigned char)index, CMOS_INDEX_PORT);
	if (argc == 3) {
		outb((unsigned char)value, CMOS_DATA_PORT);
		outb((unsigned char)index, CMOS_INDEX_PORT);
		int back = inb(CMOS_DATA_PORT);
		if (back != value) {
			fprintf(stderr, "tessera-qemu-cmos: wrote %ld to CMOS byte 0x%02lx, read back %d\n",
				value, index, back);
			return 1;
		}
	} else {
		printf("%d\n", inb(CMOS_DATA_PORT));
	}
	return 0;
}
