// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the launcher does with each report record: the phase markers take
 * the stats snapshots, the rest is kept for the caller.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pvexit/cases.h>
#include <pvexit/classes.h>

#include "channel_decode.h"
#include "names.h"
#include "kvm_stats.h"
#include "launch_internal.h"
#include "util.h"

static int fail(struct launch_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct launch_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pvx_vset_err(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	return -1;
}

int launch_stats_init(struct launch_vm *vm, struct launch_result *r)
{
	size_t i, n = kvm_stats_count(vm->stats);

	r->nstats = n;
	r->stat_names = pvx_xcalloc(n, sizeof(*r->stat_names));
	r->stat_cumulative = pvx_xcalloc(n, sizeof(*r->stat_cumulative));
	for (i = 0; i < n; i++) {
		r->stat_names[i] = strdup(kvm_stats_name(vm->stats, i));
		if (!r->stat_names[i])
			return fail(r, "out of memory");
		r->stat_cumulative[i] = kvm_stats_cumulative(vm->stats, i);
	}
	vm->sum_exits = -1;
	if (r->family == PVX_FAM_BOOKE)
		for (i = 0; i < n; i++)
			if (!strcmp(r->stat_names[i], "sum_exits") && r->stat_cumulative[i])
				vm->sum_exits = (long)i;
	vm->snap_begin = pvx_xcalloc(n, sizeof(uint64_t));
	vm->snap_now = pvx_xcalloc(n, sizeof(uint64_t));
	vm->open_phase = -1;
	return 0;
}

static const char *class_label(uint64_t cls)
{
	if (cls == PVX_CLASS_NONE)
		return "-";
	return cls < PVX_CLASS_COUNT ? pvx_classes[cls].name : "unknown";
}

/* A phase's class and case must name rows of the tables, or both none. */
static bool ids_valid(uint64_t cls, uint64_t cs)
{
	if (cls == PVX_CLASS_NONE)
		return cs == PVX_CASE_NONE;
	return cls < PVX_CLASS_COUNT && cs < PVX_CASE_COUNT &&
	       pvx_cases[cs].kind == pvx_classes[cls].kind;
}

static int phase_begin(struct launch_vm *vm, struct launch_result *r, const struct pvx_record *rec)
{
	struct launch_phase *p;
	char err[256];

	if (vm->open_phase >= 0)
		return fail(r, "channel: phase %s/%s begins inside phase %s/%s",
			    class_label(rec->w[0]), pvx_variant_name(rec->w[1]),
			    class_label(r->phases[vm->open_phase].cls),
			    pvx_variant_name(r->phases[vm->open_phase].variant));
	if (!ids_valid(rec->w[0], rec->w[2]))
		return fail(r, "channel: phase of class %llu, case %llu: no such class and case",
			    (unsigned long long)rec->w[0], (unsigned long long)rec->w[2]);
	if (rec->w[1] > PVX_VAR_MAX)
		return fail(r, "channel: phase of variant %llu: no such variant",
			    (unsigned long long)rec->w[1]);
	if (r->nphases == LAUNCH_MAX_PHASES)
		return fail(r, "channel: more than %d phases", LAUNCH_MAX_PHASES);
	p = &r->phases[r->nphases];
	memset(p, 0, sizeof(*p));
	p->cls = (unsigned int)rec->w[0];
	p->variant = (unsigned int)rec->w[1];
	p->cs = (unsigned int)rec->w[2];
	p->delta = pvx_xcalloc(r->nstats, sizeof(uint64_t));
	p->segment = r->records;
	vm->open_phase = (int)r->nphases++;
	/* The snapshot is taken while the vCPU sits in this exit: nothing
	 * the guest does after the marker can be in it. */
	if (kvm_stats_read(vm->stats, vm->snap_begin, err, sizeof(err)) < 0)
		return fail(r, "%s", err);
	if (vm->on_phase)
		vm->on_phase(vm->on_phase_ctx, vm->open_phase);
	vm->t_phase = pvx_now_ns();
	return 0;
}

/*
 * BookE's KVM leaves sum_exits at 0 and counts each exit once, under its
 * type (booke.c, kvmppc_handle_exit): their sum is the number of exits,
 * the count the kvm_booke:kvm_exit tracepoint gives too.
 */
static uint64_t sum_by_type(const struct launch_result *r, const struct launch_phase *p)
{
	static const char suffix[] = "_exits";
	uint64_t sum = 0;
	size_t i;

	for (i = 0; i < r->nstats; i++) {
		const char *name = r->stat_names[i];
		size_t n = strlen(name);

		if (r->stat_cumulative[i] && n > sizeof(suffix) - 1 &&
		    !strcmp(name + n - (sizeof(suffix) - 1), suffix) && strcmp(name, "sum_exits"))
			sum += p->delta[i];
	}
	return sum;
}

static int phase_end(struct launch_vm *vm, struct launch_result *r, const struct pvx_record *rec)
{
	struct launch_phase *p;
	char err[256];
	size_t i;

	if (kvm_stats_read(vm->stats, vm->snap_now, err, sizeof(err)) < 0)
		return fail(r, "%s", err);
	if (vm->open_phase < 0)
		return fail(r, "channel: phase %s/%s ends but never began", class_label(rec->w[0]),
			    pvx_variant_name(rec->w[1]));
	p = &r->phases[vm->open_phase];
	if (p->cls != rec->w[0] || p->variant != rec->w[1] || p->cs != rec->w[2])
		return fail(r, "channel: phase %s/%s ends while %s/%s is open",
			    class_label(rec->w[0]), pvx_variant_name(rec->w[1]),
			    class_label(p->cls), pvx_variant_name(p->variant));
	p->host_ns = pvx_now_ns() - vm->t_phase;
	for (i = 0; i < r->nstats; i++)
		p->delta[i] = r->stat_cumulative[i] ? vm->snap_now[i] - vm->snap_begin[i] :
						      vm->snap_now[i];
	if (vm->sum_exits >= 0)
		p->delta[vm->sum_exits] = sum_by_type(r, p);
	p->ended = true;
	vm->open_phase = -1;
	if (vm->on_phase)
		vm->on_phase(vm->on_phase_ctx, -1);
	return 0;
}

static int result(struct launch_result *r, const struct pvx_record *rec)
{
	unsigned int i = r->nphases;

	while (i-- > 0) {
		struct launch_phase *p = &r->phases[i];

		if (p->cls == rec->w[0] && p->variant == rec->w[1] && p->cs == rec->w[5] &&
		    p->ended && !p->have_result) {
			p->have_result = true;
			p->iterations = rec->w[2];
			p->ticks = rec->w[3];
			p->value = rec->w[4];
			p->interrupts = rec->w[6];
			return 0;
		}
	}
	return fail(r, "channel: result for %s/%s without a finished phase", class_label(rec->w[0]),
		    pvx_variant_name(rec->w[1]));
}

/*
 * Every phase's window holds the end marker's own exit.  The empty
 * phases say what that adds to each counter; the smallest of them is the
 * one no timer tick fell into.  Take it out of all other phases.
 */
static void subtract_markers(struct launch_result *r)
{
	unsigned int i;
	size_t k;

	for (i = 0; i < r->nphases; i++) {
		const struct launch_phase *p = &r->phases[i];

		if (p->cls != PVX_CLASS_NONE || p->variant != PVX_VAR_MARKER || !p->ended)
			continue;
		if (!r->marker) {
			r->marker = pvx_xcalloc(r->nstats, sizeof(uint64_t));
			memcpy(r->marker, p->delta, r->nstats * sizeof(uint64_t));
		}
		for (k = 0; k < r->nstats; k++)
			if (p->delta[k] < r->marker[k])
				r->marker[k] = p->delta[k];
		r->nmarker++;
	}
	if (!r->marker)
		return;
	for (i = 0; i < r->nphases; i++) {
		struct launch_phase *p = &r->phases[i];

		if (p->variant == PVX_VAR_MARKER)
			continue;
		for (k = 0; k < r->nstats; k++)
			if (r->stat_cumulative[k])
				p->delta[k] =
					p->delta[k] > r->marker[k] ? p->delta[k] - r->marker[k] : 0;
	}
}

static void echo(const struct launch_result *r, const struct pvx_record *rec)
{
	int i;

	fprintf(stderr, "record %llu %s", (unsigned long long)rec->seq,
		pvx_record_type_name(rec->type));
	for (i = 0; i < PVX_REC_WORDS; i++)
		fprintf(stderr, " %llx", (unsigned long long)rec->w[i]);
	fprintf(stderr, "%s%s (%s-endian)\n", rec->text[0] ? " " : "", rec->text,
		r->big_endian ? "big" : "little");
}

int launch_record(struct launch_vm *vm, struct launch_result *r, uint64_t addr, bool verbose)
{
	struct pvx_record rec;
	char err[256];

	if (pvx_record_fetch(vm->ram, vm->ram_size, addr, r->big_endian, &rec, err, sizeof(err)) <
	    0)
		return fail(r, "channel: %s", err);
	if (rec.seq != r->records + 1)
		return fail(r, "channel: record %llu arrived after record %llu (lost or repeated)",
			    (unsigned long long)rec.seq, (unsigned long long)r->records);
	if (!r->records++)
		r->first_record_ns = pvx_now_ns() - vm->t_start;
	if (verbose)
		echo(r, &rec);

	switch (rec.type) {
	case PVX_REC_HELLO:
		if (rec.w[0] != PVX_CHANNEL_VERSION)
			return fail(r, "channel: the payload speaks version %llu, we speak %d",
				    (unsigned long long)rec.w[0], PVX_CHANNEL_VERSION);
		if (rec.w[1] != (uint64_t)r->big_endian)
			return fail(r, "channel: the payload says it is %s-endian, its ELF says %s",
				    rec.w[1] ? "big" : "little", r->big_endian ? "big" : "little");
		if (rec.w[2] != r->bits)
			return fail(r, "channel: the payload says it is %llu-bit, its ELF says %u",
				    (unsigned long long)rec.w[2], r->bits);
		r->tb_hz = rec.w[3];
		r->tb_assumed = rec.w[4];
		return 0;
	case PVX_REC_TEXT:
		fprintf(stderr, "%s: payload: %s\n", pvx_prog, rec.text);
		return 0;
	case PVX_REC_FACT:
		if (r->nfacts == LAUNCH_MAX_FACTS)
			return fail(r, "channel: more than %d facts", LAUNCH_MAX_FACTS);
		if (rec.w[1] != PVX_FACT_DEC && rec.w[1] != PVX_FACT_HEX)
			return fail(r, "channel: fact of format %llu: no such format",
				    (unsigned long long)rec.w[1]);
		memcpy(r->facts[r->nfacts].key, rec.text, sizeof(rec.text));
		r->facts[r->nfacts].value = rec.w[0];
		r->facts[r->nfacts].format = (int)rec.w[1];
		r->nfacts++;
		return 0;
	case PVX_REC_PHASE_BEGIN:
		return phase_begin(vm, r, &rec);
	case PVX_REC_PHASE_END:
		return phase_end(vm, r, &rec);
	case PVX_REC_RESULT:
		return result(r, &rec);
	case PVX_REC_CHECK:
		if (r->nchecks == LAUNCH_MAX_CHECKS)
			return fail(r, "channel: more than %d checks", LAUNCH_MAX_CHECKS);
		if (!ids_valid(rec.w[0], rec.w[4]))
			return fail(
				r,
				"channel: check of class %llu, case %llu: no such class and case",
				(unsigned long long)rec.w[0], (unsigned long long)rec.w[4]);
		r->checks[r->nchecks].cls = (unsigned int)rec.w[0];
		r->checks[r->nchecks].cs = (unsigned int)rec.w[4];
		memcpy(r->checks[r->nchecks].what, rec.text, sizeof(rec.text));
		r->checks[r->nchecks].pass = rec.w[1] == PVX_CHECK_PASS;
		r->checks[r->nchecks].seen = rec.w[2];
		r->checks[r->nchecks].want = rec.w[3];
		r->nchecks++;
		return 0;
	case PVX_REC_CRASH: {
		bool booke = r->family == PVX_FAM_BOOKE;
		const char *name =
			booke ? pvx_booke_vector_name(rec.w[0]) : pvx_vector_name(rec.w[0]);

		/* BookE's registers: IVOR number, DEAR and ESR. */
		return fail(
			r,
			booke ? "the guest crashed: %s interrupt (IVOR%llu) at 0x%llx, srr1 0x%llx, dear 0x%llx, esr 0x%llx, instruction 0x%08llx" :
				"the guest crashed: %s interrupt (vector 0x%llx) at 0x%llx, srr1 0x%llx, dar 0x%llx, dsisr 0x%llx, instruction 0x%08llx",
			name ? name : "unknown", (unsigned long long)rec.w[0],
			(unsigned long long)rec.w[1], (unsigned long long)rec.w[2],
			(unsigned long long)rec.w[3], (unsigned long long)rec.w[4],
			(unsigned long long)rec.w[5]);
	}
	case PVX_REC_DONE:
		if (vm->open_phase >= 0)
			return fail(r, "channel: the payload finished inside phase %s/%s",
				    class_label(r->phases[vm->open_phase].cls),
				    pvx_variant_name(r->phases[vm->open_phase].variant));
		r->done = true;
		r->failures = rec.w[0];
		subtract_markers(r);
		return 1;
	default: /* PVX_REC_PING */
		return 0;
	}
}
