// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading pvexit's raw trace container (docs/trace-format.md): a first
 * pass checks every section (bounds, CRC, order) and indexes the pages;
 * a second walks the pages of all CPUs in time order with kbuffer.
 * Nothing in the file is trusted: kbuffer itself believes a page's
 * commit field and event lengths, so both are checked before and while
 * it walks, and each page sits in a buffer with slack behind it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <traceevent/event-parse.h>
#include <traceevent/kbuffer.h>
#include <zlib.h>

#include "pvtrace.h"
#include "trace_decode_internal.h"
#include "util.h"

struct text {
	char *s;
	size_t len;
};

struct cpu_pages {
	uint64_t *off; /* file offsets of the pages' payloads */
	size_t n, cap;
};

struct reader {
	const char *path;
	int fd;
	uint64_t size;
	struct pvx_trace *t;
	char *err;
	size_t errlen;
	struct text header_page, info_text;
	struct text fmt[3];
	char *fmt_sys[3];
	size_t nfmt;
	struct cpu_pages *cpu;
	uint64_t nsections, npages;
	bool saw_end;
};

static const char *const section_names[] = {
	[PVT_INFO] = "INFO",
	[PVT_HEADER_PAGE] = "HEADER_PAGE",
	[PVT_HEADER_EVENT] = "HEADER_EVENT",
	[PVT_FORMAT] = "FORMAT",
	[PVT_PAGE] = "PAGE",
	[PVT_CPU_STATS] = "CPU_STATS",
	[PVT_END] = "END",
};

static const char *section_name(uint32_t type)
{
	if (type < sizeof(section_names) / sizeof(section_names[0]) && section_names[type])
		return section_names[type];
	return "unknown";
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const unsigned char *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

static int bad(struct reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(struct reader *r, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	pvx_vset_err(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pvx_set_err(r->err, r->errlen, "%s: %s", r->path, msg);
	return -1;
}

static int read_at(struct reader *r, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t k = pread(r->fd, (char *)buf + done, n - done, (off_t)(off + done));

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return bad(r, "read error at offset %llu: %s",
				   (unsigned long long)(off + done), strerror(errno));
		if (k == 0)
			return bad(r, "truncated at offset %llu", (unsigned long long)(off + done));
		done += (size_t)k;
	}
	return 0;
}

/* The CRC of @len bytes at @off, read in pieces. */
static int crc_at(struct reader *r, uint64_t off, uint64_t len, uint32_t *out)
{
	unsigned char buf[65536];
	uint32_t c = (uint32_t)crc32(0, Z_NULL, 0);

	while (len) {
		size_t k = len > sizeof(buf) ? sizeof(buf) : (size_t)len;

		if (read_at(r, buf, k, off))
			return -1;
		c = (uint32_t)crc32(c, buf, (uInt)k);
		off += k;
		len -= k;
	}
	*out = c;
	return 0;
}

static int read_text(struct reader *r, uint64_t off, uint64_t len, struct text *out)
{
	out->s = pvx_xcalloc(len + 1, 1);
	out->len = len;
	return read_at(r, out->s, len, off);
}

/* --- pass 1: sections ------------------------------------------------------ */

/*
 * The byte order a PowerPC machine name (uname -m, INFO's "machine=")
 * fixes: -1 for a name that fixes none.  A flag that disagrees is a flag
 * flipped under valid checksums, which would decode every page as empty.
 */
static int machine_big_endian(const char *m, size_t n)
{
	static const struct {
		const char *name;
		bool big;
	} orders[] = {
		{ "ppc64le", false }, { "ppcle", false }, { "ppc64", true }, { "ppc", true }
	};
	size_t i;

	for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++)
		if (strlen(orders[i].name) == n && !memcmp(m, orders[i].name, n))
			return orders[i].big;
	return -1;
}

static int on_info(struct reader *r, uint64_t off, uint64_t len, const char *where)
{
	unsigned char h[PVT_INFO_FIXED];
	struct pvx_trace *t = r->t;
	const char *c;

	if (len < PVT_INFO_FIXED || len > PVT_INFO_FIXED + PVT_MAX_TEXT)
		return bad(r, "%s: %llu bytes, not an INFO section", where,
			   (unsigned long long)len);
	if (read_at(r, h, sizeof(h), off))
		return -1;
	if (h[0] > 1 || (h[1] != 4 && h[1] != 8))
		return bad(r, "%s: byte order %u and long size %u make no sense", where, h[0],
			   h[1]);
	t->big_endian = h[0];
	t->long_size = h[1];
	t->page_size = get32(h + 4);
	t->ncpus = get32(h + 8);
	if (t->page_size < PVT_MIN_PAGE || t->page_size > PVT_MAX_PAGE ||
	    (t->page_size & (t->page_size - 1)))
		return bad(r, "%s: page size %u is not a power of two from %u to %u", where,
			   t->page_size, PVT_MIN_PAGE, PVT_MAX_PAGE);
	if (!t->ncpus || t->ncpus > PVT_MAX_CPUS)
		return bad(r, "%s: %u CPUs (want 1 to %u)", where, t->ncpus, PVT_MAX_CPUS);
	t->cpu = pvx_xcalloc(t->ncpus, sizeof(*t->cpu));
	r->cpu = pvx_xcalloc(t->ncpus, sizeof(*r->cpu));
	if (read_text(r, off + PVT_INFO_FIXED, len - PVT_INFO_FIXED, &r->info_text))
		return -1;
	/* "clock=NAME" names the trace clock, hence the latency unit. */
	c = r->info_text.s;
	while (c && *c) {
		if (!strncmp(c, "clock=", 6)) {
			size_t n = strcspn(c + 6, "\n");

			if (n >= sizeof(t->clock))
				return bad(r, "%s: a clock name of %zu bytes", where, n);
			memcpy(t->clock, c + 6, n);
			t->clock[n] = 0;
		}
		if (!strncmp(c, "machine=", 8)) {
			size_t n = strcspn(c + 8, "\n");
			int big = machine_big_endian(c + 8, n);

			if (big >= 0 && big != t->big_endian)
				return bad(
					r,
					"%s: a %s-endian recording from a %.*s host: the byte-order flag is wrong (corrupt)",
					where, t->big_endian ? "big" : "little", (int)n, c + 8);
		}
		c = strchr(c, '\n');
		if (c)
			c++;
	}
	return 0;
}

static int on_format(struct reader *r, uint64_t off, uint64_t len, const char *where)
{
	struct text txt;
	size_t sys;

	if (r->nfmt == 3)
		return bad(r, "%s: a fourth FORMAT section (the decoder reads three events)",
			   where);
	if (len > PVT_MAX_TEXT)
		return bad(r, "%s: a %llu-byte format", where, (unsigned long long)len);
	if (read_text(r, off, len, &txt))
		return -1;
	sys = strnlen(txt.s, txt.len);
	if (sys == txt.len || !sys || sys > 64) {
		free(txt.s);
		return bad(r, "%s: no system name before the format text", where);
	}
	r->fmt_sys[r->nfmt] = strdup(txt.s);
	if (!r->fmt_sys[r->nfmt]) {
		pvx_err("out of memory");
		exit(1);
	}
	r->fmt[r->nfmt].len = txt.len - sys - 1;
	r->fmt[r->nfmt].s = pvx_xcalloc(r->fmt[r->nfmt].len + 1, 1);
	memcpy(r->fmt[r->nfmt].s, txt.s + sys + 1, r->fmt[r->nfmt].len);
	r->nfmt++;
	free(txt.s);
	return 0;
}

/* libtraceevent reads the header_page as it reads a format's fields. */
static int on_header_page(struct reader *r, const char *where)
{
	char why[160];

	if (pvx_text_check(r->header_page.s, r->header_page.len, why, sizeof(why)))
		return bad(r, "%s: the header_page: %s (corrupt)", where, why);
	return 0;
}

static int cpu_of(struct reader *r, uint64_t off, const char *where, unsigned int *cpu)
{
	unsigned char h[PVT_CPU_FIXED];

	if (read_at(r, h, sizeof(h), off))
		return -1;
	*cpu = get32(h);
	if (*cpu >= r->t->ncpus)
		return bad(r, "%s: CPU %u, but INFO says %u CPUs", where, *cpu, r->t->ncpus);
	return 0;
}

static int on_page(struct reader *r, uint64_t off, uint64_t len, const char *where)
{
	struct cpu_pages *cp;
	unsigned int cpu;

	if (!r->header_page.s || r->nfmt < 3)
		return bad(r, "%s: a page before the header_page and the three formats", where);
	if (len != PVT_CPU_FIXED + (uint64_t)r->t->page_size)
		return bad(r, "%s: %llu bytes, want %u for a %u-byte page", where,
			   (unsigned long long)len, PVT_CPU_FIXED + r->t->page_size,
			   r->t->page_size);
	if (cpu_of(r, off, where, &cpu))
		return -1;
	cp = &r->cpu[cpu];
	if (cp->n == cp->cap) {
		cp->cap = cp->cap ? 2 * cp->cap : 16;
		cp->off = realloc(cp->off, cp->cap * sizeof(*cp->off));
		if (!cp->off) {
			pvx_err("out of memory (%zu pages)", cp->cap);
			exit(1);
		}
	}
	cp->off[cp->n++] = off + PVT_CPU_FIXED;
	r->npages++;
	return 0;
}

static int on_stats(struct reader *r, uint64_t off, uint64_t len, const char *where)
{
	struct text txt;
	unsigned int cpu;
	int ret;

	if (len < PVT_CPU_FIXED || len > PVT_CPU_FIXED + PVT_MAX_TEXT)
		return bad(r, "%s: %llu bytes, not a CPU_STATS section", where,
			   (unsigned long long)len);
	if (cpu_of(r, off, where, &cpu) ||
	    read_text(r, off + PVT_CPU_FIXED, len - PVT_CPU_FIXED, &txt))
		return -1;
	ret = pvx_parse_cpu_stats(txt.s, txt.len, &r->t->cpu[cpu]);
	free(txt.s);
	if (ret)
		return bad(r, "%s: a count in the stats of CPU %u is not a number", where, cpu);
	return 0;
}

static int on_end(struct reader *r, uint64_t off, uint64_t len, const char *where)
{
	unsigned char e[PVT_END_SIZE];

	if (len != PVT_END_SIZE)
		return bad(r, "%s: %llu bytes, not an END section", where, (unsigned long long)len);
	if (read_at(r, e, sizeof(e), off))
		return -1;
	if (get64(e) != r->nsections || get64(e + 8) != r->npages)
		return bad(
			r,
			"%s: says %llu sections and %llu pages came before it, the file has %llu and %llu",
			where, (unsigned long long)get64(e), (unsigned long long)get64(e + 8),
			(unsigned long long)r->nsections, (unsigned long long)r->npages);
	if (off + len != r->size)
		return bad(r, "%llu bytes after the END section",
			   (unsigned long long)(r->size - off - len));
	r->saw_end = true;
	return 0;
}

static int scan(struct reader *r)
{
	unsigned char fh[PVT_FILE_HEADER], sh[PVT_SECTION_HEADER];
	uint64_t off = PVT_FILE_HEADER;
	char where[96];

	if (r->size < PVT_FILE_HEADER)
		return bad(r, "truncated: %llu bytes, shorter than the file header",
			   (unsigned long long)r->size);
	if (read_at(r, fh, sizeof(fh), 0))
		return -1;
	if (get32(fh + 8) != PVT_VERSION)
		return bad(r, "format version %u; this pvexit reads version %u", get32(fh + 8),
			   PVT_VERSION);
	if (get32(fh + 12))
		return bad(r, "file header flags 0x%x; this pvexit knows none", get32(fh + 12));
	while (!r->saw_end) {
		uint32_t type, want, got;
		uint64_t len;
		int ret = 0;

		if (off == r->size)
			return bad(r, "truncated after section %llu: no END section",
				   (unsigned long long)r->nsections);
		if (r->size - off < PVT_SECTION_HEADER)
			return bad(
				r,
				"truncated: the header of section %llu at offset %llu is cut short",
				(unsigned long long)r->nsections, (unsigned long long)off);
		if (read_at(r, sh, sizeof(sh), off))
			return -1;
		type = get32(sh);
		want = get32(sh + 4);
		len = get64(sh + 8);
		snprintf(where, sizeof(where), "section %llu (%s) at offset %llu",
			 (unsigned long long)r->nsections, section_name(type),
			 (unsigned long long)off);
		off += PVT_SECTION_HEADER;
		if (len > r->size - off)
			return bad(r, "%s: %llu bytes, but only %llu remain (truncated or corrupt)",
				   where, (unsigned long long)len,
				   (unsigned long long)(r->size - off));
		if (crc_at(r, off, len, &got))
			return -1;
		if (got != want)
			return bad(r, "%s: checksum 0x%08x, the header says 0x%08x (corrupt)",
				   where, got, want);
		if ((type == PVT_INFO) != (r->nsections == 0))
			return bad(r, "%s: INFO must be the first section, and only it", where);
		switch (type) {
		case PVT_INFO:
			ret = on_info(r, off, len, where);
			break;
		case PVT_HEADER_PAGE:
			if (r->header_page.s || len > PVT_MAX_TEXT)
				return bad(r, "%s: a second or oversized header_page", where);
			ret = read_text(r, off, len, &r->header_page) || on_header_page(r, where);
			break;
		case PVT_HEADER_EVENT:
			break;
		case PVT_FORMAT:
			ret = on_format(r, off, len, where);
			break;
		case PVT_PAGE:
			ret = on_page(r, off, len, where);
			break;
		case PVT_CPU_STATS:
			ret = on_stats(r, off, len, where);
			break;
		case PVT_END:
			ret = on_end(r, off, len, where);
			break;
		default:
			return bad(r, "%s: unknown section type %u", where, type);
		}
		if (ret)
			return -1;
		r->nsections++;
		off += len;
	}
	if (!r->header_page.s || r->nfmt < 3)
		return bad(r, "no %s: nothing to decode the pages with",
			   r->header_page.s ? "FORMAT sections for all three events" :
					      "HEADER_PAGE section");
	return 0;
}

/* --- pass 2: pages --------------------------------------------------------- */

struct cursor {
	unsigned int cpu;
	size_t page; /* index of the loaded page */
	unsigned char *buf;
	struct kbuffer *kb;
	void *ev;
	unsigned long long ts;
	int last_off;
	unsigned int commit; /* data bytes of the loaded page */
	bool live;
};

/*
 * A page's commit word holds the data length and two flags (bits 30 and
 * 31, the kernel's RB_MISSED_*), nothing else.  Read in the wrong byte
 * order, a length becomes a number far past the page, where a mask would
 * turn it into an empty page and the whole trace into no events.
 */
static int commit_word_check(struct reader *r, const unsigned char *page, unsigned int cpu,
			     size_t p)
{
	const uint64_t flags = 3ull << 30;
	unsigned int ls = (unsigned int)r->t->long_size;
	uint64_t w = ls == 8 ? pvx_load64(page + 8, r->t->big_endian) :
			       pvx_load32(page + 8, r->t->big_endian);

	if ((w & ~flags) > r->t->page_size - 8 - ls)
		return bad(
			r,
			"CPU %u page %zu: commit word 0x%llx is no %s-endian length: the byte-order flag is wrong (corrupt)",
			cpu, p, (unsigned long long)w, r->t->big_endian ? "big" : "little");
	return 0;
}

/* Load the cursor's next page that has an event; live = false at the end. */
static int next_page(struct reader *r, struct cursor *c)
{
	struct cpu_pages *cp = &r->cpu[c->cpu];
	struct pvx_trace_cpu *tc = &r->t->cpu[c->cpu];

	while (c->page < cp->n) {
		size_t p = c->page++;
		struct pvx_page pg;
		char why[160];

		if (read_at(r, c->buf, r->t->page_size, cp->off[p]))
			return -1;
		if (commit_word_check(r, c->buf, c->cpu, p))
			return -1;
		if (pvx_page_check(c->buf, r->t->page_size, r->t->big_endian, r->t->long_size, &pg,
				   why, sizeof(why)))
			return bad(r, "CPU %u page %zu (offset %llu): %s", c->cpu, p,
				   (unsigned long long)cp->off[p], why);
		c->commit = pg.commit;
		tc->pages++;
		if (pg.missed && pg.missed_stored)
			tc->missed += pg.missed_count;
		else if (pg.missed)
			tc->missed_unknown++;
		kbuffer_load_subbuffer(c->kb, c->buf);
		c->last_off = -1;
		c->ev = kbuffer_read_event(c->kb, &c->ts);
		if (c->ev)
			return 0;
	}
	c->live = false;
	return 0;
}

/* The current event must lie inside the page's data, past the last one. */
static int check_event(struct reader *r, struct cursor *c, unsigned int *size)
{
	unsigned int start = 8 + (unsigned int)r->t->long_size;
	long index = (long)((unsigned char *)c->ev - (c->buf + start));
	int off = kbuffer_curr_offset(c->kb), n = kbuffer_event_size(c->kb);

	if (off <= c->last_off || index < 0 || n < 0 ||
	    (unsigned long)index + (unsigned)n > c->commit)
		return bad(r, "CPU %u page %zu: a corrupt event at page offset %d (%d bytes)",
			   c->cpu, c->page - 1, off, n);
	c->last_off = off;
	*size = (unsigned int)n;
	return 0;
}

static int walk(struct reader *r, struct pvx_decoder *d)
{
	struct pvx_trace *t = r->t;
	struct cursor *cur = pvx_xcalloc(t->ncpus, sizeof(*cur));
	enum kbuffer_endian e = t->big_endian ? KBUFFER_ENDIAN_BIG : KBUFFER_ENDIAN_LITTLE;
	enum kbuffer_long_size ls = t->long_size == 8 ? KBUFFER_LSIZE_8 : KBUFFER_LSIZE_4;
	unsigned int i;
	int ret = -1;

	for (i = 0; i < t->ncpus; i++) {
		cur[i].cpu = i;
		cur[i].buf = pvx_xcalloc(t->page_size + PVX_PAGE_SLACK, 1);
		cur[i].kb = kbuffer_alloc(ls, e);
		if (!cur[i].kb) {
			pvx_err("out of memory (kbuffer)");
			exit(1);
		}
		cur[i].live = true;
		if (next_page(r, &cur[i]))
			goto out;
	}
	for (;;) {
		struct cursor *c = NULL;
		unsigned int size = 0;

		for (i = 0; i < t->ncpus; i++)
			if (cur[i].live && (!c || cur[i].ts < c->ts))
				c = &cur[i];
		if (!c)
			break;
		if (check_event(r, c, &size))
			goto out;
		if (pvx_decoder_event(d, c->ev, size, c->ts)) {
			char what[160];

			snprintf(what, sizeof(what), "%s: CPU %u page %zu, event at page offset %d",
				 r->path, c->cpu, c->page - 1, kbuffer_curr_offset(c->kb));
			pvx_decoder_refused(d, what);
			goto out;
		}
		c->ev = kbuffer_next_event(c->kb, &c->ts);
		if (!c->ev && next_page(r, c))
			goto out;
	}
	ret = 0;
out:
	for (i = 0; i < t->ncpus; i++) {
		free(cur[i].buf);
		kbuffer_free(cur[i].kb);
	}
	free(cur);
	return ret;
}

static int host_big_endian(void)
{
	const uint16_t one = 1;

	return *(const unsigned char *)&one == 0;
}

/* libtraceevent accepts nearly any text; check that what it made of the
 * header_page is the ring buffer the pages need. */
static int parse_formats(struct reader *r, struct tep_handle *tep)
{
	struct pvx_trace *t = r->t;
	size_t i;

	tep_set_file_bigendian(tep, t->big_endian ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_local_bigendian(tep, host_big_endian() ? TEP_BIG_ENDIAN : TEP_LITTLE_ENDIAN);
	tep_set_long_size(tep, t->long_size);
	tep_set_page_size(tep, (int)t->page_size);
	if (tep_parse_header_page(tep, r->header_page.s, r->header_page.len, t->long_size) ||
	    tep_get_header_timestamp_size(tep) != 8 ||
	    tep_get_header_page_size(tep) != t->long_size ||
	    tep_get_sub_buffer_size(tep) != (int)t->page_size)
		return bad(
			r,
			"the header_page gives a %d-byte time stamp, a %d-byte commit and %d-byte pages; INFO says 8, %d and %u",
			tep_get_header_timestamp_size(tep), tep_get_header_page_size(tep),
			tep_get_sub_buffer_size(tep), t->long_size, t->page_size);
	for (i = 0; i < r->nfmt; i++) {
		char why[400];
		enum tep_errno e;

		if (pvx_format_check(tep, r->fmt[i].s, r->fmt[i].len, r->fmt_sys[i], why,
				     sizeof(why)))
			return bad(r, "%s", why);
		e = tep_parse_event(tep, r->fmt[i].s, r->fmt[i].len, r->fmt_sys[i]);
		pvx_format_parsed();
		if (e) {
			char msg[128];

			tep_strerror(tep, e, msg, sizeof(msg));
			return bad(r, "the format of an event of system %s does not parse: %s",
				   r->fmt_sys[i], msg);
		}
	}
	return 0;
}

struct rehearsal {
	struct reader *r;
	struct tep_handle *tep;
};

static void rehearse_formats(void *arg)
{
	struct rehearsal *a = arg;

	parse_formats(a->r, a->tep);
}

int pvx_trace_read_pvtrace(const char *path, int fd, unsigned int flags, struct pvx_trace *t,
			   char *err, size_t errlen)
{
	struct rehearsal rehearsal;
	struct reader r = { .path = path, .fd = fd, .t = t, .err = err, .errlen = errlen };
	struct tep_handle *tep = NULL;
	struct pvx_decoder d = { 0 };
	struct stat st;
	unsigned int i;
	int ret = -1;

	t->kind = PVX_TRACE_PVTRACE;
	if (fstat(fd, &st)) {
		bad(&r, "cannot stat: %s", strerror(errno));
		return -1;
	}
	r.size = (uint64_t)st.st_size;
	tep_set_loglevel(TEP_LOG_NONE);
	if (scan(&r))
		goto out;
	tep = tep_alloc();
	if (!tep) {
		pvx_err("out of memory (tep)");
		exit(1);
	}
	/* one child parses every format a step ahead (trace_decode_format.c) */
	rehearsal.r = &r;
	rehearsal.tep = tep;
	pvx_formats_rehearse(rehearse_formats, &rehearsal);
	ret = parse_formats(&r, tep);
	pvx_formats_rehearsed();
	if (ret || pvx_decoder_init(&d, t, flags, tep, path, err, errlen)) {
		ret = -1;
		goto out;
	}
	ret = walk(&r, &d);
out:
	pvx_decoder_fini(&d);
	if (tep)
		tep_free(tep);
	free(r.header_page.s);
	free(r.info_text.s);
	for (i = 0; i < r.nfmt; i++) {
		free(r.fmt[i].s);
		free(r.fmt_sys[i]);
	}
	if (r.cpu)
		for (i = 0; i < t->ncpus; i++)
			free(r.cpu[i].off);
	free(r.cpu);
	return ret;
}
