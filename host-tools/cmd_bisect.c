// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit bisect-run: one step of `git bisect run`.  Build and measure the
 * checked-out commit (through the user's command, or `pvexit run`), read
 * one metric from its results file and hold it to a baseline results
 * file: the exit status tells git whether the commit is good (0), bad (1)
 * or cannot be tested (125).  Anything that would be wrong at every
 * commit (bad usage, an unreadable baseline, a command that cannot be
 * started) exits 128, which makes git abort the bisect instead of
 * marking commits with a verdict that is not about them.
 */
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "names.h"
#include "cmd.h"
#include "proc.h"
#include "results.h"
#include "util.h"

/* What git bisect run makes of an exit status (git-bisect(1)). */
enum {
	BISECT_GOOD = 0,
	BISECT_BAD = 1,
	BISECT_SKIP = 125, /* cannot test this commit */
	BISECT_ABORT = 128, /* >= 128 stops the bisect */
};

/* The environment variable naming the results file COMMAND must write. */
#define RESULT_ENV "PVEXIT_RESULT"

struct metric {
	const char *name;
	double (*value)(const struct pvx_row *row);
	/* The median's summary with its interval, or NULL: the row has none. */
	const struct pvx_summary *(*summary)(const struct pvx_row *row);
	int decimals; /* printed */
	/* A zero baseline has no percentage: worse means larger by this. */
	double zero_step;
};

static double time_per_op(const struct pvx_row *row)
{
	return row->time_per_op.median;
}

static const struct pvx_summary *ns_summary(const struct pvx_row *row)
{
	return &row->time_per_op;
}

static double exits_per_op(const struct pvx_row *row)
{
	return row->exits_per_op;
}

static const struct metric metrics[] = {
	{ "time_per_op", time_per_op, ns_summary, 3, 0 },
	{ "exits_per_op", exits_per_op, NULL, 4, 0.001 },
};

#define NMETRICS (sizeof(metrics) / sizeof(metrics[0]))

/* The guests a results row can come from; `pvexit run --guest` selects each. */
struct guest {
	const char *name;
};

static const struct guest guests[] = {
	{ "be" },
	{ "le" },
	{ "be32" },
	{ "e500" },
};

#define NGUESTS (sizeof(guests) / sizeof(guests[0]))

struct bisect_opts {
	const char *baseline;
	char label[128]; /* "mfmsr", "mtmsr/ee-pending" */
	char cls[128]; /* the class part of the label */
	char variant[16];
	const struct metric *metric;
	char metric_arg[256];
	double threshold; /* percent */
	const struct guest *guest; /* NULL: the one guest the baseline has */
	char **command; /* NULL: pvexit run */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvexit bisect-run --baseline FILE --metric LABEL.VARIANT.METRIC --threshold PCT\n"
		"                         [--guest be|le|be32|e500] [--] [COMMAND [ARG...]]\n"
		"\n"
		"One step of 'git bisect run': measure this commit and compare one metric\n"
		"with a baseline results file (pvexit run -o).\n"
		"\n"
		"  -B, --baseline FILE     the results file to compare with\n"
		"  -M, --metric L.V.M      LABEL: a class or class/case ('mfmsr', 'mtmsr/ee-pending');\n"
		"                          VARIANT: raw, patched or baseline;\n"
		"                          METRIC: time_per_op or exits_per_op\n"
		"  -T, --threshold PCT     bad when the median is worse than the baseline's by\n"
		"                          more than PCT percent (exits_per_op on a zero\n"
		"                          baseline: bad from +0.001)\n"
		"  -g, --guest GUEST       be, le, be32 or e500 (default: the one guest the baseline\n"
		"                          has the row for)\n"
		"  -h, --help              this text\n"
		"\n"
		"COMMAND builds and measures the commit and writes a results file to the\n"
		"path in $" RESULT_ENV " (e.g. 'pvexit run -o \"$" RESULT_ENV "\"').\n"
		"Without COMMAND: pvexit run --class CLASS for the metric's guest.\n"
		"\n"
		"Exit status, as git bisect run reads it: 0 good; 1 bad; 125 this commit\n"
		"cannot be tested (COMMAND failed, no or unreadable results, no such row, a\n"
		"failed verdict or check); 128 aborts the bisect (bad usage, unreadable\n"
		"baseline, COMMAND cannot be started, interrupted, standard output not\n"
		"written).  These follow git bisect run, not the 0/1/2 of the other commands.\n");
}

static const struct guest *find_guest(const char *name)
{
	size_t i;

	for (i = 0; i < NGUESTS; i++)
		if (!strcmp(name, guests[i].name))
			return &guests[i];
	return NULL;
}

static bool known_variant(const char *v)
{
	static const unsigned int measured[] = { PVX_VAR_RAW, PVX_VAR_PATCHED, PVX_VAR_BASELINE };
	size_t i;

	for (i = 0; i < sizeof(measured) / sizeof(measured[0]); i++)
		if (!strcmp(v, pvx_variant_name(measured[i])))
			return true;
	return false;
}

/* LABEL.VARIANT.METRIC, split from the right: a case name may hold a dot. */
static int parse_metric(const char *arg, struct bisect_opts *o)
{
	char buf[sizeof(o->metric_arg)], *dot_m, *dot_v;
	size_t i;

	if (strlen(arg) >= sizeof(buf)) {
		pvx_err("--metric: '%.40s...' is too long", arg);
		return -1;
	}
	snprintf(o->metric_arg, sizeof(o->metric_arg), "%s", arg);
	snprintf(buf, sizeof(buf), "%s", arg);
	dot_m = strrchr(buf, '.');
	if (dot_m)
		*dot_m = '\0';
	dot_v = dot_m ? strrchr(buf, '.') : NULL;
	if (!dot_v || dot_v == buf) {
		pvx_err("--metric wants LABEL.VARIANT.METRIC (e.g. mfmsr.patched.time_per_op), not '%s'",
			arg);
		return -1;
	}
	*dot_v = '\0';
	o->metric = NULL;
	for (i = 0; i < NMETRICS; i++)
		if (!strcmp(dot_m + 1, metrics[i].name))
			o->metric = &metrics[i];
	if (!o->metric) {
		pvx_err("--metric %s: unknown metric '%s' (time_per_op or exits_per_op)", arg,
			dot_m + 1);
		return -1;
	}
	if (!known_variant(dot_v + 1)) {
		pvx_err("--metric %s: unknown variant '%s' (raw, patched or baseline)", arg,
			dot_v + 1);
		return -1;
	}
	if (strlen(buf) >= sizeof(o->label)) {
		pvx_err("--metric %s: label too long", arg);
		return -1;
	}
	snprintf(o->variant, sizeof(o->variant), "%s", dot_v + 1);
	snprintf(o->label, sizeof(o->label), "%s", buf);
	snprintf(o->cls, sizeof(o->cls), "%.*s", (int)strcspn(buf, "/"), buf);
	for (i = 0; i < PVX_CLASS_COUNT; i++)
		if (!strcmp(o->cls, pvx_classes[i].name))
			break;
	if (i == PVX_CLASS_COUNT) {
		pvx_err("--metric %s: unknown class '%s' (see 'pvexit list')", arg, o->cls);
		return -1;
	}
	if (buf[strlen(o->cls)] == '/' && !buf[strlen(o->cls) + 1]) {
		pvx_err("--metric %s: empty case name after '%s/'", arg, o->cls);
		return -1;
	}
	return 0;
}

static int parse(int argc, char **argv, struct bisect_opts *o)
{
	static const struct option opts[] = {
		{ "baseline", required_argument, NULL, 'B' },
		{ "metric", required_argument, NULL, 'M' },
		{ "threshold", required_argument, NULL, 'T' },
		{ "guest", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	bool have_threshold = false;
	int c;

	memset(o, 0, sizeof(*o));
	opterr = 0;
	/* '+': options end at COMMAND, whose own options are its business. */
	while ((c = getopt_long(argc, argv, "+:B:M:T:g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'B':
			o->baseline = optarg;
			break;
		case 'M':
			if (parse_metric(optarg, o) < 0)
				return BISECT_ABORT;
			break;
		case 'T':
			if (pvx_parse_percent("--threshold", optarg, &o->threshold) < 0)
				return BISECT_ABORT;
			have_threshold = true;
			break;
		case 'g':
			o->guest = find_guest(optarg);
			if (!o->guest) {
				pvx_err("--guest wants be, le, be32 or e500, not '%s'", optarg);
				return BISECT_ABORT;
			}
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
		default:
			pvx_bad_option(c, argv);
			return BISECT_ABORT;
		}
	}
	if (!o->baseline || !o->metric || !have_threshold) {
		pvx_err("--%s is required (try --help)", !o->baseline ? "baseline" :
							 !o->metric   ? "metric" :
									"threshold");
		return BISECT_ABORT;
	}
	if (optind < argc)
		o->command = argv + optind;
	return 0;
}

/* The verdict and checks a row must have passed for its figures to count. */
static bool row_failed(const struct pvx_row *row, char *why, size_t len)
{
	size_t i;

	if (!row->verdict || strcmp(row->verdict, "ok")) {
		snprintf(why, len, "verdict '%s'", row->verdict ? row->verdict : "(none)");
		return true;
	}
	for (i = 0; i < row->nchecks; i++) {
		if (row->checks[i].pass)
			continue;
		snprintf(why, len, "check '%s' failed (seen %s, want %s)", row->checks[i].what,
			 row->checks[i].seen ? row->checks[i].seen : "?",
			 row->checks[i].want ? row->checks[i].want : "?");
		return true;
	}
	return false;
}

/*
 * The baseline row: named by --guest, or the only guest that has it.  A
 * missing or failed row would be missing at every commit: abort.
 */
static const struct pvx_row *baseline_row(const struct pvx_results *base, struct bisect_opts *o)
{
	char label[160], have[64] = "", why[512];
	const struct pvx_row *row = NULL;
	size_t i, n = 0;

	for (i = 0; !o->guest && i < base->nrows; i++) {
		pvx_row_label(&base->rows[i], label, sizeof(label));
		if (strcmp(label, o->label) || strcmp(base->rows[i].variant, o->variant))
			continue;
		n++;
		snprintf(have + strlen(have), sizeof(have) - strlen(have), "%s%s",
			 n > 1 ? ", " : "", base->rows[i].guest);
		row = &base->rows[i];
	}
	if (n > 1) {
		pvx_err("%s has %s %s for guests %s: choose one with --guest", o->baseline,
			o->label, o->variant, have);
		return NULL;
	}
	if (o->guest)
		row = pvx_results_find(base, o->label, o->variant, o->guest->name);
	if (!row) {
		pvx_err("%s has no row %s %s%s%s", o->baseline, o->label, o->variant,
			o->guest ? " for guest " : "", o->guest ? o->guest->name : "");
		return NULL;
	}
	if (!o->guest) {
		o->guest = find_guest(row->guest);
		if (!o->guest) {
			pvx_err("%s: row %s %s has unknown guest '%s'", o->baseline, o->label,
				o->variant, row->guest);
			return NULL;
		}
	}
	if (row_failed(row, why, sizeof(why))) {
		pvx_err("%s: baseline row %s %s %s is not a measurement to compare with: %s",
			o->baseline, o->label, o->variant, o->guest->name, why);
		return NULL;
	}
	if (!isfinite(o->metric->value(row)) || o->metric->value(row) < 0 ||
	    (!o->metric->zero_step && o->metric->value(row) <= 0)) {
		pvx_err("%s: baseline %s is %g, not a usable reference", o->baseline, o->metric_arg,
			o->metric->value(row));
		return NULL;
	}
	return row;
}

static volatile sig_atomic_t got_signal;
static volatile pid_t child_pid;
static const int fwd_sigs[] = { SIGINT, SIGTERM, SIGHUP };
#define NFWD_SIGS (sizeof(fwd_sigs) / sizeof(fwd_sigs[0]))

/* Pass SIGINT/SIGTERM/SIGHUP on to COMMAND, and remember to abort. */
static void on_signal(int sig)
{
	got_signal = sig;
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* Put back the dispositions @old saved: in COMMAND's child, and after it. */
static void restore_signals(void *old)
{
	size_t i;

	for (i = 0; i < NFWD_SIGS; i++)
		sigaction(fwd_sigs[i], &((const struct sigaction *)old)[i], NULL);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

/*
 * Run COMMAND (or pvexit run) with $PVEXIT_RESULT set to @result.
 * Return: 0 when it exited 0; BISECT_SKIP when it failed; BISECT_ABORT
 * when it could not be started or we were interrupted.  @why says what.
 */
static int run_command(const struct bisect_opts *o, const char *result, char *why, size_t len)
{
	char *self[] = { "pvexit",	 "run",		 "--class",
			 (char *)o->cls, "--guest",	 (char *)o->guest->name,
			 "-o",		 (char *)result, NULL };
	const char *shown = o->command ? o->command[0] : "pvexit run";
	struct sigaction sa, old[NFWD_SIGS];
	struct pvx_cmd cmd = {
		.argv = o->command ? o->command : self,
		.path = o->command ? NULL : "/proc/self/exe",
		.setup = restore_signals,
		.arg = old,
	};
	int exec_fd, child_errno, status;
	size_t i;
	pid_t pid;

	if (setenv(RESULT_ENV, result, 1)) {
		snprintf(why, len, "cannot set %s: %s", RESULT_ENV, strerror(errno));
		return BISECT_ABORT;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NFWD_SIGS; i++)
		sigaction(fwd_sigs[i], &sa, &old[i]);
	fflush(stdout);
	fflush(stderr);
	pid = pvx_spawn(&cmd, &exec_fd, why, len);
	if (pid < 0)
		goto restore_abort;
	child_pid = pid;
	if (got_signal)
		kill(pid, got_signal);
	child_errno = pvx_spawn_result(exec_fd);
	if (pvx_wait(pid, &status) < 0) {
		snprintf(why, len, "waitpid: %s", strerror(errno));
		goto restore_abort;
	}
	child_pid = 0;
	restore_signals(old);
	if (child_errno) {
		snprintf(why, len, "cannot run '%s': %s", shown, strerror(child_errno));
		return BISECT_ABORT;
	}
	if (got_signal) {
		snprintf(why, len, "interrupted by %s", strsignal(got_signal));
		return BISECT_ABORT;
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, len, "'%s' was killed by signal %d (%s)", shown, WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
		return BISECT_SKIP;
	}
	if (WEXITSTATUS(status)) {
		snprintf(why, len, "'%s' exited with status %d", shown, WEXITSTATUS(status));
		return BISECT_SKIP;
	}
	return 0;

restore_abort:
	child_pid = 0;
	restore_signals(old);
	return BISECT_ABORT;
}

/* Compare and print the one line; return good or bad. */
static int judge(const struct bisect_opts *o, const struct pvx_row *base, const struct pvx_row *now)
{
	const struct metric *m = o->metric;
	const struct pvx_summary *sum;
	double b = m->value(base), v = m->value(now), delta = v - b, pct = 0;
	char bs[32], vs[32], ci[96] = "", ds[64];
	bool bad;

	if (b > 0) {
		pct = 100.0 * delta / b;
		bad = pct > o->threshold;
		snprintf(ds, sizeof(ds), "%+.1f%% (threshold +%g%%)", pct, o->threshold);
	} else {
		/* No percentage of zero: any measurable increase is worse. */
		bad = delta >= m->zero_step;
		snprintf(ds, sizeof(ds), "%+.4f on a zero baseline (threshold +%g)", delta,
			 m->zero_step);
	}
	snprintf(bs, sizeof(bs), "%.*f", m->decimals, b);
	snprintf(vs, sizeof(vs), "%.*f", m->decimals, v);
	sum = m->summary ? m->summary(now) : NULL;
	if (sum && sum->ci_level > 0 && isfinite(sum->ci_low) && isfinite(sum->ci_high)) {
		char lo[32], hi[32];

		snprintf(lo, sizeof(lo), "%.*f", m->decimals, sum->ci_low);
		snprintf(hi, sizeof(hi), "%.*f", m->decimals, sum->ci_high);
		snprintf(ci, sizeof(ci), " (%.0f%% CI %s..%s)", 100 * sum->ci_level, lo, hi);
	} else if (sum) {
		snprintf(ci, sizeof(ci), " (no CI from %zu sample%s)", now->nsamples,
			 now->nsamples == 1 ? "" : "s");
	}
	printf("%s %s: baseline %s, measured %s%s, %s: %s\n", o->metric_arg, o->guest->name, bs, vs,
	       ci, ds, bad ? "bad" : "good");
	return bad ? BISECT_BAD : BISECT_GOOD;
}

/* Read the commit's results and judge them; BISECT_SKIP when they cannot be. */
static int evaluate(const struct bisect_opts *o, const struct pvx_row *base,
		    enum pvx_time_unit base_unit, const char *result)
{
	struct pvx_results now;
	const struct pvx_row *row;
	char err[512], why[512];
	int rc;

	if (access(result, F_OK)) {
		pvx_err("cannot test this commit: '%s' wrote no results file (%s=%s)",
			o->command ? o->command[0] : "pvexit run", RESULT_ENV, result);
		return BISECT_SKIP;
	}
	if (pvx_results_load(result, &now, err, sizeof(err)) < 0) {
		pvx_err("cannot test this commit: %s", err);
		return BISECT_SKIP;
	}
	row = pvx_results_find(&now, o->label, o->variant, o->guest->name);
	if (now.time_unit != base_unit && o->metric->value == time_per_op) {
		/* Not this commit's fault: the bisect compares unlike things. */
		pvx_err("the baseline counts %s per op, this commit's run %s: measure both the same way (lab/run --clock); aborting the bisect",
			pvx_unit_name(base_unit), pvx_unit_name(now.time_unit));
		rc = BISECT_ABORT;
	} else if (!row) {
		pvx_err("cannot test this commit: the results have no row %s %s for guest %s",
			o->label, o->variant, o->guest->name);
		rc = BISECT_SKIP;
	} else if (row_failed(row, why, sizeof(why))) {
		pvx_err("cannot test this commit: %s %s %s: %s", o->label, o->variant,
			o->guest->name, why);
		rc = BISECT_SKIP;
	} else if (!isfinite(o->metric->value(row))) {
		pvx_err("cannot test this commit: %s %s is not a number", o->metric_arg,
			o->guest->name);
		rc = BISECT_SKIP;
	} else {
		rc = judge(o, base, row);
	}
	pvx_results_free(&now);
	return rc;
}

int cmd_bisect_run(int argc, char **argv)
{
	struct bisect_opts o;
	struct pvx_results base;
	const struct pvx_row *base_row;
	char err[512], dir[PATH_MAX], result[PATH_MAX + 16], why[PATH_MAX + 128];
	const char *tmp = getenv("TMPDIR");
	int rc;

	rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	if (pvx_results_load(o.baseline, &base, err, sizeof(err)) < 0) {
		pvx_err("--baseline: %s", err);
		return BISECT_ABORT;
	}
	base_row = baseline_row(&base, &o);
	if (!base_row) {
		pvx_results_free(&base);
		return BISECT_ABORT;
	}
	snprintf(dir, sizeof(dir), "%s/pvexit-bisect.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		pvx_err("cannot create a temporary directory %s: %s", dir, strerror(errno));
		pvx_results_free(&base);
		return BISECT_ABORT;
	}
	snprintf(result, sizeof(result), "%s/result.json", dir);
	rc = run_command(&o, result, why, sizeof(why));
	if (rc == BISECT_ABORT)
		pvx_err("%s; aborting the bisect", why);
	else if (rc == BISECT_SKIP)
		pvx_err("cannot test this commit: %s", why);
	else
		rc = evaluate(&o, base_row, base.time_unit, result);
	nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	pvx_results_free(&base);
	return rc;
}
