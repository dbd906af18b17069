// SPDX-License-Identifier: GPL-2.0-only
/*
 * The headline figures from a results model made here: exit path
 * length, what the rewrite saves, the trampoline's own cost, and the
 * figures that do not exist (no exits to divide by, a patched form that
 * still exits, a class missing a variant).
 */
#include <math.h>
#include <stdlib.h>

#include "headline.h"
#include "util.h"
#include "unit.h"

static void row(struct pvx_results *r, const char *cls, const char *cs, const char *variant,
		const char *guest, double per_op, double exits)
{
	struct pvx_row *w = pvx_results_add_row(r);

	w->cls = pvx_xstrdup(cls);
	w->cs = pvx_xstrdup(cs);
	w->variant = pvx_xstrdup(variant);
	w->guest = pvx_xstrdup(guest);
	w->verdict = pvx_xstrdup("ok");
	w->iterations = 100;
	w->time_samples = pvx_xcalloc(1, sizeof(double));
	w->time_samples[0] = per_op;
	w->nsamples = 1;
	w->time_per_op.median = per_op;
	w->exits_per_op = exits;
}

static bool near(double a, double b)
{
	return fabs(a - b) < 1e-9;
}

int main(void)
{
	struct pvx_results r = { 0 };
	struct pvx_headline *h;
	size_t n;

	row(&r, "mfmsr", "", "raw", "le", 1283.0, 1.0);
	row(&r, "mfmsr", "", "patched", "le", 1.031, 0.0);
	row(&r, "mfmsr", "", "baseline", "le", 1.034, 0.0);
	row(&r, "mtmsr", "ee-pending", "raw", "le", 3113.0, 2.0);
	row(&r, "mtmsr", "ee-pending", "patched", "le", 3100.0, 2.0);
	row(&r, "mtmsr", "ee-pending", "baseline", "le", 1.0, 0.0);
	row(&r, "mfmsr", "", "raw", "be", 1290.0, 1.0); /* no patched, no baseline */
	row(&r, "nopclass", "", "raw", "le", 5.0, 0.0);
	row(&r, "nopclass", "", "patched", "le", 5.0, 0.0);
	row(&r, "nopclass", "", "baseline", "le", 1.0, 0.0);

	n = pvx_headlines(&r, &h);
	CHECK_EQ_U64("headline: one entry per class, case and guest with all variants", n, 3);
	if (n == 3) {
		CHECK("headline: mfmsr le",
		      !strcmp(h[0].label, "mfmsr") && !strcmp(h[0].guest, "le"));
		CHECK("headline: exit path = (raw - baseline) / exits",
		      h[0].have_path && near(h[0].path, 1283.0 - 1.034));
		CHECK("headline: saved = raw - patched", near(h[0].saved, 1283.0 - 1.031));
		CHECK("headline: trampoline cost = patched - baseline",
		      h[0].have_tramp && near(h[0].tramp, 1.031 - 1.034));
		CHECK("headline: the case is in the label",
		      !strcmp(h[1].label, "mtmsr/ee-pending"));
		CHECK("headline: two exits per op share the path",
		      near(h[1].path, (3113.0 - 1.0) / 2.0));
		CHECK("headline: no trampoline cost when the patched form exits", !h[1].have_tramp);
		CHECK("headline: no path length without exits", !h[2].have_path);
	}
	free(h);
	pvx_results_free(&r);
	return unit_done();
}
