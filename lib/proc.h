/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Child processes: the one place that knows waitpid() can be cut short
 * by a signal handler (pvexit run's SIGINT flag is installed without
 * SA_RESTART, so that KVM_RUN returns), and that an exec failing in a
 * child is only known to the parent if the child says so.
 */
#ifndef PVEXIT_PROC_H
#define PVEXIT_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* waitpid(@pid, @status, 0), again whenever a signal interrupts it.
 * Return: @pid, or -1 with errno set (not EINTR). */
pid_t pvx_wait(pid_t pid, int *status);

/*
 * pvx_wait_intr() - pvx_wait() that calls @on_intr(@arg) each time a
 * signal handler cuts the wait short, then waits on: for a caller whose
 * handler only sets a flag, and who must act on it (end its children)
 * while it waits.  @pid may be -1, any child.
 */
pid_t pvx_wait_intr(pid_t pid, int *status, void (*on_intr)(void *arg), void *arg);

/* The same without blocking: 0 while @pid runs. */
pid_t pvx_wait_nohang(pid_t pid, int *status);

/* How a child ended, for an error line: "exit status 3", "signal 9
 * (Killed)"; @buf of at least 64 bytes.  Return: @buf. */
const char *pvx_wait_status(int status, char *buf, size_t len);

/* A wait status as a shell reports it: the exit status, or 128 + N for
 * signal N. */
int pvx_exit_code(int status);

/* What pvx_spawn() runs. */
struct pvx_cmd {
	char *const *argv; /* argv[0] is looked up on PATH unless @path is set */
	const char *path; /* or: exactly this file */
	/* In the child just before exec (signal dispositions, descriptors);
	 * may _exit(). */
	void (*setup)(void *arg);
	void *arg;
};

/**
 * pvx_spawn() - fork and exec @cmd.
 * @exec_fd: where the child says whether exec worked, for
 *	pvx_spawn_result(); closed on exec
 * A child whose exec fails exits 127 (126 if it cannot even say why).
 * Return: the child's pid; -1 with errno set and "pipe: ..." or
 * "fork: ..." in @err.
 */
pid_t pvx_spawn(const struct pvx_cmd *cmd, int *exec_fd, char *err, size_t errlen);

/**
 * pvx_spawn_result() - wait until the child of pvx_spawn() has run its
 * command or failed to, and close @exec_fd.
 * Return: the errno exec failed with; 0 if it worked, or if the child
 * ended before trying (its wait status says how).
 */
int pvx_spawn_result(int exec_fd);

#endif
