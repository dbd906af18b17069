// SPDX-License-Identifier: GPL-2.0-only
/*
 * Running a class: for each scenario of its rewrite kind (cases.def), the
 * raw, patched and baseline loops between phase markers, and the checks
 * that the patched form does what the trapping form does.
 */
#include <pvexit/cases.h>
#include <pvexit/channel.h>
#include <pvexit/classes.h>
#include <pvexit/magic_page.h>
#include <pvexit/ppc_insn.h>

#include "loops.h"
#include "payload.h"
#include "runtime/rt.h"

/* The "other bit" mtmsr scenario flips: FP on Book3S; e500v2 has no FPU,
 * so BookE flips ME, which nothing here depends on. */
#ifdef PVX_BOOKE
#define MSR_OTHER 0x1000UL
#else
#define MSR_OTHER 0x2000UL
#endif
/* Values the store checks write; distinct so a stale one cannot pass
 * (truncated to their low words in a 32-bit image). */
#define PATTERN_A ((unsigned long)0x0123456789abcdefULL)
#define PATTERN_B ((unsigned long)0xfedcba9876543210ULL)
/* mtsrin's scenario: segment 12, a plausible segment register (Kp = 1,
 * VSID 0x1234); the trapping store writes another VSID. */
#define SR_RB 0xc0000000UL
#define SR_INDEX 12
#define SR_VALUE_A 0x20001234UL
#define SR_VALUE_B 0x20005678UL

struct loops {
	pvx_loop_fn raw, pv, base;
};

static const struct loops loops[PVX_CLASS_COUNT] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench, \
		  quiet)                                                                       \
	[PVX_CLASS_##id] = { pvx_loop_raw_##id, pvx_loop_pv_##id, pvx_loop_base_##id },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

static volatile uint64_t interrupts;
static volatile bool dec_expected;

/* The trapping MSR write: state changes between phases need the host. */
static void set_msr(unsigned long msr)
{
#ifdef __powerpc64__
	__asm__ __volatile__("mtmsrd %0" ::"r"(msr) : "memory");
#else
	__asm__ __volatile__("mtmsr %0" ::"r"(msr) : "memory");
#endif
}

#if !defined(__powerpc64__) && !defined(PVX_BOOKE)
/* The trapping read of a segment register: mfsrin is never rewritten. */
static unsigned long mfsrin(unsigned long rb)
{
	unsigned long v;

	__asm__ __volatile__("mfsrin %0,%1" : "=r"(v) : "r"(rb));
	return v;
}
#endif

static uint32_t int_pending(void)
{
	return *(volatile uint32_t *)(uintptr_t)(PVX_MAGIC_PAGE_EA + PVX_MP_INT_PENDING);
}

bool payload_interrupt(struct rt_frame *f)
{
	if (f->vec != RT_VEC_DEC || !dec_expected)
		return false;
	/* Leave the decrementer pending (only mtdec clears it on KVM PR,
	 * only a TSR write on BookE), and return with EE off: the next op
	 * sets EE with it pending. */
	interrupts++;
	f->srr1 &= ~(uint64_t)PPC_MSR_EE;
	return true;
}

void payload_init(void)
{
	rt_mtdec(RT_DEC_FAR);
}

/*
 * Make the decrementer interrupt pending with EE off, and wait until the
 * host says so in the magic page: the host sets int_pending when it
 * finds an interrupt it may not deliver.
 */
static bool arm_pending(void)
{
	uint64_t start = rt_mftb(), limit = rt_tb_hz / 2;

	dec_expected = true;
	rt_mtdec(1);
	while (!int_pending())
		if (rt_mftb() - start > limit)
			return false;
	return true;
}

static void disarm(unsigned long msr)
{
	rt_mtdec(RT_DEC_FAR);
	rt_dec_ack();
	dec_expected = false;
	set_msr(msr);
}

struct operands {
	unsigned long in, in2, rb;
};

static struct operands operands(int setup, unsigned long msr)
{
	unsigned long base = msr & ~(PPC_MSR_EE | MSR_OTHER);
	struct operands o = { 0, 0, 0 };

	switch (setup) {
	case PVX_SETUP_VALUE:
		o.in = o.in2 = PATTERN_A;
		break;
	case PVX_SETUP_EE_ON:
	case PVX_SETUP_EE_PENDING:
		o.in = o.in2 = base | PPC_MSR_EE;
		break;
	case PVX_SETUP_EE_OFF:
		o.in = o.in2 = base;
		break;
	case PVX_SETUP_EE_TOGGLE:
		o.in = base | PPC_MSR_EE;
		o.in2 = base;
		break;
	case PVX_SETUP_OTHER_BIT:
		o.in = base | MSR_OTHER;
		o.in2 = base;
		break;
	case PVX_SETUP_SR:
		o.in = o.in2 = SR_VALUE_A;
		o.rb = SR_RB;
		break;
	}
	return o;
}

/* One loop between phase markers; returns the loop's value. */
static unsigned long run_phase(unsigned int cls, unsigned int cs, unsigned int variant,
			       pvx_loop_fn fn, uint64_t iterations, const struct operands *o,
			       unsigned long msr)
{
	const struct pvx_case_info *c = &pvx_cases[cs];
	uint64_t blocks = iterations / PVX_UNROLL, t0, t1;
	unsigned long v;

	if (!blocks)
		blocks = 1;
	rt_mtdec(RT_DEC_FAR);
	/* Start each loop from the state its operands change. */
	if (c->setup == PVX_SETUP_EE_ON)
		set_msr(msr & ~(unsigned long)PPC_MSR_EE);
	if (c->setup == PVX_SETUP_EE_OFF)
		set_msr(msr | PPC_MSR_EE);
	if (c->setup == PVX_SETUP_EE_PENDING && variant != PVX_VAR_BASELINE && !arm_pending()) {
		report_text("%s/%s: the decrementer interrupt never became pending",
			    pvx_classes[cls].name, c->name);
		rt_failures++;
	}
	interrupts = 0;
	report_phase(true, cls, variant, cs);
	t0 = rt_mftb();
	v = fn((unsigned long)blocks, o->in, o->in2, o->rb);
	t1 = rt_mftb();
	report_phase(false, cls, variant, cs);
	report_result(cls, variant, cs, blocks * PVX_UNROLL, t1 - t0, v, interrupts);
	return v;
}

static void check(unsigned int cls, unsigned int cs, const char *what, uint64_t seen, uint64_t want)
{
	if (seen != want)
		rt_failures++;
	report_check(cls, cs, what, seen == want, seen, want);
}

/* The load class that reads the field @store writes, or -1. */
static int paired_load(unsigned int store)
{
	const struct pvx_class_info *s = &pvx_classes[store];
	int i;

	for (i = 0; i < PVX_CLASS_COUNT; i++)
		if (pvx_classes[i].kind == PVX_KIND_LOAD && pvx_classes[i].field == s->field &&
		    pvx_classes[i].width == s->width && (pvx_classes[i].bench & s->bench))
			return i;
	return -1;
}

/*
 * A store is only useful if the host sees it: what the patched store
 * wrote, the trapping read must return, and the other way round.
 */
static void check_store(unsigned int cls, unsigned int cs)
{
	const struct pvx_class_info *c = &pvx_classes[cls];
	unsigned long mask = c->width == 4 ? 0xffffffffUL : ~0UL;
	int load = paired_load(cls);

	if (load < 0) {
		report_text("%s: no load class reads its field; store not cross-checked", c->name);
		return;
	}
	loops[cls].pv(1, PATTERN_A, PATTERN_A, 0);
	check(cls, cs, "patched store, trapping read", loops[load].raw(1, 0, 0, 0) & mask,
	      PATTERN_A & mask);
	loops[cls].raw(1, PATTERN_B, PATTERN_B, 0);
	check(cls, cs, "trapping store, patched read", loops[load].pv(1, 0, 0, 0) & mask,
	      PATTERN_B & mask);
}

/* mtsrin: what the patched form wrote, the trapping mfsrin returns; what
 * the trapping form wrote is in the magic page's sr[]. */
static void check_sr(unsigned int cls, unsigned int cs)
{
#if defined(__powerpc64__) || defined(PVX_BOOKE)
	(void)cls;
	(void)cs;
#else
	loops[cls].pv(1, SR_VALUE_A, SR_VALUE_A, SR_RB);
	check(cls, cs, "patched mtsrin, trapping mfsrin", mfsrin(SR_RB), SR_VALUE_A);
	loops[cls].raw(1, SR_VALUE_B, SR_VALUE_B, SR_RB);
	check(cls, cs, "trapping mtsrin, magic page sr[]",
	      *(volatile uint32_t *)(uintptr_t)(PVX_MAGIC_PAGE_EA + PVX_MP_SR + 4 * SR_INDEX),
	      SR_VALUE_B);
#endif
}

static void run_case(unsigned int cls, unsigned int cs, const struct args *a, bool patched)
{
	const struct pvx_case_info *c = &pvx_cases[cs];
	const struct loops *l = &loops[cls];
	unsigned long msr = rt_mfmsr() & ~(PPC_MSR_EE | MSR_OTHER);
	struct operands o = operands(c->setup, msr);
	unsigned long raw, pv;
	uint64_t iters;

	raw = run_phase(cls, cs, PVX_VAR_RAW, l->raw, a->iterations, &o, msr);
	disarm(msr);
	if (!patched) {
		run_phase(cls, cs, PVX_VAR_BASELINE, l->base, a->fast_iterations, &o, msr);
		disarm(msr);
		return;
	}
	/* Scenarios that still exit when patched run at the raw count. */
	iters = c->patched ? a->iterations : a->fast_iterations;
	pv = run_phase(cls, cs, PVX_VAR_PATCHED, l->pv, iters, &o, msr);
	switch (c->setup) {
	case PVX_SETUP_NONE:
		if (c->kind == PVX_KIND_LOAD)
			check(cls, cs, "patched read equals trapping read", pv, raw);
		break;
	case PVX_SETUP_VALUE:
		check_store(cls, cs);
		break;
	case PVX_SETUP_EE_ON:
	case PVX_SETUP_EE_OFF:
	case PVX_SETUP_EE_TOGGLE:
	case PVX_SETUP_OTHER_BIT:
		/* The MSR the trampoline left is the one the host reports. */
		check(cls, cs, "MSR after the patched loop, read by trapping mfmsr", rt_mfmsr(),
		      o.in2);
		break;
	case PVX_SETUP_EE_PENDING:
		check(cls, cs, "interrupts delivered by the patched loop", interrupts,
		      (iters / PVX_UNROLL) * PVX_UNROLL);
		break;
	case PVX_SETUP_SR:
		check_sr(cls, cs);
		break;
	}
	disarm(msr);
	run_phase(cls, cs, PVX_VAR_BASELINE, l->base, a->fast_iterations, &o, msr);
	disarm(msr);
}

void payload_run_class(unsigned int cls, const struct args *a, bool patched)
{
	unsigned int cs;

	for (cs = 0; cs < PVX_CASE_COUNT; cs++)
		if (pvx_cases[cs].kind == pvx_classes[cls].kind)
			run_case(cls, cs, a, patched);
}
