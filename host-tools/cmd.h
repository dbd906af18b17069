/* SPDX-License-Identifier: GPL-2.0-only */
/* The pvexit subcommands: one file each, one table in main.c. */
#ifndef PVEXIT_CMD_H
#define PVEXIT_CMD_H

struct pvx_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	/* The status when standard output was lost: PVX_EXIT_ERROR, unless
	 * the command answers to another convention. */
	int out_lost;
};

int cmd_list(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_bisect_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_plot(int argc, char **argv);
int cmd_trace(int argc, char **argv);

#endif
