// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit report: a results file as one table, per class (and scenario)
 * and guest: what the raw (trapping) and PV-patched variants cost, the
 * speedup, and the exits the rewrite saves.  --json and --csv print the
 * same table for scripts; one column table below drives both.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "headline.h"
#include "results.h"
#include "table_fmt.h"
#include "util.h"

/* Bumped when a column changes meaning or goes away. */
#define REPORT_VERSION 2 /* 2: time_unit; raw_per_op for raw_ns_per_op ... */

/* One line of the report: a label (class or class/case) in one guest. */
struct line {
	char label[96];
	const char *cls, *cs, *guest;
	const struct pvx_row *raw, *patched, *baseline;
	/* The figures, NAN where a variant is missing. */
	double raw_ns, raw_lo, raw_hi, raw_level, raw_reps;
	double pat_ns, pat_lo, pat_hi, pat_level, pat_reps;
	double speedup;
	double raw_exits, pat_exits, saved;
	double raw_irq, pat_irq;
	const char *verdict; /* "ok" or "FAIL" */
	char *failures; /* "; "-separated, "" when none */
};

enum col_kind { COL_STR, COL_NUM, COL_STRP };

struct column {
	const char *name;
	enum col_kind kind;
	size_t off;
};

#define STR(n, f)                                    \
	{                                            \
		n, COL_STR, offsetof(struct line, f) \
	}
#define STRP(n, f)                                    \
	{                                             \
		n, COL_STRP, offsetof(struct line, f) \
	}
#define NUM(n, f)                                    \
	{                                            \
		n, COL_NUM, offsetof(struct line, f) \
	}

/* The machine-readable columns, in order (documented in docs/man/pvexit.1). */
static const struct column columns[] = {
	STR("label", label),
	STRP("class", cls),
	STRP("case", cs),
	STRP("guest", guest),
	NUM("raw_per_op", raw_ns),
	NUM("raw_ci_low", raw_lo),
	NUM("raw_ci_high", raw_hi),
	NUM("raw_ci_level", raw_level),
	NUM("raw_repetitions", raw_reps),
	NUM("patched_per_op", pat_ns),
	NUM("patched_ci_low", pat_lo),
	NUM("patched_ci_high", pat_hi),
	NUM("patched_ci_level", pat_level),
	NUM("patched_repetitions", pat_reps),
	NUM("speedup", speedup),
	NUM("raw_exits_per_op", raw_exits),
	NUM("patched_exits_per_op", pat_exits),
	NUM("exits_saved_per_op", saved),
	NUM("raw_irq_per_op", raw_irq),
	NUM("patched_irq_per_op", pat_irq),
	STRP("verdict", verdict),
	STRP("failures", failures),
};

#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvexit report FILE [--json | --csv]\n"
		"\n"
		"Print a results file (pvexit run -o FILE.json) as a table: per class (or\n"
		"class/case) and guest, raw and patched ns/op (median and its confidence\n"
		"interval, 95%% when there are 6 or more repetitions), the speedup raw/patched,\n"
		"raw and patched emulation exits per op and the exits the rewrite saves,\n"
		"interrupts per op where any were delivered, and every failed verdict or check.\n"
		"An incomplete (interrupted) file is shown with a warning.\n"
		"\n"
		"  --json      the same table as one JSON object: header members and \"rows\"\n"
		"  --csv       the same table as CSV with one header line\n"
		"  -h, --help  this text\n"
		"\n"
		"Columns of --json rows and --csv (man pvexit describes each):");
	for (size_t i = 0, width = 0; i < NCOLUMNS; i++) {
		size_t len = strlen(columns[i].name);

		if (!i || width + len + 2 > 78) {
			fprintf(f, "%s\n  %s", i ? "," : "", columns[i].name);
			width = 2 + len;
		} else {
			fprintf(f, ", %s", columns[i].name);
			width += 2 + len;
		}
	}
	fprintf(f,
		"\n\nExit status: 0 shown (failed verdicts are in the table, not the status); 2 bad\n"
		"usage, an unreadable or malformed file, or standard output not written.\n");
}

/* Add @piece to the "; "-separated list in *@s.  The pieces quote the
 * file: they are made printable (pvx_safe()) before they come here. */
static void append(char **s, const char *piece)
{
	size_t old = strlen(*s), add = strlen(piece);
	char *n = pvx_xrealloc(*s, old + 2 + add + 1, 1);

	if (old) {
		memcpy(n + old, "; ", 2);
		old += 2;
	}
	memcpy(n + old, piece, add + 1);
	*s = n;
}

static void collect_failures(struct line *l, const struct pvx_row *row)
{
	char piece[1024];
	size_t i;

	if (!row)
		return;
	if (!row->verdict || strcmp(row->verdict, "ok")) {
		snprintf(piece, sizeof(piece), "%s: %s", row->variant,
			 row->verdict ? pvx_safe(row->verdict) : "no verdict");
		append(&l->failures, piece);
	}
	for (i = 0; i < row->nchecks; i++) {
		const struct pvx_check *c = &row->checks[i];

		if (c->pass)
			continue;
		snprintf(piece, sizeof(piece), "%s check %s: seen %s, want %s", row->variant,
			 pvx_safe(c->what), c->seen ? pvx_safe(c->seen) : "?",
			 c->want ? pvx_safe(c->want) : "?");
		append(&l->failures, piece);
	}
}

static void fill_variant(const struct pvx_row *row, double *ns, double *lo, double *hi,
			 double *level, double *reps, double *exits, double *irq)
{
	if (!row) {
		*ns = *lo = *hi = *level = *reps = *exits = *irq = NAN;
		return;
	}
	*ns = row->time_per_op.median;
	*lo = row->time_per_op.ci_low;
	*hi = row->time_per_op.ci_high;
	*level = row->time_per_op.ci_level;
	*reps = row->repetitions;
	*exits = row->exits_per_op;
	*irq = row->irq_per_op;
}

static void finish_line(struct line *l)
{
	fill_variant(l->raw, &l->raw_ns, &l->raw_lo, &l->raw_hi, &l->raw_level, &l->raw_reps,
		     &l->raw_exits, &l->raw_irq);
	fill_variant(l->patched, &l->pat_ns, &l->pat_lo, &l->pat_hi, &l->pat_level, &l->pat_reps,
		     &l->pat_exits, &l->pat_irq);
	l->speedup = l->raw && l->patched && l->pat_ns > 0 ? l->raw_ns / l->pat_ns : NAN;
	l->saved = l->raw && l->patched ? l->raw_exits - l->pat_exits : NAN;
	l->failures = pvx_xcalloc(1, 1);
	collect_failures(l, l->raw);
	collect_failures(l, l->patched);
	collect_failures(l, l->baseline);
	l->verdict = *l->failures ? "FAIL" : "ok";
}

/* Group the file's rows into lines, in the order the file has them. */
static struct line *build_lines(const struct pvx_results *r, size_t *nlines)
{
	struct line *lines = pvx_xcalloc(r->nrows ? r->nrows : 1, sizeof(*lines));
	size_t n = 0, i, j;

	for (i = 0; i < r->nrows; i++) {
		const struct pvx_row *row = &r->rows[i];
		char label[sizeof(lines->label)];
		struct line *l = NULL;

		pvx_row_label(row, label, sizeof(label));
		for (j = 0; j < n && !l; j++)
			if (!strcmp(lines[j].label, label) && !strcmp(lines[j].guest, row->guest))
				l = &lines[j];
		if (!l) {
			l = &lines[n++];
			memcpy(l->label, label, sizeof(label));
			l->cls = row->cls;
			l->cs = row->cs;
			l->guest = row->guest;
		}
		/* A variant seen twice keeps its first row, as pvx_results_find() does. */
		if (!strcmp(row->variant, "raw") && !l->raw)
			l->raw = row;
		else if (!strcmp(row->variant, "patched") && !l->patched)
			l->patched = row;
		else if (!strcmp(row->variant, "baseline") && !l->baseline)
			l->baseline = row;
	}
	for (i = 0; i < n; i++)
		finish_line(&lines[i]);
	*nlines = n;
	return lines;
}

static const char *col_str(const struct line *l, const struct column *c)
{
	const char *p = (const char *)l + c->off;

	return c->kind == COL_STR ? p : *(const char *const *)p;
}

static double col_num(const struct line *l, const struct column *c)
{
	return *(const double *)((const char *)l + c->off);
}

static void print_csv(const struct line *lines, size_t n)
{
	size_t i, j;

	for (j = 0; j < NCOLUMNS; j++)
		printf("%s%s", j ? "," : "", columns[j].name);
	putchar('\n');
	for (i = 0; i < n; i++) {
		for (j = 0; j < NCOLUMNS; j++) {
			if (j)
				putchar(',');
			if (columns[j].kind == COL_NUM)
				pvx_csv_num(stdout, col_num(&lines[i], &columns[j]));
			else
				pvx_csv_str(stdout, col_str(&lines[i], &columns[j]));
		}
		putchar('\n');
	}
}

/* The table as one JSON object.  Return: 0, or -1 with errno set. */
static int print_json(const char *path, const struct pvx_results *r, const struct line *lines,
		      size_t n)
{
	struct pvx_json_writer w;
	size_t i, j;

	pvx_jw_init(&w, stdout);
	pvx_jw_begin_object(&w, false);
	pvx_jw_key_u64(&w, "report_version", REPORT_VERSION);
	pvx_jw_key_string(&w, "file", path);
	pvx_jw_key_u64(&w, "schema_version", (uint64_t)r->schema_version);
	pvx_jw_key_string(&w, "time_unit", pvx_unit_name(r->time_unit));
	pvx_jw_key_bool(&w, "complete", r->complete);
	pvx_jw_key_string(&w, "date", r->date);
	pvx_jw_key_string(&w, "tool_version", r->tool_version);
	pvx_jw_key_string(&w, "git_revision", r->git_revision);
	pvx_jw_key_string(&w, "suite", r->suite);
	pvx_results_write_host(&w, &r->host);
	pvx_jw_key(&w, "rows");
	pvx_jw_begin_array(&w, false);
	for (i = 0; i < n; i++) {
		pvx_jw_begin_object(&w, true);
		for (j = 0; j < NCOLUMNS; j++) {
			pvx_jw_key(&w, columns[j].name);
			if (columns[j].kind == COL_NUM)
				pvx_jw_double_or_null(&w, col_num(&lines[i], &columns[j]));
			else
				pvx_jw_string(&w, col_str(&lines[i], &columns[j]));
		}
		pvx_jw_end_object(&w);
	}
	pvx_jw_end_array(&w);
	pvx_jw_end_object(&w);
	return pvx_jw_finish(&w);
}

/* "median [low, high]", with a '*' when the interval covers less than 95%. */
static void fmt_ci(char *buf, size_t len, double med, double lo, double hi, double level,
		   int *short_ci)
{
	char m[32], l[32], h[32];

	if (isnan(med)) {
		snprintf(buf, len, "-");
		return;
	}
	pvx_fmt_num(m, sizeof(m), med);
	pvx_fmt_num(l, sizeof(l), lo);
	pvx_fmt_num(h, sizeof(h), hi);
	/* Slack for the level having gone through a text file. */
	if (level < 0.95 - 1e-9)
		*short_ci = 1;
	snprintf(buf, len, "%s [%s, %s]%s", m, l, h, level < 0.95 - 1e-9 ? "*" : "");
}

static void fmt_fixed(char *buf, size_t len, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%.3f", v);
}

/* A header string of the file, printable. */
static const char *or_unknown(const char *s)
{
	return s && *s ? pvx_safe(s) : "unknown";
}

static void print_header(const char *path, const struct pvx_results *r)
{
	printf("results: %s (schema %d, %zu rows, %s)\n", pvx_safe(path), r->schema_version,
	       r->nrows, r->complete ? "complete" : "INCOMPLETE: the run was interrupted");
	printf("host:    kernel %s, %s, cpu %s, pvr %s, kvm %s\n",
	       or_unknown(r->host.kernel_release), or_unknown(r->host.machine),
	       or_unknown(r->host.cpu), or_unknown(r->host.pvr), or_unknown(r->host.kvm));
	{
		/* The e500 guest's host is an e500v2 under KVM e500v2. */
		bool e500 = r->host.kvm && !strcmp(r->host.kvm, "e500v2");
		const char *cpu = e500 ? "e500v2" : "POWER8", *kvm = e500 ? "KVM e500v2" : "KVM PR";

		if (!r->host.lab)
			printf("lab:     no: a real %s host\n", kvm);
		else if (r->time_unit == PVX_UNIT_INSN)
			printf("lab:     yes: an emulated %s (QEMU TCG) counting instructions (icount); exit counts are %s's\n",
			       cpu, kvm);
		else
			printf("lab:     yes: an emulated %s (QEMU TCG); times are the emulator's wall clock, exit counts are %s's\n",
			       cpu, kvm);
	}
	printf("per op:  %s\n", pvx_unit_title(r->time_unit));
	printf("run:     %s, pvexit %s, git %s, suite %s\n", or_unknown(r->date),
	       or_unknown(r->tool_version), or_unknown(r->git_revision), or_unknown(r->suite));
	printf("build:   %s, %s, for %s\n\n", or_unknown(r->build.kind),
	       or_unknown(r->build.compiler), or_unknown(r->build.target));
}

static void print_table(const struct line *lines, size_t n, enum pvx_time_unit u)
{
	int short_ci = 0, any_fail = 0;
	char raw_h[40], pat_h[40];
	size_t i;

	snprintf(raw_h, sizeof(raw_h), "raw %s [95%% CI]", pvx_unit_per_op(u));
	snprintf(pat_h, sizeof(pat_h), "patched %s [95%% CI]", pvx_unit_per_op(u));
	printf("%-22s %-5s %-30s %-30s %9s %8s %8s %8s %-13s %s\n", "class", "guest", raw_h, pat_h,
	       "speedup", "exits raw", "patched", "saved", "irq/op r/p", "verdict");
	for (i = 0; i < n; i++) {
		const struct line *l = &lines[i];
		char raw[112], pat[112], sp[32], re[16], pe[16], sv[16], ri[16], pi[16], irq[40];

		fmt_ci(raw, sizeof(raw), l->raw_ns, l->raw_lo, l->raw_hi, l->raw_level, &short_ci);
		fmt_ci(pat, sizeof(pat), l->pat_ns, l->pat_lo, l->pat_hi, l->pat_level, &short_ci);
		pvx_fmt_num(sp, sizeof(sp) - 1, l->speedup);
		if (!isnan(l->speedup))
			strcat(sp, "x");
		fmt_fixed(re, sizeof(re), l->raw_exits);
		fmt_fixed(pe, sizeof(pe), l->pat_exits);
		fmt_fixed(sv, sizeof(sv), l->saved);
		fmt_fixed(ri, sizeof(ri), l->raw_irq);
		fmt_fixed(pi, sizeof(pi), l->pat_irq);
		/* Interrupts only matter where the scenario delivers some. */
		if ((isnan(l->raw_irq) || l->raw_irq == 0) &&
		    (isnan(l->pat_irq) || l->pat_irq == 0))
			snprintf(irq, sizeof(irq), "-");
		else
			snprintf(irq, sizeof(irq), "%s/%s", ri, pi);
		printf("%-22s %-5s %-30s %-30s %9s %8s %8s %8s %-13s %s\n", l->label, l->guest, raw,
		       pat, sp, re, pe, sv, irq, l->verdict);
		if (*l->failures)
			any_fail = 1;
	}
	if (short_ci)
		printf("\n* fewer than 6 repetitions: the interval is [min, max], which holds the "
		       "median with probability 1 - 2^(1-n) only (see ci_level in --json)\n");
	if (!any_fail)
		return;
	printf("\nfailures:\n");
	for (i = 0; i < n; i++)
		if (*lines[i].failures)
			printf("  %s %s: %s\n", lines[i].label, lines[i].guest, lines[i].failures);
}

/*
 * Per class and guest: what one exit costs, what the rewrite saves, and
 * what the rewrite itself costs (lib/headline.h).  In instructions these
 * are exact; in ns they carry the timer's noise.
 */
static void print_headlines(const struct pvx_results *r)
{
	struct pvx_headline *h;
	size_t i, n = pvx_headlines(r, &h);
	const char *u = pvx_unit_name(r->time_unit);
	char path[32], tramp[32];

	if (n) {
		printf("\nheadline (%s):\n", pvx_unit_title(r->time_unit));
		printf("%-22s %-5s %18s %18s %18s\n", "class", "guest", "exit path/exit",
		       "saved/op by PV", "PV's own cost/op");
	}
	for (i = 0; i < n; i++) {
		if (h[i].have_path)
			snprintf(path, sizeof(path), "%.1f %s", h[i].path, u);
		else
			snprintf(path, sizeof(path), "-");
		if (h[i].have_tramp)
			snprintf(tramp, sizeof(tramp), "%.3f %s", h[i].tramp, u);
		else
			snprintf(tramp, sizeof(tramp), "- (still exits)");
		printf("%-22s %-5s %18s %14.1f %-3s %18s\n", h[i].label, h[i].guest, path,
		       h[i].saved, u, tramp);
	}
	free(h);
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "csv", no_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	enum { HUMAN, JSON, CSV } form = HUMAN;
	struct pvx_results r;
	struct line *lines;
	size_t n, i;
	char err[512];
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
		case 'c':
			if (form != HUMAN) {
				pvx_err("--json and --csv exclude each other (try --help)");
				return 2;
			}
			form = c == 'j' ? JSON : CSV;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case ':':
		default:
			pvx_bad_option(c, argv);
			return 2;
		}
	}
	if (optind >= argc) {
		pvx_err("which results file? (usage: pvexit report FILE [--json | --csv])");
		return 2;
	}
	if (optind + 1 < argc) {
		pvx_err("unexpected argument '%s' (one results file at a time)", argv[optind + 1]);
		return 2;
	}
	if (pvx_results_load(argv[optind], &r, err, sizeof(err)) < 0) {
		pvx_err("%s", err);
		return 2;
	}
	if (!r.complete)
		pvx_warn("%s is incomplete (the run was interrupted): showing the %zu rows that "
			 "finished",
			 argv[optind], r.nrows);
	lines = build_lines(&r, &n);
	rc = 0;
	if (form == JSON) {
		/* A write that failed is said below; anything else is the writer's. */
		if (print_json(argv[optind], &r, lines, n) < 0 && !ferror(stdout)) {
			pvx_err("the JSON writer failed: %s", strerror(errno));
			rc = -1;
		}
	} else if (form == CSV) {
		print_csv(lines, n);
	} else {
		print_header(argv[optind], &r);
		print_table(lines, n, r.time_unit);
		print_headlines(&r);
	}
	if (pvx_stdout_check() < 0)
		rc = -1;
	for (i = 0; i < n; i++)
		free(lines[i].failures);
	free(lines);
	pvx_results_free(&r);
	return rc < 0 ? PVX_EXIT_ERROR : PVX_EXIT_OK;
}
