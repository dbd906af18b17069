/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny harness for host unit tests.  Each check prints one line that
 * tests/run counts ("PASS name" or "FAIL name: why"); unit_done() turns
 * the outcome into the exit status.  One test program per source file,
 * so the counters can live in this header.
 */
#ifndef PVEXIT_UNIT_H
#define PVEXIT_UNIT_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int unit_failed;
static int unit_checks;

/* Record one check: NAME is printed as given, WHY only on failure. */
static inline int unit_check(int ok, const char *file, int line, const char *name, const char *why)
{
	unit_checks++;
	if (ok) {
		printf("PASS %s\n", name);
	} else {
		unit_failed++;
		printf("FAIL %s: %s (%s:%d)\n", name, why, file, line);
	}
	fflush(stdout);
	return ok;
}

/* A check that cannot run here (a missing device, say): a SKIP with the
 * reason, which tests/run reports and never counts as a pass. */
static inline void unit_skip(const char *name, const char *why)
{
	unit_checks++;
	printf("SKIP %s: %s\n", name, why);
	fflush(stdout);
}

/* CHECK(name, expr): passes when expr is true. */
#define CHECK(name, expr) unit_check(!!(expr), __FILE__, __LINE__, (name), #expr)

/* CHECK_EQ_U64(name, got, want): shows both values on failure. */
#define CHECK_EQ_U64(name, got, want)                                                   \
	do {                                                                            \
		unsigned long long g_ = (unsigned long long)(got);                      \
		unsigned long long w_ = (unsigned long long)(want);                     \
		char why_[160];                                                         \
		snprintf(why_, sizeof(why_), "%s = 0x%llx, want 0x%llx", #got, g_, w_); \
		unit_check(g_ == w_, __FILE__, __LINE__, (name), why_);                 \
	} while (0)

/* CHECK_STR_CONTAINS(name, haystack, needle): for error messages. */
#define CHECK_STR_CONTAINS(name, hay, needle)                                                    \
	do {                                                                                     \
		const char *h_ = (hay);                                                          \
		char why_[512];                                                                  \
		snprintf(why_, sizeof(why_), "'%.380s' does not contain '%.80s'",                \
			 h_ ? h_ : "(null)", (needle));                                          \
		unit_check(h_ &&strstr(h_, (needle)) != NULL, __FILE__, __LINE__, (name), why_); \
	} while (0)

/* A test program that checked nothing is broken, not green. */
static inline int unit_done(void)
{
	if (unit_checks == 0) {
		printf("FAIL %s: no checks ran\n", __FILE__);
		return 1;
	}
	return unit_failed ? 1 : 0;
}

#endif
