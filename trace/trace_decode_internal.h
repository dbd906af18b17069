/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the two file readers (trace_decode_pvtrace.c, trace_decode_dat.c)
 * share: checking the three event formats that libtraceevent parsed, and
 * turning one raw event record into counts.
 */
#ifndef PVEXIT_TRACE_DECODE_INTERNAL_H
#define PVEXIT_TRACE_DECODE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace_decode.h"

struct tep_handle;

/* Where a field lies in a record, from its format. */
struct pvx_field {
	unsigned int offset, size;
};

struct pvx_pending;

struct pvx_decoder {
	struct pvx_trace *t;
	unsigned int flags; /* PVX_TRACE_* */
	struct tep_handle *tep;
	bool swap; /* the file's byte order is not this host's */
	int id_exit, id_instr, id_reenter;
	struct pvx_field type, pid; /* common_type, common_pid */
	struct pvx_field exit_nr, msr, last_inst, inst;
	/* rows of t, found by (tid, vector, class) */
	size_t *index;
	size_t index_size, rows_cap;
	/* the open exit of each thread, waiting for its reentry */
	struct pvx_pending *pending;
	size_t pending_size, pending_used;
	char *err;
	size_t errlen;
	/* what was wrong with the record pvx_decoder_event() refused */
	char why[160];
};

/* The events the decoder reads, by system and name. */
#define PVX_TP_EXIT_SYS "kvm_pr"
#define PVX_TP_EXIT "kvm_exit"
#define PVX_TP_INSTR_SYS "kvm"
#define PVX_TP_INSTR "kvm_ppc_instr"
#define PVX_TP_REENTER_SYS "kvm_pr"
#define PVX_TP_REENTER "kvm_book3s_reenter"

/**
 * pvx_decoder_init() - check the formats in @tep and get ready to count.
 * @where: the file, for messages
 * Return: 0, or -1 with @err naming the event and field that is missing
 * or malformed.
 */
int pvx_decoder_init(struct pvx_decoder *d, struct pvx_trace *t, unsigned int flags,
		     struct tep_handle *tep, const char *where, char *err, size_t errlen);

/**
 * pvx_decoder_event() - count one raw event.
 * @data: the event's payload (common fields first), @size bytes of it
 * @ts: its time stamp
 *
 * Context: called once per record of the file, so it formats nothing
 * unless the record is bad; the caller, which knows where the record
 * lies, names it in front of @why with pvx_decoder_refused().
 * Return: 0, or -1 with the decoder's @why set (a record too short for
 * its format).
 */
int pvx_decoder_event(struct pvx_decoder *d, const void *data, unsigned int size, uint64_t ts);

/* The decoder's @err: @what (the record pvx_decoder_event() refused),
 * then why it did. */
void pvx_decoder_refused(struct pvx_decoder *d, const char *what);

void pvx_decoder_fini(struct pvx_decoder *d);

/**
 * pvx_parse_cpu_stats() - the counts of a per_cpu/cpuN/stats text (the
 * kernel's, as saved in either kind of file) into @c.
 * Return: 0, or -1 if a count is present but not a number.
 */
int pvx_parse_cpu_stats(const char *text, size_t len, struct pvx_trace_cpu *c);

/* What a ring-buffer page's header says. */
struct pvx_page {
	unsigned int commit; /* bytes of events after the header */
	bool missed; /* events were lost before this page */
	bool missed_stored; /* and their number follows the events */
	uint64_t missed_count;
};

/* kbuffer may read up to this many bytes past a page's end. */
#define PVX_PAGE_SLACK 16

/**
 * pvx_page_check() - check a ring-buffer page the way kbuffer will walk
 * it, since kbuffer trusts it: the commit size within the page, every
 * event header moving forward, every event inside the committed data.
 * @page: page_size bytes followed by PVX_PAGE_SLACK readable bytes
 * Return: 0 with @pg filled, or -1 with @why saying what is wrong.
 */
int pvx_page_check(const unsigned char *page, unsigned int page_size, bool big_endian,
		   int long_size, struct pvx_page *pg, char *why, size_t whylen);

/**
 * pvx_text_check() - a header or format text is text: 1 to 32 KiB of
 * printable ASCII, tabs and newlines, as the kernel writes them.
 * Return: 0, or -1 with @why saying which byte, where.
 */
int pvx_text_check(const char *text, size_t len, char *why, size_t whylen);

/**
 * pvx_format_check() - check an event format text (events/SYS/NAME/format)
 * before libtraceevent, which trusts it, parses it into @tep: it must pass
 * pvx_text_check(), its strings end, its brackets pair (at most 64
 * deep), it uses no operator libtraceevent does not know, and it must
 * parse without crashing in a child process with the decoder's memory:
 * the rehearsal's, if one runs (pvx_formats_rehearse()), or else a copy
 * of @tep (or a new handle if NULL) in a child of its own
 * (trace/trace_decode_format.c says why).
 * @sys: the event's system, as libtraceevent will be told
 * Context: may fork; the caller must parse the text into @tep next, with
 * nothing in between, then call pvx_format_parsed().
 * Return: 0, or -1 with @why naming the event and what is wrong, where.
 */
int pvx_format_check(struct tep_handle *tep, const char *text, size_t len, const char *sys,
		     char *why, size_t whylen);

/* The text pvx_format_check() passed last is parsed. */
void pvx_format_parsed(void);

/**
 * pvx_formats_rehearse() - fork one child that runs @rehearse(@arg):
 * exactly what the caller does next, up to and including every
 * pvx_format_check() and parse of a format, so that each format is
 * parsed in the child, with the same memory, just before the caller
 * parses it.  @rehearse must not share a file offset with the caller.
 * Context: one rehearsal at a time; end it with pvx_formats_rehearsed().
 * Return: 0, or -1 if there is none (each format then gets a child of
 * its own).
 */
int pvx_formats_rehearse(void (*rehearse)(void *arg), void *arg);

/* Wait for the rehearsal's child to end. */
void pvx_formats_rehearsed(void);

/**
 * pvx_dat_formats_watch() - from now until pvx_dat_formats_unwatch(),
 * every event format libtracecmd hands libtraceevent goes through
 * pvx_format_check() first and the printk formats through a check of
 * their lines; a text that fails is not parsed at all (which libtracecmd
 * takes as a parse failure and goes on).  The kallsyms are not parsed
 * (trace/trace_decode_hooks.c).
 */
void pvx_dat_formats_watch(void);

/**
 * pvx_dat_kallsyms_skip() - while watching, a compressed kallsyms
 * section whose data starts at @at (pvx_dat_check()) in the file open
 * as @fd is not even unpacked: libtracecmd is told it is empty.
 */
void pvx_dat_kallsyms_skip(int fd, uint64_t at);

/**
 * pvx_dat_pages_check() - while watching, every ring-buffer page
 * libtracecmd hands kbuffer goes through pvx_page_check() first, with
 * the file's geometry (pvx_dat_check()): the compressed ones could not
 * be checked before.  A page that fails is handed on empty, and is the
 * file's refusal.
 */
void pvx_dat_pages_check(unsigned int page_size, bool big_endian, int long_size);

/* Stop watching. Return: the first refusal since pvx_dat_formats_watch(),
 * or NULL. */
const char *pvx_dat_formats_unwatch(void);

/* What pvx_dat_check() found that reading the file needs. */
struct pvx_dat_info {
	uint64_t kallsyms; /* where a compressed kallsyms section's data starts, or 0 */
	unsigned int page_size; /* of the ring buffer */
	bool big_endian;
	int long_size;
};

/**
 * pvx_dat_check() - walk the structure of a trace.dat (file version 6
 * or 7) and check every length and offset in it against the file, and
 * every uncompressed ring-buffer page with pvx_page_check(), before
 * libtracecmd, which trusts them, reads it.
 * @info: filled in when the file passes (for pvx_dat_kallsyms_skip() and
 *	pvx_dat_pages_check())
 * Return: 0, or -1 with @err naming the file, the place and the problem.
 */
int pvx_dat_check(const char *path, int fd, struct pvx_dat_info *info, char *err, size_t errlen);

/* Readers of each kind; the file is already open and its magic checked. */
int pvx_trace_read_pvtrace(const char *path, int fd, unsigned int flags, struct pvx_trace *t,
			   char *err, size_t errlen);
int pvx_trace_read_dat(const char *path, int fd, unsigned int flags, struct pvx_trace *t, char *err,
		       size_t errlen);

#endif
