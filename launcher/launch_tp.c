// SPDX-License-Identifier: GPL-2.0-only
/*
 * A run's tracepoint counts into its result: one code for a BookE host's
 * pvexit run and for pvexit-launch in the e500 lab, so that what the lab
 * tests is what a real e500v2 host runs.
 */
#include <stdio.h>

#include "launcher.h"
#include "tp_count.h"

bool launch_take_tp(const struct pvx_tpphases *tp, struct launch_result *r, char *why, size_t len)
{
	unsigned int i;

	r->have_tp = false;
	if (!tp) {
		snprintf(why, len, "not counted");
		return false;
	}
	if (pvx_tpphases_error(tp)[0]) {
		snprintf(why, len, "%s", pvx_tpphases_error(tp));
		return false;
	}
	/* Counts that missed one phase are no counts. */
	for (i = 0; i < r->nphases; i++)
		if (r->phases[i].ended &&
		    !pvx_tpphases_get(tp, i, &r->phases[i].tp_exits, &r->phases[i].tp_emul)) {
			snprintf(why, len, "phase %u was not counted", i);
			return false;
		}
	r->have_tp = true;
	return true;
}
