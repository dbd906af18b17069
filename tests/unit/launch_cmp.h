/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Two launch results compared field by field, for the unit test and the
 * fuzz target of launcher/launch_io.c.  Only what the text holds is
 * compared: the arrays up to their counts, the strings up to their NUL,
 * so that what a struct holds past them cannot make two runs differ.
 */
#ifndef PVEXIT_LAUNCH_CMP_H
#define PVEXIT_LAUNCH_CMP_H

#include <stdio.h>
#include <string.h>

#include "launcher.h"

#define LAUNCH_CMP_NUM(field)                                                 \
	do {                                                                  \
		if (a->field != b->field) {                                   \
			snprintf(why, len, "%s (i %u, k %zu)", #field, i, k); \
			return false;                                         \
		}                                                             \
	} while (0)

#define LAUNCH_CMP_STR(field)                                                 \
	do {                                                                  \
		if (strcmp(a->field, b->field)) {                             \
			snprintf(why, len, "%s (i %u, k %zu)", #field, i, k); \
			return false;                                         \
		}                                                             \
	} while (0)

/* True if @a and @b hold the same run, else false with the first field
 * that differs in @why, with the indexes i and k it was found at. */
static inline bool launch_cmp(const struct launch_result *a, const struct launch_result *b,
			      char *why, size_t len)
{
	unsigned int i = 0;
	size_t k = 0;

	LAUNCH_CMP_NUM(family);
	LAUNCH_CMP_NUM(big_endian);
	LAUNCH_CMP_NUM(bits);
	LAUNCH_CMP_NUM(tb_hz);
	LAUNCH_CMP_NUM(tb_assumed);
	LAUNCH_CMP_NUM(pvr);
	LAUNCH_CMP_NUM(done);
	LAUNCH_CMP_NUM(failures);
	LAUNCH_CMP_NUM(records);
	LAUNCH_CMP_NUM(have_tp);
	LAUNCH_CMP_NUM(setup_ns);
	LAUNCH_CMP_NUM(first_record_ns);
	LAUNCH_CMP_STR(host_release);
	LAUNCH_CMP_STR(host_machine);
	LAUNCH_CMP_STR(host_cpu);
	LAUNCH_CMP_STR(host_revision);
	LAUNCH_CMP_STR(error);
	LAUNCH_CMP_NUM(nstats);
	for (k = 0; k < a->nstats; k++) {
		LAUNCH_CMP_STR(stat_names[k]);
		LAUNCH_CMP_NUM(stat_cumulative[k]);
	}
	if (!a->marker != !b->marker) {
		snprintf(why, len, "marker (present in one only)");
		return false;
	}
	if (a->marker) {
		LAUNCH_CMP_NUM(nmarker);
		for (k = 0; k < a->nstats; k++)
			LAUNCH_CMP_NUM(marker[k]);
	}
	LAUNCH_CMP_NUM(nfacts);
	for (i = 0; i < a->nfacts; i++) {
		LAUNCH_CMP_STR(facts[i].key);
		LAUNCH_CMP_NUM(facts[i].value);
		LAUNCH_CMP_NUM(facts[i].format);
	}
	LAUNCH_CMP_NUM(nchecks);
	for (i = 0; i < a->nchecks; i++) {
		LAUNCH_CMP_NUM(checks[i].cls);
		LAUNCH_CMP_NUM(checks[i].cs);
		LAUNCH_CMP_NUM(checks[i].pass);
		LAUNCH_CMP_NUM(checks[i].seen);
		LAUNCH_CMP_NUM(checks[i].want);
		LAUNCH_CMP_STR(checks[i].what);
	}
	LAUNCH_CMP_NUM(nphases);
	for (i = 0; i < a->nphases; i++) {
		LAUNCH_CMP_NUM(phases[i].cls);
		LAUNCH_CMP_NUM(phases[i].variant);
		LAUNCH_CMP_NUM(phases[i].cs);
		LAUNCH_CMP_NUM(phases[i].ended);
		LAUNCH_CMP_NUM(phases[i].have_result);
		LAUNCH_CMP_NUM(phases[i].iterations);
		LAUNCH_CMP_NUM(phases[i].ticks);
		LAUNCH_CMP_NUM(phases[i].value);
		LAUNCH_CMP_NUM(phases[i].interrupts);
		LAUNCH_CMP_NUM(phases[i].host_ns);
		LAUNCH_CMP_NUM(phases[i].segment);
		LAUNCH_CMP_NUM(phases[i].tp_exits);
		LAUNCH_CMP_NUM(phases[i].tp_emul);
		for (k = 0; k < a->nstats; k++)
			LAUNCH_CMP_NUM(phases[i].delta[k]);
	}
	return true;
}

#endif
