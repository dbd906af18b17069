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

/*
 * The exit statuses every subcommand keeps (bisect-run excepted: it
 * answers git bisect run).  1 is a finding about what was measured or
 * compared; 2 means the answer itself could not be had or given.
 */
#define PVX_EXIT_OK 0
#define PVX_EXIT_FINDING 1 /* a regression, a failed verdict or check */
#define PVX_EXIT_ERROR 2 /* bad usage or input, an I/O error (stdout too) */

/* One line "PROG: error: MESSAGE" on stderr, made safe by pvx_safe(). */
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

/* "PROG: error: out of memory", then exit(PVX_EXIT_ERROR). */
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

/*
 * pvx_tool_path() - a helper program or file the user may point
 * elsewhere: $@env when set, else EXE_DIR/@rel (the build tree's layout).
 * Return: 0, or -1 when neither is known or the name does not fit @len.
 */
int pvx_tool_path(const char *env, const char *rel, char *buf, size_t len);

/* CLOCK_MONOTONIC in ns. */
uint64_t pvx_now_ns(void);

/* A byte-order-aware read of guest memory. */
uint64_t pvx_load64(const void *p, bool big_endian);
uint32_t pvx_load32(const void *p, bool big_endian);

/*
 * pvx_safe() - @s fit for a terminal: every control character (C0, DEL,
 * and C1 written as UTF-8) and every byte that is not part of a valid
 * UTF-8 character becomes \xNN.  Strings from results and suite files
 * pass through it before they are printed, so that none can move the
 * cursor, recolour the terminal or start a line of its own.
 * Return: @s itself when nothing needed escaping ("" for NULL), else a
 * copy valid until PVX_SAFE_SLOTS more calls, enough for one printf.
 */
#define PVX_SAFE_SLOTS 16
const char *pvx_safe(const char *s);

/*
 * pvx_std_streams_init() - ready the standard streams, first thing in
 * main().  A closed descriptor 0, 1 or 2 gets /dev/null opened read-only:
 * else the next file opened would take its number and receive what is
 * printed, while a write to it still fails as it should.  stdout becomes
 * a stream that keeps the errno of its first failed write, which stdio
 * forgets, for pvx_stdout_check() to say.
 */
void pvx_std_streams_init(void);

/*
 * pvx_stdout_check() - flush standard output and find whether all that
 * was written to it arrived (a full disk, /dev/full, a closed descriptor
 * all lose it).  The first failure is said in one error line; later
 * calls say nothing more.
 * Return: 0, or -1 when output was lost.
 */
int pvx_stdout_check(void);

#endif
