// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON reader and writer of host-tools/json.c: what they accept, the
 * one error each malformed input gives and where, exact numbers both
 * ways, and the writer's layout and escaping.
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

static struct pvx_json *parse(const char *text, char *err, size_t errlen)
{
	err[0] = '\0';
	return pvx_json_parse(text, strlen(text), err, errlen);
}

/* @text must fail with an error that contains @want (place and what). */
static void bad(const char *name, const char *text, size_t len, const char *want)
{
	char err[300] = "", label[200];
	struct pvx_json *v = pvx_json_parse(text, len, err, sizeof(err));

	snprintf(label, sizeof(label), "json: rejects %s", name);
	CHECK(label, v == NULL);
	pvx_json_free(v);
	snprintf(label, sizeof(label), "json: %s: error says where and what", name);
	CHECK_STR_CONTAINS(label, err, want);
	snprintf(label, sizeof(label), "json: %s: error is one line", name);
	CHECK(label, strchr(err, '\n') == NULL);
}

#define BAD(name, text, want) bad((name), (text), sizeof(text) - 1, (want))

static void test_values(void)
{
	static const char doc[] =
		"{\n"
		"  \"s\": \"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\",\n"
		"  \"u\": \"\\u00e9\\u20AC\\ud83d\\ude00\",\n"
		"  \"raw\": \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\",\n"
		"  \"n\": [0, -0.5, 1e3, 18446744073709551615, 9007199254740993],\n"
		"  \"t\": true, \"f\": false, \"z\": null,\n"
		"  \"e\": {}, \"a\": []\n"
		"}\n";
	const struct pvx_json *n, *s;
	struct pvx_json *v;
	char err[200];
	uint64_t u = 0;
	double d = 0;

	v = parse(doc, err, sizeof(err));
	if (!CHECK("json: parses a document with every kind of value", v != NULL)) {
		printf("  error: %s\n", err);
		return;
	}
	CHECK("json: top level is an object of 9 members",
	      v->type == PVX_JSON_OBJECT && v->nkids == 9);
	s = pvx_json_get(v, "s");
	CHECK("json: simple escapes", s && !strcmp(s->text, "a\"b\\c/d\b\f\n\r\t"));
	s = pvx_json_get(v, "u");
	CHECK("json: \\u escapes and a surrogate pair become UTF-8",
	      s && !strcmp(s->text, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
	s = pvx_json_get(v, "raw");
	CHECK("json: raw UTF-8 passes through",
	      s && s->len == 9 && !memcmp(s->text, "\xc3\xa9", 2));
	CHECK("json: member place is its name's", s && s->line == 4 && s->col == 3);
	n = pvx_json_get(v, "n");
	if (CHECK("json: array of 5 numbers", n && n->type == PVX_JSON_ARRAY && n->nkids == 5)) {
		CHECK("json: numbers kept as written", !strcmp(n->kids[2].text, "1e3"));
		CHECK("json: u64 0", pvx_json_u64(&n->kids[0], &u) && u == 0);
		CHECK("json: -0.5 is no u64", !pvx_json_u64(&n->kids[1], &u));
		CHECK("json: 1e3 is no u64 (exponent)", !pvx_json_u64(&n->kids[2], &u));
		CHECK_EQ_U64("json: u64 max read exactly", pvx_json_u64(&n->kids[3], &u) ? u : 0,
			     UINT64_MAX);
		CHECK_EQ_U64("json: 2^53+1 read exactly", pvx_json_u64(&n->kids[4], &u) ? u : 0,
			     9007199254740993ull);
		CHECK("json: double -0.5", pvx_json_double(&n->kids[1], &d) && d == -0.5);
		CHECK("json: double 1e3", pvx_json_double(&n->kids[2], &d) && d == 1000);
		CHECK("json: element place", n->kids[1].line == 5 && n->kids[1].col == 12);
	}
	CHECK("json: true",
	      pvx_json_get(v, "t")->type == PVX_JSON_BOOL && pvx_json_get(v, "t")->boolean);
	CHECK("json: false",
	      pvx_json_get(v, "f")->type == PVX_JSON_BOOL && !pvx_json_get(v, "f")->boolean);
	CHECK("json: null", pvx_json_get(v, "z")->type == PVX_JSON_NULL);
	CHECK("json: empty object and array",
	      pvx_json_get(v, "e")->nkids == 0 && pvx_json_get(v, "a")->type == PVX_JSON_ARRAY);
	CHECK("json: get of a missing member", pvx_json_get(v, "nope") == NULL);
	CHECK("json: get on a non-object", pvx_json_get(n, "s") == NULL);
	pvx_json_free(v);

	v = parse("18446744073709551616", err, sizeof(err));
	CHECK("json: 2^64 is a number but no u64", v && !pvx_json_u64(v, &u));
	pvx_json_free(v);
	v = parse("1e400", err, sizeof(err));
	CHECK("json: 1e400 does not fit a double", v && !pvx_json_double(v, &d));
	pvx_json_free(v);
	v = parse(" \"x\" ", err, sizeof(err));
	CHECK("json: a bare string document",
	      v && v->type == PVX_JSON_STRING && !strcmp(v->text, "x"));
	pvx_json_free(v);
}

static void test_errors(void)
{
	char deep[PVX_JSON_MAX_DEPTH + 2], many[100001];
	struct pvx_json *v;
	char err[200];

	BAD("an empty file", "", "line 1 col 1: no JSON value: the file is empty");
	BAD("a file of blanks", "\n  \n", "line 3 col 1: no JSON value");
	BAD("a truncated array", "{\"a\": [1, 2",
	    "line 1 col 12: unexpected end of file in the array that starts at line 1 col 7");
	BAD("a truncated object", "{\"a\": 1",
	    "line 1 col 8: unexpected end of file in the object");
	BAD("a truncated string", "{\"a\": \"abc",
	    "unexpected end of file in the string that starts at line 1 col 7");
	BAD("a value missing at the end",
	    "{\"a\":", "line 1 col 6: unexpected end of file, expected a value");
	BAD("a bad escape", "{\"a\": \"x\\qy\"}", "line 1 col 9: bad escape '\\q'");
	BAD("a short \\u escape", "\"\\u12G4\"",
	    "line 1 col 2: bad \\u escape: expected 4 hex digits");
	BAD("a lone low surrogate", "\"\\udc00\"", "lone low surrogate \\uDC00");
	BAD("a high surrogate alone", "\"\\ud800x\"",
	    "high surrogate \\uD800 without its low half");
	BAD("a high surrogate and no low one", "\"\\ud800\\u0041\"", "without its low half");
	BAD("\\u0000", "\"a\\u0000\"", "\\u0000 (a NUL character) is not allowed");
	BAD("a raw tab in a string", "\"a\tb\"",
	    "line 1 col 3: control character 0x09 in a string");
	BAD("a raw newline in a string", "\"a\nb\"", "line 1 col 3: control character 0x0a");
	BAD("invalid UTF-8", "\"\xc3\x28\"", "line 1 col 2: invalid UTF-8 in a string (byte 0xc3)");
	BAD("overlong UTF-8", "\"\xc0\xaf\"", "invalid UTF-8");
	BAD("a UTF-8 surrogate", "\"\xed\xa0\x80\"", "invalid UTF-8");
	BAD("UTF-8 above U+10FFFF", "\"\xf4\x90\x80\x80\"", "invalid UTF-8");
	BAD("UTF-8 cut short", "\"\xe2\x82", "invalid UTF-8");
	BAD("a byte-order mark", "\xef\xbb\xbf{}", "line 1 col 1: a UTF-8 byte-order mark");
	BAD("trailing garbage", "{} x", "line 1 col 4: trailing text after the JSON value: 'x'");
	BAD("a second value", "{}\n{}", "line 2 col 1: trailing text");
	BAD("a NUL byte after the value", "{}\0", "trailing text after the JSON value: byte 0x00");
	BAD("a duplicate member", "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}",
	    "line 3 col 2: duplicate member \"a\" (first at line 1 col 2)");
	BAD("a duplicate name holding a line break", "{\"a\\nb\": 1, \"a\\nb\": 2}",
	    "line 1 col 13: duplicate member \"a?b\"");
	BAD("a trailing comma in an array", "[1,]", "line 1 col 4: expected a value, found ']'");
	BAD("a trailing comma in an object", "{\"a\":1,}",
	    "expected a member name in double quotes, found '}'");
	BAD("a missing colon", "{\"a\" 1}",
	    "line 1 col 6: expected ':' after member name \"a\", found '1'");
	BAD("a missing comma", "[1 2]", "line 1 col 4: expected ',' or ']' in an array, found '2'");
	BAD("a missing comma in an object", "{\"a\":1 \"b\":2}",
	    "expected ',' or '}' in an object");
	BAD("single quotes", "{'a':1}", "expected a member name in double quotes, found '''");
	BAD("a leading zero", "[01]", "line 1 col 3: bad number: a leading zero");
	BAD("a lone minus", "[-]", "bad number: expected a digit, found ']'");
	BAD("a bare fraction point", "[1.]", "expected a digit after '.'");
	BAD("an empty exponent", "[1e]", "expected a digit in the exponent");
	BAD("a leading point", "[.5]", "expected a value, found '.'");
	BAD("a plus sign", "[+1]", "expected a value, found '+'");
	BAD("NaN", "[NaN]", "unknown word 'NaN'");
	BAD("Infinity", "[-Infinity]", "bad number: expected a digit, found 'I'");
	BAD("a misspelt literal", "[tru]", "line 1 col 2: unknown word 'tru'");
	BAD("a comment", "{} // x", "trailing text");
	/* Columns count characters: "é" is one column, two bytes. */
	BAD("columns in characters", "[\"\xc3\xa9\", x]", "line 1 col 7: unknown word 'x'");
	BAD("CRLF line ends", "{\r\n\"a\": x}", "line 2 col 6:");

	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	v = parse(deep, err, sizeof(err));
	CHECK("json: rejects nesting deeper than the limit", v == NULL);
	CHECK_STR_CONTAINS("json: depth error names the place", err,
			   "line 1 col 65: nesting deeper than 64 levels");
	pvx_json_free(v);
	{
		char ok[2 * PVX_JSON_MAX_DEPTH + 1];

		memset(ok, '[', PVX_JSON_MAX_DEPTH);
		memset(ok + PVX_JSON_MAX_DEPTH, ']', PVX_JSON_MAX_DEPTH);
		ok[2 * PVX_JSON_MAX_DEPTH] = '\0';
		v = parse(ok, err, sizeof(err));
		CHECK("json: nesting to the limit is fine", v != NULL);
		pvx_json_free(v);
	}
	/* Far beyond the limit: stopped by it, not by the stack. */
	memset(many, '[', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	v = parse(many, err, sizeof(err));
	CHECK("json: 100000 open brackets are an error, not a crash", v == NULL);
	pvx_json_free(v);
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
	pvx_jw_u64(w, UINT64_MAX);
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
				     "  \"n\": 18446744073709551615,\n"
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
	struct pvx_json *v;
	char *out, err[200];
	int rc, e;

	out = write_doc(doc_layout, &rc, &e);
	CHECK("jw: a document is written", rc == 0);
	CHECK_STR_CONTAINS("jw: layout: nested indented, inline on one line", out, layout);
	CHECK("jw: nothing more than the document", !strcmp(out, layout));
	v = parse(out, err, sizeof(err));
	CHECK("jw: its output parses", v != NULL);
	pvx_json_free(v);
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
	v = parse(out, err, sizeof(err));
	CHECK("jw: escaped string reads back (invalid UTF-8 as U+FFFD)",
	      v && !strcmp(v->text, "q\"b\\n\nt\tc\x01 d\x7f \xc3\xa9 bad\xef\xbf\xbd end"));
	pvx_json_free(v);
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
	char buf[PVX_JSON_NUMBER_MAX], err[200];
	struct pvx_json *v;
	double y = NAN;
	bool ok;

	if (!pvx_json_format_double(x, buf))
		return false;
	v = parse(buf, err, sizeof(err));
	ok = v && pvx_json_double(v, &y) && memcmp(&x, &y, sizeof(x)) == 0;
	pvx_json_free(v);
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
				       -0.0,
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
		struct pvx_json *v;
		char err[200];

		snprintf(buf, sizeof(buf), "%.1f", 0.5);
		CHECK("json: the test locale writes a decimal comma", !strcmp(buf, "0,5"));
		pvx_json_format_double(0.5, buf);
		CHECK("json: 0.5 written with a point under a comma locale", !strcmp(buf, "0.5"));
		v = parse("0.25", err, sizeof(err));
		CHECK("json: 0.25 read under a comma locale",
		      v && pvx_json_double(v, &x) && x == 0.25);
		pvx_json_free(v);
		setlocale(LC_NUMERIC, "C");
	}
}

int main(void)
{
	test_values();
	test_errors();
	test_writer();
	test_numbers();
	return unit_done();
}
