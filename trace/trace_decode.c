// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trace decoder's core: which file kind, the three event formats,
 * and the counting of each event record.  The readers of each file kind
 * hand every record here, in time order across CPUs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "insn_class.h"
#include "pvtrace.h"
#include "trace_decode_internal.h"
#include "util.h"

/* A thread's open exit, and the segment it is in. */
struct pvx_pending {
	uint32_t tid;
	bool used;
	bool mmio; /* the open exit emulated a load or store: it ends the segment */
	uint32_t seg;
	uint64_t ts;
	size_t row;
};

/* 'tracing' after three bytes: the start of every trace.dat */
static const unsigned char dat_magic[10] = { 0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g' };

int pvx_trace_hist_quantile(const uint64_t *hist, uint64_t n, unsigned int per_mille)
{
	/* the smallest bucket whose running total reaches the rank */
	uint64_t rank = (n * per_mille + 999) / 1000, sum = 0;
	int i;

	if (!n)
		return -1;
	if (!rank)
		rank = 1;
	for (i = 0; i < PVX_HIST_SLOTS; i++) {
		sum += hist[i];
		if (sum >= rank)
			return i;
	}
	return PVX_HIST_SLOTS - 1;
}

bool pvx_trace_clock_is_ns(const char *clock)
{
	static const char *const ns[] = { "local", "global", "mono", "mono_raw",
					  "boot",  "perf",   "tai" };
	size_t i;

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		if (!strcmp(clock, ns[i]))
			return true;
	return false;
}

uint64_t pvx_trace_lost(const struct pvx_trace *t)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < t->ncpus; i++)
		n += t->cpu[i].overrun + t->cpu[i].commit_overrun + t->cpu[i].dropped +
		     t->cpu[i].missed;
	return n;
}

bool pvx_trace_lossy(const struct pvx_trace *t)
{
	unsigned int i;

	for (i = 0; i < t->ncpus; i++)
		if (t->cpu[i].missed_unknown)
			return true;
	return pvx_trace_lost(t) > 0;
}

void pvx_trace_free(struct pvx_trace *t)
{
	free(t->cpu);
	free(t->rows);
	free(t->other_words);
	memset(t, 0, sizeof(*t));
}

/* One "name: N" line of a stats text, if present. */
static int stat_line(const char *text, size_t len, const char *name, uint64_t *out, bool *found)
{
	size_t n = strlen(name), i = 0;

	while (i < len) {
		const char *line = text + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) : len - i;

		if (ll > n && !memcmp(line, name, n)) {
			char num[32];
			size_t j = n, k = 0;

			while (j < ll && line[j] == ' ')
				j++;
			while (j < ll && k < sizeof(num) - 1)
				num[k++] = line[j++];
			num[k] = 0;
			if (!pvx_parse_u64(num, 0, UINT64_MAX, out))
				return -1;
			*found = true;
			return 0;
		}
		i += ll + 1;
	}
	return 0;
}

int pvx_parse_cpu_stats(const char *text, size_t len, struct pvx_trace_cpu *c)
{
	bool found = false;

	if (stat_line(text, len, "overrun:", &c->overrun, &found) ||
	    stat_line(text, len, "commit overrun:", &c->commit_overrun, &found) ||
	    stat_line(text, len, "dropped events:", &c->dropped, &found))
		return -1;
	c->have_stats = found;
	return 0;
}

/* --- ring-buffer pages ----------------------------------------------------- */

/* The commit word: size in the low 27 bits; whether events were lost
 * before the page, and whether their number follows the data. */
#define RB_COMMIT_MASK ((1u << 27) - 1)
#define RB_MISSED_EVENTS (1ull << 31)
#define RB_MISSED_STORED (1ull << 30)

static uint32_t page_u32(const unsigned char *p, bool be)
{
	if (be)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t page_long(const unsigned char *p, bool be, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)p[be ? i : n - 1 - i] << (8 * (n - 1 - i));
	return v;
}

int pvx_page_check(const unsigned char *page, unsigned int page_size, bool be, int long_size,
		   struct pvx_page *pg, char *why, size_t whylen)
{
	unsigned int start = 8 + (unsigned int)long_size, room = page_size - start;
	const unsigned char *data = page + start;
	uint64_t commit = page_long(page + 8, be, long_size), pos = 0, next;

	memset(pg, 0, sizeof(*pg));
	pg->commit = (unsigned int)(commit & RB_COMMIT_MASK);
	pg->missed = commit & RB_MISSED_EVENTS;
	pg->missed_stored = pg->missed && (commit & RB_MISSED_STORED);
	if (pg->commit > room ||
	    (pg->missed_stored && pg->commit + (unsigned int)long_size > room)) {
		pvx_set_err(why, whylen, "commit %u exceeds the page's %u data bytes", pg->commit,
			    room);
		return -1;
	}
	if (pg->missed_stored)
		pg->missed_count = page_long(data + pg->commit, be, long_size);
	/* kbuffer's walk, each step required to move forward: a padding
	 * event of length -4 would otherwise keep it on one spot forever. */
	while (pos < pg->commit) {
		uint32_t w = page_u32(data + pos, be), len;
		unsigned int type = be ? w >> 27 : w & 31;

		if (type == 29) { /* padding: its length follows */
			len = page_u32(data + pos + 4, be);
			if (len > 0x7fffffff)
				break;
			next = pos + 4 + len;
		} else if (type >= 30) { /* time extend, absolute time stamp */
			next = pos + 8;
		} else if (type == 0) { /* a long event: its length follows */
			len = page_u32(data + pos + 4, be);
			if (len < 4)
				break;
			next = pos + 8 + (((uint64_t)len - 4 + 3) & ~3ull);
		} else {
			next = pos + 4 + 4 * (uint64_t)type;
		}
		if (type < 29 && next > pg->commit)
			break;
		pos = next;
	}
	if (pos < pg->commit) {
		pvx_set_err(why, whylen, "a corrupt event header at page offset %llu",
			    (unsigned long long)(pos + start));
		return -1;
	}
	return 0;
}

/* --- formats --------------------------------------------------------------- */

static int need_field(struct pvx_decoder *d, struct tep_event *ev, const char *name,
		      unsigned int size_a, unsigned int size_b, struct pvx_field *out,
		      const char *where)
{
	struct tep_format_field *f = tep_find_any_field(ev, name);

	if (!f) {
		pvx_set_err(d->err, d->errlen, "%s: the format of %s:%s has no field '%s'", where,
			    ev->system, ev->name, name);
		return -1;
	}
	/* Offsets far beyond any record are as wrong as a missing field. */
	if (f->offset < 0 || f->size <= 0 || f->offset > 4096 ||
	    ((unsigned int)f->size != size_a && (unsigned int)f->size != size_b)) {
		pvx_set_err(
			d->err, d->errlen,
			"%s: the format of %s:%s gives field '%s' offset %d and size %d (want size %u%s)",
			where, ev->system, ev->name, name, f->offset, f->size, size_a,
			size_a == size_b ? "" : " or 8");
		return -1;
	}
	out->offset = (unsigned int)f->offset;
	out->size = (unsigned int)f->size;
	return 0;
}

static struct tep_event *need_event(struct pvx_decoder *d, const char *sys, const char *name,
				    const char *where)
{
	struct tep_event *ev = tep_find_event_by_name(d->tep, sys, name);

	if (!ev) {
		pvx_set_err(d->err, d->errlen, "%s: no format for the event %s:%s", where, sys,
			    name);
		return NULL;
	}
	if (ev->id <= 0 || ev->id > 0xffff) {
		pvx_set_err(d->err, d->errlen, "%s: the format of %s:%s has no valid ID (%d)",
			    where, sys, name, ev->id);
		return NULL;
	}
	return ev;
}

/* The common fields must sit where every event has them. */
static int same_common(struct pvx_decoder *d, struct tep_event *ev, const char *where)
{
	struct pvx_field type, pid;

	if (need_field(d, ev, "common_type", 2, 2, &type, where) ||
	    need_field(d, ev, "common_pid", 4, 4, &pid, where))
		return -1;
	if (type.offset != d->type.offset || pid.offset != d->pid.offset) {
		pvx_set_err(d->err, d->errlen,
			    "%s: %s:%s puts its common fields elsewhere than kvm_pr:kvm_exit",
			    where, ev->system, ev->name);
		return -1;
	}
	return 0;
}

int pvx_decoder_init(struct pvx_decoder *d, struct pvx_trace *t, unsigned int flags,
		     struct tep_handle *tep, const char *where, char *err, size_t errlen)
{
	struct tep_event *ex, *in, *re;
	unsigned int ls = t->long_size == 4 ? 4 : 8;

	memset(d, 0, sizeof(*d));
	d->t = t;
	d->flags = flags;
	d->tep = tep;
	d->swap = tep_is_file_bigendian(tep) != tep_is_local_bigendian(tep);
	d->err = err;
	d->errlen = errlen;
	ex = need_event(d, PVX_TP_EXIT_SYS, PVX_TP_EXIT, where);
	in = ex ? need_event(d, PVX_TP_INSTR_SYS, PVX_TP_INSTR, where) : NULL;
	re = in ? need_event(d, PVX_TP_REENTER_SYS, PVX_TP_REENTER, where) : NULL;
	if (!re)
		return -1;
	if (ex->id == in->id || ex->id == re->id || in->id == re->id) {
		pvx_set_err(err, errlen, "%s: two of the three event formats share the ID %d",
			    where, ex->id == in->id ? ex->id : re->id);
		return -1;
	}
	d->id_exit = ex->id;
	d->id_instr = in->id;
	d->id_reenter = re->id;
	if (need_field(d, ex, "common_type", 2, 2, &d->type, where) ||
	    need_field(d, ex, "common_pid", 4, 4, &d->pid, where) ||
	    need_field(d, ex, "exit_nr", 4, 4, &d->exit_nr, where) ||
	    need_field(d, ex, "msr", ls, ls, &d->msr, where) ||
	    need_field(d, ex, "last_inst", ls, ls, &d->last_inst, where) ||
	    need_field(d, in, "inst", 4, 4, &d->inst, where) || same_common(d, in, where) ||
	    same_common(d, re, where))
		return -1;
	d->index_size = 64;
	d->index = pvx_xcalloc(d->index_size, sizeof(*d->index));
	d->pending_size = 16;
	d->pending = pvx_xcalloc(d->pending_size, sizeof(*d->pending));
	return 0;
}

void pvx_decoder_fini(struct pvx_decoder *d)
{
	free(d->index);
	free(d->pending);
	d->index = NULL;
	d->pending = NULL;
}

/* --- counting -------------------------------------------------------------- */

static size_t hash4(uint32_t a, uint32_t b, uint32_t c, uint32_t e)
{
	uint64_t h = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full) ^
		     (c * 0x165667b19e3779f9ull) ^ (e * 0x27d4eb2f165667c5ull);

	return (size_t)(h ^ (h >> 29));
}

/* The index holds row number + 1; 0 is an empty slot. */
static void index_put(struct pvx_decoder *d, size_t row)
{
	const struct pvx_trace_row *r = &d->t->rows[row];
	size_t i = hash4(r->tid, r->seg, r->vector, (uint32_t)r->cls) & (d->index_size - 1);

	while (d->index[i])
		i = (i + 1) & (d->index_size - 1);
	d->index[i] = row + 1;
}

static size_t row_for(struct pvx_decoder *d, uint32_t tid, uint32_t seg, uint32_t vector, int cls)
{
	struct pvx_trace *t = d->t;
	size_t i = hash4(tid, seg, vector, (uint32_t)cls) & (d->index_size - 1), r;

	while (d->index[i]) {
		r = d->index[i] - 1;
		if (t->rows[r].tid == tid && t->rows[r].seg == seg && t->rows[r].vector == vector &&
		    t->rows[r].cls == cls)
			return r;
		i = (i + 1) & (d->index_size - 1);
	}
	if (t->nrows == d->rows_cap) {
		size_t cap = d->rows_cap ? 2 * d->rows_cap : 32;
		struct pvx_trace_row *rows = realloc(t->rows, cap * sizeof(*rows));

		if (!rows) {
			pvx_err("out of memory (%zu trace rows)", cap);
			exit(1);
		}
		t->rows = rows;
		d->rows_cap = cap;
	}
	r = t->nrows++;
	memset(&t->rows[r], 0, sizeof(t->rows[r]));
	t->rows[r].tid = tid;
	t->rows[r].seg = seg;
	t->rows[r].vector = vector;
	t->rows[r].cls = cls;
	t->rows[r].lat_min = UINT64_MAX;
	/* Keep the index at most half full. */
	if (2 * t->nrows > d->index_size) {
		size_t k;

		free(d->index);
		d->index_size *= 2;
		d->index = pvx_xcalloc(d->index_size, sizeof(*d->index));
		for (k = 0; k < t->nrows; k++)
			index_put(d, k);
	} else {
		index_put(d, r);
	}
	return r;
}

static void pending_grow(struct pvx_decoder *d);

/* The thread's entry; entries are never removed, only closed. */
static struct pvx_pending *pending_slot(struct pvx_decoder *d, uint32_t tid, bool create)
{
	size_t mask = d->pending_size - 1, i = hash4(tid, 0, 0, 0) & mask;

	for (;;) {
		struct pvx_pending *p = &d->pending[i];

		if (p->used && p->tid == tid)
			return p;
		if (!p->used) {
			if (!create)
				return NULL;
			if (2 * (d->pending_used + 1) > d->pending_size) {
				pending_grow(d);
				return pending_slot(d, tid, true);
			}
			p->used = true;
			p->tid = tid;
			p->row = SIZE_MAX; /* no exit open */
			d->pending_used++;
			return p;
		}
		i = (i + 1) & mask;
	}
}

static void pending_grow(struct pvx_decoder *d)
{
	struct pvx_pending *old = d->pending;
	size_t n = d->pending_size, k;

	d->pending_size *= 2;
	d->pending = pvx_xcalloc(d->pending_size, sizeof(*d->pending));
	d->pending_used = 0;
	for (k = 0; k < n; k++)
		if (old[k].used)
			*pending_slot(d, old[k].tid, true) = old[k];
	free(old);
}

/* What tep_read_number() would say, without a call per field: the
 * sizes are 2, 4 or 8, as pvx_decoder_init() checked. */
static inline uint64_t field(const struct pvx_decoder *d, const void *data,
			     const struct pvx_field *f)
{
	const unsigned char *p = (const unsigned char *)data + f->offset;
	uint16_t v16;
	uint32_t v32;
	uint64_t v64;

	switch (f->size) {
	case 2:
		memcpy(&v16, p, 2);
		return d->swap ? __builtin_bswap16(v16) : v16;
	case 4:
		memcpy(&v32, p, 4);
		return d->swap ? __builtin_bswap32(v32) : v32;
	default:
		memcpy(&v64, p, 8);
		return d->swap ? __builtin_bswap64(v64) : v64;
	}
}

static bool fits(const struct pvx_field *f, unsigned int size)
{
	return f->offset + f->size <= size;
}

static void other_word(struct pvx_trace *t, uint32_t w)
{
	size_t i;

	for (i = 0; i < t->nother_words; i++) {
		if (t->other_words[i].word == w) {
			t->other_words[i].count++;
			return;
		}
	}
	if (t->nother_words == PVX_TRACE_MAX_WORDS) {
		t->other_words_more++;
		return;
	}
	if (!t->other_words)
		t->other_words = pvx_xcalloc(PVX_TRACE_MAX_WORDS, sizeof(*t->other_words));
	t->other_words[t->nother_words].word = w;
	t->other_words[t->nother_words++].count = 1;
}

/* Close the thread's open exit; an MMIO exit starts the next segment. */
static void close_exit(struct pvx_pending *p)
{
	p->row = SIZE_MAX;
	if (p->mmio)
		p->seg++;
	p->mmio = false;
}

static void count_exit(struct pvx_decoder *d, uint32_t tid, const void *data, uint64_t ts)
{
	struct pvx_trace *t = d->t;
	uint32_t vector = (uint32_t)field(d, data, &d->exit_nr);
	int cls = PVX_TRACE_NO_WORD;
	struct pvx_pending *p = pending_slot(d, tid, true);
	size_t row;

	if (p->row != SIZE_MAX) {
		t->unpaired_exit++;
		close_exit(p);
	}
	if (pvx_insn_exit_has_word(vector)) {
		uint32_t w = pvx_insn_from_exit(field(d, data, &d->last_inst),
						field(d, data, &d->msr), t->big_endian);

		cls = pvx_insn_classify(w);
		if (cls == PVX_INSN_OTHER)
			other_word(t, w);
	}
	row = row_for(d, tid, d->flags & PVX_TRACE_SEGMENTS ? p->seg : 0, vector, cls);
	t->rows[row].exits++;
	t->n_exit++;
	p->row = row;
	p->ts = ts;
}

static void count_instr(struct pvx_decoder *d, uint32_t tid, const void *data)
{
	struct pvx_trace *t = d->t;
	int cls = pvx_insn_classify((uint32_t)field(d, data, &d->inst));
	struct pvx_pending *p = pending_slot(d, tid, false);

	t->n_instr++;
	t->instr_by_class[cls >= 0 ? cls : PVX_CLASS_COUNT]++;
	if (!p || p->row == SIZE_MAX) {
		t->instr_outside++;
		return;
	}
	t->rows[p->row].instr++;
	if (t->rows[p->row].cls != PVX_TRACE_NO_WORD && t->rows[p->row].cls != cls)
		t->class_mismatch++;
	/* Only MMIO among the page faults goes through the emulator. */
	if (t->rows[p->row].vector == PVX_VECTOR_DATA_STORAGE)
		p->mmio = true;
}

static void count_reenter(struct pvx_decoder *d, uint32_t tid, uint64_t ts)
{
	struct pvx_trace *t = d->t;
	struct pvx_pending *p = pending_slot(d, tid, false);
	struct pvx_trace_row *r;
	uint64_t dt;

	t->n_reenter++;
	if (!p || p->row == SIZE_MAX) {
		t->unpaired_reenter++;
		return;
	}
	r = &t->rows[p->row];
	close_exit(p);
	if (ts < p->ts) {
		t->clock_backwards++;
		return;
	}
	dt = ts - p->ts;
	r->paired++;
	r->lat_sum += dt;
	if (dt < r->lat_min)
		r->lat_min = dt;
	if (dt > r->lat_max)
		r->lat_max = dt;
	r->hist[pvx_hist_slot(dt)]++;
}

int pvx_decoder_event(struct pvx_decoder *d, const void *data, unsigned int size, uint64_t ts)
{
	const struct pvx_field *need = NULL;
	const char *name;
	unsigned int type;
	uint32_t tid;

	if (!fits(&d->type, size) || !fits(&d->pid, size)) {
		pvx_set_err(d->why, sizeof(d->why),
			    "a %u-byte record, too short for an event header", size);
		return -1;
	}
	type = (unsigned int)field(d, data, &d->type);
	tid = (uint32_t)field(d, data, &d->pid);
	if ((int)type == d->id_exit) {
		name = PVX_TP_EXIT;
		if (!fits(&d->exit_nr, size))
			need = &d->exit_nr;
		else if (!fits(&d->msr, size))
			need = &d->msr;
		else if (!fits(&d->last_inst, size))
			need = &d->last_inst;
	} else if ((int)type == d->id_instr) {
		name = PVX_TP_INSTR;
		if (!fits(&d->inst, size))
			need = &d->inst;
	} else if ((int)type == d->id_reenter) {
		name = PVX_TP_REENTER;
	} else {
		d->t->n_foreign++;
		return 0;
	}
	if (need) {
		pvx_set_err(d->why, sizeof(d->why),
			    "a %u-byte %s record, too short for its format (a field at %u+%u)",
			    size, name, need->offset, need->size);
		return -1;
	}
	if ((int)type == d->id_exit)
		count_exit(d, tid, data, ts);
	else if ((int)type == d->id_instr)
		count_instr(d, tid, data);
	else
		count_reenter(d, tid, ts);
	return 0;
}

void pvx_decoder_refused(struct pvx_decoder *d, const char *what)
{
	pvx_set_err(d->err, d->errlen, "%s: %s", what, d->why);
}

/* --- the entry point ------------------------------------------------------- */

int pvx_trace_read(const char *path, unsigned int flags, struct pvx_trace *t, char *err,
		   size_t errlen)
{
	unsigned char magic[16];
	ssize_t n;
	int fd, ret;

	memset(t, 0, sizeof(*t));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pvx_set_err(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	n = pread(fd, magic, sizeof(magic), 0);
	if (n < 0) {
		pvx_set_err(err, errlen, "cannot read %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if ((size_t)n >= sizeof(dat_magic) && !memcmp(magic, dat_magic, sizeof(dat_magic))) {
		const char *refused;

		pvx_dat_formats_watch();
		ret = pvx_trace_read_dat(path, fd, flags, t, err, errlen);
		/* libtracecmd goes on past a format it could not parse; a
		 * corrupt one is the file's first problem all the same. */
		refused = pvx_dat_formats_unwatch();
		if (refused) {
			pvx_set_err(err, errlen, "%s: %s", path, refused);
			ret = -1;
		}
	} else if ((size_t)n >= PVT_MAGIC_LEN && !memcmp(magic, PVT_MAGIC, PVT_MAGIC_LEN)) {
		ret = pvx_trace_read_pvtrace(path, fd, flags, t, err, errlen);
	} else {
		pvx_set_err(err, errlen,
			    "%s: neither a pvexit trace nor a trace-cmd trace.dat (%s magic bytes)",
			    path, n ? "unknown" : "no");
		ret = -1;
	}
	close(fd);
	if (ret)
		pvx_trace_free(t);
	return ret;
}
