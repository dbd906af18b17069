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
	{ "list", cmd_list, "the instruction classes the PV interface rewrites" },
	{ "run", cmd_run, "run payloads under KVM PR and measure exits and time per class" },
	{ "report", cmd_report, "a results file as one table: time, speedup, exits saved" },
	{ "compare", cmd_compare, "two results files row by row; exit 1 when one regressed" },
	{ "plot", cmd_plot, "figures of results files with gnuplot: PNG and SVG" },
	{ "trace", cmd_trace, "record the KVM PR exit tracepoints raw; report exits per class" },
	{ "bisect-run", cmd_bisect_run, "a git bisect run step: a commit against a baseline" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: pvexit COMMAND [OPTION...]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'pvexit COMMAND --help' describes a command's options; 'pvexit --version'\n"
		   "names the version, the revision and how this pvexit was built.\n");
}

int main(int argc, char **argv)
{
	static char prog[64];
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("pvexit %s (git %s; %s build for %s, %s)\n", pvx_version(),
		       pvx_git_revision(), pvx_build_kind(), pvx_build_target(),
		       pvx_build_compiler());
		return fflush(stdout) || ferror(stdout) ? 1 : 0;
	}
	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(argv[1], commands[i].name))
			continue;
		snprintf(prog, sizeof(prog), "pvexit %s", commands[i].name);
		pvx_prog = prog;
		return commands[i].fn(argc - 1, argv + 1);
	}
	pvx_err("unknown command '%s' (try 'pvexit --help')", argv[1]);
	return 2;
}
