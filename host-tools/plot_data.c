// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit plot's tables: what the gnuplot scripts read.  Every figure
 * comes from the results model (results.h) here, so that the scripts
 * only draw and never compute.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvexit/channel.h>

#include "headline.h"
#include "names.h"
#include "plot_data.h"
#include "util.h"

/* The variants the figures compare, in column order. */
static const unsigned int variants[] = { PVX_VAR_RAW, PVX_VAR_PATCHED, PVX_VAR_BASELINE };
#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

#define LABEL_MAX 128
#define HIST_MAX 64

/* Distinct row labels, in the order they first appear. */
struct labels {
	char (*v)[LABEL_MAX];
	size_t n, cap;
};

static void labels_add(struct labels *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 32;
		l->v = pvx_xrealloc(l->v, l->cap, sizeof(*l->v));
	}
	snprintf(l->v[l->n++], LABEL_MAX, "%s", s);
}

static void labels_of(struct labels *l, const struct pvx_results *r, const char *guest)
{
	char buf[LABEL_MAX];
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		if (strcmp(r->rows[i].guest, guest))
			continue;
		pvx_row_label(&r->rows[i], buf, sizeof(buf));
		labels_add(l, buf);
	}
}

/* @v within the magnitudes gnuplot draws (PLOT_VALUE_MAX). */
static double drawable(double v)
{
	if (!isfinite(v) || v == 0)
		return v;
	if (fabs(v) > PLOT_VALUE_MAX)
		return copysign(PLOT_VALUE_MAX, v);
	if (fabs(v) < PLOT_VALUE_MIN)
		return copysign(PLOT_VALUE_MIN, v);
	return v;
}

/* A figure, or NaN (gnuplot's missing value) when there is none. */
static void num(FILE *f, struct plot_info *pi, double v)
{
	double d = drawable(v);

	pi->clamped += d != v && isfinite(v);
	if (isfinite(d))
		fprintf(f, "\t%.9g", d);
	else
		fputs("\tNaN", f);
}

/*
 * A string field: quoted, so that spaces stay inside it; gnuplot has no
 * escapes in data files, so quotes and control characters become '?'.
 */
static void str(FILE *f, const char *s, bool first)
{
	if (!first)
		fputc('\t', f);
	fputc('"', f);
	for (; *s; s++)
		fputc(*s == '"' || (unsigned char)*s < 0x20 ? '?' : *s, f);
	fputc('"', f);
}

static int finish(FILE *f)
{
	return fflush(f) || ferror(f) ? -1 : 0;
}

/* Append @w to the word list @buf (a plot_info field) unless it holds it. */
static void word_add(char *buf, size_t len, const char *w)
{
	size_t n = strlen(buf), wl = strlen(w);
	const char *p;

	for (p = strstr(buf, w); p; p = strstr(p + 1, w))
		if ((p == buf || p[-1] == ' ') && (p[wl] == ' ' || !p[wl]))
			return;
	snprintf(buf + n, len - n, "%s%s", n ? " " : "", w);
}

void plot_info_free(struct plot_info *pi)
{
	free(pi->labels);
	free(pi->series);
	memset(pi, 0, sizeof(*pi));
}

static const struct pvx_headline *headline_of(const struct pvx_headline *h, size_t n,
					      const char *label, const char *guest)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(h[i].label, label) && !strcmp(h[i].guest, guest))
			return &h[i];
	return NULL;
}

int plot_write_classes(FILE *f, const struct pvx_results *r, const char *guest,
		       struct plot_info *pi)
{
	const struct pvx_headline *hl;
	struct pvx_headline *h;
	struct labels l = { 0 };
	size_t i, k, nh;
	double speedup;

	fprintf(f, "label");
	for (k = 0; k < NVARIANTS; k++) {
		const char *v = pvx_variant_name(variants[k]);

		fprintf(f, "\t%s\t%s_lo\t%s_hi", v, v, v);
	}
	for (k = 0; k < NVARIANTS; k++)
		fprintf(f, "\t%s_exits", pvx_variant_name(variants[k]));
	fprintf(f, "\tspeedup\tspeedup_lo\tspeedup_hi\texits_saved\tsaved_per_op\tpath_per_exit"
		   "\tpv_cost_per_op\n");

	nh = pvx_headlines(r, &h);
	labels_of(&l, r, guest);
	for (i = 0; i < l.n; i++) {
		const struct pvx_row *row[NVARIANTS];
		const struct pvx_summary *raw, *pat;
		struct pvx_summary t[2];
		double path;

		for (k = 0; k < NVARIANTS; k++)
			row[k] = pvx_results_find(r, l.v[i], pvx_variant_name(variants[k]), guest);
		str(f, l.v[i], true);
		for (k = 0; k < NVARIANTS; k++) {
			num(f, pi, row[k] ? row[k]->time_per_op.median : NAN);
			num(f, pi, row[k] ? row[k]->time_per_op.ci_low : NAN);
			num(f, pi, row[k] ? row[k]->time_per_op.ci_high : NAN);
			/* The time figures are drawn on a log scale. */
			if (row[k] && row[k]->time_per_op.median > 0)
				word_add(pi->ns_variants, sizeof(pi->ns_variants),
					 pvx_variant_name(variants[k]));
			if (row[k] && variants[k] != PVX_VAR_BASELINE)
				word_add(pi->exit_variants, sizeof(pi->exit_variants),
					 pvx_variant_name(variants[k]));
		}
		for (k = 0; k < NVARIANTS; k++)
			num(f, pi, row[k] ? row[k]->exits_per_op : NAN);
		/* The ratios and differences of figures within the bounds
		 * gnuplot draws are finite: the decisions below hold for
		 * what is written. */
		for (k = 0; k < 2; k++) {
			if (!row[k])
				continue;
			t[k].median = drawable(row[k]->time_per_op.median);
			t[k].ci_low = drawable(row[k]->time_per_op.ci_low);
			t[k].ci_high = drawable(row[k]->time_per_op.ci_high);
		}
		raw = row[0] ? &t[0] : NULL;
		pat = row[1] ? &t[1] : NULL;
		speedup = raw && pat && raw->median > 0 && pat->median > 0 ?
				  raw->median / pat->median :
				  NAN;
		pi->speedup |= isfinite(speedup);
		/*
		 * The speedup's range pairs the intervals' opposite ends; it
		 * has no upper end when the patched interval reaches 0.
		 */
		num(f, pi, speedup);
		num(f, pi, isfinite(speedup) ? raw->ci_low / pat->ci_high : NAN);
		num(f, pi,
		    isfinite(speedup) && pat->ci_low > 0 ? raw->ci_high / pat->ci_low : speedup);
		num(f, pi,
		    row[0] && row[1] ?
			    drawable(row[0]->exits_per_op) - drawable(row[1]->exits_per_op) :
			    NAN);
		num(f, pi, raw && pat ? raw->median - pat->median : NAN);
		hl = headline_of(h, nh, l.v[i], guest);
		path = hl && hl->have_path ? hl->path : NAN;
		num(f, pi, path);
		num(f, pi, hl && hl->have_tramp ? hl->tramp : NAN);
		pi->headline |= isfinite(path);
		fputc('\n', f);
	}
	free(h);
	free(l.v);
	return finish(f) ? -1 : (int)l.n;
}

static const struct pvx_counter *bpf_counter(const struct pvx_row *row)
{
	size_t i;

	for (i = 0; i < row->ncounters; i++)
		if (!strcmp(row->counters[i].name, "bpf"))
			return &row->counters[i];
	return NULL;
}

/*
 * Sum the bpf histograms of @guest's rows of @variant; the total exits.
 * A valid file's bucket holds up to 2^63 - 1, so two rows' sum can pass
 * what a uint64_t holds: long double keeps 64 bits of mantissa or more
 * (x86's 80-bit, and PowerPC's double-double or binary128), so the sums
 * are exact until they pass 2^64 and close after.
 */
static long double hist_sum(const struct pvx_results *r, const char *guest, const char *variant,
			    long double *sum, size_t *nrows)
{
	long double total = 0;
	size_t i, b;

	for (b = 0; b < HIST_MAX; b++)
		sum[b] = 0;
	*nrows = 0;
	for (i = 0; i < r->nrows; i++) {
		const struct pvx_row *row = &r->rows[i];
		const struct pvx_counter *c;

		if (strcmp(row->guest, guest) || strcmp(row->variant, variant))
			continue;
		(*nrows)++;
		c = bpf_counter(row);
		if (!c || !c->available)
			continue;
		for (b = 0; b < c->nhist && b < HIST_MAX; b++) {
			sum[b] += (long double)c->hist[b];
			total += (long double)c->hist[b];
		}
	}
	return total;
}

bool plot_latency_why(const struct pvx_results *r, const char *guest, char *why, size_t len)
{
	const char *unavailable = NULL;
	bool any_bpf = false;
	size_t i, b;

	for (i = 0; i < r->nrows; i++) {
		const struct pvx_counter *c;

		if (strcmp(r->rows[i].guest, guest))
			continue;
		c = bpf_counter(&r->rows[i]);
		if (!c)
			continue;
		any_bpf = true;
		if (!c->available) {
			unavailable = unavailable ? unavailable : c->why;
			continue;
		}
		for (b = 0; b < c->nhist; b++)
			if (c->hist[b])
				return true;
	}
	if (unavailable)
		pvx_set_err(why, len, "the bpf collector did not count: %s", unavailable);
	else if (any_bpf)
		pvx_set_err(why, len, "the bpf collector kept no exit-latency histogram");
	else
		pvx_set_err(why, len, "no row has a bpf counter");
	return false;
}

/* A time in ns as a number and a unit that keep it to 3 digits or so. */
static const char *scaled(double ns, double *v)
{
	static const struct {
		double div;
		const char *unit;
	} units[] = { { 1e9, "s" }, { 1e6, "ms" }, { 1e3, "µs" }, { 1, "ns" } };
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]) - 1; i++)
		if (ns >= units[i].div)
			break;
	*v = ns / units[i].div;
	return units[i].unit;
}

/* Bucket @b's range: [2^b, 2^(b+1)) ns; the last one is open. */
static void bucket_range(size_t b, bool last, char *buf, size_t len)
{
	double lo, hi;
	const char *ulo = scaled(b ? ldexp(1, (int)b) : 0, &lo);
	const char *uhi = scaled(ldexp(1, (int)b + 1), &hi);

	if (last)
		snprintf(buf, len, "≥ %.3g %s", lo, ulo);
	else if (!strcmp(ulo, uhi) || !b)
		snprintf(buf, len, "%.3g–%.3g %s", lo, hi, uhi);
	else
		snprintf(buf, len, "%.3g %s–%.3g %s", lo, ulo, hi, uhi);
}

int plot_write_latency(FILE *f, const struct pvx_results *r, const char *guest,
		       struct plot_info *pi)
{
	long double sum[NVARIANTS][HIST_MAX], total[NVARIANTS];
	size_t nrows[NVARIANTS], i, k, b, first = HIST_MAX, last = 0, nbuckets = 0;
	char head[64], range[64];

	for (k = 0; k < NVARIANTS; k++) {
		total[k] = hist_sum(r, guest, pvx_variant_name(variants[k]), sum[k], &nrows[k]);
		if (total[k])
			word_add(pi->lat_variants, sizeof(pi->lat_variants),
				 pvx_variant_name(variants[k]));
		for (b = 0; b < HIST_MAX; b++) {
			if (!sum[k][b])
				continue;
			first = b < first ? b : first;
			last = b > last ? b : last;
		}
	}
	/* Where the histograms end: the last bucket counts all that is longer. */
	for (i = 0; i < r->nrows; i++) {
		const struct pvx_counter *c = bpf_counter(&r->rows[i]);

		if (c && c->available && c->nhist > nbuckets && !strcmp(r->rows[i].guest, guest))
			nbuckets = c->nhist;
	}
	fprintf(f, "bucket\trange");
	for (k = 0; k < NVARIANTS; k++) {
		if (nrows[k])
			snprintf(head, sizeof(head), "%s (%.0Lf exits)",
				 pvx_variant_name(variants[k]), total[k]);
		else
			snprintf(head, sizeof(head), "%s (not run)", pvx_variant_name(variants[k]));
		str(f, head, false);
	}
	fputc('\n', f);
	for (b = first; b <= last && first < HIST_MAX; b++) {
		bucket_range(b, b + 1 == nbuckets, range, sizeof(range));
		fprintf(f, "%zu", b);
		str(f, range, false);
		for (k = 0; k < NVARIANTS; k++)
			num(f, pi, total[k] ? (double)(100 * sum[k][b] / total[k]) : NAN);
		fputc('\n', f);
	}
	return finish(f);
}

void plot_short_date(const char *iso, char *buf, size_t len)
{
	if (strlen(iso) >= 16 && iso[10] == 'T')
		snprintf(buf, len, "%.10s %.5s", iso, iso + 11);
	else
		snprintf(buf, len, "%s", iso);
}

/*
 * The trend table's column (from 1, as gnuplot counts) of label @j's
 * (from 0) ns/op of variant @k (0 raw, 1 patched); its change in percent
 * is 2 columns on.
 */
#define TREND_COL(j, k) (4 + 4 * (j) + (k))

/* @v as a change from @first in percent; NaN when there is none. */
static double change(double v, double first)
{
	return isfinite(v) && isfinite(first) && first > 0 ? 100.0 * (v - first) / first : NAN;
}

int plot_write_trend(FILE *f, const struct pvx_results *const *rs, const char *const *names,
		     size_t n, const char *guest, struct plot_info *pi)
{
	static const char *const suffix[] = { "", ":patched", ":raw%", ":patched%" };
	struct labels l = { 0 };
	double *first; /* the first positive ns/op: a log scale shows no other */
	char date[32], head[LABEL_MAX + 16];
	size_t i, j, k, len;
	FILE *words;

	for (i = 0; i < n; i++)
		labels_of(&l, rs[i], guest);
	words = open_memstream(&pi->labels, &len);
	for (j = 0; words && j < l.n; j++)
		fprintf(words, "%s%s", j ? " " : "", l.v[j]);
	if (!words || fclose(words))
		pvx_oom();
	/*
	 * Per label: raw, patched, then both as a change from the first
	 * file that has them (TREND_COL).
	 */
	fprintf(f, "file\trevision\tdate");
	for (j = 0; j < l.n; j++) {
		for (k = 0; k < 4; k++) {
			snprintf(head, sizeof(head), "%s%s", l.v[j], suffix[k]);
			str(f, head, false);
		}
	}
	fputc('\n', f);
	first = pvx_xcalloc(2 * l.n + 1, sizeof(*first));
	for (j = 0; j < 2 * l.n; j++)
		first[j] = NAN;
	for (i = 0; i < n; i++) {
		const char *rev = rs[i]->git_revision;
		const char *base = strrchr(names[i], '/') ? strrchr(names[i], '/') + 1 : names[i];

		plot_short_date(rs[i]->date, date, sizeof(date));
		fprintf(f, "%zu", i + 1);
		str(f, strcmp(rev, "unknown") ? rev : base, false);
		str(f, date, false);
		for (j = 0; j < l.n; j++) {
			double v[2];

			for (k = 0; k < 2; k++) {
				const struct pvx_row *row = pvx_results_find(
					rs[i], l.v[j], pvx_variant_name(variants[k]), guest);

				double m = row ? row->time_per_op.median : NAN;

				v[k] = drawable(m);
				pi->clamped += isfinite(m) && v[k] != m;
				if (!isfinite(first[2 * j + k]) && v[k] > 0)
					first[2 * j + k] = v[k];
				num(f, pi, v[k]);
			}
			for (k = 0; k < 2; k++)
				num(f, pi, change(v[k], first[2 * j + k]));
		}
		fputc('\n', f);
	}
	/* The columns with a value, in the order of the header. */
	words = open_memstream(&pi->series, &len);
	for (j = 0; words && j < 2 * l.n; j++)
		if (isfinite(first[j]))
			fprintf(words, "%s%zu", ftell(words) ? " " : "", TREND_COL(j / 2, j % 2));
	if (!words || fclose(words))
		pvx_oom();
	free(first);
	free(l.v);
	return finish(f) ? -1 : (int)l.n;
}
