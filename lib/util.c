// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

const char *pvx_prog = "pvexit";

static void vsay(const char *kind, const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: %s: ", pvx_prog, kind);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pvx_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("error", fmt, ap);
	va_end(ap);
}

void pvx_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("warning", fmt, ap);
	va_end(ap);
}

void pvx_bad_option(int c, char *const argv[])
{
	if (c == ':')
		pvx_err("option %s needs a value (try --help)", argv[optind - 1]);
	else
		pvx_err("unknown option '%s' (try --help)", argv[optind - 1]);
}

void pvx_vset_err(char *err, size_t errlen, const char *fmt, va_list ap)
{
	if (!err || !errlen)
		return;
	if (vsnprintf(err, errlen, fmt, ap) < 0)
		snprintf(err, errlen, "(cannot format the message: %s)", fmt);
}

void pvx_set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pvx_vset_err(err, errlen, fmt, ap);
	va_end(ap);
}

bool pvx_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int base = 10;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno || *end || end == s || v < min || v > max)
		return false;
	*out = v;
	return true;
}

void *pvx_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p) {
		pvx_err("out of memory (%zu x %zu bytes)", n, size);
		exit(1);
	}
	return p;
}

int pvx_parse_percent(const char *opt, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v) || v < 0 || v > 1e6) {
		pvx_err("%s wants a percentage from 0 to 1000000, not '%s'", opt, arg);
		return -1;
	}
	*out = v;
	return 0;
}

void pvx_oom(void)
{
	pvx_err("out of memory");
	exit(1);
}

void *pvx_xrealloc(void *p, size_t n, size_t size)
{
	if (!n)
		n = 1;
	if (size && n > SIZE_MAX / size)
		pvx_oom();
	p = realloc(p, n * size);
	if (!p)
		pvx_oom();
	return p;
}

char *pvx_xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d)
		pvx_oom();
	return d;
}

const char *pvx_exe_dir(void)
{
	static char dir[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return dir;
}

uint64_t pvx_load64(const void *p, bool big_endian)
{
	const unsigned char *b = p;
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)b[i] << (big_endian ? 8 * (7 - i) : 8 * i);
	return v;
}

uint32_t pvx_load32(const void *p, bool big_endian)
{
	const unsigned char *b = p;
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4; i++)
		v |= (uint32_t)b[i] << (big_endian ? 8 * (3 - i) : 8 * i);
	return v;
}

uint64_t pvx_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

const char *pvx_find_data(const char *const *where, const char *name, char *buf, size_t len)
{
	const char *exe = pvx_exe_dir();
	size_t i;

	for (i = 0; where[i]; i++) {
		snprintf(buf, len, "%s/%s/%s", exe ? exe : ".", where[i], name);
		if (!access(buf, F_OK))
			return buf;
	}
	snprintf(buf, len, "%s/%s/%s", exe ? exe : ".", where[0], name);
	return NULL;
}
