// SPDX-License-Identifier: Apache-2.0
/* Checks, their report lines, and helper processes. */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uapi_test.h"

struct t_state t_cur = { .subtest = "?", .who = "" };

const char *t_errno_name(int err)
{
	switch (err) {
	case 0: return "success";
	case EINVAL: return "EINVAL";
	case ENOENT: return "ENOENT";
	case EFAULT: return "EFAULT";
	case ENOMEM: return "ENOMEM";
	case ENOSPC: return "ENOSPC";
	case EBUSY: return "EBUSY";
	case EIO: return "EIO";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ETIME: return "ETIME";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENODEV: return "ENODEV";
	case E2BIG: return "E2BIG";
	case ENOTTY: return "ENOTTY";
	case EAGAIN: return "EAGAIN";
	case EINTR: return "EINTR";
	case EOVERFLOW: return "EOVERFLOW";
	case ERANGE: return "ERANGE";
	case EEXIST: return "EEXIST";
	default: return "errno";
	}
}

static void vreport(const char *tag, const char *file, int line, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	const char *base = strrchr(file, '/');
	printf("%s%s %s: %s:%d: %s\n", t_cur.who, tag, t_cur.subtest, base ? base + 1 : file,
	       line, msg);
	fflush(stdout);
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t_cur.checks++;
	t_cur.failures++;
	va_start(ap, fmt);
	vreport("FAIL", file, line, fmt, ap);
	va_end(ap);
}

void t_ok(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t_cur.checks++;
	if (!t_cur.verbose)
		return;
	va_start(ap, fmt);
	vreport("ok", file, line, fmt, ap);
	va_end(ap);
}

bool t_expect_errno(int expected, int also, int rc, int err, const char *file, int line,
		    const char *fmt, ...)
{
	char what[384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (rc != 0 && rc != -1) {
		t_fail(file, line, "%s: returned %d, not 0 or -1", what, rc);
		return false;
	}
	if (err == expected || (also >= 0 && err == also)) {
		t_ok(file, line, "%s: %s", what, t_errno_name(err));
		return true;
	}
	char want[64];
	if (also >= 0)
		snprintf(want, sizeof(want), "%s or %s", t_errno_name(expected), t_errno_name(also));
	else
		snprintf(want, sizeof(want), "%s", t_errno_name(expected));
	if (err == 0)
		t_fail(file, line, "%s: expected %s, got success", what, want);
	else
		t_fail(file, line, "%s: expected %s, got %s (%d: %s)", what, want, t_errno_name(err),
		       err, strerror(err));
	return false;
}

_Noreturn void t_abort_subtest(void)
{
	printf("%sFAIL %s: stopped after a failed requirement (%d of %d checks failed)\n", t_cur.who,
	       t_cur.subtest, t_cur.failures, t_cur.checks);
	fflush(stdout);
	_exit(1);
}

int t_spawn(const char *who, void (*fn)(void *arg), void *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0) {
		t_fail(__FILE__, __LINE__, "fork: %s", strerror(errno));
		t_abort_subtest();
	}
	if (pid == 0) {
		t_cur.who = who;
		t_cur.checks = 0;
		t_cur.failures = 0;
		fn(arg);
		printf("%s%s %s: %d checks, %d failed\n", who, t_cur.failures ? "FAIL" : "done",
		       t_cur.subtest, t_cur.checks, t_cur.failures);
		fflush(stdout);
		_exit(t_cur.failures ? 1 : 0);
	}
	return pid;
}

void t_join(int pid, const char *who)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			t_fail(__FILE__, __LINE__, "waitpid %s: %s", who, strerror(errno));
			return;
		}
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		CHECK(true, "process %s passed", who);
	else if (WIFEXITED(status))
		t_fail(__FILE__, __LINE__, "process %sfailed (exit status %d)", who, WEXITSTATUS(status));
	else
		t_fail(__FILE__, __LINE__, "process %swas killed by signal %d (%s)", who,
		       WTERMSIG(status), strsignal(WTERMSIG(status)));
}

void t_chan_init(struct t_chan *c)
{
	int fds[2];

	if (pipe(fds) != 0) {
		t_fail(__FILE__, __LINE__, "pipe: %s", strerror(errno));
		t_abort_subtest();
	}
	c->rd = fds[0];
	c->wr = fds[1];
}

void t_chan_send(struct t_chan *c, uint64_t v)
{
	if (write(c->wr, &v, sizeof(v)) != (ssize_t)sizeof(v)) {
		t_fail(__FILE__, __LINE__, "writing to the other process: %s", strerror(errno));
		t_abort_subtest();
	}
}

uint64_t t_chan_recv(struct t_chan *c, int timeout_ms)
{
	struct pollfd p = { .fd = c->rd, .events = POLLIN };
	uint64_t v;

	int r = poll(&p, 1, timeout_ms);
	if (r <= 0) {
		t_fail(__FILE__, __LINE__, "no word from the other process within %d ms", timeout_ms);
		t_abort_subtest();
	}
	if (read(c->rd, &v, sizeof(v)) != (ssize_t)sizeof(v)) {
		t_fail(__FILE__, __LINE__, "the other process closed its channel (it failed?)");
		t_abort_subtest();
	}
	return v;
}

bool t_chan_ready(struct t_chan *c)
{
	struct pollfd p = { .fd = c->rd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}
