// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "headline.h"
#include "util.h"

static bool seen(const struct pvx_headline *h, size_t n, const char *label, const char *guest)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(h[i].label, label) && !strcmp(h[i].guest, guest))
			return true;
	return false;
}

size_t pvx_headlines(const struct pvx_results *r, struct pvx_headline **out)
{
	struct pvx_headline *h = pvx_xcalloc(r->nrows ? r->nrows : 1, sizeof(*h));
	size_t i, n = 0;

	for (i = 0; i < r->nrows; i++) {
		const struct pvx_row *raw, *pv, *base;
		struct pvx_headline *x = &h[n];

		pvx_row_label(&r->rows[i], x->label, sizeof(x->label));
		if (seen(h, n, x->label, r->rows[i].guest))
			continue;
		raw = pvx_results_find(r, x->label, "raw", r->rows[i].guest);
		pv = pvx_results_find(r, x->label, "patched", r->rows[i].guest);
		base = pvx_results_find(r, x->label, "baseline", r->rows[i].guest);
		if (!raw || !pv || !base || !raw->nsamples || !pv->nsamples || !base->nsamples)
			continue;
		x->guest = r->rows[i].guest;
		x->raw = raw->time_per_op.median;
		x->patched = pv->time_per_op.median;
		x->baseline = base->time_per_op.median;
		x->raw_exits = raw->exits_per_op;
		x->patched_exits = pv->exits_per_op;
		x->saved = x->raw - x->patched;
		/* An exit's cost needs exits to divide by; the rewrite's own
		 * cost only means something where it avoided every exit. */
		x->have_path = x->raw_exits > 0;
		if (x->have_path)
			x->path = (x->raw - x->baseline) / x->raw_exits;
		x->have_tramp = x->patched_exits == 0;
		if (x->have_tramp)
			x->tramp = x->patched - x->baseline;
		n++;
	}
	*out = h;
	return n;
}
