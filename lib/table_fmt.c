// SPDX-License-Identifier: GPL-2.0-only
/* Number and CSV formatting for report and compare (JSON: json.h). */
#include <math.h>
#include <string.h>

#include "json.h"
#include "table_fmt.h"
#include "util.h"

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

void pvx_csv_str(FILE *f, const char *s)
{
	/* CSV is read in terminals too: the file's control characters are not printed raw. */
	s = pvx_safe(s);
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
	char buf[PVX_JSON_NUMBER_MAX];

	/* Exact and shortest, as the results files write numbers. */
	if (pvx_json_format_double(v, buf))
		fputs(buf, f);
}
