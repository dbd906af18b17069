// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit-launch: one payload run by pvexit's launcher, its result
 * written as text (launch_io.c) for a pvexit elsewhere to read.  It is
 * what runs inside the e500 lab, where no JSON, BPF or trace-decoding
 * library exists for 32-bit PowerPC: built static from the launcher,
 * the KVM stats reader and the tracepoint counter alone.  Beside the
 * stats it counts the kvm_exit tracepoint per phase through tracefs, so
 * the two counts can be held against each other.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "atomic_file.h"
#include "cpuinfo.h"
#include "launcher.h"
#include "suite.h"
#include "tp_count.h"
#include "util.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pvexit-launch [OPTION...] PAYLOAD [ARGS]\n"
		   "\n"
		   "Run PAYLOAD (a pvexit guest ELF) once under KVM on this host and write the\n"
		   "run, phase by phase, as a launch result, the text that 'pvexit run' reads\n"
		   "back from the e500 lab.  ARGS are the payload's arguments\n"
		   "(\"class=mfmsr iterations=4000\").\n"
		   "\n"
		   "  -g, --guest GUEST    be, le, be32 or e500 (default e500): e500 is the BookE\n"
		   "                       payload, for an e500v2 host\n"
		   "  -o, --output FILE    the launch result goes to FILE, whole or not at all\n"
		   "                       (default: standard output); a failed run's reason is\n"
		   "                       then in the result only\n"
		   "  -m, --mem MIB        guest RAM (default 64)\n"
		   "  -t, --timeout SEC    the run's watchdog (default 600)\n"
		   "      --no-trace       do not count the kvm_exit tracepoint\n"
		   "  -v, --verbose        every guest record on standard error\n"
		   "  -h, --help           this text\n"
		   "\n"
		   "Exit status: 0 the run completed (its failures, if any, are in the result);\n"
		   "1 the run failed (the result says why); 2 bad usage or no result written.\n");
}

static void on_phase(void *ctx, int phase)
{
	pvx_tpphases_mark(ctx, phase);
}

/* Where the run was, for the results file the reader writes. */
static void describe_host(struct launch_result *r)
{
	struct utsname u;

	if (!uname(&u)) {
		snprintf(r->host_release, sizeof(r->host_release), "%.*s",
			 (int)sizeof(r->host_release) - 1, u.release);
		snprintf(r->host_machine, sizeof(r->host_machine), "%s", u.machine);
	}
	pvx_cpuinfo("cpu", r->host_cpu, sizeof(r->host_cpu));
	pvx_cpuinfo("revision", r->host_revision, sizeof(r->host_revision));
}

static int write_result(const char *out, const struct launch_result *r)
{
	struct pvx_atomic_file af;
	char err[512];

	if (!out) {
		if (launch_result_write(stdout, r) < 0 || pvx_stdout_check() < 0) {
			pvx_err("cannot write the launch result to standard output");
			return -1;
		}
		return 0;
	}
	if (pvx_atomic_open(&af, out, err, sizeof(err)) < 0) {
		pvx_err("%s", err);
		return -1;
	}
	launch_result_write(af.f, r);
	if (pvx_atomic_commit(&af, err, sizeof(err)) < 0) {
		pvx_err("%s", err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "guest", required_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-trace", no_argument, NULL, 'T' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct launch_result *r = pvx_xcalloc(1, sizeof(*r));
	struct pvx_tpphases *tp = NULL;
	struct launch_opts o;
	struct sigaction sa;
	const char *guest = "e500", *out = NULL;
	unsigned int bits = PVX_GUEST_E500;
	uint64_t mem = 64, timeout = 600;
	bool trace = true;
	int c, st;

	pvx_prog = "pvexit-launch";
	pvx_std_streams_init();
	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "g:o:m:t:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			/* One guest, by the names suites use. */
			bits = pvx_suite_guests(optarg);
			if (!bits || (bits & (bits - 1))) {
				pvx_err("--guest wants be, le, be32 or e500, not '%s'", optarg);
				return 2;
			}
			guest = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'm':
			if (!pvx_parse_u64(optarg, 16, 1 << 20, &mem)) {
				pvx_err("--mem wants MiB from 16 to 1048576, not '%s'", optarg);
				return 2;
			}
			break;
		case 't':
			if (!pvx_parse_u64(optarg, 1, 86400, &timeout)) {
				pvx_err("--timeout wants seconds from 1 to 86400, not '%s'",
					optarg);
				return 2;
			}
			break;
		case 'T':
			trace = false;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			return pvx_stdout_check() < 0 ? 2 : 0;
		default:
			pvx_bad_option(c, argv);
			return 2;
		}
	}
	if (optind >= argc || argc - optind > 2) {
		pvx_err("want PAYLOAD and at most one ARGS string (try --help)");
		return 2;
	}
	o.payload = argv[optind];
	o.bootargs = optind + 1 < argc ? argv[optind + 1] : "";
	o.booke = bits == PVX_GUEST_E500;
	o.ram_size = mem << 20;
	o.timeout_s = (unsigned int)timeout;
	o.stop = &stop;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: KVM_RUN must return */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (trace) {
		char err[256];

		tp = pvx_tpphases_open(o.booke, LAUNCH_MAX_PHASES, err, sizeof(err));
		if (!tp)
			pvx_warn("no tracepoint counts: %s", err);
		o.on_phase = on_phase;
		o.on_phase_ctx = tp;
	}
	st = launch_run(&o, r);
	describe_host(r);
	if (tp) {
		char why[256];

		/* Counts that missed a phase are no counts: say so, keep the run. */
		if (!launch_take_tp(tp, r, why, sizeof(why)))
			pvx_warn("tracepoint counts dropped: %s", why);
	}
	pvx_tpphases_close(tp);
	/* With --output the reader says it, once; the result holds it. */
	if (st < 0 && !out)
		pvx_err("%s guest run: %s", guest, r->error);
	if (write_result(out, r) < 0)
		st = -2;
	launch_result_free(r);
	free(r);
	return st == -2 ? 2 : st < 0 ? 1 : 0;
}
