/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Recording the three KVM PR tracepoints into pvexit's raw trace
 * container (docs/trace-format.md): a tracefs instance of its own, the
 * events' formats, and every per-CPU ring-buffer page as the kernel
 * hands it out on trace_pipe_raw, with the kernel's loss counts.
 */
#ifndef PVEXIT_TRACE_RECORD_H
#define PVEXIT_TRACE_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct pvx_record_opts {
	const char *out; /* the file to write */
	pid_t pid; /* -p: trace this process's threads (and their children), or 0 */
	char **argv; /* a command to run and trace, or NULL */
	unsigned int duration; /* stop after this many seconds; 0: when the process ends */
	unsigned int buffer_kb; /* ring buffer per CPU */
	/* > 2: a pipe to write one byte to once events are being recorded,
	 * so a caller can start its workload without losing its first exits */
	int ready_fd;
};

struct pvx_record_result {
	unsigned int ncpus;
	uint64_t pages;
	uint64_t lost; /* overruns and drops the kernel reported */
	int status; /* the command's wait status, when one ran */
	int ran; /* a command ran (status is valid) */
	int interrupted; /* SIGINT or SIGTERM ended the recording */
};

/**
 * pvx_trace_record() - record until the command or process ends, the
 * duration passes, or SIGINT/SIGTERM arrive.
 * @err: one line on failure: no tracefs, no privilege, a missing
 *	tracepoint (which), the process or command, a write error
 *
 * Context: needs root (or tracefs access); creates and removes the
 * tracefs instance "pvexit-PID-RANDOM" (never one that exists already).
 * Return: 0 with @res filled and the file complete, or -1 with @err set
 * and no file written.
 */
int pvx_trace_record(const struct pvx_record_opts *o, struct pvx_record_result *res, char *err,
		     size_t errlen);

#endif
