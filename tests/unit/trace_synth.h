/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Synthetic recordings for the trace decoder's tests: ring-buffer pages
 * of the three KVM PR events, laid out as a big- or little-endian
 * kernel writes them, in pvexit's container.  The format texts are the
 * lab kernel's (6.1), with IDs of our choosing.
 */
#ifndef PVEXIT_TRACE_SYNTH_H
#define PVEXIT_TRACE_SYNTH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "pvtrace.h"

#define SYN_PAGE 4096u
#define SYN_ID_EXIT 391
#define SYN_ID_INSTR 390
#define SYN_ID_REENTER 400

static const char syn_header_page[] = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
				      "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
				      "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
				      "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

#define SYN_COMMON                                                                     \
	"format:\n"                                                                    \
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"         \
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"         \
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n" \
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"

static const char syn_fmt_exit[] =
	"name: kvm_exit\nID: 391\n" SYN_COMMON
	"\tfield:unsigned int exit_nr;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long pc;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long msr;\toffset:24;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long dar;\toffset:32;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long srr1;\toffset:40;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned long last_inst;\toffset:48;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"exit=%x last_inst=0x%lx\", REC->exit_nr, REC->last_inst\n";

static const char syn_fmt_instr[] =
	"name: kvm_ppc_instr\nID: 390\n" SYN_COMMON
	"\tfield:unsigned int inst;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long pc;\toffset:16;\tsize:8;\tsigned:0;\n"
	"\tfield:unsigned int emulate;\toffset:24;\tsize:4;\tsigned:0;\n\n"
	"print fmt: \"inst %u pc 0x%lx emulate %u\", REC->inst, REC->pc, REC->emulate\n";

static const char syn_fmt_reenter[] =
	"name: kvm_book3s_reenter\nID: 400\n" SYN_COMMON
	"\tfield:unsigned int r;\toffset:8;\tsize:4;\tsigned:0;\n"
	"\tfield:unsigned long pc;\toffset:16;\tsize:8;\tsigned:0;\n\n"
	"print fmt: \"reentry r=%d | pc=0x%lx\", REC->r, REC->pc\n";

/* One page being filled. */
struct syn_page {
	unsigned char b[SYN_PAGE];
	unsigned int pos; /* bytes of events so far */
	bool be;
	uint64_t ts; /* of the last event */
};

static void syn_put(const struct syn_page *p, unsigned char *at, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		at[p->be ? i : n - 1 - i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

static void syn_page_start(struct syn_page *p, bool be, uint64_t ts)
{
	memset(p, 0, sizeof(*p));
	p->be = be;
	p->ts = ts;
	syn_put(p, p->b, ts, 8);
}

/* The commit word, with loss flags when @missed is non-zero. */
static void syn_page_end(struct syn_page *p, uint64_t missed)
{
	uint64_t commit = p->pos;

	if (missed) {
		commit |= (1ull << 31) | (1ull << 30);
		syn_put(p, p->b + 16 + p->pos, missed, 8);
	}
	syn_put(p, p->b + 8, commit, 8);
}

static unsigned char *syn_event(struct syn_page *p, uint64_t ts, unsigned int len)
{
	uint64_t delta = ts - p->ts;
	unsigned char *e;
	uint32_t w;

	if (delta >> 27) { /* a time extend first */
		w = p->be ? (30u << 27) | (uint32_t)(delta & ((1u << 27) - 1)) :
			    30u | (uint32_t)((delta & ((1u << 27) - 1)) << 5);
		syn_put(p, p->b + 16 + p->pos, w, 4);
		syn_put(p, p->b + 16 + p->pos + 4, delta >> 27, 4);
		p->pos += 8;
		delta = 0;
	}
	w = p->be ? (len / 4) << 27 | (uint32_t)delta : (len / 4) | (uint32_t)delta << 5;
	syn_put(p, p->b + 16 + p->pos, w, 4);
	e = p->b + 16 + p->pos + 4;
	memset(e, 0, len);
	p->pos += 4 + len;
	p->ts = ts;
	return e;
}

static void syn_common(struct syn_page *p, unsigned char *e, int id, uint32_t tid)
{
	syn_put(p, e, (uint64_t)id, 2);
	syn_put(p, e + 4, tid, 4);
}

/* kvm_exit with @word as the guest had it in memory: the host's load
 * sees it byte-swapped when the guest's order differs from its own. */
static void syn_exit(struct syn_page *p, uint64_t ts, uint32_t tid, uint32_t vector, bool guest_le,
		     uint32_t word)
{
	unsigned char *e = syn_event(p, ts, 56);
	uint32_t seen = guest_le == !p->be ? word : __builtin_bswap32(word);

	syn_common(p, e, SYN_ID_EXIT, tid);
	syn_put(p, e + 8, vector, 4);
	syn_put(p, e + 24, guest_le ? 0x8000000000000001ull : 0x8000000000000000ull, 8);
	syn_put(p, e + 48, seen, 8);
}

static void syn_instr(struct syn_page *p, uint64_t ts, uint32_t tid, uint32_t word)
{
	unsigned char *e = syn_event(p, ts, 32);

	syn_common(p, e, SYN_ID_INSTR, tid);
	syn_put(p, e + 8, word, 4);
}

static void syn_reenter(struct syn_page *p, uint64_t ts, uint32_t tid)
{
	unsigned char *e = syn_event(p, ts, 24);

	syn_common(p, e, SYN_ID_REENTER, tid);
}

/* A container with the formats given (NULL: the good ones). */
static struct pvt_writer *syn_create(const char *path, bool be, unsigned int ncpus,
				     const char *header_page, const char *exit_fmt)
{
	struct pvt_info info = { be, 8, SYN_PAGE, ncpus, "clock=local\nmachine=synthetic\n" };
	struct pvt_writer *w;
	char err[256];

	w = pvt_create(path, &info, err, sizeof(err));
	if (!w) {
		printf("  pvt_create: %s\n", err);
		return NULL;
	}
	header_page = header_page ? header_page : syn_header_page;
	pvt_section(w, PVT_HEADER_PAGE, header_page, strlen(header_page), NULL, 0);
	exit_fmt = exit_fmt ? exit_fmt : syn_fmt_exit;
	pvt_format(w, "kvm_pr", exit_fmt, strlen(exit_fmt));
	pvt_format(w, "kvm", syn_fmt_instr, strlen(syn_fmt_instr));
	pvt_format(w, "kvm_pr", syn_fmt_reenter, strlen(syn_fmt_reenter));
	return w;
}

#endif
