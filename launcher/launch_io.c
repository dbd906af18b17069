// SPDX-License-Identifier: GPL-2.0-only
/*
 * A launch result as text, one item per line, so that a run made by a
 * launcher elsewhere (the e500 lab's static pvexit-launch, with no
 * JSON library) reaches pvexit whole: the same struct, read back field
 * by field, and every line held to what the launcher could have
 * written.  docs/channel.md describes the format.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvexit/cases.h>
#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "launcher.h"
#include "util.h"

#define MAGIC "pvexit-launch-result"
#define VERSION 1
#define MAX_STATS 1024
#define LINE_MAX_BYTES 65536

/* Text from the guest: printable ASCII but backslash, else \xHH. */
static void put_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c >= 0x20 && c < 0x7f && c != '\\')
			fputc(c, f);
		else
			fprintf(f, "\\x%02x", c);
	}
}

static void put_field(FILE *f, const char *key, const char *s)
{
	if (!s[0])
		return;
	fprintf(f, "%s ", key);
	put_text(f, s);
	fputc('\n', f);
}

int launch_result_write(FILE *f, const struct launch_result *r)
{
	unsigned int i;
	size_t k;

	fprintf(f, "%s %d\n", MAGIC, VERSION);
	fprintf(f, "family %u\nbig_endian %d\nbits %u\n", r->family, r->big_endian, r->bits);
	fprintf(f, "tb_hz %" PRIu64 "\ntb_assumed %d\npvr %u\n", r->tb_hz, r->tb_assumed, r->pvr);
	fprintf(f, "done %d\nfailures %" PRIu64 "\nrecords %" PRIu64 "\n", r->done, r->failures,
		r->records);
	fprintf(f, "setup_ns %" PRIu64 "\nfirst_record_ns %" PRIu64 "\nhave_tp %d\n", r->setup_ns,
		r->first_record_ns, r->have_tp);
	put_field(f, "host_release", r->host_release);
	put_field(f, "host_machine", r->host_machine);
	put_field(f, "host_cpu", r->host_cpu);
	put_field(f, "host_revision", r->host_revision);
	for (k = 0; k < r->nstats; k++) {
		fprintf(f, "stat %d ", r->stat_cumulative[k]);
		put_text(f, r->stat_names[k]);
		fputc('\n', f);
	}
	if (r->marker) {
		fprintf(f, "marker %u", r->nmarker);
		for (k = 0; k < r->nstats; k++)
			fprintf(f, " %" PRIu64, r->marker[k]);
		fputc('\n', f);
	}
	for (i = 0; i < r->nfacts; i++) {
		fprintf(f, "fact %d %" PRIu64 " ", r->facts[i].format, r->facts[i].value);
		put_text(f, r->facts[i].key);
		fputc('\n', f);
	}
	for (i = 0; i < r->nchecks; i++) {
		const struct launch_check *c = &r->checks[i];

		fprintf(f, "check %u %u %d %" PRIu64 " %" PRIu64 " ", c->cls, c->cs, c->pass,
			c->seen, c->want);
		put_text(f, c->what);
		fputc('\n', f);
	}
	for (i = 0; i < r->nphases; i++) {
		const struct launch_phase *p = &r->phases[i];

		fprintf(f,
			"phase %u %u %u %d %d %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64
			" %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64,
			p->cls, p->variant, p->cs, p->ended, p->have_result, p->iterations,
			p->ticks, p->value, p->interrupts, p->host_ns, p->segment, p->tp_exits,
			p->tp_emul);
		for (k = 0; k < r->nstats; k++)
			fprintf(f, " %" PRIu64, p->delta[k]);
		fputc('\n', f);
	}
	if (r->error[0]) {
		fputs("error ", f);
		put_text(f, r->error);
		fputc('\n', f);
	}
	fputs("end\n", f);
	fflush(f);
	return ferror(f) ? -1 : 0;
}

struct reader {
	const char *name;
	unsigned long line;
	char *err;
	size_t errlen;
	char *p; /* where the current line's next field starts */
};

static int bad(struct reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct reader *rd, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pvx_set_err(rd->err, rd->errlen, "%s:%lu: %s", rd->name, rd->line, what);
	return -1;
}

/* The next space-separated field, as a whole number up to @max. */
static int num(struct reader *rd, const char *what, uint64_t max, uint64_t *v)
{
	char *end;

	if (*rd->p != ' ' || rd->p[1] < '0' || rd->p[1] > '9')
		return bad(rd, "%s: want a number", what);
	errno = 0;
	*v = strtoull(rd->p + 1, &end, 10);
	if (errno || *v > max || (*end != ' ' && *end != '\0'))
		return bad(rd, "%s: want a number up to %" PRIu64, what, max);
	rd->p = end;
	return 0;
}

#define NUM(rd, what, max, dst)                  \
	do {                                     \
		uint64_t v_;                     \
		if (num(rd, what, max, &v_) < 0) \
			return -1;               \
		(dst) = v_;                      \
	} while (0)

/* The rest of the line as text, \xHH undone, into @out of @len bytes. */
static int text(struct reader *rd, const char *what, char *out, size_t len)
{
	const char *s = rd->p;
	size_t n = 0;

	if (*s != ' ')
		return bad(rd, "%s: missing", what);
	for (s++; *s; s++) {
		unsigned int c = (unsigned char)*s;

		if (c == '\\') {
			if (s[1] != 'x' || sscanf(s + 2, "%2x", &c) != 1 || !s[2] || !s[3] ||
			    strchr("0123456789abcdef", s[2]) == NULL ||
			    strchr("0123456789abcdef", s[3]) == NULL)
				return bad(rd, "%s: a backslash not followed by xHH", what);
			s += 3;
		} else if (c < 0x20 || c >= 0x7f) {
			return bad(rd, "%s: a raw control or non-ASCII byte 0x%02x", what, c);
		}
		if (c == 0)
			return bad(rd, "%s: holds a NUL", what);
		if (n + 1 >= len)
			return bad(rd, "%s: longer than %zu bytes", what, len - 1);
		out[n++] = (char)c;
	}
	out[n] = '\0';
	rd->p += strlen(rd->p);
	return 0;
}

static int line_end(struct reader *rd)
{
	return *rd->p ? bad(rd, "unexpected text after the last field") : 0;
}

/* A class and case that name rows of the tables of the same kind, or
 * both none: what launch_record.c takes from the guest, phases and
 * checks alike. */
static bool ids_valid(unsigned int cls, unsigned int cs)
{
	if (cls == PVX_CLASS_NONE)
		return cs == PVX_CASE_NONE;
	return cls < PVX_CLASS_COUNT && cs < PVX_CASE_COUNT &&
	       pvx_cases[cs].kind == pvx_classes[cls].kind;
}

static int read_phase(struct reader *rd, struct launch_result *r)
{
	struct launch_phase *p;
	size_t k;

	if (r->nphases == LAUNCH_MAX_PHASES)
		return bad(rd, "more than %d phases", LAUNCH_MAX_PHASES);
	p = &r->phases[r->nphases];
	memset(p, 0, sizeof(*p));
	NUM(rd, "class", PVX_CLASS_NONE, p->cls);
	NUM(rd, "variant", PVX_VAR_MAX, p->variant);
	NUM(rd, "case", PVX_CASE_NONE, p->cs);
	if (!ids_valid(p->cls, p->cs))
		return bad(rd, "class %u and case %u: no such class and case", p->cls, p->cs);
	NUM(rd, "ended", 1, p->ended);
	NUM(rd, "have_result", 1, p->have_result);
	NUM(rd, "iterations", UINT64_MAX, p->iterations);
	NUM(rd, "ticks", UINT64_MAX, p->ticks);
	NUM(rd, "value", UINT64_MAX, p->value);
	NUM(rd, "interrupts", UINT64_MAX, p->interrupts);
	NUM(rd, "host_ns", UINT64_MAX, p->host_ns);
	NUM(rd, "segment", UINT64_MAX, p->segment);
	NUM(rd, "tp_exits", UINT64_MAX, p->tp_exits);
	NUM(rd, "tp_emul", UINT64_MAX, p->tp_emul);
	p->delta = pvx_xcalloc(r->nstats ? r->nstats : 1, sizeof(uint64_t));
	r->nphases++;
	for (k = 0; k < r->nstats; k++)
		NUM(rd, "stats delta", UINT64_MAX, p->delta[k]);
	return line_end(rd);
}

static int read_marker(struct reader *rd, struct launch_result *r)
{
	size_t k;

	if (r->marker)
		return bad(rd, "a second marker line");
	NUM(rd, "marker phases", UINT32_MAX, r->nmarker);
	r->marker = pvx_xcalloc(r->nstats ? r->nstats : 1, sizeof(uint64_t));
	for (k = 0; k < r->nstats; k++)
		NUM(rd, "marker value", UINT64_MAX, r->marker[k]);
	return line_end(rd);
}

static int read_stat(struct reader *rd, struct launch_result *r)
{
	char name[128];
	bool cum;

	if (r->nphases || r->marker)
		return bad(rd, "a stat line after the phases or the marker line");
	if (r->nstats == MAX_STATS)
		return bad(rd, "more than %d stats", MAX_STATS);
	NUM(rd, "cumulative", 1, cum);
	if (text(rd, "stat name", name, sizeof(name)) < 0)
		return -1;
	r->stat_names = pvx_xrealloc(r->stat_names, r->nstats + 1, sizeof(*r->stat_names));
	r->stat_cumulative =
		pvx_xrealloc(r->stat_cumulative, r->nstats + 1, sizeof(*r->stat_cumulative));
	r->stat_names[r->nstats] = pvx_xstrdup(name);
	r->stat_cumulative[r->nstats++] = cum;
	return 0;
}

static int read_item(struct reader *rd, const char *key, struct launch_result *r)
{
	if (!strcmp(key, "family")) {
		NUM(rd, key, PVX_FAM_BOOKE, r->family);
		if (r->family != PVX_FAM_BOOKE && r->family != PVX_FAM_BOOK3S32 &&
		    r->family != PVX_FAM_BOOK3S64 && r->family != 0)
			return bad(rd, "family %u: no such CPU family", r->family);
	} else if (!strcmp(key, "big_endian")) {
		NUM(rd, key, 1, r->big_endian);
	} else if (!strcmp(key, "bits")) {
		NUM(rd, key, 64, r->bits);
		/* 0: the run failed before the payload was loaded. */
		if (r->bits && r->bits != 32 && r->bits != 64)
			return bad(rd, "bits %u: want 32 or 64", r->bits);
	} else if (!strcmp(key, "tb_hz")) {
		NUM(rd, key, UINT64_MAX, r->tb_hz);
	} else if (!strcmp(key, "tb_assumed")) {
		NUM(rd, key, 1, r->tb_assumed);
	} else if (!strcmp(key, "pvr")) {
		NUM(rd, key, UINT32_MAX, r->pvr);
	} else if (!strcmp(key, "done")) {
		NUM(rd, key, 1, r->done);
	} else if (!strcmp(key, "failures")) {
		NUM(rd, key, UINT64_MAX, r->failures);
	} else if (!strcmp(key, "records")) {
		NUM(rd, key, UINT64_MAX, r->records);
	} else if (!strcmp(key, "setup_ns")) {
		NUM(rd, key, UINT64_MAX, r->setup_ns);
	} else if (!strcmp(key, "first_record_ns")) {
		NUM(rd, key, UINT64_MAX, r->first_record_ns);
	} else if (!strcmp(key, "have_tp")) {
		NUM(rd, key, 1, r->have_tp);
	} else if (!strcmp(key, "stat")) {
		return read_stat(rd, r);
	} else if (!strcmp(key, "marker")) {
		return read_marker(rd, r);
	} else if (!strcmp(key, "fact")) {
		struct launch_fact *fa = &r->facts[r->nfacts];

		if (r->nfacts == LAUNCH_MAX_FACTS)
			return bad(rd, "more than %d facts", LAUNCH_MAX_FACTS);
		NUM(rd, "fact format", PVX_FACT_HEX, fa->format);
		NUM(rd, "fact value", UINT64_MAX, fa->value);
		if (text(rd, "fact key", fa->key, sizeof(fa->key)) < 0)
			return -1;
		r->nfacts++;
		return 0;
	} else if (!strcmp(key, "check")) {
		struct launch_check *c = &r->checks[r->nchecks];

		if (r->nchecks == LAUNCH_MAX_CHECKS)
			return bad(rd, "more than %d checks", LAUNCH_MAX_CHECKS);
		NUM(rd, "check class", PVX_CLASS_NONE, c->cls);
		NUM(rd, "check case", PVX_CASE_NONE, c->cs);
		if (!ids_valid(c->cls, c->cs))
			return bad(rd, "class %u and case %u: no such class and case", c->cls,
				   c->cs);
		NUM(rd, "check pass", 1, c->pass);
		NUM(rd, "check seen", UINT64_MAX, c->seen);
		NUM(rd, "check want", UINT64_MAX, c->want);
		if (text(rd, "check text", c->what, sizeof(c->what)) < 0)
			return -1;
		r->nchecks++;
		return 0;
	} else if (!strcmp(key, "phase")) {
		return read_phase(rd, r);
	} else if (!strcmp(key, "host_release")) {
		return text(rd, key, r->host_release, sizeof(r->host_release));
	} else if (!strcmp(key, "host_machine")) {
		return text(rd, key, r->host_machine, sizeof(r->host_machine));
	} else if (!strcmp(key, "host_cpu")) {
		return text(rd, key, r->host_cpu, sizeof(r->host_cpu));
	} else if (!strcmp(key, "host_revision")) {
		return text(rd, key, r->host_revision, sizeof(r->host_revision));
	} else if (!strcmp(key, "error")) {
		return text(rd, "error", r->error, sizeof(r->error));
	} else {
		return bad(rd, "unknown item '%s'", pvx_safe(key));
	}
	return line_end(rd);
}

/*
 * The next line into @buf (LINE_MAX_BYTES + 2 bytes) as fgets() would
 * read it, but with its length: strlen() would stop at a NUL in the
 * line, which then passed for a line with no newline.  Return: its
 * length, newline included; 0 at the end of the stream or an error.
 */
static size_t get_line(FILE *f, char *buf)
{
	size_t n = 0;
	int c;

	while (n < LINE_MAX_BYTES + 1 && (c = getc(f)) != EOF) {
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	buf[n] = '\0';
	return n;
}

int launch_result_read(FILE *f, const char *name, struct launch_result *r, char *err, size_t errlen)
{
	struct reader rd = { name, 0, err, errlen, NULL };
	char *buf = pvx_xcalloc(1, LINE_MAX_BYTES + 2);
	bool ended = false;
	int st = -1;
	size_t n;

	memset(r, 0, sizeof(*r));
	while ((n = get_line(f, buf)) > 0) {
		char *sp;

		rd.line++;
		if (ended) {
			bad(&rd, "text after the end line");
			goto out;
		}
		if (!n || buf[n - 1] != '\n') {
			bad(&rd,
			    n > LINE_MAX_BYTES ? "line longer than %d bytes" :
						 "the last line has no newline (cut short?)",
			    LINE_MAX_BYTES);
			goto out;
		}
		buf[--n] = '\0';
		if (strlen(buf) != n) {
			bad(&rd, "holds a NUL byte");
			goto out;
		}
		if (rd.line == 1) {
			char want[64];

			snprintf(want, sizeof(want), "%s %d", MAGIC, VERSION);
			if (strcmp(buf, want)) {
				bad(&rd, "not a launch result (want '%s' first)", want);
				goto out;
			}
			continue;
		}
		if (!strcmp(buf, "end")) {
			ended = true;
			continue;
		}
		sp = strchr(buf, ' ');
		if (!sp) {
			bad(&rd, "a line with no fields");
			goto out;
		}
		*sp = '\0';
		rd.p = sp;
		*rd.p = ' ';
		{
			char key[32];

			if ((size_t)(sp - buf) >= sizeof(key)) {
				bad(&rd, "unknown item");
				goto out;
			}
			memcpy(key, buf, (size_t)(sp - buf));
			key[sp - buf] = '\0';
			if (read_item(&rd, key, r) < 0)
				goto out;
		}
	}
	if (ferror(f)) {
		pvx_set_err(err, errlen, "%s: read error: %s", name, strerror(errno));
		goto out;
	}
	if (!rd.line) {
		pvx_set_err(err, errlen, "%s: empty: the launcher wrote nothing", name);
		goto out;
	}
	if (!ended) {
		rd.line++;
		bad(&rd, "no end line: the launch result was cut short");
		goto out;
	}
	if (!r->bits && !r->error[0]) {
		pvx_set_err(err, errlen, "%s: a run with no payload loaded and no error", name);
		goto out;
	}
	st = 0;
out:
	free(buf);
	if (st < 0)
		launch_result_free(r);
	return st;
}
