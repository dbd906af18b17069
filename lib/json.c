// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON for results files: a strict recursive-descent reader that builds
 * a tree, and a streaming writer.  See json.h for what each accepts.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

/* Numbers are read and written in the C locale whatever the program's
 * LC_NUMERIC says: a results file has one decimal point everywhere. */
static locale_t c_locale(void)
{
	static locale_t loc;

	if (!loc)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc ? loc : LC_GLOBAL_LOCALE;
}

/*
 * The length of the well-formed UTF-8 sequence at @s (at most @n bytes),
 * or 0: no overlong forms, no surrogates, nothing above U+10FFFF.
 */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned int c = s[0], cp, min;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* --- the reader --------------------------------------------------------- */

struct parser {
	const unsigned char *p, *end;
	unsigned int line, col;
	int depth;
	char *err;
	size_t errlen;
};

/* A growing byte buffer for strings. */
struct buf {
	char *s;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = pvx_xrealloc(b->s, b->cap, 1);
	}
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void __attribute__((format(printf, 4, 5)))
fail_at(struct parser *ps, unsigned int line, unsigned int col, const char *fmt, ...)
{
	char msg[200], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* A member name quoted here may hold an escaped line break. */
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	pvx_set_err(ps->err, ps->errlen, "line %u col %u: %s", line, col, msg);
}

#define fail(ps, ...) fail_at((ps), (ps)->line, (ps)->col, __VA_ARGS__)

/* Step over one byte, keeping line and column (in characters). */
static void adv(struct parser *ps)
{
	unsigned char c = *ps->p++;

	if (c == '\n') {
		ps->line++;
		ps->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		ps->col++;
	}
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		adv(ps);
}

static bool at_end(const struct parser *ps)
{
	return ps->p >= ps->end;
}

/* What is at the current place, for "expected X, found Y" messages. */
static const char *found(const struct parser *ps, char *b, size_t len)
{
	unsigned char c;

	if (at_end(ps))
		return "the end of the file";
	c = *ps->p;
	if (c >= 0x21 && c < 0x7f)
		snprintf(b, len, "'%c'", c);
	else
		snprintf(b, len, "byte 0x%02x", c);
	return b;
}

static void free_node(struct pvx_json *v)
{
	size_t i;

	for (i = 0; i < v->nkids; i++)
		free_node(&v->kids[i]);
	free(v->kids);
	free(v->key);
	free(v->text);
}

void pvx_json_free(struct pvx_json *v)
{
	if (!v)
		return;
	free_node(v);
	free(v);
}

static bool parse_value(struct parser *ps, struct pvx_json *v);

static int hex_digit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits after "\u"; the parser stands on the first. */
static bool hex4(struct parser *ps, unsigned int *out)
{
	unsigned int v = 0;
	int i, d;

	for (i = 0; i < 4; i++) {
		if (at_end(ps) || (d = hex_digit(*ps->p)) < 0)
			return false;
		v = v << 4 | (unsigned int)d;
		adv(ps);
	}
	*out = v;
	return true;
}

static void put_utf8(struct buf *b, unsigned int cp)
{
	unsigned char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | cp >> 6);
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (unsigned char)(0xe0 | cp >> 12);
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (unsigned char)(0xf0 | cp >> 18);
		u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, u, n);
}

/* The "\u" escape whose backslash is at @line:@col; the parser stands after the u. */
static bool unicode_escape(struct parser *ps, struct buf *b, unsigned int line, unsigned int col)
{
	unsigned int cp, lo;

	if (!hex4(ps, &cp)) {
		fail_at(ps, line, col, "bad \\u escape: expected 4 hex digits");
		return false;
	}
	if (cp >= 0xdc00 && cp <= 0xdfff) {
		fail_at(ps, line, col, "bad \\u escape: lone low surrogate \\u%04X", cp);
		return false;
	}
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u') {
			fail_at(ps, line, col,
				"bad \\u escape: high surrogate \\u%04X without its low half", cp);
			return false;
		}
		adv(ps);
		adv(ps);
		if (!hex4(ps, &lo) || lo < 0xdc00 || lo > 0xdfff) {
			fail_at(ps, line, col,
				"bad \\u escape: high surrogate \\u%04X without its low half", cp);
			return false;
		}
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (cp == 0) {
		fail_at(ps, line, col, "\\u0000 (a NUL character) is not allowed in a string");
		return false;
	}
	put_utf8(b, cp);
	return true;
}

/* True, with the error set, if the input ends inside the @what at @line, @col. */
static bool ended_in(struct parser *ps, const char *what, unsigned int line, unsigned int col)
{
	if (!at_end(ps))
		return false;
	fail(ps, "unexpected end of file in the %s that starts at line %u col %u", what, line, col);
	return true;
}

/* A string; the parser stands on its opening quote. */
static bool parse_string(struct parser *ps, char **out, size_t *outlen)
{
	unsigned int line = ps->line, col = ps->col, eline, ecol;
	struct buf b = { 0 };
	unsigned char c;
	size_t n;

	buf_add(&b, "", 0);
	adv(ps);
	for (;;) {
		if (ended_in(ps, "string", line, col))
			goto bad;
		c = *ps->p;
		if (c == '"') {
			adv(ps);
			break;
		}
		if (c < 0x20) {
			fail(ps, "control character 0x%02x in a string (write it as an escape)", c);
			goto bad;
		}
		if (c >= 0x80) {
			n = utf8_seq(ps->p, (size_t)(ps->end - ps->p));
			if (!n) {
				fail(ps, "invalid UTF-8 in a string (byte 0x%02x)", c);
				goto bad;
			}
			buf_add(&b, ps->p, n);
			while (n--)
				adv(ps);
			continue;
		}
		if (c != '\\') {
			buf_add(&b, &c, 1);
			adv(ps);
			continue;
		}
		eline = ps->line;
		ecol = ps->col;
		adv(ps);
		if (ended_in(ps, "string", line, col))
			goto bad;
		c = *ps->p;
		adv(ps);
		switch (c) {
		case '"':
		case '\\':
		case '/':
			buf_add(&b, &c, 1);
			break;
		case 'b':
			buf_add(&b, "\b", 1);
			break;
		case 'f':
			buf_add(&b, "\f", 1);
			break;
		case 'n':
			buf_add(&b, "\n", 1);
			break;
		case 'r':
			buf_add(&b, "\r", 1);
			break;
		case 't':
			buf_add(&b, "\t", 1);
			break;
		case 'u':
			if (!unicode_escape(ps, &b, eline, ecol))
				goto bad;
			break;
		default:
			if (c >= 0x21 && c < 0x7f)
				fail_at(ps, eline, ecol, "bad escape '\\%c' in a string", c);
			else
				fail_at(ps, eline, ecol,
					"bad escape (byte 0x%02x after '\\') in a string", c);
			goto bad;
		}
	}
	*out = b.s;
	if (outlen)
		*outlen = b.len;
	return true;
bad:
	free(b.s);
	return false;
}

static bool is_digit(const struct parser *ps)
{
	return !at_end(ps) && *ps->p >= '0' && *ps->p <= '9';
}

static void digits(struct parser *ps)
{
	while (is_digit(ps))
		adv(ps);
}

/* A number, kept as written. */
static bool parse_number(struct parser *ps, struct pvx_json *v)
{
	const unsigned char *start = ps->p;
	char b[24];

	if (*ps->p == '-')
		adv(ps);
	if (!is_digit(ps)) {
		fail(ps, "bad number: expected a digit, found %s", found(ps, b, sizeof(b)));
		return false;
	}
	if (*ps->p == '0') {
		adv(ps);
		if (is_digit(ps)) {
			fail(ps, "bad number: a leading zero");
			return false;
		}
	} else {
		digits(ps);
	}
	if (!at_end(ps) && *ps->p == '.') {
		adv(ps);
		if (!is_digit(ps)) {
			fail(ps, "bad number: expected a digit after '.', found %s",
			     found(ps, b, sizeof(b)));
			return false;
		}
		digits(ps);
	}
	if (!at_end(ps) && (*ps->p == 'e' || *ps->p == 'E')) {
		adv(ps);
		if (!at_end(ps) && (*ps->p == '+' || *ps->p == '-'))
			adv(ps);
		if (!is_digit(ps)) {
			fail(ps, "bad number: expected a digit in the exponent, found %s",
			     found(ps, b, sizeof(b)));
			return false;
		}
		digits(ps);
	}
	v->type = PVX_JSON_NUMBER;
	v->len = (size_t)(ps->p - start);
	v->text = pvx_xrealloc(NULL, v->len + 1, 1);
	memcpy(v->text, start, v->len);
	v->text[v->len] = '\0';
	return true;
}

/* true, false, null; anything else spelt with letters is an error. */
static bool parse_word(struct parser *ps, struct pvx_json *v)
{
	const unsigned char *start = ps->p;
	unsigned int line = ps->line, col = ps->col;
	size_t n;

	while (!at_end(ps) &&
	       ((*ps->p >= 'a' && *ps->p <= 'z') || (*ps->p >= 'A' && *ps->p <= 'Z') ||
		(*ps->p >= '0' && *ps->p <= '9') || *ps->p == '_'))
		adv(ps);
	n = (size_t)(ps->p - start);
	if (n == 4 && !memcmp(start, "true", 4)) {
		v->type = PVX_JSON_BOOL;
		v->boolean = true;
	} else if (n == 5 && !memcmp(start, "false", 5)) {
		v->type = PVX_JSON_BOOL;
	} else if (n == 4 && !memcmp(start, "null", 4)) {
		v->type = PVX_JSON_NULL;
	} else {
		fail_at(ps, line, col, "unknown word '%.*s' (strings need double quotes)",
			(int)(n > 40 ? 40 : n), (const char *)start);
		return false;
	}
	return true;
}

static struct pvx_json *add_kid(struct pvx_json *v, size_t *cap)
{
	if (v->nkids == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		v->kids = pvx_xrealloc(v->kids, *cap, sizeof(*v->kids));
	}
	memset(&v->kids[v->nkids], 0, sizeof(*v->kids));
	return &v->kids[v->nkids++];
}

static bool enter(struct parser *ps)
{
	if (++ps->depth > PVX_JSON_MAX_DEPTH) {
		fail(ps, "nesting deeper than %d levels", PVX_JSON_MAX_DEPTH);
		return false;
	}
	return true;
}

/* An array or object being read: its messages' name for it, where it starts. */
struct container {
	const char *what;
	char closer;
	unsigned int line, col;
};

/*
 * Step into @c at its opening bracket.  Return: 1 if members follow, 0 if
 * it was empty (and is closed), -1 on error.
 */
static int open_container(struct parser *ps, struct container *c, struct pvx_json *v,
			  enum pvx_json_type type)
{
	c->line = ps->line;
	c->col = ps->col;
	v->type = type;
	if (!enter(ps))
		return -1;
	adv(ps);
	skip_ws(ps);
	if (!at_end(ps) && *ps->p == c->closer) {
		adv(ps);
		ps->depth--;
		return 0;
	}
	return 1;
}

/* After a member of @c: 1 at ',' (another follows), 0 at its closer, -1 on error. */
static int next_member(struct parser *ps, const struct container *c)
{
	char b[24];

	skip_ws(ps);
	if (ended_in(ps, c->what, c->line, c->col))
		return -1;
	if (*ps->p == c->closer) {
		adv(ps);
		ps->depth--;
		return 0;
	}
	if (*ps->p != ',') {
		fail(ps, "expected ',' or '%c' in an %s, found %s", c->closer, c->what,
		     found(ps, b, sizeof(b)));
		return -1;
	}
	adv(ps);
	return 1;
}

static bool parse_array(struct parser *ps, struct pvx_json *v)
{
	struct container c = { .what = "array", .closer = ']' };
	int more = open_container(ps, &c, v, PVX_JSON_ARRAY);
	size_t cap = 0;

	while (more > 0) {
		if (!parse_value(ps, add_kid(v, &cap)))
			return false;
		more = next_member(ps, &c);
	}
	return more == 0;
}

static bool parse_object(struct parser *ps, struct pvx_json *v)
{
	struct container c = { .what = "object", .closer = '}' };
	int more = open_container(ps, &c, v, PVX_JSON_OBJECT);
	unsigned int kline, kcol;
	struct pvx_json *kid;
	size_t cap = 0, i;
	char b[24], *key;

	while (more > 0) {
		skip_ws(ps);
		if (ended_in(ps, c.what, c.line, c.col))
			return false;
		if (*ps->p != '"') {
			fail(ps, "expected a member name in double quotes, found %s",
			     found(ps, b, sizeof(b)));
			return false;
		}
		kline = ps->line;
		kcol = ps->col;
		if (!parse_string(ps, &key, NULL))
			return false;
		for (i = 0; i < v->nkids; i++)
			if (!strcmp(v->kids[i].key, key)) {
				fail_at(ps, kline, kcol,
					"duplicate member \"%.60s\" (first at line %u col %u)", key,
					v->kids[i].line, v->kids[i].col);
				free(key);
				return false;
			}
		kid = add_kid(v, &cap);
		kid->key = key;
		skip_ws(ps);
		if (ended_in(ps, c.what, c.line, c.col))
			return false;
		if (*ps->p != ':') {
			fail(ps, "expected ':' after member name \"%.60s\", found %s", key,
			     found(ps, b, sizeof(b)));
			return false;
		}
		adv(ps);
		if (!parse_value(ps, kid))
			return false;
		/* A member's place is its name's, where an editor would look. */
		kid->line = kline;
		kid->col = kcol;
		more = next_member(ps, &c);
	}
	return more == 0;
}

static bool parse_value(struct parser *ps, struct pvx_json *v)
{
	unsigned char c;
	char b[24];

	skip_ws(ps);
	v->line = ps->line;
	v->col = ps->col;
	if (at_end(ps)) {
		fail(ps, "unexpected end of file, expected a value");
		return false;
	}
	c = *ps->p;
	if (c == '{')
		return parse_object(ps, v);
	if (c == '[')
		return parse_array(ps, v);
	if (c == '"') {
		v->type = PVX_JSON_STRING;
		return parse_string(ps, &v->text, &v->len);
	}
	if (c == '-' || (c >= '0' && c <= '9'))
		return parse_number(ps, v);
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return parse_word(ps, v);
	fail(ps, "expected a value, found %s", found(ps, b, sizeof(b)));
	return false;
}

struct pvx_json *pvx_json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	struct parser ps = {
		.p = (const unsigned char *)text,
		.end = (const unsigned char *)text + len,
		.line = 1,
		.col = 1,
		.err = err,
		.errlen = errlen,
	};
	struct pvx_json *v = pvx_xcalloc(1, sizeof(*v));
	char b[24];

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		fail(&ps, "a UTF-8 byte-order mark (results files have none)");
		goto bad;
	}
	skip_ws(&ps);
	if (at_end(&ps)) {
		fail(&ps, "no JSON value: the file is empty");
		goto bad;
	}
	if (!parse_value(&ps, v))
		goto bad;
	skip_ws(&ps);
	if (!at_end(&ps)) {
		fail(&ps, "trailing text after the JSON value: %s", found(&ps, b, sizeof(b)));
		goto bad;
	}
	return v;
bad:
	pvx_json_free(v);
	return NULL;
}

const char *pvx_json_type_name(enum pvx_json_type t)
{
	switch (t) {
	case PVX_JSON_NULL:
		return "null";
	case PVX_JSON_BOOL:
		return "a bool";
	case PVX_JSON_NUMBER:
		return "a number";
	case PVX_JSON_STRING:
		return "a string";
	case PVX_JSON_ARRAY:
		return "an array";
	case PVX_JSON_OBJECT:
		return "an object";
	}
	return "?";
}

const struct pvx_json *pvx_json_get(const struct pvx_json *obj, const char *key)
{
	size_t i;

	if (!obj || obj->type != PVX_JSON_OBJECT)
		return NULL;
	for (i = 0; i < obj->nkids; i++)
		if (!strcmp(obj->kids[i].key, key))
			return &obj->kids[i];
	return NULL;
}

bool pvx_json_u64(const struct pvx_json *v, uint64_t *out)
{
	uint64_t x = 0;
	size_t i;

	if (!v || v->type != PVX_JSON_NUMBER || !v->len)
		return false;
	for (i = 0; i < v->len; i++) {
		unsigned int d = (unsigned char)v->text[i] - '0';

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return false;
		x = x * 10 + d;
	}
	*out = x;
	return true;
}

bool pvx_json_double(const struct pvx_json *v, double *out)
{
	double x;

	if (!v || v->type != PVX_JSON_NUMBER)
		return false;
	x = strtod_l(v->text, NULL, c_locale());
	if (!isfinite(x))
		return false;
	*out = x;
	return true;
}

bool pvx_json_format_double(double x, char *buf)
{
	locale_t old;
	int prec;

	if (!isfinite(x))
		return false;
	old = uselocale(c_locale());
	for (prec = 15; prec <= 17; prec++) {
		snprintf(buf, PVX_JSON_NUMBER_MAX, "%.*g", prec, x);
		if (strtod_l(buf, NULL, c_locale()) == x)
			break;
	}
	uselocale(old);
	return true;
}

/* --- the writer --------------------------------------------------------- */

/* @s as a JSON string, quotes and escapes.  Return: 0 or -1. */
static int write_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t left = strlen(s), n;
	char esc[8];

	if (fputc('"', f) == EOF)
		return -1;
	while (left) {
		unsigned char c = *p;
		const char *e = NULL;

		n = 1;
		switch (c) {
		case '"':
			e = "\\\"";
			break;
		case '\\':
			e = "\\\\";
			break;
		case '\b':
			e = "\\b";
			break;
		case '\f':
			e = "\\f";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		case '\t':
			e = "\\t";
			break;
		default:
			if (c < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				e = esc;
			} else if (c >= 0x80) {
				n = utf8_seq(p, left);
				if (!n) {
					/* Not UTF-8: say so in the text rather than write
					 * a file no reader accepts. */
					e = "\xef\xbf\xbd";
					n = 1;
				}
			}
		}
		if (e ? fputs(e, f) == EOF : fwrite(p, 1, n, f) != n)
			return -1;
		p += n;
		left -= n;
	}
	return fputc('"', f) == EOF ? -1 : 0;
}

static void w_fail(struct pvx_json_writer *w, int err)
{
	if (!w->err)
		w->err = err ? err : EIO;
}

static void w_puts(struct pvx_json_writer *w, const char *s)
{
	if (!w->err && fputs(s, w->f) == EOF)
		w_fail(w, errno);
}

static void w_indent(struct pvx_json_writer *w, int depth)
{
	int i;

	w_puts(w, "\n");
	for (i = 0; i < depth; i++)
		w_puts(w, "  ");
}

/* Before a key or an array element: the separator, the line break. */
static void w_item(struct pvx_json_writer *w)
{
	if (!w->first[w->depth])
		w_puts(w, w->inline_[w->depth] ? ", " : ",");
	if (!w->inline_[w->depth])
		w_indent(w, w->depth);
	w->first[w->depth] = false;
}

/* Before any value: is one allowed here? */
static bool w_value(struct pvx_json_writer *w)
{
	if (w->err)
		return false;
	if (w->depth == 0) {
		if (!w->first[0]) {
			w_fail(w, EINVAL);
			return false;
		}
		w->first[0] = false;
		return true;
	}
	if (w->object[w->depth]) {
		if (!w->after_key) {
			w_fail(w, EINVAL);
			return false;
		}
		w->after_key = false;
		return true;
	}
	w_item(w);
	return !w->err;
}

void pvx_jw_init(struct pvx_json_writer *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->first[0] = true;
}

static void w_begin(struct pvx_json_writer *w, bool object, bool inline_)
{
	if (!w_value(w))
		return;
	if (w->depth == PVX_JSON_MAX_DEPTH) {
		w_fail(w, EINVAL);
		return;
	}
	w_puts(w, object ? "{" : "[");
	w->depth++;
	w->first[w->depth] = true;
	/* Inside a one-line container everything stays on that line. */
	w->inline_[w->depth] = inline_ || w->inline_[w->depth - 1];
	w->object[w->depth] = object;
}

static void w_end(struct pvx_json_writer *w, bool object)
{
	if (w->err)
		return;
	if (w->depth == 0 || w->object[w->depth] != object || w->after_key) {
		w_fail(w, EINVAL);
		return;
	}
	if (!w->first[w->depth] && !w->inline_[w->depth])
		w_indent(w, w->depth - 1);
	w->depth--;
	w_puts(w, object ? "}" : "]");
}

void pvx_jw_begin_object(struct pvx_json_writer *w, bool inline_)
{
	w_begin(w, true, inline_);
}

void pvx_jw_end_object(struct pvx_json_writer *w)
{
	w_end(w, true);
}

void pvx_jw_begin_array(struct pvx_json_writer *w, bool inline_)
{
	w_begin(w, false, inline_);
}

void pvx_jw_end_array(struct pvx_json_writer *w)
{
	w_end(w, false);
}

void pvx_jw_key(struct pvx_json_writer *w, const char *key)
{
	if (w->err)
		return;
	if (w->depth == 0 || !w->object[w->depth] || w->after_key) {
		w_fail(w, EINVAL);
		return;
	}
	w_item(w);
	if (write_string(w->f, key) < 0)
		w_fail(w, errno);
	w_puts(w, ": ");
	w->after_key = true;
}

void pvx_jw_string(struct pvx_json_writer *w, const char *s)
{
	if (!w_value(w))
		return;
	if (write_string(w->f, s ? s : "") < 0)
		w_fail(w, errno);
}

void pvx_jw_u64(struct pvx_json_writer *w, uint64_t v)
{
	char b[24];

	if (!w_value(w))
		return;
	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	w_puts(w, b);
}

void pvx_jw_double(struct pvx_json_writer *w, double v)
{
	char b[PVX_JSON_NUMBER_MAX];

	if (!isfinite(v)) {
		w_fail(w, EDOM);
		return;
	}
	if (!w_value(w))
		return;
	pvx_json_format_double(v, b);
	w_puts(w, b);
}

void pvx_jw_bool(struct pvx_json_writer *w, bool v)
{
	if (w_value(w))
		w_puts(w, v ? "true" : "false");
}

void pvx_jw_null(struct pvx_json_writer *w)
{
	if (w_value(w))
		w_puts(w, "null");
}

void pvx_jw_double_or_null(struct pvx_json_writer *w, double v)
{
	if (isfinite(v))
		pvx_jw_double(w, v);
	else
		pvx_jw_null(w);
}

void pvx_jw_key_string(struct pvx_json_writer *w, const char *key, const char *s)
{
	pvx_jw_key(w, key);
	pvx_jw_string(w, s);
}

void pvx_jw_key_u64(struct pvx_json_writer *w, const char *key, uint64_t v)
{
	pvx_jw_key(w, key);
	pvx_jw_u64(w, v);
}

void pvx_jw_key_bool(struct pvx_json_writer *w, const char *key, bool v)
{
	pvx_jw_key(w, key);
	pvx_jw_bool(w, v);
}

int pvx_jw_finish(struct pvx_json_writer *w)
{
	if (!w->err && (w->depth || w->first[0]))
		w_fail(w, EINVAL);
	w_puts(w, "\n");
	if (!w->err && (fflush(w->f) == EOF || ferror(w->f)))
		w_fail(w, errno);
	if (w->err) {
		errno = w->err;
		return -1;
	}
	return 0;
}
