// SPDX-License-Identifier: GPL-2.0-only
/* Number, JSON and CSV formatting for report and compare. */
#include <math.h>
#include <string.h>

#include "json.h"
#include "table_fmt.h"

void pvx_fmt_num(char *buf, size_t len, double v)
{
	double mag = fabs(v);
	int decimals;

	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return;
	}
	if (mag == 0)
		decimals = 3;
	else
		decimals = 3 - (int)floor(log10(mag));
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	snprintf(buf, len, "%.*f", decimals, v);
}

void pvx_json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	fputc('"', f);
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", f);
		else if (*p == '\t')
			fputs("\\t", f);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Exact and shortest, as the results files write numbers. */
static void put_exact(FILE *f, double v)
{
	char buf[PVX_JSON_NUMBER_MAX];

	if (pvx_json_format_double(v, buf))
		fputs(buf, f);
}

void pvx_json_num(FILE *f, double v)
{
	if (isfinite(v))
		put_exact(f, v);
	else
		fputs("null", f);
}

void pvx_json_str_member(FILE *f, const char *sep, const char *key, const char *value)
{
	fprintf(f, "%s\"%s\": ", sep, key);
	pvx_json_str(f, value);
}

void pvx_json_num_member(FILE *f, const char *sep, const char *key, double value)
{
	fprintf(f, "%s\"%s\": ", sep, key);
	pvx_json_num(f, value);
}

void pvx_csv_str(FILE *f, const char *s)
{
	if (!s)
		s = "";
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void pvx_csv_num(FILE *f, double v)
{
	if (isfinite(v))
		put_exact(f, v);
}
