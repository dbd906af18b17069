// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit compare: two results files, row by row (class/case, variant,
 * guest).  Time is judged on the per-repetition samples (a bootstrap
 * interval for the change of the median and a Mann-Whitney test, so a
 * noisy run is not called a regression); exits per op are counts and are
 * compared as they are.  The exit status makes it a CI gate.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "json.h"
#include "results.h"
#include "stats.h"
#include "table_fmt.h"
#include "util.h"

#define COMPARE_VERSION 2 /* 2: time_unit; a_per_op for a_ns_per_op */
#define DEFAULT_THRESHOLD 5.0

/* Exit statuses: the convention of every subcommand (util.h). */
#define CMP_OK PVX_EXIT_OK
#define CMP_REGRESSED PVX_EXIT_FINDING
#define CMP_USAGE PVX_EXIT_ERROR

struct cmp_row {
	char label[96];
	const struct pvx_row *a, *b;
	struct pvx_change time;
	enum pvx_verdict time_v, exits_v, verdict;
};

struct cmp {
	const char *path_a, *path_b;
	struct pvx_results ra, rb;
	double threshold;
	struct cmp_row *rows;
	size_t nrows;
	const struct pvx_row **only_a, **only_b;
	size_t nonly_a, nonly_b;
	size_t count[3]; /* by enum pvx_verdict */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvexit compare A B [--threshold PCT] [--json]\n"
		"\n"
		"Compare two results files (A the baseline, B the new run) row by row: every\n"
		"class/case, variant and guest present in both.  For each: the median time (or\n"
		"emulated instructions, for results of the lab under icount) per op of\n"
		"A and B, the change in percent with its 95%% interval (percentile bootstrap of\n"
		"the ratio of medians, %d resamples, fixed seed), the two-sided Mann-Whitney p,\n"
		"and exits/op of both.\n"
		"\n"
		"  regressed  p < %.2f and B slower than A by more than PCT%%, or B's exits/op\n"
		"             above A's by more than %.3f + PCT%% of A's\n"
		"  improved   the same, faster or fewer exits (and nothing regressed)\n"
		"  same       everything else\n"
		"Rows found in only one file are listed, not an error.\n"
		"\n"
		"  -t, --threshold PCT  the change that matters, in percent (default %g)\n"
		"      --json           one JSON object instead of the table\n"
		"  -h, --help           this text\n"
		"\n"
		"Exit status: 0 nothing regressed, 1 a row regressed beyond the threshold,\n"
		"2 bad usage, an unreadable or malformed file, files of two time units, or\n"
		"standard output not written (one error line).\n",
		PVX_BOOT_RESAMPLES, PVX_ALPHA, PVX_EXITS_SLACK, DEFAULT_THRESHOLD);
}

static enum pvx_verdict worse(enum pvx_verdict x, enum pvx_verdict y)
{
	if (x == PVX_REGRESSED || y == PVX_REGRESSED)
		return PVX_REGRESSED;
	if (x == PVX_IMPROVED || y == PVX_IMPROVED)
		return PVX_IMPROVED;
	return PVX_SAME;
}

static void judge(struct cmp *c, struct cmp_row *cr)
{
	const struct pvx_row *a = cr->a, *b = cr->b;

	pvx_compare_samples(a->time_samples, a->nsamples, b->time_samples, b->nsamples, &cr->time);
	/* A file without samples still has its medians; with nothing to test they never differ
	 * significantly. */
	if (!a->nsamples || !b->nsamples) {
		cr->time.median_a = a->time_per_op.median;
		cr->time.median_b = b->time_per_op.median;
		cr->time.defined = cr->time.median_a != 0;
		cr->time.delta_pct =
			cr->time.defined ? (cr->time.median_b / cr->time.median_a - 1) * 100 : 0;
		cr->time.ci_low = cr->time.ci_high = NAN;
	}
	cr->time_v = pvx_time_verdict(&cr->time, c->threshold);
	cr->exits_v = pvx_exits_verdict(a->exits_per_op, b->exits_per_op, c->threshold);
	cr->verdict = worse(cr->time_v, cr->exits_v);
	c->count[cr->verdict]++;
}

static void match(struct cmp *c)
{
	size_t i;

	c->rows = pvx_xcalloc(c->ra.nrows ? c->ra.nrows : 1, sizeof(*c->rows));
	c->only_a = pvx_xcalloc(c->ra.nrows ? c->ra.nrows : 1, sizeof(*c->only_a));
	c->only_b = pvx_xcalloc(c->rb.nrows ? c->rb.nrows : 1, sizeof(*c->only_b));
	for (i = 0; i < c->ra.nrows; i++) {
		const struct pvx_row *a = &c->ra.rows[i], *b;
		struct cmp_row *cr;
		char label[96];

		pvx_row_label(a, label, sizeof(label));
		/* A duplicate row in A is judged once, by its first appearance. */
		if (pvx_results_find(&c->ra, label, a->variant, a->guest) != a)
			continue;
		b = pvx_results_find(&c->rb, label, a->variant, a->guest);
		if (!b) {
			c->only_a[c->nonly_a++] = a;
			continue;
		}
		cr = &c->rows[c->nrows++];
		memcpy(cr->label, label, sizeof(label));
		cr->a = a;
		cr->b = b;
		judge(c, cr);
	}
	for (i = 0; i < c->rb.nrows; i++) {
		const struct pvx_row *b = &c->rb.rows[i];
		char label[96];

		pvx_row_label(b, label, sizeof(label));
		if (pvx_results_find(&c->rb, label, b->variant, b->guest) != b)
			continue;
		if (!pvx_results_find(&c->ra, label, b->variant, b->guest))
			c->only_b[c->nonly_b++] = b;
	}
}

/* A header string of a file, printable. */
static const char *or_unknown(const char *s)
{
	return s && *s ? pvx_safe(s) : "unknown";
}

static void fmt_pct(char *buf, size_t len, double v)
{
	/* A change that rounds to zero has no sign worth showing. */
	if (isfinite(v) && fabs(v) < 0.05)
		snprintf(buf, len, "+0.0%%");
	else if (isfinite(v))
		snprintf(buf, len, "%+.1f%%", v);
	else
		snprintf(buf, len, "-");
}

static void print_source(const char *tag, const char *path, const struct pvx_results *r)
{
	printf("%s: %s (%s, git %s, kernel %s, %s%s)\n", tag, pvx_safe(path), or_unknown(r->date),
	       or_unknown(r->git_revision), or_unknown(r->host.kernel_release),
	       r->host.lab ? "lab" : "hardware", r->complete ? "" : ", INCOMPLETE");
}

static void print_only(const char *tag, const struct pvx_row *const *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char label[96];

		pvx_row_label(rows[i], label, sizeof(label));
		printf("only in %s: %s %s %s\n", tag, label, rows[i]->guest, rows[i]->variant);
	}
}

static void print_table(const struct cmp *c)
{
	char ha[24], hb[24];
	size_t i;

	print_source("A", c->path_a, &c->ra);
	print_source("B", c->path_b, &c->rb);
	if (c->ra.host.lab != c->rb.host.lab ||
	    strcmp(or_unknown(c->ra.host.kernel_release), or_unknown(c->rb.host.kernel_release)))
		printf("note: A and B ran on different hosts; times may differ for that alone\n");
	printf("threshold: %g%% (time: p < %.2f and beyond it; exits/op: beyond %.3f + %g%% of A)\n\n",
	       c->threshold, PVX_ALPHA, PVX_EXITS_SLACK, c->threshold);
	snprintf(ha, sizeof(ha), "A %s", pvx_unit_per_op(c->ra.time_unit));
	snprintf(hb, sizeof(hb), "B %s", pvx_unit_per_op(c->ra.time_unit));
	printf("%-22s %-5s %-8s %10s %10s %-28s %8s %9s %9s %s\n", "class", "guest", "variant", ha,
	       hb, "change [95% CI]", "p", "A exits", "B exits", "verdict");
	for (i = 0; i < c->nrows; i++) {
		const struct cmp_row *cr = &c->rows[i];
		char ma[32], mb[32], d[24], lo[24], hi[24], ch[80], p[24];

		pvx_fmt_num(ma, sizeof(ma), cr->time.median_a);
		pvx_fmt_num(mb, sizeof(mb), cr->time.median_b);
		if (!cr->time.defined) {
			snprintf(ch, sizeof(ch), "- (A is 0)");
		} else {
			fmt_pct(d, sizeof(d), cr->time.delta_pct);
			fmt_pct(lo, sizeof(lo), cr->time.ci_low);
			fmt_pct(hi, sizeof(hi), cr->time.ci_high);
			if (isfinite(cr->time.ci_low))
				snprintf(ch, sizeof(ch), "%s [%s, %s]", d, lo, hi);
			else
				snprintf(ch, sizeof(ch), "%s (no samples)", d);
		}
		snprintf(p, sizeof(p), "%.3g", cr->time.p_value);
		printf("%-22s %-5s %-8s %10s %10s %-28s %8s %9.3f %9.3f %s%s\n", cr->label,
		       cr->a->guest, cr->a->variant, ma, mb, ch, p, cr->a->exits_per_op,
		       cr->b->exits_per_op, pvx_verdict_name(cr->verdict),
		       cr->exits_v != PVX_SAME ? " (exits)" : "");
	}
	if (c->nonly_a || c->nonly_b)
		putchar('\n');
	print_only("A", c->only_a, c->nonly_a);
	print_only("B", c->only_b, c->nonly_b);
	printf("\n%zu rows compared: %zu regressed, %zu improved, %zu same; %zu only in A, %zu only "
	       "in B\n",
	       c->nrows, c->count[PVX_REGRESSED], c->count[PVX_IMPROVED], c->count[PVX_SAME],
	       c->nonly_a, c->nonly_b);
}

static void json_source(struct pvx_json_writer *w, const char *key, const char *path,
			const struct pvx_results *r)
{
	pvx_jw_key(w, key);
	pvx_jw_begin_object(w, true);
	pvx_jw_key_string(w, "file", path);
	pvx_jw_key_string(w, "date", r->date);
	pvx_jw_key_string(w, "git_revision", r->git_revision);
	pvx_jw_key_string(w, "kernel_release", r->host.kernel_release);
	pvx_jw_key_bool(w, "lab", r->host.lab);
	pvx_jw_key_bool(w, "complete", r->complete);
	pvx_jw_end_object(w);
}

/* Opens the row's object with the members that name it; the caller closes it. */
static void json_key(struct pvx_json_writer *w, const struct pvx_row *row)
{
	char label[96];

	pvx_row_label(row, label, sizeof(label));
	pvx_jw_begin_object(w, true);
	pvx_jw_key_string(w, "label", label);
	pvx_jw_key_string(w, "class", row->cls);
	pvx_jw_key_string(w, "case", row->cs);
	pvx_jw_key_string(w, "guest", row->guest);
	pvx_jw_key_string(w, "variant", row->variant);
}

static void json_only(struct pvx_json_writer *w, const char *key, const struct pvx_row *const *rows,
		      size_t n)
{
	size_t i;

	pvx_jw_key(w, key);
	pvx_jw_begin_array(w, false);
	for (i = 0; i < n; i++) {
		json_key(w, rows[i]);
		pvx_jw_end_object(w);
	}
	pvx_jw_end_array(w);
}

static void json_num(struct pvx_json_writer *w, const char *key, double v)
{
	pvx_jw_key(w, key);
	pvx_jw_double_or_null(w, v);
}

/* The comparison as one JSON object.  Return: 0, or -1 with errno set. */
static int print_json(const struct cmp *c)
{
	struct pvx_json_writer w;
	size_t i;

	pvx_jw_init(&w, stdout);
	pvx_jw_begin_object(&w, false);
	pvx_jw_key_u64(&w, "compare_version", COMPARE_VERSION);
	json_source(&w, "a", c->path_a, &c->ra);
	json_source(&w, "b", c->path_b, &c->rb);
	pvx_jw_key_string(&w, "time_unit", pvx_unit_name(c->ra.time_unit));
	json_num(&w, "threshold_pct", c->threshold);
	json_num(&w, "alpha", PVX_ALPHA);
	pvx_jw_key_u64(&w, "bootstrap_resamples", PVX_BOOT_RESAMPLES);
	pvx_jw_key(&w, "rows");
	pvx_jw_begin_array(&w, false);
	for (i = 0; i < c->nrows; i++) {
		const struct cmp_row *cr = &c->rows[i];
		const struct pvx_change *t = &cr->time;

		json_key(&w, cr->a);
		json_num(&w, "a_per_op", t->median_a);
		json_num(&w, "b_per_op", t->median_b);
		json_num(&w, "delta_pct", t->defined ? t->delta_pct : NAN);
		json_num(&w, "delta_ci_low", t->defined ? t->ci_low : NAN);
		json_num(&w, "delta_ci_high", t->defined ? t->ci_high : NAN);
		json_num(&w, "p_value", t->p_value);
		pvx_jw_key_bool(&w, "significant", t->significant);
		json_num(&w, "a_exits_per_op", cr->a->exits_per_op);
		json_num(&w, "b_exits_per_op", cr->b->exits_per_op);
		pvx_jw_key_string(&w, "time_verdict", pvx_verdict_name(cr->time_v));
		pvx_jw_key_string(&w, "exits_verdict", pvx_verdict_name(cr->exits_v));
		pvx_jw_key_string(&w, "verdict", pvx_verdict_name(cr->verdict));
		pvx_jw_end_object(&w);
	}
	pvx_jw_end_array(&w);
	json_only(&w, "only_in_a", c->only_a, c->nonly_a);
	json_only(&w, "only_in_b", c->only_b, c->nonly_b);
	pvx_jw_key(&w, "summary");
	pvx_jw_begin_object(&w, true);
	pvx_jw_key_u64(&w, "compared", c->nrows);
	pvx_jw_key_u64(&w, "regressed", c->count[PVX_REGRESSED]);
	pvx_jw_key_u64(&w, "improved", c->count[PVX_IMPROVED]);
	pvx_jw_key_u64(&w, "same", c->count[PVX_SAME]);
	pvx_jw_key_u64(&w, "only_in_a", c->nonly_a);
	pvx_jw_key_u64(&w, "only_in_b", c->nonly_b);
	pvx_jw_end_object(&w);
	pvx_jw_end_object(&w);
	return pvx_jw_finish(&w);
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct cmp c = { .threshold = DEFAULT_THRESHOLD };
	bool json = false;
	char err[512];
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":t:h", opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			if (pvx_parse_percent("--threshold", optarg, &c.threshold) < 0)
				return CMP_USAGE;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			usage(stdout);
			return CMP_OK;
		case ':':
		default:
			pvx_bad_option(opt, argv);
			return CMP_USAGE;
		}
	}
	if (argc - optind != 2) {
		if (argc - optind < 2)
			pvx_err("two results files wanted, A (baseline) and B (new) (try --help)");
		else
			pvx_err("unexpected argument '%s' (two results files, A and B)",
				argv[optind + 2]);
		return CMP_USAGE;
	}
	c.path_a = argv[optind];
	c.path_b = argv[optind + 1];
	if (pvx_results_load(c.path_a, &c.ra, err, sizeof(err)) < 0) {
		pvx_err("%s", err);
		return CMP_USAGE;
	}
	if (pvx_results_load(c.path_b, &c.rb, err, sizeof(err)) < 0) {
		pvx_results_free(&c.ra);
		pvx_err("%s", err);
		return CMP_USAGE;
	}
	if (c.ra.time_unit != c.rb.time_unit) {
		pvx_err("%s counts %s per op, %s %s: no comparison across time units (lab/run --clock chooses)",
			c.path_a, pvx_unit_name(c.ra.time_unit), c.path_b,
			pvx_unit_name(c.rb.time_unit));
		pvx_results_free(&c.ra);
		pvx_results_free(&c.rb);
		return CMP_USAGE;
	}
	if (!c.ra.complete)
		pvx_warn("%s is incomplete (the run was interrupted): comparing the rows it has",
			 c.path_a);
	if (!c.rb.complete)
		pvx_warn("%s is incomplete (the run was interrupted): comparing the rows it has",
			 c.path_b);
	match(&c);
	rc = c.count[PVX_REGRESSED] ? CMP_REGRESSED : CMP_OK;
	if (json) {
		/* A write that failed is said below; anything else is the writer's. */
		if (print_json(&c) < 0 && !ferror(stdout)) {
			pvx_err("the JSON writer failed: %s", strerror(errno));
			rc = CMP_USAGE;
		}
	} else {
		print_table(&c);
	}
	if (pvx_stdout_check() < 0)
		rc = CMP_USAGE;
	free(c.rows);
	free(c.only_a);
	free(c.only_b);
	pvx_results_free(&c.ra);
	pvx_results_free(&c.rb);
	return rc;
}
