// SPDX-License-Identifier: GPL-2.0-only
/* Reading "key : value" lines out of /proc/cpuinfo. */
#include "cpuinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CPUINFO_PROC "/proc/cpuinfo"

static const char *cpuinfo_path = CPUINFO_PROC;

void pvx_cpuinfo_set_path(const char *path)
{
	cpuinfo_path = path ? path : CPUINFO_PROC;
}

/* The value of @line if it is "@key[ \t]*:", else NULL. */
static char *value_of(char *line, const char *key, size_t klen)
{
	char *p;

	if (strncmp(line, key, klen))
		return NULL;
	p = line + klen + strspn(line + klen, " \t");
	if (*p != ':')
		return NULL;
	p++;
	p += strspn(p, " \t");
	p[strcspn(p, "\n")] = '\0';
	return p;
}

bool pvx_cpuinfo(const char *key, char *out, size_t len)
{
	size_t klen = strlen(key), cap = 0;
	FILE *f = fopen(cpuinfo_path, "re");
	char *line = NULL, *val = NULL;

	if (!f)
		return false;
	/* Whole lines: x86's "flags" runs past any fixed buffer, and the
	 * rest of a split line would be read as a line of its own. */
	while (!val && getline(&line, &cap, f) >= 0)
		val = value_of(line, key, klen);
	if (val)
		snprintf(out, len, "%s", val);
	free(line);
	fclose(f);
	return val != NULL;
}
