// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "proc.h"

pid_t pvx_wait(pid_t pid, int *status)
{
	pid_t r;
	int st = 0;

	do
		r = waitpid(pid, &st, 0);
	while (r < 0 && errno == EINTR);
	if (status)
		*status = st;
	return r;
}

pid_t pvx_wait_nohang(pid_t pid, int *status)
{
	pid_t r;
	int st = 0;

	do
		r = waitpid(pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (status)
		*status = st;
	return r;
}

const char *pvx_wait_status(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "wait status 0x%x", (unsigned int)status);
	return buf;
}
