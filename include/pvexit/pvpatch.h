/*
 * The PV patcher: rewrites privileged instructions in a range of guest
 * code into magic-page accesses, per the class table (classes.def), the
 * way a Linux guest rewrites its kernel text at boot.  Freestanding:
 * compiled into the guest runtime and into host unit tests.
 */
#ifndef PVEXIT_PVPATCH_H
#define PVEXIT_PVPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "classes.h"

/* Why a site was left trapping. */
enum pvx_skip {
	PVX_SKIP_FAMILY, /* the rewrite does not apply to this CPU family */
	PVX_SKIP_FEATURE, /* the host did not report the feature it needs */
	PVX_SKIP_UNSUPPORTED, /* the patcher cannot rewrite this kind yet */
	PVX_SKIP_COUNT
};

struct pvx_patch_ctx {
	unsigned int family; /* PVX_FAM_* of the guest */
	bool is64; /* 64-bit guest: ld/std; otherwise lwz/stw of the low word */
	unsigned long magic_features; /* r4 of KVM_HC_PPC_MAP_MAGIC_PAGE */
};

struct pvx_patch_stats {
	unsigned int found[PVX_CLASS_COUNT];
	unsigned int patched[PVX_CLASS_COUNT];
	unsigned int skipped[PVX_CLASS_COUNT][PVX_SKIP_COUNT];
};

/* The class of @insn, or -1 if no row of the table matches. */
int pvx_classify(uint32_t insn);

/* The word that replaces @insn of class @cls, or 0 if this kind is not a
 * one-word rewrite. */
uint32_t pvx_rewrite(int cls, uint32_t insn, const struct pvx_patch_ctx *ctx);

/**
 * pvx_patch_range() - rewrite every matching word in [@start, @end).
 *
 * Words are in the CPU's own order.  @st is added to, not cleared, so a
 * report can span several ranges.  The caller flushes the instruction
 * cache afterwards.  Patching a patched range changes nothing.
 */
void pvx_patch_range(uint32_t *start, uint32_t *end, const struct pvx_patch_ctx *ctx,
		     struct pvx_patch_stats *st);

extern const char *const pvx_skip_names[PVX_SKIP_COUNT];

#endif
