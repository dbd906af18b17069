/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Printing helpers shared by report and compare: numbers that read well
 * in a terminal table, and the JSON and CSV forms of the same table.
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

/* A JSON string: quoted, with control characters, quotes and backslashes escaped. */
void pvx_json_str(FILE *f, const char *s);

/* A JSON number that reads back exactly, or null when @v is not finite (JSON has no NaN). */
void pvx_json_num(FILE *f, double v);

/* @sep, then a member "@key": @value of a JSON object (@key needs no escapes). */
void pvx_json_str_member(FILE *f, const char *sep, const char *key, const char *value);
void pvx_json_num_member(FILE *f, const char *sep, const char *key, double value);

/* A CSV field (RFC 4180): quoted only when it holds a comma, quote or line break. */
void pvx_csv_str(FILE *f, const char *s);

/* A CSV number that reads back exactly, or an empty field when @v is not finite. */
void pvx_csv_num(FILE *f, double v);

#endif
