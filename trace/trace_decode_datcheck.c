// SPDX-License-Identifier: GPL-2.0-only
/*
 * A structural check of a trace-cmd trace.dat before libtracecmd reads
 * it: libtracecmd believes the file's page size, section sizes, option
 * sizes and per-CPU data offsets, and a flipped bit in any of them sends
 * it out of bounds.  Layouts: trace-cmd.dat.v6(5) and .v7(5); in
 * version 7 the section header's size is 8 bytes, as trace-cmd writes
 * it; the sizes inside its metadata sections (formats, kallsyms, command
 * lines) are checked as in version 6 when the section is not compressed.
 * Compressed contents cannot be checked without decompressing them;
 * their framing (chunk sizes) is, and their ring-buffer pages are as
 * libtracecmd loads them (trace_decode_hooks.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "trace_decode_internal.h"
#include "util.h"

#define MAX_SECTIONS 1024
#define MAX_OPTIONS 100000
#define MAX_CPUS 8192
#define MAX_STRING 4096
#define MAX_CHUNK (1u << 28) /* what libtracecmd would allocate for one */
#define ANY_SECTION 0xffffu
#define SECTION_HEADER 16 /* u16 id, u16 flags, u32 string id, u64 size */
#define SEC_COMPRESSED 1

enum {
	OPT_DONE = 0,
	OPT_BUFFER = 3,
	OPT_TRACECLOCK = 4,
	OPT_HOOK = 6,
	OPT_CPUCOUNT = 8,
	OPT_STRINGS = 15,
	OPT_HEADER_INFO = 16,
	OPT_FTRACE_EVENTS = 17,
	OPT_EVENT_FORMATS = 18,
	OPT_KALLSYMS = 19,
	OPT_PRINTK = 20,
	OPT_CMDLINES = 21,
	OPT_BUFFER_TEXT = 22,
};

struct dat {
	const char *path;
	int fd;
	uint64_t size;
	bool be, compressed;
	int long_size;
	unsigned int version, page_size;
	unsigned int buffers; /* BUFFER options seen (version 7) */
	uint64_t cpucount; /* the CPUCOUNT option, or 0 */
	uint64_t cpu_end; /* 1 + the highest CPU a BUFFER option names */
	uint64_t options_end; /* where the last options section ends */
	uint64_t limit; /* where the part being walked ends: a section, or the file */
	bool unreadable; /* a compressed options section hid the rest */
	bool codec; /* version 7 names a compression (not "none") */
	uint64_t kallsyms; /* where a compressed kallsyms section's data starts */
	unsigned char *page;
	char *err;
	size_t errlen;
};

static int bad(struct dat *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct dat *d, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	pvx_vset_err(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pvx_set_err(d->err, d->errlen, "%s: %s (trace.dat corrupt or truncated)", d->path, msg);
	return -1;
}

static int get(struct dat *d, uint64_t off, void *buf, size_t n, const char *what)
{
	size_t done = 0;

	if (off > d->size || n > d->size - off)
		return bad(d, "%s at offset %llu runs past the end of the file (%llu bytes)", what,
			   (unsigned long long)off, (unsigned long long)d->size);
	while (done < n) {
		ssize_t k = pread(d->fd, (char *)buf + done, n - done, (off_t)(off + done));

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return bad(d, "cannot read %s at offset %llu: %s", what,
				   (unsigned long long)off, k ? strerror(errno) : "end of file");
		done += (size_t)k;
	}
	return 0;
}

static uint64_t num(const struct dat *d, const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[d->be ? i : n - 1 - i] << (8 * (n - 1 - i));
	return v;
}

static int get_num(struct dat *d, uint64_t *off, int n, uint64_t *v, const char *what)
{
	unsigned char b[8];

	if (get(d, *off, b, (size_t)n, what))
		return -1;
	*v = num(d, b, n);
	*off += (uint64_t)n;
	return 0;
}

/* A NUL-terminated string at *off, ending before @end. */
static int skip_string(struct dat *d, uint64_t *off, uint64_t end, const char *what)
{
	char b[64];

	while (*off < end) {
		size_t n = end - *off < sizeof(b) ? (size_t)(end - *off) : sizeof(b);
		char *z;

		if (get(d, *off, b, n, what))
			return -1;
		z = memchr(b, 0, n);
		if (z) {
			*off += (uint64_t)(z - b) + 1;
			return 0;
		}
		*off += n;
	}
	return bad(d, "%s is not terminated", what);
}

static int expect(struct dat *d, uint64_t *off, const char *s, size_t n)
{
	char b[16];

	if (get(d, *off, b, n, s))
		return -1;
	if (memcmp(b, s, n))
		return bad(d, "no '%s' at offset %llu", s, (unsigned long long)*off);
	*off += n;
	return 0;
}

/* A block: a @n-byte size, then that many bytes, inside d->limit. */
static int skip_block(struct dat *d, uint64_t *off, int n, const char *what)
{
	uint64_t len;

	if (get_num(d, off, n, &len, what))
		return -1;
	if (*off > d->limit || len > d->limit - *off)
		return bad(d, "%s at offset %llu says %llu bytes, %llu remain", what,
			   (unsigned long long)*off, (unsigned long long)len,
			   (unsigned long long)(*off > d->limit ? 0 : d->limit - *off));
	*off += len;
	return 0;
}

/* --- the metadata: in a row in version 6, a section each in version 7 ------- */

static int header_files(struct dat *d, uint64_t *off)
{
	return expect(d, off, "header_page", 12) || skip_block(d, off, 8, "the header_page") ||
	       expect(d, off, "header_event", 13) || skip_block(d, off, 8, "the header_event");
}

static int ftrace_files(struct dat *d, uint64_t *off)
{
	uint64_t n, i;

	if (get_num(d, off, 4, &n, "the ftrace format count"))
		return -1;
	if (n > MAX_OPTIONS)
		return bad(d, "%llu ftrace formats", (unsigned long long)n);
	for (i = 0; i < n; i++)
		if (skip_block(d, off, 8, "an ftrace format"))
			return -1;
	return 0;
}

static int event_files(struct dat *d, uint64_t *off)
{
	uint64_t n, i, j, events;

	if (get_num(d, off, 4, &n, "the event system count"))
		return -1;
	if (n > MAX_OPTIONS)
		return bad(d, "%llu event systems", (unsigned long long)n);
	for (i = 0; i < n; i++) {
		if (skip_string(d, off, d->limit, "a system name") ||
		    get_num(d, off, 4, &events, "an event count"))
			return -1;
		if (events > MAX_OPTIONS)
			return bad(d, "%llu event formats in a system", (unsigned long long)events);
		for (j = 0; j < events; j++)
			if (skip_block(d, off, 8, "an event format"))
				return -1;
	}
	return 0;
}

/* Uncompressed ring-buffer pages of one CPU, as kbuffer will walk them. */
static int check_pages(struct dat *d, unsigned int cpu, uint64_t off, uint64_t size)
{
	uint64_t p;

	if (size % d->page_size)
		return bad(d, "CPU %u's data at offset %llu is %llu bytes, not whole %u-byte pages",
			   cpu, (unsigned long long)off, (unsigned long long)size, d->page_size);
	for (p = 0; p < size / d->page_size; p++) {
		struct pvx_page pg;
		char why[160];

		if (get(d, off + p * d->page_size, d->page, d->page_size, "a ring-buffer page"))
			return -1;
		if (pvx_page_check(d->page, d->page_size, d->be, d->long_size, &pg, why,
				   sizeof(why)))
			return bad(d, "CPU %u page %llu (offset %llu): %s", cpu,
				   (unsigned long long)p,
				   (unsigned long long)(off + p * d->page_size), why);
	}
	return 0;
}

/* Compressed per-CPU data: a chunk count, then (size, unpacked size,
 * data) per chunk; the size trace-cmd records leaves out the count. */
static int check_chunks(struct dat *d, unsigned int cpu, uint64_t off, uint64_t size)
{
	uint64_t end = off + 4 + size, count, i, csize, usize;

	if (get_num(d, &off, 4, &count, "a chunk count"))
		return -1;
	for (i = 0; i < count; i++) {
		if (off + 8 > end)
			return bad(d, "CPU %u: chunk %llu of %llu starts past its data", cpu,
				   (unsigned long long)i, (unsigned long long)count);
		if (get_num(d, &off, 4, &csize, "a chunk size") ||
		    get_num(d, &off, 4, &usize, "a chunk size"))
			return -1;
		if (csize > end - off || !usize || usize > MAX_CHUNK || usize % d->page_size)
			return bad(d,
				   "CPU %u chunk %llu: %llu bytes packed, %llu unpacked, %llu left",
				   cpu, (unsigned long long)i, (unsigned long long)csize,
				   (unsigned long long)usize, (unsigned long long)(end - off));
		off += csize;
	}
	if (off != end)
		return bad(d, "CPU %u: %llu chunks end %lld bytes from where its data does", cpu,
			   (unsigned long long)count, (long long)(end - off));
	return 0;
}

/* The per-CPU data a flyrecord (v6) or BUFFER option (v7) points at. */
static int check_cpu_data(struct dat *d, unsigned int cpu, uint64_t off, uint64_t size, uint64_t lo,
			  uint64_t hi)
{
	uint64_t span = d->compressed ? size + 4 : size;

	if (!size)
		return 0;
	if (off < lo || off > hi || span > hi - off)
		return bad(d, "CPU %u's data (%llu bytes at offset %llu) lies outside %llu..%llu",
			   cpu, (unsigned long long)span, (unsigned long long)off,
			   (unsigned long long)lo, (unsigned long long)hi);
	return d->compressed ? check_chunks(d, cpu, off, size) : check_pages(d, cpu, off, size);
}

/* --- version 7: sections ----------------------------------------------------- */

static int section(struct dat *d, uint64_t off, unsigned int want_id, uint64_t *start,
		   uint64_t *end, unsigned int *flags)
{
	unsigned char h[SECTION_HEADER];
	uint64_t size;

	if (get(d, off, h, sizeof(h), "a section header"))
		return -1;
	if (want_id != ANY_SECTION && num(d, h, 2) != want_id)
		return bad(d, "the section at offset %llu has id %llu, want %u",
			   (unsigned long long)off, (unsigned long long)num(d, h, 2), want_id);
	*flags = (unsigned int)num(d, h + 2, 2);
	/* libtracecmd then reads the packed bytes as they are, and allocates
	 * what sizes it finds in them (a fuzzed "none" asked for 488 GiB) */
	if ((*flags & SEC_COMPRESSED) && !d->codec)
		return bad(
			d,
			"the section at offset %llu is compressed, but the file names no compression",
			(unsigned long long)off);
	size = num(d, h + 8, 8);
	if (size > d->size - off - SECTION_HEADER)
		return bad(d, "the section at offset %llu says %llu bytes, %llu remain",
			   (unsigned long long)off, (unsigned long long)size,
			   (unsigned long long)(d->size - off - SECTION_HEADER));
	*start = off + SECTION_HEADER;
	*end = *start + size;
	if ((*flags & SEC_COMPRESSED) && num(d, h, 2) != OPT_BUFFER) {
		uint64_t p = *start, csize, usize;

		if (get_num(d, &p, 4, &csize, "a compression header") ||
		    get_num(d, &p, 4, &usize, "a compression header"))
			return -1;
		if (csize > *end - p || usize > MAX_CHUNK)
			return bad(d, "the compressed section at offset %llu: %llu bytes in %llu",
				   (unsigned long long)off, (unsigned long long)csize,
				   (unsigned long long)(*end - p));
	}
	return 0;
}

static int v7_buffer(struct dat *d, uint64_t p, uint64_t end)
{
	uint64_t sec, psize, cpus, i, lo, hi;
	unsigned int flags;

	/* (trace-cmd writes the page size between the clock and the CPUs) */
	if (get_num(d, &p, 8, &sec, "a BUFFER option") ||
	    section(d, sec, OPT_BUFFER, &lo, &hi, &flags) ||
	    skip_string(d, &p, end, "a buffer name") || skip_string(d, &p, end, "a buffer clock") ||
	    get_num(d, &p, 4, &psize, "a BUFFER option") ||
	    get_num(d, &p, 4, &cpus, "a BUFFER option"))
		return -1;
	if (psize != d->page_size)
		return bad(d, "a BUFFER option gives %llu-byte pages, the file header %u",
			   (unsigned long long)psize, d->page_size);
	if (!cpus || cpus > MAX_CPUS || cpus * 20 != end - p)
		return bad(d, "a BUFFER option lists %llu CPUs in %llu bytes",
			   (unsigned long long)cpus, (unsigned long long)(end - p));
	d->compressed = flags & SEC_COMPRESSED;
	d->buffers++;
	for (i = 0; i < cpus; i++) {
		uint64_t id, off, size;

		if (get_num(d, &p, 4, &id, "a CPU id") || get_num(d, &p, 8, &off, "a CPU offset") ||
		    get_num(d, &p, 8, &size, "a CPU size"))
			return -1;
		if (id >= MAX_CPUS)
			return bad(d, "a BUFFER option names CPU %llu", (unsigned long long)id);
		if (id + 1 > d->cpu_end)
			d->cpu_end = id + 1;
		if (check_cpu_data(d, (unsigned int)id, off, size, lo, hi))
			return -1;
	}
	return 0;
}

/* The trace clock text ("[local] global ..."): libtracecmd takes the
 * first word that starts with '[' and reads the clock from between the
 * brackets, trusting that there is something there. */
static bool clock_ok(const char *s)
{
	for (;;) {
		s += strspn(s, " ");
		if (!*s)
			return true;
		if (*s == '[')
			return strcspn(s, " ") > strspn(s, "[]");
		s += strcspn(s, " ");
	}
}

/* A run of one or more characters but @stop: where it ends, or NULL. */
static const char *run_of(const char *s, const char *stop)
{
	size_t n = strcspn(s, stop);

	return n ? s + n : NULL;
}

/* An event hook (trace-cmd record -H), which libtracecmd parses as it
 * opens the file and dereferences even when it does not parse:
 * [SYS:]EVENT,MATCH[,PID]/[SYS:]EVENT,MATCH[,FLAGS], every part there. */
static bool hook_ok(const char *s)
{
	const char *e = run_of(s, ":,/");

	if (e && *e == ':')
		e = run_of(e + 1, ":,/");
	if (!e || *e != ',' || !(e = run_of(e + 1, ":,/")))
		return false;
	if (*e == ',')
		e = run_of(e + 1, ":,/");
	if (!e || *e != '/' || !(e = run_of(e + 1, ":,/")))
		return false;
	if (*e == ':')
		e = run_of(e + 1, ":,/");
	if (!e || *e != ',' || !(e = run_of(e + 1, ":,/")))
		return false;
	return !*e || (*e == ',' && e[1]);
}

/* The option strings libtracecmd parses while it opens the file. */
static int parsed_option(struct dat *d, uint64_t id, uint64_t p, uint64_t len)
{
	char text[MAX_STRING + 1];

	if (len > MAX_STRING)
		return bad(d, "option %llu at offset %llu is %llu bytes long",
			   (unsigned long long)id, (unsigned long long)(p - 6),
			   (unsigned long long)len);
	if (get(d, p, text, len, "a string option"))
		return -1;
	text[len] = 0;
	if (id == OPT_TRACECLOCK && !clock_ok(text))
		return bad(d, "the trace clock option at offset %llu names no clock in brackets",
			   (unsigned long long)(p - 6));
	if (id == OPT_HOOK && !hook_ok(text))
		return bad(
			d,
			"the event hook option at offset %llu is not [SYS:]EVENT,MATCH[,PID]/[SYS:]EVENT,MATCH[,FLAGS]",
			(unsigned long long)(p - 6));
	return 0;
}

/* Options whose data is a string: libtracecmd strdup()s it, so it must
 * end in a NUL inside the option. */
static int string_option(struct dat *d, uint64_t id, uint64_t p, uint64_t len)
{
	static const unsigned char strings[] = { 1, 2, 4, 5, 6, 7, 9, 10 };
	char last;

	if (!memchr(strings, (int)id, sizeof(strings)) || id == 0)
		return 0;
	if (!len || get(d, p + len - 1, &last, 1, "a string option"))
		return len ? -1 :
			     bad(d, "option %llu at offset %llu is empty", (unsigned long long)id,
				 (unsigned long long)(p - 6));
	if (last)
		return bad(d, "option %llu at offset %llu is a string without its NUL",
			   (unsigned long long)id, (unsigned long long)(p - 6));
	return id == OPT_TRACECLOCK || id == OPT_HOOK ? parsed_option(d, id, p, len) : 0;
}

/* An uncompressed metadata section: the sizes in it must keep inside it,
 * since libtracecmd allocates what they say (compressed, they are out of
 * reach). */
static int metadata(struct dat *d, uint64_t id, uint64_t lo, uint64_t hi)
{
	uint64_t off = lo;
	int ret = 0;

	d->limit = hi;
	switch (id) {
	case OPT_HEADER_INFO:
		ret = header_files(d, &off);
		break;
	case OPT_FTRACE_EVENTS:
		ret = ftrace_files(d, &off);
		break;
	case OPT_EVENT_FORMATS:
		ret = event_files(d, &off);
		break;
	case OPT_KALLSYMS:
		ret = skip_block(d, &off, 4, "kallsyms");
		break;
	case OPT_PRINTK:
		ret = skip_block(d, &off, 4, "printk formats");
		break;
	case OPT_CMDLINES:
		ret = skip_block(d, &off, 8, "the saved command lines");
		break;
	}
	d->limit = d->size;
	return ret;
}

static int v7_options(struct dat *d, uint64_t off)
{
	unsigned int nsec = 0, flags;

	while (off) {
		uint64_t p, end, nopt = 0;

		if (++nsec > MAX_SECTIONS)
			return bad(d, "more than %d options sections (a loop?)", MAX_SECTIONS);
		if (section(d, off, OPT_DONE, &p, &end, &flags))
			return -1;
		d->options_end = end;
		if (flags & SEC_COMPRESSED) {
			d->unreadable = true; /* out of reach; libtracecmd has the rest */
			return 0;
		}
		off = 0;
		while (p < end) {
			uint64_t id, len, target;
			unsigned int f;

			if (++nopt > MAX_OPTIONS)
				return bad(d, "more than %d options in a section", MAX_OPTIONS);
			if (get_num(d, &p, 2, &id, "an option") ||
			    get_num(d, &p, 4, &len, "an option"))
				return -1;
			if (len > end - p)
				return bad(
					d,
					"option %llu at offset %llu says %llu bytes, %llu remain",
					(unsigned long long)id, (unsigned long long)(p - 6),
					(unsigned long long)len, (unsigned long long)(end - p));
			if (string_option(d, id, p, len))
				return -1;
			if (id == OPT_DONE) {
				if (len != 8)
					return bad(d, "a DONE option of %llu bytes",
						   (unsigned long long)len);
				if (get_num(d, &p, 8, &off, "the next options offset"))
					return -1;
				break;
			}
			if (id == OPT_BUFFER) {
				if (v7_buffer(d, p, p + len))
					return -1;
			} else if (id == OPT_CPUCOUNT) {
				uint64_t q = p, count;

				if (len != 4)
					return bad(d, "a %llu-byte CPU count",
						   (unsigned long long)len);
				if (get_num(d, &q, 4, &count, "the CPU count"))
					return -1;
				if (!count || count > MAX_CPUS ||
				    (d->cpucount && count != d->cpucount))
					return bad(
						d,
						"a CPU count of %llu (want 1 to %d, the same in every options section)",
						(unsigned long long)count, MAX_CPUS);
				d->cpucount = count;
			} else if ((id >= OPT_STRINGS && id <= OPT_CMDLINES) ||
				   id == OPT_BUFFER_TEXT) {
				uint64_t q = p, lo, hi;

				if (len < 8)
					return bad(d, "option %llu of %llu bytes",
						   (unsigned long long)id, (unsigned long long)len);
				if (get_num(d, &q, 8, &target, "a section offset") ||
				    section(d, target, (unsigned int)id, &lo, &hi, &f) ||
				    (!(f & SEC_COMPRESSED) && metadata(d, id, lo, hi)))
					return -1;
				if (id == OPT_KALLSYMS && (f & SEC_COMPRESSED))
					d->kallsyms = lo;
			}
			p += len;
		}
	}
	return 0;
}

/* --- version 6: one header after another ------------------------------------- */

static int v6(struct dat *d, uint64_t off)
{
	uint64_t i, cpus, id, len, data = UINT64_MAX;
	char tag[10], text[MAX_STRING + 1];

	if (header_files(d, &off) || ftrace_files(d, &off) || event_files(d, &off))
		return -1;
	if (skip_block(d, &off, 4, "kallsyms") || skip_block(d, &off, 4, "printk formats") ||
	    skip_block(d, &off, 8, "the saved command lines") ||
	    get_num(d, &off, 4, &cpus, "the CPU count") || get(d, off, tag, 10, "a section tag"))
		return -1;
	if (cpus > MAX_CPUS)
		return bad(d, "%llu CPUs", (unsigned long long)cpus);
	off += 10;
	if (!memcmp(tag, "options  ", 10)) {
		for (i = 0;; i++) {
			if (i > MAX_OPTIONS)
				return bad(d, "more than %d options", MAX_OPTIONS);
			if (get_num(d, &off, 2, &id, "an option"))
				return -1;
			if (!id)
				break;
			if (id == OPT_CPUCOUNT) {
				uint64_t count;

				if (get_num(d, &off, 4, &len, "an option"))
					return -1;
				if (len != 4)
					return bad(d, "a %llu-byte CPU count",
						   (unsigned long long)len);
				if (get_num(d, &off, 4, &count, "the CPU count"))
					return -1;
				/* libtracecmd reads that many flyrecord entries */
				if (count != cpus)
					return bad(
						d,
						"the CPU count option says %llu, the header %llu",
						(unsigned long long)count,
						(unsigned long long)cpus);
				continue;
			}
			if (get_num(d, &off, 4, &len, "an option"))
				return -1;
			if (len > d->size - off)
				return bad(
					d,
					"option %llu at offset %llu says %llu bytes, %llu remain",
					(unsigned long long)id, (unsigned long long)(off - 6),
					(unsigned long long)len,
					(unsigned long long)(d->size - off));
			if (string_option(d, id, off, len))
				return -1;
			off += len;
		}
		if (get(d, off, tag, 10, "a section tag"))
			return -1;
		off += 10;
	}
	if (!memcmp(tag, "latency  ", 10))
		return bad(d, "a latency trace: text, no raw events to decode");
	if (memcmp(tag, "flyrecord", 10))
		return bad(d, "no flyrecord section at offset %llu",
			   (unsigned long long)(off - 10));
	for (i = 0; i < cpus; i++) {
		uint64_t coff, size;

		if (get_num(d, &off, 8, &coff, "a CPU offset") ||
		    get_num(d, &off, 8, &size, "a CPU size") ||
		    check_cpu_data(d, (unsigned int)i, coff, size, off, d->size))
			return -1;
		if (size && coff < data)
			data = coff;
	}
	/* Newer trace-cmd puts the trace clock (a u64 size, the text) in
	 * the gap before the data; libtracecmd allocates that size. */
	if (off + 8 <= data && data <= d->size) {
		if (get_num(d, &off, 8, &len, "the trace clock"))
			return -1;
		if (len > MAX_STRING || len > data - off)
			return bad(d, "a trace clock of %llu bytes at offset %llu",
				   (unsigned long long)len, (unsigned long long)(off - 8));
		if (get(d, off, text, len, "the trace clock"))
			return -1;
		text[len] = 0;
		if (!clock_ok(text))
			return bad(d, "the trace clock at offset %llu names no clock in brackets",
				   (unsigned long long)(off - 8));
	}
	return 0;
}

/* Version 7: compression name and version, the first options offset,
 * then the options sections and what they point at. */
static int v7(struct dat *d, uint64_t off)
{
	char name[64];
	uint64_t first, hi;
	size_t n = sizeof(name) < d->size - off ? sizeof(name) : (size_t)(d->size - off);

	/* A file that ends where the name starts has none to read. */
	if (!n)
		return bad(d, "no compression name: the file ends at offset %llu",
			   (unsigned long long)off);
	if (get(d, off, name, n, "the compression name"))
		return -1;
	name[n - 1] = 0;
	d->codec = strcmp(name, "none") != 0;
	if (skip_string(d, &off, d->size, "the compression name") ||
	    skip_string(d, &off, d->size, "the compression version") ||
	    get_num(d, &off, 8, &first, "the first options offset") || v7_options(d, first))
		return -1;
	if (!d->buffers && !d->unreadable)
		return bad(d, "no BUFFER option: the file holds no trace data");
	/* What follows the last options section (trace-cmd puts its section
	 * names there) is reached by no offset: walk it to the end. */
	for (off = d->options_end; off < d->size; off = hi) {
		uint64_t lo;
		unsigned int flags;

		if (section(d, off, ANY_SECTION, &lo, &hi, &flags))
			return -1;
	}
	/* libtracecmd sizes its per-CPU tables by the count */
	if (d->cpucount && d->cpu_end > d->cpucount)
		return bad(d, "the CPU count is %llu, but there is data for CPU %llu",
			   (unsigned long long)d->cpucount, (unsigned long long)d->cpu_end - 1);
	return 0;
}

int pvx_dat_check(const char *path, int fd, struct pvx_dat_info *info, char *err, size_t errlen)
{
	struct dat d = { .path = path, .fd = fd, .err = err, .errlen = errlen };
	unsigned char h[6];
	uint64_t off = 10;
	struct stat st;
	char ver[2];
	int ret;

	if (fstat(fd, &st))
		return bad(&d, "cannot stat: %s", strerror(errno));
	d.size = d.limit = (uint64_t)st.st_size;
	if (get(&d, off, ver, 2, "the version"))
		return -1;
	if ((ver[0] != '6' && ver[0] != '7') || ver[1])
		return bad(&d, "file version '%.2s': pvexit reads versions 6 and 7", ver);
	d.version = (unsigned int)(ver[0] - '0');
	off += 2;
	if (get(&d, off, h, 6, "the file header"))
		return -1;
	if (h[0] > 1 || (h[1] != 4 && h[1] != 8))
		return bad(&d, "byte order %u and long size %u make no sense", h[0], h[1]);
	d.be = h[0];
	d.long_size = h[1];
	d.page_size = (unsigned int)num(&d, h + 2, 4);
	if (d.page_size < 4096 || d.page_size > (1u << 20) || (d.page_size & (d.page_size - 1)))
		return bad(&d, "page size %u is not a power of two from 4096 to 1048576",
			   d.page_size);
	off += 6;
	d.page = pvx_xcalloc(d.page_size + PVX_PAGE_SLACK, 1);
	ret = d.version == 6 ? v6(&d, off) : v7(&d, off);
	free(d.page);
	memset(info, 0, sizeof(*info));
	if (!ret) {
		info->kallsyms = d.kallsyms;
		info->page_size = d.page_size;
		info->big_endian = d.be;
		info->long_size = d.long_size;
	}
	return ret;
}
