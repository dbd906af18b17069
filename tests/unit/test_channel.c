// SPDX-License-Identifier: GPL-2.0-only
/*
 * channel_decode: records are serialised here byte by byte in the guest's
 * order, never copied from a host struct, so the checks hold on a host
 * of either byte order and catch a decoder that reads host-order words.
 */
#include "channel_decode.h"
#include "names.h"
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

/* The guest's layout, spelled out independently of channel_decode.c. */
#define REC_TYPE 0
#define REC_SIZE 4
#define REC_SEQ 8
#define REC_W 16
#define REC_TEXT 80
#define REC_BYTES 176

_Static_assert(sizeof(struct pvx_record) == REC_BYTES, "record layout changed");

/* On the heap, so ASan's redzones catch a read past the end of "guest
 * RAM". */
#define RAM_SIZE 1024

static char err[256];

static void put32(unsigned char *p, uint32_t v, bool be)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (be ? 8 * (3 - i) : 8 * i));
}

static void put64(unsigned char *p, uint64_t v, bool be)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (be ? 8 * (7 - i) : 8 * i));
}

/* Write @r at @ram + @off as a guest of byte order @be would. */
static void serialise(unsigned char *ram, uint64_t off, const struct pvx_record *r, bool be)
{
	unsigned char *b = ram + off;

	put32(b + REC_TYPE, r->type, be);
	put32(b + REC_SIZE, r->size, be);
	put64(b + REC_SEQ, r->seq, be);
	for (int i = 0; i < PVX_REC_WORDS; i++)
		put64(b + REC_W + 8 * i, r->w[i], be);
	memcpy(b + REC_TEXT, r->text, PVX_REC_TEXT_MAX);
}

static bool has_text(uint32_t type)
{
	return type == PVX_REC_TEXT || type == PVX_REC_FACT || type == PVX_REC_CHECK;
}

/*
 * A valid record of @type whose every byte differs from its neighbours,
 * so a swapped, shifted or truncated field cannot decode to the value
 * written.  w[1] is the one word with a range to respect.
 */
static struct pvx_record sample(uint32_t type)
{
	struct pvx_record r;

	memset(&r, 0, sizeof(r));
	r.type = type;
	r.size = REC_BYTES;
	r.seq = 0x1122334455667700ULL | type;
	for (int i = 0; i < PVX_REC_WORDS; i++)
		r.w[i] = 0x0102030405060708ULL + 0x1010101010101010ULL * (uint64_t)i + type;
	if (type == PVX_REC_PHASE_BEGIN || type == PVX_REC_PHASE_END || type == PVX_REC_RESULT)
		r.w[1] = PVX_VAR_MAX;
	if (type == PVX_REC_CHECK)
		r.w[1] = PVX_CHECK_FAIL;
	/* Junk with no NUL: a decoder that keeps it for a type without text
	 * hands the caller an unterminated string. */
	memset(r.text, 'x', sizeof(r.text));
	if (has_text(type)) {
		snprintf(r.text, sizeof(r.text), "text of a %u record", type);
		/* Bytes after the NUL are the guest's business, not part of
		 * the string. */
		r.text[sizeof(r.text) - 1] = 'y';
	}
	return r;
}

static const char *order_name(bool be)
{
	return be ? "big-endian" : "little-endian";
}

/* Every field of @got equals @want's, text compared as a string. */
static void check_fields(const char *what, const struct pvx_record *got,
			 const struct pvx_record *want)
{
	char name[200], why[120];

	snprintf(name, sizeof(name), "channel: %s: type", what);
	CHECK_EQ_U64(name, got->type, want->type);
	snprintf(name, sizeof(name), "channel: %s: size", what);
	CHECK_EQ_U64(name, got->size, want->size);
	snprintf(name, sizeof(name), "channel: %s: seq", what);
	CHECK_EQ_U64(name, got->seq, want->seq);
	snprintf(name, sizeof(name), "channel: %s: w[0..7]", what);
	snprintf(why, sizeof(why), "all %d words match", PVX_REC_WORDS);
	for (int i = 0; i < PVX_REC_WORDS; i++) {
		if (got->w[i] != want->w[i]) {
			snprintf(why, sizeof(why), "w[%d] = 0x%llx, want 0x%llx", i,
				 (unsigned long long)got->w[i], (unsigned long long)want->w[i]);
			break;
		}
	}
	unit_check(memcmp(got->w, want->w, sizeof(got->w)) == 0, __FILE__, __LINE__, name, why);
	if (has_text(want->type)) {
		snprintf(name, sizeof(name), "channel: %s: text", what);
		CHECK(name, strcmp(got->text, want->text) == 0);
	} else {
		snprintf(name, sizeof(name), "channel: %s: text is cleared", what);
		CHECK(name, got->text[0] == '\0');
	}
}

static void test_each_type(unsigned char *ram)
{
	char what[120], name[200];

	for (uint32_t t = PVX_REC_HELLO; t <= PVX_REC_MAX; t++) {
		for (int be = 1; be >= 0; be--) {
			struct pvx_record want = sample(t), got;
			int rc;

			memset(ram, 0, RAM_SIZE);
			/* Not a multiple of 8, so the decoder must not assume
			 * aligned words (UBSan would object). */
			serialise(ram, 36, &want, be);
			memset(&got, 0xa5, sizeof(got));
			rc = pvx_record_fetch(ram, RAM_SIZE, 36, be, &got, err, sizeof(err));
			snprintf(what, sizeof(what), "a %s %s record", order_name(be),
				 pvx_record_type_name(t));
			snprintf(name, sizeof(name), "channel: decodes %s", what);
			if (!unit_check(rc == 0, __FILE__, __LINE__, name, err))
				continue;
			check_fields(what, &got, &want);
		}
	}
}

/* A guest of the other byte order: the type word reads as a huge number. */
static void test_wrong_order(unsigned char *ram)
{
	char name[200];

	for (uint32_t t = PVX_REC_HELLO; t <= PVX_REC_MAX; t++) {
		for (int be = 1; be >= 0; be--) {
			struct pvx_record r = sample(t), got;
			int rc;

			memset(ram, 0, RAM_SIZE);
			serialise(ram, 0, &r, be);
			err[0] = '\0';
			rc = pvx_record_fetch(ram, RAM_SIZE, 0, !be, &got, err, sizeof(err));
			snprintf(name, sizeof(name),
				 "channel: a %s %s record read as %s is rejected", order_name(be),
				 pvx_record_type_name(t), order_name(!be));
			CHECK(name, rc == -1);
			snprintf(name, sizeof(name),
				 "channel: a %s %s record read as %s: unknown type", order_name(be),
				 pvx_record_type_name(t), order_name(!be));
			CHECK_STR_CONTAINS(name, err, "unknown type");
			snprintf(name, sizeof(name),
				 "channel: a %s %s record read as %s: suggests %s", order_name(be),
				 pvx_record_type_name(t), order_name(!be), order_name(be));
			CHECK_STR_CONTAINS(name, err, order_name(be));
		}
	}
}

/*
 * Decode a record that must be rejected: returns -1, says @fragment, and
 * says it in one line, since the launcher prints it after "error: ".
 */
static void expect_error(const char *what, const void *ram, uint64_t ram_size, uint64_t addr,
			 bool be, const char *fragment)
{
	struct pvx_record got;
	char name[200];
	int rc;

	memset(err, 0, sizeof(err));
	rc = pvx_record_fetch(ram, ram_size, addr, be, &got, err, sizeof(err));
	snprintf(name, sizeof(name), "channel: %s is rejected", what);
	CHECK(name, rc == -1);
	snprintf(name, sizeof(name), "channel: %s: message says '%s'", what, fragment);
	CHECK_STR_CONTAINS(name, err, fragment);
	snprintf(name, sizeof(name), "channel: %s: message is one line", what);
	CHECK(name, err[0] != '\0' && !strchr(err, '\n'));
}

static void test_bounds(unsigned char *ram)
{
	struct pvx_record r = sample(PVX_REC_RESULT), got;
	const uint64_t last = RAM_SIZE - REC_BYTES;
	int rc;

	memset(ram, 0, RAM_SIZE);
	serialise(ram, last, &r, true);
	rc = pvx_record_fetch(ram, RAM_SIZE, last, true, &got, err, sizeof(err));
	if (unit_check(rc == 0, __FILE__, __LINE__,
		       "channel: a record ending at the last byte of RAM decodes", err))
		CHECK_EQ_U64("channel: a record ending at the last byte of RAM: last word",
			     got.w[7], r.w[7]);

	/* The same bytes, one byte less of RAM: the record now overhangs. */
	expect_error("a record one byte past the end of RAM", ram, RAM_SIZE - 1, last, true,
		     "outside");
	expect_error("a record starting one byte further on", ram, RAM_SIZE, last + 1, true,
		     "outside");
	expect_error("a record at the end of RAM", ram, RAM_SIZE, RAM_SIZE, true, "outside");

	/* addr + 176 wraps to a small number: a check written as
	 * addr + REC_BYTES > ram_size would let these through (and ASan
	 * would see the wild read). */
	expect_error("a record at UINT64_MAX - 175 (addr + size wraps to 0)", ram, RAM_SIZE,
		     UINT64_MAX - (REC_BYTES - 1), true, "outside");
	expect_error("a record at UINT64_MAX - 100 (addr + size wraps into RAM)", ram, RAM_SIZE,
		     UINT64_MAX - 100, true, "outside");
	expect_error("a record at UINT64_MAX", ram, RAM_SIZE, UINT64_MAX, true, "outside");

	/* ram_size - 176 must not wrap either. */
	serialise(ram, 0, &r, true);
	expect_error("a record in 175 bytes of RAM", ram, REC_BYTES - 1, 0, true, "outside");
	expect_error("a record in 0 bytes of RAM", ram, 0, 0, true, "outside");
	rc = pvx_record_fetch(ram, REC_BYTES, 0, true, &got, err, sizeof(err));
	unit_check(rc == 0, __FILE__, __LINE__,
		   "channel: a record in exactly 176 bytes of RAM decodes", err);
}

/* @r, written big-endian at 0, must be rejected with @fragment. */
static void expect_bad(unsigned char *ram, const char *what, const struct pvx_record *r,
		       const char *fragment)
{
	memset(ram, 0, RAM_SIZE);
	serialise(ram, 0, r, true);
	expect_error(what, ram, RAM_SIZE, 0, true, fragment);
}

static void test_invalid(unsigned char *ram)
{
	struct pvx_record r;
	char what[120], frag[60];

	r = sample(PVX_REC_HELLO);
	r.type = 0;
	expect_bad(ram, "type 0", &r, "unknown type 0");
	r.type = PVX_REC_MAX + 1;
	snprintf(what, sizeof(what), "type PVX_REC_MAX + 1 (%u)", PVX_REC_MAX + 1);
	snprintf(frag, sizeof(frag), "unknown type %u", PVX_REC_MAX + 1);
	expect_bad(ram, what, &r, frag);
	r.type = UINT32_MAX;
	expect_bad(ram, "type 0xffffffff", &r, "unknown type 4294967295");

	r = sample(PVX_REC_RESULT);
	r.size = REC_BYTES - 1;
	expect_bad(ram, "size 175", &r, "175 bytes");
	r.size = REC_BYTES + 1;
	expect_bad(ram, "size 177", &r, "177 bytes");
	r.size = 0;
	expect_bad(ram, "size 0", &r, " 0 bytes");

	for (uint32_t t = PVX_REC_HELLO; t <= PVX_REC_MAX; t++) {
		if (!has_text(t))
			continue;
		r = sample(t);
		memset(r.text, 'z', sizeof(r.text));
		snprintf(what, sizeof(what), "a %s record without a NUL in its text",
			 pvx_record_type_name(t));
		expect_bad(ram, what, &r, "no NUL");
	}

	for (uint32_t t = PVX_REC_PHASE_BEGIN; t <= PVX_REC_RESULT; t++) {
		r = sample(t);
		r.w[1] = PVX_VAR_MAX + 1;
		snprintf(what, sizeof(what), "a %s record with variant PVX_VAR_MAX + 1",
			 pvx_record_type_name(t));
		snprintf(frag, sizeof(frag), "variant %u", PVX_VAR_MAX + 1);
		expect_bad(ram, what, &r, frag);
		/* Valid in its low 32 bits: a truncating comparison passes it. */
		r.w[1] = 0x100000000ULL + PVX_VAR_RAW;
		snprintf(what, sizeof(what), "a %s record with variant 2^32",
			 pvx_record_type_name(t));
		expect_bad(ram, what, &r, "variant 4294967296");
	}

	r = sample(PVX_REC_CHECK);
	r.w[1] = 3;
	expect_bad(ram, "a check record with outcome 3", &r, "outcome 3");
	r.w[1] = 0;
	expect_bad(ram, "a check record with outcome 0", &r, "outcome 0");
}

/* Records outside the ranged types may carry anything in w[1]. */
static void test_w1_free(unsigned char *ram)
{
	struct pvx_record r = sample(PVX_REC_CRASH), got;
	int rc;

	r.w[1] = UINT64_MAX;
	memset(ram, 0, RAM_SIZE);
	serialise(ram, 0, &r, false);
	rc = pvx_record_fetch(ram, RAM_SIZE, 0, false, &got, err, sizeof(err));
	unit_check(rc == 0, __FILE__, __LINE__,
		   "channel: a crash record with srr0 = UINT64_MAX decodes (w[1] is not a variant)",
		   err);
}

/* The longest text that fits: its NUL in the last byte. */
static void test_longest_text(unsigned char *ram)
{
	struct pvx_record r = sample(PVX_REC_FACT), got;
	int rc;

	memset(r.text, 'k', sizeof(r.text) - 1);
	r.text[sizeof(r.text) - 1] = '\0';
	memset(ram, 0, RAM_SIZE);
	serialise(ram, 0, &r, true);
	rc = pvx_record_fetch(ram, RAM_SIZE, 0, true, &got, err, sizeof(err));
	unit_check(rc == 0, __FILE__, __LINE__,
		   "channel: a fact record with a 95-character key decodes", err);
	CHECK_EQ_U64("channel: a fact record with a 95-character key: key length",
		     rc == 0 ? strlen(got.text) : 0, PVX_REC_TEXT_MAX - 1);
}

/* The message is cut to the caller's buffer, still terminated. */
static void test_short_err(unsigned char *ram)
{
	struct pvx_record got;
	char *small = malloc(16);
	int rc;

	if (!small) {
		unit_skip("channel: a short error buffer", "out of memory");
		return;
	}
	memset(ram, 0, RAM_SIZE);
	rc = pvx_record_fetch(ram, RAM_SIZE, 0, true, &got, small, 16);
	CHECK("channel: a short error buffer: still rejected", rc == -1);
	CHECK("channel: a short error buffer: message truncated and terminated",
	      memchr(small, '\0', 16) && strlen(small) == 15);
	free(small);
}

static void test_names(void)
{
	static const char *const types[PVX_REC_MAX + 1] = {
		[PVX_REC_HELLO] = "hello",	   [PVX_REC_TEXT] = "text",
		[PVX_REC_FACT] = "fact",	   [PVX_REC_PHASE_BEGIN] = "phase-begin",
		[PVX_REC_PHASE_END] = "phase-end", [PVX_REC_RESULT] = "result",
		[PVX_REC_CHECK] = "check",	   [PVX_REC_CRASH] = "crash",
		[PVX_REC_DONE] = "done",	   [PVX_REC_PING] = "ping",
	};
	static const char *const variants[PVX_VAR_MAX + 1] = {
		[PVX_VAR_RAW] = "raw",		 [PVX_VAR_PATCHED] = "patched",
		[PVX_VAR_BASELINE] = "baseline", [PVX_VAR_WARMUP] = "warmup",
		[PVX_VAR_CHANNEL] = "channel",	 [PVX_VAR_MARKER] = "marker",
	};
	char name[200];

	for (uint32_t t = PVX_REC_HELLO; t <= PVX_REC_MAX; t++) {
		const char *got = pvx_record_type_name(t);

		snprintf(name, sizeof(name), "channel: record type %u is named '%s'", t,
			 types[t] ? types[t] : "(no expectation: update this test)");
		CHECK(name, types[t] && got && strcmp(got, types[t]) == 0);
	}
	for (uint64_t v = 0; v <= PVX_VAR_MAX; v++) {
		const char *got = pvx_variant_name(v);

		snprintf(name, sizeof(name), "channel: variant %llu is named '%s'",
			 (unsigned long long)v,
			 variants[v] ? variants[v] : "(no expectation: update this test)");
		CHECK(name, variants[v] && got && strcmp(got, variants[v]) == 0);
	}

	CHECK("channel: record type 0 is 'unknown'",
	      strcmp(pvx_record_type_name(0), "unknown") == 0);
	CHECK("channel: record type PVX_REC_MAX + 1 is 'unknown'",
	      strcmp(pvx_record_type_name(PVX_REC_MAX + 1), "unknown") == 0);
	CHECK("channel: record type UINT32_MAX is 'unknown'",
	      strcmp(pvx_record_type_name(UINT32_MAX), "unknown") == 0);
	CHECK("channel: variant PVX_VAR_MAX + 1 is 'unknown'",
	      strcmp(pvx_variant_name(PVX_VAR_MAX + 1), "unknown") == 0);
	CHECK("channel: variant 2^32 is 'unknown'",
	      strcmp(pvx_variant_name(0x100000000ULL), "unknown") == 0);
	CHECK("channel: variant UINT64_MAX is 'unknown'",
	      strcmp(pvx_variant_name(UINT64_MAX), "unknown") == 0);
}

int main(void)
{
	unsigned char *ram = malloc(RAM_SIZE);

	if (!ram) {
		printf("FAIL channel: allocate guest RAM: out of memory\n");
		return 1;
	}
	test_each_type(ram);
	test_wrong_order(ram);
	test_bounds(ram);
	test_invalid(ram);
	test_w1_free(ram);
	test_longest_text(ram);
	test_short_err(ram);
	test_names();
	free(ram);
	return unit_done();
}
