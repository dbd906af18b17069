/* The per-class table that pvexit run prints for one payload run. */
#ifndef PVEXIT_RUN_REPORT_H
#define PVEXIT_RUN_REPORT_H

#include <stdio.h>

#include "launcher.h"

/**
 * run_report_print() - print @r's facts, special phases and class table.
 * @endian: "be" or "le", for the rows
 * Return: the number of failed verdicts (exit counts off what the class
 * table promises, failed checks, phases without results).
 */
int run_report_print(FILE *f, const struct launch_result *r, const char *endian);

#endif
