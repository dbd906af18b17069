// SPDX-License-Identifier: GPL-2.0-only
/*
 * launcher/launch_io.c: a launch result written as text reads back equal
 * and writes again byte for byte; and every way the text that comes
 * back from the e500 lab (untrusted: a guest wrote part of it) can be
 * wrong is refused with one exact line, NAME:LINE: what, and the
 * half-read result freed (ASan's leak check sees the rest).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvexit/cases.h>
#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "launch_cmp.h"
#include "launcher.h"
#include "unit.h"

/* The two lines most refusal texts start with, and the last line. */
#define HEAD "pvexit-launch-result 1\nbits 32\n"
#define TAIL "end\n"
#define U64_MAX_S "18446744073709551615"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p) {
		perror("calloc");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		perror("strdup");
		exit(2);
	}
	return p;
}

/* @r as text, in a buffer of @*len bytes (free it); NULL if the writer failed. */
static char *write_text(const struct launch_result *r, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);
	int rc;

	if (!f) {
		perror("open_memstream");
		exit(2);
	}
	rc = launch_result_write(f, r);
	if (fclose(f) || rc < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* @n bytes (NULs and all) as a file named "t", read back. */
static int read_bytes(const char *bytes, size_t n, struct launch_result *r, char *err,
		      size_t errlen)
{
	FILE *f = tmpfile();
	int rc;

	if (!f || fwrite(bytes, 1, n, f) != n || fseek(f, 0, SEEK_SET)) {
		perror("tmpfile");
		exit(2);
	}
	rc = launch_result_read(f, "t", r, err, errlen);
	fclose(f);
	return rc;
}

/* The phase line of a phase of no class, for @nstats stats all 7. */
static void none_phase(FILE *f, size_t nstats)
{
	fprintf(f, "phase %u %u %u 1 0 0 0 0 0 0 0 0 0", PVX_CLASS_NONE, PVX_VAR_MARKER,
		PVX_CASE_NONE);
	while (nstats--)
		fputs(" 7", f);
	fputc('\n', f);
}

/*
 * Refused: @n bytes of @text fail to read, with exactly the error line
 * @want, and nothing of the result is left allocated.
 */
static void refuse_n(const char *name, const char *text, size_t n, const char *want)
{
	struct launch_result *r = xcalloc(1, sizeof(*r));
	char err[512] = "", check[160], why[1200];
	int rc = read_bytes(text, n, r, err, sizeof(err));

	snprintf(check, sizeof(check), "refused: %s", name);
	snprintf(why, sizeof(why), "read returned %d", rc);
	unit_check(rc == -1, __FILE__, __LINE__, check, why);
	snprintf(check, sizeof(check), "refused: %s: the error line", name);
	snprintf(why, sizeof(why), "'%s', want '%s'", err, want);
	unit_check(!strcmp(err, want), __FILE__, __LINE__, check, why);
	snprintf(check, sizeof(check), "refused: %s: the result freed", name);
	unit_check(!r->nstats && !r->stat_names && !r->stat_cumulative && !r->marker && !r->nphases,
		   __FILE__, __LINE__, check, "fields left behind");
	free(r);
}

static void refuse(const char *name, const char *text, const char *want)
{
	refuse_n(name, text, strlen(text), want);
}

/* Accepted: @text reads (the positive side of a boundary). */
static void accept(const char *name, const char *text)
{
	struct launch_result *r = xcalloc(1, sizeof(*r));
	char err[512] = "", check[160];

	snprintf(check, sizeof(check), "accepted: %s", name);
	unit_check(read_bytes(text, strlen(text), r, err, sizeof(err)) == 0, __FILE__, __LINE__,
		   check, err);
	launch_result_free(r);
	free(r);
}

/* A stream-built text: refusals whose texts are too long to spell out. */
struct text {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *text_open(struct text *t, const char *start)
{
	t->buf = NULL;
	t->f = open_memstream(&t->buf, &t->len);
	if (!t->f) {
		perror("open_memstream");
		exit(2);
	}
	fputs(start, t->f);
	return t->f;
}

static void text_refuse(struct text *t, const char *name, const char *want)
{
	if (fclose(t->f)) {
		perror("open_memstream");
		exit(2);
	}
	refuse_n(name, t->buf, t->len, want);
	free(t->buf);
}

static const char *const stat_name[] = {
	"sum_exits",
	"emulated_inst_exits",
	"odd\\name with space",
	"halt_wait_ns",
};
static const bool stat_cum[] = { true, true, true, false };
#define NSTATS (sizeof(stat_name) / sizeof(stat_name[0]))

static void add_fact(struct launch_result *r, const char *key, uint64_t value, int format)
{
	struct launch_fact *fa = &r->facts[r->nfacts++];

	snprintf(fa->key, sizeof(fa->key), "%s", key);
	fa->value = value;
	fa->format = format;
}

static void add_check(struct launch_result *r, unsigned int cls, unsigned int cs, bool pass,
		      uint64_t seen, uint64_t want, const char *what)
{
	struct launch_check *c = &r->checks[r->nchecks++];

	c->cls = cls;
	c->cs = cs;
	c->pass = pass;
	c->seen = seen;
	c->want = want;
	snprintf(c->what, sizeof(c->what), "%s", what);
}

static struct launch_phase *add_phase(struct launch_result *r, unsigned int cls,
				      unsigned int variant, unsigned int cs, uint64_t base)
{
	struct launch_phase *p = &r->phases[r->nphases++];
	size_t k;

	p->cls = cls;
	p->variant = variant;
	p->cs = cs;
	p->delta = xcalloc(r->nstats, sizeof(uint64_t));
	for (k = 0; k < r->nstats; k++)
		p->delta[k] = base + k;
	return p;
}

/* A finished BookE run with something of every kind, every text that
 * must be escaped, and the largest numbers. */
static void populate(struct launch_result *r)
{
	char longkey[PVX_REC_TEXT_MAX];
	struct launch_phase *p;
	size_t k;

	r->family = PVX_FAM_BOOKE;
	r->big_endian = true;
	r->bits = 32;
	r->tb_hz = 41666666;
	r->pvr = 0x80211051;
	r->done = true;
	r->failures = 2;
	r->records = 1234;
	r->have_tp = true;
	r->setup_ns = 123456789;
	r->first_record_ns = UINT64_MAX;
	snprintf(r->host_release, sizeof(r->host_release), "6.1.0-e500 #1 SMP");
	snprintf(r->host_machine, sizeof(r->host_machine), "ppc");
	snprintf(r->host_cpu, sizeof(r->host_cpu), "e500v2\t(tab from cpuinfo)");
	snprintf(r->host_revision, sizeof(r->host_revision), "2.2 (pvr 8021 0022) \\ \xc3\xa9");
	snprintf(r->error, sizeof(r->error),
		 "channel: a \\ backslash, a\x01"
		 "control, \xff\x80");

	r->nstats = NSTATS;
	r->stat_names = xcalloc(NSTATS, sizeof(*r->stat_names));
	r->stat_cumulative = xcalloc(NSTATS, sizeof(*r->stat_cumulative));
	for (k = 0; k < NSTATS; k++) {
		r->stat_names[k] = xstrdup(stat_name[k]);
		r->stat_cumulative[k] = stat_cum[k];
	}
	r->nmarker = 3;
	r->marker = xcalloc(NSTATS, sizeof(uint64_t));
	r->marker[0] = 2;
	r->marker[1] = 1;
	r->marker[3] = UINT64_MAX;

	add_fact(r, "tb_hz", 41666666, PVX_FACT_DEC);
	add_fact(r, "a key with spaces", 0xdeadbeef, PVX_FACT_HEX);
	add_fact(r, "back\\slash \\x41 is no escape", 1, PVX_FACT_DEC);
	add_fact(r, "ctl\x01\t\x1f\x7f\n end", UINT64_MAX, PVX_FACT_HEX);
	add_fact(r, "high \xc3\xa9 \xff\x80", 0, PVX_FACT_DEC);
	add_fact(r, "", 7, PVX_FACT_DEC);
	add_fact(r, " leading and trailing spaces ", 8, PVX_FACT_DEC);
	memset(longkey, 'k', sizeof(longkey) - 1);
	longkey[sizeof(longkey) - 1] = '\0';
	add_fact(r, longkey, 9, PVX_FACT_HEX);

	add_check(r, PVX_CLASS_MFMSR, PVX_CASE_LOAD, true, 5, 5,
		  "patched read equals trapping read");
	add_check(r, PVX_CLASS_WRTEE, PVX_CASE_WRTEE_PENDING, false, 0, UINT64_MAX,
		  "interrupts \\ delivered\x02 \xfe");

	p = add_phase(r, PVX_CLASS_NONE, PVX_VAR_MARKER, PVX_CASE_NONE, 0);
	p->ended = true;
	p = add_phase(r, PVX_CLASS_MFMSR, PVX_VAR_RAW, PVX_CASE_LOAD, 20000);
	p->ended = p->have_result = true;
	p->iterations = 20000;
	p->ticks = 12345;
	p->value = 0x8000;
	p->interrupts = 1;
	p->host_ns = 987654;
	p->segment = 17;
	p->tp_exits = 20002;
	p->tp_emul = 20000;
	p = add_phase(r, PVX_CLASS_MFMSR, PVX_VAR_PATCHED, PVX_CASE_LOAD,
		      UINT64_MAX - (NSTATS - 1));
	p->ended = p->have_result = true;
	p->iterations = p->ticks = p->value = p->interrupts = UINT64_MAX;
	p->host_ns = p->segment = p->tp_exits = p->tp_emul = UINT64_MAX;
	/* Still open when the run failed. */
	add_phase(r, PVX_CLASS_WRTEE, PVX_VAR_BASELINE, PVX_CASE_WRTEE_EE, 0);
}

/* Every byte of the text printable ASCII or a line's newline. */
static bool printable(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] < 0x20 || s[i] >= 0x7f) && s[i] != '\n')
			return false;
	return true;
}

/* Written, read back equal, written again the same. */
static void round_trip(const char *name, const struct launch_result *r)
{
	struct launch_result *back = xcalloc(1, sizeof(*back));
	char check[160], err[512] = "", why[256] = "";
	char *text, *again;
	size_t len, len2 = 0;

	text = write_text(r, &len);
	snprintf(check, sizeof(check), "%s: written", name);
	CHECK(check, text != NULL);
	if (!text) {
		free(back);
		return;
	}
	snprintf(check, sizeof(check), "%s: the text is printable lines", name);
	CHECK(check, printable(text, len) && len && text[len - 1] == '\n');
	snprintf(check, sizeof(check), "%s: the text ends with the end line", name);
	CHECK(check, len >= 5 && !memcmp(text + len - 5, "\nend\n", 5));
	snprintf(check, sizeof(check), "%s: reads back", name);
	unit_check(read_bytes(text, len, back, err, sizeof(err)) == 0, __FILE__, __LINE__, check,
		   err);
	snprintf(check, sizeof(check), "%s: reads back equal, field by field", name);
	unit_check(launch_cmp(r, back, why, sizeof(why)), __FILE__, __LINE__, check, why);
	again = write_text(back, &len2);
	snprintf(check, sizeof(check), "%s: written again byte for byte", name);
	CHECK(check, again && len2 == len && !memcmp(again, text, len));
	free(again);
	free(text);
	launch_result_free(back);
	free(back);
}

static void test_round_trip(void)
{
	struct launch_result *r = xcalloc(1, sizeof(*r));
	struct launch_result *back = xcalloc(1, sizeof(*back));
	char err[512] = "";
	char *text;
	size_t len;

	populate(r);
	round_trip("a full run", r);

	/* launch_cmp() compares a struct with itself if it is broken: so a
	 * few of the values read back, against what went in. */
	text = write_text(r, &len);
	CHECK("a full run: escaped text on the page",
	      text &&
		      strstr(text,
			     "\nfact 1 18446744073709551615 ctl\\x01\\x09\\x1f\\x7f\\x0a end\n") &&
		      strstr(text, "\nstat 1 odd\\x5cname with space\n") &&
		      strstr(text, "\nhost_revision 2.2 (pvr 8021 0022) \\x5c \\xc3\\xa9\n") &&
		      strstr(text, "\nfact 0 8  leading and trailing spaces \n"));
	if (text && read_bytes(text, len, back, err, sizeof(err)) == 0) {
		CHECK("a full run: the values read back",
		      back->family == PVX_FAM_BOOKE && back->bits == 32 && back->big_endian &&
			      back->pvr == 0x80211051 && back->first_record_ns == UINT64_MAX &&
			      back->nstats == NSTATS &&
			      !strcmp(back->stat_names[2], stat_name[2]) &&
			      !back->stat_cumulative[3] && back->nmarker == 3 &&
			      back->marker[3] == UINT64_MAX && back->nfacts == 8 &&
			      !strcmp(back->facts[3].key, "ctl\x01\t\x1f\x7f\n end") &&
			      !strcmp(back->facts[4].key, "high \xc3\xa9 \xff\x80") &&
			      strlen(back->facts[7].key) == PVX_REC_TEXT_MAX - 1 &&
			      back->nchecks == 2 && back->checks[1].cs == PVX_CASE_WRTEE_PENDING &&
			      !back->checks[1].pass && back->nphases == 4 &&
			      back->phases[2].delta[NSTATS - 1] == UINT64_MAX &&
			      back->phases[1].tp_emul == 20000 && !back->phases[3].ended &&
			      !strcmp(back->error, r->error) &&
			      !strcmp(back->host_cpu, "e500v2\t(tab from cpuinfo)"));
		launch_result_free(back);
	} else {
		CHECK("a full run: the values read back", 0);
	}
	free(text);

	launch_result_free(r);
	free(r);
	free(back);
}

/* A run that failed before the payload was loaded: bits 0, an error,
 * no stats, no marker. */
static void test_failed_run(void)
{
	struct launch_result *r = xcalloc(1, sizeof(*r));

	r->family = PVX_FAM_BOOKE;
	r->big_endian = true;
	snprintf(r->host_machine, sizeof(r->host_machine), "ppc");
	snprintf(r->error, sizeof(r->error), "/dev/kvm: No such file or directory");
	round_trip("a failed run", r);
	launch_result_free(r);
	free(r);

	/* Stats named, then the guest crashed in its first phase. */
	r = xcalloc(1, sizeof(*r));
	r->family = PVX_FAM_BOOK3S64;
	r->bits = 64;
	r->nstats = 1;
	r->stat_names = xcalloc(1, sizeof(*r->stat_names));
	r->stat_cumulative = xcalloc(1, sizeof(*r->stat_cumulative));
	r->stat_names[0] = xstrdup("exits");
	r->stat_cumulative[0] = true;
	add_phase(r, PVX_CLASS_MTMSR, PVX_VAR_RAW, PVX_CASE_MTMSR_PENDING, 3);
	snprintf(r->error, sizeof(r->error), "the guest crashed: program interrupt");
	round_trip("a crashed run", r);
	launch_result_free(r);
	free(r);

	/* A check of no class and no case is one the launcher takes
	 * (launch_record.c, ids_valid), so it must read back. */
	r = xcalloc(1, sizeof(*r));
	r->bits = 64;
	add_check(r, PVX_CLASS_NONE, PVX_CASE_NONE, true, 1, 1, "a check of no class");
	round_trip("a check of no class", r);
	launch_result_free(r);
	free(r);
}

static void test_writer_error(void)
{
	struct launch_result *r = xcalloc(1, sizeof(*r));
	FILE *f = fopen("/dev/full", "w");

	populate(r);
	if (f) {
		CHECK("the writer says a full disk failed", launch_result_write(f, r) == -1);
		fclose(f);
	} else {
		unit_skip("the writer says a full disk failed", "no /dev/full");
	}
	launch_result_free(r);
	free(r);
}

static void test_lines(void)
{
	static const char nul_mid[] = HEAD "family 4\0x\n" TAIL;
	static const char nul_start[] = HEAD "\0family 4\n" TAIL;
	static const char nul_end[] = HEAD "family 4\0\n" TAIL;
	struct text t;
	FILE *f;
	int i;

	refuse("an empty file", "", "t: empty: the launcher wrote nothing");
	refuse("an empty first line", "\n",
	       "t:1: not a launch result (want 'pvexit-launch-result 1' first)");
	refuse("version 2", "pvexit-launch-result 2\nbits 32\nend\n",
	       "t:1: not a launch result (want 'pvexit-launch-result 1' first)");
	refuse("another magic", "pvexit-launch-results 1\n",
	       "t:1: not a launch result (want 'pvexit-launch-result 1' first)");
	refuse("a JSON file", "{\"schema_version\": 1}\n",
	       "t:1: not a launch result (want 'pvexit-launch-result 1' first)");

	refuse_n("a NUL inside a line", nul_mid, sizeof(nul_mid) - 1, "t:3: holds a NUL byte");
	refuse_n("a NUL starting a line", nul_start, sizeof(nul_start) - 1,
		 "t:3: holds a NUL byte");
	refuse_n("a NUL before the newline", nul_end, sizeof(nul_end) - 1, "t:3: holds a NUL byte");

	/* 65536 bytes and its newline is a line (its item then too long);
	 * one byte more is not. */
	f = text_open(&t, HEAD "error ");
	for (i = 0; i < 65536 - 6; i++)
		fputc('a', f);
	fputs("\n" TAIL, f);
	text_refuse(&t, "a line of 64 KiB", "t:3: error: longer than 511 bytes");
	f = text_open(&t, HEAD "error ");
	for (i = 0; i < 65536 - 5; i++)
		fputc('a', f);
	fputs("\n" TAIL, f);
	text_refuse(&t, "a line over 64 KiB", "t:3: line longer than 65536 bytes");
	f = text_open(&t, HEAD "error ");
	for (i = 0; i < 200000; i++)
		fputc('a', f);
	text_refuse(&t, "a line over 64 KiB with no newline", "t:3: line longer than 65536 bytes");

	refuse("no final newline", HEAD "end", "t:3: the last line has no newline (cut short?)");
	refuse("cut inside an item", HEAD "done 1",
	       "t:3: the last line has no newline (cut short?)");
	refuse("no end line", HEAD, "t:3: no end line: the launch result was cut short");
	refuse("only the first line", "pvexit-launch-result 1\n",
	       "t:2: no end line: the launch result was cut short");
	refuse("an item after the end line", HEAD TAIL "family 4\n",
	       "t:4: text after the end line");
	refuse("an empty line after the end line", HEAD TAIL "\n", "t:4: text after the end line");
	refuse("a second end line", HEAD TAIL TAIL, "t:4: text after the end line");
	refuse("bytes after the end line", HEAD TAIL "x", "t:4: text after the end line");
	refuse("an empty line", HEAD "\n" TAIL, "t:3: a line with no fields");
	refuse("an item with no value", HEAD "family\n" TAIL, "t:3: a line with no fields");
	refuse("CRLF line ends", "pvexit-launch-result 1\r\nbits 32\r\nend\r\n",
	       "t:1: not a launch result (want 'pvexit-launch-result 1' first)");
	refuse("a run with no payload and no error", "pvexit-launch-result 1\nbits 0\nend\n",
	       "t: a run with no payload loaded and no error");
}

static void test_items(void)
{
	refuse("an unknown item", HEAD "colour 3\n" TAIL, "t:3: unknown item 'colour'");
	refuse("an unknown item with a control byte", HEAD "co\x01lour 3\n" TAIL,
	       "t:3: unknown item 'co\\x01lour'");
	refuse("an unknown item of 32 bytes", HEAD "abcdefghijklmnopqrstuvwxyz012345 1\n" TAIL,
	       "t:3: unknown item");
	refuse("an item led by a space", HEAD " family 4\n" TAIL, "t:3: unknown item ''");

	refuse("family 3", HEAD "family 3\n" TAIL, "t:3: family 3: no such CPU family");
	refuse("family 5", HEAD "family 5\n" TAIL, "t:3: family: want a number up to 4");
	accept("family 0 (a run that failed early)", HEAD "family 0\n" TAIL);
	refuse("bits 16", HEAD "bits 16\n" TAIL, "t:3: bits 16: want 32 or 64");
	refuse("bits 65", HEAD "bits 65\n" TAIL, "t:3: bits: want a number up to 64");
	refuse("done 2", HEAD "done 2\n" TAIL, "t:3: done: want a number up to 1");
	refuse("a 33-bit pvr", HEAD "pvr 4294967296\n" TAIL,
	       "t:3: pvr: want a number up to 4294967295");
	accept("the largest pvr", HEAD "pvr 4294967295\n" TAIL);
	refuse("a number past 2^64", HEAD "tb_hz 18446744073709551616\n" TAIL,
	       "t:3: tb_hz: want a number up to " U64_MAX_S);
	refuse("a number far past 2^64", HEAD "tb_hz 99999999999999999999999999\n" TAIL,
	       "t:3: tb_hz: want a number up to " U64_MAX_S);
	accept("2^64 - 1", HEAD "tb_hz " U64_MAX_S "\n" TAIL);
	refuse("a negative number", HEAD "failures -1\n" TAIL, "t:3: failures: want a number");
	refuse("a plus sign", HEAD "records +1\n" TAIL, "t:3: records: want a number");
	refuse("a hexadecimal number", HEAD "records 0x10\n" TAIL,
	       "t:3: records: want a number up to " U64_MAX_S);
	refuse("trailing junk", HEAD "records 12x\n" TAIL,
	       "t:3: records: want a number up to " U64_MAX_S);
	refuse("a CR before the newline", HEAD "records 12\r\n" TAIL,
	       "t:3: records: want a number up to " U64_MAX_S);
	refuse("a second number", HEAD "records 12 13\n" TAIL,
	       "t:3: unexpected text after the last field");
	refuse("a trailing space", HEAD "records 12 \n" TAIL,
	       "t:3: unexpected text after the last field");
	refuse("two spaces", HEAD "records  12\n" TAIL, "t:3: records: want a number");
	refuse("an empty number", HEAD "records \n" TAIL, "t:3: records: want a number");
	refuse("fact format 2", HEAD "fact 2 1 key\n" TAIL,
	       "t:3: fact format: want a number up to 1");
	refuse("a check with no text", HEAD "check 0 0 1 1 1\n" TAIL, "t:3: check text: missing");
}

static void test_text(void)
{
	static const char nul_escape[] = HEAD "error a\\x00b\n" TAIL;
	char stat[256], fact[256];

	refuse("the escape \\x4", HEAD "error bad \\x4\n" TAIL,
	       "t:3: error: a backslash not followed by xHH");
	refuse("the escape \\x4g", HEAD "error bad \\x4g\n" TAIL,
	       "t:3: error: a backslash not followed by xHH");
	refuse("the escape \\x 4", HEAD "error bad \\x 4\n" TAIL,
	       "t:3: error: a backslash not followed by xHH");
	refuse("the escape \\q", HEAD "error bad \\q\n" TAIL,
	       "t:3: error: a backslash not followed by xHH");
	refuse("a trailing backslash", HEAD "error bad \\\n" TAIL,
	       "t:3: error: a backslash not followed by xHH");
	refuse_n("the escape \\x00", nul_escape, sizeof(nul_escape) - 1, "t:3: error: holds a NUL");
	refuse("a raw tab", HEAD "error a\tb\n" TAIL,
	       "t:3: error: a raw control or non-ASCII byte 0x09");
	refuse("a raw DEL", HEAD "fact 0 1 a\x7f\n" TAIL,
	       "t:3: fact key: a raw control or non-ASCII byte 0x7f");
	refuse("a raw high byte", HEAD "host_cpu e500\xc3\xa9\n" TAIL,
	       "t:3: host_cpu: a raw control or non-ASCII byte 0xc3");
	refuse("a text item with no text", HEAD "host_cpu\n" TAIL, "t:3: a line with no fields");

	snprintf(stat, sizeof(stat), HEAD "stat 1 %0127d\n" TAIL, 0);
	accept("a stat name of 127 bytes", stat);
	snprintf(stat, sizeof(stat), HEAD "stat 1 %0128d\n" TAIL, 0);
	refuse("a stat name of 128 bytes", stat, "t:3: stat name: longer than 127 bytes");
	snprintf(fact, sizeof(fact), HEAD "fact 0 1 %0*d\n" TAIL, PVX_REC_TEXT_MAX, 0);
	refuse("a fact key of 96 bytes", fact, "t:3: fact key: longer than 95 bytes");
	/* The limit is on the text, not on its escaped form. */
	snprintf(fact, sizeof(fact), HEAD "fact 0 1 \\x5c%0*d\n" TAIL, PVX_REC_TEXT_MAX - 2, 0);
	accept("a fact key of 95 bytes, one escaped", fact);
}

static void test_order(void)
{
	char buf[512], want[128];

	refuse("a stat after a phase",
	       HEAD "stat 1 exits\nphase 65535 5 65535 1 0 0 0 0 0 0 0 0 0 7\nstat 1 late\n" TAIL,
	       "t:5: a stat line after the phases or the marker line");
	refuse("a stat after the marker line", HEAD "stat 1 exits\nmarker 1 2\nstat 1 late\n" TAIL,
	       "t:5: a stat line after the phases or the marker line");
	refuse("a second marker line", HEAD "stat 1 exits\nmarker 1 2\nmarker 1 2\n" TAIL,
	       "t:5: a second marker line");
	refuse("a marker line short of a stat", HEAD "stat 1 a\nstat 0 b\nmarker 1 2\n" TAIL,
	       "t:5: marker value: want a number");
	refuse("a marker line with a stat too many", HEAD "stat 1 a\nmarker 1 2 3\n" TAIL,
	       "t:4: unexpected text after the last field");
	refuse("a phase short of a stat",
	       HEAD "stat 1 a\nstat 0 b\nphase 65535 5 65535 1 0 0 0 0 0 0 0 0 0 7\n" TAIL,
	       "t:5: stats delta: want a number");
	refuse("a phase with a stat too many",
	       HEAD "stat 1 a\nphase 65535 5 65535 1 0 0 0 0 0 0 0 0 0 7 8\n" TAIL,
	       "t:4: unexpected text after the last field");
	refuse("a phase cut short", HEAD "phase 65535 5 65535 1 0 0 0\n" TAIL,
	       "t:3: value: want a number");
	accept("phases before the marker line",
	       HEAD "stat 1 a\nphase 65535 5 65535 1 0 0 0 0 0 0 0 0 0 7\nmarker 1 2\n" TAIL);

	/* Class and case: rows of the tables of the same kind, or both none. */
	snprintf(buf, sizeof(buf), HEAD "phase %d 0 %d 1 0 0 0 0 0 0 0 0 0\n" TAIL, PVX_CLASS_MFMSR,
		 PVX_CASE_STORE);
	snprintf(want, sizeof(want), "t:3: class %d and case %d: no such class and case",
		 PVX_CLASS_MFMSR, PVX_CASE_STORE);
	refuse("a load class with a store case", buf, want);
	snprintf(buf, sizeof(buf), HEAD "phase %d 0 %d 1 0 0 0 0 0 0 0 0 0\n" TAIL, PVX_CLASS_COUNT,
		 PVX_CASE_LOAD);
	snprintf(want, sizeof(want), "t:3: class %d and case %d: no such class and case",
		 PVX_CLASS_COUNT, PVX_CASE_LOAD);
	refuse("a class past the table", buf, want);
	snprintf(buf, sizeof(buf), HEAD "phase %d 0 %d 1 0 0 0 0 0 0 0 0 0\n" TAIL, PVX_CLASS_MFMSR,
		 PVX_CASE_COUNT);
	snprintf(want, sizeof(want), "t:3: class %d and case %d: no such class and case",
		 PVX_CLASS_MFMSR, PVX_CASE_COUNT);
	refuse("a case past the table", buf, want);
	refuse("no class with a case", HEAD "phase 65535 0 0 1 0 0 0 0 0 0 0 0 0\n" TAIL,
	       "t:3: class 65535 and case 0: no such class and case");
	refuse("a class with no case", HEAD "phase 0 0 65535 1 0 0 0 0 0 0 0 0 0\n" TAIL,
	       "t:3: class 0 and case 65535: no such class and case");
	refuse("a class past 65535", HEAD "phase 65536 0 0 1 0 0 0 0 0 0 0 0 0\n" TAIL,
	       "t:3: class: want a number up to 65535");
	refuse("variant 6", HEAD "phase 0 6 0 1 0 0 0 0 0 0 0 0 0\n" TAIL,
	       "t:3: variant: want a number up to 5");
	snprintf(buf, sizeof(buf), HEAD "check %d %d 1 1 1 what\n" TAIL, PVX_CLASS_MFMSR,
		 PVX_CASE_STORE);
	snprintf(want, sizeof(want), "t:3: class %d and case %d: no such class and case",
		 PVX_CLASS_MFMSR, PVX_CASE_STORE);
	refuse("a check of a load class with a store case", buf, want);
	snprintf(buf, sizeof(buf), HEAD "check %d %d 1 1 1 what\n" TAIL, PVX_CLASS_COUNT,
		 PVX_CASE_LOAD);
	snprintf(want, sizeof(want), "t:3: class %d and case %d: no such class and case",
		 PVX_CLASS_COUNT, PVX_CASE_LOAD);
	refuse("a check of a class past the table", buf, want);
	refuse("a check of no class with a case", HEAD "check 65535 0 1 1 1 what\n" TAIL,
	       "t:3: class 65535 and case 0: no such class and case");
}

static void test_limits(void)
{
	struct text t;
	FILE *f;
	int i;

	f = text_open(&t, HEAD);
	for (i = 0; i <= LAUNCH_MAX_PHASES; i++)
		none_phase(f, 0);
	fputs(TAIL, f);
	text_refuse(&t, "too many phases", "t:259: more than 256 phases");

	f = text_open(&t, HEAD);
	for (i = 0; i <= LAUNCH_MAX_FACTS; i++)
		fprintf(f, "fact 0 %d key %d\n", i, i);
	fputs(TAIL, f);
	text_refuse(&t, "too many facts", "t:131: more than 128 facts");

	f = text_open(&t, HEAD);
	for (i = 0; i <= LAUNCH_MAX_CHECKS; i++)
		fprintf(f, "check %d %d 1 1 1 check %d\n", PVX_CLASS_MFMSR, PVX_CASE_LOAD, i);
	fputs(TAIL, f);
	text_refuse(&t, "too many checks", "t:259: more than 256 checks");

	f = text_open(&t, HEAD);
	for (i = 0; i <= 1024; i++)
		fprintf(f, "stat 1 s%d\n", i);
	fputs(TAIL, f);
	text_refuse(&t, "too many stats", "t:1027: more than 1024 stats");

	/* At every limit at once, with phase lines of 1024 deltas of 2^64 - 1
	 * (about 21 KiB each). */
	{
		struct launch_result *r = xcalloc(1, sizeof(*r));
		char err[512] = "";

		f = text_open(&t, HEAD);
		for (i = 0; i < 1024; i++)
			fprintf(f, "stat 1 s%d\n", i);
		for (i = 0; i < LAUNCH_MAX_FACTS; i++)
			fprintf(f, "fact 0 %d key %d\n", i, i);
		for (i = 0; i < LAUNCH_MAX_CHECKS; i++)
			fprintf(f, "check %d %d 1 1 1 check %d\n", PVX_CLASS_MFMSR, PVX_CASE_LOAD,
				i);
		for (i = 0; i < LAUNCH_MAX_PHASES; i++) {
			int k;

			fprintf(f, "phase %u %u %u 1 0 0 0 0 0 0 0 0 0", PVX_CLASS_NONE,
				PVX_VAR_MARKER, PVX_CASE_NONE);
			for (k = 0; k < 1024; k++)
				fputs(" " U64_MAX_S, f);
			fputc('\n', f);
		}
		fputs(TAIL, f);
		fclose(f);
		unit_check(read_bytes(t.buf, t.len, r, err, sizeof(err)) == 0, __FILE__, __LINE__,
			   "accepted: every limit reached", err);
		CHECK("every limit reached: all of it read",
		      r->nstats == 1024 && r->nfacts == LAUNCH_MAX_FACTS &&
			      r->nchecks == LAUNCH_MAX_CHECKS && r->nphases == LAUNCH_MAX_PHASES &&
			      r->phases[LAUNCH_MAX_PHASES - 1].delta[1023] == UINT64_MAX);
		round_trip("every limit reached", r);
		free(t.buf);
		launch_result_free(r);
		free(r);
	}
}

/* A stream that fails to read: a directory, which fopen() opens and
 * reading then refuses (EISDIR). */
static void test_read_error(void)
{
	struct launch_result *r = xcalloc(1, sizeof(*r));
	char err[512] = "";
	FILE *f = fopen("/", "r");

	if (!f) {
		unit_skip("refused: a stream that fails to read", strerror(errno));
		free(r);
		return;
	}
	CHECK("refused: a stream that fails to read",
	      launch_result_read(f, "t", r, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("refused: a stream that fails to read: the error line", err,
			   "t: read error: Is a directory");
	CHECK("refused: a stream that fails to read: the result freed",
	      !r->stat_names && !r->nstats);
	fclose(f);
	free(r);
}

int main(void)
{
	test_round_trip();
	test_failed_run();
	test_writer_error();
	test_lines();
	test_items();
	test_text();
	test_order();
	test_limits();
	test_read_error();
	return unit_done();
}
