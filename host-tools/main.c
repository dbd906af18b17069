// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit: measure what the PowerPC KVM paravirtual interface saves.
 * One command table; each subcommand lives in cmd_NAME.c.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "host_info.h"
#include "util.h"

static const struct pvx_command commands[] = {
	{ "list", cmd_list, "the instruction classes the PV interface rewrites", PVX_EXIT_ERROR },
	{ "run", cmd_run, "run payloads under KVM PR and measure exits and time per class",
	  PVX_EXIT_ERROR },
	{ "report", cmd_report, "a results file as one table: time, speedup, exits saved",
	  PVX_EXIT_ERROR },
	{ "compare", cmd_compare, "two results files row by row; exit 1 when one regressed",
	  PVX_EXIT_ERROR },
	{ "plot", cmd_plot, "figures of results files with gnuplot: PNG and SVG", PVX_EXIT_ERROR },
	{ "trace", cmd_trace, "record the KVM PR exit tracepoints raw; report exits per class",
	  PVX_EXIT_ERROR },
	/* A lost answer says nothing about the commit: abort the bisect. */
	{ "bisect-run", cmd_bisect_run, "a git bisect run step: a commit against a baseline", 128 },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: pvexit COMMAND [OPTION...]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n'pvexit COMMAND --help' describes a command's options; 'pvexit --version'\n"
		"names the version, the revision and how this pvexit was built.\n"
		"\nExit status, of every command but bisect-run: 0 success; 1 a finding (a\n"
		"regression, a failed verdict or check); 2 bad usage, bad input or an I/O error,\n"
		"a failed write to standard output included.\n");
}

/*
 * What was printed must have arrived.  A success or a finding whose
 * output was lost is neither; a status that already tells of a failure
 * (an interruption, say) stays.
 */
static int out_checked(int rc, int lost)
{
	if (pvx_stdout_check() < 0 && (rc == PVX_EXIT_OK || rc == PVX_EXIT_FINDING))
		return lost;
	return rc;
}

int main(int argc, char **argv)
{
	static char prog[64];
	size_t i;

	pvx_std_streams_init();
	if (argc < 2) {
		usage(stderr);
		return PVX_EXIT_ERROR;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return out_checked(PVX_EXIT_OK, PVX_EXIT_ERROR);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("pvexit %s (git %s; %s build for %s, %s)\n", pvx_version(),
		       pvx_git_revision(), pvx_build_kind(), pvx_build_target(),
		       pvx_build_compiler());
		return out_checked(PVX_EXIT_OK, PVX_EXIT_ERROR);
	}
	for (i = 0; i < NCOMMANDS; i++) {
		const struct pvx_command *c = &commands[i];
		int rc;

		if (strcmp(argv[1], c->name))
			continue;
		snprintf(prog, sizeof(prog), "pvexit %s", c->name);
		pvx_prog = prog;
		rc = c->fn(argc - 1, argv + 1);
		return out_checked(rc, c->out_lost);
	}
	pvx_err("unknown command '%s' (try 'pvexit --help')", argv[1]);
	return PVX_EXIT_ERROR;
}
