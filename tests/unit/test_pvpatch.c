// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvpatch, part 1: the class table, the one-word rewrites, the skips and
 * the stats.  Every check walks the table (classes.def), so a new row is
 * tested without touching this file.  The expected facts are written
 * here from the Power ISA and pv-interface.md (3.2 the magic page, 4.1
 * matching, 4.2 the classes), not taken from the patcher, and the
 * encodings are cross-checked with binutils when they are installed.
 * The trampolines are tested in test_pvpatch_tramp.c.
 */
#include <pvexit/pvpatch.h>
#include "unit.h"
#include "ppc_disasm.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct cls_row {
	const char *name, *syntax;
	uint32_t match, mask;
	int kind, field, width;
	unsigned int families;
	unsigned long feature;
	unsigned int bench;
	unsigned int quiet;
};

/* Our own expansion of the table: classes.c is held to it. */
static const struct cls_row rows[] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench, \
		  quiet)                                                                       \
	{ name, syntax, match, mask, kind, field, width, families, feature, bench, quiet },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

_Static_assert(NELEM(rows) == PVX_CLASS_COUNT, "rows out of step with ids");

#define ALL_FAMILIES (PVX_FAM_BOOK3S64 | PVX_FAM_BOOK3S32 | PVX_FAM_BOOKE)
#define B3S (PVX_FAM_BOOK3S64 | PVX_FAM_BOOK3S32)
#define BE PVX_FAM_BOOKE
#define F2 PVX_MAGIC_FEAT_MAS0_TO_SPRG7

/*
 * What pv-interface.md 4.2 says of each SPR the table names, with its
 * number from the Power ISA and the e500 manual and its magic-page
 * offset from 3.2 (written as numbers, not PVX_MP_*, so a wrong
 * constant shows).  @mt: the SPR has an mtspr row too.
 */
struct spr_fact {
	const char *name; /* as the table's syntax writes it */
	unsigned int spr;
	int field, width;
	unsigned int families;
	unsigned long feature;
	bool mt;
};

static const struct spr_fact sprs[] = {
	{ "SPRG0", 272, 32, 8, ALL_FAMILIES, 0, true },
	{ "SPRG1", 273, 40, 8, ALL_FAMILIES, 0, true },
	{ "SPRG2", 274, 48, 8, ALL_FAMILIES, 0, true },
	{ "SPRG3", 275, 56, 8, ALL_FAMILIES, 0, true },
	{ "SRR0", 26, 64, 8, ALL_FAMILIES, 0, true },
	{ "SRR1", 27, 72, 8, ALL_FAMILIES, 0, true },
	{ "DAR", 19, 80, 8, B3S, 0, true },
	{ "DSISR", 18, 96, 4, ALL_FAMILIES, 0, true },
	{ "PIR", 1023, 204, 4, B3S, F2, false },
	{ "SPRG4", 276, 208, 8, ALL_FAMILIES, F2, true },
	{ "SPRG5", 277, 216, 8, ALL_FAMILIES, F2, true },
	{ "SPRG6", 278, 224, 8, ALL_FAMILIES, F2, true },
	{ "SPRG7", 279, 232, 8, ALL_FAMILIES, F2, true },
	{ "SPRG4R", 260, 208, 8, BE, F2, false },
	{ "SPRG5R", 261, 216, 8, BE, F2, false },
	{ "SPRG6R", 262, 224, 8, BE, F2, false },
	{ "SPRG7R", 263, 232, 8, BE, F2, false },
	{ "DEAR", 61, 80, 8, BE, 0, true },
	{ "ESR", 62, 200, 4, BE, F2, true },
	{ "PIR(286)", 286, 204, 4, BE, F2, false },
	{ "MAS0", 624, 168, 4, BE, F2, true },
	{ "MAS1", 625, 172, 4, BE, F2, true },
	{ "MAS2", 626, 184, 8, BE, F2, true },
	/* MAS7 is the high word of mas7_3, MAS3 the low one. */
	{ "MAS3", 627, 180, 4, BE, F2, true },
	{ "MAS4", 628, 192, 4, BE, F2, true },
	{ "MAS6", 630, 196, 4, BE, F2, true },
	{ "MAS7", 944, 176, 4, BE, F2, true },
};

/* The rows that are not mfspr/mtspr, by their syntax. */
struct insn_fact {
	const char *syntax;
	int kind, field, width;
	unsigned int families;
	unsigned long feature;
};

static const struct insn_fact insns[] = {
	{ "mfmsr rT", PVX_KIND_LOAD, 88, 8, ALL_FAMILIES, 0 },
	{ "tlbsync", PVX_KIND_NOP, -1, 0, ALL_FAMILIES, 0 },
	{ "mtmsrd rS,1", PVX_KIND_MTMSRD1, 88, 8, ALL_FAMILIES, 0 },
	{ "mtmsr rS", PVX_KIND_MTMSR, 88, 8, ALL_FAMILIES, 0 },
	{ "mtmsrd rS,0", PVX_KIND_MTMSR, 88, 8, ALL_FAMILIES, 0 },
	{ "wrtee rS", PVX_KIND_WRTEE, 88, 8, BE, 0 },
	{ "wrteei 0", PVX_KIND_WRTEEI0, 88, 8, BE, 0 },
	{ "wrteei 1", PVX_KIND_WRTEEI1, 88, 8, BE, 0 },
	{ "mtsrin rS,rB", PVX_KIND_MTSRIN, 104, 4, PVX_FAM_BOOK3S32, PVX_MAGIC_FEAT_SR },
};

/* Operand fields (Power ISA X-form): RT/RS at bits 6-10, RB at 16-20. */
#define FIELD_RT (0x1fu << 21)
#define FIELD_RB (0x1fu << 11)

static bool names(const struct cls_row *r, const char *op)
{
	return strstr(r->syntax, op) != NULL;
}

static uint32_t operand_fields(const struct cls_row *r)
{
	return (names(r, "rT") || names(r, "rS") ? FIELD_RT : 0) | (names(r, "rB") ? FIELD_RB : 0);
}

/* mtsrin's rB for a given rS: another register, so a swap shows. */
static unsigned int rb_for(unsigned int reg)
{
	return (reg + 7) % NREGS;
}

/* Class @r's instruction with @reg in RT/RS (and rb_for(reg) in RB). */
static uint32_t insn_of(const struct cls_row *r, unsigned int reg)
{
	uint32_t f = operand_fields(r);

	return r->match | (f & FIELD_RT ? reg << 21 : 0) | (f & FIELD_RB ? rb_for(reg) << 11 : 0);
}

/* Primary opcodes, Power ISA Book I.  ld and std are DS-form with the
 * extended opcode (low two bits) 0; lwz and stw are D-form. */
#define PO(n) ((uint32_t)(n) << 26)
#define ISA_LWZ PO(32)
#define ISA_STW PO(36)
#define ISA_LD PO(58)
#define ISA_STD PO(62)
#define ISA_NOP (PO(24) | 0) /* ori 0,0,0 */

static bool uses_ds_form(const struct cls_row *r, bool is64)
{
	return r->width == 8 && is64;
}

/* The page sits at EA -4096; a 32-bit guest reads the low word of an
 * 8-byte field, which big-endian layout puts 4 bytes further on. */
static long displacement(const struct cls_row *r, bool is64)
{
	return -4096L + r->field + (r->width == 8 && !is64 ? 4 : 0);
}

/* The word that should replace @insn of class @r; false if the kind has
 * no one-word rewrite. */
static bool expected_word(const struct cls_row *r, uint32_t insn, bool is64, uint32_t *out)
{
	uint32_t rt = insn & FIELD_RT;
	uint32_t d = (uint32_t)displacement(r, is64) & 0xffffu;
	bool ds = uses_ds_form(r, is64);

	/* Unmasked for DS-form too: a field that is not a multiple of 4
	 * would turn the word into ldu/lwa, which this check should show. */
	switch (r->kind) {
	case PVX_KIND_LOAD:
		*out = (ds ? ISA_LD : ISA_LWZ) | rt | d;
		return true;
	case PVX_KIND_STORE:
		*out = (ds ? ISA_STD : ISA_STW) | rt | d;
		return true;
	case PVX_KIND_NOP:
		*out = ISA_NOP;
		return true;
	default:
		return false;
	}
}

/* What a disassembler prints for it, operands as "rN,D(0)". */
static bool expected_asm(const struct cls_row *r, unsigned int reg, bool is64, char *buf,
			 size_t len)
{
	const char *op = r->kind == PVX_KIND_LOAD ? (uses_ds_form(r, is64) ? "ld" : "lwz") :
						    (uses_ds_form(r, is64) ? "std" : "stw");

	switch (r->kind) {
	case PVX_KIND_LOAD:
	case PVX_KIND_STORE:
		snprintf(buf, len, "%s r%u,%ld(0)", op, reg, displacement(r, is64));
		return true;
	case PVX_KIND_NOP:
		snprintf(buf, len, "nop");
		return true;
	default:
		return false;
	}
}

static const struct spr_fact *spr_named(const char *name, size_t len)
{
	for (size_t i = 0; i < NELEM(sprs); i++)
		if (strlen(sprs[i].name) == len && strncmp(sprs[i].name, name, len) == 0)
			return &sprs[i];
	return NULL;
}

/* The SPR a mfspr/mtspr row names, or NULL. */
static const struct spr_fact *spr_of(const struct cls_row *r)
{
	const char *s = r->syntax;

	if (strncmp(s, "mfspr rT,", 9) == 0)
		return spr_named(s + 9, strlen(s + 9));
	if (strncmp(s, "mtspr ", 6) == 0 && strstr(s, ",rS"))
		return spr_named(s + 6, (size_t)(strstr(s, ",rS") - (s + 6)));
	return NULL;
}

/*
 * The row's syntax as gas takes it: rT/rS/rB named (rB as rb_for(reg))
 * and an SPR name replaced by its number, which gas does not know.
 * False if an SPR name is not in sprs[].
 */
static bool syntax_asm(const struct cls_row *r, unsigned int reg, char *buf, size_t len)
{
	const char *s = r->syntax;
	size_t o = 0;

	while (*s && o + 8 < len) {
		bool at_operand = s > r->syntax && (s[-1] == ' ' || s[-1] == ',');
		size_t tok = strcspn(s, ",");

		if (at_operand && s[0] == 'r' && (s[1] == 'T' || s[1] == 'S' || s[1] == 'B')) {
			o += (size_t)snprintf(buf + o, len - o, "r%u",
					      s[1] == 'B' ? rb_for(reg) : reg);
			s += 2;
		} else if (at_operand && s[0] >= 'A' && s[0] <= 'Z') {
			const struct spr_fact *f = spr_named(s, tok);

			if (!f)
				return false;
			o += (size_t)snprintf(buf + o, len - o, "%u", f->spr);
			s += tok;
		} else {
			buf[o++] = *s++;
		}
	}
	buf[o < len ? o : len - 1] = '\0';
	return true;
}

/* How many rows match @insn, by mask and match alone. */
static unsigned int rows_matching(uint32_t insn)
{
	unsigned int n = 0;

	for (size_t i = 0; i < NELEM(rows); i++)
		n += (insn & rows[i].mask) == rows[i].match;
	return n;
}

static const char *family_name(unsigned int f)
{
	switch (f) {
	case PVX_FAM_BOOK3S64:
		return "Book3S-64";
	case PVX_FAM_BOOK3S32:
		return "Book3S-32";
	case PVX_FAM_BOOKE:
		return "BookE";
	default:
		return "other";
	}
}

/* Names for check lines; pvx_skip_names is under test. */
static const char *skip_label(int k)
{
	static const char *const labels[PVX_SKIP_COUNT] = {
		[PVX_SKIP_FAMILY] = "family",	[PVX_SKIP_FEATURE] = "feature",
		[PVX_SKIP_NO_AREA] = "no-area", [PVX_SKIP_NO_SPACE] = "no-space",
		[PVX_SKIP_RANGE] = "range",	[PVX_SKIP_OPERAND] = "operand",
	};

	return labels[k] ? labels[k] : "(new)";
}

static unsigned int sum_skipped(const struct pvx_patch_stats *st, int cls)
{
	unsigned int n = 0;

	for (int k = 0; k < PVX_SKIP_COUNT; k++)
		n += st->skipped[cls][k];
	return n;
}

/* A trampoline area far from everything, for checks that only need
 * trampolines to fit: guest text at SITES, the area 128 KiB above. */
#define SITES 0x400000u
#define AREA 0x420000u
#define AREA_WORDS 16384u
static uint32_t area_words[AREA_WORDS];

static struct pvx_tramp_area fresh_area(void)
{
	struct pvx_tramp_area a = { area_words, AREA, AREA_WORDS, 0 };

	memset(area_words, 0, sizeof(area_words));
	return a;
}

static struct pvx_patch_ctx make_ctx(unsigned int family, bool is64, unsigned long features,
				     struct pvx_tramp_area *area)
{
	struct pvx_patch_ctx c = { family, is64, features, area };

	return c;
}

#define PATCHED (-1)
#define BRANCHED (-2) /* a b into the trampoline area */

/*
 * What pvx_patch_range() should do with @insn of class @r: PATCHED with
 * the new word in @word, BRANCHED, or the PVX_SKIP_* reason it is left
 * alone.  Family first, then feature, then what the kind needs.
 */
static int expected_patch(const struct cls_row *r, uint32_t insn, const struct pvx_patch_ctx *ctx,
			  uint32_t *word)
{
	*word = insn;
	if (!(r->families & ctx->family))
		return PVX_SKIP_FAMILY;
	if (r->feature && !(r->feature & ctx->magic_features))
		return PVX_SKIP_FEATURE;
	if (is_trampoline(r->kind)) {
		if (!ctx->tramp)
			return PVX_SKIP_NO_AREA;
		/* The mtsrin trampoline works in r30 and r31. */
		if (r->kind == PVX_KIND_MTSRIN &&
		    ((insn >> 21 & 31) >= 30 || (insn >> 11 & 31) >= 30))
			return PVX_SKIP_OPERAND;
		return BRANCHED;
	}
	expected_word(r, insn, ctx->is64, word);
	return PATCHED;
}

/* Does @got satisfy expected_patch()'s verdict? */
static bool patch_ok(int verdict, uint32_t got, uint32_t want, uint64_t site,
		     const struct pvx_tramp_area *a)
{
	uint64_t to;

	if (verdict != BRANCHED)
		return got == want;
	if (!is_b(got))
		return false;
	to = site + (uint64_t)branch_disp(got);
	return to >= a->addr && to < a->addr + 4 * a->used;
}

/* pv-interface.md 3.2, the layout of struct kvm_vcpu_arch_shared. */
static void test_layout(void)
{
	static const struct {
		const char *name;
		int got, want;
	} f[] = {
#define MP(x, off) { #x, PVX_MP_##x, off }
		MP(SCRATCH1, 0), MP(SCRATCH2, 8),      MP(SCRATCH3, 16), MP(CRITICAL, 24),
		MP(SPRG0, 32),	 MP(SPRG1, 40),	       MP(SPRG2, 48),	 MP(SPRG3, 56),
		MP(SRR0, 64),	 MP(SRR1, 72),	       MP(DAR, 80),	 MP(MSR, 88),
		MP(DSISR, 96),	 MP(INT_PENDING, 100), MP(SR, 104),	 MP(MAS0, 168),
		MP(MAS1, 172),	 MP(MAS7_3, 176),      MP(MAS2, 184),	 MP(MAS4, 192),
		MP(MAS6, 196),	 MP(ESR, 200),	       MP(PIR, 204),	 MP(SPRG4, 208),
		MP(SPRG5, 216),	 MP(SPRG6, 224),       MP(SPRG7, 232),	 MP(STRUCT_SIZE, 240),
#undef MP
	};
	char name[200];

	for (size_t i = 0; i < NELEM(f); i++) {
		snprintf(name, sizeof(name), "pvpatch: magic_page.h PVX_MP_%s is at %d", f[i].name,
			 f[i].want);
		CHECK_EQ_U64(name, f[i].got, f[i].want);
	}
	CHECK_EQ_U64("pvpatch: the magic page is at EA -4096", PVX_MAGIC_PAGE_EA, -4096L);
}

/* classes.c must be the same table as classes.def. */
static void test_compiled_table(void)
{
	char name[200];

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		const struct pvx_class_info *p = &pvx_classes[c];

		snprintf(name, sizeof(name), "pvpatch: pvx_classes[%d] is classes.def's %s row", c,
			 r->name);
		CHECK(name, p->name && p->syntax && strcmp(p->name, r->name) == 0 &&
				    strcmp(p->syntax, r->syntax) == 0 && p->match == r->match &&
				    p->mask == r->mask && p->kind == r->kind &&
				    p->field == r->field && p->width == r->width &&
				    p->families == r->families && p->feature == r->feature &&
				    p->bench == r->bench && p->quiet == r->quiet);
	}
}

/* mfspr rT,SPRG4..7 by SPR 276-279. */
static bool is_sprg4_7_read(const struct cls_row *r)
{
	return r->match == PVX_MFSPR(276) || r->match == PVX_MFSPR(277) ||
	       r->match == PVX_MFSPR(278) || r->match == PVX_MFSPR(279);
}

/* Each row against pv-interface.md: kind, field, width, families,
 * feature; and every documented class has its row. */
static void check_facts(const struct cls_row *r)
{
	const struct spr_fact *s = spr_of(r);
	const struct insn_fact *in = NULL;
	int kind, field, width;
	unsigned int families;
	unsigned long feature;
	char name[200], why[300];

	snprintf(name, sizeof(name),
		 "pvpatch: %s's kind, field, width, families and feature are pv-interface.md's",
		 r->name);
	if (s) {
		kind = r->syntax[1] == 'f' ? PVX_KIND_LOAD : PVX_KIND_STORE;
		field = s->field;
		width = s->width;
		families = s->families;
		feature = s->feature;
	} else {
		for (size_t i = 0; i < NELEM(insns) && !in; i++)
			if (strcmp(insns[i].syntax, r->syntax) == 0)
				in = &insns[i];
		if (!in) {
			snprintf(why, sizeof(why), "no documented facts for '%s'", r->syntax);
			unit_check(0, __FILE__, __LINE__, name, why);
			return;
		}
		kind = in->kind;
		field = in->field;
		width = in->width;
		families = in->families;
		feature = in->feature;
	}
	snprintf(why, sizeof(why),
		 "kind %d field %d width %d families 0x%x feature 0x%lx, want %d %d %d 0x%x 0x%lx",
		 r->kind, r->field, r->width, r->families, r->feature, kind, field, width, families,
		 feature);
	unit_check(r->kind == kind && r->field == field && r->width == width &&
			   r->families == families && r->feature == feature,
		   __FILE__, __LINE__, name, why);
}

static void test_table_complete(void)
{
	char name[200];

	for (size_t i = 0; i < NELEM(sprs); i++) {
		for (int mt = 0; mt <= (int)sprs[i].mt; mt++) {
			unsigned int n = 0;

			for (int c = 0; c < PVX_CLASS_COUNT; c++)
				n += spr_of(&rows[c]) == &sprs[i] &&
				     (rows[c].syntax[1] == 't') == mt;
			snprintf(name, sizeof(name), "pvpatch: the table has one %s %s row",
				 mt ? "mtspr" : "mfspr", sprs[i].name);
			CHECK_EQ_U64(name, n, 1);
		}
	}
	for (size_t i = 0; i < NELEM(insns); i++) {
		unsigned int n = 0;

		for (int c = 0; c < PVX_CLASS_COUNT; c++)
			n += strcmp(rows[c].syntax, insns[i].syntax) == 0;
		snprintf(name, sizeof(name), "pvpatch: the table has one '%s' row",
			 insns[i].syntax);
		CHECK_EQ_U64(name, n, 1);
	}
}

/* The table itself: matchable, one row per word, fields in the page. */
static void test_table(void)
{
	char name[200], why[200];

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		uint32_t f = operand_fields(r);
		unsigned int nrb = f & FIELD_RB ? NREGS : 1;
		bool ok = true;

		/* 4.1: the operand fields are wildcards, all else is fixed. */
		snprintf(name, sizeof(name),
			 "pvpatch: %s leaves exactly its operand fields out of mask and match",
			 r->name);
		snprintf(why, sizeof(why), "mask 0x%08x match 0x%08x, operand fields 0x%08x",
			 r->mask, r->match, f);
		unit_check(r->mask == ~f && (r->match & f) == 0 && (r->match & ~r->mask) == 0,
			   __FILE__, __LINE__, name, why);

		snprintf(name, sizeof(name), "pvpatch: %s's field lies in the magic page, aligned",
			 r->name);
		snprintf(why, sizeof(why), "field %d width %d", r->field, r->width);
		if (r->kind == PVX_KIND_NOP)
			unit_check(r->field == -1 && r->width == 0, __FILE__, __LINE__, name, why);
		else
			unit_check(r->field >= 0 && (r->width == 4 || r->width == 8) &&
					   r->field % r->width == 0 &&
					   r->field + r->width <= PVX_MP_STRUCT_SIZE,
				   __FILE__, __LINE__, name, why);

		/* Only the supervisor-number reads of SPRG4-7 run nowhere
		 * (classes.def says why); every other class somewhere. */
		snprintf(name, sizeof(name), "pvpatch: %s is benchmarked in some known family",
			 r->name);
		CHECK(name, (r->bench || is_sprg4_7_read(r)) && (r->bench & ~ALL_FAMILIES) == 0);

		/* A class that never traps is only ever one that is run. */
		snprintf(name, sizeof(name), "pvpatch: %s is quiet only where it is benchmarked",
			 r->name);
		CHECK(name, (r->quiet & ~r->bench) == 0);

		/* Every operand value: this row and no other, and
		 * pvx_classify() agrees. */
		snprintf(why, sizeof(why), "every operand value");
		for (unsigned int rt = 0; rt < (f & FIELD_RT ? NREGS : 1) && ok; rt++) {
			for (unsigned int rb = 0; rb < nrb && ok; rb++) {
				uint32_t w = r->match | (f & FIELD_RT ? rt << 21 : 0) |
					     (f & FIELD_RB ? rb << 11 : 0);
				int got = pvx_classify(w);

				if (rows_matching(w) != 1 || got != c) {
					snprintf(why, sizeof(why),
						 "0x%08x matches %u rows, is class %d, want %d", w,
						 rows_matching(w), got, c);
					ok = false;
				}
			}
		}
		snprintf(name, sizeof(name),
			 "pvpatch: %s with any operands is classified as %s and no other row",
			 r->name, r->name);
		unit_check(ok, __FILE__, __LINE__, name, why);
		check_facts(r);
	}
	test_table_complete();
}

static void test_rewrite(bool is64)
{
	struct pvx_patch_ctx ctx = make_ctx(ALL_FAMILIES, is64, ALL_FEATURES, NULL);
	const char *what = is64 ? "64-bit" : "32-bit";
	char name[200], why[200], form[64];

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		uint32_t want, got;
		bool ok = true;

		if (!expected_word(r, insn_of(r, 7), is64, &want)) {
			snprintf(name, sizeof(name),
				 "pvpatch: pvx_rewrite() of %s (%s) is 0, no one-word rewrite",
				 r->name, what);
			CHECK_EQ_U64(name, pvx_rewrite(c, insn_of(r, 7), &ctx), 0);
			continue;
		}
		snprintf(why, sizeof(why), "all %u registers", NREGS);
		for (unsigned int reg = 0; reg < NREGS && ok; reg++) {
			expected_word(r, insn_of(r, reg), is64, &want);
			got = pvx_rewrite(c, insn_of(r, reg), &ctx);
			if (got != want) {
				snprintf(why, sizeof(why), "r%u: 0x%08x, want 0x%08x", reg, got,
					 want);
				ok = false;
			}
		}
		expected_asm(r, 7, is64, form, sizeof(form));
		snprintf(name, sizeof(name), "pvpatch: pvx_rewrite() of %s r0..r31 (%s) is '%s'",
			 r->name, what, form);
		unit_check(ok, __FILE__, __LINE__, name, why);
	}
}

/* Each one-word class through pvx_patch_range(), for each family its
 * row lists and either word size: the family picks nothing but whether
 * to patch, is64 picks the encoding. */
static void test_one_word_families(void)
{
	struct pvx_tramp_area area = fresh_area();
	char name[200], why[200], form[64];

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];

		if (is_trampoline(r->kind))
			continue;
		for (unsigned int fam = 1; fam & ALL_FAMILIES; fam <<= 1) {
			if (!(r->families & fam))
				continue;
			for (int is64 = 1; is64 >= 0; is64--) {
				struct pvx_patch_ctx ctx =
					make_ctx(fam, is64, ALL_FEATURES, is64 ? &area : NULL);
				struct pvx_patch_stats st;
				uint32_t buf[NREGS], want;
				bool ok = true;

				for (unsigned int reg = 0; reg < NREGS; reg++)
					buf[reg] = insn_of(r, reg);
				memset(&st, 0, sizeof(st));
				pvx_patch_range(buf, NREGS, SITES, &ctx, &st);
				snprintf(why, sizeof(why), "all %u registers", NREGS);
				for (unsigned int reg = 0; reg < NREGS && ok; reg++) {
					expected_word(r, insn_of(r, reg), is64, &want);
					if (buf[reg] != want) {
						snprintf(why, sizeof(why),
							 "r%u: 0x%08x, want 0x%08x", reg, buf[reg],
							 want);
						ok = false;
					}
				}
				expected_asm(r, 7, is64, form, sizeof(form));
				snprintf(name, sizeof(name),
					 "pvpatch: %s r0..r31 for %s, %s-bit, become '%s'%s",
					 r->name, family_name(fam), is64 ? "64" : "32", form,
					 is64 ? ", the area untouched" : "");
				unit_check(ok && st.found[c] == NREGS && st.patched[c] == NREGS &&
						   area.used == 0,
					   __FILE__, __LINE__, name, ok ? "stats or area" : why);
			}
		}
	}
}

/* Every class and register in one buffer: with no area (trampoline
 * classes skipped for it) and with one (they become branches). */
static void test_patch_range(bool is64, bool with_area)
{
	static uint32_t buf[PVX_CLASS_COUNT][NREGS];
	struct pvx_tramp_area area = fresh_area();
	struct pvx_patch_ctx ctx = make_ctx(is64 ? PVX_FAM_BOOK3S64 : PVX_FAM_BOOK3S32, is64,
					    ALL_FEATURES, with_area ? &area : NULL);
	struct pvx_patch_stats st;
	char what[40], name[200], why[120];

	snprintf(what, sizeof(what), "%s, %s", is64 ? "Book3S-64" : "Book3S-32",
		 with_area ? "with an area" : "no area");
	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		for (unsigned int reg = 0; reg < NREGS; reg++)
			buf[c][reg] = insn_of(&rows[c], reg);
	memset(&st, 0, sizeof(st));
	pvx_patch_range(&buf[0][0], PVX_CLASS_COUNT * NREGS, SITES, &ctx, &st);

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		unsigned int want_skipped[PVX_SKIP_COUNT] = { 0 }, want_patched = 0;
		bool ok = true;

		snprintf(why, sizeof(why), "all %u registers", NREGS);
		for (unsigned int reg = 0; reg < NREGS; reg++) {
			uint32_t want;
			uint64_t site = SITES + 4u * (c * NREGS + reg);
			int v = expected_patch(r, insn_of(r, reg), &ctx, &want);

			if (v < 0)
				want_patched++;
			else
				want_skipped[v]++;
			if (ok && !patch_ok(v, buf[c][reg], want, site, &area)) {
				snprintf(why, sizeof(why), "r%u: 0x%08x, want %s 0x%08x", reg,
					 buf[c][reg], v == BRANCHED ? "a b into the area, not" : "",
					 want);
				ok = false;
			}
		}
		snprintf(name, sizeof(name), "pvpatch: patching %s r0..r31 (%s) writes %s", r->name,
			 what, want_patched ? "the rewrites" : "nothing");
		unit_check(ok, __FILE__, __LINE__, name, why);
		snprintf(name, sizeof(name), "pvpatch: patching %s r0..r31 (%s): found", r->name,
			 what);
		CHECK_EQ_U64(name, st.found[c], NREGS);
		snprintf(name, sizeof(name), "pvpatch: patching %s r0..r31 (%s): patched", r->name,
			 what);
		CHECK_EQ_U64(name, st.patched[c], want_patched);
		for (int k = 0; k < PVX_SKIP_COUNT; k++) {
			snprintf(name, sizeof(name),
				 "pvpatch: patching %s r0..r31 (%s): skipped for reason %s",
				 r->name, what, skip_label(k));
			CHECK_EQ_U64(name, st.skipped[c][k], want_skipped[k]);
		}
	}
}

#define GAS PPC_BINUTILS("as")
#define OBJCOPY PPC_BINUTILS("objcopy")

/* gas's CPU option: BookE and server mnemonics alike. */
#define ANY_CPU "-many"

/* Assemble @n lines with gas, CPU option @cpu, into big-endian words. */
static bool gas_assemble(const char *cpu, const asm_line *src, unsigned int n, uint32_t *out,
			 char *why, size_t whylen)
{
	char cmd[8 * sizeof(ppc_tmpdir) + 200], o[sizeof(ppc_tmpdir) + 32],
		bin[sizeof(ppc_tmpdir) + 32];
	unsigned char be[4];
	unsigned int i;
	FILE *f;
	bool ok = true;

	f = fopen(ppc_scratch_path("syntax.s"), "w");
	if (!f) {
		snprintf(why, whylen, "cannot create a scratch file in %s", ppc_tmpdir);
		return false;
	}
	for (i = 0; i < n; i++)
		ok = ok && fprintf(f, "\t%s\n", src[i]) > 0;
	if (fclose(f) != 0 || !ok) {
		snprintf(why, whylen, "cannot write a scratch file in %s", ppc_tmpdir);
		return false;
	}
	snprintf(o, sizeof(o), "%s", ppc_scratch_path("syntax.o"));
	snprintf(bin, sizeof(bin), "%s", ppc_scratch_path("syntax.bin"));
	snprintf(cmd, sizeof(cmd),
		 GAS " -mbig %s -mregnames -o '%s' '%s' >/dev/null 2>&1 && " OBJCOPY
		     " -O binary -j .text '%s' '%s' 2>/dev/null",
		 cpu, o, ppc_scratch_path("syntax.s"), o, bin);
	if (system(cmd) != 0) {
		snprintf(why, whylen, GAS " rejects '%s' ...", src[0]);
		return false;
	}
	f = fopen(bin, "rb");
	if (!f) {
		snprintf(why, whylen, "no %s", bin);
		return false;
	}
	for (i = 0; i < n && fread(be, 1, 4, f) == 4; i++)
		out[i] = (uint32_t)be[0] << 24 | (uint32_t)be[1] << 16 | (uint32_t)be[2] << 8 |
			 be[3];
	ok = i == n && fgetc(f) == EOF;
	fclose(f);
	if (!ok)
		snprintf(why, whylen, GAS " made other than %u words", n);
	return ok;
}

/* Line by line, naming the first difference in @why. */
static bool same_text(const struct ppc_dis *got, const asm_line *want, unsigned int n, char *why,
		      size_t whylen)
{
	for (unsigned int i = 0; i < n; i++) {
		if (strcmp(got[i].text, want[i]) != 0) {
			/* Bounded: a disassembly line is short, and gcc -O2
			 * without sanitizers checks the worst case. */
			snprintf(why, whylen, "0x%08x is '%.100s', want '%.100s'", got[i].word,
				 got[i].text, want[i]);
			return false;
		}
	}
	return true;
}

static bool same_words(const uint32_t *got, const uint32_t *want, const asm_line *src,
		       unsigned int n, char *why, size_t whylen)
{
	for (unsigned int i = 0; i < n; i++) {
		if (got[i] != want[i]) {
			snprintf(why, whylen, "'%s' is 0x%08x, want 0x%08x", src[i], got[i],
				 want[i]);
			return false;
		}
	}
	return true;
}

/*
 * The table's syntax against binutils: gas must assemble it, SPR names
 * replaced by the ISA's numbers, to the row's match with the operands
 * set; so every SPR row's match is the mfspr/mtspr encoding of its SPR.
 * objdump must print the word back, or, where it has its own spelling
 * ("mfsprg r3,0"), a text that gas assembles to the same word.
 */
static void test_binutils_syntax(const struct cls_row *r, bool gas)
{
	uint32_t words[NREGS], back[NREGS];
	asm_line want[NREGS];
	struct ppc_dis got[NREGS];
	char form[64], why[300], name[300];
	bool gas_ok = false, ok = true;

	for (unsigned int reg = 0; reg < NREGS; reg++) {
		words[reg] = insn_of(r, reg);
		ok = ok && syntax_asm(r, reg, want[reg], sizeof(want[reg]));
	}
	syntax_asm(r, 7, form, sizeof(form));

	snprintf(name, sizeof(name), "pvpatch: gas assembles '%s' to %s's match for r0..r31",
		 r->syntax, r->name);
	if (!ok) {
		unit_check(0, __FILE__, __LINE__, name, "an SPR name the test does not know");
		return;
	}
	if (gas) {
		gas_ok = gas_assemble(ANY_CPU, want, NREGS, back, why, sizeof(why)) &&
			 same_words(back, words, want, NREGS, why, sizeof(why));
		unit_check(gas_ok, __FILE__, __LINE__, name, why);
	} else {
		unit_skip(name, GAS " or " OBJCOPY " is not installed");
	}

	snprintf(name, sizeof(name), "pvpatch: objdump reads %s r0..r31 as '%s' (or an alias)",
		 r->name, form);
	ok = ppc_objdump(words, NREGS, 0, true, got, why, sizeof(why));
	if (ok && !same_text(got, want, NREGS, why, sizeof(why))) {
		asm_line text[NREGS];
		char alias[400];

		snprintf(alias, sizeof(alias),
			 "%s, and gas does not assemble that to the same word", why);
		for (unsigned int reg = 0; reg < NREGS; reg++)
			memcpy(text[reg], got[reg].text, sizeof(text[reg]));
		ok = gas_ok && gas_assemble(ANY_CPU, text, NREGS, back, why, sizeof(why)) &&
		     same_words(back, words, text, NREGS, why, sizeof(why));
		if (!ok && !gas_ok)
			snprintf(why, sizeof(why), "%.250s", alias);
	}
	unit_check(ok, __FILE__, __LINE__, name, why);
}

/* The words pvx_patch_range() wrote, through objdump. */
static void test_objdump(void)
{
	uint32_t words[NREGS];
	asm_line want[NREGS];
	struct ppc_dis got[NREGS];
	char form[64], why[300], name[200];
	bool gas;

	if (!ppc_have_tool(OBJDUMP)) {
		unit_skip("pvpatch: rewrites disassemble as intended", OBJDUMP " is not installed");
		return;
	}
	gas = ppc_have_tool(GAS) && ppc_have_tool(OBJCOPY);
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];

		test_binutils_syntax(r, gas);
		for (int is64 = 1; is64 >= 0; is64--) {
			struct pvx_patch_ctx ctx = make_ctx(r->families, is64, ALL_FEATURES, NULL);
			struct pvx_patch_stats st;
			bool ok;

			if (!expected_asm(r, 7, is64, form, sizeof(form)))
				continue;
			snprintf(name, sizeof(name),
				 "pvpatch: objdump reads patched %s r0..r31 (%s) as '%s'", r->name,
				 is64 ? "64-bit" : "32-bit", form);
			for (unsigned int reg = 0; reg < NREGS; reg++) {
				words[reg] = insn_of(r, reg);
				expected_asm(r, reg, is64, want[reg], sizeof(want[reg]));
			}
			memset(&st, 0, sizeof(st));
			pvx_patch_range(words, NREGS, SITES, &ctx, &st);
			ok = ppc_objdump(words, NREGS, 0, false, got, why, sizeof(why)) &&
			     same_text(got, want, NREGS, why, sizeof(why));
			unit_check(ok, __FILE__, __LINE__, name, why);
		}
	}
}

/*
 * Words no row matches must come through untouched.  Besides ordinary
 * instructions, every class contributes near misses: its match with one
 * masked bit flipped (Rc set, RA or RB non-zero, another opcode ...).
 */
static void test_non_matching(void)
{
	static const uint32_t assorted[] = {
		0x7c000124, /* mtmsr r0: in the table, so dropped below */
		0x7c7042a6, /* mfspr r3,SPRG0: likewise */
		0x60000000, /* nop */
		0x7c642a14, /* add r3,r4,r5 */
		0x48000000, /* b . */
		0x4e800020, /* blr */
		0xe8610008, /* ld r3,8(r1) */
		0xf8610008, /* std r3,8(r1) */
		0x7c0000a7, /* mfmsr with the reserved low bit set */
		0x7c0100a6, /* mfmsr with RA = 1 */
		0x7c0008a6, /* mfmsr with RB = 1 */
		0x7c010124, /* mtmsr with L = 1 */
		0x7c0001a4, /* mtsr 0,r0 (trapping, never patched) */
		0x7c0004a6, /* mfsr r0,0 (trapping, never patched) */
		0x7c000526, /* mfsrin r0,r0 */
		0x44000002, /* sc */
		0x00000000, 0xffffffff,
	};
	uint32_t buf[NELEM(assorted) + PVX_CLASS_COUNT * 32];
	uint32_t before[NELEM(buf)];
	struct pvx_tramp_area area = fresh_area();
	struct pvx_patch_ctx ctx = make_ctx(ALL_FAMILIES, true, ALL_FEATURES, &area);
	struct pvx_patch_stats st;
	unsigned int n = 0, classified = 0, found = 0;
	char why[120] = "";

	for (size_t i = 0; i < NELEM(assorted); i++)
		if (rows_matching(assorted[i]) == 0)
			buf[n++] = assorted[i];
	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		for (unsigned int bit = 0; bit < 32; bit++)
			if ((rows[c].mask >> bit & 1) && !rows_matching(rows[c].match ^ 1u << bit))
				buf[n++] = rows[c].match ^ 1u << bit;

	CHECK("pvpatch: the non-matching set is not empty", n >= 8);
	for (unsigned int i = 0; i < n; i++)
		if (pvx_classify(buf[i]) >= 0 && !classified++)
			snprintf(why, sizeof(why), "0x%08x is class %d", buf[i],
				 pvx_classify(buf[i]));
	unit_check(classified == 0, __FILE__, __LINE__,
		   "pvpatch: words outside the table are classified as none", why);

	memcpy(before, buf, sizeof(before));
	memset(&st, 0, sizeof(st));
	pvx_patch_range(buf, n, SITES, &ctx, &st);
	CHECK("pvpatch: words outside the table are left word for word",
	      memcmp(before, buf, n * sizeof(buf[0])) == 0);
	CHECK_EQ_U64("pvpatch: words outside the table take no trampoline space", area.used, 0);
	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		found += st.found[c] + st.patched[c] + sum_skipped(&st, c);
	CHECK_EQ_U64("pvpatch: words outside the table: stats stay zero", found, 0);
}

/* n counts words from words[0]: the neighbours on either side stay. */
static void test_range_bounds(void)
{
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		uint32_t w = insn_of(&rows[c], 5), buf[3] = { w, w, w };
		struct pvx_tramp_area area = fresh_area();
		struct pvx_patch_ctx ctx = make_ctx(
			rows[c].families, rows[c].families & PVX_FAM_BOOK3S64, ALL_FEATURES, &area);
		struct pvx_patch_stats st;
		char name[200];

		memset(&st, 0, sizeof(st));
		pvx_patch_range(buf + 1, 0, SITES + 4, &ctx, &st);
		snprintf(name, sizeof(name), "pvpatch: an empty range leaves %s alone",
			 rows[c].name);
		CHECK(name, buf[0] == w && buf[1] == w && buf[2] == w && st.found[c] == 0 &&
				    area.used == 0);
		pvx_patch_range(buf + 1, 1, SITES + 4, &ctx, &st);
		snprintf(name, sizeof(name), "pvpatch: %s just outside the range is left alone",
			 rows[c].name);
		CHECK(name, buf[0] == w && buf[2] == w && buf[1] != w && st.found[c] == 1 &&
				    st.patched[c] == 1);
	}
}

/* Sites skipped the first time are found again; nothing else is. */
static void test_twice(unsigned int family, bool is64)
{
	static uint32_t buf[PVX_CLASS_COUNT * NREGS], once[PVX_CLASS_COUNT * NREGS];
	struct pvx_tramp_area area = fresh_area();
	struct pvx_patch_ctx ctx = make_ctx(family, is64, ALL_FEATURES, &area);
	struct pvx_patch_stats st;
	unsigned int skipped = 0, found = 0, patched = 0, first;
	size_t used;
	char name[200];

	for (int c = 0; c < PVX_CLASS_COUNT; c++)
		for (unsigned int reg = 0; reg < NREGS; reg++)
			buf[c * NREGS + reg] = insn_of(&rows[c], reg);
	memset(&st, 0, sizeof(st));
	pvx_patch_range(buf, NELEM(buf), SITES, &ctx, &st);
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		skipped += sum_skipped(&st, c);
		patched += st.patched[c];
	}
	first = patched;
	patched = 0;
	used = area.used;
	memcpy(once, buf, sizeof(once));
	memset(&st, 0, sizeof(st));
	pvx_patch_range(buf, NELEM(buf), SITES, &ctx, &st);
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		found += st.found[c];
		patched += st.patched[c];
	}
	snprintf(name, sizeof(name), "pvpatch: patching %s, %s-bit, patches something",
		 family_name(family), is64 ? "64" : "32");
	CHECK(name, first > 0 && used > 0);
	snprintf(name, sizeof(name), "pvpatch: patching twice (%s, %s-bit) changes nothing",
		 family_name(family), is64 ? "64" : "32");
	CHECK(name, memcmp(buf, once, sizeof(buf)) == 0);
	snprintf(name, sizeof(name),
		 "pvpatch: patching twice (%s, %s-bit) takes no more trampoline space",
		 family_name(family), is64 ? "64" : "32");
	CHECK_EQ_U64(name, area.used, used);
	snprintf(name, sizeof(name),
		 "pvpatch: patching twice (%s, %s-bit) finds only the sites skipped the first time",
		 family_name(family), is64 ? "64" : "32");
	CHECK_EQ_U64(name, found, skipped);
	snprintf(name, sizeof(name),
		 "pvpatch: patching twice (%s, %s-bit) patches nothing the second time",
		 family_name(family), is64 ? "64" : "32");
	CHECK_EQ_U64(name, patched, 0);
}

/* The stats' books balance for every class. */
static void check_balance(const char *what, const struct pvx_patch_stats *st, int c)
{
	char name[200];

	snprintf(name, sizeof(name), "pvpatch: %s %s: found = patched + skipped", what,
		 rows[c].name);
	CHECK_EQ_U64(name, st->found[c], st->patched[c] + sum_skipped(st, c));
}

/* How many of r0..r31 of class @r a servable context patches. */
static unsigned int servable(const struct cls_row *r)
{
	unsigned int n = 0;
	struct pvx_tramp_area area = fresh_area();
	struct pvx_patch_ctx ctx = make_ctx(r->families, true, ALL_FEATURES, &area);
	uint32_t word;

	for (unsigned int reg = 0; reg < NREGS; reg++)
		n += expected_patch(r, insn_of(r, reg), &ctx, &word) < 0;
	return n;
}

/* Families other than the row's: none, an unknown bit, and each known
 * family the row leaves out; then each listed family on its own. */
static void test_family(void)
{
	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		unsigned int others[8], nothers = 0;
		uint32_t buf[NREGS], before[NREGS];
		struct pvx_tramp_area area = fresh_area();
		struct pvx_patch_stats st;
		char name[200];

		others[nothers++] = 0;
		others[nothers++] = 1u << 31;
		for (unsigned int f = 1; f & ALL_FAMILIES; f <<= 1)
			if (!(r->families & f))
				others[nothers++] = f;

		for (unsigned int i = 0; i < nothers; i++) {
			struct pvx_patch_ctx ctx = make_ctx(others[i], true, ALL_FEATURES, &area);

			for (unsigned int reg = 0; reg < NREGS; reg++)
				buf[reg] = insn_of(r, reg);
			memcpy(before, buf, sizeof(buf));
			memset(&st, 0, sizeof(st));
			pvx_patch_range(buf, NREGS, SITES, &ctx, &st);
			snprintf(name, sizeof(name),
				 "pvpatch: %s for family 0x%x is left unchanged, area unused",
				 r->name, others[i]);
			CHECK(name, memcmp(buf, before, sizeof(buf)) == 0 && area.used == 0);
			snprintf(name, sizeof(name),
				 "pvpatch: %s for family 0x%x is skipped for its family", r->name,
				 others[i]);
			CHECK_EQ_U64(name, st.skipped[c][PVX_SKIP_FAMILY], NREGS);
			snprintf(name, sizeof(name), "pvpatch: %s for family 0x%x: none patched",
				 r->name, others[i]);
			CHECK_EQ_U64(name, st.patched[c], 0);
		}

		for (unsigned int f = 1; f & ALL_FAMILIES; f <<= 1) {
			struct pvx_patch_ctx ctx =
				make_ctx(f, f == PVX_FAM_BOOK3S64, ALL_FEATURES, &area);

			if (!(r->families & f))
				continue;
			for (unsigned int reg = 0; reg < NREGS; reg++)
				buf[reg] = insn_of(r, reg);
			memset(&st, 0, sizeof(st));
			pvx_patch_range(buf, NREGS, SITES, &ctx, &st);
			snprintf(name, sizeof(name),
				 "pvpatch: %s r0..r31 for family %s alone: patched", r->name,
				 family_name(f));
			CHECK_EQ_U64(name, st.patched[c], servable(r));
		}

		/* Two calls into one stats block: one patches, one skips. */
		{
			struct pvx_patch_ctx own = make_ctx(r->families, true, ALL_FEATURES, &area);
			struct pvx_patch_ctx none = make_ctx(0, true, ALL_FEATURES, &area);

			memset(&st, 0, sizeof(st));
			for (unsigned int reg = 0; reg < NREGS; reg++)
				buf[reg] = insn_of(r, reg);
			pvx_patch_range(buf, NREGS, SITES, &own, &st);
			for (unsigned int reg = 0; reg < NREGS; reg++)
				buf[reg] = insn_of(r, reg);
			pvx_patch_range(buf, NREGS, SITES, &none, &st);
		}
		snprintf(name, sizeof(name), "pvpatch: stats accumulate over two calls: %s found",
			 r->name);
		CHECK_EQ_U64(name, st.found[c], 2 * NREGS);
		snprintf(name, sizeof(name),
			 "pvpatch: stats accumulate over two calls: %s skipped for family",
			 r->name);
		CHECK_EQ_U64(name, st.skipped[c][PVX_SKIP_FAMILY], NREGS);
		snprintf(name, sizeof(name), "pvpatch: stats accumulate over two calls: %s patched",
			 r->name);
		CHECK_EQ_U64(name, st.patched[c], servable(r));
		check_balance("two calls,", &st, c);
	}
}

/* A host without the feature a row needs leaves it trapping. */
static void test_feature(void)
{
	unsigned int with_feature = 0;

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];
		struct pvx_tramp_area area = fresh_area();
		struct pvx_patch_ctx ctx = make_ctx(r->families, false, 0, &area);
		struct pvx_patch_stats st;
		uint32_t buf[1], w = insn_of(r, 4);
		unsigned long without[2] = { 0, ALL_FEATURES & ~r->feature };
		char name[200];

		if (!r->feature) {
			/* Needing nothing, it patches on a host that offers
			 * nothing. */
			buf[0] = w;
			memset(&st, 0, sizeof(st));
			pvx_patch_range(buf, 1, SITES, &ctx, &st);
			snprintf(name, sizeof(name),
				 "pvpatch: %s is patched with no magic-page features", r->name);
			CHECK(name, st.patched[c] == 1 && buf[0] != w);
			continue;
		}
		with_feature++;
		for (int i = 0; i < 2; i++) {
			ctx.magic_features = without[i];
			buf[0] = w;
			memset(&st, 0, sizeof(st));
			pvx_patch_range(buf, 1, SITES, &ctx, &st);
			snprintf(name, sizeof(name),
				 "pvpatch: %s with features 0x%lx is left unchanged, area unused",
				 r->name, without[i]);
			CHECK(name, buf[0] == w && area.used == 0);
			snprintf(name, sizeof(name),
				 "pvpatch: %s with features 0x%lx is skipped for its feature",
				 r->name, without[i]);
			CHECK_EQ_U64(name, st.skipped[c][PVX_SKIP_FEATURE], 1);
			snprintf(name, sizeof(name), "features 0x%lx,", without[i]);
			check_balance(name, &st, c);
		}

		ctx.magic_features = r->feature;
		memset(&st, 0, sizeof(st));
		pvx_patch_range(buf, 1, SITES, &ctx, &st);
		snprintf(name, sizeof(name),
			 "pvpatch: %s with just its magic-page feature is patched", r->name);
		CHECK(name, st.patched[c] == 1 && buf[0] != w);
	}
	CHECK("pvpatch: some classes need a magic-page feature", with_feature > 0);
}

static void test_skip_names(void)
{
	char name[200];

	for (int k = 0; k < PVX_SKIP_COUNT; k++) {
		snprintf(name, sizeof(name), "pvpatch: skip reason %s has a name", skip_label(k));
		CHECK(name, pvx_skip_names[k] && pvx_skip_names[k][0] != '\0');
		for (int j = 0; j < k; j++) {
			snprintf(name, sizeof(name), "pvpatch: skip reasons %s and %s differ",
				 skip_label(j), skip_label(k));
			CHECK(name, !pvx_skip_names[j] || !pvx_skip_names[k] ||
					    strcmp(pvx_skip_names[j], pvx_skip_names[k]) != 0);
		}
	}
}

int main(void)
{
	test_layout();
	test_compiled_table();
	test_table();
	test_rewrite(true);
	test_rewrite(false);
	test_one_word_families();
	test_patch_range(true, false);
	test_patch_range(false, false);
	test_patch_range(true, true);
	test_patch_range(false, true);
	if (ppc_scratch_setup("pvpatch"))
		test_objdump();
	else
		unit_skip("pvpatch: rewrites disassemble as intended",
			  "cannot create a scratch directory");
	test_non_matching();
	test_range_bounds();
	for (unsigned int f = 1; f & ALL_FAMILIES; f <<= 1) {
		test_twice(f, true);
		test_twice(f, false);
	}
	test_family();
	test_feature();
	test_skip_names();
	ppc_scratch_remove();
	return unit_done();
}
