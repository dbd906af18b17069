/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The headline figures of a results file, per class (and case) and
 * guest, from the medians of its raw, patched and baseline rows:
 *   path     (raw - baseline) / raw emulation exits: what one exit costs,
 *            in the lab the instructions of KVM PR's exit path
 *   saved    raw - patched per op: what the PV rewrite saves
 *   tramp    patched - baseline per op: the rewrite's own cost, where the
 *            patched form makes no exit
 * In the results' time unit (ns, or emulated instructions).
 */
#ifndef PVEXIT_HEADLINE_H
#define PVEXIT_HEADLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "results.h"

struct pvx_headline {
	char label[64]; /* "mfmsr", "mtmsr/ee" */
	const char *guest;
	double raw, patched, baseline; /* medians per op */
	double raw_exits, patched_exits; /* emulation exits per op */
	double path; /* per exit; valid when have_path */
	double saved;
	double tramp; /* valid when have_tramp */
	bool have_path, have_tramp;
};

/**
 * pvx_headlines() - the figures of every class and guest of @r that has
 * all three variants, in the order of the rows.
 * Return: the count; *@out (free it) holds them.
 */
size_t pvx_headlines(const struct pvx_results *r, struct pvx_headline **out);

#endif
