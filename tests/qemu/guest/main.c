// SPDX-License-Identifier: Apache-2.0
/*
 * tessera-uapi-test [-v] [SUBTEST...]: runs the named subtests (all when
 * none is named, or "all"), each in its own process, and prints one PASS or
 * FAIL line per subtest plus every failing check. Exit status 0 when all
 * passed. Subtests that take the device away (lost, stopped) run only when
 * named.
 *   -v  also print every check that passed
 *   -l  list the subtests
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uapi_test.h"

struct subtest {
	const char *name;
	void (*fn)(void);
	const char *what;
	bool named_only; /* not part of "all": it ends the device */
};

static const struct subtest subtests[] = {
	{ "device-info", test_device_info, "the tessera render node and DEVICE_INFO", false },
	{ "ioctl-size", test_ioctl_size, "every ioctl with a wrong size field", false },
	{ "ioctl-flags", test_ioctl_flags, "every ioctl with unknown flags", false },
	{ "ioctl-reserved", test_ioctl_reserved, "every ioctl with non-zero reserved fields", false },
	{ "ioctl-handles", test_ioctl_handles, "bad BO handles, queue ids and syncobjs", false },
	{ "ioctl-pointers", test_ioctl_pointers, "bad user pointers", false },
	{ "bo-create", test_bo_create, "BO sizes, zeroing, mmap limits", false },
	{ "vm-map", test_vm_map, "VM_MAP/VM_UNMAP alignment, range, overlap, permissions", false },
	{ "queue-args", test_queue_args, "QUEUE_CREATE limits and QUEUE_STATUS", false },
	{ "submit-args", test_submit_args, "SUBMIT packet counts, headers, DMA flags, unattached peers, ring wrap", false },
	{ "functional", test_functional, "fill, copy, signal and kernel packets end to end", false },
	{ "wait-timeout", test_wait_timeout, "WAIT timeouts and context events", false },
	{ "syncobj", test_syncobj, "in/out syncobjs order jobs across queues", false },
	{ "job-timeout", test_job_timeout, "a job past its timeout resets only its queue", false },
	{ "isolation", test_isolation, "two processes cannot reach each other's objects", false },
	{ "fault", test_fault, "a faulting kernel in one process, work in another", false },
	{ "peer", test_peer, "PEER_ATTACH and peer DMA between clients of two linked chips", false },
	{ "usage", test_usage, "fdinfo memory and engine time per client; debugfs queues, faults, transport", false },
	{ "lost", test_lost, "the emulator is killed under a blocked job and waiter (asks the host)", true },
	{ "stopped", test_stopped, "the emulator stops under a blocked job and waiter (asks the host)", true },
};
#define NUM_SUBTESTS (sizeof(subtests) / sizeof(subtests[0]))

/* A subtest stuck in the driver is reported, not waited for forever. */
#define SUBTEST_TIMEOUT_S 90

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static bool run(const struct subtest *t)
{
	struct timespec t0;

	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("fork");
		return false;
	}
	if (pid == 0) {
		/* Own process group: the timeout below also ends helper processes. */
		setpgid(0, 0);
		alarm(SUBTEST_TIMEOUT_S);
		t_cur.subtest = t->name;
		t->fn();
		if (t_cur.failures)
			printf("FAIL %s: %d of %d checks failed (%.2f s)\n", t->name, t_cur.failures,
			       t_cur.checks, seconds_since(&t0));
		else
			printf("PASS %s: %d checks (%.2f s)\n", t->name, t_cur.checks,
			       seconds_since(&t0));
		fflush(stdout);
		_exit(t_cur.failures ? 1 : 0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	kill(-pid, SIGKILL); /* helpers left behind by a failed subtest */
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 0; /* the subtest printed its line */
	printf("FAIL %s: killed by signal %d (%s)%s\n", t->name, WTERMSIG(status),
	       strsignal(WTERMSIG(status)),
	       WTERMSIG(status) == SIGALRM ? ", more than the subtest's time limit" : "");
	return false;
}

int main(int argc, char **argv)
{
	const struct subtest *chosen[NUM_SUBTESTS * 4];
	size_t n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			t_cur.verbose = true;
		} else if (strcmp(argv[i], "-l") == 0) {
			for (size_t k = 0; k < NUM_SUBTESTS; k++)
				printf("%-16s %s%s\n", subtests[k].name, subtests[k].what,
				       subtests[k].named_only ? " [only when named]" : "");
			return 0;
		} else if (strcmp(argv[i], "all") == 0) {
			for (size_t k = 0; k < NUM_SUBTESTS && n < sizeof(chosen) / sizeof(chosen[0]); k++)
				if (!subtests[k].named_only)
					chosen[n++] = &subtests[k];
		} else {
			size_t k = 0;
			while (k < NUM_SUBTESTS && strcmp(subtests[k].name, argv[i]) != 0)
				k++;
			if (k == NUM_SUBTESTS) {
				fprintf(stderr, "tessera-uapi-test: no subtest '%s' (-l lists them)\n", argv[i]);
				return 2;
			}
			if (n < sizeof(chosen) / sizeof(chosen[0]))
				chosen[n++] = &subtests[k];
		}
	}
	if (n == 0)
		for (size_t k = 0; k < NUM_SUBTESTS; k++)
			if (!subtests[k].named_only)
				chosen[n++] = &subtests[k];

	int failed = 0;
	for (size_t i = 0; i < n; i++)
		failed += !run(chosen[i]);
	printf("tessera-uapi-test: %zu passed, %d failed\n", n - (size_t)failed, failed);
	return failed ? 1 : 0;
}
