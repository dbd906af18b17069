// SPDX-License-Identifier: GPL-2.0-only
/*
 * libtracecmd hands what a trace.dat holds (event formats, printk
 * formats, kallsyms) to libtraceevent's parsers, which trust their
 * input.  pvexit defines those three entry points itself, so the
 * dynamic linker binds libtracecmd's calls (and pvexit's own) here:
 * while a trace.dat is read (pvx_dat_formats_watch() to
 * pvx_dat_formats_unwatch()) each text is checked before it is handed
 * on, and the kallsyms are not parsed at all; at any other time these
 * are libtraceevent's functions.  libtracecmd's own unpacking of a
 * compressed section is stood in front of the same way, to skip the
 * kallsyms, and so is kbuffer's loading of a ring-buffer page, to check
 * the pages that were compressed in the file.
 */
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>

#include "trace_decode_internal.h"
#include "util.h"

static bool watching;
static char refused[400]; /* the first text refused while watching */
/* the compressed kallsyms section not to unpack: its file, where its data starts */
static int skip_fd = -1;
static uint64_t skip_at;
/* the file's ring-buffer pages, and room for a copy and an empty one */
static unsigned int page_size;
static bool page_be;
static int page_long;
static unsigned char *page_copy, *page_empty;

/* The library's definition of @name, which ours stands in front of. */
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
	skip_fd = -1;
	skip_at = 0;
	free(page_copy);
	page_copy = page_empty = NULL;
	return refused[0] ? refused : NULL;
}

void pvx_dat_kallsyms_skip(int fd, uint64_t at)
{
	skip_fd = fd;
	skip_at = at;
}

void pvx_dat_pages_check(unsigned int size, bool be, int long_size)
{
	free(page_copy);
	page_size = size;
	page_be = be;
	page_long = long_size;
	/* before the rehearsal's fork: nothing allocates while pages load */
	page_copy = size ? pvx_xcalloc(2, size + PVX_PAGE_SLACK) : NULL;
	page_empty = page_copy ? page_copy + size + PVX_PAGE_SLACK : NULL;
}

/*
 * kbuffer walks a page by the lengths in it: a padding event of length
 * -4 keeps it on one spot for ever, inside this very call (the page's
 * first event is read here), and a length past the commit takes it off
 * the page.  pvx_dat_check() walks the uncompressed pages first; the
 * compressed ones (trace-cmd's default since file version 7) reach
 * kbuffer only here.  The check reads a copy, which has the slack it
 * needs past the page (libtracecmd's last page of a chunk has none); a
 * page that fails is handed on empty, so that libtracecmd goes on to
 * the next, and refuses the file.
 */
int kbuffer_load_subbuffer(struct kbuffer *kbuf, void *subbuffer)
{
	static int (*load)(struct kbuffer *, void *);
	struct pvx_page pg;
	char why[160];

	if (watching && page_copy && subbuffer) {
		memcpy(page_copy, subbuffer, page_size);
		if (pvx_page_check(page_copy, page_size, page_be, page_long, &pg, why,
				   sizeof(why))) {
			if (!refused[0])
				snprintf(refused, sizeof(refused),
					 "a ring-buffer page: %s (trace.dat corrupt)", why);
			subbuffer = page_empty;
		}
	}
	if (!load)
		*(void **)&load = next("kbuffer_load_subbuffer");
	return load ? load(kbuf, subbuffer) : -1;
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
 * Not parsing the kallsyms still left libtracecmd unpacking them, 2 MB
 * with zstd, and copying them out: 60% of the time pvexit took for a
 * small compressed trace.dat once its format checks took one fork.  libtracecmd unpacks a compressed section
 * with tracecmd_uncompress_block(), reading the block from the file's
 * offset, which for the kallsyms section is where pvx_dat_check() found
 * its data; there, instead, its buffer is given what an empty kallsyms
 * section holds, a 4-byte size of 0, which libtracecmd reads and goes
 * on.  Its buffer functions, exported by libtracecmd 1.x, are looked up
 * rather than linked: without any of them, the section is unpacked.
 */
struct tracecmd_compression;

static bool empty_kallsyms(struct tracecmd_compression *c)
{
	static void (*reset)(struct tracecmd_compression *);
	static int (*put)(struct tracecmd_compression *, const void *, size_t);
	static off_t (*seek)(struct tracecmd_compression *, off_t, int);
	static const unsigned char none[4];

	if (!watching || skip_fd < 0 || !skip_at || lseek(skip_fd, 0, SEEK_CUR) != (off_t)skip_at)
		return false;
	if (!reset) {
		*(void **)&reset = dlsym(RTLD_DEFAULT, "tracecmd_compress_reset");
		*(void **)&put = dlsym(RTLD_DEFAULT, "tracecmd_compress_buffer_write");
		*(void **)&seek = dlsym(RTLD_DEFAULT, "tracecmd_compress_lseek");
	}
	if (!reset || !put || !seek)
		return false;
	reset(c);
	if (!put(c, none, sizeof(none)) && !seek(c, 0, SEEK_SET))
		return true;
	reset(c); /* (unpacked after all) */
	return false;
}

int tracecmd_uncompress_block(struct tracecmd_compression *c);
int tracecmd_uncompress_block(struct tracecmd_compression *c)
{
	static int (*unpack)(struct tracecmd_compression *);

	if (empty_kallsyms(c))
		return 0;
	if (!unpack)
		*(void **)&unpack = next("tracecmd_uncompress_block");
	return unpack ? unpack(c) : -1;
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
	enum tep_errno ret;
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
	if (!parse)
		return TEP_ERRNO__PARSE_EVENT_FAILED;
	ret = parse(tep, buf, size, sys);
	if (watching)
		pvx_format_parsed();
	return ret;
}
