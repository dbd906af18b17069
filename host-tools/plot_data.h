/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tables pvexit plot hands to the gnuplot scripts in plots/: text,
 * one header line of column names, then one line per class (or bucket,
 * or file), fields separated by tabs, strings with spaces quoted, "NaN"
 * where a figure is missing.  plots/README.md lists the columns.
 */
#ifndef PVEXIT_PLOT_DATA_H
#define PVEXIT_PLOT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "results.h"

/*
 * What a table holds that its scripts must know: gnuplot warns about, or
 * fails on, a plot of a column without a single value.  Word lists are
 * space-separated, as gnuplot's word() and "for [w in list]" read them.
 */
struct plot_info {
	char ns_variants[32]; /* variants with a positive ns/op: "raw patched baseline" */
	char exit_variants[32]; /* raw and patched, those with an exits/op */
	bool speedup; /* some label has both a raw and a patched row */
	bool headline; /* some label has an exit path length (lib/headline.h) */
	char lat_variants[32]; /* variants with an exit in the histogram */
	char *labels; /* trend: the class labels */
	char *series; /* trend: the ns/op columns that hold a value (numbers) */
	unsigned int clamped; /* figures written at PLOT_VALUE_MAX or _MIN, not as they are */
};

/*
 * The magnitudes a table holds.  gnuplot takes numbers near DBL_MAX for
 * no value and cannot put a subnormal one on a log scale, though a
 * results file may hold either; a figure beyond these bounds is written
 * at the bound, with its sign.  Within them, ratios and differences of
 * two figures (the speedup, what is saved) are finite too.
 */
#define PLOT_VALUE_MAX 1e150
#define PLOT_VALUE_MIN 1e-150
#define PLOT_VALUE_MAX_TEXT "1e150"
#define PLOT_VALUE_MIN_TEXT "1e-150"

void plot_info_free(struct plot_info *pi);

/**
 * plot_write_classes() - the per-class table of one guest (figures
 * ns-per-op, exits-per-op, savings): per label, each variant's median
 * ns/op and its interval, exits/op, the speedup and what is saved.
 * Context: labels in the order the file first has them.
 * Return: the number of labels written, or -1 on a write error.
 */
int plot_write_classes(FILE *f, const struct pvx_results *r, const char *guest,
		       struct plot_info *pi);

/**
 * plot_latency_why() - whether @guest's rows carry a "bpf" exit-latency
 * histogram with any exit counted.
 * Return: true if so; false with the reason in @why (one line).
 */
bool plot_latency_why(const struct pvx_results *r, const char *guest, char *why, size_t len);

/**
 * plot_write_latency() - the exit-latency table of one guest: per
 * power-of-two bucket that holds an exit, each variant's share of its
 * exits in percent, the variants' exit counts in the header.
 * Return: 0, or -1 on a write error.
 */
int plot_write_latency(FILE *f, const struct pvx_results *r, const char *guest,
		       struct plot_info *pi);

/**
 * plot_write_trend() - ns/op of every label of @guest across @n results
 * files, one line per file in the order given: its number, revision
 * (@names[i] when the revision is unknown) and date, then per class
 * label the raw and patched medians and both as a change in percent
 * from the first file that has a positive one.
 * Return: the number of class labels, or -1 on a write error.
 */
int plot_write_trend(FILE *f, const struct pvx_results *const *rs, const char *const *names,
		     size_t n, const char *guest, struct plot_info *pi);

/* "2026-11-24T09:12:41Z" -> "2026-11-24 09:12"; anything else as it is. */
void plot_short_date(const char *iso, char *buf, size_t len);

#endif
