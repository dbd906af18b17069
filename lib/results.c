// SPDX-License-Identifier: GPL-2.0-only
/*
 * Results files: the model of results.h, written as JSON or CSV
 * (docs/results.md) and saved atomically.  Loading is in results_load.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "json.h"
#include "results.h"
#include "table_fmt.h"
#include "util.h"

static const char *str(const char *s)
{
	return s ? s : "";
}

void pvx_row_label(const struct pvx_row *row, char *buf, size_t len)
{
	if (row->cs && row->cs[0])
		snprintf(buf, len, "%s/%s", str(row->cls), row->cs);
	else
		snprintf(buf, len, "%s", str(row->cls));
}

struct pvx_row *pvx_results_add_row(struct pvx_results *r)
{
	struct pvx_row *row;

	r->rows = pvx_xrealloc(r->rows, r->nrows + 1, sizeof(*r->rows));
	row = &r->rows[r->nrows++];
	memset(row, 0, sizeof(*row));
	return row;
}

const struct pvx_row *pvx_results_find(const struct pvx_results *r, const char *label,
				       const char *variant, const char *guest)
{
	const char *slash = strchr(label, '/');
	size_t clen = slash ? (size_t)(slash - label) : strlen(label);
	const char *cs = slash ? slash + 1 : "";
	size_t i;

	for (i = 0; i < r->nrows; i++) {
		const struct pvx_row *row = &r->rows[i];
		const char *cls = str(row->cls);

		if (strlen(cls) == clen && !strncmp(cls, label, clen) &&
		    !strcmp(str(row->cs), cs) && !strcmp(str(row->variant), variant) &&
		    !strcmp(str(row->guest), guest))
			return row;
	}
	return NULL;
}

/* --- what a file cannot say ---------------------------------------------- */

/*
 * JSON has no NaN or infinity, a map with a name twice would not read
 * back, nor would an integer past what jansson holds (json_int_t): such a
 * model is refused whole, naming the member, before anything is written.
 */
static bool finite_at(double x, const char *where, char *err, size_t errlen)
{
	if (isfinite(x))
		return true;
	pvx_set_err(err, errlen, "%s: not a finite number (%g)", where, x);
	return false;
}

static bool int_at(uint64_t x, const char *where, char *err, size_t errlen)
{
	if (x <= (uint64_t)INT64_MAX)
		return true;
	pvx_set_err(err, errlen, "%s: %llu is past the largest integer a results file holds (%lld)",
		    where, (unsigned long long)x, (long long)INT64_MAX);
	return false;
}

static bool map_ok(const struct pvx_kv *kv, size_t n, const char *where, char *err, size_t errlen)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		if (!isfinite(kv[i].value)) {
			pvx_set_err(err, errlen, "%s.%s: not a finite number (%g)", where,
				    str(kv[i].name), kv[i].value);
			return false;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(str(kv[i].name), str(kv[j].name))) {
				pvx_set_err(err, errlen, "%s: the name \"%s\" twice", where,
					    str(kv[i].name));
				return false;
			}
	}
	return true;
}

static bool row_ok(const struct pvx_row *row, size_t ri, char *err, size_t errlen)
{
	const double summary[] = { row->time_per_op.median,  row->time_per_op.ci_low,
				   row->time_per_op.ci_high, row->time_per_op.ci_level,
				   row->exits_per_op,	     row->irq_per_op };
	static const char *const names[] = { "time_per_op.median",  "time_per_op.ci_low",
					     "time_per_op.ci_high", "time_per_op.ci_level",
					     "exits_per_op",	    "irq_per_op" };
	char where[96];
	size_t i, j;

	snprintf(where, sizeof(where), "rows[%zu].iterations", ri);
	if (!int_at(row->iterations, where, err, errlen))
		return false;
	snprintf(where, sizeof(where), "rows[%zu].patch.found", ri);
	if (!int_at(row->patch.found, where, err, errlen))
		return false;
	snprintf(where, sizeof(where), "rows[%zu].patch.patched", ri);
	if (!int_at(row->patch.patched, where, err, errlen))
		return false;
	for (i = 0; i < row->nsamples; i++) {
		snprintf(where, sizeof(where), "rows[%zu].time_samples[%zu]", ri, i);
		if (!finite_at(row->time_samples[i], where, err, errlen))
			return false;
	}
	for (i = 0; i < sizeof(summary) / sizeof(summary[0]); i++) {
		snprintf(where, sizeof(where), "rows[%zu].%s", ri, names[i]);
		if (!finite_at(summary[i], where, err, errlen))
			return false;
	}
	for (i = 0; i < row->ncounters; i++) {
		const struct pvx_counter *c = &row->counters[i];

		for (j = 0; j < i; j++)
			if (!strcmp(str(c->name), str(row->counters[j].name))) {
				pvx_set_err(
					err, errlen,
					"rows[%zu].counters[%zu]: a second counter named \"%s\"",
					ri, i, str(c->name));
				return false;
			}
		if (!c->available)
			continue;
		snprintf(where, sizeof(where), "rows[%zu].counters[%zu].exits_per_op", ri, i);
		if (!finite_at(c->exits_per_op, where, err, errlen))
			return false;
		snprintf(where, sizeof(where), "rows[%zu].counters[%zu].by_vector", ri, i);
		if (!map_ok(c->by_vector, c->nby_vector, where, err, errlen))
			return false;
		snprintf(where, sizeof(where), "rows[%zu].counters[%zu].by_class", ri, i);
		if (!map_ok(c->by_class, c->nby_class, where, err, errlen))
			return false;
		snprintf(where, sizeof(where), "rows[%zu].counters[%zu].raw", ri, i);
		if (!map_ok(c->raw, c->nraw, where, err, errlen))
			return false;
		for (j = 0; j < c->nhist; j++) {
			snprintf(where, sizeof(where), "rows[%zu].counters[%zu].hist[%zu]", ri, i,
				 j);
			if (!int_at(c->hist[j], where, err, errlen))
				return false;
		}
	}
	snprintf(where, sizeof(where), "rows[%zu].patch.skipped", ri);
	return map_ok(row->patch.skipped, row->patch.nskipped, where, err, errlen);
}

static bool model_ok(const struct pvx_results *r, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < r->nrows; i++)
		if (!row_ok(&r->rows[i], i, err, errlen))
			return false;
	return true;
}

/* --- JSON out ------------------------------------------------------------ */

static void w_num(struct pvx_json_writer *w, const char *key, double x)
{
	pvx_jw_key(w, key);
	pvx_jw_double(w, x);
}

static void w_map(struct pvx_json_writer *w, const char *key, const struct pvx_kv *kv, size_t n)
{
	size_t i;

	pvx_jw_key(w, key);
	pvx_jw_begin_object(w, true);
	for (i = 0; i < n; i++)
		w_num(w, str(kv[i].name), kv[i].value);
	pvx_jw_end_object(w);
}

static void w_counter(struct pvx_json_writer *w, const struct pvx_counter *c)
{
	size_t i;

	pvx_jw_begin_object(w, false);
	pvx_jw_key_string(w, "name", c->name);
	pvx_jw_key_bool(w, "available", c->available);
	if (!c->available) {
		pvx_jw_key_string(w, "why", c->why);
		pvx_jw_end_object(w);
		return;
	}
	w_num(w, "exits_per_op", c->exits_per_op);
	w_map(w, "by_vector", c->by_vector, c->nby_vector);
	w_map(w, "by_class", c->by_class, c->nby_class);
	w_map(w, "raw", c->raw, c->nraw);
	pvx_jw_key(w, "hist");
	pvx_jw_begin_array(w, true);
	for (i = 0; i < c->nhist; i++)
		pvx_jw_u64(w, c->hist[i]);
	pvx_jw_end_array(w);
	pvx_jw_end_object(w);
}

static void w_row(struct pvx_json_writer *w, const struct pvx_row *row)
{
	size_t i;

	pvx_jw_begin_object(w, false);
	pvx_jw_key_string(w, "class", row->cls);
	pvx_jw_key_string(w, "case", row->cs);
	pvx_jw_key_string(w, "variant", row->variant);
	pvx_jw_key_string(w, "guest", row->guest);
	pvx_jw_key_u64(w, "iterations", row->iterations);
	pvx_jw_key_u64(w, "repetitions", row->repetitions);
	pvx_jw_key(w, "time_samples");
	pvx_jw_begin_array(w, true);
	for (i = 0; i < row->nsamples; i++)
		pvx_jw_double(w, row->time_samples[i]);
	pvx_jw_end_array(w);
	pvx_jw_key(w, "time_per_op");
	pvx_jw_begin_object(w, false);
	w_num(w, "median", row->time_per_op.median);
	w_num(w, "ci_low", row->time_per_op.ci_low);
	w_num(w, "ci_high", row->time_per_op.ci_high);
	w_num(w, "ci_level", row->time_per_op.ci_level);
	pvx_jw_end_object(w);
	w_num(w, "exits_per_op", row->exits_per_op);
	w_num(w, "irq_per_op", row->irq_per_op);
	pvx_jw_key(w, "counters");
	pvx_jw_begin_array(w, false);
	for (i = 0; i < row->ncounters; i++)
		w_counter(w, &row->counters[i]);
	pvx_jw_end_array(w);
	pvx_jw_key(w, "checks");
	pvx_jw_begin_array(w, false);
	for (i = 0; i < row->nchecks; i++) {
		pvx_jw_begin_object(w, false);
		pvx_jw_key_string(w, "what", row->checks[i].what);
		pvx_jw_key_bool(w, "pass", row->checks[i].pass);
		pvx_jw_key_string(w, "seen", row->checks[i].seen);
		pvx_jw_key_string(w, "want", row->checks[i].want);
		pvx_jw_end_object(w);
	}
	pvx_jw_end_array(w);
	pvx_jw_key(w, "patch");
	pvx_jw_begin_object(w, false);
	pvx_jw_key_u64(w, "found", row->patch.found);
	pvx_jw_key_u64(w, "patched", row->patch.patched);
	w_map(w, "skipped", row->patch.skipped, row->patch.nskipped);
	pvx_jw_end_object(w);
	pvx_jw_key_string(w, "verdict", row->verdict);
	pvx_jw_end_object(w);
}

static int write_json(const struct pvx_results *r, FILE *f)
{
	struct pvx_json_writer w;
	size_t i;

	pvx_jw_init(&w, f);
	pvx_jw_begin_object(&w, false);
	/* Whatever the model says, a file is written in the one schema this
	 * code knows. */
	pvx_jw_key(&w, "schema_version");
	pvx_jw_u64(&w, PVX_RESULTS_SCHEMA);
	pvx_jw_key_bool(&w, "complete", r->complete);
	pvx_jw_key_string(&w, "time_unit", pvx_unit_name(r->time_unit));
	pvx_jw_key_string(&w, "tool_version", r->tool_version);
	pvx_jw_key_string(&w, "git_revision", r->git_revision);
	pvx_jw_key(&w, "build");
	pvx_jw_begin_object(&w, true);
	pvx_jw_key_string(&w, "kind", r->build.kind ? r->build.kind : "unknown");
	pvx_jw_key_string(&w, "compiler", r->build.compiler ? r->build.compiler : "unknown");
	pvx_jw_key_string(&w, "target", r->build.target ? r->build.target : "unknown");
	pvx_jw_end_object(&w);
	pvx_jw_key_string(&w, "date", r->date);
	pvx_jw_key_string(&w, "suite", r->suite);
	pvx_results_write_host(&w, &r->host);
	pvx_jw_key(&w, "rows");
	pvx_jw_begin_array(&w, false);
	for (i = 0; i < r->nrows; i++)
		w_row(&w, &r->rows[i]);
	pvx_jw_end_array(&w);
	pvx_jw_end_object(&w);
	return pvx_jw_finish(&w);
}

int pvx_results_write_json(const struct pvx_results *r, FILE *f)
{
	if (!model_ok(r, NULL, 0)) {
		errno = EDOM;
		return -1;
	}
	return write_json(r, f);
}

void pvx_results_write_host(struct pvx_json_writer *w, const struct pvx_host *h)
{
	pvx_jw_key(w, "host");
	pvx_jw_begin_object(w, false);
	pvx_jw_key_string(w, "kernel_release", h->kernel_release);
	pvx_jw_key_string(w, "machine", h->machine);
	pvx_jw_key_string(w, "cpu", h->cpu);
	pvx_jw_key_string(w, "pvr", h->pvr);
	pvx_jw_key_string(w, "kvm", h->kvm);
	pvx_jw_key_bool(w, "lab", h->lab);
	pvx_jw_end_object(w);
}

/* --- CSV out ------------------------------------------------------------- */

static const char csv_header[] = "class,case,variant,guest,iterations,repetitions,time_unit,"
				 "time_median,time_ci_low,time_ci_high,ci_level,exits_per_op,"
				 "irq_per_op,verdict,patch_found,patch_patched\n";

static void csv_num(FILE *f, double x)
{
	fputc(',', f);
	pvx_csv_num(f, x);
}

static int write_csv(const struct pvx_results *r, FILE *f)
{
	size_t i;

	fputs(csv_header, f);
	for (i = 0; i < r->nrows; i++) {
		const struct pvx_row *row = &r->rows[i];

		pvx_csv_str(f, row->cls);
		fputc(',', f);
		pvx_csv_str(f, row->cs);
		fputc(',', f);
		pvx_csv_str(f, row->variant);
		fputc(',', f);
		pvx_csv_str(f, row->guest);
		fprintf(f, ",%llu,%u,%s", (unsigned long long)row->iterations, row->repetitions,
			pvx_unit_name(r->time_unit));
		csv_num(f, row->time_per_op.median);
		csv_num(f, row->time_per_op.ci_low);
		csv_num(f, row->time_per_op.ci_high);
		csv_num(f, row->time_per_op.ci_level);
		csv_num(f, row->exits_per_op);
		csv_num(f, row->irq_per_op);
		fputc(',', f);
		pvx_csv_str(f, row->verdict);
		fprintf(f, ",%llu,%llu\n", (unsigned long long)row->patch.found,
			(unsigned long long)row->patch.patched);
	}
	if (fflush(f) == EOF || ferror(f)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

int pvx_results_write_csv(const struct pvx_results *r, FILE *f)
{
	if (!model_ok(r, NULL, 0)) {
		errno = EDOM;
		return -1;
	}
	return write_csv(r, f);
}

/* --- saving -------------------------------------------------------------- */

/* Write @r to a temporary file for @path, finished but not yet renamed. */
static int stage_file(const struct pvx_results *r, const char *path, bool csv,
		      struct pvx_atomic_file *af, char *err, size_t errlen)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char why[300];

	memset(af, 0, sizeof(*af));
	if (!*base) {
		pvx_set_err(err, errlen, "%s: a directory, not a file name", path);
		return -1;
	}
	if (!model_ok(r, why, sizeof(why))) {
		pvx_set_err(err, errlen, "%s: cannot write these results: %s", path, why);
		return -1;
	}
	if (pvx_atomic_open(af, path, err, errlen) < 0)
		return -1;
	errno = 0;
	if ((csv ? write_csv(r, af->f) : write_json(r, af->f)) < 0) {
		pvx_set_err(err, errlen, "%s: cannot write %s: %s", path, af->tmp,
			    strerror(errno ? errno : EIO));
		pvx_atomic_abort(af);
		return -1;
	}
	return pvx_atomic_finish(af, err, errlen);
}

int pvx_results_save(const struct pvx_results *r, const char *path, bool csv, char *err,
		     size_t errlen)
{
	struct pvx_atomic_file af;

	if (stage_file(r, path, csv, &af, err, errlen) < 0)
		return -1;
	return pvx_atomic_commit(&af, err, errlen);
}

int pvx_results_save_both(const struct pvx_results *r, const char *json, const char *csv, char *err,
			  size_t errlen)
{
	struct pvx_atomic_file j, c;

	if (stage_file(r, json, false, &j, err, errlen) < 0)
		return -1;
	if (stage_file(r, csv, true, &c, err, errlen) < 0) {
		pvx_atomic_abort(&j);
		return -1;
	}
	/* Both are on disk: only a rename can fail from here on. */
	if (pvx_atomic_commit(&j, err, errlen) < 0) {
		pvx_atomic_abort(&c);
		return -1;
	}
	return pvx_atomic_commit(&c, err, errlen);
}

const char *pvx_results_csv_path(const char *json, char *buf, size_t len)
{
	size_t n = strlen(json);

	if (n > 5 && !strcmp(json + n - 5, ".json"))
		snprintf(buf, len, "%.*s.csv", (int)(n - 5), json);
	else
		snprintf(buf, len, "%s.csv", json);
	return buf;
}

static void free_kv(struct pvx_kv *kv, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(kv[i].name);
	free(kv);
}

static void free_row(struct pvx_row *row)
{
	size_t i;

	free(row->cls);
	free(row->cs);
	free(row->variant);
	free(row->guest);
	free(row->time_samples);
	for (i = 0; i < row->ncounters; i++) {
		struct pvx_counter *c = &row->counters[i];

		free(c->name);
		free(c->why);
		free_kv(c->by_vector, c->nby_vector);
		free_kv(c->by_class, c->nby_class);
		free_kv(c->raw, c->nraw);
		free(c->hist);
	}
	free(row->counters);
	for (i = 0; i < row->nchecks; i++) {
		free(row->checks[i].what);
		free(row->checks[i].seen);
		free(row->checks[i].want);
	}
	free(row->checks);
	free_kv(row->patch.skipped, row->patch.nskipped);
	free(row->verdict);
}

void pvx_results_free(struct pvx_results *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nrows; i++)
		free_row(&r->rows[i]);
	free(r->rows);
	free(r->tool_version);
	free(r->git_revision);
	free(r->build.kind);
	free(r->build.compiler);
	free(r->build.target);
	free(r->date);
	free(r->suite);
	free(r->host.kernel_release);
	free(r->host.machine);
	free(r->host.cpu);
	free(r->host.pvr);
	free(r->host.kvm);
	memset(r, 0, sizeof(*r));
}
