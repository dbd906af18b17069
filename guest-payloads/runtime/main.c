/*
 * The payload's main line: find out where it runs, report the facts,
 * patch, and run each requested class's loops between phase markers.
 */
#include <pvexit/channel.h>
#include <pvexit/classes.h>
#include <pvexit/pvpatch.h>

#include "../loops.h"
#include "args.h"
#include "rt.h"

#define DEFAULT_TB_HZ 512000000 /* every POWER server since POWER6, and QEMU pseries */
#define PVR_OVERLAY_MAGIC 0x5056584bUL /* "PVXK": not a PVR any CPU has */
#define H_SET_MODE 0x31c
#define H_SET_MODE_RESOURCE_LE 4

_Static_assert(PVX_CLASS_COUNT <= 64, "struct args keeps one bit per class");

uint64_t rt_tb_hz;
uint64_t rt_ram_size;
static unsigned int failures;

struct loops {
	const char *name;
	pvx_loop_fn raw, pv, base;
	unsigned int families;
};

static const struct loops loops[PVX_CLASS_COUNT] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature) \
	[PVX_CLASS_##                                                                   \
		id] = { name, pvx_loop_raw_##id, pvx_loop_pv_##id, pvx_loop_base_##id, families },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

void rt_halt(void)
{
	for (;;)
		__asm__ __volatile__("" ::: "memory");
}

/* Every interrupt lands here; none is expected yet, so each is a crash. */
void rt_interrupt(struct rt_frame *f);
void rt_interrupt(struct rt_frame *f)
{
	static bool crashing;
	uint32_t insn = 0;

	if (crashing)
		rt_halt();
	crashing = true;
	if (!(f->srr0 & 3) && f->srr0 + 4 <= rt_ram_size)
		insn = *(volatile uint32_t *)(uintptr_t)f->srr0;
	report_crash(f, insn);
	report_done(failures + 1);
	rt_halt();
}

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
	uint64_t v = PVR_OVERLAY_MAGIC;

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
		report_phase(true, PVX_CLASS_NONE, PVX_VAR_MARKER);
		report_phase(false, PVX_CLASS_NONE, PVX_VAR_MARKER);
	}
}

static void channel_cost(uint64_t n)
{
	uint64_t t0, t1, i;

	if (!report_has_channel() || !n)
		return;
	report_phase(true, PVX_CLASS_NONE, PVX_VAR_CHANNEL);
	t0 = rt_mftb();
	for (i = 0; i < n; i++)
		report_ping();
	t1 = rt_mftb();
	report_phase(false, PVX_CLASS_NONE, PVX_VAR_CHANNEL);
	report_result(PVX_CLASS_NONE, PVX_VAR_CHANNEL, n, t1 - t0, 0);
}

static uint64_t run_variant(unsigned int cls, unsigned int variant, pvx_loop_fn fn,
			    uint64_t iterations)
{
	uint64_t blocks = iterations / PVX_UNROLL, t0, t1, v;

	if (!blocks)
		blocks = 1;
	report_phase(true, cls, variant);
	t0 = rt_mftb();
	v = fn(blocks, 0);
	t1 = rt_mftb();
	report_phase(false, cls, variant);
	report_result(cls, variant, blocks * PVX_UNROLL, t1 - t0, v);
	return v;
}

static void run_class(unsigned int cls, const struct args *a, bool patched)
{
	const struct loops *l = &loops[cls];
	uint64_t raw, pv;

	raw = run_variant(cls, PVX_VAR_RAW, l->raw, a->iterations);
	if (patched) {
		pv = run_variant(cls, PVX_VAR_PATCHED, l->pv, a->fast_iterations);
		/* The magic page must answer what the trap answers. */
		if (pv != raw)
			failures++;
		report_check(cls, "patched value equals trapping value", pv == raw, pv, raw);
	}
	run_variant(cls, PVX_VAR_BASELINE, l->base, a->fast_iterations);
}

static void report_patch(const struct pvx_patch_stats *st)
{
	char key[80];
	int c, r;

	for (c = 0; c < PVX_CLASS_COUNT; c++) {
		if (!st->found[c])
			continue;
		rt_snprintf(key, sizeof(key), "patch.%s.found", loops[c].name);
		report_fact(key, st->found[c], PVX_FACT_DEC);
		rt_snprintf(key, sizeof(key), "patch.%s.patched", loops[c].name);
		report_fact(key, st->patched[c], PVX_FACT_DEC);
		for (r = 0; r < PVX_SKIP_COUNT; r++) {
			if (!st->skipped[c][r])
				continue;
			rt_snprintf(key, sizeof(key), "patch.%s.skipped.%d", loops[c].name, r);
			report_fact(key, st->skipped[c][r], PVX_FACT_DEC);
		}
	}
}

void rt_main(void *fdt, unsigned long fw_entry);
void rt_main(void *fdt, unsigned long fw_entry)
{
	struct pvx_patch_stats st;
	struct pvx_patch_ctx ctx;
	struct rt_kvm k;
	struct args a;
	bool tb_assumed;
	int c;

	if (!fdt_valid(fdt))
		fdt = NULL;
	report_init(channel_of(fdt));
#ifdef __LITTLE_ENDIAN__
	/* Without the launcher nobody set LPCR[ILE]; ask the platform. */
	if (!report_has_channel())
		rt_papr_hcall(H_SET_MODE, 1, H_SET_MODE_RESOURCE_LE, 0, 0);
#endif
	install_vectors();
	read_machine(fdt, &tb_assumed);
	report_hello(rt_tb_hz, tb_assumed);
	if (!fdt)
		report_text(
			"no device tree in r3 (r3=%p, firmware entry r5=0x%lx): not started by pvexit",
			fdt, fw_entry);
	parse_args(fdt, &a, &failures);
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
			failures++;
	}
	pvr_overlay();
	inject_fault(a.fault);
	if (!k.on_kvm)
		report_text("no KVM: running the raw and baseline forms only (nothing traps here)");

	memset(&st, 0, sizeof(st));
	if (k.magic) {
		ctx.family = PVX_FAM_BOOK3S64;
		ctx.is64 = true;
		ctx.magic_features = k.magic_features;
		pvx_patch_range((uint32_t *)__pv_start, (uint32_t *)__pv_end, &ctx, &st);
		rt_flush_icache(__pv_start, __pv_end);
		report_patch(&st);
	}
	channel_cost(a.channel_records);

	for (c = 0; c < PVX_CLASS_COUNT; c++) {
		if (!(a.classes & (1ULL << c)))
			continue;
		if (!(loops[c].families & PVX_FAM_BOOK3S64))
			continue;
		run_class((unsigned int)c, &a,
			  k.magic && st.patched[c] == st.found[c] && st.found[c]);
	}
	report_done(failures);
	if (!report_has_channel())
		report_text("halted");
	rt_halt();
}
