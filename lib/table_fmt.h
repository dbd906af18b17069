/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Printing helpers shared by report and compare: numbers that read well
 * in a terminal table, and the CSV form of the same table.  Their JSON
 * form goes through the writer of json.h, as all JSON does.
 */
#ifndef PVEXIT_TABLE_FMT_H
#define PVEXIT_TABLE_FMT_H

#include <stddef.h>
#include <stdio.h>

/*
 * pvx_fmt_num() - @v with four significant digits and no exponent
 * (19157, 41.48, 0.6480, 0.02500), "-" when not finite.
 */
void pvx_fmt_num(char *buf, size_t len, double v);

/* A CSV field (RFC 4180): quoted only when it holds a comma, quote or line break. */
void pvx_csv_str(FILE *f, const char *s);

/* A CSV number that reads back exactly, or an empty field when @v is not finite. */
void pvx_csv_num(FILE *f, double v);

#endif
