// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proc.h"
#include "util.h"

static pid_t wait_loop(pid_t pid, int *status, int options, void (*on_intr)(void *arg), void *arg)
{
	pid_t r;
	int st = 0;

	while ((r = waitpid(pid, &st, options)) < 0 && errno == EINTR)
		if (on_intr)
			on_intr(arg);
	if (status)
		*status = st;
	return r;
}

pid_t pvx_wait_intr(pid_t pid, int *status, void (*on_intr)(void *arg), void *arg)
{
	return wait_loop(pid, status, 0, on_intr, arg);
}

pid_t pvx_wait(pid_t pid, int *status)
{
	return wait_loop(pid, status, 0, NULL, NULL);
}

pid_t pvx_wait_nohang(pid_t pid, int *status)
{
	return wait_loop(pid, status, WNOHANG, NULL, NULL);
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

int pvx_exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

pid_t pvx_spawn(const struct pvx_cmd *cmd, int *exec_fd, char *err, size_t errlen)
{
	int fd[2], e;
	pid_t pid;

	*exec_fd = -1;
	/* Close-on-exec: the parent reads EOF once exec has worked. */
	if (pipe2(fd, O_CLOEXEC)) {
		e = errno;
		pvx_set_err(err, errlen, "pipe: %s", strerror(e));
		errno = e;
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		e = errno;
		pvx_set_err(err, errlen, "fork: %s", strerror(e));
		close(fd[0]);
		close(fd[1]);
		errno = e;
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		if (cmd->setup)
			cmd->setup(cmd->arg);
		if (cmd->path)
			execv(cmd->path, cmd->argv);
		else
			execvp(cmd->argv[0], cmd->argv);
		e = errno;
		_exit(write(fd[1], &e, sizeof(e)) == (ssize_t)sizeof(e) ? 127 : 126);
	}
	close(fd[1]);
	*exec_fd = fd[0];
	return pid;
}

int pvx_spawn_result(int exec_fd)
{
	ssize_t n;
	int e = 0;

	if (exec_fd < 0)
		return 0;
	do
		n = read(exec_fd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	close(exec_fd);
	return n == (ssize_t)sizeof(e) ? e : 0;
}
