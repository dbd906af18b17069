/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /proc/cpuinfo, the one place the host's CPU facts come from: the PVR
 * and CPU name a results file records, the timebase frequency the guest's
 * device tree needs.
 */
#ifndef PVEXIT_CPUINFO_H
#define PVEXIT_CPUINFO_H

#include <stdbool.h>
#include <stddef.h>

/**
 * pvx_cpuinfo() - the value of the first "@key : value" line.
 * @key: the whole name before the colon ("cpu" is not "cpu MHz"),
 *       case-sensitive; blanks may separate it from the colon
 * @out: the value, without the blanks after the colon or the newline;
 *       cut to @len - 1 bytes like snprintf()
 *
 * Return: true if such a line exists, false if not or if the file
 * cannot be read (@out is then untouched).
 */
bool pvx_cpuinfo(const char *key, char *out, size_t len);

/* Read @path instead of /proc/cpuinfo from now on, NULL to go back; the
 * string must outlive its use.  For tests: cpuinfo differs by host. */
void pvx_cpuinfo_set_path(const char *path);

#endif
