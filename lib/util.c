// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
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

/* Messages quote names and text from files: each is made one safe line. */
static void vsay(const char *kind, const char *fmt, va_list ap)
{
	char msg[2048];

	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		snprintf(msg, sizeof(msg), "(cannot format the message: %s)", fmt);
	fprintf(stderr, "%s: %s: %s\n", pvx_prog, kind, pvx_safe(msg));
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
		exit(PVX_EXIT_ERROR);
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
	exit(PVX_EXIT_ERROR);
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

int pvx_tool_path(const char *env, const char *rel, char *buf, size_t len)
{
	const char *v = getenv(env), *dir;
	int n;

	if (len)
		*buf = '\0';
	if (v)
		n = snprintf(buf, len, "%s", v);
	else if ((dir = pvx_exe_dir()))
		n = snprintf(buf, len, "%s/%s", dir, rel);
	else
		return -1;
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * The length of the character at @s when a terminal shows it as text:
 * printable ASCII, or a well-formed UTF-8 sequence (no overlong forms,
 * surrogates or code points past U+10FFFF) that is not a C1 control.
 * 0: the byte at @s must be escaped.
 */
static size_t printable_len(const unsigned char *s)
{
	unsigned int c = s[0], cp, n, i;

	if (c >= 0x20 && c < 0x7f)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	cp = c & (0x7fu >> n);
	for (i = 1; i < n; i++) {
		/* The string's NUL ends a cut sequence here too. */
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0)
		return 0;
	return n;
}

const char *pvx_safe(const char *s)
{
	static char *slot[PVX_SAFE_SLOTS];
	static unsigned int next;
	const unsigned char *p;
	size_t n = 0, k;
	char *out, *o;

	if (!s)
		return "";
	for (p = (const unsigned char *)s; *p; p += k) {
		k = printable_len(p);
		n += k ? k : 4;
		if (!k)
			k = 1;
	}
	if (n == (size_t)(p - (const unsigned char *)s))
		return s;
	out = pvx_xrealloc(slot[next], n + 1, 1);
	slot[next] = out;
	next = (next + 1) % PVX_SAFE_SLOTS;
	for (o = out, p = (const unsigned char *)s; *p; p += k) {
		k = printable_len(p);
		if (k) {
			memcpy(o, p, k);
			o += k;
		} else {
			o += sprintf(o, "\\x%02x", *p);
			k = 1;
		}
	}
	*o = '\0';
	return out;
}

/* The first error of a write to standard output, which stdio forgets. */
static int out_errno;

static ssize_t out_write(void *cookie, const char *buf, size_t n)
{
	size_t done = 0;
	ssize_t k;

	(void)cookie;
	/* stdio counts a short write as a failure: finish it here. */
	while (done < n) {
		k = write(STDOUT_FILENO, buf + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (!out_errno)
				out_errno = k < 0 ? errno : EIO;
			return done ? (ssize_t)done : -1;
		}
		done += (size_t)k;
	}
	return (ssize_t)done;
}

void pvx_std_streams_init(void)
{
	static const cookie_io_functions_t fns = { .write = out_write };
	FILE *f;
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* open() takes the lowest free number: this one. */
		if (open("/dev/null", O_RDONLY) != fd) {
			pvx_err("cannot open /dev/null for closed descriptor %d: %s", fd,
				strerror(errno));
			exit(PVX_EXIT_ERROR);
		}
	}
	f = fopencookie(NULL, "w", fns);
	if (!f)
		return; /* stdout as it was: its errors are found, if not their cause */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, BUFSIZ);
	stdout = f;
}

int pvx_stdout_check(void)
{
	static bool said;
	int e;

	errno = 0;
	if (fflush(stdout) != EOF && !ferror(stdout))
		return 0;
	e = out_errno ? out_errno : errno;
	if (!said && e)
		pvx_err("writing to standard output failed: %s", strerror(e));
	else if (!said)
		pvx_err("writing to standard output failed: some of the output was lost");
	said = true;
	return -1;
}
