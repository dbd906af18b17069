// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit plot: figures of one or more results files, drawn by gnuplot
 * with the scripts in plots/.  pvexit writes the tables (plot_data.h),
 * gnuplot draws; everything is made in a staging directory and renamed
 * into place only when every figure was drawn (plot_gnuplot.h), so that a
 * failure leaves the output directory as it was.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "plot_data.h"
#include "plot_gnuplot.h"
#include "results.h"
#include "suite.h"
#include "util.h"

/* The tables a figure can be drawn from. */
enum table { T_CLASSES, T_LATENCY, T_TREND, T_COUNT };

static const char *const table_names[T_COUNT] = {
	[T_CLASSES] = "per-class",
	[T_LATENCY] = "latency",
	[T_TREND] = "trend",
};

/* Why a figure cannot be drawn from its table, or NULL when it can. */
static const char *no_ns(const struct plot_info *pi)
{
	return *pi->ns_variants ? NULL : "no row has a positive time per op";
}

static const char *no_exits(const struct plot_info *pi)
{
	return *pi->exit_variants ? NULL : "no raw or patched row";
}

static const char *no_speedup(const struct plot_info *pi)
{
	return pi->speedup ?
		       NULL :
		       "no class has both a raw and a patched row with a positive time per op";
}

static const char *no_headline(const struct plot_info *pi)
{
	return pi->headline ? NULL : "no class has raw, patched and baseline rows with exits";
}

static const char *no_latency(const struct plot_info *pi)
{
	return *pi->lat_variants ? NULL : "the histograms hold no exit";
}

static const char *no_trend(const struct plot_info *pi)
{
	return pi->series && *pi->series ? NULL : "no file has a raw or patched row";
}

/* One figure per guest: plots/NAME.gp draws NAME-GUEST.png and .svg; a
 * figure of time is named for its unit ("ns-per-op", "insn-per-op"). */
static const struct figure {
	const char *name;
	enum table table;
	const char *(*why_not)(const struct plot_info *pi);
	bool per_unit;
} figures[] = {
	{ "time-per-op", T_CLASSES, no_ns, true },
	{ "exits-per-op", T_CLASSES, no_exits, false },
	{ "savings", T_CLASSES, no_speedup, false },
	{ "headline", T_CLASSES, no_headline, false },
	{ "exit-latency", T_LATENCY, no_latency, false },
	{ "trend", T_TREND, no_trend, false },
};

/* The name of @fig's files, in @buf. */
static const char *fig_file(const struct figure *fig, enum pvx_time_unit u, char *buf, size_t len)
{
	if (fig->per_unit)
		snprintf(buf, len, "%s-per-op", pvx_unit_name(u));
	else
		snprintf(buf, len, "%s", fig->name);
	return buf;
}

#define NFIGURES (sizeof(figures) / sizeof(figures[0]))

/* Titles name the guest; the names themselves are bench/suite.c's. */
static const char *const guest_desc[PVX_GUEST_COUNT] = {
	"64-bit big-endian",
	"64-bit little-endian",
	"32-bit big-endian Book3S",
	"32-bit BookE, e500v2",
};

#define FMT_PNG (1u << 0)
#define FMT_SVG (1u << 1)

static const char *const format_ext[] = { "png", "svg" };

struct plot_opts {
	const char *outdir;
	unsigned int formats;
	unsigned int guests; /* PVX_GUEST_*, 0: every guest of the last file */
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvexit plot FILE... -o DIR [--format png|svg|both] [--guest LIST]\n"
		"\n"
		"Draw figures of results files (pvexit run -o) with gnuplot into DIR:\n"
		"per guest, from the last FILE: ns-per-op, or insn-per-op for results\n"
		"counted in emulated instructions (raw, patched, baseline; log scale,\n"
		"confidence intervals), exits-per-op, savings (speedup and exits saved),\n"
		"headline (exit path per exit, the PV rewrite's own cost per op),\n"
		"exit-latency (the bpf collector's histogram, when there is one); with\n"
		"two FILEs or more, trend (per op across the FILEs, in order), which\n"
		"must share one time unit. The tables gnuplot read are written beside\n"
		"them (*.tsv).\n"
		"\n"
		"  -o, --output DIR        where the figures go (made if missing)\n"
		"  -f, --format FMT        png, svg or both (default both)\n"
		"  -g, --guest LIST        be, le, be32, e500, comma-separated, or all (default:\n"
		"                          every guest the last FILE has)\n"
		"  -h, --help              this text\n"
		"\n"
		"The gnuplot scripts are found in $PVEXIT_PLOTS_DIR, or plots/ of the\n"
		"source tree the program was built in, or ../share/pvexit/plots beside it.\n"
		"Values beyond what gnuplot can draw (magnitudes over 1e150 or under\n"
		"1e-150) are drawn at those bounds, with a warning.\n"
		"\n"
		"Exit status: 0 every figure drawn; 2 bad usage, a FILE that cannot be\n"
		"read or is not a results file, or a figure that could not be drawn or\n"
		"written whole (gnuplot failed, the disk is full); 128 + the signal when\n"
		"interrupted. plot has no findings, so never exits 1. Figures are drawn in\n"
		"a private directory inside DIR and renamed into place only when every one\n"
		"is whole: after a failure DIR holds what it held before.\n");
}

static int parse_args(int argc, char **argv, struct plot_opts *o)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "guest", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	o->formats = FMT_PNG | FMT_SVG;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:f:g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->outdir = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "png")) {
				o->formats = FMT_PNG;
			} else if (!strcmp(optarg, "svg")) {
				o->formats = FMT_SVG;
			} else if (!strcmp(optarg, "both")) {
				o->formats = FMT_PNG | FMT_SVG;
			} else {
				pvx_err("--format wants png, svg or both, not '%s'", optarg);
				return -1;
			}
			break;
		case 'g':
			/* "all": every guest the file has, as without --guest. */
			o->guests = strcmp(optarg, "all") ? pvx_suite_guests(optarg) : 0;
			if (!o->guests && strcmp(optarg, "all")) {
				pvx_err("--guest wants be, le, be32, e500 (comma-separated) or all, not '%s'",
					optarg);
				return -1;
			}
			break;
		case 'h':
			return 1;
		case ':':
			pvx_err("option '%s' needs a value", argv[optind - 1]);
			return -1;
		default:
			pvx_err("unknown option '%s' (try 'pvexit plot --help')", argv[optind - 1]);
			return -1;
		}
	}
	if (!o->outdir) {
		pvx_err("no output directory (-o DIR)");
		return -1;
	}
	if (!*o->outdir || strlen(o->outdir) > PLOT_PATH_LIMIT) {
		pvx_err("-o: %s directory name", *o->outdir ? "too long a" : "empty");
		return -1;
	}
	if (optind == argc) {
		pvx_err("no results FILE to plot");
		return -1;
	}
	return 0;
}

/* Whether @dir holds common.gp and every figure's script. */
static const char *missing_script(const char *dir)
{
	static char name[PATH_MAX];
	size_t i;

	plot_path_fmt(name, sizeof(name), "%s/common.gp", dir);
	if (access(name, R_OK))
		return name;
	for (i = 0; i < NFIGURES; i++) {
		plot_path_fmt(name, sizeof(name), "%s/%s.gp", dir, figures[i].name);
		if (access(name, R_OK))
			return name;
	}
	return NULL;
}

/*
 * The scripts: $PVEXIT_PLOTS_DIR, else the source tree's plots/ seen
 * from BUILD/host/bin, else an installed share directory.
 */
static int find_scripts(char *dir, size_t len)
{
	static const char *const rel[] = { "../../../plots", "../share/pvexit/plots" };
	const char *env = getenv("PVEXIT_PLOTS_DIR"), *exe = pvx_exe_dir(), *miss;
	char cand[PATH_MAX];
	size_t i;

	if (env && *env) {
		if (strlen(env) > PLOT_PATH_LIMIT) {
			pvx_err("PVEXIT_PLOTS_DIR: too long a directory name");
			return -1;
		}
		miss = missing_script(env);
		if (miss) {
			pvx_err("PVEXIT_PLOTS_DIR=%s: no %s", env, miss);
			return -1;
		}
		snprintf(dir, len, "%s", env);
		return 0;
	}
	for (i = 0; exe && i < sizeof(rel) / sizeof(rel[0]); i++) {
		plot_path_fmt(cand, sizeof(cand), "%s/%s", exe, rel[i]);
		if (!missing_script(cand) && realpath(cand, dir) && strlen(dir) <= PLOT_PATH_LIMIT)
			return 0;
	}
	pvx_err("cannot find the gnuplot scripts (plots/*.gp) beside %s; set PVEXIT_PLOTS_DIR",
		exe ? exe : "the program");
	return -1;
}

/* A gnuplot string constant: single quotes, which gnuplot doubles. */
static void gp_str(FILE *f, const char *var, const char *s)
{
	fprintf(f, "%s='", var);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else
			fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
	}
	fputs("'; ", f);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

/* "lab-le-be.json, v0.6.0-12-g3f2c1e9, 2026-11-24 09:12, POWER8 ..." */
static void describe_file(const struct pvx_results *r, const char *path, char *buf, size_t len)
{
	const struct pvx_host *h = &r->host;
	int cpu_len = (int)strcspn(h->cpu, ",");
	char date[32];

	plot_short_date(r->date, date, sizeof(date));
	snprintf(buf, len, "%s, %s, %s, %s%.*s, %s%s", base_name(path), r->git_revision, date,
		 h->lab ? "lab (QEMU TCG) " : "", cpu_len, h->cpu, h->kernel_release,
		 r->complete ? "" : " (incomplete run)");
}

/* Write table @t of @guest into the staging directory; @path gets where. */
static int write_table(struct plot_stage *st, enum table t, const char *guest,
		       const struct pvx_results *const *rs, const char *const *names, size_t n,
		       char *path, size_t len, struct plot_info *pi)
{
	char name[64];
	FILE *f;
	int ret, e;

	snprintf(name, sizeof(name), "%s-%s.tsv", table_names[t], guest);
	plot_path_fmt(path, len, "%s/%s", st->dir, name);
	plot_stage_add(st, name);
	f = fopen(path, "w");
	if (!f) {
		pvx_err("cannot write %s in %s: %s", name, st->outdir, strerror(errno));
		return -1;
	}
	errno = 0;
	if (t == T_CLASSES)
		ret = plot_write_classes(f, rs[n - 1], guest, pi);
	else if (t == T_LATENCY)
		ret = plot_write_latency(f, rs[n - 1], guest, pi);
	else
		ret = plot_write_trend(f, rs, names, n, guest, pi);
	e = errno;
	if (fclose(f) && ret >= 0)
		e = errno;
	else if (ret >= 0)
		return 0;
	pvx_err("cannot write %s in %s: %s", name, st->outdir, strerror(e ? e : EIO));
	return -1;
}

struct plan {
	struct plot_job *jobs;
	size_t njobs;
	char **notes; /* figures left out, and why */
	size_t nnotes;
	char **warns; /* values drawn other than as the file has them */
	size_t nwarns;
};

static struct plot_job *add_job(struct plan *p)
{
	struct plot_job *j;

	p->jobs = pvx_xrealloc(p->jobs, p->njobs + 1, sizeof(*p->jobs));
	j = &p->jobs[p->njobs++];
	memset(j, 0, sizeof(*j));
	j->errfd = -1;
	return j;
}

/* What the scripts of table @t must know of it, as -e variables. */
static void table_vars(FILE *f, enum table t, const struct plot_info *pi)
{
	if (t == T_CLASSES) {
		gp_str(f, "ns_variants", pi->ns_variants);
		gp_str(f, "exit_variants", pi->exit_variants);
	} else if (t == T_LATENCY) {
		gp_str(f, "variants", pi->lat_variants);
	} else {
		gp_str(f, "labels", pi->labels ? pi->labels : "");
		gp_str(f, "series", pi->series ? pi->series : "");
	}
}

static void note(struct plan *p, const char *fig, const char *guest, const char *why)
{
	char line[1024];

	snprintf(line, sizeof(line), "skipped %s-%s: %s", fig, guest, why);
	plot_strv_push(&p->notes, &p->nnotes, line);
}

/* A job drawing @fig for @guest in format @k. */
static void plan_job(struct plan *p, struct plot_stage *st, const char *scripts,
		     const struct figure *fig, const char *guest, size_t k, const char *table,
		     const struct plot_info *pi, const char *title, const char *source,
		     const char *from, enum pvx_time_unit u)
{
	struct plot_job *j = add_job(p);
	char fname[32];
	size_t len;
	FILE *f;

	snprintf(j->output, sizeof(j->output), "%s-%s.%s", fig_file(fig, u, fname, sizeof(fname)),
		 guest, format_ext[k]);
	plot_path_fmt(j->script, sizeof(j->script), "%s/%s.gp", scripts, fig->name);
	plot_path_fmt(j->path, sizeof(j->path), "%s/%s", st->dir, j->output);
	plot_stage_add(st, j->output);
	j->from = pvx_xstrdup(from);
	f = open_memstream(&j->expr, &len);
	if (!f)
		pvx_oom();
	gp_str(f, "datafile", table);
	gp_str(f, "out", j->path);
	gp_str(f, "term", format_ext[k]);
	gp_str(f, "plots", scripts);
	gp_str(f, "guest", title);
	gp_str(f, "source", source);
	gp_str(f, "time_unit", pvx_unit_name(u));
	table_vars(f, fig->table, pi);
	if (fclose(f))
		pvx_oom();
}

/* The tables of one guest, and a job for each figure and format. */
static int plan_guest(struct plan *p, struct plot_stage *st, const struct plot_opts *o,
		      const char *scripts, unsigned int g, const struct pvx_results *const *rs,
		      const char *const *names, size_t n)
{
	const char *guest = pvx_guest_names[g], *why_not;
	char table[T_COUNT][PATH_MAX], title[256], source[1024], why[512], fname[32];
	char from[2 * PATH_MAX + 16];
	struct plot_info info[T_COUNT] = { 0 };
	bool have[T_COUNT] = { false };
	size_t i, k;
	int ret = -1;

	have[T_CLASSES] = true;
	have[T_LATENCY] = plot_latency_why(rs[n - 1], guest, why, sizeof(why));
	if (!have[T_LATENCY])
		note(p, "exit-latency", guest, why);
	have[T_TREND] = n > 1;
	for (k = 0; k < T_COUNT; k++) {
		if (!have[k])
			continue;
		if (write_table(st, k, guest, rs, names, n, table[k], PATH_MAX, &info[k]))
			goto out;
		if (info[k].clamped) {
			snprintf(
				why, sizeof(why),
				"%s: %u values of guest %s are beyond what gnuplot draws (magnitudes over %s or under %s): drawn at those bounds",
				k == T_TREND ? "the files" : names[n - 1], info[k].clamped, guest,
				PLOT_VALUE_MAX_TEXT, PLOT_VALUE_MIN_TEXT);
			plot_strv_push(&p->warns, &p->nwarns, why);
		}
	}

	snprintf(title, sizeof(title), "guest %s (%s)", guest, guest_desc[g]);
	for (i = 0; i < NFIGURES; i++) {
		const struct figure *fig = &figures[i];

		if (!have[fig->table])
			continue;
		why_not = fig->why_not(&info[fig->table]);
		if (why_not) {
			note(p, fig_file(fig, rs[n - 1]->time_unit, fname, sizeof(fname)), guest,
			     why_not);
			continue;
		}
		if (fig->table == T_TREND) {
			snprintf(source, sizeof(source), "%zu files: %s ... %s", n,
				 base_name(names[0]), base_name(names[n - 1]));
			snprintf(from, sizeof(from), "%s ... %s", names[0], names[n - 1]);
		} else {
			describe_file(rs[n - 1], names[n - 1], source, sizeof(source));
			snprintf(from, sizeof(from), "%s", names[n - 1]);
		}
		for (k = 0; k < sizeof(format_ext) / sizeof(format_ext[0]); k++)
			if (o->formats & (1u << k))
				plan_job(p, st, scripts, fig, guest, k, table[fig->table],
					 &info[fig->table], title, source, from,
					 rs[n - 1]->time_unit);
	}
	ret = 0;
out:
	for (k = 0; k < T_COUNT; k++)
		plot_info_free(&info[k]);
	return ret;
}

/* The guests to draw: those asked for, which the last file must have. */
static int pick_guests(const struct plot_opts *o, const struct pvx_results *last, const char *path,
		       unsigned int *guests)
{
	unsigned int have = 0, g;
	size_t i, k;

	for (i = 0; i < last->nrows; i++)
		for (k = 0; k < PVX_GUEST_COUNT; k++)
			if (!strcmp(last->rows[i].guest, pvx_guest_names[k]))
				have |= 1u << k;
	if (!have) {
		pvx_err("%s: no rows to plot", path);
		return -1;
	}
	if (!o->guests) {
		*guests = have;
		return 0;
	}
	for (g = 0; g < PVX_GUEST_COUNT; g++) {
		if ((o->guests & (1u << g)) && !(have & (1u << g))) {
			pvx_err("--guest %s: %s has no rows for that guest", pvx_guest_names[g],
				path);
			return -1;
		}
	}
	*guests = o->guests;
	return 0;
}

static void free_plan(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->njobs; i++)
		plot_job_free(&p->jobs[i]);
	free(p->jobs);
	plot_strv_free(p->notes, p->nnotes);
	plot_strv_free(p->warns, p->nwarns);
}

/* What a run that drew everything says, on stdout: the figures left
 * out, the files.  Return: 0, or -1 after one error line. */
static int say_done(const struct plot_stage *st, const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nnotes; i++)
		printf("%s\n", p->notes[i]);
	plot_stage_list(st, stdout);
	return pvx_stdout_check();
}

static int draw(const struct plot_opts *o, const struct pvx_results *const *rs,
		const char *const *names, size_t n)
{
	char gnuplot[PATH_MAX], scripts[PATH_MAX];
	struct plan plan = { 0 };
	struct plot_stage st;
	unsigned int guests, g;
	size_t i;
	int ret = -1;

	if (pick_guests(o, rs[n - 1], names[n - 1], &guests))
		return -1;
	if (!plot_find_on_path("gnuplot", gnuplot, sizeof(gnuplot))) {
		pvx_err("gnuplot not found on PATH: install gnuplot-nox (make deps)");
		return -1;
	}
	if (find_scripts(scripts, sizeof(scripts)))
		return -1;
	/* A signal ends the gnuplot runs, and then this removes what they left. */
	plot_catch_signals();
	if (plot_stage_open(&st, o->outdir))
		return -1;
	for (g = 0; g < PVX_GUEST_COUNT; g++)
		if ((guests & (1u << g)) && plan_guest(&plan, &st, o, scripts, g, rs, names, n))
			goto out;
	if (plot_run_jobs(plan.jobs, plan.njobs, gnuplot))
		goto out;
	/*
	 * The list on stdout is part of the output: when it cannot be
	 * written, the figures are taken back too, which the commit still
	 * can until plot_stage_finish().
	 */
	if (plot_stage_commit(&st) || say_done(&st, &plan))
		goto out;
	plot_stage_finish(&st);
	/* Only now: a failure says one thing, its error. */
	for (i = 0; i < plan.njobs; i++)
		plot_job_warnings(&plan.jobs[i]);
	for (i = 0; i < plan.nwarns; i++)
		pvx_warn("%s", plan.warns[i]);
	ret = 0;
out:
	if (ret)
		plot_stage_abort(&st);
	free_plan(&plan);
	return ret;
}

int cmd_plot(int argc, char **argv)
{
	struct plot_opts o = { 0 };
	struct pvx_results *rs;
	const struct pvx_results **crs;
	const char **names;
	char err[1024];
	size_t n, i, loaded = 0;
	int ret = PVX_EXIT_ERROR;

	switch (parse_args(argc, argv, &o)) {
	case 0:
		break;
	case 1: /* --help; main() checks that it arrived */
		usage(stdout);
		return PVX_EXIT_OK;
	default:
		return PVX_EXIT_ERROR;
	}
	n = (size_t)(argc - optind);
	rs = pvx_xcalloc(n, sizeof(*rs));
	crs = pvx_xcalloc(n, sizeof(*crs));
	names = pvx_xcalloc(n, sizeof(*names));
	for (i = 0; i < n; i++) {
		names[i] = argv[optind + (int)i];
		crs[i] = &rs[i];
		if (pvx_results_load(names[i], &rs[i], err, sizeof(err))) {
			pvx_err("%s", err);
			goto out;
		}
		loaded++;
		if (rs[i].time_unit != rs[0].time_unit) {
			pvx_err("%s counts %s per op, %s %s: one plot does not mix time units",
				names[0], pvx_unit_name(rs[0].time_unit), names[i],
				pvx_unit_name(rs[i].time_unit));
			goto out;
		}
	}
	/* As a shell reports a command a signal ended: 128 + the signal. */
	if (draw(&o, crs, names, n)) {
		ret = plot_interrupted() ? 128 + plot_interrupted() : PVX_EXIT_ERROR;
		goto out;
	}
	/* Said after the work, so that a failure has one line: its error. */
	for (i = 0; i < n; i++)
		if (!rs[i].complete)
			pvx_warn("%s: an incomplete run (interrupted): only the rows that finished",
				 names[i]);
	ret = PVX_EXIT_OK;
out:
	for (i = 0; i < loaded; i++)
		pvx_results_free(&rs[i]);
	free(rs);
	free(crs);
	free(names);
	return ret;
}
