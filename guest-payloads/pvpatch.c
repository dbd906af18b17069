/*
 * The PV patcher.  Every fact about a class comes from classes.def; this
 * file only knows how each kind of rewrite is encoded.
 */
#include <pvexit/pvpatch.h>

struct row {
	uint32_t match, mask;
	int kind, field, width;
	unsigned int families;
	unsigned long feature;
};

static const struct row rows[PVX_CLASS_COUNT] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature) \
	[PVX_CLASS_##id] = { match, mask, kind, field, width, families, feature },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

const char *const pvx_skip_names[PVX_SKIP_COUNT] = {
	[PVX_SKIP_FAMILY] = "not for this CPU family",
	[PVX_SKIP_FEATURE] = "host lacks the magic-page feature",
	[PVX_SKIP_UNSUPPORTED] = "rewrite kind not implemented",
};

/* D-form and DS-form opcodes, RA = 0 so the displacement is the address. */
#define OP_LWZ 0x80000000u
#define OP_STW 0x90000000u
#define OP_LD 0xe8000000u
#define OP_STD 0xf8000000u
#define OP_NOP 0x60000000u

int pvx_classify(uint32_t insn)
{
	int i;

	for (i = 0; i < PVX_CLASS_COUNT; i++)
		if ((insn & rows[i].mask) == rows[i].match)
			return i;
	return -1;
}

uint32_t pvx_rewrite(int cls, uint32_t insn, const struct pvx_patch_ctx *ctx)
{
	const struct row *r = &rows[cls];
	uint32_t reg = insn & (PVX_INSN_REG_MASK << PVX_INSN_RT_SHIFT);
	long disp = PVX_MAGIC_PAGE_EA + r->field;
	bool wide = r->width == 8 && ctx->is64;

	/* A 32-bit guest sees the low word of a 64-bit field, big-endian
	 * layout: 4 bytes further on. */
	if (r->width == 8 && !ctx->is64)
		disp += 4;
	switch (r->kind) {
	case PVX_KIND_LOAD:
		return (wide ? OP_LD : OP_LWZ) | reg |
		       ((uint32_t)disp & (wide ? 0xfffcu : 0xffffu));
	case PVX_KIND_STORE:
		return (wide ? OP_STD : OP_STW) | reg |
		       ((uint32_t)disp & (wide ? 0xfffcu : 0xffffu));
	case PVX_KIND_NOP:
		return OP_NOP;
	default:
		return 0;
	}
}

void pvx_patch_range(uint32_t *start, uint32_t *end, const struct pvx_patch_ctx *ctx,
		     struct pvx_patch_stats *st)
{
	uint32_t *p;

	for (p = start; p < end; p++) {
		int cls = pvx_classify(*p);
		uint32_t neww;

		if (cls < 0)
			continue;
		st->found[cls]++;
		if (!(rows[cls].families & ctx->family)) {
			st->skipped[cls][PVX_SKIP_FAMILY]++;
			continue;
		}
		if (rows[cls].feature && !(ctx->magic_features & rows[cls].feature)) {
			st->skipped[cls][PVX_SKIP_FEATURE]++;
			continue;
		}
		neww = pvx_rewrite(cls, *p, ctx);
		if (!neww) {
			st->skipped[cls][PVX_SKIP_UNSUPPORTED]++;
			continue;
		}
		*p = neww;
		st->patched[cls]++;
	}
}
