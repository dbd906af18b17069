/* SPDX-License-Identifier: GPL-2.0-only */
/* pvexit run's e500 guest where there is no BookE KVM: the e500 lab. */
#ifndef PVEXIT_RUN_E500_H
#define PVEXIT_RUN_E500_H

#include <stddef.h>

#include "launcher.h"

/**
 * run_e500_launch() - launch_run() of @lo, in the e500 lab.
 * The run's failures come back as launch_run()'s would: -1 with the
 * reason in @err (the guest's, or the lab's: timeout, crash, no lab).
 * Return: 0 with @r filled (free it with launch_result_free()), or -1.
 */
int run_e500_launch(const struct launch_opts *lo, struct launch_result *r, char *err,
		    size_t errlen);

#endif
