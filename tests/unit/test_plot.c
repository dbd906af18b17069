// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit plot's C side: the per-class table keeps every value within
 * what gnuplot draws, whatever a valid results file holds, and the
 * staging directory's commit is all or nothing, and undone on abort.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot_data.h"
#include "plot_gnuplot.h"
#include "results.h"
#include "unit.h"
#include "util.h"

static void add(struct pvx_results *r, const char *variant, double lo, double med, double hi,
		double exits)
{
	struct pvx_row *row = pvx_results_add_row(r);

	row->cls = pvx_xstrdup("mfmsr");
	row->cs = pvx_xstrdup("");
	row->variant = pvx_xstrdup(variant);
	row->guest = pvx_xstrdup("be");
	row->verdict = pvx_xstrdup("ok");
	row->time_per_op.ci_low = lo;
	row->time_per_op.median = med;
	row->time_per_op.ci_high = hi;
	row->exits_per_op = exits;
}

/* Whether every field of every line after the header of @table is a
 * quoted label, NaN, 0 or a number gnuplot draws. */
static bool drawable_table(char *table, bool *finite_speedup)
{
	char *line, *field, *save_line, *save_field;
	int n;

	line = strtok_r(table, "\n", &save_line);
	for (line = strtok_r(NULL, "\n", &save_line); line;
	     line = strtok_r(NULL, "\n", &save_line)) {
		n = 0;
		for (field = strtok_r(line, "\t", &save_field); field;
		     field = strtok_r(NULL, "\t", &save_field), n++) {
			double v;
			char *end;

			if (field[0] == '"' || !strcmp(field, "NaN"))
				continue;
			v = strtod(field, &end);
			if (*end || !isfinite(v) ||
			    (v != 0 && (fabs(v) > PLOT_VALUE_MAX || fabs(v) < PLOT_VALUE_MIN)))
				return false;
			/* label, 3 x 3 times, 3 exits: the speedup is field 13 */
			if (n == 13)
				*finite_speedup = true;
		}
	}
	return true;
}

static void extremes(void)
{
	struct pvx_results r = { 0 };
	struct plot_info pi = { 0 };
	bool speedup = false;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int n;

	r.git_revision = pvx_xstrdup("unknown");
	r.date = pvx_xstrdup("");
	/* Valid for report: non-negative, the median inside its interval. */
	add(&r, "raw", 1e308, 1e308, 1.7976931348623157e308, 1e308);
	add(&r, "patched", 0, 5e-324, 1e-300, 0);
	add(&r, "baseline", 5e-324, 1e-320, 2.2e-308, 5e-324);
	f = open_memstream(&buf, &len);
	n = f ? plot_write_classes(f, &r, "be", &pi) : -1;
	if (f)
		fclose(f);
	CHECK("extremes: one label written", n == 1);
	CHECK("extremes: every value within what gnuplot draws",
	      buf && drawable_table(buf, &speedup));
	CHECK("extremes: the speedup of DBL_MAX over a subnormal is drawn, not lost", speedup);
	CHECK("extremes: the values drawn at a bound are counted", pi.clamped >= 6);
	CHECK_STR_CONTAINS("extremes: every variant has a time to draw", pi.ns_variants,
			   "raw patched baseline");
	CHECK("extremes: the speedup figure is drawn", pi.speedup);
	plot_info_free(&pi);
	free(buf);
	pvx_results_free(&r);
}

/* Three raw rows whose bpf histograms hold the most a valid file may
 * in each of 64 buckets: the sums pass 2^64, and every bucket is still
 * 1/64 of the exits, with the count in the key. */
static void latency_extremes(void)
{
	struct pvx_results r = { 0 };
	struct plot_info pi = { 0 };
	char *buf = NULL, *line, *save;
	size_t len = 0, i, b, rows = 0, good = 0;
	FILE *f;
	int ret;

	r.git_revision = pvx_xstrdup("unknown");
	r.date = pvx_xstrdup("");
	for (i = 0; i < 3; i++) {
		struct pvx_row *row;
		struct pvx_counter *c;

		add(&r, "raw", 1, 1, 1, 1);
		row = &r.rows[r.nrows - 1];
		row->counters = pvx_xcalloc(1, sizeof(*row->counters));
		row->ncounters = 1;
		c = row->counters;
		c->name = pvx_xstrdup("bpf");
		c->available = true;
		c->nhist = 64;
		c->hist = pvx_xcalloc(64, sizeof(*c->hist));
		for (b = 0; b < 64; b++)
			c->hist[b] = INT64_MAX;
	}
	f = open_memstream(&buf, &len);
	ret = f ? plot_write_latency(f, &r, "be", &pi) : -1;
	if (f)
		fclose(f);
	CHECK("latency extremes: written", ret == 0 && buf);
	/* 3 x 64 x (2^63 - 1) = 1770887431076116954944, past 2^64: to 17
	 * digits, as a long double of 64 bits of mantissa has it */
	CHECK_STR_CONTAINS("latency extremes: the key counts every exit", buf ? buf : "",
			   "raw (17708874310761169");
	for (line = buf ? strtok_r(buf, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!rows++)
			continue;
		good += strstr(line, "\t1.5625\tNaN\tNaN") != NULL;
	}
	CHECK("latency extremes: 64 buckets, each 1.5625% of the exits", rows == 65 && good == 64);
	plot_info_free(&pi);
	free(buf);
	pvx_results_free(&r);
}

static char base[1024];

static void put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* What @dir/@name holds ("" when it is missing or not a file). */
static const char *get(const char *dir, const char *name)
{
	static char text[64];
	char path[PATH_MAX];
	FILE *f;
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (f) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
	}
	text[n] = '\0';
	return text;
}

/* @dir/@name, until the next call. */
static const char *in(const char *dir, const char *name)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* How many entries @dir holds. */
static int entries(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	while (d && (e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	return n;
}

/* A staging directory in @out holding new "a", "b" and "c". */
static int stage(struct plot_stage *st, const char *out)
{
	static const char *const names[] = { "a", "b", "c" };
	struct stat sb;
	size_t i;

	if (plot_stage_open(st, out))
		return -1;
	for (i = 0; i < 3; i++) {
		put(st->dir, names[i], "new");
		plot_stage_add(st, names[i]);
	}
	return stat(st->dir, &sb) || (sb.st_mode & 0777) != 0700 ? -1 : 0;
}

static void staging(void)
{
	struct plot_stage st;
	char out[1100];
	int rc;

	snprintf(out, sizeof(out), "%s/out", base);
	mkdir(out, 0755);
	put(out, "b", "old b");
	put(out, "c", "old c");
	put(out, "mine", "mine");

	CHECK("stage: made 0700 inside the output directory", stage(&st, out) == 0);
	rc = plot_stage_commit(&st);
	CHECK("stage: committed", rc == 0);
	CHECK("stage: the new files in place",
	      !strcmp(get(out, "a"), "new") && !strcmp(get(out, "c"), "new"));
	plot_stage_abort(&st);
	CHECK("stage: an abort after the commit puts the old files back",
	      !strcmp(get(out, "b"), "old b") && !strcmp(get(out, "c"), "old c"));
	CHECK("stage: and removes the new ones and itself",
	      !*get(out, "a") && access(st.dir, F_OK) && entries(out) == 3);

	unlink(in(out, "c"));
	mkdir(in(out, "c"), 0755);
	CHECK("stage: again", stage(&st, out) == 0);
	CHECK("stage: a directory where a file goes fails the commit",
	      plot_stage_commit(&st) == -1);
	plot_stage_abort(&st);
	CHECK("stage: before any rename",
	      !strcmp(get(out, "b"), "old b") && !*get(out, "a") && entries(out) == 3);
	rmdir(in(out, "c"));

	CHECK("stage: a third time", stage(&st, out) == 0);
	CHECK("stage: committed", plot_stage_commit(&st) == 0);
	plot_stage_finish(&st);
	CHECK("stage: finished, the new files stay and the staging directory goes",
	      !strcmp(get(out, "a"), "new") && !strcmp(get(out, "b"), "new") &&
		      !strcmp(get(out, "c"), "new") && !strcmp(get(out, "mine"), "mine") &&
		      entries(out) == 4);
	unlink(in(out, "a"));
	unlink(in(out, "b"));
	unlink(in(out, "c"));
	unlink(in(out, "mine"));
	rmdir(out);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	extremes();
	latency_extremes();
	snprintf(base, sizeof(base), "%s/pvexit-unit-plot-XXXXXX", t && t[0] == '/' ? t : "/tmp");
	if (!mkdtemp(base)) {
		CHECK("a scratch directory", 0);
		return unit_done();
	}
	staging();
	rmdir(base);
	CHECK("scratch directory: nothing left in it", access(base, F_OK) && errno == ENOENT);
	return unit_done();
}
