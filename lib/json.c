// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON for pvexit: jansson held to what a results file may be, and the
 * one streaming writer.  See json.h for what each accepts.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "util.h"

/* Numbers are written in the C locale whatever the program's LC_NUMERIC
 * says: a results file has one decimal point everywhere (jansson reads
 * them so too). */
static locale_t c_locale(void)
{
	static locale_t loc;

	if (!loc)
		loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
	return loc ? loc : LC_GLOBAL_LOCALE;
}

/* --- the reader: jansson, and what a results file adds to it ------------- */

/* The line and column (1-based, the column in characters) of byte @off. */
static void place(const char *text, size_t off, unsigned int *line, unsigned int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			++*col;
		}
	}
}

/*
 * What jansson does not tell: how deep the brackets go, and what is still
 * open where the text stops.  Only ever run over text jansson has read
 * without fault, so a string needs no more care than its escapes.
 */
struct nesting {
	size_t open[PVX_JSON_MAX_DEPTH]; /* where each open bracket is */
	int depth;
	bool in_string;
	size_t string; /* where the last string began */
	size_t too_deep; /* the first bracket past the limit, or SIZE_MAX */
};

static void scan_nesting(const char *text, size_t end, struct nesting *n)
{
	size_t i;

	memset(n, 0, sizeof(*n));
	n->too_deep = SIZE_MAX;
	for (i = 0; i < end; i++) {
		char c = text[i];

		if (n->in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				n->in_string = false;
		} else if (c == '"') {
			n->in_string = true;
			n->string = i;
		} else if (c == '[' || c == '{') {
			if (n->depth == PVX_JSON_MAX_DEPTH) {
				n->too_deep = i;
				return;
			}
			n->open[n->depth++] = i;
		} else if ((c == ']' || c == '}') && n->depth) {
			n->depth--;
		}
	}
}

static bool is_word_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '+' || c == '.' || c == '_';
}

/*
 * Where the token jansson failed on begins.  jansson's own place is where
 * it stopped reading, the token's end; an editor wants its start, as the
 * errors of results files have always given it.  @n is the nesting up to
 * where jansson stopped.
 */
static size_t token_start(const char *text, size_t stop, const struct nesting *n)
{
	size_t off;

	if (!stop)
		return 0;
	if (n->in_string || text[stop - 1] == '"')
		return n->string;
	off = stop - 1;
	if (is_word_char(text[off]))
		while (off > 0 && is_word_char(text[off - 1]))
			off--;
	while (off > 0 && ((unsigned char)text[off] & 0xc0) == 0x80)
		off--;
	return off;
}

/* The byte at @off for a message: "'x'", "byte 0x00". */
static void describe(const char *text, size_t off, char *b, size_t len)
{
	unsigned char c = (unsigned char)text[off];

	if (c >= 0x21 && c < 0x7f)
		snprintf(b, len, "'%c'", c);
	else
		snprintf(b, len, "byte 0x%02x", c);
}

/* Names and numbers from the file may hold anything: a message stays one line. */
static void __attribute__((format(printf, 5, 6)))
fail_at(const char *text, size_t off, char *err, size_t errlen, const char *fmt, ...)
{
	unsigned int line, col;
	char msg[200], *p;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	place(text, off, &line, &col);
	pvx_set_err(err, errlen, "line %u col %u: %s", line, col, msg);
}

/* Nesting deeper than the limit: the error, at the bracket. */
static bool too_deep(const char *text, const struct nesting *n, char *err, size_t errlen)
{
	if (n->too_deep == SIZE_MAX)
		return false;
	fail_at(text, n->too_deep, err, errlen, "nesting deeper than %d levels",
		PVX_JSON_MAX_DEPTH);
	return true;
}

/* The text stops inside a value: say which one, and where it began. */
static void ended_early(const char *text, size_t len, const struct nesting *n, char *err,
			size_t errlen)
{
	unsigned int line, col;
	const char *what;
	size_t at;

	if (n->in_string) {
		at = n->string;
		what = "string";
	} else if (n->depth) {
		at = n->open[n->depth - 1];
		what = text[at] == '[' ? "array" : "object";
	} else {
		fail_at(text, len, err, errlen, "unexpected end of file, expected a value");
		return;
	}
	place(text, at, &line, &col);
	fail_at(text, len, err, errlen,
		"unexpected end of file in the %s that starts at line %u col %u", what, line, col);
}

/*
 * jansson's error, said the way results-file errors have always been:
 * the place where the faulty token starts, and our words where jansson's
 * would puzzle (its "\u0000" message names one of its flags).
 */
static void explain(const char *text, size_t len, const json_error_t *e, char *err, size_t errlen)
{
	enum json_error_code code = json_error_code(e);
	size_t stop = e->position > 0 ? (size_t)e->position : 0, at;
	struct nesting n;
	char b[24];
	int tok;

	if (stop > len || code == json_error_premature_end_of_input)
		stop = len;
	scan_nesting(text, stop, &n);
	/* Nesting past our limit comes first: jansson's own limit is far higher. */
	if (too_deep(text, &n, err, errlen))
		return;
	at = token_start(text, stop, &n);
	tok = (int)(stop - at > 60 ? 60 : stop - at);
	switch (code) {
	case json_error_premature_end_of_input:
		ended_early(text, len, &n, err, errlen);
		break;
	case json_error_end_of_input_expected:
		describe(text, at, b, sizeof(b));
		fail_at(text, at, err, errlen, "trailing text after the JSON value: %s", b);
		break;
	case json_error_invalid_utf8:
		/* jansson stops before the byte it cannot decode. */
		at = stop < len ? stop : len - 1;
		fail_at(text, at, err, errlen, "invalid UTF-8 (byte 0x%02x)",
			(unsigned char)text[at]);
		break;
	case json_error_null_character:
		fail_at(text, at, err, errlen,
			"\\u0000 (a NUL character) is not allowed in a string");
		break;
	case json_error_duplicate_key:
		fail_at(text, at, err, errlen, "duplicate member %.*s", tok, text + at);
		break;
	case json_error_numeric_overflow:
		fail_at(text, at, err, errlen, "number out of range: %.*s%s", tok, text + at,
			strncmp(e->text, "too big integer", 15) ?
				"" :
				" (integers go up to 9223372036854775807)");
		break;
	default:
		fail_at(text, at, err, errlen, "%s", e->text);
	}
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

json_t *pvx_json_load(const char *text, size_t len, char *err, size_t errlen)
{
	struct nesting n;
	json_error_t e;
	json_t *v;
	size_t i;

	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3)) {
		fail_at(text, 0, err, errlen, "a UTF-8 byte-order mark (results files have none)");
		return NULL;
	}
	for (i = 0; i < len && is_blank(text[i]); i++)
		;
	if (i == len) {
		fail_at(text, len, err, errlen, "no JSON value: the file is empty");
		return NULL;
	}
	v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &e);
	if (!v) {
		explain(text, len, &e, err, errlen);
		return NULL;
	}
	scan_nesting(text, len, &n);
	if (too_deep(text, &n, err, errlen)) {
		json_decref(v);
		return NULL;
	}
	return v;
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
