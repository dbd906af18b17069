// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvpatch, part 2: the trampolines.  Sites are patched at a guest
 * address with the area above or below them, then each trampoline is
 * read three ways: its words as the ISA encodes branches, objdump's
 * text of it (the structure pv-interface.md 4.3 documents), and a run
 * on a small interpreter of the instructions a trampoline may use,
 * which must do what 4.3 says under every MSR, operand and int_pending
 * value tried.  Then area exhaustion and branch reach.  Expectations
 * come from the ISA and the document, never from the patcher.
 */
#include <pvexit/pvpatch.h>
#include "unit.h"
#include "ppc_disasm.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct cls_row {
	const char *name, *syntax;
	uint32_t match;
	int kind;
	unsigned int families;
	unsigned long feature;
};

static const struct cls_row rows[] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench, \
		  quiet)                                                                       \
	{ name, syntax, match, kind, families, feature },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

_Static_assert(NELEM(rows) == PVX_CLASS_COUNT, "rows out of step with ids");

/* Magic-page offsets, pv-interface.md 3.2, and its EA (3.1). */
#define OFF_SCRATCH1 0
#define OFF_SCRATCH2 8
#define OFF_SCRATCH3 16
#define OFF_CRITICAL 24
#define OFF_MSR 88
#define OFF_INT_PENDING 100
#define OFF_SR 104
#define PAGE_BYTES 240
#define EA(off) (-4096 + (off))

/* MSR bits, Power ISA Book III. */
#define MSR_EE 0x8000ull
#define MSR_PR 0x4000ull
#define MSR_ME 0x1000ull
#define MSR_IR 0x20ull
#define MSR_DR 0x10ull
#define MSR_RI 0x2ull
#define MSR_SF 0x8000000000000000ull

/* The classes whose trampoline may run the original to let the host
 * deliver a pending interrupt (4.3: all but wrteei 0 and mtsrin). */
static bool reads_int_pending(int kind)
{
	return kind != PVX_KIND_WRTEEI0 && kind != PVX_KIND_MTSRIN;
}

static bool is_bc(uint32_t w)
{
	return w >> 26 == 16;
}

/* ---- the sites ---------------------------------------------------- */

#define SITE_ADDR 0x400100ull
#define ABOVE 0x420000ull
#define BELOW 0x3e0000ull /* the area ends at 0x400000, below the sites */
#define MAX_SITES (NREGS * NREGS)
#define AREA_CAP (MAX_SITES * PVX_TRAMP_MAX_WORDS)
#define MARKER 0xdeadbeefu

static uint32_t sites[MAX_SITES], orig[MAX_SITES];
static uint32_t area_words[AREA_CAP + 64];

/* The instructions to patch for a class: every register, or for mtsrin
 * every rS,rB pair, or the exact word a few times. */
static unsigned int make_sites(const struct cls_row *r)
{
	unsigned int n = 0;

	if (r->kind == PVX_KIND_MTSRIN) {
		for (unsigned int rs = 0; rs < NREGS; rs++)
			for (unsigned int rb = 0; rb < NREGS; rb++)
				orig[n++] = r->match | rs << 21 | rb << 11;
	} else if (strstr(r->syntax, "rS")) {
		for (unsigned int rs = 0; rs < NREGS; rs++)
			orig[n++] = r->match | rs << 21;
	} else {
		while (n < 4)
			orig[n++] = r->match;
	}
	memcpy(sites, orig, n * sizeof(orig[0]));
	return n;
}

/* The mtsrin trampoline works in r30 and r31, so it cannot take them as
 * operands (pvpatch.h, PVX_SKIP_OPERAND; Linux does not check, 4.3). */
static bool refused(const struct cls_row *r, uint32_t insn)
{
	return r->kind == PVX_KIND_MTSRIN && ((insn >> 21 & 31) >= 30 || (insn >> 11 & 31) >= 30);
}

static void fill_area(size_t words)
{
	for (size_t i = 0; i < words; i++)
		area_words[i] = MARKER;
}

/* ---- objdump ------------------------------------------------------ */

/* The branch target objdump printed ("beq 0x420060"), or 0. */
static uint64_t printed_target(const char *text)
{
	const char *p = strstr(text, "0x");

	return p ? strtoull(p, NULL, 16) : 0;
}

/* ---- one check line per property, naming the first failure -------- */

enum prop {
	P_SITE,
	P_SIZE,
	P_SAVE,
	P_SLOT,
	P_END,
	P_BRANCH,
	P_ORIG,
	P_FIELDS,
	P_CLASS,
	P_DIRECT,
	P_LOGIC,
	P_CRITICAL,
	P_COUNT
};

static const char *const prop_what[P_COUNT] = {
	[P_SITE] = "sites become a b to their own trampoline (objdump agrees); refused sites "
		   "stay",
	[P_SIZE] = "are at most PVX_TRAMP_MAX_WORDS long, packed from the area start, stats "
		   "right",
	[P_SAVE] = "begin with the save sequence",
	[P_SLOT] = "load the source register into r30 before any branch",
	[P_END] = "end with the restore sequence and a b back to site+4",
	[P_BRANCH] = "branch conditionally only inside, unconditionally only to site+4",
	[P_ORIG] = "hold the original once, after a restore and before a b back",
	[P_FIELDS] = "read msr and int_pending at the right width and offset",
	[P_CLASS] = "have their class's own instructions",
	[P_DIRECT] = "are what pvx_trampoline() writes for the same addresses",
	[P_LOGIC] = "do what pv-interface.md 4.3 says, run on every MSR and operand tried",
	[P_CRITICAL] = "touch only r30, r31 and CR inside the critical section, restore them",
};

struct report {
	bool failed[P_COUNT];
	char why[P_COUNT][300];
};

static void fail(struct report *rp, enum prop p, const char *fmt, ...)
{
	va_list ap;

	if (rp->failed[p])
		return;
	rp->failed[p] = true;
	va_start(ap, fmt);
	vsnprintf(rp->why[p], sizeof(rp->why[p]), fmt, ap);
	va_end(ap);
}

/* ---- the interpreter ---------------------------------------------- */

struct cpu {
	uint64_t gpr[32];
	uint32_t cr;
	uint8_t page[PAGE_BYTES];
};

struct run {
	struct cpu c, entry;
	bool is64;
	uint32_t insn; /* the original: "executing" it is a trap to the host */
	const uint32_t *code;
	uint64_t at, back;
	unsigned int len, traps;
	char err[200], discipline[200];
};

static uint64_t get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void put_be(uint8_t *p, int n, uint64_t v)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* 3.3: the host treats the guest as critical when critical == r1,
 * compared on 32 bits in 32-bit mode. */
static bool critical(const struct run *m)
{
	if (m->is64)
		return get_be(m->c.page + OFF_CRITICAL, 8) == m->c.gpr[1];
	return get_be(m->c.page + OFF_CRITICAL + 4, 4) == (uint32_t)m->c.gpr[1];
}

static void bad(char *buf, const struct run *m, uint64_t pc, const char *what)
{
	if (!buf[0])
		snprintf(buf, 200, "word %u (0x%08x) %s", (unsigned int)((pc - m->at) / 4),
			 m->code[(pc - m->at) / 4], what);
}

/* The only registers a trampoline may change, and only while critical. */
static void set_gpr(struct run *m, uint64_t pc, unsigned int r, uint64_t v)
{
	if (r != 30 && r != 31)
		bad(m->discipline, m, pc, "writes a register other than r30/r31");
	else if (!critical(m))
		bad(m->discipline, m, pc, "writes r30/r31 outside the critical section");
	m->c.gpr[r] = m->is64 ? v : (uint32_t)v;
}

static void set_cr_field(struct run *m, uint64_t pc, unsigned int bf, int64_t a, int64_t b)
{
	unsigned int bits = a < b ? 8 : a > b ? 4 : 2; /* LT GT EQ; SO stays 0 */

	if (bf != 0)
		bad(m->discipline, m, pc, "writes a CR field other than CR0");
	else if (!critical(m))
		bad(m->discipline, m, pc, "writes CR0 outside the critical section");
	m->c.cr = (m->c.cr & ~(0xfu << (28 - 4 * bf))) | bits << (28 - 4 * bf);
}

/* Record form: CR0 from the result as the mode's signed integer. */
static void set_cr0(struct run *m, uint64_t pc, uint64_t v)
{
	set_cr_field(m, pc, 0, m->is64 ? (int64_t)v : (int32_t)v, 0);
}

/* A D/DS-form access: the magic page or nothing. */
static uint8_t *mem(struct run *m, uint64_t pc, unsigned int ra, uint64_t d, int n, bool store)
{
	uint64_t ea = (ra ? m->c.gpr[ra] : 0) + d;
	uint64_t base = m->is64 ? (uint64_t)-4096 : 0xfffff000u;
	uint64_t off;

	if (!m->is64)
		ea = (uint32_t)ea;
	off = ea - base;
	if (ea < base || off + (uint64_t)n > PAGE_BYTES) {
		bad(m->err, m, pc, "accesses memory outside the magic page's fields");
		return NULL;
	}
	if (store && off < OFF_CRITICAL && !critical(m))
		bad(m->discipline, m, pc, "stores to a scratch slot outside the critical section");
	return m->c.page + off;
}

static uint64_t rotl32(uint64_t v, unsigned int sh)
{
	uint32_t w = (uint32_t)v;

	return sh ? (uint32_t)(w << sh | w >> (32 - sh)) : w;
}

/* MB..ME in IBM numbering of the low word, MB <= ME only. */
static uint64_t mask32(unsigned int mb, unsigned int me)
{
	return (uint32_t)((0xffffffffu >> mb) & (0xffffffffu << (31 - me)));
}

/* One instruction; returns the next pc, or 0 with m->err set. */
static uint64_t step(struct run *m, uint64_t pc, uint32_t w)
{
	unsigned int rt = w >> 21 & 31, ra = w >> 16 & 31, rb = w >> 11 & 31;
	uint64_t d = (uint64_t)(int64_t)(int16_t)(w & 0xffff), ui = w & 0xffff;
	uint64_t *g = m->c.gpr;
	uint8_t *p;

	switch (w >> 26) {
	case 14: /* addi (li when RA = 0) */
		set_gpr(m, pc, rt, (ra ? g[ra] : 0) + d);
		return pc + 4;
	case 24: /* ori */
		set_gpr(m, pc, ra, g[rt] | ui);
		return pc + 4;
	case 26: /* xori */
		set_gpr(m, pc, ra, g[rt] ^ ui);
		return pc + 4;
	case 28: /* andi. */
		set_gpr(m, pc, ra, g[rt] & ui);
		set_cr0(m, pc, g[ra]);
		return pc + 4;
	case 11: /* cmpi BF,L,RA,SI */
		if ((rt & 1) && !m->is64)
			break; /* cmpdi: no such thing on a 32-bit CPU */
		set_cr_field(m, pc, rt >> 2, rt & 1 ? (int64_t)g[ra] : (int32_t)g[ra], (int64_t)d);
		return pc + 4;
	case 16: /* bc BO,BI,target: BO 12 (if set) and 4 (if clear) only */
		if ((w & 3) || (rt != 12 && rt != 4))
			break;
		if (((m->c.cr >> (31 - ra)) & 1) == (rt == 12))
			return pc + (uint64_t)branch_disp(w);
		return pc + 4;
	case 18: /* b */
		if (w & 3)
			break;
		return pc + (uint64_t)branch_disp(w);
	case 20: /* rlwimi */
	case 21: /* rlwinm */ {
		unsigned int mb = w >> 6 & 31, me = w >> 1 & 31;
		uint64_t msk = mask32(mb, me), rot = rotl32(g[rt], rb);

		if ((w & 1) || mb > me)
			break;
		set_gpr(m, pc, ra, w >> 26 == 21 ? rot & msk : (rot & msk) | (g[ra] & ~msk));
		return pc + 4;
	}
	case 32: /* lwz */
		p = mem(m, pc, ra, d, 4, false);
		if (p)
			set_gpr(m, pc, rt, get_be(p, 4));
		return p ? pc + 4 : 0;
	case 36: /* stw */
		p = mem(m, pc, ra, d, 4, true);
		if (p)
			put_be(p, 4, g[rt]);
		return p ? pc + 4 : 0;
	case 58: /* ld (DS-form, XO 0) */
	case 62: /* std */
		if ((w & 3) || !m->is64)
			break;
		p = mem(m, pc, ra, d, 8, w >> 26 == 62);
		if (p && w >> 26 == 58)
			set_gpr(m, pc, rt, get_be(p, 8));
		else if (p)
			put_be(p, 8, g[rt]);
		return p ? pc + 4 : 0;
	case 31:
		if (w & 1)
			break;
		switch (w >> 1 & 0x3ff) {
		case 444: /* or (mr) */
			set_gpr(m, pc, ra, g[rt] | g[rb]);
			return pc + 4;
		case 316: /* xor */
			set_gpr(m, pc, ra, g[rt] ^ g[rb]);
			return pc + 4;
		case 19: /* mfcr */
			if (w & 0x00100000u)
				break;
			set_gpr(m, pc, rt, m->c.cr);
			return pc + 4;
		case 144: /* mtcrf FXM,RS */
			if ((w & 0x00100000u) || (w >> 12 & 0xff) != 0xff)
				break;
			if (!critical(m))
				bad(m->discipline, m, pc, "writes CR outside the critical section");
			m->c.cr = (uint32_t)g[rt];
			return pc + 4;
		}
		break;
	}
	bad(m->err, m, pc, "is not an instruction this trampoline may use");
	return 0;
}

/* Run from the trampoline's start until it branches to m->back. */
static void run(struct run *m)
{
	uint64_t pc = m->at;

	for (unsigned int n = 0; n < 4 * PVX_TRAMP_MAX_WORDS; n++) {
		uint32_t w;

		if (pc == m->back)
			return;
		if (pc < m->at || pc >= m->at + 4ull * m->len) {
			snprintf(m->err, sizeof(m->err), "went to 0x%llx, outside",
				 (unsigned long long)pc);
			return;
		}
		w = m->code[(pc - m->at) / 4];
		if (w == m->insn) {
			/* The host gets its exit here: the guest's own
			 * registers, and not critical, or a pending
			 * interrupt could not be delivered (3.3). */
			m->traps++;
			if (memcmp(m->c.gpr, m->entry.gpr, sizeof(m->c.gpr)) ||
			    m->c.cr != m->entry.cr)
				bad(m->discipline, m, pc, "traps with r30/r31/CR not restored");
			if (critical(m))
				bad(m->discipline, m, pc, "traps inside the critical section");
			pc += 4;
			continue;
		}
		pc = step(m, pc, w);
		if (!pc)
			return;
	}
	snprintf(m->err, sizeof(m->err), "did not return within %u steps", 4 * PVX_TRAMP_MAX_WORDS);
}

/* What 4.3 says a trampoline does: whether it runs the original, and
 * the msr and sr[] it leaves.  Values are the guest's width. */
struct effect {
	bool trap;
	uint64_t msr;
	int sr; /* index written, or -1 */
	uint32_t sr_val;
};

static struct effect documented(int kind, uint64_t old, uint64_t rs, uint64_t rb, bool pending)
{
	const uint64_t safe = MSR_EE | MSR_RI;
	struct effect e = { false, old, -1, 0 };

	switch (kind) {
	case PVX_KIND_MTMSRD1:
		e.msr = (old & ~safe) | (rs & safe);
		e.trap = (rs & MSR_EE) && pending;
		break;
	case PVX_KIND_MTMSR:
		/* A bit other than EE and RI changes: the host does it all. */
		if ((old ^ rs) & ~safe) {
			e.trap = true;
			break;
		}
		e.msr = rs;
		e.trap = (rs & MSR_EE) && pending;
		break;
	case PVX_KIND_WRTEE:
		e.msr = (old & ~MSR_EE) | (rs & MSR_EE);
		e.trap = (rs & MSR_EE) && pending;
		break;
	case PVX_KIND_WRTEEI1:
		e.msr = old | MSR_EE;
		e.trap = pending;
		break;
	case PVX_KIND_WRTEEI0:
		e.msr = old & ~MSR_EE;
		break;
	case PVX_KIND_MTSRIN:
		/* Translation on: the host must update its shadow MMU. */
		if (old & (MSR_IR | MSR_DR)) {
			e.trap = true;
			break;
		}
		e.sr = (int)((uint32_t)rb >> 28);
		e.sr_val = (uint32_t)rs;
		break;
	}
	return e;
}

static const uint64_t msr_values[] = {
	0,
	MSR_EE,
	MSR_RI,
	MSR_EE | MSR_RI,
	MSR_IR | MSR_DR,
	MSR_IR,
	MSR_DR,
	MSR_EE | MSR_RI | MSR_IR | MSR_DR,
	MSR_PR | MSR_EE,
	MSR_ME | MSR_IR | MSR_DR | MSR_RI,
	MSR_SF | MSR_ME | MSR_IR | MSR_DR | MSR_RI,
	MSR_SF | MSR_EE | MSR_ME | MSR_IR | MSR_DR | MSR_RI,
	~0ull,
	~(MSR_EE | MSR_RI),
};
static const uint32_t pending_values[] = { 0, 1, 0x80000000u };

/*
 * One run of the trampoline for @insn at @at: registers and page set
 * up, run, and the outcome held against documented().  @rs_val/@rb_val
 * go into the instruction's operand registers.
 */
static void run_one(struct report *rp, const struct cls_row *r, uint32_t insn, bool is64,
		    const uint32_t *code, unsigned int len, uint64_t at, uint64_t back,
		    uint64_t old, uint64_t rs_val, uint64_t rb_val, uint32_t pending)
{
	uint64_t mask = is64 ? ~0ull : 0xffffffffull;
	unsigned int rs = insn >> 21 & 31, rb = insn >> 11 & 31;
	struct run m = {
		.is64 = is64, .insn = insn, .code = code, .at = at, .back = back, .len = len
	};
	struct effect e;
	uint8_t want[PAGE_BYTES];
	int crit = is64 ? OFF_CRITICAL : OFF_CRITICAL + 4;

	old &= mask;
	for (unsigned int i = 0; i < NREGS; i++)
		m.c.gpr[i] = (0x0101010101010101ull * (i + 1) ^ 0x1000000000000001ull) & mask;
	if (r->kind == PVX_KIND_MTSRIN)
		m.c.gpr[rb] = rb_val & mask;
	if (strstr(r->syntax, "rS"))
		m.c.gpr[rs] = rs_val & mask;
	m.c.cr = 0x9abcdef1u;
	for (unsigned int i = 0; i < PAGE_BYTES; i++)
		m.c.page[i] = (uint8_t)(i * 7 + 3);
	if (is64)
		put_be(m.c.page + OFF_MSR, 8, old);
	else
		put_be(m.c.page + OFF_MSR + 4, 4, old);
	put_be(m.c.page + OFF_INT_PENDING, 4, pending);
	m.entry = m.c;

	e = documented(r->kind, old, m.c.gpr[rs], m.c.gpr[rb], pending != 0);
	memcpy(want, m.c.page, sizeof(want));
	if (is64)
		put_be(want + OFF_MSR, 8, e.msr);
	else
		put_be(want + OFF_MSR + 4, 4, e.msr);
	if (e.sr >= 0)
		put_be(want + OFF_SR + 4 * e.sr, 4, e.sr_val);

	run(&m);
	if (m.discipline[0])
		fail(rp, P_CRITICAL, "0x%08x, msr 0x%llx: %s", insn, (unsigned long long)old,
		     m.discipline);
	if (!m.err[0] && (memcmp(m.c.gpr, m.entry.gpr, sizeof(m.c.gpr)) || m.c.cr != m.entry.cr))
		fail(rp, P_CRITICAL, "0x%08x: registers or CR differ on return", insn);
	if (!m.err[0] && get_be(m.c.page + crit, is64 ? 8 : 4) != (m.c.gpr[2] & mask))
		fail(rp, P_CRITICAL, "0x%08x: critical is not r2 on return", insn);
	if (m.err[0]) {
		fail(rp, P_LOGIC, "0x%08x, msr 0x%llx: %s", insn, (unsigned long long)old, m.err);
		return;
	}
	if (m.traps != e.trap)
		fail(rp, P_LOGIC,
		     "0x%08x, msr 0x%llx, rS 0x%llx, int_pending 0x%x: ran the original %u times, "
		     "want %u",
		     insn, (unsigned long long)old, (unsigned long long)m.c.gpr[rs], pending,
		     m.traps, e.trap);
	/* Everything but the scratch slots and critical, checked above. */
	for (unsigned int i = OFF_CRITICAL + 8; i < PAGE_BYTES; i++) {
		if (m.c.page[i] != want[i]) {
			fail(rp, P_LOGIC,
			     "0x%08x, msr 0x%llx, rS 0x%llx, int_pending 0x%x: page byte %u is "
			     "0x%02x, want 0x%02x",
			     insn, (unsigned long long)old, (unsigned long long)m.c.gpr[rs],
			     pending, i, m.c.page[i], want[i]);
			break;
		}
	}
	if (!is64 && memcmp(m.c.page + OFF_CRITICAL, want + OFF_CRITICAL, 4))
		fail(rp, P_LOGIC, "0x%08x: a 32-bit guest's critical high word changed", insn);
}

static void run_all(struct report *rp, const struct cls_row *r, uint32_t insn, bool is64,
		    const uint32_t *code, unsigned int len, uint64_t at, uint64_t back)
{
	if (r->kind == PVX_KIND_MTSRIN) {
		static const uint64_t msrs[] = { 0, MSR_IR, MSR_DR, MSR_IR | MSR_DR,
						 MSR_EE | MSR_RI };

		for (size_t i = 0; i < NELEM(msrs); i++)
			for (uint64_t seg = 0; seg < 16; seg++)
				run_one(rp, r, insn, is64, code, len, at, back, msrs[i],
					0xfedcba9812345670ull + seg,
					0x5a5a5a5a00abcdefull | seg << 28, 0);
		return;
	}
	for (size_t i = 0; i < NELEM(msr_values); i++)
		for (size_t j = 0; j < NELEM(msr_values); j++)
			for (size_t k = 0; k < NELEM(pending_values); k++)
				run_one(rp, r, insn, is64, code, len, at, back, msr_values[i],
					msr_values[j], 0, pending_values[k]);
}

/* ---- the structure, from objdump's text --------------------------- */

/* 4.3's SCRATCH_SAVE and SCRATCH_RESTORE: STL64/LL64 for critical
 * (+4 on 32-bit), PPC_STL/PPC_LL for the slots (+0 on 32-bit). */
static void save_text(bool is64, char out[5][64])
{
	snprintf(out[0], 64, "%s r1,%d(0)", is64 ? "std" : "stw",
		 EA(OFF_CRITICAL) + (is64 ? 0 : 4));
	snprintf(out[1], 64, "%s r31,%d(0)", is64 ? "std" : "stw", EA(OFF_SCRATCH1));
	snprintf(out[2], 64, "%s r30,%d(0)", is64 ? "std" : "stw", EA(OFF_SCRATCH2));
	snprintf(out[3], 64, "mfcr r31");
	snprintf(out[4], 64, "stw r31,%d(0)", EA(OFF_SCRATCH3));
}

static void restore_text(bool is64, char out[5][64])
{
	snprintf(out[0], 64, "%s r31,%d(0)", is64 ? "ld" : "lwz", EA(OFF_SCRATCH1));
	snprintf(out[1], 64, "lwz r30,%d(0)", EA(OFF_SCRATCH3));
	snprintf(out[2], 64, "mtcr r30"); /* objdump's name for mtcrf 0xff */
	snprintf(out[3], 64, "%s r30,%d(0)", is64 ? "ld" : "lwz", EA(OFF_SCRATCH2));
	snprintf(out[4], 64, "%s r2,%d(0)", is64 ? "std" : "stw",
		 EA(OFF_CRITICAL) + (is64 ? 0 : 4));
}

/* @seq (5 lines) at d[i..]: NULL, or the first line that differs. */
static const char *seq_at(const struct ppc_dis *d, unsigned int i, unsigned int len,
			  char seq[5][64])
{
	for (unsigned int k = 0; k < 5; k++)
		if (i + k >= len || strcmp(d[i + k].text, seq[k]) != 0)
			return i + k < len ? d[i + k].text : "(end)";
	return NULL;
}

static unsigned int count_text(const struct ppc_dis *d, unsigned int len, const char *text)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < len; i++)
		n += strcmp(d[i].text, text) == 0;
	return n;
}

/* Lines of mnemonic @mn whose operands end in @suffix. */
static unsigned int count_access(const struct ppc_dis *d, unsigned int len, const char *mn,
				 const char *suffix)
{
	unsigned int n = 0;
	size_t ml = strlen(mn), sl = strlen(suffix);

	for (unsigned int i = 0; i < len; i++) {
		size_t tl = strlen(d[i].text);

		n += strncmp(d[i].text, mn, ml) == 0 && d[i].text[ml] == ' ' && tl >= sl &&
		     strcmp(d[i].text + tl - sl, suffix) == 0;
	}
	return n;
}

/* The structural checks of one trampoline: @d[0..len) at d[0].addr,
 * for @insn at @site. */
static void check_structure(struct report *rp, const struct cls_row *r, uint32_t insn, bool is64,
			    const struct ppc_dis *d, unsigned int len, uint64_t site)
{
	char save[5][64], restore[5][64], want[64], back[32];
	unsigned int rs = insn >> 21 & 31, rb = insn >> 11 & 31, norig = 0, first_bc = len;
	uint64_t start = d[0].addr, end = start + 4ull * len;
	const char *diff;
	char msr[16], msr_other[16], pend[16];

	save_text(is64, save);
	restore_text(is64, restore);
	snprintf(back, sizeof(back), "b 0x%llx", (unsigned long long)(site + 4));

	diff = seq_at(d, 0, len, save);
	if (diff)
		fail(rp, P_SAVE, "0x%08x at 0x%llx: '%s'", insn, (unsigned long long)start, diff);
	diff = len >= 6 ? seq_at(d, len - 6, len, restore) : "(too short)";
	if (diff)
		fail(rp, P_END, "0x%08x at 0x%llx: the restore sequence differs at '%s'", insn,
		     (unsigned long long)start, diff);
	if (strcmp(d[len - 1].text, back) != 0)
		fail(rp, P_END, "0x%08x at 0x%llx: last word '%s', want '%s'", insn,
		     (unsigned long long)start, d[len - 1].text, back);

	for (unsigned int i = 0; i < len; i++) {
		uint64_t to = d[i].addr + (uint64_t)branch_disp(d[i].word);

		if (d[i].word == insn) {
			norig++;
			diff = i >= 5 ? seq_at(d, i - 5, len, restore) : "(too early)";
			if (diff || i + 1 >= len || strcmp(d[i + 1].text, back) != 0)
				fail(rp, P_ORIG,
				     "0x%08x: the original (word %u) is not between the restore "
				     "sequence and '%s'",
				     insn, i, back);
			continue;
		}
		if (strncmp(d[i].text, ".long", 5) == 0)
			fail(rp, P_CLASS, "0x%08x: word %u 0x%08x is no instruction", insn, i,
			     d[i].word);
		if (is_bc(d[i].word)) {
			if (first_bc == len)
				first_bc = i;
			if (to < start || to >= end || printed_target(d[i].text) != to)
				fail(rp, P_BRANCH, "0x%08x: word %u '%s' goes to 0x%llx", insn, i,
				     d[i].text, (unsigned long long)to);
		} else if (d[i].word >> 26 == 18) {
			if (!is_b(d[i].word) || to != site + 4 || strcmp(d[i].text, back) != 0)
				fail(rp, P_BRANCH, "0x%08x: word %u '%s', want '%s'", insn, i,
				     d[i].text, back);
		} else if (d[i].word >> 26 == 19 &&
			   ((d[i].word >> 1 & 0x3ff) == 16 || (d[i].word >> 1 & 0x3ff) == 528)) {
			fail(rp, P_BRANCH, "0x%08x: word %u '%s' branches by register", insn, i,
			     d[i].text);
		}
		/* A 32-bit CPU has no ld, std or cmpdi. */
		if (!is64 &&
		    (strncmp(d[i].text, "ld ", 3) == 0 || strncmp(d[i].text, "std ", 4) == 0 ||
		     strncmp(d[i].text, "cmpdi ", 6) == 0))
			fail(rp, P_FIELDS, "0x%08x: 32-bit trampoline has '%s'", insn, d[i].text);
	}
	if (norig != (r->kind == PVX_KIND_WRTEEI0 ? 0u : 1u))
		fail(rp, P_ORIG, "0x%08x: the original appears %u times", insn, norig);

	/* The source: mr r30,rS, or r30/r31 from the slots they were saved
	 * to, before the first decision is taken. */
	want[0] = '\0';
	if (r->kind == PVX_KIND_WRTEEI1)
		snprintf(want, sizeof(want), "li r30,-32768"); /* 0x3bc08000, EE */
	else if (strstr(r->syntax, "rS") && r->kind != PVX_KIND_MTSRIN && rs < 30)
		snprintf(want, sizeof(want), "mr r30,r%u", rs);
	else if (strstr(r->syntax, "rS") && r->kind != PVX_KIND_MTSRIN)
		snprintf(want, sizeof(want), "%s r30,%d(0)", is64 ? "ld" : "lwz",
			 EA(rs == 30 ? OFF_SCRATCH2 : OFF_SCRATCH1));
	if (want[0]) {
		bool seen = false;

		for (unsigned int i = 5; i < first_bc && !seen; i++)
			seen = strcmp(d[i].text, want) == 0;
		if (!seen)
			fail(rp, P_SLOT, "0x%08x: no '%s' before the first branch", insn, want);
	}

	snprintf(msr, sizeof(msr), ",%d(0)", EA(OFF_MSR) + (is64 ? 0 : 4));
	snprintf(msr_other, sizeof(msr_other), ",%d(0)", EA(OFF_MSR) + (is64 ? 4 : 0));
	snprintf(pend, sizeof(pend), ",%d(0)", EA(OFF_INT_PENDING));
	if (!count_access(d, len, is64 ? "ld" : "lwz", msr) ||
	    count_access(d, len, "lwz", msr_other) + count_access(d, len, "ld", msr_other) +
		    count_access(d, len, "stw", msr_other) + count_access(d, len, "std", msr_other))
		fail(rp, P_FIELDS, "0x%08x: no %s of msr at '%s', or an access at '%s'", insn,
		     is64 ? "ld" : "lwz", msr, msr_other);
	if ((count_access(d, len, "lwz", pend) > 0) != reads_int_pending(r->kind))
		fail(rp, P_FIELDS, "0x%08x: int_pending is %sread with lwz", insn,
		     reads_int_pending(r->kind) ? "not " : "");

	switch (r->kind) {
	case PVX_KIND_MTMSR: {
		/* The changed-bits test is on the whole register. */
		unsigned int dw = count_access(d, len, "cmpdi", ",0");
		unsigned int ww = count_access(d, len, "cmpwi", ",0");

		if (dw != (is64 ? 1u : 0u) || dw + ww != 2)
			fail(rp, P_CLASS, "0x%08x: %u cmpdi and %u cmpwi, want %s", insn, dw, ww,
			     is64 ? "1 and 1" : "0 and 2");
		break;
	}
	case PVX_KIND_WRTEEI1:
		if (!count_text(d, len, "li r30,-32768"))
			fail(rp, P_CLASS, "no 'li r30,-32768'");
		break;
	case PVX_KIND_MTSRIN:
		snprintf(want, sizeof(want), "rlwinm r30,r%u,6,26,29", rb);
		if (!count_text(d, len, want))
			fail(rp, P_CLASS, "0x%08x: no '%s'", insn, want);
		snprintf(want, sizeof(want), "stw r%u,%d(r30)", rs, EA(OFF_SR));
		if (!count_text(d, len, want))
			fail(rp, P_CLASS, "0x%08x: no '%s'", insn, want);
		break;
	}
}

/* ---- a class's sites, patched and read back ----------------------- */

static struct ppc_dis dis_area[AREA_CAP], dis_sites[MAX_SITES];

static void test_class(int c, bool is64, bool above, bool objdump)
{
	const struct cls_row *r = &rows[c];
	struct pvx_tramp_area a = { area_words, above ? ABOVE : BELOW, AREA_CAP, 0 };
	struct pvx_patch_ctx ctx = { r->families, is64, ALL_FEATURES, &a };
	struct pvx_patch_stats st;
	struct report rp;
	unsigned int n = make_sites(r), nref = 0;
	uint64_t next = a.addr;
	char name[300], why[300];
	bool dis_ok = false;

	memset(&rp, 0, sizeof(rp));
	memset(&st, 0, sizeof(st));
	fill_area(NELEM(area_words));
	pvx_patch_range(sites, n, SITE_ADDR, &ctx, &st);

	if (objdump) {
		dis_ok = ppc_objdump(sites, n, SITE_ADDR, false, dis_sites, why, sizeof(why)) &&
			 ppc_objdump(area_words, a.used, a.addr, false, dis_area, why, sizeof(why));
		if (!dis_ok)
			fail(&rp, P_SITE, "%s", why);
	}
	for (size_t i = a.used; i < NELEM(area_words); i++)
		if (area_words[i] != MARKER) {
			fail(&rp, P_SIZE, "word %zu past used (%zu) was written", i, a.used);
			break;
		}

	for (unsigned int i = 0; i < n; i++) {
		uint64_t site = SITE_ADDR + 4ull * i, to, t_end;
		uint32_t direct[PVX_TRAMP_MAX_WORDS];
		unsigned int len, off, dn;

		if (refused(r, orig[i])) {
			nref++;
			if (sites[i] != orig[i])
				fail(&rp, P_SITE, "refused 0x%08x became 0x%08x", orig[i],
				     sites[i]);
			continue;
		}
		to = site + (uint64_t)branch_disp(sites[i]);
		if (!is_b(sites[i]) || to != next) {
			/* The rest cannot be found without it. */
			fail(&rp, P_SITE, "0x%08x became 0x%08x, want b 0x%llx", orig[i], sites[i],
			     (unsigned long long)next);
			break;
		}
		if (dis_ok && printed_target(dis_sites[i].text) != to)
			fail(&rp, P_SITE, "objdump reads the site as '%s'", dis_sites[i].text);
		/* It ends where the next one begins, or at used. */
		off = (unsigned int)((to - a.addr) / 4);
		t_end = a.addr + 4ull * a.used;
		for (unsigned int j = i + 1; j < n; j++)
			if (!refused(r, orig[j])) {
				t_end = SITE_ADDR + 4ull * j + (uint64_t)branch_disp(sites[j]);
				break;
			}
		len = t_end > to ? (unsigned int)((t_end - to) / 4) : 0;
		next = t_end;
		if (len == 0 || len > PVX_TRAMP_MAX_WORDS) {
			fail(&rp, P_SIZE, "0x%08x: %u words", orig[i], len);
			continue;
		}
		dn = pvx_trampoline(c, orig[i], is64, to, site + 4, direct);
		if (dn != len || memcmp(direct, area_words + off, len * sizeof(direct[0])))
			fail(&rp, P_DIRECT, "0x%08x: %u words, in the area %u", orig[i], dn, len);
		if (dis_ok)
			check_structure(&rp, r, orig[i], is64, dis_area + off, len, site);
		run_all(&rp, r, orig[i], is64, area_words + off, len, to, site + 4);
	}
	if (st.found[c] != n || st.patched[c] != n - nref ||
	    st.skipped[c][PVX_SKIP_OPERAND] != nref || st.patched[c] + nref != st.found[c])
		fail(&rp, P_SIZE, "found %u patched %u operand-skipped %u, want %u %u %u",
		     st.found[c], st.patched[c], st.skipped[c][PVX_SKIP_OPERAND], n, n - nref,
		     nref);

	for (int p = 0; p < P_COUNT; p++) {
		snprintf(name, sizeof(name), "pvpatch: %s trampolines (%s, area %s the sites) %s",
			 r->name, is64 ? "64-bit" : "32-bit", above ? "above" : "below",
			 prop_what[p]);
		if (!objdump && p >= P_SAVE && p <= P_CLASS)
			unit_skip(name, OBJDUMP " is not installed");
		else
			unit_check(!rp.failed[p], __FILE__, __LINE__, name, rp.why[p]);
	}
}

/* pvx_trampoline() on its own: nothing for what it cannot serve. */
static void test_trampoline_refusals(void)
{
	uint32_t out[PVX_TRAMP_MAX_WORDS];
	char name[200];

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		const struct cls_row *r = &rows[c];

		if (is_trampoline(r->kind) && r->kind != PVX_KIND_MTSRIN)
			continue;
		if (!is_trampoline(r->kind)) {
			snprintf(name, sizeof(name),
				 "pvpatch: pvx_trampoline() of %s, a one-word class, is 0 words",
				 r->name);
			CHECK_EQ_U64(name,
				     pvx_trampoline(c, r->match | 5u << 21, true, ABOVE,
						    SITE_ADDR + 4, out),
				     0);
			continue;
		}
		for (unsigned int k = 0; k < 4; k++) {
			unsigned int rs = k & 1 ? 30 + (k >> 1) : 3, rb = k & 1 ? 4 : 30 + (k >> 1);

			snprintf(name, sizeof(name),
				 "pvpatch: pvx_trampoline() of mtsrin r%u,r%u is 0 words", rs, rb);
			CHECK_EQ_U64(name,
				     pvx_trampoline(c, r->match | rs << 21 | rb << 11, false, ABOVE,
						    SITE_ADDR + 4, out),
				     0);
		}
	}
}

/* A site of class @r for the checks below: rS = r5, rB = r6. */
static uint32_t sample(const struct cls_row *r)
{
	return r->match | (strstr(r->syntax, "rS") ? 5u << 21 : 0) |
	       (r->kind == PVX_KIND_MTSRIN ? 6u << 11 : 0);
}

/* A trampoline's length, from a patch that has room: the structure
 * checks above hold it to the documented shape. */
static unsigned int tramp_len(int c, bool is64)
{
	struct pvx_tramp_area a = { area_words, ABOVE, AREA_CAP, 0 };
	struct pvx_patch_ctx ctx = { rows[c].families, is64, ALL_FEATURES, &a };
	struct pvx_patch_stats st;
	uint32_t w = sample(&rows[c]);

	memset(&st, 0, sizeof(st));
	pvx_patch_range(&w, 1, SITE_ADDR, &ctx, &st);
	return (unsigned int)a.used;
}

/*
 * Room for exactly K trampolines (and, the second time, K and all but
 * one word of another) and K + 3 sites: K patched, 3 left trapping as
 * NO_SPACE, nothing written past used, and a second pass changes
 * nothing.
 */
#define K 3u

static void test_exhaustion(int c, bool is64, unsigned int slack)
{
	const struct cls_row *r = &rows[c];
	unsigned int len = tramp_len(c, is64);
	struct pvx_tramp_area a = { area_words, ABOVE, K * len + slack, 0 };
	struct pvx_patch_ctx ctx = { r->families, is64, ALL_FEATURES, &a };
	struct pvx_patch_stats st;
	uint32_t site[K + 3], w = sample(r), before[K + 3];
	bool sites_ok = true;
	size_t dirty = 0;
	char name[300], what[120], why[120];

	snprintf(what, sizeof(what), "%s, %s, room for %u trampolines + %u words", r->name,
		 is64 ? "64-bit" : "32-bit", K, slack);
	fill_area(NELEM(area_words));
	for (unsigned int i = 0; i < K + 3; i++)
		site[i] = w;
	memset(&st, 0, sizeof(st));
	pvx_patch_range(site, K + 3, SITE_ADDR, &ctx, &st);
	for (unsigned int i = 0; i < K + 3; i++) {
		uint64_t to = SITE_ADDR + 4ull * i + (uint64_t)branch_disp(site[i]);

		if (i < K ? !is_b(site[i]) || to != ABOVE + 4ull * len * i : site[i] != w)
			sites_ok = false;
	}
	for (size_t i = a.used; i < NELEM(area_words) && !dirty; i++)
		if (area_words[i] != MARKER)
			dirty = i;
	snprintf(name, sizeof(name),
		 "pvpatch: full area (%s): the first %u sites branch, the rest stay", what, K);
	CHECK(name, len > 0 && sites_ok);
	snprintf(name, sizeof(name), "pvpatch: full area (%s): %u patched, 3 skipped no-space",
		 what, K);
	CHECK(name,
	      st.patched[c] == K && st.skipped[c][PVX_SKIP_NO_SPACE] == 3 && st.found[c] == K + 3);
	snprintf(name, sizeof(name), "pvpatch: full area (%s): used is %u x the length", what, K);
	CHECK_EQ_U64(name, a.used, K * len);
	snprintf(name, sizeof(name), "pvpatch: full area (%s): nothing written past used", what);
	snprintf(why, sizeof(why), "word %zu (used %zu) is 0x%08x", dirty, a.used,
		 area_words[dirty]);
	unit_check(!dirty, __FILE__, __LINE__, name, why);

	memcpy(before, site, sizeof(site));
	memset(&st, 0, sizeof(st));
	pvx_patch_range(site, K + 3, SITE_ADDR, &ctx, &st);
	snprintf(name, sizeof(name),
		 "pvpatch: full area (%s): a second pass skips the 3 again, changes nothing", what);
	CHECK(name, !memcmp(before, site, sizeof(site)) && a.used == K * len &&
			    st.skipped[c][PVX_SKIP_NO_SPACE] == 3 && st.patched[c] == 0);
}

/*
 * Reach: an I-form b spans -0x2000000..0x1fffffc bytes.  The site's b
 * goes to the area; the trampoline's b's come back to site+4 from as
 * far as its last word (area above) or, as the patcher promises to
 * check both ends, its first (area below).  So with the trampoline of
 * length L at site + D:
 *   above: D <= 0x2000008 - 4L (last word back: -0x2000000)
 *   below: D >= -0x1fffff8 (first word back: 0x1fffffc),
 * though the site's own b reaches down to -0x2000000.
 */
#define SITE_FAR 0x10000000ull
#define MIB (1ll << 20)

static void test_range(int c, bool is64)
{
	const struct cls_row *r = &rows[c];
	int64_t len = tramp_len(c, is64);
	const struct {
		int64_t d;
		bool ok;
		const char *why;
	} cases[] = {
		{ 64 * MIB, false, "64 MiB above" },
		{ -64 * MIB, false, "64 MiB below" },
		{ 0x2000008 - 4 * len, true, "above, last back-branch at -32 MiB" },
		{ 0x2000008 - 4 * len + 4, false, "4 bytes further" },
		{ 0x1fffffc, false, "at the b's reach, the way back too far" },
		{ -0x1fffff8, true, "below, first word's back-branch at 32 MiB - 4" },
		{ -0x1fffffc, false, "4 bytes lower: the b reaches, the way back does not" },
		{ -0x2000000, false, "the b's lowest reach" },
		{ -0x2000004, false, "beyond the b's reach" },
	};
	char name[300];

	for (size_t i = 0; i < NELEM(cases); i++) {
		uint64_t at = SITE_FAR + (uint64_t)cases[i].d;
		struct pvx_tramp_area a = { area_words, at, PVX_TRAMP_MAX_WORDS, 0 };
		struct pvx_patch_ctx ctx = { r->families, is64, ALL_FEATURES, &a };
		struct pvx_patch_stats st;
		uint32_t w = sample(r), site = w;
		bool ok, clean = true;
		char why[200];

		fill_area(PVX_TRAMP_MAX_WORDS);
		memset(&st, 0, sizeof(st));
		pvx_patch_range(&site, 1, SITE_FAR, &ctx, &st);
		if (cases[i].ok) {
			uint32_t last = area_words[a.used ? a.used - 1 : 0];

			ok = len > 0 && st.patched[c] == 1 && is_b(site) &&
			     branch_disp(site) == cases[i].d && a.used == (size_t)len &&
			     is_b(last) &&
			     at + 4 * (a.used - 1) + (uint64_t)branch_disp(last) == SITE_FAR + 4;
		} else {
			for (unsigned int k = 0; k < PVX_TRAMP_MAX_WORDS; k++)
				clean = clean && area_words[k] == MARKER;
			ok = st.skipped[c][PVX_SKIP_RANGE] == 1 && site == w && a.used == 0 &&
			     clean;
		}
		snprintf(name, sizeof(name), "pvpatch: %s (%s), area at site %s0x%llx (%s): %s",
			 r->name, is64 ? "64-bit" : "32-bit", cases[i].d < 0 ? "-" : "+",
			 (unsigned long long)(cases[i].d < 0 ? -cases[i].d : cases[i].d),
			 cases[i].why,
			 cases[i].ok ? "patched, both b's exact" :
				       "skipped for range, site and area untouched");
		snprintf(why, sizeof(why),
			 "patched %u, skipped for range %u, site 0x%08x, used %zu of length %lld",
			 st.patched[c], st.skipped[c][PVX_SKIP_RANGE], site, a.used,
			 (long long)len);
		unit_check(ok, __FILE__, __LINE__, name, why);
	}
}

int main(void)
{
	bool objdump = ppc_have_tool(OBJDUMP);

	if (objdump && !ppc_scratch_setup("tramp")) {
		unit_skip("pvpatch: trampolines disassemble", "cannot create a scratch directory");
		objdump = false;
	}

	for (int c = 0; c < PVX_CLASS_COUNT; c++) {
		if (!is_trampoline(rows[c].kind))
			continue;
		for (int is64 = 1; is64 >= 0; is64--) {
			test_class(c, is64, true, objdump);
			test_class(c, is64, false, objdump);
			test_exhaustion(c, is64, 0);
			test_exhaustion(c, is64, tramp_len(c, is64) - 1);
			test_range(c, is64);
		}
	}
	test_trampoline_refusals();
	ppc_scratch_remove();
	return unit_done();
}
