/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Child processes: the one place that knows waitpid() can be cut short
 * by a signal handler (pvexit run's SIGINT flag is installed without
 * SA_RESTART, so that KVM_RUN returns).
 */
#ifndef PVEXIT_PROC_H
#define PVEXIT_PROC_H

#include <stddef.h>
#include <sys/types.h>

/* waitpid(@pid, @status, 0), again whenever a signal interrupts it.
 * Return: @pid, or -1 with errno set (not EINTR). */
pid_t pvx_wait(pid_t pid, int *status);

/* The same without blocking: 0 while @pid runs. */
pid_t pvx_wait_nohang(pid_t pid, int *status);

/* How a child ended, for an error line: "exit status 3", "signal 9
 * (Killed)"; @buf of at least 64 bytes.  Return: @buf. */
const char *pvx_wait_status(int status, char *buf, size_t len);

#endif
