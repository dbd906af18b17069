// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/util: pvx_safe() on every kind of byte a file can hold, and
 * standard output that is full or closed: its loss found and said, and a
 * closed descriptor 1 never handed to a file opened later.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"
#include "util.h"

static void safe_is(const char *name, const char *in, const char *want)
{
	const char *got = pvx_safe(in);
	char why[300];

	snprintf(why, sizeof(why), "got '%s', want '%s'", got, want);
	unit_check(!strcmp(got, want), __FILE__, __LINE__, name, why);
}

static void safe(void)
{
	const char *plain = "mfmsr be: ok, 19005 ns";
	const char *first;
	int i;

	CHECK("safe: plain text is returned as it is", pvx_safe(plain) == plain);
	CHECK("safe: NULL is empty", !strcmp(pvx_safe(NULL), ""));
	safe_is("safe: UTF-8 text stays", "\xc2\xb5s \xe2\x89\xa5 \xf0\x9f\x98\x80",
		"\xc2\xb5s \xe2\x89\xa5 \xf0\x9f\x98\x80");
	safe_is("safe: ESC, BEL, CR, LF, TAB, DEL", "a\x1b[2J\x07\r\n\t\x7f",
		"a\\x1b[2J\\x07\\x0d\\x0a\\x09\\x7f");
	safe_is("safe: C1 controls in UTF-8",
		"\xc2\x9b"
		"31m\xc2\x85",
		"\\xc2\\x9b31m\\xc2\\x85");
	safe_is("safe: a byte that is no UTF-8", "x\xff\x80y", "x\\xff\\x80y");
	safe_is("safe: a sequence cut short", "\xe2\x82", "\\xe2\\x82");
	safe_is("safe: overlong forms", "\xc0\xaf\xe0\x80\xaf", "\\xc0\\xaf\\xe0\\x80\\xaf");
	safe_is("safe: a surrogate", "\xed\xa0\x80", "\\xed\\xa0\\x80");
	safe_is("safe: past U+10FFFF", "\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");
	first = pvx_safe("\x1b"
			 "first");
	for (i = 1; i < PVX_SAFE_SLOTS; i++)
		pvx_safe("\x1b"
			 "other");
	CHECK("safe: a result lives for PVX_SAFE_SLOTS calls", !strcmp(first, "\\x1b"
									      "first"));
}

/*
 * In a child: stdout as @setup leaves it, then the streams readied, a
 * page of output and the check.  Its stderr goes to @errfile.
 * Return: the child's exit status: 0 the loss was found, 1 not, 2 the
 * file opened after init took descriptor 1, 3 setup failed.
 */
static int child_out(int setup, const char *errfile, const char *probe)
{
	pid_t pid = fork();
	int st, i, fd;

	if (pid < 0)
		return -1;
	if (!pid) {
		fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(3);
		close(fd);
		if (setup) { /* 1: /dev/full */
			fd = open("/dev/full", O_WRONLY);
			if (fd < 0 || dup2(fd, 1) < 0)
				_exit(3);
			close(fd);
		} else {
			close(1);
		}
		pvx_std_streams_init();
		fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd == 1)
			_exit(2);
		for (i = 0; i < 2000; i++)
			printf("line %d of what nobody will read\n", i);
		_exit(pvx_stdout_check() < 0 ? 0 : 1);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void said(const char *what, const char *errfile, const char *why)
{
	char buf[512] = "", name[128];
	FILE *f = fopen(errfile, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	snprintf(name, sizeof(name), "%s: says why", what);
	CHECK_STR_CONTAINS(name, buf, why);
	snprintf(name, sizeof(name), "%s: in one line", what);
	CHECK(name, n && strchr(buf, '\n') == buf + n - 1);
}

int main(void)
{
	char dir[] = "/tmp/pvexit-out-test.XXXXXX", errfile[64], probe[64];

	safe();
	if (!mkdtemp(dir))
		return 1;
	snprintf(errfile, sizeof(errfile), "%s/err", dir);
	snprintf(probe, sizeof(probe), "%s/probe", dir);

	CHECK_EQ_U64("stdout closed: the loss is found, no file takes descriptor 1",
		     child_out(0, errfile, probe), 0);
	said("stdout closed", errfile, "writing to standard output failed: Bad file descriptor");
	if (access("/dev/full", W_OK)) {
		unit_skip("stdout on a full disk", "no writable /dev/full");
	} else {
		CHECK_EQ_U64("stdout on a full disk: the loss is found",
			     child_out(1, errfile, probe), 0);
		said("stdout on a full disk", errfile,
		     "writing to standard output failed: No space left on device");
	}
	unlink(errfile);
	unlink(probe);
	rmdir(dir);
	return unit_done();
}
