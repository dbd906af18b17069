/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The statistics behind results files, report and compare: medians with
 * distribution-free confidence intervals, a bootstrap interval for the
 * change between two runs and the Mann-Whitney U test.  Nothing here
 * assumes timings are normally distributed: KVM PR exit costs have long
 * right tails (host interrupts, cache misses), so order statistics and
 * ranks are what hold up.  Every result is reproducible: the bootstrap
 * draws from its own generator with a fixed seed.
 */
#ifndef PVEXIT_STATS_H
#define PVEXIT_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "results.h" /* struct pvx_summary */

/* The coverage report and compare ask of an interval. */
#define PVX_CI_LEVEL 0.95
/* Significance level of compare's test. */
#define PVX_ALPHA 0.05
/* Bootstrap resamples for the interval of a change. */
#define PVX_BOOT_RESAMPLES 2000
/* An exits/op increase below this never counts: exits/op are medians of
 * counts over iterations, so a stray exit in one run moves them by 1/iterations. */
#define PVX_EXITS_SLACK 0.001

/**
 * pvx_median() - the median of @n values (the mean of the middle two when
 * @n is even).  @x is left as it was.
 * Return: the median, 0 when @n is 0.
 */
double pvx_median(const double *x, size_t n);

/**
 * pvx_summarize() - median and a distribution-free confidence interval of
 * the median from order statistics: the narrowest symmetric pair
 * (x_(k), x_(n+1-k)) whose binomial coverage is at least PVX_CI_LEVEL.
 * When @n is too small for that (n < 6) the interval is [min, max] and
 * ci_level its actual coverage, 1 - 2 * 0.5^n.  @n == 1: the interval is
 * the value, ci_level 0.  @n == 0: all zero.
 */
void pvx_summarize(const double *x, size_t n, struct pvx_summary *out);

/**
 * pvx_order_ci_rank() - the k (1-based) of the interval pvx_summarize()
 * picks for @n samples, and its coverage in @level.
 * Return: k, or 0 when @n is 0.
 */
size_t pvx_order_ci_rank(size_t n, double *level);

/**
 * pvx_mann_whitney() - two-sided Mann-Whitney U test of @a against @b.
 * Exact null distribution when there are no ties and the samples are
 * small (na + nb <= PVX_MW_EXACT_MAX), else the normal approximation
 * with the tie correction and a continuity correction.
 * @u_a: if not NULL, receives U of @a (the pairs where a > b, ties half).
 * @exact: if not NULL, whether the exact distribution was used.
 * Return: the p-value, 1 when either sample is empty.
 */
#define PVX_MW_EXACT_MAX 40
double pvx_mann_whitney(const double *a, size_t na, const double *b, size_t nb, double *u_a,
			bool *exact);

/* The change from a baseline sample A to a new sample B. */
struct pvx_change {
	double median_a, median_b;
	bool defined; /* false: A's median is 0, no relative change */
	double delta_pct; /* (median_b / median_a - 1) * 100 */
	double ci_low, ci_high; /* 95% percentile-bootstrap interval of delta_pct */
	double p_value; /* two-sided Mann-Whitney U */
	bool significant; /* p_value < PVX_ALPHA */
};

/**
 * pvx_compare_samples() - the relative change of the medians from @a
 * (baseline) to @b (new) with a percentile-bootstrap 95% interval
 * (PVX_BOOT_RESAMPLES resamples of both, from a fixed seed) and the
 * Mann-Whitney p-value.  Each resample's median is drawn from its exact
 * distribution, not by drawing the resample: n log n in the samples in
 * all, for any n.
 */
void pvx_compare_samples(const double *a, size_t na, const double *b, size_t nb,
			 struct pvx_change *out);

enum pvx_verdict {
	PVX_SAME,
	PVX_IMPROVED,
	PVX_REGRESSED,
};

/* "same", "improved", "regressed". */
const char *pvx_verdict_name(enum pvx_verdict v);

/**
 * pvx_time_verdict() - regressed when the change is significant and B is
 * slower by more than @threshold_pct percent, improved when significant
 * and faster by more than that, else same.
 */
enum pvx_verdict pvx_time_verdict(const struct pvx_change *c, double threshold_pct);

/**
 * pvx_exits_verdict() - exits/op are counts, compared as they are:
 * regressed when @b exceeds @a by more than PVX_EXITS_SLACK plus
 * @threshold_pct percent of @a, improved when below by as much.
 */
enum pvx_verdict pvx_exits_verdict(double a, double b, double threshold_pct);

/* A small reproducible generator (splitmix64) for the bootstrap. */
struct pvx_rng {
	uint64_t state;
};

void pvx_rng_seed(struct pvx_rng *r, uint64_t seed);
uint64_t pvx_rng_next(struct pvx_rng *r);
/* Uniform in [0, @n), without modulo bias.  @n > 0. */
uint64_t pvx_rng_below(struct pvx_rng *r, uint64_t n);

#endif
