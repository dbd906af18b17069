// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON writer of lib/json.c: its layout and escaping, what it
 * refuses, exact numbers that the reader (jansson) takes back bit for
 * bit.  What the reader refuses, and how it says so, is tested where it
 * is used: test_results.c loads every malformed document.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "unit.h"

/* @text through the reader; NULL (and a note) if it fails. */
static json_t *parse(const char *text)
{
	char err[300] = "";
	json_t *v = pvx_json_load(text, strlen(text), err, sizeof(err));

	if (!v)
		printf("# %s: %s\n", text, err);
	return v;
}

static char *write_doc(void (*fn)(struct pvx_json_writer *), int *rc, int *err)
{
	struct pvx_json_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	pvx_jw_init(&w, f);
	fn(&w);
	errno = 0;
	*rc = pvx_jw_finish(&w);
	*err = errno;
	fclose(f);
	return buf;
}

static void doc_layout(struct pvx_json_writer *w)
{
	pvx_jw_begin_object(w, false);
	pvx_jw_key(w, "name");
	pvx_jw_string(w, "mfmsr");
	pvx_jw_key(w, "n");
	pvx_jw_u64(w, 9007199254740993ull);
	pvx_jw_key(w, "xs");
	pvx_jw_begin_array(w, true);
	pvx_jw_double(w, 0.1);
	pvx_jw_double(w, 19000.5);
	pvx_jw_double(w, 1e-7);
	pvx_jw_end_array(w);
	pvx_jw_key(w, "map");
	pvx_jw_begin_object(w, true);
	pvx_jw_key(w, "PROGRAM");
	pvx_jw_double(w, 1);
	pvx_jw_key(w, "DECREMENTER");
	pvx_jw_double(w, 0.25);
	pvx_jw_end_object(w);
	pvx_jw_key(w, "empty");
	pvx_jw_begin_array(w, false);
	pvx_jw_end_array(w);
	pvx_jw_key(w, "list");
	pvx_jw_begin_array(w, false);
	pvx_jw_begin_object(w, false);
	pvx_jw_key(w, "ok");
	pvx_jw_bool(w, true);
	pvx_jw_end_object(w);
	pvx_jw_null(w);
	pvx_jw_end_array(w);
	pvx_jw_end_object(w);
}

static void doc_helpers(struct pvx_json_writer *w)
{
	pvx_jw_begin_object(w, true);
	pvx_jw_key_string(w, "s", NULL);
	pvx_jw_key_u64(w, "u", 7);
	pvx_jw_key_bool(w, "b", false);
	pvx_jw_key(w, "nan");
	pvx_jw_double_or_null(w, NAN);
	pvx_jw_key(w, "inf");
	pvx_jw_double_or_null(w, -INFINITY);
	pvx_jw_key(w, "x");
	pvx_jw_double_or_null(w, 0.5);
	pvx_jw_end_object(w);
}

static void doc_u64_max(struct pvx_json_writer *w)
{
	pvx_jw_u64(w, UINT64_MAX);
}

static void doc_escapes(struct pvx_json_writer *w)
{
	pvx_jw_string(w, "q\"b\\n\nt\tc\x01 d\x7f \xc3\xa9 bad\xff end");
}

static void doc_nan(struct pvx_json_writer *w)
{
	pvx_jw_begin_array(w, false);
	pvx_jw_double(w, 1);
	pvx_jw_double(w, NAN);
	pvx_jw_end_array(w);
}

static void doc_inf(struct pvx_json_writer *w)
{
	pvx_jw_double(w, -INFINITY);
}

static void doc_no_key(struct pvx_json_writer *w)
{
	pvx_jw_begin_object(w, false);
	pvx_jw_u64(w, 1);
	pvx_jw_end_object(w);
}

static void doc_mismatch(struct pvx_json_writer *w)
{
	pvx_jw_begin_object(w, false);
	pvx_jw_end_array(w);
}

static void doc_open(struct pvx_json_writer *w)
{
	pvx_jw_begin_array(w, false);
}

static void doc_two(struct pvx_json_writer *w)
{
	pvx_jw_u64(w, 1);
	pvx_jw_u64(w, 2);
}

static void doc_nothing(struct pvx_json_writer *w)
{
	(void)w;
}

static void test_writer(void)
{
	static const char layout[] = "{\n"
				     "  \"name\": \"mfmsr\",\n"
				     "  \"n\": 9007199254740993,\n"
				     "  \"xs\": [0.1, 19000.5, 1e-07],\n"
				     "  \"map\": {\"PROGRAM\": 1, \"DECREMENTER\": 0.25},\n"
				     "  \"empty\": [],\n"
				     "  \"list\": [\n"
				     "    {\n"
				     "      \"ok\": true\n"
				     "    },\n"
				     "    null\n"
				     "  ]\n"
				     "}\n";
	json_t *v;
	char *out;
	int rc, e;

	out = write_doc(doc_layout, &rc, &e);
	CHECK("jw: a document is written", rc == 0);
	CHECK_STR_CONTAINS("jw: layout: nested indented, inline on one line", out, layout);
	CHECK("jw: nothing more than the document", !strcmp(out, layout));
	v = parse(out);
	CHECK("jw: its output parses", v != NULL);
	CHECK_EQ_U64("jw: 2^53+1 reads back exactly", json_integer_value(json_object_get(v, "n")),
		     9007199254740993ull);
	json_decref(v);
	free(out);

	out = write_doc(doc_u64_max, &rc, &e);
	CHECK("jw: u64 max written exactly", rc == 0 && !strcmp(out, "18446744073709551615\n"));
	free(out);

	out = write_doc(doc_helpers, &rc, &e);
	CHECK("jw: key helpers, and null for a figure that is not finite",
	      rc == 0 && !strcmp(out, "{\"s\": \"\", \"u\": 7, \"b\": false, \"nan\": null, "
				      "\"inf\": null, \"x\": 0.5}\n"));
	free(out);

	out = write_doc(doc_escapes, &rc, &e);
	CHECK("jw: escapes",
	      rc == 0 &&
		      !strcmp(out,
			      "\"q\\\"b\\\\n\\nt\\tc\\u0001 d\x7f \xc3\xa9 bad\xef\xbf\xbd end\"\n"));
	v = parse(out);
	CHECK("jw: escaped string reads back (invalid UTF-8 as U+FFFD)",
	      v && json_is_string(v) &&
		      !strcmp(json_string_value(v),
			      "q\"b\\n\nt\tc\x01 d\x7f \xc3\xa9 bad\xef\xbf\xbd end"));
	json_decref(v);
	free(out);

	out = write_doc(doc_nan, &rc, &e);
	CHECK("jw: NaN fails the write with EDOM", rc == -1 && e == EDOM);
	free(out);
	out = write_doc(doc_inf, &rc, &e);
	CHECK("jw: -inf fails the write with EDOM", rc == -1 && e == EDOM);
	free(out);
	out = write_doc(doc_no_key, &rc, &e);
	CHECK("jw: a value in an object without a key is EINVAL", rc == -1 && e == EINVAL);
	free(out);
	out = write_doc(doc_mismatch, &rc, &e);
	CHECK("jw: closing the wrong container is EINVAL", rc == -1 && e == EINVAL);
	free(out);
	out = write_doc(doc_open, &rc, &e);
	CHECK("jw: finishing inside a container is EINVAL", rc == -1 && e == EINVAL);
	free(out);
	out = write_doc(doc_two, &rc, &e);
	CHECK("jw: two top-level values are EINVAL", rc == -1 && e == EINVAL);
	free(out);
	out = write_doc(doc_nothing, &rc, &e);
	CHECK("jw: an empty document is EINVAL", rc == -1 && e == EINVAL);
	free(out);

	{
		FILE *f = fopen("/dev/full", "w");
		struct pvx_json_writer w;

		if (!f) {
			unit_skip("jw: a full disk fails the write", "no /dev/full");
		} else {
			pvx_jw_init(&w, f);
			doc_layout(&w);
			errno = 0;
			rc = pvx_jw_finish(&w);
			CHECK("jw: a full disk fails the write with ENOSPC",
			      rc == -1 && errno == ENOSPC);
			fclose(f);
		}
	}
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static bool round_trips(double x)
{
	char buf[PVX_JSON_NUMBER_MAX];
	json_t *v;
	double y;
	bool ok;

	if (!pvx_json_format_double(x, buf))
		return false;
	v = parse(buf);
	y = json_number_value(v);
	ok = v && json_is_number(v) && memcmp(&x, &y, sizeof(x)) == 0;
	json_decref(v);
	return ok;
}

/*
 * Switch LC_NUMERIC to a locale with a decimal comma: an installed de_DE,
 * else one compiled here with localedef.  Return: false when neither works.
 */
static bool comma_locale(void)
{
	char dir[] = "/tmp/pvx-locale-XXXXXX", cmd[300];
	bool ok;

	if (setlocale(LC_NUMERIC, "de_DE.UTF-8"))
		return true;
	if (!mkdtemp(dir))
		return false;
	snprintf(cmd, sizeof(cmd), "localedef -i de_DE -f UTF-8 %s/de_DE.UTF-8 >/dev/null 2>&1",
		 dir);
	ok = system(cmd) == 0 && setenv("LOCPATH", dir, 1) == 0 &&
	     setlocale(LC_NUMERIC, "de_DE.UTF-8") != NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return ok;
}

static void test_numbers(void)
{
	static const double edge[] = { 0.0,
				       0.1,
				       1.0 / 3,
				       19000.5,
				       1e-7,
				       5e-324,
				       2.2250738585072014e-308,
				       1.7976931348623157e308,
				       9007199254740993.0,
				       0.7007490234375,
				       123456789.123456789 };
	char buf[PVX_JSON_NUMBER_MAX];
	uint64_t seed = 42, bits;
	unsigned int i, bad = 0, n = 0;
	double x;

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		bad += !round_trips(edge[i]);
	CHECK("json: edge doubles round-trip bit for bit", bad == 0);
	bad = 0;
	while (n < 100000) {
		bits = splitmix(&seed);
		memcpy(&x, &bits, sizeof(x));
		if (!isfinite(x))
			continue;
		n++;
		bad += !round_trips(x);
	}
	CHECK("json: 100000 random doubles round-trip bit for bit", bad == 0);
	/* The one double that does not: jansson reads "-0" as the integer 0. */
	pvx_json_format_double(-0.0, buf);
	{
		json_t *v = parse(buf);

		CHECK("json: -0 is written as -0 and reads back as 0",
		      !strcmp(buf, "-0") && v && json_number_value(v) == 0);
		json_decref(v);
	}
	pvx_json_format_double(0.1, buf);
	CHECK("json: shortest form of 0.1", !strcmp(buf, "0.1"));
	pvx_json_format_double(1.0 / 3, buf);
	CHECK("json: 1/3 needs 16 digits", !strcmp(buf, "0.3333333333333333"));
	pvx_json_format_double(41118, buf);
	CHECK("json: an integral double has no point", !strcmp(buf, "41118"));
	CHECK("json: NaN has no form", !pvx_json_format_double(NAN, buf));
	CHECK("json: infinity has no form", !pvx_json_format_double(INFINITY, buf));

	/* A locale with a decimal comma must not leak into files. */
	if (!comma_locale()) {
		unit_skip("json: numbers ignore LC_NUMERIC",
			  "no de_DE locale, and localedef cannot make one");
	} else {
		json_t *v;

		snprintf(buf, sizeof(buf), "%.1f", 0.5);
		CHECK("json: the test locale writes a decimal comma", !strcmp(buf, "0,5"));
		pvx_json_format_double(0.5, buf);
		CHECK("json: 0.5 written with a point under a comma locale", !strcmp(buf, "0.5"));
		v = parse("0.25");
		CHECK("json: 0.25 read under a comma locale", v && json_number_value(v) == 0.25);
		json_decref(v);
		setlocale(LC_NUMERIC, "C");
	}
}

int main(void)
{
	test_writer();
	test_numbers();
	return unit_done();
}
