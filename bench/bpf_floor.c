// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit-bpf-floor: run a command while three empty BPF programs sit on
 * the tracepoints the exit collector uses (floor.bpf.c), so that
 * make bench-self can measure what entering BPF there costs before any
 * collector does any work.  Benchmark tooling, not part of pvexit.
 *
 * usage: pvexit-bpf-floor [-v] -- COMMAND [ARG...]
 *
 * Prints "attached" once the programs are attached, then runs COMMAND
 * and exits with its status (128 + N if signal N ended it).  The
 * programs stay attached until COMMAND has ended.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bpf_error.h"
#include "floor.skel.h"
#include "proc.h"
#include "util.h"

static bool verbose;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	/* One error line of our own unless -v asks for libbpf's. */
	return verbose ? vfprintf(stderr, fmt, ap) : 0;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: %s [-v] -- COMMAND [ARG...]\n"
		"Run COMMAND with three empty tp_btf programs attached to\n"
		"kvm_pr:kvm_exit, kvm:kvm_ppc_instr and kvm_pr:kvm_book3s_reenter.\n"
		"  -v, --verbose  show libbpf's messages\n"
		"  -h, --help     this text\n",
		pvx_prog);
}

static void attach_error(const char *what, int err)
{
	char why[512];

	pvx_bpf_error(what, err, why, sizeof(why));
	pvx_err("%s", why);
}

/* In COMMAND's child: ^C and quit as they were before run(). */
static void restore_signals(void *old)
{
	sigaction(SIGINT, &((const struct sigaction *)old)[0], NULL);
	sigaction(SIGQUIT, &((const struct sigaction *)old)[1], NULL);
}

/* COMMAND's exit status, as a shell reports it; -1 if it cannot be had. */
static int run(char *const argv[])
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old[2];
	struct pvx_cmd cmd = { .argv = argv, .setup = restore_signals, .arg = old };
	int st, exec_fd, e;
	pid_t pid;

	/* As system(3): a ^C goes to COMMAND, and we outlive it to detach. */
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old[0]);
	sigaction(SIGQUIT, &ign, &old[1]);
	pid = pvx_spawn(&cmd, &exec_fd, NULL, 0);
	if (pid < 0) {
		pvx_err("cannot fork to run %s: %s", argv[0], strerror(errno));
		return -1;
	}
	e = pvx_spawn_result(exec_fd);
	if (pvx_wait(pid, &st) < 0) {
		pvx_err("waiting for %s: %s", argv[0], strerror(errno));
		return -1;
	}
	if (e) {
		pvx_err("cannot run %s: %s", argv[0], strerror(e));
		return 127;
	}
	return pvx_exit_code(st);
}

int main(int argc, char *argv[])
{
	struct floor_bpf *skel;
	int i, err, status;

	pvx_prog = "pvexit-bpf-floor";
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose")) {
			verbose = true;
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			pvx_err("unknown option '%s' (try '%s --help')", argv[i], pvx_prog);
			return 2;
		} else {
			break;
		}
	}
	if (i >= argc) {
		pvx_err("no COMMAND to run (try '%s --help')", pvx_prog);
		return 2;
	}

	libbpf_set_print(print_libbpf);
	skel = floor_bpf__open();
	if (!skel) {
		attach_error("opening the BPF object", errno);
		return 1;
	}
	err = floor_bpf__load(skel);
	if (err) {
		attach_error("loading the empty programs", err);
		floor_bpf__destroy(skel);
		return 1;
	}
	err = floor_bpf__attach(skel);
	if (err) {
		attach_error(
			"attaching to kvm_pr:kvm_exit, kvm:kvm_ppc_instr, kvm_pr:kvm_book3s_reenter",
			err);
		floor_bpf__destroy(skel);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	status = run(argv + i);
	floor_bpf__destroy(skel);
	return status < 0 ? 1 : status;
}
