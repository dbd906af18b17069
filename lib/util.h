/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers shared by the pvexit command's files. */
#ifndef PVEXIT_UTIL_H
#define PVEXIT_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The command's name in messages ("pvexit run"), set by main(). */
extern const char *pvx_prog;

/* One line "PROG: error: MESSAGE" on stderr. */
void pvx_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pvx_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/**
 * pvx_parse_u64() - parse a whole decimal (or 0x hex) number in
 * [@min, @max].  Rejects empty strings, signs, trailing junk and
 * overflow.  Return: true on success.
 */
bool pvx_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * pvx_parse_percent() - parse the percentage @arg of option @opt
 * ("--threshold"), 0 to 1000000.  Return: 0, or -1 after one error line.
 */
int pvx_parse_percent(const char *opt, const char *arg, double *out);

/*
 * pvx_bad_option() - the error line for getopt_long()'s ':' (a missing
 * value) or '?' (an unknown option), run with opterr = 0 and a leading
 * ':' in its option string.
 */
void pvx_bad_option(int c, char *const argv[]);

/*
 * Format one error line into @err, cut to @errlen - 1 bytes if longer
 * (nothing if @err is NULL or @errlen 0).  Every error buffer of the
 * layers is filled here, so that a cut is made one way everywhere.
 */
void pvx_set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same for a file's own variadic error helper. */
void pvx_vset_err(char *err, size_t errlen, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* malloc/calloc that end the program with a message when memory runs out. */
void *pvx_xcalloc(size_t n, size_t size);

/* Resize @p to @n elements of @size bytes (at least one); exits when out of memory. */
void *pvx_xrealloc(void *p, size_t n, size_t size);

/* A copy of @s ("" for NULL); exits when out of memory. */
char *pvx_xstrdup(const char *s);

/* "PROG: error: out of memory", then exit(1). */
void pvx_oom(void) __attribute__((noreturn));

/* Directory of the running executable (from /proc/self/exe), or NULL. */
const char *pvx_exe_dir(void);

/**
 * pvx_find_data() - the first of EXE_DIR/@where[i]/@name that exists:
 * a file of the build tree or of an installation (make install), found
 * from where the program is.  @where ends with NULL.
 * Return: @buf, or NULL when none exists (@buf then holds the first).
 */
const char *pvx_find_data(const char *const *where, const char *name, char *buf, size_t len);

/* CLOCK_MONOTONIC in ns. */
uint64_t pvx_now_ns(void);

/* A byte-order-aware read of guest memory. */
uint64_t pvx_load64(const void *p, bool big_endian);
uint32_t pvx_load32(const void *p, bool big_endian);

#endif
