// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trace decoder: the lab-recorded fixtures (pvexit's container and
 * trace-cmd's trace.dat, a big- and a little-endian guest each) give
 * exactly one PROGRAM exit per raw mfmsr iteration, classified mfmsr;
 * synthetic recordings from a big- and a little-endian kernel decode to
 * exact counts, latencies and losses; truncated and corrupted files give
 * one clear error, never a crash; a file's formats are tried in one
 * child process, not one per format.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "insn_class.h"
#include "pvtrace.h"
#include "trace_decode.h"
#include "trace_decode_internal.h"
#include "trace_synth.h"
#include "unit.h"

#define FIX "tests/fixtures/trace/"

/* libtracecmd keeps a few allocations of a failed open for good. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libtracecmd.so\nleak:libtraceevent.so\n";
}

static char tmpdir[64];

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	unsigned char *b;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	b = malloc(len > 0 ? (size_t)len : 1);
	*n = b ? fread(b, 1, (size_t)len, f) : 0;
	fclose(f);
	return b;
}

static int spit(const char *path, const unsigned char *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(b, 1, n, f) == n;

	if (f)
		fclose(f);
	return ok ? 0 : -1;
}

/* "mfmsr  ENDIAN raw N" in the run's own table: the iterations. */
static uint64_t raw_iterations(const char *runfile, const char *endian)
{
	char line[512], cls[32], e[8], var[16];
	unsigned long long n;
	FILE *f = fopen(runfile, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%31s %7s %15s %llu", cls, e, var, &n) == 4 &&
		    !strcmp(cls, "mfmsr") && !strcmp(e, endian) && !strcmp(var, "raw")) {
			fclose(f);
			return n;
		}
	}
	fclose(f);
	return 0;
}

static uint64_t sum_rows(const struct pvx_trace *t, uint32_t vector, int cls)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (t->rows[i].vector == vector && t->rows[i].cls == cls)
			n += t->rows[i].exits;
	return n;
}

/* --- the lab fixtures ------------------------------------------------------ */

static void check_fixture(const char *name, const char *endian, enum pvx_trace_kind kind)
{
	char path[128], run[160], label[160], err[600];
	struct pvx_trace t, flat;
	uint64_t want, best = 0, best_seg = 0, others = 0;
	uint32_t best_tid = 0;
	size_t i;

	snprintf(path, sizeof(path), FIX "%s", name);
	snprintf(run, sizeof(run), "%s.run.txt", path);
	want = raw_iterations(run, endian);
	snprintf(label, sizeof(label), "%s: the run's table gives the raw iterations", name);
	if (!CHECK(label, want > 0))
		return;
	snprintf(label, sizeof(label), "%s: decodes", name);
	if (!unit_check(!pvx_trace_read(path, PVX_TRACE_SEGMENTS, &t, err, sizeof(err)), __FILE__,
			__LINE__, label, err))
		return;
	snprintf(label, sizeof(label), "%s: kind, recorded by a little-endian 64-bit kernel", name);
	CHECK(label, t.kind == kind && !t.big_endian && t.long_size == 8 && t.page_size == 65536 &&
			     t.ncpus >= 1);
	snprintf(label, sizeof(label), "%s: nothing lost, every exit paired", name);
	CHECK(label, !pvx_trace_lossy(&t) && t.n_exit == t.n_reenter && !t.unpaired_exit &&
			     !t.unpaired_reenter && !t.clock_backwards && !t.class_mismatch);
	snprintf(label, sizeof(label), "%s: every mfmsr exit emulated once", name);
	CHECK_EQ_U64(label, sum_rows(&t, PVX_VECTOR_PROGRAM, PVX_CLASS_MFMSR),
		     t.instr_by_class[PVX_CLASS_MFMSR]);

	/* The raw phase is the segment with the most mfmsr exits. */
	for (i = 0; i < t.nrows; i++) {
		const struct pvx_trace_row *r = &t.rows[i];

		if (r->vector == PVX_VECTOR_PROGRAM && r->cls == PVX_CLASS_MFMSR &&
		    r->exits > best) {
			best = r->exits;
			best_seg = r->seg;
			best_tid = r->tid;
		}
	}
	for (i = 0; i < t.nrows; i++)
		if (t.rows[i].tid == best_tid && t.rows[i].seg == best_seg &&
		    t.rows[i].vector == PVX_VECTOR_PROGRAM && t.rows[i].cls != PVX_CLASS_MFMSR)
			others += t.rows[i].exits;
	snprintf(label, sizeof(label), "%s: the raw phase has one mfmsr PROGRAM exit per iteration",
		 name);
	CHECK_EQ_U64(label, best, want);
	snprintf(label, sizeof(label), "%s: and no other PROGRAM exit", name);
	CHECK_EQ_U64(label, others, 0);

	snprintf(label, sizeof(label), "%s: without segments, the same totals", name);
	if (unit_check(!pvx_trace_read(path, 0, &flat, err, sizeof(err)), __FILE__, __LINE__, label,
		       err)) {
		CHECK_EQ_U64(label, sum_rows(&flat, PVX_VECTOR_PROGRAM, PVX_CLASS_MFMSR),
			     sum_rows(&t, PVX_VECTOR_PROGRAM, PVX_CLASS_MFMSR));
		pvx_trace_free(&flat);
	}
	pvx_trace_free(&t);
}

/* --- synthetic recordings ---------------------------------------------------- */

#define MFMSR_R3 0x7c6000a6u
#define MTSPRG0_R5 (PVX_MTSPR(272) | (5u << 21))
#define STW 0x90640000u /* stw r3,0(r4): the MMIO marker */
#define NOT_IN_TABLE 0x7c0004acu /* an hwsync: no class */

static const struct pvx_trace_row *find_row(const struct pvx_trace *t, uint32_t tid, uint32_t seg,
					    uint32_t vector, int cls)
{
	size_t i;

	for (i = 0; i < t->nrows; i++)
		if (t->rows[i].tid == tid && t->rows[i].seg == seg && t->rows[i].vector == vector &&
		    t->rows[i].cls == cls)
			return &t->rows[i];
	return NULL;
}

/*
 * CPU 0: thread 100, a big-endian guest: three mfmsr exits of 1000 ns,
 * an MMIO exit (a store emulated), then a fourth mfmsr exit whose
 * reentry comes on CPU 1 after 2^28 ns (a time extend), and a word
 * outside the table.  CPU 1: thread 101, a little-endian guest: two
 * mtsprg0 exits of 3000 ns and a DECREMENTER exit.  CPU 1's page says 7
 * events were lost before it, its stats 5 overruns.
 */
static int write_synthetic(const char *path, bool be)
{
	static const char stats0[] =
		"entries: 0\noverrun: 0\ncommit overrun: 0\ndropped events: 0\n";
	static const char stats1[] =
		"entries: 0\noverrun: 5\ncommit overrun: 0\ndropped events: 0\n";
	struct syn_page p0, p1;
	struct pvt_writer *w = syn_create(path, be, 2, NULL, NULL);
	uint64_t ts = 1000000;
	char err[256];
	int i;

	if (!w)
		return -1;
	syn_page_start(&p0, be, ts);
	syn_page_start(&p1, be, ts);
	for (i = 0; i < 3; i++, ts += 10000) {
		syn_exit(&p0, ts, 100, 0x700, false, MFMSR_R3);
		syn_instr(&p0, ts + 400, 100, MFMSR_R3);
		syn_reenter(&p0, ts + 1000, 100);
	}
	syn_exit(&p0, ts, 100, 0x300, false, STW);
	syn_instr(&p0, ts + 100, 100, STW);
	syn_reenter(&p0, ts + 500, 100);
	ts += 10000;
	syn_exit(&p0, ts, 100, 0x700, false, MFMSR_R3);
	syn_instr(&p0, ts + 10, 100, MFMSR_R3);
	syn_reenter(&p1, ts + (1ull << 28), 100); /* migrated meanwhile */
	syn_exit(&p0, ts + (1ull << 28) + 100, 100, 0x700, false, NOT_IN_TABLE);
	syn_instr(&p0, ts + (1ull << 28) + 110, 100, NOT_IN_TABLE);
	syn_reenter(&p0, ts + (1ull << 28) + 200, 100);
	for (i = 0; i < 2; i++) {
		uint64_t t1 = ts + (1ull << 28) + 1000 + 10000 * (uint64_t)i;

		syn_exit(&p1, t1, 101, 0x700, true, MTSPRG0_R5);
		syn_instr(&p1, t1 + 5, 101, MTSPRG0_R5);
		syn_reenter(&p1, t1 + 3000, 101);
	}
	syn_exit(&p1, ts + (1ull << 28) + 50000, 101, 0x900, true, 0);
	syn_reenter(&p1, ts + (1ull << 28) + 50100, 101);
	syn_page_end(&p0, 0);
	syn_page_end(&p1, 7);
	pvt_page(w, 0, p0.b);
	pvt_page(w, 1, p1.b);
	pvt_cpu_stats(w, 0, stats0, strlen(stats0));
	pvt_cpu_stats(w, 1, stats1, strlen(stats1));
	if (pvt_commit(w, err, sizeof(err))) {
		printf("  pvt_commit: %s\n", err);
		return -1;
	}
	return 0;
}

static void check_synthetic(bool be)
{
	const char *host = be ? "big-endian host" : "little-endian host";
	const struct pvx_trace_row *r;
	char path[128], label[160], err[600];
	struct pvx_trace t;

	snprintf(path, sizeof(path), "%s/synth-%s.pvtrace", tmpdir, be ? "be" : "le");
	snprintf(label, sizeof(label), "synthetic, %s: written", host);
	if (!CHECK(label, !write_synthetic(path, be)))
		return;
	snprintf(label, sizeof(label), "synthetic, %s: decodes", host);
	if (!unit_check(!pvx_trace_read(path, PVX_TRACE_SEGMENTS, &t, err, sizeof(err)), __FILE__,
			__LINE__, label, err))
		return;
	snprintf(label, sizeof(label), "synthetic, %s: byte order and geometry from the file",
		 host);
	CHECK(label, t.big_endian == be && t.long_size == 8 && t.page_size == SYN_PAGE &&
			     t.ncpus == 2 && !strcmp(t.clock, "local"));
	snprintf(label, sizeof(label), "synthetic, %s: event totals", host);
	CHECK(label, t.n_exit == 9 && t.n_instr == 8 && t.n_reenter == 9 && !t.n_foreign);

	r = find_row(&t, 100, 0, 0x700, PVX_CLASS_MFMSR);
	snprintf(label, sizeof(label),
		 "synthetic, %s: BE guest mfmsr, segment 0: 3 exits of 1000 ns", host);
	CHECK(label, r && r->exits == 3 && r->instr == 3 && r->paired == 3 && r->lat_sum == 3000 &&
			     r->lat_min == 1000 && r->lat_max == 1000 && r->hist[9] == 3);
	r = find_row(&t, 100, 0, 0x300, PVX_TRACE_NO_WORD);
	snprintf(label, sizeof(label), "synthetic, %s: the MMIO exit ends segment 0", host);
	CHECK(label, r && r->exits == 1 && r->instr == 1 && r->lat_sum == 500);
	r = find_row(&t, 100, 1, 0x700, PVX_CLASS_MFMSR);
	snprintf(label, sizeof(label),
		 "synthetic, %s: segment 1: the mfmsr whose reentry came on CPU 1, 2^28 ns later",
		 host);
	CHECK(label, r && r->exits == 1 && r->paired == 1 && r->lat_sum == (1ull << 28) &&
			     r->hist[28] == 1);
	r = find_row(&t, 100, 1, 0x700, PVX_INSN_OTHER);
	snprintf(label, sizeof(label), "synthetic, %s: a word outside the table is other", host);
	CHECK(label, r && r->exits == 1 && t.nother_words == 1 &&
			     t.other_words[0].word == NOT_IN_TABLE && t.other_words[0].count == 1);
	r = find_row(&t, 101, 0, 0x700, PVX_CLASS_MTSPRG0);
	snprintf(label, sizeof(label), "synthetic, %s: LE guest mtsprg0: 2 exits of 3000 ns", host);
	CHECK(label, r && r->exits == 2 && r->instr == 2 && r->lat_sum == 6000 && r->hist[11] == 2);
	r = find_row(&t, 101, 0, 0x900, PVX_TRACE_NO_WORD);
	snprintf(label, sizeof(label), "synthetic, %s: DECREMENTER exits carry no class", host);
	CHECK(label, r && r->exits == 1 && r->lat_sum == 100);
	snprintf(label, sizeof(label), "synthetic, %s: kvm_ppc_instr by class", host);
	CHECK(label, t.instr_by_class[PVX_CLASS_MFMSR] == 4 &&
			     t.instr_by_class[PVX_CLASS_MTSPRG0] == 2 &&
			     t.instr_by_class[PVX_CLASS_COUNT] == 2);
	snprintf(label, sizeof(label), "synthetic, %s: losses: 5 overruns, 7 missed on a page",
		 host);
	CHECK(label, pvx_trace_lossy(&t) && pvx_trace_lost(&t) == 12 && t.cpu[1].overrun == 5 &&
			     t.cpu[1].missed == 7 && t.cpu[0].pages == 1 && t.cpu[1].pages == 1);
	snprintf(label, sizeof(label), "synthetic, %s: nothing unpaired", host);
	CHECK(label, !t.unpaired_exit && !t.unpaired_reenter && !t.instr_outside &&
			     !t.class_mismatch && !t.clock_backwards);
	pvx_trace_free(&t);
}

static void check_hist(void)
{
	uint64_t h[PVX_HIST_SLOTS] = { 0 };

	CHECK("hist: 0 and 1 share bucket 0", pvx_hist_slot(0) == 0 && pvx_hist_slot(1) == 0);
	CHECK("hist: 1000 ns is bucket 9", pvx_hist_slot(1000) == 9);
	CHECK("hist: the last bucket takes the rest",
	      pvx_hist_slot(UINT64_MAX) == PVX_HIST_SLOTS - 1);
	h[3] = 50;
	h[5] = 49;
	h[20] = 1;
	CHECK("hist: median", pvx_trace_hist_quantile(h, 100, 500) == 3);
	CHECK("hist: p99", pvx_trace_hist_quantile(h, 100, 990) == 5);
	CHECK("hist: max", pvx_trace_hist_quantile(h, 100, 1000) == 20);
	CHECK("hist: empty", pvx_trace_hist_quantile(h, 0, 500) == -1);
}

/* --- bad files --------------------------------------------------------------- */

/* Decoding @path fails with an error naming it and containing @want. */
static void expect_error(const char *label, const char *path, const char *want)
{
	struct pvx_trace t;
	char err[600] = "", why[800];
	int ret = pvx_trace_read(path, 0, &t, err, sizeof(err));

	snprintf(why, sizeof(why), "ret %d, error '%s', want one naming %s and saying '%s'", ret,
		 err, path, want);
	unit_check(ret == -1 && strstr(err, path) && strstr(err, want) && !strchr(err, '\n') &&
			   t.nrows == 0,
		   __FILE__, __LINE__, label, why);
	if (!ret)
		pvx_trace_free(&t);
}

static void cut_copy(const unsigned char *b, size_t n, size_t at, const char *path)
{
	spit(path, b, at < n ? at : n);
}

static void flip_copy(const unsigned char *b, size_t n, size_t at, unsigned char mask,
		      const char *path)
{
	unsigned char *c = malloc(n);

	memcpy(c, b, n);
	c[at] ^= mask;
	spit(path, c, n);
	free(c);
}

static void check_bad_pvtrace(void)
{
	size_t n, cuts[] = { 0, 7, 8, 15, 16, 20, 31, 32, 40, 200, 900, 5000, 70000, 200000 };
	unsigned char *b = slurp(FIX "mfmsr-be.pvtrace", &n);
	char path[128], label[160];
	size_t i;

	if (!CHECK("bad .pvtrace: the fixture loads", b && n > 70000))
		return;
	snprintf(path, sizeof(path), "%s/bad.pvtrace", tmpdir);
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		cut_copy(b, n, cuts[i], path);
		snprintf(label, sizeof(label), "bad .pvtrace: cut at %zu bytes", cuts[i]);
		expect_error(label, path,
			     cuts[i] < 8  ? "neither" :
			     cuts[i] < 16 ? "header" :
					    "truncated");
	}
	cut_copy(b, n, n - 16, path);
	expect_error("bad .pvtrace: cut inside the END section", path, "truncated");
	cut_copy(b, n, n - 32, path);
	expect_error("bad .pvtrace: END missing", path, "no END section");

	flip_copy(b, n, 0, 0x20, path);
	expect_error("bad .pvtrace: magic flipped", path, "neither");
	flip_copy(b, n, 8, 0x02, path);
	expect_error("bad .pvtrace: version flipped", path, "format version 3");
	flip_copy(b, n, 13, 0x01, path);
	expect_error("bad .pvtrace: header flags flipped", path, "flags");
	flip_copy(b, n, 16, 0x04, path);
	expect_error("bad .pvtrace: section type flipped", path, "INFO must be the first");
	flip_copy(b, n, 16 + 15, 0x80, path);
	expect_error("bad .pvtrace: section length flipped", path, "remain");
	flip_copy(b, n, 16 + 4, 0x01, path);
	expect_error("bad .pvtrace: a CRC flipped", path, "checksum");
	flip_copy(b, n, 16 + 16 + 1, 0x01, path);
	expect_error("bad .pvtrace: the INFO payload flipped", path, "checksum");
	flip_copy(b, n, n / 2, 0x10, path);
	expect_error("bad .pvtrace: a page byte flipped", path, "checksum");
	flip_copy(b, n, n - 1, 0x01, path);
	expect_error("bad .pvtrace: the END payload flipped", path, "checksum");
	free(b);
}

/* A synthetic file with one page holding @build's events. */
static int write_page(const char *path, const char *header_page, const char *exit_fmt,
		      void (*build)(struct syn_page *))
{
	struct pvt_writer *w = syn_create(path, false, 1, header_page, exit_fmt);
	struct syn_page p;
	char err[256];

	if (!w)
		return -1;
	syn_page_start(&p, false, 1000);
	build(&p);
	pvt_page(w, 0, p.b);
	return pvt_commit(w, err, sizeof(err));
}

static void one_exit(struct syn_page *p)
{
	syn_exit(p, 2000, 7, 0x700, false, MFMSR_R3);
	syn_reenter(p, 3000, 7);
	syn_page_end(p, 0);
}

static void commit_too_big(struct syn_page *p)
{
	one_exit(p);
	syn_put(p, p->b + 8, SYN_PAGE, 8);
}

static void padding_loop(struct syn_page *p)
{
	/* a padding event whose length brings the walk back onto itself */
	syn_put(p, p->b + 16, p->be ? 29u << 27 : 29u, 4);
	syn_put(p, p->b + 20, (uint64_t)(uint32_t)-4, 4);
	p->pos = 64;
	syn_page_end(p, 0);
}

static void long_event_too_short(struct syn_page *p)
{
	syn_put(p, p->b + 16, 0, 4); /* type_len 0: the length follows */
	syn_put(p, p->b + 20, 2, 4);
	p->pos = 64;
	syn_page_end(p, 0);
}

static void event_past_commit(struct syn_page *p)
{
	one_exit(p);
	syn_put(p, p->b + 8, p->pos - 8, 8); /* cuts the reentry in half */
}

static void record_too_short(struct syn_page *p)
{
	unsigned char *e = syn_event(p, 2000, 8); /* a kvm_exit of 8 bytes */

	syn_common(p, e, SYN_ID_EXIT, 7);
	syn_page_end(p, 0);
}

static void check_bad_synthetic(void)
{
	static const struct {
		const char *what, *header_page, *exit_fmt;
		void (*build)(struct syn_page *);
		const char *want;
	} cases[] = {
		{ "the good file", NULL, NULL, one_exit, NULL },
		{ "a header_page that is not one", "garbage\n", NULL, one_exit, "header_page" },
		{ "a header_page with 32-bit commits",
		  "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
		  "\tfield: local_t commit;\toffset:8;\tsize:4;\tsigned:1;\n"
		  "\tfield: char data;\toffset:12;\tsize:4084;\tsigned:0;\n",
		  NULL, one_exit, "header_page" },
		{ "a format without an ID", NULL,
		  "name: kvm_exit\nID: abc\n" SYN_COMMON
		  "\tfield:unsigned int exit_nr;\toffset:8;\tsize:4;\tsigned:0;\n",
		  one_exit, "no valid ID" },
		{ "a format without last_inst", NULL,
		  "name: kvm_exit\nID: 391\n" SYN_COMMON
		  "\tfield:unsigned int exit_nr;\toffset:8;\tsize:4;\tsigned:0;\n"
		  "\tfield:unsigned long msr;\toffset:24;\tsize:8;\tsigned:0;\n",
		  one_exit, "no field 'last_inst'" },
		{ "a format with a 2-byte exit_nr", NULL,
		  "name: kvm_exit\nID: 391\n" SYN_COMMON
		  "\tfield:unsigned short exit_nr;\toffset:8;\tsize:2;\tsigned:0;\n"
		  "\tfield:unsigned long msr;\toffset:24;\tsize:8;\tsigned:0;\n"
		  "\tfield:unsigned long last_inst;\toffset:48;\tsize:8;\tsigned:0;\n",
		  one_exit, "'exit_nr' offset 8 and size 2" },
		{ "a format whose ID another event has", NULL,
		  "name: kvm_exit\nID: 390\n" SYN_COMMON
		  "\tfield:unsigned int exit_nr;\toffset:8;\tsize:4;\tsigned:0;\n",
		  one_exit, "share the ID 390" },
		{ "a format of garbage", NULL, "\x01\x02 not a format at all", one_exit, "kvm_pr" },
		{ "a commit beyond the page", NULL, NULL, commit_too_big, "commit" },
		{ "a padding event that loops", NULL, NULL, padding_loop, "corrupt event header" },
		{ "a long event shorter than its header", NULL, NULL, long_event_too_short,
		  "corrupt event header" },
		{ "an event past the commit", NULL, NULL, event_past_commit,
		  "corrupt event header" },
		{ "a record shorter than its format", NULL, NULL, record_too_short, "too short" },
	};
	char path[128], label[200];
	size_t i;

	snprintf(path, sizeof(path), "%s/case.pvtrace", tmpdir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(label, sizeof(label), "synthetic bad file: %s: written", cases[i].what);
		if (!CHECK(label, !write_page(path, cases[i].header_page, cases[i].exit_fmt,
					      cases[i].build)))
			continue;
		snprintf(label, sizeof(label), "synthetic bad file: %s", cases[i].what);
		if (cases[i].want) {
			expect_error(label, path, cases[i].want);
		} else {
			struct pvx_trace t;
			char err[600] = "";

			unit_check(!pvx_trace_read(path, 0, &t, err, sizeof(err)) && t.n_exit == 1,
				   __FILE__, __LINE__, label, err);
			pvx_trace_free(&t);
		}
	}
}

/* @v as @n bytes in @be order. */
static void put_n(unsigned char *at, uint64_t v, int n, bool be)
{
	for (int i = 0; i < n; i++)
		at[be ? i : n - 1 - i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

/*
 * The commit word of a ring-buffer page carries the kernel's
 * RB_MISSED_EVENTS (bit 31) and RB_MISSED_STORED (bit 30) above the data
 * length (kernel/trace/ring_buffer.c, ring_buffer_read_page()), the
 * stored count following the data; kbuffer takes the length from the
 * low 27 bits.  pvx_page_check(), which both file readers use, must
 * read the length the same way, in either byte order and word size
 * (issue 15 asked whether it masks the flags off).
 */
static void check_commit_flags(void)
{
	static const struct {
		const char *what;
		uint64_t flags;
		bool missed, stored;
	} cases[] = {
		{ "no flags", 0, false, false },
		{ "RB_MISSED_EVENTS", 1ull << 31, true, false },
		{ "RB_MISSED_EVENTS and RB_MISSED_STORED", 3ull << 30, true, true },
		/* kbuffer reads a stored count only when events were missed */
		{ "RB_MISSED_STORED alone", 1ull << 30, false, false },
	};
	static unsigned char page[SYN_PAGE + PVX_PAGE_SLACK];
	char label[160], why[160];

	for (int order = 0; order < 2; order++) {
		for (int ls = 4; ls <= 8; ls += 4) {
			for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
				bool be = order;
				unsigned char *data = page + 8 + ls;
				struct pvx_page pg;
				int ret;

				memset(page, 0, sizeof(page));
				/* one event of one word's payload: 8 bytes of data */
				put_n(data, be ? 1u << 27 : 1u, 4, be);
				put_n(page + 8, 8 | cases[i].flags, ls, be);
				put_n(data + 8, 7, ls, be);
				ret = pvx_page_check(page, SYN_PAGE, be, ls, &pg, why, sizeof(why));
				snprintf(label, sizeof(label),
					 "page check: commit word with %s, %s-endian, %d-byte long",
					 cases[i].what, be ? "big" : "little", ls);
				unit_check(!ret && pg.commit == 8 && pg.missed == cases[i].missed &&
						   pg.missed_stored == cases[i].stored &&
						   pg.missed_count == (cases[i].stored ? 7u : 0u),
					   __FILE__, __LINE__, label, ret ? why : "flags misread");
			}
			/* a stored count must fit in the page too */
			memset(page, 0, sizeof(page));
			put_n(page + 8, (SYN_PAGE - 8 - ls - ls + 1) | 3ull << 30, ls, order);
			snprintf(
				label, sizeof(label),
				"page check: a stored count past the page, %s-endian, %d-byte long",
				order ? "big" : "little", ls);
			unit_check(pvx_page_check(page, SYN_PAGE, order, ls,
						  &(struct pvx_page){ 0 }, why, sizeof(why)) == -1,
				   __FILE__, __LINE__, label, "accepted");
		}
	}
}

static void check_bad_dat(void)
{
	size_t n, i;
	unsigned char *b = slurp(FIX "mfmsr-le.dat", &n);
	char path[128], label[160];

	if (!CHECK("bad trace.dat: the fixture loads", b && n > 100000))
		return;
	snprintf(path, sizeof(path), "%s/bad.dat", tmpdir);
	for (i = 0; i < 16; i++) {
		size_t at = i < 4 ? (size_t[]){ 9, 11, 17, 40 }[i] : n / 12 * (i - 3) - 1;

		cut_copy(b, n, at, path);
		snprintf(label, sizeof(label), "bad trace.dat: cut at %zu of %zu bytes", at, n);
		expect_error(label, path, at < 10 ? "neither" : "trace.dat");
	}
	flip_copy(b, n, 10, 0x04, path);
	expect_error("bad trace.dat: version flipped", path, "file version '3'");
	flip_copy(b, n, 12, 0x02, path);
	expect_error("bad trace.dat: byte order flipped", path, "byte order 2");
	flip_copy(b, n, 13, 0x04, path);
	expect_error("bad trace.dat: long size flipped", path, "long size 12");
	flip_copy(b, n, 16, 0x80, path);
	expect_error("bad trace.dat: page size flipped", path, "page size");
	flip_copy(b, n, 15, 0x01, path);
	expect_error("bad trace.dat: page size off by 256", path, "page size 65792");
	/* Option strings libtracecmd parses while opening (both crashed it):
	 * the trace clock option "[local] ..." at 450921. */
	if (CHECK("bad trace.dat: the trace clock option is where expected",
		  n > 450928 && b[450921] == 4 && b[450928] == 'l')) {
		flip_copy(b, n, 450928, 'l', path);
		expect_error("bad trace.dat: a trace clock of \"[\"", path,
			     "the trace clock option at offset 450921 names no clock in brackets");
		flip_copy(b, n, 450921, 4 ^ 6, path);
		expect_error("bad trace.dat: the trace clock taken for an event hook", path,
			     "the event hook option at offset 450921 is not");
	}
	free(b);
	/* A compressed page is checked as libtracecmd loads it: its first
	 * event a padding of length -4, on which kbuffer's walk stayed for
	 * ever (fuzz_tracedat's regression input).  A hang kills the test. */
	alarm(60);
	expect_error("bad trace.dat: a compressed page whose padding loops",
		     "tests/fuzz/corpus/fuzz_tracedat/mfmsr-le-v7-padding-loop",
		     "a ring-buffer page: a corrupt event header at page offset 16");
	alarm(0);
	/* A version-7 file that names no compression but whose sections say
	 * they are compressed: libtracecmd read the packed bytes as options
	 * and asked malloc for 488 GiB (fuzz_tracedat's regression input). */
	b = slurp("tests/fuzz/corpus/fuzz_tracedat/mfmsr-le-v7", &n);
	if (CHECK("bad trace.dat: the v7 seed names zstd at offset 18",
		  b && n > 22 && !memcmp(b + 18, "zstd", 5))) {
		memcpy(b + 18, "none", 5);
		spit(path, b, n);
		expect_error(
			"bad trace.dat: compressed sections, no compression named", path,
			"the section at offset 37 is compressed, but the file names no compression");
	}
	free(b);
	expect_error("bad trace.dat: the fuzzed file with no compression named",
		     "tests/fuzz/corpus/fuzz_tracedat/mfmsr-be-v7-no-codec",
		     "is compressed, but the file names no compression");
}

/* --- corrupt format texts ----------------------------------------------------- */

/* kvm_exit's header and fields as the lab kernel writes them, without
 * its print format. */
#define EXIT_FIELDS                                                      \
	"name: kvm_exit\nID: 391\n" SYN_COMMON                           \
	"\tfield:unsigned int exit_nr;\toffset:8;\tsize:4;\tsigned:0;\n" \
	"\tfield:unsigned long msr;\toffset:24;\tsize:8;\tsigned:0;\n"   \
	"\tfield:unsigned long last_inst;\toffset:48;\tsize:8;\tsigned:0;\n\n"

/* Whether this libtraceevent crashes parsing @text (1.7 does on some
 * corrupt texts; a later one may not), found in a child. */
static bool crashes_libtraceevent(const char *text)
{
	pid_t pid = fork();
	int st = 0;

	if (!pid) {
		struct tep_event *ev;

		signal(SIGSEGV, SIG_DFL);
		signal(SIGFPE, SIG_DFL);
		signal(SIGBUS, SIG_DFL);
		tep_parse_format(tep_alloc(), &ev, text, strlen(text), "kvm_pr");
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && !(WIFEXITED(st) && !WEXITSTATUS(st));
}

/* pvx_format_check() refuses @text (saying @want) or, with @want NULL,
 * passes it, and libtraceevent then parses it without crashing. */
static void expect_format(const char *label, const char *text, size_t len, const char *want)
{
	struct tep_handle *tep = tep_alloc();
	char why[600] = "", msg[800];
	int ret = pvx_format_check(tep, text, len, "kvm_pr", why, sizeof(why));

	snprintf(msg, sizeof(msg), "ret %d, '%s', want %s '%s'", ret, why,
		 want ? "a refusal saying" : "a pass", want ? want : "");
	if (want)
		unit_check(ret == -1 && strstr(why, want) && strstr(why, "corrupt format text") &&
				   !strchr(why, '\n'),
			   __FILE__, __LINE__, label, msg);
	else
		unit_check(!ret && !tep_parse_event(tep, text, len, "kvm_pr"), __FILE__, __LINE__,
			   label, msg);
	tep_free(tep);
}

/* kvm_exit with the print format "%d", @unit @reps times, 1, then
 * @close @reps times; @len its length. */
static char *nested_format(size_t reps, const char *unit, const char *close, size_t *len)
{
	static const char head[] = EXIT_FIELDS "print fmt: \"%d\", ";
	char *t = malloc(sizeof(head) + reps * (strlen(unit) + strlen(close)) + 2), *p = t;
	size_t i;

	p += sprintf(p, "%s", head);
	for (i = 0; i < reps; i++)
		p += sprintf(p, "%s", unit);
	*p++ = '1';
	for (i = 0; i < reps; i++)
		p += sprintf(p, "%s", close);
	*len = (size_t)(p - t);
	return t;
}

/* As many @unit as fit in @n bytes of text. */
static size_t reps_for(size_t n, const char *unit, const char *close)
{
	return (n - strlen(EXIT_FIELDS "print fmt: \"%d\", ") - 1) / (strlen(unit) + strlen(close));
}

static void check_format_texts(void)
{
	static const struct {
		const char *what, *print, *want;
	} cases[] = {
		{ "the kernel's own", "\"exit=%x\", REC->exit_nr", NULL },
		{ "a newline inside its string, as the kernel writes kvm_ppc_instr's",
		  "\"exit %x\n\", REC->exit_nr", NULL },
		{ "a __print_symbolic of a field",
		  "\"%s\", __print_symbolic(REC->exit_nr, {0x700, \"PROGRAM\"})", NULL },
		{ "casts, calls and arithmetic",
		  "\"%lx %d\", (unsigned long)(REC->msr >> 1) / 1000L, __get_str(x)", NULL },
		{ "a control character", "\"exit=%x\", REC->e\x18it_nr", "byte 0x18 at line 13" },
		{ "a byte above 0x7e", "\"exit=%x\xff\", REC->exit_nr", "byte 0xff at line 13" },
		{ "__print_symbolic of a field it does not have (the reported crash)",
		  "\"%s\", __print_symbolic(REC->eize, {0x700, \"PROGRAM\"})",
		  "?REC->eize at line 13 names no field" },
		{ "__print_flags of a field it does not have",
		  "\"%s\", __print_flags(REC->flags, \"|\", {1, \"A\"})",
		  "?REC->flags at line 13 names no field" },
		{ "a field reference after __print_symbolic of a constant",
		  "\"%s %d\", __print_symbolic(1, {1, \"a\"}), REC->nosuch",
		  "?REC->nosuch at line 13 names no field" },
		{ "a string that does not end", "\"exit=%x, REC->exit_nr", "does not end" },
		{ "a bracket that closes nothing", "\"%d\", REC->exit_nr)",
		  "')' at line 13 closes" },
		{ "a bracket left open", "\"%d\", (REC->exit_nr", "'(' left open" },
		{ "a semicolon between arguments", "\"%d\", REC->exit_nr; REC->msr",
		  "';' at line 13 is no operator" },
		{ "an assignment after a subscript", "\"%d\", REC->msr[0] = 1",
		  "'=' at line 13 is no operator" },
		{ "two operands in a row after a conditional", "\"%d\", 1 ? 2 : 3 REC->msr",
		  "?libtraceevent's parser dies" },
		{ "a division by a constant 0", "\"%d\", REC->msr + 1 / 0",
		  "?libtraceevent's parser dies" },
	};
	char text[1024], label[200];
	size_t i, len;
	char *t;

	/* A want of "?..." holds where libtraceevent crashes on the text
	 * (1.7: a missing field, an error after a conditional, a division
	 * by zero on x86); elsewhere the text is to pass. */
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *want = cases[i].want;

		snprintf(text, sizeof(text), EXIT_FIELDS "print fmt: %s\n", cases[i].print);
		snprintf(label, sizeof(label), "format text: %s", cases[i].what);
		if (want && *want == '?')
			want = crashes_libtraceevent(text) ? want + 1 : NULL;
		expect_format(label, text, strlen(text), want);
	}
	snprintf(
		text, sizeof(text),
		"name: sys_enter_open\nID: 600\n" SYN_COMMON
		"\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
		"\tfield:const char __attribute__((user)) * filename;\toffset:16;\tsize:8;\tsigned:0;\n"
		"\n"
		"print fmt: \"filename: 0x%%08lx\", ((unsigned long)(REC->filename))\n");
	/* (checked only: parsing __attribute__ leaks a few bytes inside
	 * libtraceevent, which LSan's fast unwinder cannot pin on it) */
	CHECK("format text: a user pointer field, as syscall events have",
	      !pvx_format_check(NULL, text, strlen(text), "syscalls", label, sizeof(label)));

	/* The 32 KiB limit keeps the parser's recursion off the end of the
	 * stack, however the text nests. */
	t = nested_format(reps_for(32 << 10, "1+", ""), "1+", "", &len);
	expect_format("format text: 32 KiB of additions", t, len, NULL);
	free(t);
	t = nested_format(reps_for(32 << 10, "1?", ":1"), "1?", ":1", &len);
	expect_format("format text: 32 KiB of conditionals", t, len, NULL);
	free(t);
	t = nested_format(reps_for(33 << 10, "1+", ""), "1+", "", &len);
	expect_format("format text: over 32 KiB", t, len, "bytes of text");
	free(t);
	t = nested_format(64, "(", ")", &len);
	expect_format("format text: brackets 64 deep", t, len, NULL);
	free(t);
	t = nested_format(65, "(", ")", &len);
	expect_format("format text: brackets 65 deep", t, len, "nested over 64 deep");
	free(t);
}

/* Corrupt format texts inside files: one error line, no crash. */
static void check_bad_format_files(void)
{
	size_t n;
	static const char eize[] = EXIT_FIELDS
		"print fmt: \"%s\", __print_symbolic(REC->eize, {0x700, \"PROGRAM\"})\n";
	unsigned char *b = slurp(FIX "mfmsr-le.dat", &n);
	char path[128];

	snprintf(path, sizeof(path), "%s/case.pvtrace", tmpdir);
	if (CHECK("format in .pvtrace: written", !write_page(path, NULL, eize, one_exit))) {
		if (crashes_libtraceevent(eize)) {
			expect_error("format in .pvtrace: a field it does not have", path,
				     "the format of kvm_pr:kvm_exit: REC->eize at line 13 names no "
				     "field");
		} else {
			struct pvx_trace t;
			char err[600] = "";

			unit_check(!pvx_trace_read(path, 0, &t, err, sizeof(err)) && t.n_exit == 1,
				   __FILE__, __LINE__,
				   "format in .pvtrace: a field it does not have (harmless here)",
				   err);
			pvx_trace_free(&t);
		}
	}
	if (CHECK("format in .pvtrace: written",
		  !write_page(path, NULL, EXIT_FIELDS "print fmt: \"\x18\"\n", one_exit)))
		expect_error("format in .pvtrace: a control character", path,
			     "the format of kvm_pr:kvm_exit: byte 0x18 at line 13, column 13");
	if (CHECK("header_page in .pvtrace: written",
		  !write_page(path, "\tfield: u64 timestamp;\toffset:0;\x01", NULL, one_exit)))
		expect_error("header_page in .pvtrace: a control character", path,
			     "the header_page: byte 0x01 at line 1");

	if (!CHECK("format in trace.dat: the fixture loads", b && n > 2668 && b[2668] == 0x58)) {
		free(b);
		return;
	}
	/* A bit of the compressed event formats that still decompresses:
	 * kvm_exit's "REC->exit_nr" becomes "REC->eize:8;" (the crash first
	 * reported). */
	snprintf(path, sizeof(path), "%s/bad.dat", tmpdir);
	flip_copy(b, n, 2668, 0x40, path);
	expect_error("format in trace.dat: kvm_exit's print format mangled", path,
		     "the format of kvm_pr:kvm_exit: ';' at line 16 is no operator");
	free(b);
}

/* --- the rehearsal's word on a format ------------------------------------- */

static const char *rehearsed_text;

static void on_alarm(int sig)
{
	(void)sig;
}

/* A rehearsal that checks the text as the decoder will, then ends as
 * libtraceevent's parser would on a text that kills it, or, with @arg,
 * as one that never finishes. */
static void rehearse_and_die(void *arg)
{
	char why[200];

	pvx_format_check(NULL, rehearsed_text, strlen(rehearsed_text), "kvm_pr", why, sizeof(why));
	while (arg)
		pause();
	raise(SIGSEGV);
}

/* pvx_format_check() of the rehearsed text, in the rehearsal's company:
 * refused, saying @want. */
static void expect_rehearsal_verdict(const char *label, void *how, const char *want)
{
	char why[400] = "", msg[600];
	int ret;

	if (!CHECK("rehearsal: starts", !pvx_formats_rehearse(rehearse_and_die, how)))
		return;
	ret = pvx_format_check(NULL, rehearsed_text, strlen(rehearsed_text), "kvm_pr", why,
			       sizeof(why));
	pvx_formats_rehearsed();
	snprintf(msg, sizeof(msg), "ret %d, '%s', want a refusal saying '%s'", ret, why, want);
	unit_check(ret == -1 && strstr(why, want), __FILE__, __LINE__, label, msg);
}

/*
 * A text the rehearsing child died parsing is refused on the child's
 * word, not parsed again in a child of its own (the rehearsal's point);
 * the text here parses, so only that word can refuse it.  And the
 * child's alarm ends a parse that never finishes whatever SIGALRM
 * handler the decoder's process has (libFuzzer's, the launcher's): it
 * did nothing then, and the decoder waited for ever.  (That check takes
 * the child's whole time limit, 10 s.)
 */
static void check_rehearsal_death(void)
{
	static const char text[] = EXIT_FIELDS "print fmt: \"exit=%x\", REC->exit_nr\n";
	struct sigaction sa = { .sa_handler = on_alarm }, old;

	rehearsed_text = text;
	expect_rehearsal_verdict("rehearsal: a text its child died of is refused on its word", NULL,
				 "libtraceevent's parser dies of signal 11");
	sigaction(SIGALRM, &sa, &old);
	expect_rehearsal_verdict(
		"rehearsal: a parse that never finishes ends, with a SIGALRM handler in the process",
		"hang", "does not finish within");
	sigaction(SIGALRM, &old, NULL);
}

/* --- the fixed cost of a file ---------------------------------------------- */

static unsigned int forks; /* by this process, since main() began */

static void count_fork(void)
{
	forks++;
}

/* Every format of a file is parsed first in one child, the rehearsal
 * (trace/trace_decode_format.c), never in a child of its own: a trace.dat
 * holds twenty formats, and a fork each made up most of a small file's
 * fixed cost.  (The time is make bench-self's to measure.) */
static void check_one_child(const char *name)
{
	char path[128], err[600] = "", label[160], msg[800];
	unsigned int before = forks;
	struct pvx_trace t;
	int ret;

	snprintf(path, sizeof(path), FIX "%s", name);
	ret = pvx_trace_read(path, 0, &t, err, sizeof(err));
	snprintf(label, sizeof(label), "%s: one child process for all its formats", name);
	snprintf(msg, sizeof(msg), "ret %d, %u children (want 1): %s", ret, forks - before, err);
	unit_check(!ret && forks - before == 1, __FILE__, __LINE__, label, msg);
	if (!ret)
		pvx_trace_free(&t);
}

static void cleanup(void)
{
	static const char *const files[] = { "synth-le.pvtrace", "synth-be.pvtrace", "bad.pvtrace",
					     "case.pvtrace", "bad.dat" };
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpdir, files[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

int main(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/pvexit-trace-XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmpdir)) {
		printf("FAIL test_trace_decode: mkdtemp: %s\n", strerror(errno));
		return 1;
	}
	pthread_atfork(NULL, count_fork, NULL);
	check_hist();
	check_one_child("mfmsr-le.dat");
	check_one_child("mfmsr-be.dat");
	check_one_child("mfmsr-le.pvtrace");
	check_one_child("mfmsr-be.pvtrace");
	check_fixture("mfmsr-le.pvtrace", "le", PVX_TRACE_PVTRACE);
	check_fixture("mfmsr-be.pvtrace", "be", PVX_TRACE_PVTRACE);
	check_fixture("mfmsr-le.dat", "le", PVX_TRACE_DAT);
	check_fixture("mfmsr-be.dat", "be", PVX_TRACE_DAT);
	check_synthetic(false);
	check_synthetic(true);
	check_bad_pvtrace();
	check_bad_synthetic();
	check_commit_flags();
	check_bad_dat();
	check_format_texts();
	check_rehearsal_death();
	check_bad_format_files();
	cleanup();
	return unit_done();
}
