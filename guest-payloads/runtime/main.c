// SPDX-License-Identifier: GPL-2.0-only
/*
 * The payload's main line: find out where it runs, report the facts,
 * patch, and run each requested class's loops between phase markers.
 */
#include <pvexit/channel.h>
#include <pvexit/classes.h>
#include <pvexit/pvpatch.h>

#include "../payload.h"
#include "args.h"
#include "rt.h"

#define DEFAULT_TB_HZ 512000000 /* every POWER server since POWER6, and QEMU pseries */
#define PVR_OVERLAY_MAGIC 0x5056584bUL /* "PVXK": not a PVR any CPU has */
#define H_SET_MODE 0x31c
#define H_SET_MODE_RESOURCE_LE 4

_Static_assert(PVX_CLASS_COUNT <= 64, "struct args keeps one bit per class");

uint64_t rt_tb_hz;
uint64_t rt_ram_size;
unsigned int rt_failures;

void rt_halt(void)
{
	for (;;)
		__asm__ __volatile__("" ::: "memory");
}

/* Every interrupt lands here: one a scenario expects is handled there,
 * any other is a crash. */
void rt_interrupt(struct rt_frame *f);
void rt_interrupt(struct rt_frame *f)
{
	static bool crashing;
	uint32_t insn = 0;

	if (payload_interrupt(f))
		return;
	if (crashing)
		rt_halt();
	crashing = true;
	if (!(f->srr0 & 3) && f->srr0 + 4 <= rt_ram_size)
		insn = *(volatile uint32_t *)(uintptr_t)f->srr0;
	report_crash(f, insn);
	report_done(rt_failures + 1);
	rt_halt();
}

#ifndef PVX_BOOKE
static void install_vectors(void)
{
	size_t n = (size_t)(__vectors_end - __vectors_start);
	/* Real address 0 is RAM like any other here. */
	volatile char *low = (volatile char *)(uintptr_t)0;
	size_t i;

	for (i = 0; i < n; i++)
		low[i] = __vectors_start[i];
	rt_flush_icache((void *)(uintptr_t)0, (void *)(uintptr_t)n);
}
#endif

static void read_machine(const void *fdt, bool *tb_assumed)
{
	int cpus, cpu, mem;
	uint32_t len;
	const unsigned char *p;

	rt_tb_hz = DEFAULT_TB_HZ;
	*tb_assumed = true;
	if (!fdt_valid(fdt))
		return;
	cpus = fdt_node(fdt, "/cpus");
	cpu = cpus >= 0 ? fdt_first_child(fdt, cpus) : -1;
	p = cpu >= 0 ? fdt_prop(fdt, cpu, "timebase-frequency", &len) : NULL;
	if (p && (len == 4 || len == 8)) {
		rt_tb_hz = len == 4 ? rt_be32(p) : rt_be64(p);
		*tb_assumed = false;
	}
	mem = fdt_node(fdt, "/memory");
	p = mem >= 0 ? fdt_prop(fdt, mem, "reg", &len) : NULL;
	if (p && len == 16)
		rt_ram_size = rt_be64(p + 8);
}

static uint64_t channel_of(const void *fdt)
{
	int chosen = fdt_valid(fdt) ? fdt_node(fdt, "/chosen") : -1;
	uint32_t len;
	const void *p = chosen >= 0 ? fdt_prop(fdt, chosen, "pvexit,channel", &len) : NULL;

	return p && len == 8 ? rt_be64(p) : 0;
}

/* The seed's detection idea: a hypervisor that emulates mfpvr might
 * leave a preloaded register alone.  Report what this host does. */
static void pvr_overlay(void)
{
	unsigned long v = PVR_OVERLAY_MAGIC;

	__asm__ __volatile__("mfpvr %0" : "+r"(v));
	report_fact("pvr_overlay_survived", v == PVR_OVERLAY_MAGIC, PVX_FACT_DEC);
	report_fact("pvr", v, PVX_FACT_HEX);
}

static void inject_fault(enum fault f)
{
	void (*volatile null_fn)(void) = (void (*)(void))0;

	switch (f) {
	case FAULT_JUMP0:
		report_text("fault=jump0: jumping to address 0");
		null_fn();
		break;
	case FAULT_SPIN:
		report_text("fault=spin: spinning forever");
		rt_halt();
	default:
		break;
	}
}

/* Empty phases: the launcher learns what the phase markers' own exits
 * add to every counter, and takes it out of the other phases. */
static void marker_phases(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		report_phase(true, PVX_CLASS_NONE, PVX_VAR_MARKER, PVX_CASE_NONE);
		report_phase(false, PVX_CLASS_NONE, PVX_VAR_MARKER, PVX_CASE_NONE);
	}
}

static void channel_cost(uint64_t n)
{
	uint64_t t0, t1, i;

	if (!report_has_channel() || !n)
		return;
	report_phase(true, PVX_CLASS_NONE, PVX_VAR_CHANNEL, PVX_CASE_NONE);
	t0 = rt_mftb();
	for (i = 0; i < n; i++)
		report_ping();
	t1 = rt_mftb();
	report_phase(false, PVX_CLASS_NONE, PVX_VAR_CHANNEL, PVX_CASE_NONE);
	report_result(PVX_CLASS_NONE, PVX_VAR_CHANNEL, PVX_CASE_NONE, n, t1 - t0, 0, 0);
}

static void report_patch(const struct pvx_patch_stats *st, const struct pvx_tramp_area *area)
{
	static const char *const skip_keys[PVX_SKIP_COUNT] = {
		"family", "feature", "no-area", "no-space", "range", "operand",
	};
	char key[80];
	int c, r;

	for (c = 0; c < PVX_CLASS_COUNT; c++) {
		if (!st->found[c])
			continue;
		rt_snprintf(key, sizeof(key), "patch.%s.found", pvx_classes[c].name);
		report_fact(key, st->found[c], PVX_FACT_DEC);
		rt_snprintf(key, sizeof(key), "patch.%s.patched", pvx_classes[c].name);
		report_fact(key, st->patched[c], PVX_FACT_DEC);
		for (r = 0; r < PVX_SKIP_COUNT; r++) {
			if (!st->skipped[c][r])
				continue;
			rt_snprintf(key, sizeof(key), "patch.%s.skipped.%s", pvx_classes[c].name,
				    skip_keys[r]);
			report_fact(key, st->skipped[c][r], PVX_FACT_DEC);
		}
	}
	report_fact("patch.trampoline-words", area->used, PVX_FACT_DEC);
	report_fact("patch.trampoline-capacity", area->capacity, PVX_FACT_DEC);
}

/* Rewrite .pvtext (the patched loops and the interrupt entry), the way
 * a Linux guest rewrites its text once the magic page is there. */
static void patch(const struct rt_kvm *k, struct pvx_patch_stats *st)
{
	static struct pvx_tramp_area area;
	struct pvx_patch_ctx ctx;
	uint32_t *start = (uint32_t *)__pv_start;
	size_t n = (size_t)((uint32_t *)__pv_end - start);

	area.words = rt_tramp_area;
	area.addr = (uintptr_t)rt_tramp_area;
	area.capacity = (size_t)(rt_tramp_area_end - rt_tramp_area);
	area.used = 0;
	ctx.family = RT_FAMILY;
	ctx.is64 = RT_IS64;
	ctx.magic_features = k->magic_features;
	ctx.tramp = &area;
	pvx_patch_range(start, n, (uintptr_t)start, &ctx, st);
	rt_flush_icache(__pv_start, __pv_end);
	rt_flush_icache(rt_tramp_area, rt_tramp_area + area.used);
	report_patch(st, &area);
}

void rt_main(void *fdt, unsigned long fw_entry);
void rt_main(void *fdt, unsigned long fw_entry)
{
	struct pvx_patch_stats st;
	struct rt_kvm k;
	struct args a;
	bool tb_assumed;
	uint64_t channel;
	int c;

	if (!fdt_valid(fdt))
		fdt = NULL;
	channel = channel_of(fdt);
	report_init(channel);
#ifdef __LITTLE_ENDIAN__
	/* Without the launcher nobody set LPCR[ILE]; ask the platform. */
	if (!report_has_channel())
		rt_papr_hcall(H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 0, 0);
#endif
#ifdef PVX_BOOKE
	booke_setup(channel);
#else
	install_vectors();
#endif
	read_machine(fdt, &tb_assumed);
	report_hello(rt_tb_hz, tb_assumed);
	if (!fdt)
		report_text(
			"no device tree in r3 (r3=%p, firmware entry r5=0x%lx): not started by pvexit",
			fdt, fw_entry);
	parse_args(fdt, &a, &rt_failures);
	marker_phases();

	kvm_detect(fdt, &k);
	report_fact("kvm", k.on_kvm, PVX_FACT_DEC);
	report_fact("hcall_instructions", k.n_hcall, PVX_FACT_DEC);
	if (k.on_kvm) {
		report_fact("kvm_features_status", (uint64_t)k.features_status, PVX_FACT_DEC);
		report_fact("kvm_features", k.features, PVX_FACT_HEX);
		report_fact("magic_page_status", (uint64_t)k.map_status, PVX_FACT_DEC);
		report_fact("magic_page_features", k.magic_features, PVX_FACT_HEX);
	}
	if (k.map_status == 0) {
		k.magic = kvm_magic_selftest();
		report_fact("magic_page_selftest", k.magic, PVX_FACT_DEC);
		if (!k.magic)
			rt_failures++;
	}
	pvr_overlay();
	inject_fault(a.fault);
	if (!k.on_kvm) {
		/* Nothing traps without a PR hypervisor, and some raw forms
		 * (tlbsync) are hypervisor-only for a PAPR guest: mfmsr runs as
		 * a sign of life, the rest would measure nothing. */
		report_text("no KVM: only mfmsr runs, raw and baseline (nothing traps here)");
		a.classes &= 1ULL << PVX_CLASS_MFMSR;
	}

	memset(&st, 0, sizeof(st));
	if (k.magic)
		patch(&k, &st);
	channel_cost(a.channel_records);
	payload_init();

	for (c = 0; c < PVX_CLASS_COUNT; c++) {
		if (!(a.classes & (1ULL << c)) || !(pvx_classes[c].bench & RT_FAMILY))
			continue;
		payload_run_class((unsigned int)c, &a,
				  k.magic && st.found[c] && st.patched[c] == st.found[c]);
	}
	report_done(rt_failures);
	if (!report_has_channel())
		report_text("halted");
	rt_halt();
}
