/* SPDX-License-Identifier: GPL-2.0-only */
/* pvexit run without KVM PR here: the same command, inside the lab. */
#ifndef PVEXIT_RUN_LAB_H
#define PVEXIT_RUN_LAB_H

#include <stddef.h>
#include <stdint.h>

/* lab/run: $PVEXIT_LAB_RUN, else beside this pvexit's source tree
 * (BUILD/host/bin/pvexit -> lab/run).  Return: 0, or -1 if neither. */
int run_lab_path(char *buf, size_t len);

/* A suite name as given: "default" is bench/default.suite of this tree,
 * "e500" bench/e500.suite (the e500 guest's). */
const char *run_suite_path(const char *name);

/*
 * Inside the lab: @msg with the paths under /out as the user of the host
 * knows them (lab/run shares the host directory PVEXIT_LAB_OUT as /out).
 * Elsewhere, or without it: @msg itself.  Return: @buf or @msg.
 */
const char *run_lab_host_names(const char *msg, char *buf, size_t len);

/**
 * run_in_lab() - run `pvexit run --no-lab ARGS` in the lab (lab/run).
 * @suite, @out, @payload_dir: the --suite, --output and --payload-dir
 *	values given (or NULL): the suite file and the payloads are handed
 *	in, the results come back to @out's directory
 * @nruns: payload runs the command will make, each within @timeout s
 * Return: the command's exit status.
 */
int run_in_lab(int argc, char **argv, const char *suite, const char *out, const char *payload_dir,
	       unsigned int nruns, uint64_t timeout, const char *why);

#endif
