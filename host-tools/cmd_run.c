// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit run: run the payloads under KVM PR, as a suite file or the
 * options say, print per class and variant the time and exits per
 * operation, and write the results file.  Where this machine has no KVM
 * PR, the same command runs inside the lab.  The e500 guest needs a
 * BookE (e500v2) host instead; without one, each of its runs goes to the
 * e500 lab, and the rest happens here.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <pvexit/classes.h>

#include "cmd.h"
#include "collector.h"
#include "kvm_advice.h"
#include "launcher.h"
#include "run_lab.h"
#include "run_e500.h"
#include "run_results.h"
#include "run_table.h"
#include "suite.h"
#include "time_unit.h"
#include "tp_count.h"
#include "util.h"

struct run_opts {
	struct pvx_suite suite;
	const char *suite_file;
	bool group_opts; /* a --class/--endian/... option was given */
	uint64_t reps; /* 0: as the suite says */
	uint64_t mem_mib, timeout;
	const char *payload_dir, *out;
	char guest_args[256]; /* extra KEY=VALUE words for the payload */
	bool no_lab, lab, verbose, no_bpf, bpf_counts, trace, perf;
	bool e500; /* the guest is e500: a BookE host's, and no other */
	bool e500_lab; /* ... and each of its runs goes to the e500 lab */
	int progress; /* -1 auto (a terminal), 0 no, 1 yes */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvexit run [OPTION...]\n"
		"\n"
		"Run the payloads under KVM PR and print, per instruction class and variant\n"
		"(raw: trapping, patched: PV-rewritten, baseline: no privileged instruction),\n"
		"the time per operation and the emulation exits per operation, counted by the\n"
		"vCPU's stats and by the BPF collector, and with --trace and --perf by the\n"
		"decoded tracepoints and by perf stat: every count must agree.\n"
		"Without KVM PR on this machine it runs inside the lab (lab/run).\n"
		"\n"
		"  -s, --suite FILE          run a suite file (docs/suite.md); 'default' is\n"
		"                            bench/default.suite, 'e500' bench/e500.suite\n"
		"  -c, --class LIST          classes to run, comma-separated, or 'all' (default)\n"
		"  -e, --endian be|le|both   guest byte orders (default both)\n"
		"  -b, --bits 64|32|both     guest word sizes (default both; a 32-bit guest is a\n"
		"                            big-endian Book3S-32 CPU, a 750)\n"
		"  -g, --guest LIST          the guests by name instead: be, le, be32 (comma-\n"
		"                            separated) or all (those three); or e500, the BookE\n"
		"                            guest, which needs a BookE (e500v2) KVM host and runs\n"
		"                            alone: without one, each run goes to the e500 lab\n"
		"      --variants LIST       variants recorded: raw,patched,baseline or all\n"
		"                            (the payload runs all three: its checks need them)\n"
		"  -n, --iterations N        raw (trapping) iterations (default 20000)\n"
		"  -f, --fast-iterations N   patched and baseline iterations (default 2000000)\n"
		"  -r, --reps N              repetitions: each a fresh VM (default 1, or the\n"
		"                            suite's; with --suite this overrides it)\n"
		"  -o, --output FILE         write the results as JSON to FILE and as CSV to\n"
		"                            FILE with .csv for .json (docs/results.md): both\n"
		"                            or neither, and neither when a guest run failed\n"
		"  -m, --mem MIB             guest RAM (default 64)\n"
		"  -t, --timeout SEC         watchdog for each guest run (default 120)\n"
		"      --no-bpf              count without the BPF collector\n"
		"      --bpf-counts          the BPF collector counts exits by vector and class\n"
		"                            only: no kvm_ppc_instr, reentries or exit-latency\n"
		"                            histogram, about half its cost per exit\n"
		"      --trace               also record the tracepoints raw around each guest\n"
		"                            run and count per phase from the decoded trace\n"
		"                            (a third count that must agree; costs time per exit)\n"
		"      --perf                also count with perf stat -e kvm_pr:kvm_exit,\n"
		"                            kvm:kvm_ppc_instr in interval mode, per phase (a\n"
		"                            fourth count that must agree; adds ~20 ms a phase)\n"
		"      --progress, --no-progress\n"
		"                            progress lines on stderr (default: on a terminal)\n"
		"      --payload-dir DIR     where payload-be.elf, -le.elf, -be32.elf and\n"
		"                            -e500.elf are\n"
		"                            (default: ../guest from this program)\n"
		"      --guest-arg KEY=VALUE extra payload argument (repeatable), e.g.\n"
		"                            fault=jump0 or fault=spin to see failures reported\n"
		"      --no-lab              fail instead of using the lab\n"
		"      --lab                 on a PowerPC host without KVM PR, use the lab\n"
		"                            anyway (without it, run says what is missing)\n"
		"  -v, --verbose             print every report record\n"
		"  -h, --help                this text\n"
		"\n"
		"Exit status: 0 all good; 1 a finding: a guest run failed (crashed, hung, or\n"
		"its payload reported failures) or a verdict or check failed; 2 bad usage, a bad\n"
		"suite file, no KVM PR here when the lab is refused, or an I/O error (the\n"
		"results file or standard output not written); 130 interrupted (the results\n"
		"file, if any, is marked incomplete).  Run through the lab, lab/run's own\n"
		"statuses can come back too: 124 timeout, 125 the lab failed, 126 the lab's\n"
		"kernel panicked, 127 lab/run could not be started.\n");
}

/* The payload arguments that have options of their own. */
static bool reserved_key(const char *kv)
{
	static const char *const keys[] = { "class=", "iterations=", "fast-iterations=" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strncmp(kv, keys[i], strlen(keys[i])))
			return true;
	return false;
}

static int add_guest_arg(struct run_opts *o, const char *kv)
{
	size_t n = strlen(o->guest_args);

	if (!strchr(kv, '=') || kv[0] == '=' || strchr(kv, ' ')) {
		pvx_err("--guest-arg wants KEY=VALUE without spaces, not '%s'", kv);
		return 2;
	}
	if (reserved_key(kv)) {
		pvx_err("--guest-arg %s: pvexit sets that key itself; use its option (--help)", kv);
		return 2;
	}
	if (n + strlen(kv) + 2 > sizeof(o->guest_args)) {
		pvx_err("--guest-arg: too many payload arguments");
		return 2;
	}
	snprintf(o->guest_args + n, sizeof(o->guest_args) - n, " %s", kv);
	return 0;
}

/* The one group the options describe, checked once all are read. */
struct group_args {
	const char *classes, *variants, *guests;
	bool be, le, b64, b32;
};

static int make_group(struct run_opts *o, const struct group_args *ga, struct pvx_suite_group *g)
{
	char err[256];

	if (!ga->b64 && !ga->be) {
		pvx_err("--endian le --bits 32: no little-endian 32-bit Book3S guest exists");
		return 2;
	}
	g->guests = (ga->be && ga->b64 ? PVX_GUEST_BE : 0) |
		    (ga->le && ga->b64 ? PVX_GUEST_LE : 0) |
		    (ga->be && ga->b32 ? PVX_GUEST_BE32 : 0);
	if (ga->guests) {
		g->guests = pvx_suite_guests(ga->guests);
		if (!g->guests) {
			pvx_err("--guest wants be, le, be32, e500 (comma list) or all, not '%s'",
				ga->guests);
			return 2;
		}
	}
	if (ga->variants) {
		g->variants = pvx_suite_variants(ga->variants);
		if (!g->variants) {
			pvx_err("--variants wants raw, patched, baseline (comma list) or all, not '%s'",
				ga->variants);
			return 2;
		}
	}
	if (pvx_suite_classes(g, ga->classes, err, sizeof(err)) < 0) {
		pvx_err("--class: %s", err);
		return 2;
	}
	/* "all" with --bits 32 is every 32-bit class, and so on; a named
	 * class that only the unchosen guests run was refused above. */
	snprintf(o->suite.name, sizeof(o->suite.name), "command line");
	o->suite.ngroups = 1;
	return 0;
}

/* Return: 0, -1 when --help was printed, or the exit status of a mistake. */
static int parse(int argc, char **argv, struct run_opts *o)
{
	enum {
		OPT_PAYLOAD_DIR = 256,
		OPT_NO_LAB,
		OPT_LAB,
		OPT_GUEST_ARG,
		OPT_VARIANTS,
		OPT_NO_BPF,
		OPT_BPF_COUNTS,
		OPT_TRACE,
		OPT_PERF,
		OPT_PROGRESS,
		OPT_NO_PROGRESS,
	};
	static const struct option opts[] = {
		{ "suite", required_argument, NULL, 's' },
		{ "class", required_argument, NULL, 'c' },
		{ "endian", required_argument, NULL, 'e' },
		{ "bits", required_argument, NULL, 'b' },
		{ "guest", required_argument, NULL, 'g' },
		{ "variants", required_argument, NULL, OPT_VARIANTS },
		{ "iterations", required_argument, NULL, 'n' },
		{ "fast-iterations", required_argument, NULL, 'f' },
		{ "reps", required_argument, NULL, 'r' },
		{ "output", required_argument, NULL, 'o' },
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-bpf", no_argument, NULL, OPT_NO_BPF },
		{ "bpf-counts", no_argument, NULL, OPT_BPF_COUNTS },
		{ "trace", no_argument, NULL, OPT_TRACE },
		{ "perf", no_argument, NULL, OPT_PERF },
		{ "progress", no_argument, NULL, OPT_PROGRESS },
		{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
		{ "payload-dir", required_argument, NULL, OPT_PAYLOAD_DIR },
		{ "no-lab", no_argument, NULL, OPT_NO_LAB },
		{ "lab", no_argument, NULL, OPT_LAB },
		{ "guest-arg", required_argument, NULL, OPT_GUEST_ARG },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct group_args ga = { "all", NULL, NULL, true, true, true, true };
	bool endian_bits = false;
	struct pvx_suite_group *g = &o->suite.groups[0];
	char err[512];
	int c, rc;

	memset(o, 0, sizeof(*o));
	pvx_suite_group_default(g);
	o->mem_mib = 64;
	o->timeout = 120;
	o->progress = -1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:c:e:b:g:n:f:r:o:m:t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			o->suite_file = optarg;
			break;
		case 'c':
			ga.classes = optarg;
			o->group_opts = true;
			break;
		case OPT_VARIANTS:
			ga.variants = optarg;
			o->group_opts = true;
			break;
		case 'e':
			ga.be = !strcmp(optarg, "be") || !strcmp(optarg, "both");
			ga.le = !strcmp(optarg, "le") || !strcmp(optarg, "both");
			if (!ga.be && !ga.le) {
				pvx_err("--endian wants be, le or both, not '%s'", optarg);
				return 2;
			}
			o->group_opts = endian_bits = true;
			break;
		case 'b':
			ga.b64 = !strcmp(optarg, "64") || !strcmp(optarg, "both");
			ga.b32 = !strcmp(optarg, "32") || !strcmp(optarg, "both");
			if (!ga.b64 && !ga.b32) {
				pvx_err("--bits wants 64, 32 or both, not '%s'", optarg);
				return 2;
			}
			o->group_opts = endian_bits = true;
			break;
		case 'g':
			ga.guests = optarg;
			o->group_opts = true;
			break;
		case 'n':
		case 'f':
			if (!pvx_parse_u64(optarg, 32, 1000000000000ULL,
					   c == 'n' ? &g->iterations : &g->fast_iterations)) {
				pvx_err("--%s wants a whole number from 32 to 10^12, not '%s'",
					c == 'n' ? "iterations" : "fast-iterations", optarg);
				return 2;
			}
			o->group_opts = true;
			break;
		case 'r':
			if (!pvx_parse_u64(optarg, 1, 1000, &o->reps)) {
				pvx_err("--reps wants a whole number from 1 to 1000, not '%s'",
					optarg);
				return 2;
			}
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'm':
			if (!pvx_parse_u64(optarg, 16, 2048, &o->mem_mib)) {
				pvx_err("--mem wants MiB from 16 to 2048, not '%s'", optarg);
				return 2;
			}
			break;
		case 't':
			if (!pvx_parse_u64(optarg, 1, 86400, &o->timeout)) {
				pvx_err("--timeout wants seconds from 1 to 86400, not '%s'",
					optarg);
				return 2;
			}
			break;
		case OPT_NO_BPF:
			o->no_bpf = true;
			break;
		case OPT_BPF_COUNTS:
			o->bpf_counts = true;
			break;
		case OPT_TRACE:
			o->trace = true;
			break;
		case OPT_PERF:
			o->perf = true;
			break;
		case OPT_PROGRESS:
		case OPT_NO_PROGRESS:
			o->progress = c == OPT_PROGRESS;
			break;
		case OPT_PAYLOAD_DIR:
			o->payload_dir = optarg;
			break;
		case OPT_NO_LAB:
			o->no_lab = true;
			break;
		case OPT_LAB:
			o->lab = true;
			break;
		case OPT_GUEST_ARG:
			rc = add_guest_arg(o, optarg);
			if (rc)
				return rc;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return -1;
		case ':':
		default:
			pvx_bad_option(c, argv);
			return 2;
		}
	}
	if (optind < argc) {
		pvx_err("unexpected argument '%s' (try --help)", argv[optind]);
		return 2;
	}
	if (o->out && !o->out[0]) {
		pvx_err("--output: empty file name");
		return 2;
	}
	if (o->lab && o->no_lab) {
		pvx_err("--lab and --no-lab: choose one");
		return 2;
	}
	if (o->no_bpf && o->bpf_counts) {
		pvx_err("--no-bpf and --bpf-counts: choose one");
		return 2;
	}
	if (ga.guests && endian_bits) {
		pvx_err("--guest names the guests; drop --endian and --bits");
		return 2;
	}
	if (!o->suite_file)
		return make_group(o, &ga, g);
	if (o->group_opts) {
		pvx_err("--suite says which classes, guests and iterations to run; drop --class, --endian, --bits, --guest, --variants, -n and -f (only --reps may override it)");
		return 2;
	}
	if (pvx_suite_load(run_suite_path(o->suite_file), &o->suite, err, sizeof(err)) < 0) {
		pvx_err("--suite: %s", err);
		return 2;
	}
	return 0;
}

static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

struct progress {
	bool on;
	unsigned int done, total; /* payload runs */
	uint64_t t0;
	char what[96]; /* the run under way */
	const struct launch_result *r; /* its results so far */
	struct pvx_collector *coll[PVX_COLL_COUNT]; /* every collector, asked for or not */
	struct pvx_tpphases *tp; /* a BookE host's: kvm_booke:kvm_exit per phase */
	pid_t tid; /* the vCPU thread: this one */
};

/* Called at every phase marker: tell the collectors, show progress. */
static void on_phase(void *ctx, int phase)
{
	struct progress *pr = ctx;
	unsigned int k;

	for (k = 0; k < PVX_COLL_COUNT; k++)
		pvx_coll_mark(pr->coll[k], pr->tid, phase);
	pvx_tpphases_mark(pr->tp, phase);
	if (pr->on && phase >= 0) {
		const struct launch_phase *p = &pr->r->phases[phase];
		double el = (double)(pvx_now_ns() - pr->t0) / 1e9;
		char left[32] = "?";

		if (pr->done)
			snprintf(left, sizeof(left), "%.0f s",
				 el / pr->done * (pr->total - pr->done));
		fprintf(stderr, "\r\033[K%s: [%u/%u] %s: %s; %.0f s so far, about %s left",
			pvx_prog, pr->done + 1, pr->total, pr->what,
			p->cls < PVX_CLASS_COUNT ? pvx_classes[p->cls].name : "setup", el, left);
		fflush(stderr);
	}
}

/* The payloads: beside the build's pvexit (../guest), or where make
 * install put them (../lib/pvexit/guest). */
static void payload_path(const struct run_opts *o, const char *guest, char *buf, size_t len)
{
	static const char *const where[] = { "../guest", "../lib/pvexit/guest", NULL };
	char name[32];

	snprintf(name, sizeof(name), "payload-%s.elf", guest);
	if (o->payload_dir)
		snprintf(buf, len, "%.*s/%s", PATH_MAX - 48, o->payload_dir, name);
	else
		pvx_find_data(where, name, buf, len);
}

/* Start every available collector for a guest run; one warning for each
 * that cannot start. */
static void start_colls(struct progress *pr, const char *guest)
{
	static const char *const what[PVX_COLL_COUNT] = {
		[PVX_COLL_BPF] = "no BPF counts",
		[PVX_COLL_TRACE] = "no trace",
		[PVX_COLL_PERF] = "no perf stat",
	};
	unsigned int k;

	for (k = 0; k < PVX_COLL_COUNT; k++) {
		struct pvx_collector *c = pr->coll[k];

		if (c->available && pvx_coll_start(c, pr->tid) < 0)
			pvx_warn("%s guest: %s: %s", guest, what[k], c->why);
	}
}

/* Stop every collector and take its counts into @c (when @ok: the run
 * completed and its phases stand), or why there are none. */
static void read_colls(struct progress *pr, const struct launch_result *r, const char *guest,
		       struct run_colls *c, bool ok)
{
	struct pvx_coll_phases ph = { .n = r->nphases };
	uint64_t *seg = pvx_xcalloc(r->nphases ? r->nphases : 1, sizeof(*seg));
	unsigned int i, k;

	for (i = 0; i < r->nphases; i++)
		seg[i] = r->phases[i].segment;
	ph.segment = seg;
	for (k = 0; k < PVX_COLL_COUNT; k++) {
		struct pvx_collector *coll = pr->coll[k];
		bool ran = coll->running;

		c->ph[k] = pvx_coll_read(coll, pr->tid, &ph, ok);
		snprintf(c->why[k], sizeof(c->why[k]), "%s", coll->why);
		if (c->ph[k])
			run_table_markers(r, c->ph[k]);
		else if (ran && ok)
			pvx_warn("%s guest: %s; %s counts left out of this run", guest, coll->why,
				 pvx_coll_names[k]);
	}
	free(seg);
}

/*
 * A BookE run's tracepoint counts, from the e500 lab's launcher or from
 * this host's tracefs: the trace column, markers taken out, held to the
 * stats like any collector's.  On BookE the BPF, trace and perf
 * collectors (kvm_pr's tracepoints) have nothing to attach to.
 */
static void booke_counts(const struct progress *pr, struct launch_result *r, struct run_colls *c)
{
	struct pvx_phase_exits *ph;
	char why[256];
	unsigned int i;

	/* The lab's launcher took them already; here, take them now. */
	if (!r->have_tp && !launch_take_tp(pr->tp, r, why, sizeof(why))) {
		snprintf(c->why[PVX_COLL_TRACE], sizeof(c->why[PVX_COLL_TRACE]),
			 "no kvm_booke:kvm_exit counts: %s", why);
		return;
	}
	ph = pvx_xcalloc(r->nphases ? r->nphases : 1, sizeof(*ph));
	for (i = 0; i < r->nphases; i++) {
		ph[i].counts_only = true;
		ph[i].exits = r->phases[i].tp_exits;
		ph[i].emul = r->phases[i].tp_emul;
	}
	run_table_markers(r, ph);
	c->ph[PVX_COLL_TRACE] = ph;
}

/* Whether the results' host was taken from the e500 lab yet. */
static bool rr_host_set;

/* One payload run in one guest; its table printed, its phases kept. */
static int run_one(const struct run_opts *o, const struct pvx_suite_group *g, const char *guest,
		   unsigned int rep, unsigned int reps, struct progress *pr, struct run_results *rr)
{
	struct launch_opts lo;
	struct launch_result *r = pvx_xcalloc(1, sizeof(*r));
	struct run_colls *c = pvx_xcalloc(1, sizeof(*c));
	char payload[PATH_MAX], bootargs[1024];
	unsigned int k;
	int bad = -1; /* until the guest run has given its rows */

	payload_path(o, guest, payload, sizeof(payload));
	snprintf(bootargs, sizeof(bootargs), "class=%s iterations=%llu fast-iterations=%llu%s",
		 g->classes, (unsigned long long)g->iterations,
		 (unsigned long long)g->fast_iterations, o->guest_args);
	memset(&lo, 0, sizeof(lo));
	lo.payload = payload;
	lo.ram_size = o->mem_mib << 20;
	lo.bootargs = bootargs;
	lo.timeout_s = (unsigned int)o->timeout;
	lo.verbose = o->verbose;
	lo.on_phase = on_phase;
	lo.on_phase_ctx = pr;
	lo.stop = &interrupted;
	lo.booke = o->e500;
	pr->r = r;
	snprintf(pr->what, sizeof(pr->what), "%s guest, repetition %u/%u", guest, rep, reps);

	if (o->e500)
		printf("== e500 guest: BookE, 32-bit big-endian (%s)\n", payload);
	else
		printf("== %s-endian %s-bit guest (%s)\n", guest[0] == 'b' ? "big" : "little",
		       strcmp(guest, "be32") ? "64" : "32", payload);
	if (reps > 1)
		printf("  repetition %u of %u\n", rep, reps);
	fflush(stdout);
	start_colls(pr, guest);
	if (o->e500_lab) {
		char err[sizeof(r->error)];

		if (run_e500_launch(&lo, r, err, sizeof(err)) < 0) {
			read_colls(pr, r, guest, c, false);
			pvx_err("%s guest run: %s", guest, err);
			goto out;
		}
		if (!rr_host_set) {
			run_results_host_from(rr, r, "e500v2");
			rr_host_set = true;
		}
	} else if (launch_run(&lo, r) < 0) {
		read_colls(pr, r, guest, c, false);
		if (pr->on)
			fprintf(stderr, "\r\033[K");
		pvx_err("%s guest run: %s", guest, r->error);
		goto out;
	}
	if (pr->on)
		fprintf(stderr, "\r\033[K");
	read_colls(pr, r, guest, c, true);
	if (o->e500)
		booke_counts(pr, r, c);
	bad = run_table_print(stdout, r, guest, c);
	if (r->failures) {
		pvx_err("%s guest: the payload reported %llu failure(s)", guest,
			(unsigned long long)r->failures);
		bad++;
	}
	run_results_add(rr, r, guest, g->variants, c);
	printf("\n");
	fflush(stdout);
out:
	for (k = 0; k < PVX_COLL_COUNT; k++)
		free(c->ph[k]);
	free(c);
	launch_result_free(r);
	free(r);
	return bad < 0 ? 2 : bad ? 1 : 0;
}

static unsigned int group_reps(const struct run_opts *o, const struct pvx_suite_group *g)
{
	return o->reps ? (unsigned int)o->reps : g->reps;
}

static unsigned int count_runs(const struct run_opts *o)
{
	unsigned int gi, k, n = 0;

	for (gi = 0; gi < o->suite.ngroups; gi++)
		for (k = 0; k < PVX_GUEST_COUNT; k++)
			if (o->suite.groups[gi].guests & (1u << k))
				n += group_reps(o, &o->suite.groups[gi]);
	return n;
}

/* Inside the lab, files are named as the host knows them (run_lab.c). */
static int save(const struct run_opts *o, struct pvx_results *res)
{
	char csv[PATH_MAX], msg[2 * PATH_MAX + 64], shown[3 * PATH_MAX];

	pvx_results_csv_path(o->out, csv, sizeof(csv));
	if (pvx_results_save_both(res, o->out, csv, msg, sizeof(msg)) < 0) {
		pvx_err("%s", run_lab_host_names(msg, shown, sizeof(shown)));
		return 1;
	}
	snprintf(msg, sizeof(msg), "results%s in %s and %s",
		 res->complete ? "" : " (incomplete: interrupted)", o->out, csv);
	fprintf(stderr, "%s: %s\n", pvx_prog, run_lab_host_names(msg, shown, sizeof(shown)));
	return 0;
}

/* Every collector: opened when asked for, else absent with the reason. */
static void open_colls(const struct run_opts *o, struct progress *pr)
{
	static const char *const not_asked[PVX_COLL_COUNT] = {
		[PVX_COLL_BPF] = "--no-bpf",
		[PVX_COLL_TRACE] = "--trace not given",
		[PVX_COLL_PERF] = "--perf not given",
	};
	const bool asked[PVX_COLL_COUNT] = {
		[PVX_COLL_BPF] = !o->no_bpf,
		[PVX_COLL_TRACE] = o->trace,
		[PVX_COLL_PERF] = o->perf,
	};
	const struct pvx_coll_opts co = { .verbose = o->verbose, .counts_only = o->bpf_counts };
	unsigned int k;

	for (k = 0; k < PVX_COLL_COUNT; k++) {
		if (o->e500) {
			/* Their tracepoints are kvm_pr's: BookE has its own,
			 * counted apart (booke_counts). */
			pr->coll[k] =
				pvx_coll_absent(k, o->e500_lab ? "counted inside the e500 lab" :
								 "a Book3S collector");
			continue;
		}
		if (!asked[k]) {
			pr->coll[k] = pvx_coll_absent(k, not_asked[k]);
			continue;
		}
		pr->coll[k] = pvx_coll_open(k, &co);
		if (!pr->coll[k]->available && k == PVX_COLL_BPF)
			pvx_warn("BPF collector unavailable: %s; counting with the vCPU stats only",
				 pr->coll[k]->why);
		else if (!pr->coll[k]->available)
			pvx_warn("%s collector unavailable: %s", pvx_coll_names[k],
				 pr->coll[k]->why);
	}
}

static int run_suite(struct run_opts *o)
{
	struct progress pr = { 0 };
	struct run_results *rr;
	struct pvx_results *res;
	struct sigaction sa;
	unsigned int gi, rep, k;
	int status = 0, rc;
	bool lost = false; /* a guest run failed: its rows are missing */

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt; /* no SA_RESTART: KVM_RUN must return */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	pr.on = o->progress < 0 ? isatty(2) : o->progress;
	pr.tid = (pid_t)syscall(SYS_gettid);
	pr.t0 = pvx_now_ns();
	pr.total = count_runs(o);
	open_colls(o, &pr);
	if (o->e500 && !o->e500_lab) {
		char err[256];

		pr.tp = pvx_tpphases_open(true, LAUNCH_MAX_PHASES, err, sizeof(err));
		if (!pr.tp)
			pvx_warn("no kvm_booke:kvm_exit counts, the vCPU stats only: %s", err);
	}
	if (o->e500_lab)
		printf("pvexit run: the e500 guest in the e500 lab (an emulated e500v2 host under KVM e500v2); per op: %s\n",
		       pvx_unit_title(pvx_unit_here()));
	else if (getenv("PVEXIT_LAB"))
		printf("pvexit run: KVM PR inside the lab (an emulated POWER8 host); per op: %s\n",
		       pvx_unit_title(pvx_unit_here()));
	rr = run_results_new(o->suite_file ? o->suite.name : "command line",
			     o->e500 ? "e500v2" : "pr");
	for (gi = 0; gi < o->suite.ngroups && !interrupted; gi++) {
		const struct pvx_suite_group *g = &o->suite.groups[gi];
		unsigned int reps = group_reps(o, g);

		for (rep = 1; rep <= reps && !interrupted; rep++)
			for (k = 0; k < PVX_GUEST_COUNT && !interrupted; k++) {
				if (!(g->guests & (1u << k)))
					continue;
				rc = run_one(o, g, pvx_guest_names[k], rep, reps, &pr, rr);
				if (rc)
					status = 1;
				lost |= rc == 2;
				pr.done++;
			}
	}
	for (k = 0; k < PVX_COLL_COUNT; k++)
		pvx_coll_close(pr.coll[k]);
	pvx_tpphases_close(pr.tp);
	res = run_results_finish(rr, !interrupted);
	/* Without the failed run's rows a file would pass for the whole
	 * run; an interrupted one says it is incomplete. */
	if (o->out && lost && !interrupted) {
		char msg[PATH_MAX + 64], shown[2 * PATH_MAX];

		snprintf(msg, sizeof(msg), "no results written to %s: a guest run failed", o->out);
		pvx_warn("%s", run_lab_host_names(msg, shown, sizeof(shown)));
	} else if (o->out && save(o, res)) {
		status = PVX_EXIT_ERROR;
	}
	pvx_results_free(res);
	free(res);
	if (interrupted) {
		pvx_err("interrupted");
		return 130;
	}
	return status;
}

/* One host kind per run: a results file describes one KVM host. */
static int check_guests(struct run_opts *o)
{
	unsigned int gi, all = 0;

	for (gi = 0; gi < o->suite.ngroups; gi++)
		all |= o->suite.groups[gi].guests;
	if ((all & PVX_GUEST_E500) && (all & PVX_GUEST_BOOK3S)) {
		pvx_err("the e500 guest runs on a BookE (e500v2) host, be, le and be32 on a Book3S one: run them apart (one results file describes one host)");
		return PVX_EXIT_ERROR;
	}
	o->e500 = all & PVX_GUEST_E500;
	return 0;
}

/*
 * The e500 guest: here on a BookE host, else each run in the e500 lab,
 * driven from here (there is no pvexit inside it to hand the command
 * to), its time in emulated instructions like the Book3S lab's.
 */
static int run_e500(struct run_opts *o)
{
	struct kvm_pr_facts f;
	char why[256];
	bool here = kvm_booke_check(&f, why, sizeof(why));

	if (here && !o->lab)
		return run_suite(o);
	if (here)
		snprintf(why, sizeof(why), "--lab asked for the lab");
	if (o->no_lab) {
		pvx_err("no BookE KVM on this machine (%s), and --no-lab refuses the e500 lab",
			why);
		return PVX_EXIT_ERROR;
	}
	if (f.powerpc && !here && !o->lab) {
		pvx_err("no BookE KVM on this host: %s; or add --lab to run in the emulated e500 lab",
			why);
		return PVX_EXIT_ERROR;
	}
	if (o->mem_mib << 20 > LAUNCH_BOOKE_RAM_MAX) {
		pvx_err("--mem %llu: an e500 guest has at most %llu MiB (KVM's initial TLB1 entry)",
			(unsigned long long)o->mem_mib, LAUNCH_BOOKE_RAM_MAX >> 20);
		return PVX_EXIT_ERROR;
	}
	fprintf(stderr,
		"%s: no BookE KVM on this machine (%s); running each e500 run in the e500 lab\n",
		pvx_prog, why);
	/* What this run's figures are: those of the lab, in its clock. */
	setenv("PVEXIT_LAB", "1", 1);
	setenv("PVEXIT_LAB_CLOCK", "icount", 1);
	o->e500_lab = true;
	return run_suite(o);
}

int cmd_run(int argc, char **argv)
{
	struct run_opts *o = pvx_xcalloc(1, sizeof(*o));
	struct kvm_pr_facts f;
	bool here;
	char why[256];
	int rc;

	rc = parse(argc, argv, o);
	if (rc) {
		if (rc < 0) /* --help */
			rc = PVX_EXIT_OK;
		goto out;
	}
	rc = check_guests(o);
	if (rc)
		goto out;
	if (o->e500) {
		rc = run_e500(o);
		goto out;
	}
	here = kvm_pr_check(&f);
	if (here && !o->lab) {
		rc = run_suite(o);
		goto out;
	}
	if (here)
		snprintf(why, sizeof(why), "--lab asked for the lab");
	else
		kvm_pr_advice(&f, why, sizeof(why));
	if (o->no_lab) {
		pvx_err("no KVM PR on this machine (%s), and --no-lab refuses the lab", why);
		rc = PVX_EXIT_ERROR;
		goto out;
	}
	/* A PowerPC host is where its owner means to measure: the lab is
	 * only taken when asked for, never in its stead. */
	if (f.powerpc && !here && !o->lab) {
		pvx_err("no KVM PR on this host: %s; or add --lab to run in the emulated lab", why);
		rc = PVX_EXIT_ERROR;
		goto out;
	}
	rc = run_in_lab(argc, argv, o->suite_file, o->out, o->payload_dir, count_runs(o),
			o->timeout, why);
out:
	free(o);
	return rc;
}
