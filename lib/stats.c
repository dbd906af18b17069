// SPDX-License-Identifier: GPL-2.0-only
/*
 * Medians, order-statistic intervals, the Mann-Whitney U test and a
 * bootstrap interval for the change of a median.  See stats.h for why
 * these and not means and t-tests.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "util.h"

/* Any fixed value: the same inputs must give the same interval every time. */
#define BOOT_SEED 0x7076657869742d31ull

static int cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

static double sorted_median(const double *s, size_t n)
{
	if (n == 0)
		return 0;
	if (n % 2)
		return s[n / 2];
	return (s[n / 2 - 1] + s[n / 2]) / 2;
}

static double *sorted_copy(const double *x, size_t n)
{
	double *s = pvx_xcalloc(n ? n : 1, sizeof(*s));

	if (n)
		memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return s;
}

double pvx_median(const double *x, size_t n)
{
	double *s, m;

	if (n == 0)
		return 0;
	s = sorted_copy(x, n);
	m = sorted_median(s, n);
	free(s);
	return m;
}

/*
 * The interval (x_(k), x_(n+1-k)) misses the true median only when at
 * most k-1 samples fall on one side of it: coverage is
 * 1 - 2 P(Bin(n, 1/2) <= k-1).  The binomial terms are built in logs so
 * that large n neither overflows C(n, j) nor underflows 2^-n.
 */
size_t pvx_order_ci_rank(size_t n, double *level)
{
	double log_c = 0, cdf, next_cdf, log2n = (double)n * log(2.0);
	size_t k = 1;

	if (n == 0) {
		if (level)
			*level = 0;
		return 0;
	}
	cdf = exp(-log2n); /* P(B <= 0) */
	for (;;) {
		/* Try k + 1: it needs P(B <= k) and must stay at or below the middle. */
		if (k + 1 > (n + 1) / 2)
			break;
		log_c += log((double)(n - k + 1) / (double)k);
		next_cdf = cdf + exp(log_c - log2n);
		if (1 - 2 * next_cdf < PVX_CI_LEVEL)
			break;
		cdf = next_cdf;
		k++;
	}
	if (level) {
		*level = 1 - 2 * cdf;
		if (*level < 0)
			*level = 0;
	}
	return k;
}

void pvx_summarize(const double *x, size_t n, struct pvx_summary *out)
{
	double *s;
	size_t k;

	memset(out, 0, sizeof(*out));
	if (n == 0)
		return;
	s = sorted_copy(x, n);
	out->median = sorted_median(s, n);
	k = pvx_order_ci_rank(n, &out->ci_level);
	out->ci_low = s[k - 1];
	out->ci_high = s[n - k];
	free(s);
}

struct ranked {
	double v;
	int from_a;
};

static int cmp_ranked(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;

	return (a->v > b->v) - (a->v < b->v);
}

/*
 * Number of orderings of m a's and n b's with each U = 0..m*n: the
 * coefficients of the Gaussian binomial [m+n, m]_q =
 * prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), worked as power series cut at
 * q^(m*n) (a coefficient depends only on lower ones, so the cut is exact).
 */
static double *u_counts(size_t m, size_t n)
{
	size_t top = m * n, i, k;
	double *c = pvx_xcalloc(top + 1, sizeof(*c));

	c[0] = 1;
	for (i = 1; i <= m; i++) {
		for (k = top; k >= n + i && k <= top; k--)
			c[k] -= c[k - n - i];
		for (k = i; k <= top; k++)
			c[k] += c[k - i];
	}
	return c;
}

static double exact_p(size_t m, size_t n, double u)
{
	double *c = u_counts(m, n), total = 0, lo = 0, hi = 0, p;
	size_t k;

	for (k = 0; k <= m * n; k++) {
		total += c[k];
		if ((double)k <= u)
			lo += c[k];
		if ((double)k >= u)
			hi += c[k];
	}
	free(c);
	p = 2 * (lo < hi ? lo : hi) / total;
	return p > 1 ? 1 : p;
}

double pvx_mann_whitney(const double *a, size_t na, const double *b, size_t nb, double *u_a,
			bool *exact)
{
	size_t n = na + nb, i, j;
	struct ranked *all;
	double rank_a = 0, ties = 0, u, mu, var, z, p;

	if (u_a)
		*u_a = 0;
	if (exact)
		*exact = false;
	if (na == 0 || nb == 0)
		return 1;
	all = pvx_xcalloc(n, sizeof(*all));
	for (i = 0; i < na; i++)
		all[i] = (struct ranked){ a[i], 1 };
	for (i = 0; i < nb; i++)
		all[na + i] = (struct ranked){ b[i], 0 };
	qsort(all, n, sizeof(*all), cmp_ranked);
	/* Tied values share the mean of the ranks they span. */
	for (i = 0; i < n; i = j) {
		double t, mid;

		for (j = i + 1; j < n && all[j].v == all[i].v; j++)
			;
		t = (double)(j - i);
		mid = ((double)i + 1 + (double)j) / 2;
		for (size_t k = i; k < j; k++)
			if (all[k].from_a)
				rank_a += mid;
		ties += t * t * t - t;
	}
	free(all);
	u = rank_a - (double)na * ((double)na + 1) / 2;
	if (u_a)
		*u_a = u;
	if (ties == 0 && n <= PVX_MW_EXACT_MAX) {
		if (exact)
			*exact = true;
		return exact_p(na, nb, u);
	}
	mu = (double)na * (double)nb / 2;
	var = (double)na * (double)nb / 12 *
	      (((double)n + 1) - ties / ((double)n * ((double)n - 1)));
	if (var <= 0)
		return 1; /* every value equal: nothing tells the samples apart */
	z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	p = erfc(z / sqrt(2.0));
	return p > 1 ? 1 : p;
}

void pvx_rng_seed(struct pvx_rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t pvx_rng_next(struct pvx_rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

uint64_t pvx_rng_below(struct pvx_rng *r, uint64_t n)
{
	/* Drop the few values past the last whole multiple of n. */
	uint64_t floor = (0 - n) % n, v;

	do
		v = pvx_rng_next(r);
	while (v < floor);
	return v % n;
}

/* Uniform in (0, 1), never 0 or 1: its logs and powers stay finite. */
static double unit_open(struct pvx_rng *r)
{
	return ((double)(pvx_rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

/* A standard normal deviate: Marsaglia's polar method. */
static double normal_dev(struct pvx_rng *r)
{
	double u, v, q;

	do {
		u = 2 * unit_open(r) - 1;
		v = 2 * unit_open(r) - 1;
		q = u * u + v * v;
	} while (q >= 1 || q == 0);
	return u * sqrt(-2 * log(q) / q);
}

/* A Gamma(@a, 1) deviate for @a >= 1: Marsaglia and Tsang's squeeze. */
static double gamma_dev(struct pvx_rng *r, double a)
{
	double d = a - 1.0 / 3, c = 1 / sqrt(9 * d), x, v, u;

	for (;;) {
		do {
			x = normal_dev(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = unit_open(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

/* The sample index floor(@n @u) for @u in [0, 1), kept inside when @u rounds up. */
static size_t index_at(double u, size_t n)
{
	size_t i = (size_t)(u * (double)n);

	return i < n ? i : n - 1;
}

/*
 * The median of one bootstrap resample of the sorted @s, without drawing
 * the resample: drawing n indices and sorting them costs n log n per
 * resample, 71 s for the 2000 resamples of two 100k-sample rows.  A
 * resample takes s[floor(n U_i)] for n uniforms U_i; floor(n u) never
 * falls as u grows, so its k-th smallest value is s[floor(n U_(k))],
 * where U_(k), the k-th smallest of n uniforms, is Beta(k, n + 1 - k).
 * The next one, U_(k+1), is U_(k) plus the least of the n - k uniforms
 * above it: (1 - U_(k)) (1 - V^(1/(n-k))) for a uniform V.  Each median
 * has the distribution it has under resampling, in constant time.
 */
static double boot_median(struct pvx_rng *r, const double *s, size_t n)
{
	size_t k = (n + 1) / 2; /* the middle, or the lower of the two */
	double x = gamma_dev(r, (double)k), y = gamma_dev(r, (double)(n + 1 - k));
	double u = x / (x + y), lo = s[index_at(u, n)];

	if (n % 2)
		return lo;
	u += (1 - u) * (1 - pow(unit_open(r), 1 / (double)(n - k)));
	return (lo + s[index_at(u, n)]) / 2;
}

/* Linear interpolation between the order statistics around quantile q. */
static double quantile_sorted(const double *s, size_t n, double q)
{
	double pos = q * (double)(n - 1), frac;
	size_t lo = (size_t)pos;

	if (lo + 1 >= n)
		return s[n - 1];
	frac = pos - (double)lo;
	return s[lo] + frac * (s[lo + 1] - s[lo]);
}

void pvx_compare_samples(const double *a, size_t na, const double *b, size_t nb,
			 struct pvx_change *out)
{
	double *sa, *sb, *deltas;
	size_t i, nd = 0;
	struct pvx_rng rng;

	memset(out, 0, sizeof(*out));
	out->median_a = pvx_median(a, na);
	out->median_b = pvx_median(b, nb);
	out->p_value = pvx_mann_whitney(a, na, b, nb, NULL, NULL);
	out->significant = out->p_value < PVX_ALPHA;
	if (na == 0 || nb == 0 || out->median_a == 0)
		return;
	out->defined = true;
	out->delta_pct = (out->median_b / out->median_a - 1) * 100;
	out->ci_low = out->ci_high = out->delta_pct;

	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	deltas = pvx_xcalloc(PVX_BOOT_RESAMPLES, sizeof(*deltas));
	pvx_rng_seed(&rng, BOOT_SEED);
	for (i = 0; i < PVX_BOOT_RESAMPLES; i++) {
		double ma = boot_median(&rng, sa, na);
		double mb = boot_median(&rng, sb, nb);

		/* A resample whose baseline median is 0 has no ratio; leave it out. */
		if (ma != 0)
			deltas[nd++] = (mb / ma - 1) * 100;
	}
	if (nd) {
		qsort(deltas, nd, sizeof(*deltas), cmp_double);
		out->ci_low = quantile_sorted(deltas, nd, (1 - PVX_CI_LEVEL) / 2);
		out->ci_high = quantile_sorted(deltas, nd, 1 - (1 - PVX_CI_LEVEL) / 2);
	}
	free(deltas);
	free(sb);
	free(sa);
}

const char *pvx_verdict_name(enum pvx_verdict v)
{
	switch (v) {
	case PVX_IMPROVED:
		return "improved";
	case PVX_REGRESSED:
		return "regressed";
	case PVX_SAME:
		break;
	}
	return "same";
}

enum pvx_verdict pvx_time_verdict(const struct pvx_change *c, double threshold_pct)
{
	if (!c->significant)
		return PVX_SAME;
	if (!c->defined)
		/* From a zero baseline any slowdown is beyond every threshold. */
		return c->median_b > c->median_a ? PVX_REGRESSED : PVX_SAME;
	if (c->delta_pct > threshold_pct)
		return PVX_REGRESSED;
	if (c->delta_pct < -threshold_pct)
		return PVX_IMPROVED;
	return PVX_SAME;
}

enum pvx_verdict pvx_exits_verdict(double a, double b, double threshold_pct)
{
	double allowed = PVX_EXITS_SLACK + threshold_pct / 100 * fabs(a);

	if (b - a > allowed)
		return PVX_REGRESSED;
	if (a - b > allowed)
		return PVX_IMPROVED;
	return PVX_SAME;
}
