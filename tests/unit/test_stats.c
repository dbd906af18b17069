// SPDX-License-Identifier: GPL-2.0-only
/*
 * bench/stats.c on inputs whose answers were worked out by hand: medians
 * and order-statistic intervals from binomial sums, Mann-Whitney
 * p-values from the counting argument and from the normal formula.
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"
#include "unit.h"

static int close_to(double got, double want, double tol)
{
	return fabs(got - want) <= tol;
}

#define CHECK_NEAR(name, got, want, tol)                                               \
	do {                                                                           \
		double g_ = (got), w_ = (want);                                        \
		char why_[200];                                                        \
		snprintf(why_, sizeof(why_), "%s = %.12g, want %.12g", #got, g_, w_);  \
		unit_check(close_to(g_, w_, (tol)), __FILE__, __LINE__, (name), why_); \
	} while (0)

static void check_summary(const char *name, const double *x, size_t n, double median, double lo,
			  double hi, double level)
{
	struct pvx_summary s;
	char buf[96];

	pvx_summarize(x, n, &s);
	snprintf(buf, sizeof(buf), "%s: median", name);
	CHECK_NEAR(buf, s.median, median, 0);
	snprintf(buf, sizeof(buf), "%s: ci low", name);
	CHECK_NEAR(buf, s.ci_low, lo, 0);
	snprintf(buf, sizeof(buf), "%s: ci high", name);
	CHECK_NEAR(buf, s.ci_high, hi, 0);
	snprintf(buf, sizeof(buf), "%s: ci level", name);
	CHECK_NEAR(buf, s.ci_level, level, 1e-12);
}

static void test_summaries(void)
{
	const double one[] = { 7 };
	const double two[] = { 3, 1 };
	const double five[] = { 5, 1, 4, 2, 3 };
	const double six[] = { 6, 1, 5, 2, 4, 3 };
	const double nine[] = { 9, 3, 7, 1, 5, 8, 2, 6, 4 };
	double twenty[20], hundred[100], copy[9];
	struct pvx_summary s;
	double level;
	size_t i;

	pvx_summarize(NULL, 0, &s);
	CHECK("n=0: all zero", s.median == 0 && s.ci_low == 0 && s.ci_high == 0 && s.ci_level == 0);
	/* n = 1: one value is its own interval, with no coverage to claim. */
	check_summary("n=1", one, 1, 7, 7, 7, 0);
	/* n < 6: [min, max] covers the median unless all n fall on one side:
	 * 1 - 2 * 2^-n, i.e. 1/2 for n = 2 and 30/32 for n = 5. */
	check_summary("n=2", two, 2, 2, 1, 3, 0.5);
	check_summary("n=5", five, 5, 3, 1, 5, 0.9375);
	/* n = 6: [min, max] reaches 62/64 >= 0.95; (x2, x5) would be 1 - 14/64. */
	check_summary("n=6", six, 6, 3.5, 1, 6, 0.96875);
	/* n = 9: k = 2 gives 1 - 2 (1 + 9) / 512; k = 3 gives 1 - 2 * 46/512 = 0.82. */
	check_summary("n=9", nine, 9, 5, 2, 8, 1 - 20.0 / 512);
	/* n = 20: P(B <= 5) = (1 + 20 + 190 + 1140 + 4845 + 15504) / 2^20 = 21700 / 2^20,
	 * so (x6, x15) covers 1 - 43400 / 2^20; adding 38760 for k = 7 drops to 0.885. */
	for (i = 0; i < 20; i++)
		twenty[i] = (double)((i * 7) % 20 + 1) * 10; /* 10..200, shuffled */
	check_summary("n=20", twenty, 20, 105, 60, 150, 1 - 43400.0 / 1048576);
	/* n = 100: the textbook ranks are 40 and 61. */
	for (i = 0; i < 100; i++)
		hundred[i] = (double)((i * 37) % 100);
	CHECK_EQ_U64("n=100: rank 40", pvx_order_ci_rank(100, &level), 40);
	CHECK_NEAR("n=100: coverage", level, 0.9647997997822952, 1e-9);
	check_summary("n=100", hundred, 100, 49.5, 39, 60, 0.9647997997822952);

	for (i = 0; i < 9; i++)
		copy[i] = nine[i];
	pvx_summarize(copy, 9, &s);
	CHECK("summarize leaves its input alone", !memcmp(copy, nine, sizeof(copy)));
	CHECK_NEAR("median of an even count", pvx_median(six, 6), 3.5, 0);
}

static void test_mann_whitney(void)
{
	/* Two groups of 5 and 4, no ties.  Ranks of a: 3, 5, 7, 8, 9 = 32,
	 * U = 32 - 15 = 17 of 20.  P(U >= 17) = P(U <= 3) = orderings with
	 * U 0, 1, 2, 3 = 1 + 1 + 2 + 3 = 7 of C(9, 4) = 126; two-sided 14/126. */
	const double a[] = { 19, 22, 16, 29, 24 };
	const double b[] = { 20, 11, 17, 12 };
	/* Ties: a = 1 2 3 3, b = 3 4 5 6.  The three 3s share rank 4, so
	 * R_a = 1 + 2 + 4 + 4 = 11, U = 1; mu = 8; var = 16/12 (9 - 24/56)
	 * = 11.4286; z = (7 - 0.5) / 3.3806 = 1.92273; p = erfc(z / sqrt 2). */
	const double ta[] = { 1, 2, 3, 3 };
	const double tb[] = { 3, 4, 5, 6 };
	const double same[] = { 10, 11, 12, 13, 14 };
	double big_a[21], big_b[21], shift_a[10], shift_b[10];
	double u, p;
	bool exact;
	size_t i;

	p = pvx_mann_whitney(a, 5, b, 4, &u, &exact);
	CHECK_NEAR("mw exact: U", u, 17, 0);
	CHECK("mw exact: exact distribution used", exact);
	CHECK_NEAR("mw exact: p = 1/9", p, 14.0 / 126, 1e-12);
	p = pvx_mann_whitney(b, 4, a, 5, &u, NULL);
	CHECK_NEAR("mw exact: swapped U = 20 - 17", u, 3, 0);
	CHECK_NEAR("mw exact: swapped p", p, 14.0 / 126, 1e-12);
	/* m = n = 2: U counts 1 1 2 1 1 of 6; U = 0 gives 2/6. */
	p = pvx_mann_whitney((const double[]){ 1, 2 }, 2, (const double[]){ 3, 4 }, 2, &u, NULL);
	CHECK_NEAR("mw exact 2x2: p = 1/3", p, 1.0 / 3, 1e-12);

	p = pvx_mann_whitney(ta, 4, tb, 4, &u, &exact);
	CHECK_NEAR("mw ties: U", u, 1, 0);
	CHECK("mw ties: normal approximation", !exact);
	CHECK_NEAR("mw ties: p", p, 0.05451447864382865, 1e-9);

	/* 21 against 21 (too many for the exact table): a = 0..20, b = 10.5..30.5.
	 * Pairs with a > b: sum over i = 11..20 of (i - 10) = 55; mu = 220.5,
	 * var = 441 * 43 / 12 = 1580.25, z = (165.5 - 0.5) / 39.7524 = 4.1507. */
	for (i = 0; i < 21; i++) {
		big_a[i] = (double)i;
		big_b[i] = (double)i + 10.5;
	}
	p = pvx_mann_whitney(big_a, 21, big_b, 21, &u, &exact);
	CHECK_NEAR("mw large: U", u, 55, 0);
	CHECK("mw large: normal approximation", !exact);
	CHECK_NEAR("mw large: p", p, 3.3146414399001704e-05, 1e-10);

	p = pvx_mann_whitney(same, 5, same, 5, &u, NULL);
	CHECK_NEAR("mw identical samples: p = 1", p, 1, 0);
	for (i = 0; i < 10; i++) {
		shift_a[i] = 100 + (double)i * 0.5;
		shift_b[i] = shift_a[i] * 1.2;
	}
	/* No overlap: only the 2 extreme orderings of C(20, 10) are as far out. */
	p = pvx_mann_whitney(shift_a, 10, shift_b, 10, &u, NULL);
	CHECK_NEAR("mw shifted: p = 2 / C(20,10)", p, 2.0 / 184756, 1e-15);
	CHECK_NEAR("mw empty sample: p = 1", pvx_mann_whitney(a, 5, NULL, 0, NULL, NULL), 1, 0);
}

static void test_compare(void)
{
	const double same[] = { 10, 11, 12, 13, 14, 10.5, 12.5 };
	double a[12], b[12];
	struct pvx_change c, c2;
	size_t i;

	pvx_compare_samples(same, 7, same, 7, &c);
	CHECK("compare identical: delta 0", c.defined && c.delta_pct == 0);
	CHECK("compare identical: not significant", !c.significant);
	CHECK("compare identical: interval holds 0", c.ci_low <= 0 && c.ci_high >= 0);
	CHECK("compare identical: same", pvx_time_verdict(&c, 5) == PVX_SAME);

	/* B is A slowed by 10% with its own small jitter. */
	for (i = 0; i < 12; i++) {
		a[i] = 200 + (double)((i * 5) % 12);
		b[i] = 220 + (double)((i * 7) % 12) * 1.1;
	}
	pvx_compare_samples(a, 12, b, 12, &c);
	CHECK_NEAR("compare shifted: median a", c.median_a, 205.5, 1e-12);
	CHECK_NEAR("compare shifted: median b", c.median_b, 226.05, 1e-12);
	CHECK_NEAR("compare shifted: delta", c.delta_pct, (226.05 / 205.5 - 1) * 100, 1e-9);
	CHECK("compare shifted: significant", c.significant && c.p_value < 0.001);
	CHECK("compare shifted: interval holds the estimate",
	      c.ci_low <= c.delta_pct && c.delta_pct <= c.ci_high);
	CHECK("compare shifted: interval excludes 0", c.ci_low > 0);
	CHECK("compare shifted: interval is not a point", c.ci_high > c.ci_low);
	pvx_compare_samples(a, 12, b, 12, &c2);
	CHECK("compare: the bootstrap is reproducible",
	      c2.ci_low == c.ci_low && c2.ci_high == c.ci_high && c2.p_value == c.p_value);
	CHECK("compare shifted: regressed at 5%", pvx_time_verdict(&c, 5) == PVX_REGRESSED);
	CHECK("compare shifted: same at 50%", pvx_time_verdict(&c, 50) == PVX_SAME);
	pvx_compare_samples(b, 12, a, 12, &c);
	CHECK("compare reversed: improved at 5%", pvx_time_verdict(&c, 5) == PVX_IMPROVED);

	pvx_compare_samples((const double[]){ 4 }, 1, (const double[]){ 5 }, 1, &c);
	CHECK("compare n=1: interval is the point",
	      c.defined && c.ci_low == 25 && c.ci_high == 25 && c.delta_pct == 25);
	CHECK("compare n=1: never significant", !c.significant);
	pvx_compare_samples((const double[]){ 0, 0 }, 2, (const double[]){ 1, 1 }, 2, &c);
	CHECK("compare zero baseline: no relative change", !c.defined);
}

static void test_verdicts(void)
{
	CHECK("exits equal: same", pvx_exits_verdict(1, 1, 5) == PVX_SAME);
	CHECK("exits +0.05%: same", pvx_exits_verdict(1, 1.0005, 5) == PVX_SAME);
	CHECK("exits +6%: regressed", pvx_exits_verdict(1, 1.06, 5) == PVX_REGRESSED);
	CHECK("exits +6% at 10%: same", pvx_exits_verdict(1, 1.06, 10) == PVX_SAME);
	CHECK("exits -50%: improved", pvx_exits_verdict(2, 1, 5) == PVX_IMPROVED);
	CHECK("exits 0 -> 0.002: regressed", pvx_exits_verdict(0, 0.002, 5) == PVX_REGRESSED);
	CHECK("exits 0 -> 0.0005: same", pvx_exits_verdict(0, 0.0005, 5) == PVX_SAME);
	CHECK("verdict names", !strcmp(pvx_verdict_name(PVX_REGRESSED), "regressed") &&
				       !strcmp(pvx_verdict_name(PVX_IMPROVED), "improved") &&
				       !strcmp(pvx_verdict_name(PVX_SAME), "same"));
}

static void test_rng(void)
{
	struct pvx_rng r;
	int in_range = 1, seen[7] = { 0 }, all_seen = 1;
	size_t i;

	/* splitmix64's published first outputs from seed 0. */
	pvx_rng_seed(&r, 0);
	CHECK_EQ_U64("rng: first output", pvx_rng_next(&r), 0xe220a8397b1dcdafull);
	CHECK_EQ_U64("rng: second output", pvx_rng_next(&r), 0x6e789e6aa1b965f4ull);
	for (i = 0; i < 1000; i++) {
		uint64_t v = pvx_rng_below(&r, 7);

		if (v >= 7)
			in_range = 0;
		else
			seen[v]++;
	}
	for (i = 0; i < 7; i++)
		if (seen[i] < 100) /* 1000 / 7 = 143 expected; 100 is 4 sigma below */
			all_seen = 0;
	CHECK("rng: below(7) stays below 7", in_range);
	CHECK("rng: below(7) reaches every value", all_seen);
}

int main(void)
{
	test_summaries();
	test_mann_whitney();
	test_compare();
	test_verdicts();
	test_rng();
	return unit_done();
}
