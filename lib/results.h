/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The results of a suite run, as `pvexit run -o` writes them and report,
 * compare, plot and bisect-run read them.  docs/results.md describes the
 * JSON form (schema_version 2; 1 is still read) and the CSV form.  A results file is text
 * and carries no binary data, so the byte order and word size of the
 * machine that recorded it never matter to the one that reads it.
 */
#ifndef PVEXIT_RESULTS_H
#define PVEXIT_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "time_unit.h"

/* 2: time_unit, and time_samples / time_per_op for schema 1's ns_... */
#define PVX_RESULTS_SCHEMA 2

/* A name and a number: stats deltas, exits by vector or by class. */
struct pvx_kv {
	char *name;
	double value;
};

/* A summary of one row's per-repetition samples (bench/stats.h). */
struct pvx_summary {
	double median, ci_low, ci_high;
	double ci_level; /* the interval's coverage, 0.95 when n allows it */
};

/*
 * One collector's view of a row: "stats" (the vCPU's binary stats),
 * "bpf", "trace" (the libtraceevent decoder), "perf" (perf stat).
 * Per-op figures are totals over all repetitions divided by all their
 * operations: counts are exact, so their mean is the figure.
 */
struct pvx_counter {
	char *name;
	bool available;
	char *why; /* when not available: one line saying why */
	double exits_per_op; /* emulation exits per op, the figure all agree on */
	struct pvx_kv *by_vector; /* exits per op by exit vector ("PROGRAM") */
	size_t nby_vector;
	struct pvx_kv *by_class; /* exits per op by instruction class ("mfmsr") */
	size_t nby_class;
	struct pvx_kv *raw; /* totals as counted, e.g. stats deltas by name */
	size_t nraw;
	uint64_t *hist; /* exit-to-reentry ns, bucket i counts [2^i, 2^(i+1)) */
	size_t nhist; /* 0: no histogram */
};

struct pvx_check {
	char *what;
	bool pass;
	char *seen, *want; /* as the guest reported them, "0x..." */
};

/* The patch report for a row's class in its guest. */
struct pvx_patch {
	uint64_t found, patched;
	struct pvx_kv *skipped; /* reason -> sites left trapping */
	size_t nskipped;
};

/* One class x case x variant x guest. */
struct pvx_row {
	char *cls; /* class name, as in classes.def ("mtmsr") */
	char *cs; /* case name ("ee-pending"), "" for a class's only case */
	char *variant; /* "raw", "patched", "baseline" */
	char *guest; /* "be", "le", "be32" */
	uint64_t iterations; /* per repetition */
	unsigned int repetitions; /* runs that produced a sample */
	double *time_samples; /* per op in the results' time_unit, one per repetition */
	size_t nsamples;
	struct pvx_summary time_per_op;
	double exits_per_op; /* emulation exits per op (stats), over all repetitions */
	double irq_per_op; /* interrupts delivered per op, over all repetitions */
	struct pvx_counter *counters;
	size_t ncounters;
	struct pvx_check *checks;
	size_t nchecks;
	struct pvx_patch patch;
	char *verdict; /* "ok" or "FAIL: why" */
};

struct pvx_host {
	char *kernel_release; /* uname -r of the KVM host */
	char *machine; /* uname -m */
	char *cpu; /* /proc/cpuinfo "cpu" line */
	char *pvr; /* "0x004d0200" */
	char *kvm; /* "pr" */
	bool lab; /* the emulated lab host */
};

/* How the toolkit that wrote a results file was built (schema 2). */
struct pvx_build {
	char *kind; /* "native", or "cross" (built on another machine) */
	char *compiler; /* "gcc 12.2.0" */
	char *target; /* the compiler's -dumpmachine: "powerpc64le-linux-gnu" */
};

struct pvx_results {
	int schema_version;
	/* what time_samples and time_per_op count: ns, or emulated
	 * instructions (the lab under QEMU icount) */
	enum pvx_time_unit time_unit;
	bool complete; /* false: interrupted, rows are what had finished */
	char *tool_version; /* pvexit's version */
	char *git_revision; /* the toolkit's, "unknown" outside a git tree */
	char *date; /* ISO 8601 UTC */
	char *suite; /* suite file name, or "command line" */
	struct pvx_build build; /* all NULL for a schema 1 file */
	struct pvx_host host;
	struct pvx_row *rows;
	size_t nrows;
};

/* "mtmsr/ee-pending", or "mfmsr" when the case name is empty. */
void pvx_row_label(const struct pvx_row *row, char *buf, size_t len);

/* Append a zeroed row to @r and return it (never NULL). */
struct pvx_row *pvx_results_add_row(struct pvx_results *r);

/* The row for label ("class" or "class/case"), variant and guest, or NULL. */
const struct pvx_row *pvx_results_find(const struct pvx_results *r, const char *label,
				       const char *variant, const char *guest);

/*
 * Write @r as JSON / CSV to @f.  Return: 0, or -1 with errno set: the
 * stream's error, or EDOM (and nothing written) when @r holds what a file
 * cannot say: a NaN or infinity, a name twice in one map or counter list,
 * an integer past INT64_MAX (jansson, the reader, holds none).
 */
int pvx_results_write_json(const struct pvx_results *r, FILE *f);
int pvx_results_write_csv(const struct pvx_results *r, FILE *f);

/*
 * Save @r to @path atomically (a temporary file in the same directory,
 * fsync, rename): @path ends as the old file or the complete new one.
 * @csv selects the CSV form.  Return: 0, or -1 with @err set.
 */
int pvx_results_save(const struct pvx_results *r, const char *path, bool csv, char *err,
		     size_t errlen);

/*
 * Save @r as JSON to @json and as CSV to @csv, both or neither: each is
 * written and synced under its temporary name before either replaces its
 * target, so a full disk leaves both old files (or none) as they were.
 * Return: 0, or -1 with @err set (one line naming the file) and no
 * temporary file left.
 */
int pvx_results_save_both(const struct pvx_results *r, const char *json, const char *csv, char *err,
			  size_t errlen);

/* The CSV beside results file @json: FILE.json becomes FILE.csv, any
 * other name gets .csv added.  Return: @buf. */
const char *pvx_results_csv_path(const char *json, char *buf, size_t len);

/*
 * Read and validate a JSON results file.  Anything malformed (bad JSON,
 * a wrong schema_version, a missing or mistyped member) fails with one
 * line in @err naming the file, the place (line:column or member path)
 * and what was wrong.  Return: 0, or -1 with @err set and @r freed.
 */
int pvx_results_load(const char *path, struct pvx_results *r, char *err, size_t errlen);

void pvx_results_free(struct pvx_results *r);

struct pvx_json_writer;

/* The "host" member, as results files and report --json write it. */
void pvx_results_write_host(struct pvx_json_writer *w, const struct pvx_host *h);

#endif
