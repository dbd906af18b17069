// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a results file: parse it, then check every member against
 * docs/results.md and the class and case tables, so that report,
 * compare, plot and bisect-run can take a loaded file at its word.
 * Errors name the file and the place: "line L col C" for bad JSON, the
 * member's path ("rows[3].time_per_op.median") for a wrong schema.  The
 * JSON itself is jansson's (json.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pvexit/cases.h>
#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "names.h"
#include "json.h"
#include "results.h"
#include "suite.h"
#include "util.h"

/* Larger than any suite writes by far; a bound for reading a wrong file.
 * The one bound: enforced and named in its message from here. */
#define RESULTS_MAX_BYTES (256u << 20)
#define HIST_MAX 64
/* jansson holds integers as json_int_t: the largest a file can give. */
#define INT_MAX_JSON ((uint64_t)INT64_MAX)
/* Member paths are short: "rows[123].counters[1].by_class.mfsprg0". */
#define PATH_LEN 256

struct loader {
	int version; /* the file's schema_version */
	const char *file;
	char *err;
	size_t errlen;
};

/* Names from the file may hold escaped line breaks: an error stays one line. */
static void one_line(char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

static bool __attribute__((format(printf, 3, 4)))
lfail(struct loader *l, const char *path, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (path && *path)
		pvx_set_err(l->err, l->errlen, "%s: %s: %s", l->file, path, msg);
	else
		pvx_set_err(l->err, l->errlen, "%s: %s", l->file, msg);
	one_line(l->err);
	return false;
}

/* @path.@key, or @key at the top level. */
static void join(char *out, size_t len, const char *path, const char *key)
{
	int n = *path ? snprintf(out, len, "%s.%s", path, key) : snprintf(out, len, "%s", key);

	/* A path cut short still names the place well enough. */
	if (n < 0 || (size_t)n >= len)
		out[len - 1] = '\0';
}

/* @path[@i], for array elements. */
static void elem(char *out, size_t len, const char *path, size_t i)
{
	int n = snprintf(out, len, "%s[%zu]", path, i);

	if (n < 0 || (size_t)n >= len)
		out[len - 1] = '\0';
}

/* What a member can be, as messages name it: one kind of number, one of bool. */
enum kind { K_NULL, K_BOOL, K_NUMBER, K_STRING, K_ARRAY, K_OBJECT };

static enum kind kind_of(json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return K_OBJECT;
	case JSON_ARRAY:
		return K_ARRAY;
	case JSON_STRING:
		return K_STRING;
	case JSON_INTEGER:
	case JSON_REAL:
		return K_NUMBER;
	case JSON_TRUE:
	case JSON_FALSE:
		return K_BOOL;
	case JSON_NULL:
		break;
	}
	return K_NULL;
}

static const char *kind_name(enum kind k)
{
	static const char *const names[] = {
		[K_NULL] = "null",	 [K_BOOL] = "a bool",	 [K_NUMBER] = "a number",
		[K_STRING] = "a string", [K_ARRAY] = "an array", [K_OBJECT] = "an object",
	};

	return names[k];
}

/*
 * A number as a message quotes it.  jansson keeps no text, so a real is
 * shown with a point or an exponent, as it must have been written: "1.0"
 * for a schema_version of 1.0 is the fault, "1" would hide it.
 */
#define NUM_TEXT_MAX (PVX_JSON_NUMBER_MAX + 2)
static const char *num_text(json_t *v, char *buf)
{
	if (json_is_integer(v)) {
		snprintf(buf, NUM_TEXT_MAX, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	} else if (!json_is_real(v) || !pvx_json_format_double(json_real_value(v), buf)) {
		snprintf(buf, NUM_TEXT_MAX, "?");
	} else if (!strpbrk(buf, ".e")) {
		strcat(buf, ".0");
	}
	return buf;
}

/* Every member of @obj must be one of @known (NULL-terminated). */
static bool only(struct loader *l, json_t *obj, const char *path, const char *const *known)
{
	const char *key;
	void *it;
	size_t k;

	for (it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
		key = json_object_iter_key(it);
		for (k = 0; known[k]; k++)
			if (!strcmp(key, known[k]))
				break;
		if (!known[k])
			return *path ? lfail(l, path, "unknown member \"%s\"", key) :
				       lfail(l, NULL, "unknown member \"%s\" at the top level",
					     key);
	}
	return true;
}

static bool type_is(struct loader *l, json_t *v, const char *path, enum kind k)
{
	if (kind_of(v) == k)
		return true;
	return lfail(l, path, "expected %s, found %s", kind_name(k), kind_name(kind_of(v)));
}

/* Member @key of @obj of kind @k; NULL when absent (an error unless @optional). */
static json_t *member(struct loader *l, json_t *obj, const char *path, const char *key, enum kind k,
		      bool optional, bool *ok)
{
	json_t *v = json_object_get(obj, key);
	char p[PATH_LEN];

	if (!v) {
		if (!optional)
			*ok = *path ? lfail(l, path, "missing member \"%s\"", key) :
				      lfail(l, NULL, "missing member \"%s\" at the top level", key);
		return NULL;
	}
	join(p, sizeof(p), path, key);
	if (!type_is(l, v, p, k)) {
		*ok = false;
		return NULL;
	}
	return v;
}

static bool get_str(struct loader *l, json_t *obj, const char *path, const char *key, char **out)
{
	bool ok = true;
	json_t *v = member(l, obj, path, key, K_STRING, false, &ok);

	if (v)
		*out = pvx_xstrdup(json_string_value(v));
	return ok;
}

static bool get_bool(struct loader *l, json_t *obj, const char *path, const char *key, bool *out)
{
	bool ok = true;
	json_t *v = member(l, obj, path, key, K_BOOL, false, &ok);

	if (v)
		*out = json_is_true(v);
	return ok;
}

/* A plain integer (no fraction, no exponent) from 0 to @max. */
static bool as_u64(struct loader *l, json_t *v, const char *path, uint64_t max, uint64_t *out)
{
	char t[NUM_TEXT_MAX];

	if (!type_is(l, v, path, K_NUMBER))
		return false;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    (uint64_t)json_integer_value(v) > max)
		return lfail(l, path, "expected an integer from 0 to %llu, found %s",
			     (unsigned long long)max, num_text(v, t));
	*out = (uint64_t)json_integer_value(v);
	return true;
}

static bool get_u64(struct loader *l, json_t *obj, const char *path, const char *key, uint64_t max,
		    uint64_t *out)
{
	bool ok = true;
	json_t *v = member(l, obj, path, key, K_NUMBER, false, &ok);
	char p[PATH_LEN];

	if (!v)
		return ok;
	join(p, sizeof(p), path, key);
	return as_u64(l, v, p, max, out);
}

/*
 * A number a double holds, not negative (times, rates and counts).
 * jansson has refused what no double holds; an integer goes to the
 * nearest double, as strtod would take its text.
 */
static bool as_nonneg(struct loader *l, json_t *v, const char *path, double *out)
{
	char t[NUM_TEXT_MAX];

	if (!type_is(l, v, path, K_NUMBER))
		return false;
	*out = json_number_value(v);
	if (*out < 0)
		return lfail(l, path, "must not be negative, found %s", num_text(v, t));
	return true;
}

static bool get_nonneg(struct loader *l, json_t *obj, const char *path, const char *key,
		       double *out)
{
	bool ok = true;
	json_t *v = member(l, obj, path, key, K_NUMBER, false, &ok);
	char p[PATH_LEN];

	if (!v)
		return ok;
	join(p, sizeof(p), path, key);
	return as_nonneg(l, v, p, out);
}

/* A class of the table by name, or -1. */
static int class_index(const char *name)
{
	int i;

	for (i = 0; i < PVX_CLASS_COUNT; i++)
		if (!strcmp(pvx_classes[i].name, name))
			return i;
	return -1;
}

/* A map member (name -> number); absent is empty when @optional. */
static bool get_map(struct loader *l, json_t *obj, const char *path, const char *key, bool optional,
		    bool class_names, struct pvx_kv **out, size_t *n)
{
	bool ok = true;
	json_t *v = member(l, obj, path, key, K_OBJECT, optional, &ok);
	char p[PATH_LEN], q[PATH_LEN];
	struct pvx_kv *kv;
	const char *name;
	void *it;

	if (!v)
		return ok;
	join(p, sizeof(p), path, key);
	*out = pvx_xcalloc(json_object_size(v), sizeof(**out));
	for (it = json_object_iter(v); it; it = json_object_iter_next(v, it)) {
		name = json_object_iter_key(it);
		join(q, sizeof(q), p, name);
		if (class_names && strcmp(name, "other") && class_index(name) < 0)
			return lfail(l, p,
				     "unknown class \"%s\" (not in classes.def; see pvexit list)",
				     name);
		kv = &(*out)[(*n)++];
		kv->name = pvx_xstrdup(name);
		if (!as_nonneg(l, json_object_iter_value(it), q, &kv->value))
			return false;
	}
	return true;
}

/* Schema 2's "build": how the writing pvexit was built. */
static bool load_build(struct loader *l, json_t *top, struct pvx_build *b)
{
	static const char *const known[] = { "kind", "compiler", "target", NULL };
	bool ok = true;
	json_t *v;

	if (l->version < 2) {
		if (json_object_get(top, "build"))
			return lfail(l, "build", "is schema 2's; this file says schema_version 1");
		return true;
	}
	v = member(l, top, "", "build", K_OBJECT, false, &ok);
	if (!v)
		return false;
	return only(l, v, "build", known) && get_str(l, v, "build", "kind", &b->kind) &&
	       get_str(l, v, "build", "compiler", &b->compiler) &&
	       get_str(l, v, "build", "target", &b->target);
}

static bool load_host(struct loader *l, json_t *top, struct pvx_host *h)
{
	static const char *const known[] = {
		"kernel_release", "machine", "cpu", "pvr", "kvm", "lab", NULL
	};
	bool ok = true;
	json_t *v = member(l, top, "", "host", K_OBJECT, false, &ok);

	if (!v)
		return false;
	return only(l, v, "host", known) &&
	       get_str(l, v, "host", "kernel_release", &h->kernel_release) &&
	       get_str(l, v, "host", "machine", &h->machine) &&
	       get_str(l, v, "host", "cpu", &h->cpu) && get_str(l, v, "host", "pvr", &h->pvr) &&
	       get_str(l, v, "host", "kvm", &h->kvm) && get_bool(l, v, "host", "lab", &h->lab);
}

static bool load_counter(struct loader *l, json_t *v, const char *path, struct pvx_counter *c)
{
	static const char *const known_off[] = { "name", "available", "why", NULL };
	static const char *const known_on[] = { "name",	     "available", "exits_per_op",
						"by_vector", "by_class",  "raw",
						"hist",	     NULL };
	json_t *hist;
	bool ok = true;
	char p[PATH_LEN];
	uint64_t x;
	size_t i;

	if (!type_is(l, v, path, K_OBJECT) || !get_str(l, v, path, "name", &c->name) ||
	    !get_bool(l, v, path, "available", &c->available))
		return false;
	if (!c->name[0]) {
		join(p, sizeof(p), path, "name");
		return lfail(l, p, "empty");
	}
	if (!c->available)
		return only(l, v, path, known_off) && get_str(l, v, path, "why", &c->why);
	if (!only(l, v, path, known_on) ||
	    !get_nonneg(l, v, path, "exits_per_op", &c->exits_per_op) ||
	    !get_map(l, v, path, "by_vector", true, false, &c->by_vector, &c->nby_vector) ||
	    !get_map(l, v, path, "by_class", true, true, &c->by_class, &c->nby_class) ||
	    !get_map(l, v, path, "raw", true, false, &c->raw, &c->nraw))
		return false;
	hist = member(l, v, path, "hist", K_ARRAY, true, &ok);
	if (!hist)
		return ok;
	join(p, sizeof(p), path, "hist");
	if (json_array_size(hist) > HIST_MAX)
		return lfail(l, p, "%zu buckets, at most %d", json_array_size(hist), HIST_MAX);
	c->hist = pvx_xcalloc(json_array_size(hist), sizeof(*c->hist));
	c->nhist = json_array_size(hist);
	for (i = 0; i < c->nhist; i++) {
		char q[PATH_LEN];

		elem(q, sizeof(q), p, i);
		if (!as_u64(l, json_array_get(hist, i), q, INT_MAX_JSON, &x))
			return false;
		c->hist[i] = x;
	}
	return true;
}

static bool load_check(struct loader *l, json_t *v, const char *path, struct pvx_check *c)
{
	static const char *const known[] = { "what", "pass", "seen", "want", NULL };

	return type_is(l, v, path, K_OBJECT) && only(l, v, path, known) &&
	       get_str(l, v, path, "what", &c->what) && get_bool(l, v, path, "pass", &c->pass) &&
	       get_str(l, v, path, "seen", &c->seen) && get_str(l, v, path, "want", &c->want);
}

/* The case must be one the table gives the class's kind. */
static bool check_case(struct loader *l, const char *path, int cls, const char *cs)
{
	char list[200] = "";
	size_t used = 0;
	int i;

	for (i = 0; i < PVX_CASE_COUNT; i++) {
		if (pvx_cases[i].kind != pvx_classes[cls].kind)
			continue;
		if (!strcmp(pvx_cases[i].name, cs))
			return true;
		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s\"%s\"",
						 used ? ", " : "", pvx_cases[i].name);
	}
	return lfail(l, path, "\"%s\" is not a case of class %s (its cases: %s)", cs,
		     pvx_classes[cls].name, list);
}

/* @name must be one of the @n names @names(i) gives; else an error listing them. */
static bool one_of(struct loader *l, const char *path, const char *what, const char *name,
		   const char *const *names, size_t n)
{
	char list[120] = "";
	size_t i, used = 0;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], name))
			return true;
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
					 names[i]);
		if (used >= sizeof(list))
			used = sizeof(list) - 1;
	}
	return lfail(l, path, "\"%s\" is not a %s (%s)", name, what, list);
}

static bool load_row_ids(struct loader *l, json_t *v, const char *path, struct pvx_row *row)
{
	const char *variants[] = { pvx_variant_name(PVX_VAR_RAW), pvx_variant_name(PVX_VAR_PATCHED),
				   pvx_variant_name(PVX_VAR_BASELINE) };
	char p[PATH_LEN];
	int cls;

	if (!get_str(l, v, path, "class", &row->cls) || !get_str(l, v, path, "case", &row->cs) ||
	    !get_str(l, v, path, "variant", &row->variant) ||
	    !get_str(l, v, path, "guest", &row->guest))
		return false;
	join(p, sizeof(p), path, "class");
	cls = class_index(row->cls);
	if (cls < 0)
		return lfail(l, p, "unknown class \"%s\" (not in classes.def; see pvexit list)",
			     row->cls);
	join(p, sizeof(p), path, "case");
	if (!check_case(l, p, cls, row->cs))
		return false;
	join(p, sizeof(p), path, "variant");
	if (!one_of(l, p, "variant", row->variant, variants, 3))
		return false;
	join(p, sizeof(p), path, "guest");
	return one_of(l, p, "guest", row->guest, pvx_guest_names, PVX_GUEST_COUNT);
}

static bool load_summary(struct loader *l, json_t *row, const char *path, struct pvx_summary *s)
{
	static const char *const known[] = { "median", "ci_low", "ci_high", "ci_level", NULL };
	bool ok = true;
	const char *name = l->version < 2 ? "ns_per_op" : "time_per_op";
	json_t *v = member(l, row, path, name, K_OBJECT, false, &ok);
	char p[PATH_LEN], m[NUM_TEXT_MAX], lo[NUM_TEXT_MAX], hi[NUM_TEXT_MAX];

	if (!v)
		return false;
	join(p, sizeof(p), path, name);
	if (!only(l, v, p, known) || !get_nonneg(l, v, p, "median", &s->median) ||
	    !get_nonneg(l, v, p, "ci_low", &s->ci_low) ||
	    !get_nonneg(l, v, p, "ci_high", &s->ci_high) ||
	    !get_nonneg(l, v, p, "ci_level", &s->ci_level))
		return false;
	if (s->ci_low > s->median || s->median > s->ci_high)
		return lfail(l, p, "median %s is outside [ci_low %s, ci_high %s]",
			     num_text(json_object_get(v, "median"), m),
			     num_text(json_object_get(v, "ci_low"), lo),
			     num_text(json_object_get(v, "ci_high"), hi));
	if (s->ci_level > 1) {
		char q[PATH_LEN];

		join(q, sizeof(q), p, "ci_level");
		return lfail(l, q, "%s is not a coverage between 0 and 1",
			     num_text(json_object_get(v, "ci_level"), m));
	}
	return true;
}

static bool load_patch(struct loader *l, json_t *row, const char *path, struct pvx_patch *pt)
{
	static const char *const known[] = { "found", "patched", "skipped", NULL };
	bool ok = true;
	json_t *v = member(l, row, path, "patch", K_OBJECT, false, &ok);
	char p[PATH_LEN];

	if (!v)
		return false;
	join(p, sizeof(p), path, "patch");
	if (!only(l, v, p, known) || !get_u64(l, v, p, "found", INT_MAX_JSON, &pt->found) ||
	    !get_u64(l, v, p, "patched", INT_MAX_JSON, &pt->patched) ||
	    !get_map(l, v, p, "skipped", false, false, &pt->skipped, &pt->nskipped))
		return false;
	if (pt->patched > pt->found)
		return lfail(l, p, "patched %llu sites of %llu found",
			     (unsigned long long)pt->patched, (unsigned long long)pt->found);
	return true;
}

static bool load_row(struct loader *l, json_t *v, const char *path, struct pvx_row *row)
{
	/* Schema 1 said ns; schema 2 says time, in the file's time_unit. */
	static const char *const known2[] = { "class",	      "case",	     "variant",
					      "guest",	      "iterations",  "repetitions",
					      "time_samples", "time_per_op", "exits_per_op",
					      "irq_per_op",   "counters",    "checks",
					      "patch",	      "verdict",     NULL };
	static const char *const known1[] = { "class",	    "case",	  "variant",
					      "guest",	    "iterations", "repetitions",
					      "ns_samples", "ns_per_op",  "exits_per_op",
					      "irq_per_op", "counters",	  "checks",
					      "patch",	    "verdict",	  NULL };
	const char *const *known = l->version < 2 ? known1 : known2;
	const char *samples = l->version < 2 ? "ns_samples" : "time_samples";
	json_t *a;
	uint64_t reps;
	bool ok = true;
	char p[PATH_LEN], q[PATH_LEN];
	size_t i, j;

	if (!type_is(l, v, path, K_OBJECT) || !only(l, v, path, known) ||
	    !load_row_ids(l, v, path, row) ||
	    !get_u64(l, v, path, "iterations", INT_MAX_JSON, &row->iterations) ||
	    !get_u64(l, v, path, "repetitions", UINT_MAX, &reps))
		return false;
	row->repetitions = (unsigned int)reps;
	if (!row->iterations) {
		join(p, sizeof(p), path, "iterations");
		return lfail(l, p, "0: a row measures at least one op");
	}

	a = member(l, v, path, samples, K_ARRAY, false, &ok);
	if (!a)
		return false;
	join(p, sizeof(p), path, samples);
	if (json_array_size(a) != reps)
		return lfail(l, p, "%zu samples, but repetitions is %llu", json_array_size(a),
			     (unsigned long long)reps);
	row->time_samples = pvx_xcalloc(json_array_size(a), sizeof(double));
	row->nsamples = json_array_size(a);
	for (i = 0; i < row->nsamples; i++) {
		elem(q, sizeof(q), p, i);
		if (!as_nonneg(l, json_array_get(a, i), q, &row->time_samples[i]))
			return false;
	}
	if (!load_summary(l, v, path, &row->time_per_op) ||
	    !get_nonneg(l, v, path, "exits_per_op", &row->exits_per_op) ||
	    !get_nonneg(l, v, path, "irq_per_op", &row->irq_per_op))
		return false;

	a = member(l, v, path, "counters", K_ARRAY, false, &ok);
	if (!a)
		return false;
	row->counters = pvx_xcalloc(json_array_size(a), sizeof(*row->counters));
	for (i = 0; i < json_array_size(a); i++) {
		join(p, sizeof(p), path, "counters");
		elem(q, sizeof(q), p, i);
		row->ncounters++;
		if (!load_counter(l, json_array_get(a, i), q, &row->counters[i]))
			return false;
		for (j = 0; j < i; j++)
			if (!strcmp(row->counters[j].name, row->counters[i].name))
				return lfail(l, q, "a second counter named \"%s\"",
					     row->counters[i].name);
	}

	a = member(l, v, path, "checks", K_ARRAY, false, &ok);
	if (!a)
		return false;
	row->checks = pvx_xcalloc(json_array_size(a), sizeof(*row->checks));
	for (i = 0; i < json_array_size(a); i++) {
		join(p, sizeof(p), path, "checks");
		elem(q, sizeof(q), p, i);
		row->nchecks++;
		if (!load_check(l, json_array_get(a, i), q, &row->checks[i]))
			return false;
	}

	if (!load_patch(l, v, path, &row->patch) || !get_str(l, v, path, "verdict", &row->verdict))
		return false;
	if (strcmp(row->verdict, "ok") && strncmp(row->verdict, "FAIL: ", 6)) {
		join(p, sizeof(p), path, "verdict");
		return lfail(l, p, "\"%.60s\" is neither \"ok\" nor \"FAIL: ...\"", row->verdict);
	}
	return true;
}

static bool same_key(const struct pvx_row *a, const struct pvx_row *b)
{
	return !strcmp(a->cls, b->cls) && !strcmp(a->cs, b->cs) &&
	       !strcmp(a->variant, b->variant) && !strcmp(a->guest, b->guest);
}

/* Schema 1 files were all ns; from 2 on, the unit is said. */
static bool load_unit(struct loader *l, json_t *top, struct pvx_results *r)
{
	json_t *v = json_object_get(top, "time_unit");

	r->time_unit = PVX_UNIT_NS;
	if (l->version < 2) {
		if (v)
			return lfail(l, "time_unit",
				     "is schema 2's; this file says schema_version 1");
		return true;
	}
	if (!v)
		return lfail(l, NULL, "no time_unit (schema 2 says ns or insn)");
	if (!json_is_string(v) || !pvx_unit_parse(json_string_value(v), &r->time_unit))
		return lfail(l, "time_unit", "wants \"ns\" or \"insn\"");
	return true;
}

static bool load_top(struct loader *l, json_t *top, struct pvx_results *r)
{
	static const char *const known[] = { "schema_version", "complete",  "tool_version",
					     "git_revision",   "build",	    "date",
					     "suite",	       "time_unit", "host",
					     "rows",	       NULL };
	json_t *v, *rows;
	bool ok = true;
	char p[PATH_LEN], label[128], t[NUM_TEXT_MAX];
	uint64_t ver;
	size_t i, j;

	if (kind_of(top) != K_OBJECT)
		return lfail(l, NULL, "the top level is %s, a results file is an object",
			     kind_name(kind_of(top)));
	/* The version first: a newer file may differ in everything else. */
	v = json_object_get(top, "schema_version");
	if (!v || kind_of(v) != K_NUMBER)
		return lfail(l, NULL, "%s (is this a pvexit results file?)",
			     v ? "schema_version is not a number" : "no schema_version");
	if (!json_is_integer(v) || json_integer_value(v) < 1)
		return lfail(l, "schema_version", "expected %d, found %s", PVX_RESULTS_SCHEMA,
			     num_text(v, t));
	ver = (uint64_t)json_integer_value(v);
	if (ver > PVX_RESULTS_SCHEMA)
		return lfail(
			l, NULL,
			"schema_version %s is newer than this pvexit reads (%d); use a newer pvexit",
			num_text(v, t), PVX_RESULTS_SCHEMA);
	r->schema_version = (int)ver;
	l->version = (int)ver;
	if (!load_unit(l, top, r) || !only(l, top, "", known) ||
	    !get_bool(l, top, "", "complete", &r->complete) ||
	    !get_str(l, top, "", "tool_version", &r->tool_version) ||
	    !get_str(l, top, "", "git_revision", &r->git_revision) ||
	    !load_build(l, top, &r->build) || !get_str(l, top, "", "date", &r->date) ||
	    !get_str(l, top, "", "suite", &r->suite) || !load_host(l, top, &r->host))
		return false;
	rows = member(l, top, "", "rows", K_ARRAY, false, &ok);
	if (!rows)
		return false;
	r->rows = pvx_xcalloc(json_array_size(rows), sizeof(*r->rows));
	for (i = 0; i < json_array_size(rows); i++) {
		elem(p, sizeof(p), "rows", i);
		r->nrows++;
		if (!load_row(l, json_array_get(rows, i), p, &r->rows[i]))
			return false;
		for (j = 0; j < i; j++)
			if (same_key(&r->rows[j], &r->rows[i])) {
				pvx_row_label(&r->rows[i], label, sizeof(label));
				return lfail(
					l, p,
					"a second row for %s %s guest %s (the first is rows[%zu])",
					label, r->rows[i].variant, r->rows[i].guest, j);
			}
	}
	return true;
}

/*
 * The whole file in memory, NUL-terminated, if it has at most
 * RESULTS_MAX_BYTES: the buffer grows to one byte past the bound, and a
 * byte read there refuses the file.
 */
static char *slurp(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;
	char *buf;

	if (!f) {
		pvx_set_err(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	buf = pvx_xrealloc(NULL, cap, 1);
	for (;;) {
		if (n > RESULTS_MAX_BYTES) {
			pvx_set_err(err, errlen, "%s: larger than %u MiB: not a results file", path,
				    RESULTS_MAX_BYTES >> 20);
			goto bad;
		}
		if (n + 1 == cap) {
			/* Room for the bound, one byte past it and the NUL. */
			cap = cap > RESULTS_MAX_BYTES / 2 ? (size_t)RESULTS_MAX_BYTES + 2 : 2 * cap;
			buf = pvx_xrealloc(buf, cap, 1);
		}
		got = fread(buf + n, 1, cap - 1 - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		pvx_set_err(err, errlen, "%s: cannot read: %s", path,
			    strerror(errno ? errno : EIO));
		goto bad;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
bad:
	fclose(f);
	free(buf);
	return NULL;
}

int pvx_results_load(const char *path, struct pvx_results *r, char *err, size_t errlen)
{
	struct loader l = { .file = path, .err = err, .errlen = errlen };
	char perr[300];
	json_t *top;
	size_t len;
	char *text;
	bool ok;

	memset(r, 0, sizeof(*r));
	text = slurp(path, &len, err, errlen);
	if (!text)
		return -1;
	top = pvx_json_load(text, len, perr, sizeof(perr));
	free(text);
	if (!top) {
		pvx_set_err(err, errlen, "%s: %s", path, perr);
		return -1;
	}
	ok = load_top(&l, top, r);
	json_decref(top);
	if (!ok) {
		pvx_results_free(r);
		return -1;
	}
	return 0;
}
