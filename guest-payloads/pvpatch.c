// SPDX-License-Identifier: GPL-2.0-only
/*
 * The PV patcher.  Every fact about a class comes from the class table;
 * this file knows how each kind of rewrite is encoded, and the
 * trampolines, which are ours (written from the logic of Linux's
 * kvm_emul.S as documented in pv-interface.md 4.3, not from its code).
 *
 * A trampoline keeps to r30, r31 and CR0, which it saves in the magic
 * page's scratch slots; while it works on them, "critical" holds r1, so
 * the host delivers no interrupt whose handler could run a trampoline
 * and overwrite the slots.  Storing r2 (never equal to r1 in the ABI)
 * ends the critical section.
 */
#include <pvexit/magic_page.h>
#include <pvexit/ppc_insn.h>
#include <pvexit/pvpatch.h>

const char *const pvx_skip_names[PVX_SKIP_COUNT] = {
	[PVX_SKIP_FAMILY] = "not rewritten for this CPU family",
	[PVX_SKIP_FEATURE] = "the host lacks the magic-page feature",
	[PVX_SKIP_NO_AREA] = "no trampoline area",
	[PVX_SKIP_NO_SPACE] = "trampoline area full",
	[PVX_SKIP_RANGE] = "trampoline out of branch range",
	[PVX_SKIP_OPERAND] = "operand r30/r31 not supported",
};

#define MP(field) (PVX_MAGIC_PAGE_EA + (field))
#define RT_OF(insn) (((insn) >> PVX_INSN_RT_SHIFT) & PVX_INSN_REG_MASK)
#define RB_OF(insn) (((insn) >> PVX_INSN_RB_SHIFT) & PVX_INSN_REG_MASK)
#define EE_RI (PPC_MSR_EE | PPC_MSR_RI)

int pvx_classify(uint32_t insn)
{
	int i;

	for (i = 0; i < PVX_CLASS_COUNT; i++)
		if ((insn & pvx_classes[i].mask) == pvx_classes[i].match)
			return i;
	return -1;
}

uint32_t pvx_rewrite(int cls, uint32_t insn, const struct pvx_patch_ctx *ctx)
{
	const struct pvx_class_info *c = &pvx_classes[cls];
	uint32_t reg = RT_OF(insn);
	long disp = MP(c->field);
	bool wide = c->width == 8 && ctx->is64;

	/* A 32-bit guest sees the low word of a 64-bit field: big-endian
	 * layout, 4 bytes further on. */
	if (c->width == 8 && !ctx->is64)
		disp += 4;
	switch (c->kind) {
	case PVX_KIND_LOAD:
		return wide ? PPC_LD(reg, disp, 0) : PPC_LWZ(reg, disp, 0);
	case PVX_KIND_STORE:
		return wide ? PPC_STD(reg, disp, 0) : PPC_STW(reg, disp, 0);
	case PVX_KIND_NOP:
		return PPC_NOP;
	default:
		return 0;
	}
}

/* A trampoline under construction, and where its return branches go. */
struct tramp {
	uint32_t *w;
	unsigned int n;
	bool is64;
	uint64_t at;
};

static void put(struct tramp *t, uint32_t word)
{
	t->w[t->n++] = word;
}

/* A full-width field: std/ld, or the low word at +4 on a 32-bit guest. */
static void st64(struct tramp *t, int rs, int field)
{
	put(t, t->is64 ? PPC_STD(rs, MP(field), 0) : PPC_STW(rs, MP(field) + 4, 0));
}

static void ld64(struct tramp *t, int rt, int field)
{
	put(t, t->is64 ? PPC_LD(rt, MP(field), 0) : PPC_LWZ(rt, MP(field) + 4, 0));
}

/* A saved register: a native-width word at the slot's start. */
static void st_slot(struct tramp *t, int rs, int field)
{
	put(t, t->is64 ? PPC_STD(rs, MP(field), 0) : PPC_STW(rs, MP(field), 0));
}

static void ld_slot(struct tramp *t, int rt, int field)
{
	put(t, t->is64 ? PPC_LD(rt, MP(field), 0) : PPC_LWZ(rt, MP(field), 0));
}

static void save(struct tramp *t)
{
	st64(t, 1, PVX_MP_CRITICAL);
	st_slot(t, 31, PVX_MP_SCRATCH1);
	st_slot(t, 30, PVX_MP_SCRATCH2);
	put(t, PPC_MFCR(31));
	put(t, PPC_STW(31, MP(PVX_MP_SCRATCH3), 0));
}

static void restore(struct tramp *t)
{
	ld_slot(t, 31, PVX_MP_SCRATCH1);
	put(t, PPC_LWZ(30, MP(PVX_MP_SCRATCH3), 0));
	put(t, PPC_MTCR(30));
	ld_slot(t, 30, PVX_MP_SCRATCH2);
	st64(t, 2, PVX_MP_CRITICAL);
}

/* r30 = the source register's value on entry; r30 and r31 themselves
 * were saved (and r31 reused) by save(). */
static void get_source(struct tramp *t, unsigned int rs)
{
	if (rs == 30)
		ld_slot(t, 30, PVX_MP_SCRATCH2);
	else if (rs == 31)
		ld_slot(t, 30, PVX_MP_SCRATCH1);
	else
		put(t, PPC_MR(30, rs));
}

static void branch_back(struct tramp *t, uint64_t back)
{
	put(t, PPC_B((int64_t)(back - (t->at + 4u * t->n))));
}

/* A conditional branch, fixed up once its target is known. */
static unsigned int fwd(struct tramp *t, uint32_t bc)
{
	put(t, bc);
	return t->n - 1;
}

static void land(struct tramp *t, unsigned int from)
{
	t->w[from] |= PPC_DS(4u * (t->n - from));
}

/*
 * The tail every MSR trampoline shares: if the new EE (in r30) is on and
 * the host has an interrupt pending, run the original instruction so the
 * host gets its exit and delivers it; otherwise return without an exit.
 * @to_trap lists branches that go straight to the original instruction.
 */
static void ee_tail(struct tramp *t, uint32_t insn, uint64_t back, unsigned int to_trap)
{
	unsigned int no_ee, none_pending;

	put(t, PPC_ANDI_DOT(31, 30, PPC_MSR_EE));
	no_ee = fwd(t, PPC_BEQ(0));
	put(t, PPC_LWZ(31, MP(PVX_MP_INT_PENDING), 0));
	put(t, PPC_CMPWI(31, 0));
	none_pending = fwd(t, PPC_BEQ(0));
	if (to_trap != ~0u)
		land(t, to_trap);
	restore(t);
	put(t, insn);
	branch_back(t, back);
	land(t, no_ee);
	land(t, none_pending);
	restore(t);
	branch_back(t, back);
}

unsigned int pvx_trampoline(int cls, uint32_t insn, bool is64, uint64_t at, uint64_t back,
			    uint32_t out[PVX_TRAMP_MAX_WORDS])
{
	struct tramp t = { out, 0, is64, at };
	unsigned int rs = RT_OF(insn), rb = RB_OF(insn), other;

	switch (pvx_classes[cls].kind) {
	case PVX_KIND_MTMSRD1:
		/* Only EE and RI change: merge them into the virtual MSR. */
		save(&t);
		get_source(&t, rs);
		put(&t, PPC_ANDI_DOT(30, 30, EE_RI));
		ld64(&t, 31, PVX_MP_MSR);
		put(&t, PPC_ORI(31, 31, EE_RI));
		put(&t, PPC_XORI(31, 31, EE_RI));
		put(&t, PPC_OR(31, 31, 30));
		st64(&t, 31, PVX_MP_MSR);
		ee_tail(&t, insn, back, ~0u);
		break;
	case PVX_KIND_MTMSR:
		/* Any bit but EE and RI changing needs the host: trap. */
		save(&t);
		get_source(&t, rs);
		ld64(&t, 31, PVX_MP_MSR);
		put(&t, PPC_XOR(31, 31, 30));
		put(&t, PPC_ORI(31, 31, EE_RI));
		put(&t, PPC_XORI(31, 31, EE_RI));
		put(&t, is64 ? PPC_CMPDI(31, 0) : PPC_CMPWI(31, 0));
		other = fwd(&t, PPC_BNE(0));
		st64(&t, 30, PVX_MP_MSR);
		ee_tail(&t, insn, back, other);
		break;
	case PVX_KIND_WRTEE:
	case PVX_KIND_WRTEEI1:
		save(&t);
		/* wrteei 1 is wrtee of a register whose EE bit is set. */
		if (pvx_classes[cls].kind == PVX_KIND_WRTEEI1)
			put(&t, PPC_LI(30, -0x8000));
		else
			get_source(&t, rs);
		ld64(&t, 31, PVX_MP_MSR);
		put(&t, PPC_RLWIMI(31, 30, 0, 16, 16));
		st64(&t, 31, PVX_MP_MSR);
		ee_tail(&t, insn, back, ~0u);
		break;
	case PVX_KIND_WRTEEI0:
		/* Turning EE off never needs the host. */
		save(&t);
		ld64(&t, 31, PVX_MP_MSR);
		put(&t, PPC_ORI(31, 31, PPC_MSR_EE));
		put(&t, PPC_XORI(31, 31, PPC_MSR_EE));
		st64(&t, 31, PVX_MP_MSR);
		restore(&t);
		branch_back(&t, back);
		break;
	case PVX_KIND_MTSRIN: {
		unsigned int real;

		/* The trampoline itself needs r30 and r31. */
		if (rs >= 30 || rb >= 30)
			return 0;
		/* With translation on, the host must update its shadow MMU. */
		save(&t);
		ld64(&t, 31, PVX_MP_MSR);
		put(&t, PPC_ANDI_DOT(31, 31, PPC_MSR_IR | PPC_MSR_DR));
		real = fwd(&t, PPC_BEQ(0));
		restore(&t);
		put(&t, insn);
		branch_back(&t, back);
		land(&t, real);
		/* sr[rB >> 28] = rS: r30 = (rB >> 28) * 4. */
		put(&t, PPC_RLWINM(30, rb, 6, 26, 29));
		put(&t, PPC_STW(rs, MP(PVX_MP_SR), 30));
		restore(&t);
		branch_back(&t, back);
		break;
	}
	default:
		return 0;
	}
	return t.n;
}

static bool in_reach(uint64_t from, uint64_t to)
{
	int64_t d = (int64_t)(to - from);

	return d >= PPC_B_MIN && d <= PPC_B_MAX;
}

/* Returns the reason the site stays trapping, or -1 once it is patched. */
static int patch_tramp(int cls, uint32_t *site, uint64_t site_addr, const struct pvx_patch_ctx *ctx)
{
	struct pvx_tramp_area *a = ctx->tramp;
	uint32_t code[PVX_TRAMP_MAX_WORDS];
	uint64_t at;
	unsigned int n, i;

	if (!a)
		return PVX_SKIP_NO_AREA;
	at = a->addr + 4u * a->used;
	n = pvx_trampoline(cls, *site, ctx->is64, at, site_addr + 4, code);
	if (!n)
		return PVX_SKIP_OPERAND;
	if (a->used + n > a->capacity)
		return PVX_SKIP_NO_SPACE;
	/* Both ways: to the trampoline, and back from either end of it (the
	 * farthest return branch depends on which side the area lies). */
	if (!in_reach(site_addr, at) || !in_reach(at, site_addr + 4) ||
	    !in_reach(at + 4u * (n - 1), site_addr + 4))
		return PVX_SKIP_RANGE;
	for (i = 0; i < n; i++)
		a->words[a->used + i] = code[i];
	a->used += n;
	*site = PPC_B((int64_t)(at - site_addr));
	return -1;
}

void pvx_patch_range(uint32_t *words, size_t n, uint64_t addr, const struct pvx_patch_ctx *ctx,
		     struct pvx_patch_stats *st)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int cls = pvx_classify(words[i]);
		const struct pvx_class_info *c;
		int skip;

		if (cls < 0)
			continue;
		c = &pvx_classes[cls];
		st->found[cls]++;
		if (!(c->families & ctx->family))
			skip = PVX_SKIP_FAMILY;
		else if (c->feature && !(ctx->magic_features & c->feature))
			skip = PVX_SKIP_FEATURE;
		else if (PVX_KIND_IS_TRAMPOLINE(c->kind))
			skip = patch_tramp(cls, &words[i], addr + 4 * i, ctx);
		else {
			words[i] = pvx_rewrite(cls, words[i], ctx);
			skip = -1;
		}
		if (skip < 0)
			st->patched[cls]++;
		else
			st->skipped[cls][skip]++;
	}
}
