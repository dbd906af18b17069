// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit trace record | report: the three KVM PR tracepoints recorded
 * raw, and a per-class exit table from such a recording or from a
 * trace-cmd trace.dat, as perf kvm stat gives for HV but by instruction
 * class and for PR.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cmd.h"
#include "insn_class.h"
#include "names.h"
#include "trace_decode.h"
#include "trace_record.h"
#include "util.h"

#define DEFAULT_OUT "pvexit.pvtrace"
#define DEFAULT_BUFFER_KB 4096

static char prog[48];

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvexit trace record [-p PID] [-o FILE] [-b KIB] [--duration SEC | -- COMMAND [ARG...]]\n"
		"       pvexit trace report [--per-thread] [--segments] FILE\n"
		"\n"
		"record: record the KVM PR tracepoints kvm_pr:kvm_exit, kvm:kvm_ppc_instr and\n"
		"kvm_pr:kvm_book3s_reenter raw, in a tracefs instance of its own, into FILE\n"
		"(docs/trace-format.md).  Without -p or COMMAND every thread is recorded until\n"
		"SIGINT or the duration ends.  Needs root.\n"
		"  -p, --pid PID         only the threads of process PID (and their children)\n"
		"  -o, --output FILE     where to write (default " DEFAULT_OUT ")\n"
		"  -b, --buffer-kb KIB   ring buffer per CPU (default %d)\n"
		"  -d, --duration SEC    stop after SEC seconds\n"
		"  -- COMMAND [ARG...]   run COMMAND and record its threads until it exits\n"
		"\n"
		"report: read FILE (pvexit trace record's, or a trace-cmd trace.dat with those\n"
		"events) and print the exits per instruction class and exit vector: exits,\n"
		"emulated instructions (kvm_ppc_instr) during them, their share of all exits,\n"
		"and the exit-to-reentry time (mean; median and p99 as log2 buckets).  Lost\n"
		"events are reported; the counts are then lower bounds.\n"
		"  -t, --per-thread      one row per thread too\n"
		"  -s, --segments        one row per segment too: the exits of a thread between\n"
		"                        two of its MMIO exits (pvexit's payloads mark each\n"
		"                        phase with one, so a phase is one segment)\n"
		"\n"
		"Exit status: 0 success; 1 COMMAND failed (its trace is written); 2 bad usage,\n"
		"a bad or unreadable FILE, a recording that could not be made, or standard\n"
		"output not written.\n",
		DEFAULT_BUFFER_KB);
}

/* --- record ---------------------------------------------------------------- */

static int record(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "buffer-kb", required_argument, NULL, 'b' },
		{ "duration", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct pvx_record_opts o = { .out = DEFAULT_OUT, .buffer_kb = DEFAULT_BUFFER_KB };
	struct pvx_record_result res;
	char err[512];
	uint64_t v;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:p:o:b:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (!pvx_parse_u64(optarg, 1, INT_MAX, &v)) {
				pvx_err("--pid wants a process id, not '%s'", optarg);
				return 2;
			}
			o.pid = (pid_t)v;
			break;
		case 'o':
			if (!*optarg) {
				pvx_err("--output: empty file name");
				return 2;
			}
			o.out = optarg;
			break;
		case 'b':
			if (!pvx_parse_u64(optarg, 64, 1u << 20, &v)) {
				pvx_err("--buffer-kb wants KiB from 64 to 1048576, not '%s'",
					optarg);
				return 2;
			}
			o.buffer_kb = (unsigned int)v;
			break;
		case 'd':
			if (!pvx_parse_u64(optarg, 1, 86400, &v)) {
				pvx_err("--duration wants seconds from 1 to 86400, not '%s'",
					optarg);
				return 2;
			}
			o.duration = (unsigned int)v;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
			pvx_err("option %s needs a value (try --help)", argv[optind - 1]);
			return 2;
		default:
			pvx_err("unknown option '%s' (try --help)", argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc)
		o.argv = argv + optind;
	if (o.argv && o.pid) {
		pvx_err("-p and a COMMAND exclude each other (try --help)");
		return 2;
	}
	if (o.argv && o.duration) {
		pvx_err("--duration and a COMMAND exclude each other (try --help)");
		return 2;
	}
	if (pvx_trace_record(&o, &res, err, sizeof(err))) {
		pvx_err("%s", err);
		return PVX_EXIT_ERROR;
	}
	fprintf(stderr, "%s: wrote %s: %llu ring-buffer pages from %u CPU%s%s\n", pvx_prog, o.out,
		(unsigned long long)res.pages, res.ncpus, res.ncpus == 1 ? "" : "s",
		res.interrupted ? " (stopped by a signal)" : "");
	if (res.lost)
		pvx_warn(
			"the kernel lost %llu events (ring buffer overruns and drops): counts from %s are lower bounds; a larger --buffer-kb helps",
			(unsigned long long)res.lost, o.out);
	if (res.ran && WIFEXITED(res.status) && WEXITSTATUS(res.status)) {
		pvx_err("'%s' exited with status %d (the trace of its run is in %s)", o.argv[0],
			WEXITSTATUS(res.status), o.out);
		return PVX_EXIT_FINDING;
	}
	if (res.ran && WIFSIGNALED(res.status) && !res.interrupted) {
		pvx_err("'%s' was killed by signal %d (the trace of its run is in %s)", o.argv[0],
			WTERMSIG(res.status), o.out);
		return PVX_EXIT_FINDING;
	}
	return 0;
}

/* --- report ---------------------------------------------------------------- */

/* @v clock units as a short figure with its unit. */
static void fmt_time(char *buf, size_t n, uint64_t v, bool ns)
{
	if (!ns)
		snprintf(buf, n, "%llu", (unsigned long long)v);
	else if (v < 1000)
		snprintf(buf, n, "%lluns", (unsigned long long)v);
	else if (v < 1000000)
		snprintf(buf, n, "%.2fus", v / 1e3);
	else if (v < 1000000000)
		snprintf(buf, n, "%.2fms", v / 1e6);
	else
		snprintf(buf, n, "%.2fs", v / 1e9);
}

/* Histogram bucket @slot as "LO-HI" in one unit. */
static void fmt_bucket(char *buf, size_t n, int slot, bool ns)
{
	uint64_t lo, hi;
	double div = 1;
	const char *unit = "";

	if (slot < 0) { /* no exit of the row saw its reentry */
		snprintf(buf, n, "-");
		return;
	}
	lo = slot ? 1ull << slot : 0;
	hi = 1ull << (slot + 1);
	if (slot == PVX_HIST_SLOTS - 1) {
		char t[24];

		fmt_time(t, sizeof(t), lo, ns);
		snprintf(buf, n, ">=%s", t);
		return;
	}
	if (ns) {
		if (hi <= 1000) {
			unit = "ns";
		} else if (hi <= 1000000) {
			unit = "us";
			div = 1e3;
		} else if (hi <= 1000000000) {
			unit = "ms";
			div = 1e6;
		} else {
			unit = "s";
			div = 1e9;
		}
	}
	snprintf(buf, n, "%.3g-%.3g%s", lo / div, hi / div, unit);
}

/* Rows of all threads with the same vector and class, summed. */
static size_t merge_threads(struct pvx_trace_row *rows, size_t n)
{
	size_t i, j, out = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < out; j++)
			if (rows[j].vector == rows[i].vector && rows[j].cls == rows[i].cls)
				break;
		if (j == out) {
			rows[out] = rows[i];
			rows[out++].tid = 0;
			continue;
		}
		rows[j].exits += rows[i].exits;
		rows[j].instr += rows[i].instr;
		rows[j].paired += rows[i].paired;
		rows[j].lat_sum += rows[i].lat_sum;
		if (rows[i].lat_min < rows[j].lat_min)
			rows[j].lat_min = rows[i].lat_min;
		if (rows[i].lat_max > rows[j].lat_max)
			rows[j].lat_max = rows[i].lat_max;
		for (int k = 0; k < PVX_HIST_SLOTS; k++)
			rows[j].hist[k] += rows[i].hist[k];
	}
	return out;
}

static int by_exits(const void *a, const void *b)
{
	const struct pvx_trace_row *x = a, *y = b;

	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->seg != y->seg)
		return x->seg < y->seg ? -1 : 1;
	if (x->exits != y->exits)
		return x->exits > y->exits ? -1 : 1;
	if (x->vector != y->vector)
		return x->vector < y->vector ? -1 : 1;
	return x->cls - y->cls;
}

static void print_header(const struct pvx_trace *t, const char *path)
{
	uint64_t overrun = 0, dropped = 0, missed = 0, unknown = 0;
	unsigned int i, stats = 0;

	for (i = 0; i < t->ncpus; i++) {
		overrun += t->cpu[i].overrun + t->cpu[i].commit_overrun;
		dropped += t->cpu[i].dropped;
		missed += t->cpu[i].missed;
		unknown += t->cpu[i].missed_unknown;
		stats += t->cpu[i].have_stats;
	}
	printf("%s: %s\n", pvx_safe(path),
	       t->kind == PVX_TRACE_DAT ? "trace-cmd trace.dat" : "pvexit raw trace");
	printf("recorded by a %s-endian kernel: %d-byte longs, %u-byte pages, %u CPU%s, clock %s\n",
	       t->big_endian ? "big" : "little", t->long_size, t->page_size, t->ncpus,
	       t->ncpus == 1 ? "" : "s", t->clock[0] ? pvx_safe(t->clock) : "unknown");
	printf("events: %llu kvm_exit, %llu kvm_ppc_instr, %llu kvm_book3s_reenter",
	       (unsigned long long)t->n_exit, (unsigned long long)t->n_instr,
	       (unsigned long long)t->n_reenter);
	if (t->n_foreign)
		printf(" (%llu other events ignored)", (unsigned long long)t->n_foreign);
	printf("\n");
	if (pvx_trace_lossy(t))
		printf("lost events: %llu", (unsigned long long)pvx_trace_lost(t));
	else
		printf("lost events: none");
	printf(" (overruns %llu, drops %llu, missed before pages %llu, pages with an unknown loss %llu%s)\n",
	       (unsigned long long)overrun, (unsigned long long)dropped, (unsigned long long)missed,
	       (unsigned long long)unknown,
	       stats == t->ncpus ? "" : "; no kernel stats saved for some CPUs");
	if (pvx_trace_lossy(t))
		printf("  every count below is a lower bound\n");
}

static void print_rows(const struct pvx_trace *t, struct pvx_trace_row *rows, size_t n,
		       bool per_thread, bool segments)
{
	bool ns = pvx_trace_clock_is_ns(t->clock);
	uint64_t total = 0, instr = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		total += rows[i].exits;
		instr += rows[i].instr;
	}
	printf("\n%s%s%-12s %-15s %10s %10s %7s %10s %16s %16s\n", per_thread ? "tid      " : "",
	       segments ? "seg    " : "", "class", "vector", "exits", "instr", "share", "lat-mean",
	       "lat-median", "lat-p99");
	for (i = 0; i < n; i++) {
		const struct pvx_trace_row *r = &rows[i];
		char vb[16], mean[24] = "-", med[40], p99[40];

		if (r->paired)
			fmt_time(mean, sizeof(mean), r->lat_sum / r->paired, ns);
		fmt_bucket(med, sizeof(med), pvx_trace_hist_quantile(r->hist, r->paired, 500), ns);
		fmt_bucket(p99, sizeof(p99), pvx_trace_hist_quantile(r->hist, r->paired, 990), ns);
		if (per_thread)
			printf("%-8u ", r->tid);
		if (segments)
			printf("%-6u ", r->seg);
		printf("%-12s %-15s %10llu %10llu %6.2f%% %10s %16s %16s\n",
		       pvx_insn_class_name(r->cls), pvx_vector_label(r->vector, vb, sizeof(vb)),
		       (unsigned long long)r->exits, (unsigned long long)r->instr,
		       total ? 100.0 * (double)r->exits / (double)total : 0.0, mean, med, p99);
	}
	printf("%s%s%-12s %-15s %10llu %10llu %6.2f%%\n", per_thread ? "         " : "",
	       segments ? "       " : "", "total", "", (unsigned long long)total,
	       (unsigned long long)instr, total ? 100.0 : 0.0);
	if (!ns)
		printf("(times in clock '%s' units)\n",
		       t->clock[0] ? pvx_safe(t->clock) : "unknown");
}

static void print_instr(const struct pvx_trace *t)
{
	bool first = true;
	int i;

	printf("\nkvm_ppc_instr by class:");
	for (i = 0; i <= PVX_CLASS_COUNT; i++) {
		if (!t->instr_by_class[i])
			continue;
		printf("%s %s %llu", first ? "" : ",",
		       i < PVX_CLASS_COUNT ? pvx_classes[i].name : "other",
		       (unsigned long long)t->instr_by_class[i]);
		first = false;
	}
	printf("%s\n", first ? " none" : "");
}

static int by_count(const void *a, const void *b)
{
	const struct pvx_trace_word *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->word < y->word ? -1 : x->word > y->word;
}

/* What trapped that the class table does not know: a PV candidate, or
 * the payload's own runtime. */
static void print_other_words(struct pvx_trace *t)
{
	size_t i;

	if (!t->nother_words)
		return;
	qsort(t->other_words, t->nother_words, sizeof(*t->other_words), by_count);
	printf("PROGRAM exits outside the class table, by word:");
	for (i = 0; i < t->nother_words && i < 10; i++)
		printf("%s 0x%08x %llu", i ? "," : "", t->other_words[i].word,
		       (unsigned long long)t->other_words[i].count);
	if (t->nother_words > 10 || t->other_words_more)
		printf(", ... (%zu words%s)", t->nother_words,
		       t->other_words_more ? " and more" : "");
	printf("\n");
}

static void print_notes(const struct pvx_trace *t)
{
	if (t->unpaired_exit)
		printf("note: %llu exits had no reentry before their thread's next exit\n",
		       (unsigned long long)t->unpaired_exit);
	if (t->unpaired_reenter)
		printf("note: %llu reentries had no exit before them (the recording's start, or lost events)\n",
		       (unsigned long long)t->unpaired_reenter);
	if (t->instr_outside)
		printf("note: %llu kvm_ppc_instr events came outside any exit of their thread\n",
		       (unsigned long long)t->instr_outside);
	if (t->class_mismatch)
		printf("note: %llu kvm_ppc_instr events were of another class than their exit's instruction\n",
		       (unsigned long long)t->class_mismatch);
	if (t->clock_backwards)
		printf("note: %llu reentries were stamped before their exit (clock skew between CPUs)\n",
		       (unsigned long long)t->clock_backwards);
}

static int report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "per-thread", no_argument, NULL, 't' },
		{ "segments", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct pvx_trace t;
	bool per_thread = false, segments = false;
	char err[600];
	size_t n;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":tsh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			per_thread = true;
			break;
		case 's':
			/* segments belong to a thread */
			segments = per_thread = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			pvx_err("unknown option '%s' (try --help)", argv[optind - 1]);
			return 2;
		}
	}
	if (optind != argc - 1) {
		pvx_err("%s", optind == argc ? "no FILE to report on (try --help)" :
					       "one FILE only (try --help)");
		return 2;
	}
	if (pvx_trace_read(argv[optind], segments ? PVX_TRACE_SEGMENTS : 0, &t, err, sizeof(err))) {
		pvx_err("%s", err);
		return PVX_EXIT_ERROR;
	}
	print_header(&t, argv[optind]);
	n = per_thread ? t.nrows : merge_threads(t.rows, t.nrows);
	if (n) /* rows is NULL when there are none */
		qsort(t.rows, n, sizeof(*t.rows), by_exits);
	if (!n)
		printf("\nno kvm_pr:kvm_exit events\n");
	else
		print_rows(&t, t.rows, n, per_thread, segments);
	print_instr(&t);
	print_other_words(&t);
	print_notes(&t);
	if (pvx_trace_lossy(&t))
		pvx_warn("%s lost %llu events: its counts are lower bounds", argv[optind],
			 (unsigned long long)pvx_trace_lost(&t));
	pvx_trace_free(&t);
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	if (argc < 2) {
		pvx_err("no trace command: record or report (try --help)");
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return 0;
	}
	snprintf(prog, sizeof(prog), "pvexit trace %s", argv[1]);
	if (!strcmp(argv[1], "record")) {
		pvx_prog = prog;
		return record(argc - 1, argv + 1);
	}
	if (!strcmp(argv[1], "report")) {
		pvx_prog = prog;
		return report(argc - 1, argv + 1);
	}
	pvx_err("unknown trace command '%s' (record or report; try --help)", argv[1]);
	return 2;
}
