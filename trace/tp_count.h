/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Counting one tracepoint's events between two moments, through a
 * tracefs instance of our own and nothing else: no decoding, so no
 * libtraceevent, and a static build (the e500 lab's launcher) can use
 * it.  The count is the ring buffer's own: its entries, with nothing
 * overwritten or dropped, or the read fails.
 */
#ifndef PVEXIT_TP_COUNT_H
#define PVEXIT_TP_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pvx_tpcount;

/**
 * pvx_tpcount_open() - a new instance with @system:@event enabled.
 * @filter: a tracefs filter expression ("exit_nr == 6"), or NULL
 * @buffer_kb: ring buffer per CPU; a phase must fit in it
 * Return: the counter, or NULL with @err set (tracefs not mounted, the
 * event missing, no permission).
 */
struct pvx_tpcount *pvx_tpcount_open(const char *system, const char *event, const char *filter,
				     unsigned int buffer_kb, char *err, size_t errlen);

/* Empty the buffer: counting starts now.  Return: 0, or -1 with @err. */
int pvx_tpcount_reset(struct pvx_tpcount *t, char *err, size_t errlen);

/* Events since the last reset.  Return: 0, or -1 with @err set, also
 * when events were lost (the buffer was too small). */
int pvx_tpcount_read(struct pvx_tpcount *t, uint64_t *count, char *err, size_t errlen);

/* Disable the event and remove the instance (NULL is fine). */
void pvx_tpcount_close(struct pvx_tpcount *t);

/*
 * The kvm_exit tracepoint counted per phase of a launcher run, all exits
 * and the emulation ones (a program interrupt: exit_nr 6 on BookE, 0x700
 * on Book3S), driven by the launcher's phase hook: pvx_tpphases_mark()
 * with the phase's index when it begins, -1 when it ends.  A failure on
 * the way drops every count (pvx_tpphases_get() says false) and keeps
 * the reason.
 */
struct pvx_tpphases;
struct pvx_tpphases *pvx_tpphases_open(bool booke, unsigned int nphases, char *err, size_t errlen);
void pvx_tpphases_mark(struct pvx_tpphases *t, int phase);
bool pvx_tpphases_get(const struct pvx_tpphases *t, unsigned int phase, uint64_t *exits,
		      uint64_t *emul);
const char *pvx_tpphases_error(const struct pvx_tpphases *t); /* "" when none */
void pvx_tpphases_close(struct pvx_tpphases *t);

#endif
