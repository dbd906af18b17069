// SPDX-License-Identifier: GPL-2.0-only
/*
 * Turning a launch_result into the table a KVM engineer reads: per class
 * and variant, ns/op from the guest's timebase and exits/op from the
 * vCPU's stats deltas, with a verdict against what the class's rewrite
 * kind promises.
 */
#include <string.h>

#include <pvexit/cases.h>
#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "names.h"
#include "time_unit.h"
#include "run_table.h"

static long stat_index(const struct launch_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nstats; i++)
		if (!strcmp(r->stat_names[i], name))
			return (long)i;
	return -1;
}

uint64_t run_table_delta(const struct launch_result *r, const struct launch_phase *p,
			 const char *name)
{
	long i = stat_index(r, name);

	return i < 0 ? 0 : p->delta[i];
}

/* Every counter that moved in a phase, "name N, name N". */
static void moved(const struct launch_result *r, const struct launch_phase *p, char *buf,
		  size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < r->nstats && n < len; i++)
		if (r->stat_cumulative[i] && p->delta[i])
			n += (size_t)snprintf(buf + n, len - n, "%s%s %llu", n ? ", " : "",
					      r->stat_names[i], (unsigned long long)p->delta[i]);
	if (!n)
		snprintf(buf, len, "none");
}

static const char *fact_text(const struct launch_result *r, const char *key, char *buf, size_t len)
{
	unsigned int i;

	for (i = 0; i < r->nfacts; i++) {
		if (strcmp(r->facts[i].key, key))
			continue;
		snprintf(buf, len, r->facts[i].format == PVX_FACT_HEX ? "0x%llx" : "%llu",
			 (unsigned long long)r->facts[i].value);
		return buf;
	}
	return "-";
}

double run_table_ns_per_op(const struct launch_result *r, const struct launch_phase *p)
{
	/* Integers until this one division, as the timebase gives them. */
	if (!r->tb_hz || !p->iterations)
		return 0;
	return (double)p->ticks * 1e9 / (double)r->tb_hz / (double)p->iterations;
}

static void print_facts(FILE *f, const struct launch_result *r)
{
	char a[32], b[32], c[32], d[32], e[32], g[32];

	fprintf(f, "  guest: %s-endian %u-bit, pvr 0x%08x, timebase %llu Hz%s\n",
		r->big_endian ? "big" : "little", r->bits, r->pvr, (unsigned long long)r->tb_hz,
		r->tb_assumed ? " (assumed)" : "");
	fprintf(f, "  detection: kvm %s, hcall-instructions %s, KVM_HC_FEATURES %s (status %s)\n",
		fact_text(r, "kvm", a, sizeof(a)), fact_text(r, "hcall_instructions", b, sizeof(b)),
		fact_text(r, "kvm_features", c, sizeof(c)),
		fact_text(r, "kvm_features_status", d, sizeof(d)));
	fprintf(f, "  magic page: map status %s, features %s, self-test %s\n",
		fact_text(r, "magic_page_status", a, sizeof(a)),
		fact_text(r, "magic_page_features", b, sizeof(b)),
		fact_text(r, "magic_page_selftest", c, sizeof(c)));
	fprintf(f, "  PVR overlay (preload, mfpvr): survived %s, mfpvr gave %s\n",
		fact_text(r, "pvr_overlay_survived", e, sizeof(e)),
		fact_text(r, "pvr", g, sizeof(g)));
	fprintf(f,
		"  launcher: %.3f ms to the first KVM_RUN, %.3f ms to the payload's first record\n",
		(double)r->setup_ns / 1e6, (double)r->first_record_ns / 1e6);
}

static void print_markers(FILE *f, const struct launch_result *r)
{
	size_t i, n = 0;
	char buf[512] = "none";

	if (!r->marker) {
		fprintf(f, "  phase markers: not measured (the payload sent no empty phase)\n");
		return;
	}
	for (i = 0; i < r->nstats && n < sizeof(buf); i++)
		if (r->stat_cumulative[i] && r->marker[i])
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s %llu", n ? ", " : "",
					      r->stat_names[i], (unsigned long long)r->marker[i]);
	fprintf(f, "  phase markers: %s per phase (least of %u empty phases; subtracted below)\n",
		buf, r->nmarker);
}

bool run_table_fact(const struct launch_result *r, const char *key, uint64_t *v)
{
	unsigned int i;

	for (i = 0; i < r->nfacts; i++)
		if (!strcmp(r->facts[i].key, key)) {
			*v = r->facts[i].value;
			return true;
		}
	return false;
}

/*
 * The patch report, from the payload's patch.* facts: per class the sites
 * found and rewritten, and every site left trapping with its reason.
 */
static int print_patch(FILE *f, const struct launch_result *r)
{
	uint64_t found, patched, used = 0, cap = 0, total = 0, total_patched = 0;
	char key[PVX_REC_TEXT_MAX], line[160];
	size_t n = 0;
	int i, bad = 0;

	for (i = 0; i < PVX_CLASS_COUNT; i++) {
		snprintf(key, sizeof(key), "patch.%s.found", pvx_classes[i].name);
		if (!run_table_fact(r, key, &found))
			continue;
		snprintf(key, sizeof(key), "patch.%s.patched", pvx_classes[i].name);
		if (!run_table_fact(r, key, &patched))
			patched = 0;
		total += found;
		total_patched += patched;
		if (n > 70) {
			fprintf(f, "  patch: %s\n", line);
			n = 0;
		}
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s %llu/%llu", n ? ", " : "",
				      pvx_classes[i].name, (unsigned long long)patched,
				      (unsigned long long)found);
	}
	if (n)
		fprintf(f, "  patch: %s\n", line);
	for (i = 0; i < (int)r->nfacts; i++) {
		const char *k = r->facts[i].key;

		if (!strncmp(k, "patch.", 6) && strstr(k, ".skipped.")) {
			fprintf(f, "  patch: %s: %llu site(s) left trapping\n", k + 6,
				(unsigned long long)r->facts[i].value);
			bad++;
		}
	}
	run_table_fact(r, "patch.trampoline-words", &used);
	run_table_fact(r, "patch.trampoline-capacity", &cap);
	if (total)
		fprintf(f,
			"  patch: %llu of %llu sites rewritten (patched/found above); trampolines %llu of %llu words\n",
			(unsigned long long)total_patched, (unsigned long long)total,
			(unsigned long long)used, (unsigned long long)cap);
	return bad;
}

static void print_special(FILE *f, const struct launch_result *r, const struct launch_phase *p)
{
	char buf[512];

	moved(r, p, buf, sizeof(buf));
	if (p->variant == PVX_VAR_WARMUP) {
		fprintf(f, "  magic page first touch: exits %s\n", buf);
	} else if (p->variant == PVX_VAR_CHANNEL && p->have_result && p->iterations &&
		   pvx_unit_here() == PVX_UNIT_INSN) {
		fprintf(f,
			"  channel: %llu records, %.0f instructions each in the guest, %.1f us on the host; exits %s\n",
			(unsigned long long)p->iterations, run_table_ns_per_op(r, p),
			(double)p->host_ns / 1e3 / (double)p->iterations, buf);
	} else if (p->variant == PVX_VAR_CHANNEL && p->have_result && p->iterations) {
		fprintf(f,
			"  channel: %llu records, %.1f us each in the guest, %.1f us on the host; exits %s\n",
			(unsigned long long)p->iterations, run_table_ns_per_op(r, p) / 1e3,
			(double)p->host_ns / 1e3 / (double)p->iterations, buf);
	}
}

/*
 * The verdict: emulation exits, less one rfid (BookE: rfi) per interrupt
 * the guest took, must be exactly what the case promises per op
 * (cases.def; none for a class the table calls quiet here), and
 * each op of an interrupt case must have delivered its interrupt.  The
 * BPF collector, when it ran, must count exactly the stats' emulation
 * exits: two independent counts of the same events.
 */

bool run_table_verdict(const struct launch_result *r, unsigned int i, const struct run_colls *c,
		       char *why, size_t len)
{
	const struct launch_phase *p = &r->phases[i];
	const struct pvx_case_info *cs = &pvx_cases[p->cs];
	uint64_t per_op, want_irq, emul = run_table_delta(r, p, "emulated_inst_exits");
	unsigned int k;
	bool agree = true;
	int n;

	per_op = p->variant == PVX_VAR_RAW     ? cs->raw :
		 p->variant == PVX_VAR_PATCHED ? cs->patched :
						 0;
	/* A class whose raw form does not trap on this family (the table's
	 * quiet column) promises no exit in either form. */
	if (pvx_classes[p->cls].quiet & r->family)
		per_op = 0;
	want_irq = p->variant == PVX_VAR_BASELINE ? 0 : cs->irq * p->iterations;
	if (p->interrupts != want_irq) {
		snprintf(why, len, "FAIL: %llu interrupts delivered, the case promises %llu",
			 (unsigned long long)p->interrupts, (unsigned long long)want_irq);
		return false;
	}
	if (emul < p->interrupts || emul - p->interrupts != per_op * p->iterations) {
		snprintf(why, len, "FAIL: %llu emulation exits, the case promises %llu",
			 (unsigned long long)emul,
			 (unsigned long long)(per_op * p->iterations + p->interrupts));
		return false;
	}
	for (k = 0; k < PVX_COLL_COUNT; k++)
		if (c && c->ph[k] && c->ph[k][i].emul != emul)
			agree = false;
	if (!agree) {
		/* Every figure, so the odd one out shows. */
		n = snprintf(why, len, "FAIL: collectors disagree on emulation exits: stats %llu",
			     (unsigned long long)emul);
		for (k = 0; k < PVX_COLL_COUNT; k++)
			if (c->ph[k] && n > 0 && (size_t)n < len)
				n += snprintf(why + n, len - (size_t)n, ", %s %llu",
					      pvx_coll_names[k],
					      (unsigned long long)c->ph[k][i].emul);
		return false;
	}
	snprintf(why, len, "ok");
	return true;
}

static void sub_floor(uint64_t *a, uint64_t b)
{
	*a = *a > b ? *a - b : 0;
}

void run_table_markers(const struct launch_result *r, struct pvx_phase_exits *ph)
{
	struct pvx_phase_exits m = { 0 };
	unsigned int i, k, n = 0;

	for (i = 0; i < r->nphases; i++) {
		const struct pvx_phase_exits *b = &ph[i];

		if (r->phases[i].variant != PVX_VAR_MARKER || !r->phases[i].ended)
			continue;
		if (!n++ || b->exits < m.exits)
			m = *b;
	}
	if (!n)
		return;
	for (i = 0; i < r->nphases; i++) {
		struct pvx_phase_exits *b = &ph[i];

		if (r->phases[i].variant == PVX_VAR_MARKER)
			continue;
		sub_floor(&b->exits, m.exits);
		sub_floor(&b->emul, m.emul);
		sub_floor(&b->instr, m.instr);
		for (k = 0; k <= PVX_CLASS_COUNT; k++) {
			sub_floor(&b->emul_by_class[k], m.emul_by_class[k]);
			sub_floor(&b->instr_by_class[k], m.instr_by_class[k]);
		}
		for (k = 0; k < m.nvectors; k++) {
			unsigned int j;

			for (j = 0; j < b->nvectors; j++)
				if (b->vector[j] == m.vector[k])
					sub_floor(&b->by_vector[j], m.by_vector[k]);
		}
	}
}

static void row_label(const struct launch_phase *p, char *buf, size_t len)
{
	const char *cs = p->cs < PVX_CASE_COUNT ? pvx_cases[p->cs].name : "";

	snprintf(buf, len, "%s%s%s", pvx_classes[p->cls].name, cs[0] ? "/" : "", cs);
}

int run_table_print(FILE *f, const struct launch_result *r, const char *endian,
		    const struct run_colls *c)
{
	unsigned int i, j, k;
	int bad = 0;

	print_facts(f, r);
	bad += print_patch(f, r);
	print_markers(f, r);
	for (i = 0; i < r->nphases; i++)
		if (r->phases[i].cls == PVX_CLASS_NONE)
			print_special(f, r, &r->phases[i]);
	fprintf(f, "\n%-20s %-6s %-9s %10s %12s %13s %7s %7s %7s", "class", "endian", "variant",
		"iterations", pvx_unit_per_op(pvx_unit_here()), "emul-exits/op", "irq/op", "timer",
		"other");
	for (k = 0; k < PVX_COLL_COUNT; k++)
		if (c->ph[k])
			fprintf(f, " %7s/op", pvx_coll_names[k]);
	fprintf(f, "  verdict\n");
	for (i = 0; i < r->nphases; i++) {
		const struct launch_phase *p = &r->phases[i];
		uint64_t emul, dec, sum, other;
		char label[64], why[200];

		if (p->cls == PVX_CLASS_NONE)
			continue;
		row_label(p, label, sizeof(label));
		if (!p->have_result || !p->iterations) {
			fprintf(f, "%-20s %-6s %-9s  no result\n", label, endian,
				pvx_variant_name(p->variant));
			bad++;
			continue;
		}
		emul = run_table_delta(r, p, "emulated_inst_exits");
		dec = run_table_delta(r, p, "dec_exits");
		sum = run_table_delta(r, p, "sum_exits");
		other = sum > emul + dec ? sum - emul - dec : 0;
		if (!run_table_verdict(r, i, c, why, sizeof(why)))
			bad++;
		fprintf(f, "%-20s %-6s %-9s %10llu %12.3f %13.3f %7.3f %7llu %7llu", label, endian,
			pvx_variant_name(p->variant), (unsigned long long)p->iterations,
			run_table_ns_per_op(r, p), (double)emul / (double)p->iterations,
			(double)p->interrupts / (double)p->iterations, (unsigned long long)dec,
			(unsigned long long)other);
		for (k = 0; k < PVX_COLL_COUNT; k++)
			if (c->ph[k])
				fprintf(f, " %10.3f",
					(double)c->ph[k][i].emul / (double)p->iterations);
		fprintf(f, "  %s\n", why);
	}
	for (j = 0; j < r->nchecks; j++) {
		const struct launch_check *c = &r->checks[j];

		struct launch_phase lp = { .cls = c->cls, .cs = c->cs };
		char label[64];

		row_label(&lp, label, sizeof(label));
		fprintf(f, "check %-20s %-6s %s: %s (0x%llx, want 0x%llx)\n", label, endian,
			c->what, c->pass ? "ok" : "FAIL", (unsigned long long)c->seen,
			(unsigned long long)c->want);
		if (!c->pass)
			bad++;
	}
	return bad;
}
