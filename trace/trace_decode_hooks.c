// SPDX-License-Identifier: GPL-2.0-only
/*
 * libtracecmd hands what a trace.dat holds (event formats, printk
 * formats, kallsyms) to libtraceevent's parsers, which trust their
 * input.  pvexit defines those three entry points itself, so the
 * dynamic linker binds libtracecmd's calls (and pvexit's own) here:
 * while a trace.dat is read (pvx_dat_formats_watch() to
 * pvx_dat_formats_unwatch()) each text is checked before it is handed
 * on, and the kallsyms are not parsed at all; at any other time these
 * are libtraceevent's functions.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <traceevent/event-parse.h>

#include "trace_decode_internal.h"
#include "util.h"

static bool watching;
static char refused[400]; /* the first text refused while watching */

/* libtraceevent's definition of @name, which ours stands in front of. */
static void *next(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

void pvx_dat_formats_watch(void)
{
	watching = true;
	refused[0] = 0;
}

const char *pvx_dat_formats_unwatch(void)
{
	watching = false;
	return refused[0] ? refused : NULL;
}

/*
 * libtracecmd hands over the kallsyms trace-cmd record saved (2 MB on a
 * distribution kernel) and ignores what the parse returns.  Parsing it,
 * a sscanf() and a malloc() per kernel symbol, took a third of the time
 * to decode the trace of a whole pvexit run, for nothing: the decoder
 * never names a kernel function.
 */
int tep_parse_kallsyms(struct tep_handle *tep, const char *kallsyms)
{
	static int (*parse)(struct tep_handle *, const char *);

	if (watching)
		return 0;
	if (!parse)
		*(void **)&parse = next("tep_parse_kallsyms");
	return parse ? parse(tep, kallsyms) : -1;
}

/*
 * printk_formats, a "0xADDRESS : \"FORMAT\"" a line, as the kernel writes
 * it: libtraceevent reads a byte past a line without its " : " and
 * before a format shorter than two characters.
 */
static int printk_check(const char *s, char *why, size_t whylen)
{
	unsigned int line = 1;

	for (; *s; line++) {
		size_t n = strcspn(s, "\n"), a = strspn(s, "0123456789abcdefABCDEFx");

		if (n && (!a || n < a + 7 || memcmp(s + a, " : \"", 4) || s[n - 1] != '"')) {
			pvx_set_err(why, whylen,
				    "the printk formats: line %u is not 0xADDRESS : \"FORMAT\"",
				    line);
			return -1;
		}
		s += n + (s[n] == '\n');
	}
	return 0;
}

int tep_parse_printk_formats(struct tep_handle *tep, const char *buf)
{
	static int (*parse)(struct tep_handle *, const char *);
	char why[160];

	if (watching && refused[0])
		return -1;
	if (watching && printk_check(buf, why, sizeof(why))) {
		snprintf(refused, sizeof(refused), "%s (trace.dat corrupt)", why);
		return -1;
	}
	if (!parse)
		*(void **)&parse = next("tep_parse_printk_formats");
	return parse ? parse(tep, buf) : -1;
}

/* A trace.dat's format texts reach libtraceevent only from inside
 * libtracecmd, compressed in the file (version 7) until then: here. */
enum tep_errno tep_parse_event(struct tep_handle *tep, const char *buf, unsigned long size,
			       const char *sys)
{
	static enum tep_errno (*parse)(struct tep_handle *, const char *, unsigned long,
				       const char *);
	char why[400];

	/* (after one refusal the file is refused: parse no more of it) */
	if (watching && refused[0])
		return TEP_ERRNO__PARSE_EVENT_FAILED;
	if (watching && pvx_format_check(tep, buf, size, sys ? sys : "(none)", why, sizeof(why))) {
		snprintf(refused, sizeof(refused), "%s", why);
		return TEP_ERRNO__PARSE_EVENT_FAILED;
	}
	if (!parse)
		*(void **)&parse = next("tep_parse_event");
	return parse ? parse(tep, buf, size, sys) : TEP_ERRNO__PARSE_EVENT_FAILED;
}
