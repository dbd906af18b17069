/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The PV patcher: rewrites privileged instructions in a range of guest
 * code per the class table (classes.def), the way a Linux guest rewrites
 * its kernel text at boot: one-word loads, stores and nops in place, and
 * branches to trampolines for the MSR classes and mtsrin.  Freestanding:
 * compiled into the guest runtime and into host unit tests.
 */
#ifndef PVEXIT_PVPATCH_H
#define PVEXIT_PVPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "classes.h"

/* Why a site was left trapping. */
enum pvx_skip {
	PVX_SKIP_FAMILY, /* the rewrite does not apply to this CPU family */
	PVX_SKIP_FEATURE, /* the host did not report the feature it needs */
	PVX_SKIP_NO_AREA, /* a trampoline class, but no trampoline area */
	PVX_SKIP_NO_SPACE, /* the trampoline area is full */
	PVX_SKIP_RANGE, /* site and trampoline are beyond a branch's reach */
	PVX_SKIP_OPERAND, /* mtsrin with r30 or r31: the trampoline needs them */
	PVX_SKIP_COUNT
};

/* Where trampolines go: the patcher hands out words from the front. */
struct pvx_tramp_area {
	uint32_t *words; /* host view of the area */
	uint64_t addr; /* guest address of words[0] */
	size_t capacity; /* words */
	size_t used; /* words handed out so far */
};

struct pvx_patch_ctx {
	unsigned int family; /* PVX_FAM_* of the guest */
	bool is64; /* 64-bit guest: ld/std; otherwise lwz/stw of the low word */
	unsigned long magic_features; /* r4 of KVM_HC_PPC_MAP_MAGIC_PAGE */
	struct pvx_tramp_area *tramp; /* NULL: trampoline classes stay trapping */
};

struct pvx_patch_stats {
	unsigned int found[PVX_CLASS_COUNT];
	unsigned int patched[PVX_CLASS_COUNT];
	unsigned int skipped[PVX_CLASS_COUNT][PVX_SKIP_COUNT];
};

/* The longest trampoline, in words. */
#define PVX_TRAMP_MAX_WORDS 32

/* The class of @insn, or -1 if no row of the table matches. */
int pvx_classify(uint32_t insn);

/* The word that replaces @insn of class @cls for a one-word rewrite
 * (load, store, nop), or 0 for a trampoline class. */
uint32_t pvx_rewrite(int cls, uint32_t insn, const struct pvx_patch_ctx *ctx);

/**
 * pvx_trampoline() - write the trampoline for @insn of class @cls into
 * @out as it would run at guest address @at, returning to @back.
 *
 * Return: its length in words, or 0 if @cls is not a trampoline class or
 * its operands cannot be served (mtsrin with r30 or r31).  The branch
 * back is encoded from @at and @back without a range check.
 */
unsigned int pvx_trampoline(int cls, uint32_t insn, bool is64, uint64_t at, uint64_t back,
			    uint32_t out[PVX_TRAMP_MAX_WORDS]);

/**
 * pvx_patch_range() - rewrite every matching word in @words[0..@n).
 * @addr: the guest address of @words[0] (branches are relative)
 *
 * Words are in the CPU's own order.  A trampoline is written whole or
 * not at all: a full area or a branch out of reach (either way) leaves
 * the site trapping, counted under its reason.  @st is added to, not
 * cleared, so a report can span several ranges.  The caller flushes the
 * instruction cache for the range and the area.  Patching a patched
 * range changes nothing.
 */
void pvx_patch_range(uint32_t *words, size_t n, uint64_t addr, const struct pvx_patch_ctx *ctx,
		     struct pvx_patch_stats *st);

extern const char *const pvx_skip_names[PVX_SKIP_COUNT];

#endif
