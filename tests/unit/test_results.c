// SPDX-License-Identifier: GPL-2.0-only
/*
 * Results files (lib/results.c, results_load.c): a model written and
 * loaded back field for field, the CSV form, one clear error for each
 * malformed file (bad JSON as jansson finds it, and a wrong schema),
 * atomic saves, and the fixtures the report, compare and plot tests use.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json.h"
#include "results.h"
#include "unit.h"

#define FIXTURES "tests/fixtures/results"

static char tmpdir[] = "/tmp/pvx-test-results-XXXXXX";

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

/* @n name/value pairs. */
static struct pvx_kv *kvs(size_t n, ...)
{
	struct pvx_kv *kv = calloc(n ? n : 1, sizeof(*kv));
	va_list ap;
	size_t i;

	va_start(ap, n);
	for (i = 0; i < n; i++) {
		kv[i].name = xstrdup(va_arg(ap, const char *));
		kv[i].value = va_arg(ap, double);
	}
	va_end(ap);
	return kv;
}

static double *doubles(size_t n, const double *x)
{
	double *d = calloc(n ? n : 1, sizeof(*d));

	if (n)
		memcpy(d, x, n * sizeof(*d));
	return d;
}

static void set_row(struct pvx_row *row, const char *cls, const char *cs, const char *variant,
		    const char *guest, uint64_t iterations, const double *samples, size_t n,
		    struct pvx_summary s, double exits, double irq, const char *verdict)
{
	row->cls = xstrdup(cls);
	row->cs = xstrdup(cs);
	row->variant = xstrdup(variant);
	row->guest = xstrdup(guest);
	row->iterations = iterations;
	row->repetitions = (unsigned int)n;
	row->time_samples = doubles(n, samples);
	row->nsamples = n;
	row->time_per_op = s;
	row->exits_per_op = exits;
	row->irq_per_op = irq;
	row->verdict = xstrdup(verdict);
}

/* Everything the model can hold: edge numbers, escapes, integers past 2^53. */
static void build(struct pvx_results *r)
{
	static const double s0[] = { 19000.5, 19010.25, 18990.125 };
	static const double s1[] = { 41118 };
	static const double s3[] = { 0.1, 5e-324, 123.25, 1.7976931348623157e308, 1e-7 };
	struct pvx_counter *c;
	struct pvx_row *row;

	memset(r, 0, sizeof(*r));
	r->schema_version = PVX_RESULTS_SCHEMA;
	r->time_unit = PVX_UNIT_INSN;
	r->complete = true;
	r->tool_version = xstrdup("0.6.0");
	r->git_revision = xstrdup("v0.6.0-1-gabc1234-dirty");
	r->build.kind = xstrdup("cross");
	r->build.compiler = xstrdup("gcc 12.2.0");
	r->build.target = xstrdup("powerpc64le-linux-gnu");
	r->date = xstrdup("2026-11-24T09:12:41Z");
	r->suite = xstrdup("my \"suite\"\n\\ with\ttabs");
	r->host.kernel_release = xstrdup("6.1.176-pvexit-lab");
	r->host.machine = xstrdup("ppc64le");
	r->host.cpu = xstrdup("POWER8 (raw), altivec supported \xc3\xa9 \xf0\x9f\x98\x80");
	r->host.pvr = xstrdup("0x004d0200");
	r->host.kvm = xstrdup("pr");
	r->host.lab = false;

	row = pvx_results_add_row(r);
	set_row(row, "mfmsr", "", "raw", "be", 20000, s0, 3,
		(struct pvx_summary){ 19000.5, 18990.125, 19010.25, 0.75 }, 1, 0, "ok");
	row->ncounters = 2;
	row->counters = calloc(2, sizeof(*row->counters));
	c = &row->counters[0];
	c->name = xstrdup("stats");
	c->available = true;
	c->exits_per_op = 1;
	c->raw = kvs(2, "emulated_inst_exits", 60000.0, "sum_exits", 60012.0);
	c->nraw = 2;
	c = &row->counters[1];
	c->name = xstrdup("bpf");
	c->available = true;
	c->exits_per_op = 1;
	c->by_vector = kvs(2, "PROGRAM", 1.0, "DECREMENTER", 0.0002);
	c->nby_vector = 2;
	c->by_class = kvs(1, "mfmsr", 1.0);
	c->nby_class = 1;
	c->raw = kvs(1, "exits", 60012.0);
	c->nraw = 1;
	c->nhist = 40;
	c->hist = calloc(40, sizeof(uint64_t));
	c->hist[0] = 7;
	c->hist[13] = 60000;
	c->hist[39] = (1ull << 60) + 1;
	row->patch.found = 6;
	row->patch.patched = 5;
	row->patch.skipped = kvs(1, "reason, with \"quotes\"", 1.0);
	row->patch.nskipped = 1;

	row = pvx_results_add_row(r);
	set_row(row, "mtmsr", "ee-pending", "patched", "le", (1ull << 62) + 3, s1, 1,
		(struct pvx_summary){ 41118, 41118, 41118, 0 }, 2, 1,
		"FAIL: 3 emulation exits, the case promises 2, \"x\"");
	row->ncounters = 2;
	row->counters = calloc(2, sizeof(*row->counters));
	row->counters[0].name = xstrdup("stats");
	row->counters[0].available = true;
	row->counters[0].exits_per_op = 2;
	row->counters[1].name = xstrdup("bpf");
	row->counters[1].why = xstrdup("BPF: not permitted\t(CAP_BPF)");
	row->nchecks = 2;
	row->checks = calloc(2, sizeof(*row->checks));
	row->checks[0].what = xstrdup("MSR after the write");
	row->checks[0].pass = true;
	row->checks[0].seen = xstrdup("0x8000000000009001");
	row->checks[0].want = xstrdup("0x8000000000009001");
	row->checks[1].what = xstrdup("interrupt delivered");
	row->checks[1].pass = false;
	row->checks[1].seen = xstrdup("0x0");
	row->checks[1].want = xstrdup("0x1");
	row->patch.found = INT64_MAX;
	row->patch.patched = INT64_MAX - 1;

	row = pvx_results_add_row(r);
	set_row(row, "tlbsync", "", "baseline", "be32", 2000000, NULL, 0,
		(struct pvx_summary){ 0, 0, 0, 0 }, 0, 0, "ok");

	row = pvx_results_add_row(r);
	set_row(row, "mtsrr0", "", "patched", "be", 2000000, s3, 5,
		(struct pvx_summary){ 123.25, 5e-324, 1.7976931348623157e308, 0.9375 }, 0, 0, "ok");
}

static const char *str_or(const char *s)
{
	return s ? s : "";
}

static bool same_d(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static bool same_s(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static bool same_kv(const struct pvx_kv *a, size_t na, const struct pvx_kv *b, size_t nb)
{
	size_t i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!same_s(a[i].name, b[i].name) || !same_d(a[i].value, b[i].value))
			return false;
	return true;
}

/* The first field that differs, or NULL.  Doubles must match bit for bit. */
static const char *diff_row(const struct pvx_row *a, const struct pvx_row *b)
{
	size_t i;

	if (!same_s(a->cls, b->cls) || !same_s(a->cs, b->cs) || !same_s(a->variant, b->variant) ||
	    !same_s(a->guest, b->guest))
		return "class/case/variant/guest";
	if (a->iterations != b->iterations || a->repetitions != b->repetitions)
		return "iterations/repetitions";
	if (a->nsamples != b->nsamples)
		return "nsamples";
	for (i = 0; i < a->nsamples; i++)
		if (!same_d(a->time_samples[i], b->time_samples[i]))
			return "time_samples";
	if (!same_d(a->time_per_op.median, b->time_per_op.median) ||
	    !same_d(a->time_per_op.ci_low, b->time_per_op.ci_low) ||
	    !same_d(a->time_per_op.ci_high, b->time_per_op.ci_high) ||
	    !same_d(a->time_per_op.ci_level, b->time_per_op.ci_level))
		return "time_per_op";
	if (!same_d(a->exits_per_op, b->exits_per_op) || !same_d(a->irq_per_op, b->irq_per_op))
		return "exits/irq_per_op";
	if (a->ncounters != b->ncounters)
		return "ncounters";
	for (i = 0; i < a->ncounters; i++) {
		const struct pvx_counter *x = &a->counters[i], *y = &b->counters[i];

		if (!same_s(x->name, y->name) || x->available != y->available)
			return "counter name/available";
		if (!x->available) {
			if (!same_s(x->why, y->why))
				return "counter why";
			continue;
		}
		if (!same_d(x->exits_per_op, y->exits_per_op))
			return "counter exits_per_op";
		if (!same_kv(x->by_vector, x->nby_vector, y->by_vector, y->nby_vector) ||
		    !same_kv(x->by_class, x->nby_class, y->by_class, y->nby_class) ||
		    !same_kv(x->raw, x->nraw, y->raw, y->nraw))
			return "counter maps";
		if (x->nhist != y->nhist ||
		    (x->nhist && memcmp(x->hist, y->hist, x->nhist * sizeof(uint64_t))))
			return "counter hist";
	}
	if (a->nchecks != b->nchecks)
		return "nchecks";
	for (i = 0; i < a->nchecks; i++)
		if (!same_s(a->checks[i].what, b->checks[i].what) ||
		    a->checks[i].pass != b->checks[i].pass ||
		    !same_s(a->checks[i].seen, b->checks[i].seen) ||
		    !same_s(a->checks[i].want, b->checks[i].want))
			return "checks";
	if (a->patch.found != b->patch.found || a->patch.patched != b->patch.patched ||
	    !same_kv(a->patch.skipped, a->patch.nskipped, b->patch.skipped, b->patch.nskipped))
		return "patch";
	if (!same_s(a->verdict, b->verdict))
		return "verdict";
	return NULL;
}

static const char *diff_results(const struct pvx_results *a, const struct pvx_results *b)
{
	size_t i;

	if (a->schema_version != b->schema_version || a->complete != b->complete ||
	    a->time_unit != b->time_unit || strcmp(str_or(a->build.kind), str_or(b->build.kind)) ||
	    strcmp(str_or(a->build.compiler), str_or(b->build.compiler)) ||
	    strcmp(str_or(a->build.target), str_or(b->build.target)))
		return "schema_version/complete";
	if (!same_s(a->tool_version, b->tool_version) ||
	    !same_s(a->git_revision, b->git_revision) || !same_s(a->date, b->date) ||
	    !same_s(a->suite, b->suite))
		return "tool_version/git_revision/date/suite";
	if (!same_s(a->host.kernel_release, b->host.kernel_release) ||
	    !same_s(a->host.machine, b->host.machine) || !same_s(a->host.cpu, b->host.cpu) ||
	    !same_s(a->host.pvr, b->host.pvr) || !same_s(a->host.kvm, b->host.kvm) ||
	    a->host.lab != b->host.lab)
		return "host";
	if (a->nrows != b->nrows)
		return "nrows";
	for (i = 0; i < a->nrows; i++) {
		const char *d = diff_row(&a->rows[i], &b->rows[i]);

		if (d)
			return d;
	}
	return NULL;
}

static char *path_in(const char *name)
{
	static char buf[4][300];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmpdir, name);
	return buf[k];
}

/* The whole of a file, NUL-terminated, or NULL. */
static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, got;
	char chunk[4096];

	if (!f)
		return NULL;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf = realloc(buf, n + got + 1);
		memcpy(buf + n, chunk, got);
		n += got;
	}
	fclose(f);
	if (!buf)
		buf = calloc(1, 1);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void write_all(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static char *json_text(const struct pvx_results *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (pvx_results_write_json(r, f) < 0)
		printf("# write_json failed: %s\n", strerror(errno));
	fclose(f);
	return buf;
}

/* Files in the temporary directory whose name starts with a dot: leftovers. */
static int temp_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static void test_round_trip(void)
{
	struct pvx_results r, back;
	char err[400] = "";
	char *a, *b;
	const char *d;
	mode_t mask;
	struct stat st;

	build(&r);
	CHECK("results: save JSON",
	      pvx_results_save(&r, path_in("r.json"), false, err, sizeof(err)) == 0);
	if (!CHECK("results: load what was saved",
		   pvx_results_load(path_in("r.json"), &back, err, sizeof(err)) == 0)) {
		printf("  error: %s\n", err);
		pvx_results_free(&r);
		return;
	}
	d = diff_results(&r, &back);
	CHECK_STR_CONTAINS("results: every field reads back as written", d ? d : "(none)",
			   "(none)");
	CHECK_EQ_U64("results: uint64 iterations past 2^53", back.rows[1].iterations,
		     (1ull << 62) + 3);
	CHECK_EQ_U64("results: uint64 hist bucket past 2^53", back.rows[0].counters[1].hist[39],
		     (1ull << 60) + 1);
	CHECK_EQ_U64("results: patch.found at the largest integer a file holds",
		     back.rows[1].patch.found, INT64_MAX);
	CHECK("results: denormal and largest doubles exact",
	      back.rows[3].time_samples[1] == 5e-324 &&
		      back.rows[3].time_samples[3] == 1.7976931348623157e308);
	CHECK("results: strings with escapes and UTF-8 exact",
	      !strcmp(back.suite, "my \"suite\"\n\\ with\ttabs") &&
		      !strcmp(back.host.cpu, r.host.cpu));
	CHECK("results: a counter without data keeps its reason",
	      !back.rows[1].counters[1].available &&
		      !strcmp(back.rows[1].counters[1].why, "BPF: not permitted\t(CAP_BPF)"));
	a = json_text(&r);
	b = json_text(&back);
	CHECK("results: write, load, write gives the same bytes", a && b && !strcmp(a, b));
	free(a);
	free(b);

	mask = umask(0);
	umask(mask);
	CHECK("results: a saved file has the usual mode",
	      stat(path_in("r.json"), &st) == 0 && (st.st_mode & 0777) == (0666 & ~mask));
	CHECK("results: no temporary file is left", temp_files(tmpdir) == 0);
	pvx_results_free(&back);
	CHECK("results: free leaves an empty model",
	      back.rows == NULL && back.nrows == 0 && !back.suite);
	pvx_results_free(&r);
}

static void test_csv(void)
{
	static const char header[] =
		"class,case,variant,guest,iterations,repetitions,time_unit,time_median,time_ci_low,"
		"time_ci_high,ci_level,exits_per_op,irq_per_op,verdict,patch_found,patch_patched\n";
	struct pvx_results r;
	char err[400] = "", *text, *p;
	int lines = 0;

	build(&r);
	if (!CHECK("csv: save",
		   pvx_results_save(&r, path_in("r.csv"), true, err, sizeof(err)) == 0)) {
		printf("  error: %s\n", err);
		pvx_results_free(&r);
		return;
	}
	text = read_all(path_in("r.csv"), NULL);
	CHECK("csv: the header line", text && !strncmp(text, header, strlen(header)));
	CHECK_STR_CONTAINS(
		"csv: a plain row", text,
		"\nmfmsr,,raw,be,20000,3,insn,19000.5,18990.125,19010.25,0.75,1,0,ok,6,5\n");
	CHECK_STR_CONTAINS(
		"csv: a row with a quoted verdict and big integers", text,
		"\nmtmsr,ee-pending,patched,le,4611686018427387907,1,insn,41118,41118,41118,0,2,1,"
		"\"FAIL: 3 emulation exits, the case promises 2, \"\"x\"\"\","
		"9223372036854775807,9223372036854775806\n");
	CHECK_STR_CONTAINS("csv: a row with no samples", text,
			   "\ntlbsync,,baseline,be32,2000000,0,insn,0,0,0,0,0,0,ok,0,0\n");
	CHECK_STR_CONTAINS("csv: shortest exact numbers", text,
			   "\nmtsrr0,,patched,be,2000000,5,insn,123.25,4.94065645841247e-324,"
			   "1.7976931348623157e+308,0.9375,0,0,ok,0,0\n");
	for (p = text; p && *p; p++)
		lines += *p == '\n';
	CHECK_EQ_U64("csv: a header and one line per row", lines, 1 + r.nrows);
	CHECK("csv: no temporary file is left", temp_files(tmpdir) == 0);
	free(text);
	pvx_results_free(&r);
}

static void test_label_find(void)
{
	struct pvx_results r;
	char label[64];
	struct pvx_row *row;

	build(&r);
	pvx_row_label(&r.rows[1], label, sizeof(label));
	CHECK("label: class/case", !strcmp(label, "mtmsr/ee-pending"));
	pvx_row_label(&r.rows[0], label, sizeof(label));
	CHECK("label: a class's only case is the class", !strcmp(label, "mfmsr"));
	pvx_row_label(&r.rows[1], label, 8);
	CHECK("label: cut to the buffer", !strcmp(label, "mtmsr/e"));
	CHECK("find: by label, variant and guest",
	      pvx_results_find(&r, "mtmsr/ee-pending", "patched", "le") == &r.rows[1]);
	CHECK("find: a class's only case",
	      pvx_results_find(&r, "mfmsr", "raw", "be") == &r.rows[0]);
	CHECK("find: other guest is no match", !pvx_results_find(&r, "mfmsr", "raw", "le"));
	CHECK("find: other variant is no match", !pvx_results_find(&r, "mfmsr", "patched", "be"));
	CHECK("find: a class is not its cases", !pvx_results_find(&r, "mtmsr", "patched", "le"));
	CHECK("find: a prefix is not the class", !pvx_results_find(&r, "mfms", "raw", "be"));
	CHECK("find: a case needs its class",
	      !pvx_results_find(&r, "mtmsrd1/ee-pending", "patched", "le"));
	row = pvx_results_add_row(&r);
	CHECK("add_row: one more row, zeroed",
	      r.nrows == 5 && row == &r.rows[4] && !row->cls && !row->nsamples && !row->ncounters);
	pvx_results_free(&r);
}

/* @base with the first @old replaced by @new; NULL when @old is not there. */
static char *edit(const char *base, const char *old, const char *new)
{
	const char *at = strstr(base, old);
	size_t n;
	char *out;

	if (!at)
		return NULL;
	n = strlen(base) - strlen(old) + strlen(new);
	out = malloc(n + 1);
	memcpy(out, base, (size_t)(at - base));
	strcpy(out + (at - base), new);
	strcat(out, at + strlen(old));
	return out;
}

/* Loading @text must fail with one line: "FILE: " and @want. */
static void bad_text(const char *name, const char *text, const char *want)
{
	char err[400] = "", label[200], expect[400];
	struct pvx_results r;
	int rc;

	snprintf(label, sizeof(label), "load: %s: the test input exists", name);
	if (!CHECK(label, text != NULL))
		return;
	write_all(path_in("bad.json"), text);
	memset(&r, 0x5a, sizeof(r));
	rc = pvx_results_load(path_in("bad.json"), &r, err, sizeof(err));
	snprintf(label, sizeof(label), "load: rejects %s", name);
	CHECK(label, rc == -1);
	snprintf(label, sizeof(label), "load: %s: the error names file, place and fault", name);
	snprintf(expect, sizeof(expect), "%s: %s", path_in("bad.json"), want);
	if (!CHECK(label, strstr(err, expect) != NULL))
		printf("  got:  %s\n  want: %s\n", err, expect);
	snprintf(label, sizeof(label), "load: %s: the error is one line", name);
	CHECK(label, err[0] && !strchr(err, '\n'));
	snprintf(label, sizeof(label), "load: %s: the model is left empty", name);
	CHECK(label, rc != -1 || (r.rows == NULL && r.nrows == 0 && r.suite == NULL));
	if (rc == 0)
		pvx_results_free(&r);
}

/* "line L col C: @what" for the end of @text. */
static void eof_place(const char *text, char *out, size_t len, const char *what)
{
	const char *nl = strrchr(text, '\n');
	unsigned int line = 1;
	const char *p;

	for (p = text; *p; p++)
		line += *p == '\n';
	snprintf(out, len, "line %u col %zu: %s", line, strlen(nl ? nl + 1 : text) + 1, what);
}

static void bad_edit(const char *name, const char *base, const char *old, const char *new,
		     const char *want)
{
	char *t = edit(base, old, new);

	bad_text(name, t, want);
	free(t);
}

/* The same, the error at @mark (a part of @new): "line L col C: @what". */
static void bad_edit_at(const char *name, const char *base, const char *old, const char *new,
			const char *mark, const char *what)
{
	char *t = edit(base, old, new), want[300];
	const char *at = t ? strstr(strstr(t, new), mark) : NULL, *p;
	unsigned int line = 1, col = 1;

	for (p = t; at && p < at; p++) {
		if (*p == '\n') {
			line++;
			col = 1;
		} else if ((*p & 0xc0) != 0x80) {
			col++;
		}
	}
	snprintf(want, sizeof(want), "line %u col %u: %s", line, col, what);
	bad_text(name, t, want);
	free(t);
}

/*
 * Loading @len bytes of @text must fail at the JSON level, jansson's or
 * ours: one line, "FILE: line L col C: ...", holding @want.
 */
static void bad_json(const char *name, const char *text, size_t len, const char *want)
{
	char err[400] = "", label[200], prefix[320];
	FILE *f = fopen(path_in("bad.json"), "wb");
	struct pvx_results r;
	bool written;
	int rc;

	written = f && fwrite(text, 1, len, f) == len;
	if (f && fclose(f))
		written = false;
	snprintf(label, sizeof(label), "json: %s: the test input is written", name);
	if (!CHECK(label, written))
		return;
	rc = pvx_results_load(path_in("bad.json"), &r, err, sizeof(err));
	snprintf(label, sizeof(label), "json: rejects %s", name);
	CHECK(label, rc == -1);
	snprintf(prefix, sizeof(prefix), "%s: line ", path_in("bad.json"));
	snprintf(label, sizeof(label), "json: %s: error names the file and the line", name);
	if (!CHECK(label, !strncmp(err, prefix, strlen(prefix))))
		printf("  got: %s\n", err);
	snprintf(label, sizeof(label), "json: %s: error says where and what", name);
	CHECK_STR_CONTAINS(label, err, want);
	snprintf(label, sizeof(label), "json: %s: error is one line", name);
	CHECK(label, !strchr(err, '\n'));
	if (rc == 0)
		pvx_results_free(&r);
}

#define BAD_JSON(name, text, want) bad_json((name), (text), sizeof(text) - 1, (want))

/* What the reader refuses before any schema is looked at, and how it says so. */
static void test_json_syntax(void)
{
	char deep[PVX_JSON_MAX_DEPTH + 2], ok[2 * PVX_JSON_MAX_DEPTH + 1], *many;
	char err[400] = "";
	struct pvx_results r;

	BAD_JSON("a file of blanks", "\n  \n", "line 3 col 1: no JSON value: the file is empty");
	BAD_JSON("a truncated array", "{\"a\": [1, 2",
		 "line 1 col 12: unexpected end of file in the array that starts at line 1 col 7");
	BAD_JSON("a truncated object", "{\"a\": 1",
		 "line 1 col 8: unexpected end of file in the object that starts at line 1 col 1");
	BAD_JSON("a truncated string", "{\"a\": \"abc",
		 "line 1 col 11: unexpected end of file in the string that starts at line 1 col 7");
	BAD_JSON("a value missing at the end", "{\"a\":",
		 "line 1 col 6: unexpected end of file in the object that starts at line 1 col 1");
	BAD_JSON("a bad escape", "{\"a\": \"x\\qy\"}",
		 "line 1 col 7: invalid escape near '\"x\\q'");
	BAD_JSON("a short \\u escape", "\"\\u12G4\"", "line 1 col 1: invalid escape");
	BAD_JSON("a lone low surrogate", "\"\\udc00\"", "line 1 col 1: invalid Unicode '\\uDC00'");
	BAD_JSON("a high surrogate alone", "\"\\ud800x\"", "invalid Unicode '\\uD800'");
	BAD_JSON("a high surrogate and no low one", "\"\\ud800\\u0041\"",
		 "invalid Unicode '\\uD800\\u0041'");
	BAD_JSON("\\u0000", "\"a\\u0000\"",
		 "line 1 col 1: \\u0000 (a NUL character) is not allowed in a string");
	BAD_JSON("a raw tab in a string", "\"a\tb\"", "line 1 col 1: control character 0x9");
	BAD_JSON("a raw newline in a string", "\"a\nb\"", "line 1 col 1: unexpected newline");
	BAD_JSON("invalid UTF-8", "\"\xc3\x28\"", "line 1 col 2: invalid UTF-8 (byte 0xc3)");
	BAD_JSON("overlong UTF-8", "\"\xc0\xaf\"", "line 1 col 2: invalid UTF-8");
	BAD_JSON("a UTF-8 surrogate", "\"\xed\xa0\x80\"", "line 1 col 2: invalid UTF-8");
	BAD_JSON("UTF-8 above U+10FFFF", "\"\xf4\x90\x80\x80\"", "line 1 col 2: invalid UTF-8");
	BAD_JSON("UTF-8 cut short", "\"\xe2\x82", "line 1 col 2: invalid UTF-8");
	BAD_JSON("invalid UTF-8 outside a string", "[1, \xe2\x82x]",
		 "line 1 col 5: invalid UTF-8 (byte 0xe2)");
	BAD_JSON("a byte-order mark", "\xef\xbb\xbf{}", "line 1 col 1: a UTF-8 byte-order mark");
	BAD_JSON("trailing garbage", "{} x",
		 "line 1 col 4: trailing text after the JSON value: 'x'");
	BAD_JSON("a second value", "{}\n{}", "line 2 col 1: trailing text after the JSON value");
	BAD_JSON("a NUL byte after the value", "{}\0",
		 "line 1 col 3: trailing text after the JSON value: byte 0x00");
	BAD_JSON("a duplicate member", "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}",
		 "line 3 col 2: duplicate member \"a\"");
	BAD_JSON("a duplicate name holding a line break", "{\"a\\nb\": 1, \"a\\nb\": 2}",
		 "line 1 col 13: duplicate member \"a\\nb\"");
	BAD_JSON("a trailing comma in an array", "[1,]", "line 1 col 4: unexpected token near ']'");
	BAD_JSON("a trailing comma in an object", "{\"a\":1,}",
		 "line 1 col 8: string or '}' expected near '}'");
	BAD_JSON("a missing colon", "{\"a\" 1}", "line 1 col 6: ':' expected near '1'");
	BAD_JSON("a missing comma", "[1 2]", "line 1 col 4: ']' expected near '2'");
	BAD_JSON("a missing comma in an object", "{\"a\":1 \"b\":2}",
		 "line 1 col 8: '}' expected near '\"b\"'");
	BAD_JSON("single quotes", "{'a':1}", "line 1 col 2: string or '}' expected near '''");
	BAD_JSON("a leading zero", "[01]", "line 1 col 2: invalid token near '0'");
	BAD_JSON("a lone minus", "[-]", "line 1 col 2: invalid token near '-'");
	BAD_JSON("a bare fraction point", "[1.]", "line 1 col 2: invalid token near '1.'");
	BAD_JSON("an empty exponent", "[1e]", "line 1 col 2: invalid token near '1e'");
	BAD_JSON("a leading point", "[.5]", "line 1 col 2: invalid token near '.'");
	BAD_JSON("a plus sign", "[+1]", "line 1 col 2: invalid token near '+'");
	BAD_JSON("NaN", "[NaN]", "line 1 col 2: invalid token near 'NaN'");
	BAD_JSON("Infinity", "[-Infinity]", "line 1 col 2: invalid token near '-'");
	BAD_JSON("a misspelt literal", "[tru]", "line 1 col 2: invalid token near 'tru'");
	BAD_JSON("a comment", "{} // x", "line 1 col 4: trailing text after the JSON value: '/'");
	/* Columns count characters: "é" is one column, two bytes. */
	BAD_JSON("columns in characters", "[\"\xc3\xa9\", x]",
		 "line 1 col 7: invalid token near 'x'");
	BAD_JSON("CRLF line ends", "{\r\n\"a\": x}", "line 2 col 6: invalid token near 'x'");

	memset(deep, '[', sizeof(deep) - 1);
	bad_json("nesting deeper than the limit", deep, sizeof(deep) - 1,
		 "line 1 col 65: nesting deeper than 64 levels");
	/* Far beyond the limit: stopped by it, not by the stack or jansson's own. */
	many = malloc(100000);
	if (many) {
		memset(many, '[', 100000);
		bad_json("100000 open brackets", many, 100000,
			 "line 1 col 65: nesting deeper than 64 levels");
		free(many);
	}
	/* To the limit is JSON: what fails is the schema. */
	memset(ok, '[', PVX_JSON_MAX_DEPTH);
	memset(ok + PVX_JSON_MAX_DEPTH, ']', PVX_JSON_MAX_DEPTH);
	ok[2 * PVX_JSON_MAX_DEPTH] = '\0';
	write_all(path_in("bad.json"), ok);
	CHECK("json: nesting to the limit is read",
	      pvx_results_load(path_in("bad.json"), &r, err, sizeof(err)) == -1 &&
		      strstr(err, "the top level is an array"));
	unlink(path_in("bad.json"));
}

/* Every kind of value reads back as written: escapes, UTF-8, exact integers. */
static void test_json_values(void)
{
	struct pvx_results r;
	char *good, *t, *u, *v, err[400] = "";

	build(&r);
	good = json_text(&r);
	pvx_results_free(&r);
	t = edit(good, "\"tool_version\": \"0.6.0\"",
		 "\"tool_version\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t \\u00e9\\u20AC\\ud83d\\ude00 "
		 "\xc3\xa9\"");
	u = t ? edit(t, "\"iterations\": 20000", "\"iterations\": 9007199254740993") : NULL;
	v = u ? edit(u, "\"irq_per_op\": 0", "\"irq_per_op\": 1e3") : NULL;
	if (!CHECK("json: the test document is made", v != NULL))
		goto out;
	write_all(path_in("values.json"), v);
	if (!CHECK("json: a document with every kind of value loads",
		   pvx_results_load(path_in("values.json"), &r, err, sizeof(err)) == 0)) {
		printf("  error: %s\n", err);
		goto out;
	}
	CHECK("json: escapes, \\u escapes and a surrogate pair become UTF-8; raw UTF-8 stays",
	      !strcmp(r.tool_version, "a\"b\\c/d\b\f\n\r\t \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 "
				      "\xc3\xa9"));
	CHECK_EQ_U64("json: 2^53+1 read exactly", r.rows[0].iterations, 9007199254740993ull);
	CHECK("json: 1e3 is a number of 1000", r.rows[0].irq_per_op == 1000);
	pvx_results_free(&r);
out:
	unlink(path_in("values.json"));
	free(good);
	free(t);
	free(u);
	free(v);
}

static void test_malformed(void)
{
	struct pvx_results r;
	char *good, *t, *u, deep[200], err[400] = "", place[200];
	size_t n;

	build(&r);
	good = json_text(&r);
	pvx_results_free(&r);
	if (!CHECK("load: the base document is written", good != NULL))
		return;

	/* Cut after a comma: whatever was there, the file ends too soon. */
	t = strndup(good, strlen(good) / 2);
	*strrchr(t, ',') = '\0';
	eof_place(t, place, sizeof(place), "unexpected end of file in the ");
	bad_text("a truncated file", t, place);
	free(t);
	t = strndup(good, strlen(good) - 3);
	eof_place(t, place, sizeof(place),
		  "unexpected end of file in the object that starts at line 1 col 1");
	bad_text("a file cut in the last object", t, place);
	free(t);
	bad_text("an empty file", "", "line 1 col 1: no JSON value: the file is empty");
	bad_text("an array", "[1, 2]\n", "the top level is an array, a results file is an object");
	bad_text("a string", "\"results\"\n",
		 "the top level is a string, a results file is an object");
	bad_edit("a bad escape", good, "\"tool_version\": \"0.6.0\"",
		 "\"tool_version\": \"0.6\\x0\"", "line 5 col 19: invalid escape near '\"0.6\\x'");
	bad_edit("a raw control character", good, "\"date\": \"2026",
		 "\"date\": \"\x01"
		 "2026",
		 "line 8 col 11: control character 0x1");
	bad_edit("a duplicate member", good, "\"complete\": true,",
		 "\"complete\": true, \"complete\": false,",
		 "line 3 col 21: duplicate member \"complete\"");
	t = malloc(strlen(good) + 2);
	sprintf(t, "%sx", good);
	eof_place(good, place, sizeof(place), "trailing text after the JSON value: 'x'");
	bad_text("trailing garbage", t, place);
	free(t);
	memset(deep, '[', sizeof(deep));
	memcpy(deep, "{\"rows\": ", 9);
	deep[sizeof(deep) - 1] = '\0';
	bad_text("deep nesting", deep, "line 1 col 73: nesting deeper than 64 levels");

	bad_edit("a newer schema_version", good, "\"schema_version\": 2", "\"schema_version\": 3",
		 "schema_version 3 is newer than this pvexit reads (2); use a newer pvexit");
	bad_edit("schema_version 0", good, "\"schema_version\": 2", "\"schema_version\": 0",
		 "schema_version: expected 2, found 0");
	bad_edit("schema_version 2.0", good, "\"schema_version\": 2", "\"schema_version\": 2.0",
		 "schema_version: expected 2, found 2.0");
	bad_edit("a string schema_version", good, "\"schema_version\": 2",
		 "\"schema_version\": \"2\"", "schema_version is not a number");
	bad_edit("no schema_version", good, "\"schema_version\": 2", "\"version\": 2",
		 "no schema_version (is this a pvexit results file?)");
	bad_edit("schema 2 without time_unit", good, "\"time_unit\": \"insn\",", "",
		 "no time_unit (schema 2 says ns or insn)");
	bad_edit("an unknown time_unit", good, "\"time_unit\": \"insn\"",
		 "\"time_unit\": \"cycles\"", "time_unit: wants \"ns\" or \"insn\"");
	bad_edit("schema 2 with build misnamed", good,
		 "\"build\":", "\"built\":", "unknown member \"built\" at the top level");
	bad_edit("a time_unit in a schema 1 file", good, "\"schema_version\": 2",
		 "\"schema_version\": 1",
		 "time_unit: is schema 2's; this file says schema_version 1");

	bad_edit("a wrong type", good, "\"median\": 123.25", "\"median\": \"fast\"",
		 "rows[3].time_per_op.median: expected a number, found a string");
	bad_edit("a bool as a number", good, "\"complete\": true", "\"complete\": 1",
		 "complete: expected a bool, found a number");
	bad_edit("an unknown top-level member", good, "\"suite\": \"my",
		 "\"x\": null, \"suite\": \"my", "unknown member \"x\" at the top level");
	bad_edit("null for a string member", good, "\"pvr\": \"0x004d0200\"", "\"pvr\": null",
		 "host.pvr: expected a string, found null");
	bad_edit("a missing member", good, ",\n      \"verdict\": \"ok\"", "",
		 "rows[0]: missing member \"verdict\"");
	bad_edit("a missing top-level member", good, "\"date\": \"2026-11-24T09:12:41Z\",", "",
		 "missing member \"date\" at the top level");
	bad_edit("an unknown member", good, "\"lab\": false", "\"lab\": false, \"cpus\": 2",
		 "host: unknown member \"cpus\"");
	bad_edit("an unknown class", good, "\"class\": \"mfmsr\"", "\"class\": \"mfmsrx\"",
		 "rows[0].class: unknown class \"mfmsrx\" (not in classes.def; see pvexit list)");
	bad_edit("a class name holding a line break", good, "\"class\": \"mfmsr\"",
		 "\"class\": \"mf\\nmsr\"", "rows[0].class: unknown class \"mf?msr\"");
	bad_edit("a case of another kind", good, "\"case\": \"\"", "\"case\": \"ee\"",
		 "rows[0].case: \"ee\" is not a case of class mfmsr (its cases: \"\")");
	bad_edit(
		"a missing case", good, "\"case\": \"ee-pending\"", "\"case\": \"\"",
		"rows[1].case: \"\" is not a case of class mtmsr (its cases: \"ee\", \"ee-pending\", \"other-bit\")");
	bad_edit("a bad variant", good, "\"variant\": \"raw\"", "\"variant\": \"fast\"",
		 "rows[0].variant: \"fast\" is not a variant (raw, patched, baseline)");
	bad_edit("a bad guest", good, "\"guest\": \"be\"", "\"guest\": \"ppc\"",
		 "rows[0].guest: \"ppc\" is not a guest (be, le, be32, e500)");
	bad_edit("too few samples", good, "\"repetitions\": 3", "\"repetitions\": 4",
		 "rows[0].time_samples: 3 samples, but repetitions is 4");
	bad_edit(
		"a median outside its interval", good, "\"median\": 19000.5", "\"median\": 20000",
		"rows[0].time_per_op: median 20000 is outside [ci_low 18990.125, ci_high 19010.25]");
	bad_edit("a coverage above 1", good, "\"ci_level\": 0.75", "\"ci_level\": 1.5",
		 "rows[0].time_per_op.ci_level: 1.5 is not a coverage between 0 and 1");
	bad_edit("a negative sample", good, "\"time_samples\": [19000.5",
		 "\"time_samples\": [-19000.5",
		 "rows[0].time_samples[0]: must not be negative, found -19000.5");
	bad_edit_at("a number too large for a double", good, "\"irq_per_op\": 0",
		    "\"irq_per_op\": 1e999", "1e999", "number out of range: 1e999");
	bad_edit_at("iterations past 2^64", good, "\"iterations\": 20000",
		    "\"iterations\": 18446744073709551616", "1844",
		    "number out of range: 18446744073709551616 (integers go up to "
		    "9223372036854775807)");
	bad_edit_at("iterations past the largest integer jansson holds", good,
		    "\"iterations\": 20000", "\"iterations\": 9223372036854775808", "9223",
		    "number out of range: 9223372036854775808");
	bad_edit("repetitions past UINT_MAX", good, "\"repetitions\": 3",
		 "\"repetitions\": 4294967296",
		 "rows[0].repetitions: expected an integer from 0 to 4294967295");
	bad_edit("zero iterations", good, "\"iterations\": 20000", "\"iterations\": 0",
		 "rows[0].iterations: 0: a row measures at least one op");
	bad_edit(
		"a fractional hist bucket", good, "\"hist\": [7,", "\"hist\": [7.5,",
		"rows[0].counters[1].hist[0]: expected an integer from 0 to 9223372036854775807, found 7.5");
	bad_edit("an unknown class in by_class", good, "{\"mfmsr\": 1}", "{\"mfmsrq\": 1}",
		 "rows[0].counters[1].by_class: unknown class \"mfmsrq\"");
	bad_edit("a string in a map", good, "{\"PROGRAM\": 1,", "{\"PROGRAM\": \"1\",",
		 "rows[0].counters[1].by_vector.PROGRAM: expected a number, found a string");
	bad_edit("two counters of one name", good, "\"name\": \"bpf\"", "\"name\": \"stats\"",
		 "rows[0].counters[1]: a second counter named \"stats\"");
	bad_edit("data in an unavailable counter", good, "\"available\": false",
		 "\"available\": false, \"exits_per_op\": 1",
		 "rows[1].counters[1]: unknown member \"exits_per_op\"");
	bad_edit("an unavailable counter without why", good,
		 ",\n          \"why\": \"BPF: not permitted\\t(CAP_BPF)\"", "",
		 "rows[1].counters[1]: missing member \"why\"");
	bad_edit("an available counter without exits_per_op", good,
		 "\"available\": true,\n          \"exits_per_op\": 1,", "\"available\": true,",
		 "rows[0].counters[0]: missing member \"exits_per_op\"");
	bad_edit("more patched than found", good, "\"found\": 6", "\"found\": 4",
		 "rows[0].patch: patched 5 sites of 4 found");
	bad_edit("a verdict that is no verdict", good, "\"verdict\": \"ok\"",
		 "\"verdict\": \"fine\"",
		 "rows[0].verdict: \"fine\" is neither \"ok\" nor \"FAIL: ...\"");
	bad_edit("a check without pass", good, "\"pass\": true", "\"passed\": true",
		 "rows[1].checks[0]: unknown member \"passed\"");
	t = edit(good, "\"class\": \"mfmsr\"", "\"class\": \"mtsrr0\"");
	u = t ? edit(t, "\"variant\": \"raw\"", "\"variant\": \"patched\"") : NULL;
	bad_text("two rows of one key", u,
		 "rows[3]: a second row for mtsrr0 patched guest be (the first is rows[0])");
	free(t);
	free(u);

	memset(&r, 0, sizeof(r));
	CHECK("load: a missing file fails",
	      pvx_results_load(path_in("nonexistent.json"), &r, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("load: a missing file says so", err,
			   "nonexistent.json: cannot open: No such file or directory");
	CHECK("load: a directory fails", pvx_results_load(tmpdir, &r, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("load: a directory says so", err, tmpdir);

	/* The same text loads when nothing is wrong: the edits above made the faults. */
	write_all(path_in("bad.json"), good);
	CHECK("load: the unedited base loads",
	      pvx_results_load(path_in("bad.json"), &r, err, sizeof(err)) == 0 && r.nrows == 4);
	pvx_results_free(&r);
	n = strlen(good);
	CHECK("load: the base is a real document", n > 1000);
	unlink(path_in("bad.json"));
	free(good);
}

/* Save from a child that cannot write @dir: as nobody when root, else the
 * directory's mode is enough.  Return: the child's status, err filled. */
static int save_unprivileged(const struct pvx_results *r, const char *path, char *err,
			     size_t errlen)
{
	int fds[2], status;
	ssize_t got;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		char e[400] = "";
		int rc;

		close(fds[0]);
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) < 0 || setgid(65534) < 0 || setuid(65534) < 0))
			_exit(3);
		rc = pvx_results_save(r, path, false, e, sizeof(e));
		if (write(fds[1], e, strlen(e)) < 0)
			_exit(4);
		_exit(rc == -1 ? 0 : 1);
	}
	close(fds[1]);
	got = read(fds[0], err, errlen - 1);
	err[got > 0 ? got : 0] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_atomic(void)
{
	struct pvx_results r;
	char err[400] = "", *before, *after, sub[300];
	struct stat st;
	int rc;

	build(&r);
	CHECK("save: a first file",
	      pvx_results_save(&r, path_in("a.json"), false, err, sizeof(err)) == 0);
	before = read_all(path_in("a.json"), NULL);
	r.complete = false;
	CHECK("save: over an existing file",
	      pvx_results_save(&r, path_in("a.json"), false, err, sizeof(err)) == 0);
	after = read_all(path_in("a.json"), NULL);
	CHECK("save: the new content replaced the old",
	      before && after && strcmp(before, after) && strstr(after, "\"complete\": false"));
	free(before);
	free(after);
	before = read_all(path_in("a.json"), NULL);

	/* A directory no one may write: the save fails, the old file stays. */
	chmod(tmpdir, 0555);
	r.complete = true;
	rc = save_unprivileged(&r, path_in("a.json"), err, sizeof(err));
	chmod(tmpdir, 0700);
	if (rc == 3) {
		unit_skip("save: into a read-only directory fails",
			  "cannot drop root to nobody here");
	} else {
		CHECK("save: into a read-only directory fails", rc == 0);
		CHECK_STR_CONTAINS("save: the error says what it could not do", err,
				   "cannot create a temporary file in");
		CHECK_STR_CONTAINS("save: the error names the file", err, path_in("a.json"));
		after = read_all(path_in("a.json"), NULL);
		CHECK("save: the old file is intact", before && after && !strcmp(before, after));
		free(after);
	}
	CHECK("save: no temporary file after a failed save", temp_files(tmpdir) == 0);

	/* The rename fails (a directory is in the way): the temporary goes. */
	snprintf(sub, sizeof(sub), "%s", path_in("sub"));
	mkdir(sub, 0700);
	CHECK("save: onto a directory fails",
	      pvx_results_save(&r, sub, false, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("save: a failed rename says so", err, "cannot replace it");
	CHECK("save: the directory is still there", stat(sub, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK("save: no temporary file after a failed rename", temp_files(tmpdir) == 0);
	rmdir(sub);

	CHECK("save: to a directory name fails",
	      pvx_results_save(&r, "/tmp/", false, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("save: a directory name says so", err,
			   "/tmp/: a directory, not a file name");
	CHECK("save: into a missing directory fails",
	      pvx_results_save(&r, path_in("no/such.json"), false, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("save: a missing directory says so", err, "No such file or directory");

	/* What JSON cannot say is refused before anything is written. */
	r.rows[0].exits_per_op = NAN;
	CHECK("save: a NaN fails",
	      pvx_results_save(&r, path_in("a.json"), false, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("save: a NaN is named", err,
			   "rows[0].exits_per_op: not a finite number");
	after = read_all(path_in("a.json"), NULL);
	CHECK("save: the old file is intact after a NaN",
	      before && after && !strcmp(before, after));
	free(after);
	{
		FILE *f = fopen("/dev/null", "w");

		errno = 0;
		CHECK("write_json: a NaN is EDOM",
		      pvx_results_write_json(&r, f) == -1 && errno == EDOM);
		errno = 0;
		CHECK("write_csv: a NaN is EDOM",
		      pvx_results_write_csv(&r, f) == -1 && errno == EDOM);
		fclose(f);
	}
	r.rows[0].exits_per_op = 1;
	r.rows[3].time_samples[2] = INFINITY;
	CHECK("save: an infinite sample fails",
	      pvx_results_save(&r, path_in("a.json"), true, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("save: an infinite sample is named", err,
			   "rows[3].time_samples[2]: not a finite number");
	r.rows[3].time_samples[2] = 123.25;
	/* jansson holds no integer past INT64_MAX: a file with one would not read back. */
	r.rows[1].patch.found = UINT64_MAX;
	CHECK("save: an integer past what a file holds fails",
	      pvx_results_save(&r, path_in("a.json"), false, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("save: the integer is named", err,
			   "rows[1].patch.found: 18446744073709551615 is past the largest integer "
			   "a results file holds (9223372036854775807)");
	r.rows[1].patch.found = INT64_MAX;
	r.rows[0].counters[1].hist[39] = (uint64_t)INT64_MAX + 1;
	CHECK_STR_CONTAINS(
		"save: a histogram bucket past it is named",
		pvx_results_save(&r, path_in("a.json"), false, err, sizeof(err)) == -1 ? err : "",
		"rows[0].counters[1].hist[39]: 9223372036854775808 is past");
	r.rows[0].counters[1].hist[39] = 1;
	free(r.rows[0].counters[0].raw[1].name);
	r.rows[0].counters[0].raw[1].name = xstrdup("emulated_inst_exits");
	CHECK("save: a name twice in a map fails",
	      pvx_results_save(&r, path_in("a.json"), false, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("save: the repeated name is named", err,
			   "rows[0].counters[0].raw: the name \"emulated_inst_exits\" twice");
	CHECK("save: no temporary file after refusals", temp_files(tmpdir) == 0);
	{
		FILE *f = fopen("/dev/full", "w");

		r.rows[0].counters[0].raw[1].name[0] = 'E';
		errno = 0;
		CHECK("write_json: a full disk fails",
		      f && pvx_results_write_json(&r, f) == -1 && errno == ENOSPC);
		if (f)
			fclose(f);
	}
	free(before);
	unlink(path_in("a.json"));
	pvx_results_free(&r);
}

/* JSON and CSV as one: both replaced, or neither when either fails. */
static void test_save_both(void)
{
	struct pvx_results r;
	char err[400] = "", buf[64], *j0, *c0, *j1, *c1;

	build(&r);
	CHECK("save both: a first pair",
	      pvx_results_save_both(&r, path_in("b.json"), path_in("b.csv"), err, sizeof(err)) ==
		      0);
	j0 = read_all(path_in("b.json"), NULL);
	c0 = read_all(path_in("b.csv"), NULL);
	CHECK("save both: JSON and CSV written",
	      j0 && c0 && strstr(j0, "\"schema_version\": 2") && !strstr(c0, "schema_version"));

	/* The JSON is written first; a CSV that then cannot be must keep it
	 * from replacing the old one, or the pair would disagree. */
	r.complete = false;
	CHECK("save both: a CSV that cannot be written fails",
	      pvx_results_save_both(&r, path_in("b.json"), path_in("no/b.csv"), err, sizeof(err)) ==
		      -1);
	CHECK_STR_CONTAINS("save both: the error names the CSV", err, path_in("no/b.csv"));
	j1 = read_all(path_in("b.json"), NULL);
	CHECK("save both: the old JSON stays", j0 && j1 && !strcmp(j0, j1));
	free(j1);
	CHECK("save both: a JSON that cannot be written fails",
	      pvx_results_save_both(&r, path_in("no/b.json"), path_in("b.csv"), err, sizeof(err)) ==
		      -1);
	CHECK_STR_CONTAINS("save both: the error names the JSON", err, path_in("no/b.json"));
	c1 = read_all(path_in("b.csv"), NULL);
	CHECK("save both: the old CSV stays", c0 && c1 && !strcmp(c0, c1));
	free(c1);
	CHECK("save both: no temporary file after a failed save", temp_files(tmpdir) == 0);
	CHECK("save both: then both replaced",
	      pvx_results_save_both(&r, path_in("b.json"), path_in("b.csv"), err, sizeof(err)) ==
		      0);
	j1 = read_all(path_in("b.json"), NULL);
	CHECK("save both: the new JSON is there", j1 && strstr(j1, "\"complete\": false"));
	free(j1);
	free(j0);
	free(c0);
	unlink(path_in("b.json"));
	unlink(path_in("b.csv"));
	pvx_results_free(&r);

	CHECK("csv path: FILE.json gives FILE.csv",
	      !strcmp(pvx_results_csv_path("d/r.json", buf, sizeof(buf)), "d/r.csv"));
	CHECK("csv path: another name gets .csv",
	      !strcmp(pvx_results_csv_path("d/r.out", buf, sizeof(buf)), "d/r.out.csv"));
	CHECK("csv path: a bare .json is a name, not a suffix",
	      !strcmp(pvx_results_csv_path(".json", buf, sizeof(buf)), ".json.csv"));
}

static double median_of(const double *x, size_t n)
{
	double *s = doubles(n, x), t, m;
	size_t i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && s[j - 1] > s[j]; j--) {
			t = s[j];
			s[j] = s[j - 1];
			s[j - 1] = t;
		}
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

static const struct {
	const char *name;
	size_t rows;
	bool complete;
} fixtures[] = {
	{ "lab-le-be.json", 42, true },
	{ "slower-mfmsr.json", 42, true },
	{ "incomplete.json", 17, false },
};

/* @s with every @from replaced by @to (a new string). */
static char *replace_all(const char *s, const char *from, const char *to)
{
	size_t n = 0, lf = strlen(from), lt = strlen(to);
	const char *p;
	char *out, *o;

	for (p = s; (p = strstr(p, from)); p += lf)
		n++;
	out = o = malloc(strlen(s) + n * lt + 1);
	if (!out)
		return NULL;
	for (p = s; *p;) {
		if (!strncmp(p, from, lf)) {
			memcpy(o, to, lt);
			o += lt;
			p += lf;
		} else {
			*o++ = *p++;
		}
	}
	*o = '\0';
	return out;
}

/* What this pvexit writes for a schema 1 file it read: schema 2, in ns,
 * its build unknown. */
static char *as_schema2(const char *v1)
{
	static const char *const edits[][2] = {
		{ "\"schema_version\": 1,", "\"schema_version\": 2," },
		{ "\"complete\": true,\n", "\"complete\": true,\n  \"time_unit\": \"ns\",\n" },
		{ "\"complete\": false,\n", "\"complete\": false,\n  \"time_unit\": \"ns\",\n" },
		{ "\"ns_samples\"", "\"time_samples\"" },
		{ "\"date\":",
		  "\"build\": {\"kind\": \"unknown\", \"compiler\": \"unknown\", \"target\": \"unknown\"},\n  \"date\":" },
		{ "\"ns_per_op\"", "\"time_per_op\"" },
	};
	char *t = v1 ? strdup(v1) : NULL, *u;
	size_t i;

	for (i = 0; t && i < sizeof(edits) / sizeof(edits[0]); i++) {
		u = replace_all(t, edits[i][0], edits[i][1]);
		free(t);
		t = u;
	}
	return t;
}

static void test_fixture(const char *file, size_t want_rows, bool complete)
{
	char path[400], label[300], err[400] = "", *text, *again, *v2;
	struct pvx_results r;
	size_t i, bad = 0;

	snprintf(path, sizeof(path), "%s/%s", FIXTURES, file);
	snprintf(label, sizeof(label), "fixture %s: loads", file);
	if (!CHECK(label, pvx_results_load(path, &r, err, sizeof(err)) == 0)) {
		printf("  error: %s\n", err);
		return;
	}
	snprintf(label, sizeof(label), "fixture %s: %zu rows", file, want_rows);
	CHECK_EQ_U64(label, r.nrows, want_rows);
	snprintf(label, sizeof(label), "fixture %s: complete is %s", file,
		 complete ? "true" : "false");
	CHECK(label, r.complete == complete);
	for (i = 0; i < r.nrows; i++) {
		const struct pvx_row *row = &r.rows[i];

		if (row->time_per_op.median != median_of(row->time_samples, row->nsamples) ||
		    row->time_per_op.ci_low > row->time_per_op.median ||
		    row->time_per_op.ci_high < row->time_per_op.median)
			bad++;
	}
	snprintf(label, sizeof(label),
		 "fixture %s: medians are the samples' and inside their intervals", file);
	CHECK(label, bad == 0);
	text = read_all(path, NULL);
	v2 = as_schema2(text);
	again = json_text(&r);
	snprintf(label, sizeof(label),
		 "fixture %s: rewritten byte for byte as schema 2 (time_unit ns)", file);
	CHECK(label, v2 && again && !strcmp(v2, again));
	free(v2);
	free(text);
	free(again);
	pvx_results_free(&r);
}

/* What the compare tests rely on: mfmsr patched 25% slower, mtmsr/ee raw the same. */
static void test_fixture_contrast(void)
{
	static const char *const guests[] = { "be", "le" };
	struct pvx_results a, b;
	char err[400];
	unsigned int g;

	if (pvx_results_load(FIXTURES "/lab-le-be.json", &a, err, sizeof(err)) < 0)
		return;
	if (pvx_results_load(FIXTURES "/slower-mfmsr.json", &b, err, sizeof(err)) < 0) {
		pvx_results_free(&a);
		return;
	}
	CHECK("fixtures: a schema 1 file reads as ns (its ns_samples and ns_per_op)",
	      a.schema_version == 1 && a.time_unit == PVX_UNIT_NS && a.nrows &&
		      a.rows[0].nsamples && a.rows[0].time_per_op.median > 0);
	for (g = 0; g < 2; g++) {
		const struct pvx_row *x = pvx_results_find(&a, "mfmsr", "patched", guests[g]);
		const struct pvx_row *y = pvx_results_find(&b, "mfmsr", "patched", guests[g]);
		const struct pvx_row *p = pvx_results_find(&a, "mtmsr/ee", "raw", guests[g]);
		const struct pvx_row *q = pvx_results_find(&b, "mtmsr/ee", "raw", guests[g]);
		char label[200];
		double ratio;

		snprintf(label, sizeof(label),
			 "fixtures: mfmsr patched %s about 25%% slower, outside the intervals",
			 guests[g]);
		ratio = x && y ? y->time_per_op.median / x->time_per_op.median : 0;
		CHECK(label, x && y && ratio > 1.2 && ratio < 1.3 &&
				     y->time_per_op.ci_low > x->time_per_op.ci_high);
		snprintf(label, sizeof(label), "fixtures: mtmsr/ee raw %s within 2%%", guests[g]);
		ratio = p && q ? q->time_per_op.median / p->time_per_op.median : 0;
		CHECK(label, p && q && ratio > 0.98 && ratio < 1.02);
	}
	pvx_results_free(&a);
	pvx_results_free(&b);
}

static void test_fixtures(void)
{
	DIR *d = opendir(FIXTURES);
	struct dirent *e;
	size_t i, seen = 0;

	if (!CHECK("fixtures: " FIXTURES " is there (run from the source tree)", d != NULL))
		return;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++)
			if (!strcmp(fixtures[i].name, e->d_name))
				break;
		if (i == sizeof(fixtures) / sizeof(fixtures[0])) {
			char label[300];

			/* A fixture someone added: it must load, whatever its rows. */
			snprintf(label, sizeof(label), "fixture %s: loads", e->d_name);
			{
				char path[400], err[400] = "";
				struct pvx_results r;

				snprintf(path, sizeof(path), "%s/%s", FIXTURES, e->d_name);
				if (!CHECK(label,
					   pvx_results_load(path, &r, err, sizeof(err)) == 0))
					printf("  error: %s\n", err);
				else
					pvx_results_free(&r);
			}
			continue;
		}
		seen++;
		test_fixture(fixtures[i].name, fixtures[i].rows, fixtures[i].complete);
	}
	closedir(d);
	CHECK_EQ_U64("fixtures: all three are there", seen, sizeof(fixtures) / sizeof(fixtures[0]));
	test_fixture_contrast();
}

int main(void)
{
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_round_trip();
	test_csv();
	test_label_find();
	test_json_syntax();
	test_json_values();
	test_malformed();
	test_atomic();
	test_save_both();
	test_fixtures();
	unlink(path_in("r.json"));
	unlink(path_in("r.csv"));
	if (rmdir(tmpdir) < 0)
		printf("FAIL results: temporary directory left with files: %s\n", tmpdir);
	return unit_done();
}
