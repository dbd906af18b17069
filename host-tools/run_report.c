/*
 * Turning a launch_result into the table a KVM engineer reads: per class
 * and variant, ns/op from the guest's timebase and exits/op from the
 * vCPU's stats deltas, with a verdict against what the class's rewrite
 * kind promises.
 */
#include <string.h>

#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "channel_decode.h"
#include "run_report.h"

static const struct {
	const char *name;
	int kind;
} classes[] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature) \
	{ name, kind },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

#define NCLASSES (sizeof(classes) / sizeof(classes[0]))

static long stat_index(const struct launch_result *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nstats; i++)
		if (!strcmp(r->stat_names[i], name))
			return (long)i;
	return -1;
}

static uint64_t delta(const struct launch_result *r, const struct launch_phase *p, const char *name)
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

static double ns_per_op(const struct launch_result *r, const struct launch_phase *p)
{
	/* Integers until this one division, as the timebase gives them. */
	if (!r->tb_hz || !p->iterations)
		return 0;
	return (double)p->ticks * 1e9 / (double)r->tb_hz / (double)p->iterations;
}

static void print_facts(FILE *f, const struct launch_result *r)
{
	char a[32], b[32], c[32], d[32], e[32], g[32];

	fprintf(f, "  guest: %s-endian, pvr 0x%08x, timebase %llu Hz%s\n",
		r->big_endian ? "big" : "little", r->pvr, (unsigned long long)r->tb_hz,
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

static void print_special(FILE *f, const struct launch_result *r, const struct launch_phase *p)
{
	char buf[512];

	moved(r, p, buf, sizeof(buf));
	if (p->variant == PVX_VAR_WARMUP) {
		fprintf(f, "  magic page first touch: exits %s\n", buf);
	} else if (p->variant == PVX_VAR_CHANNEL && p->have_result && p->iterations) {
		fprintf(f,
			"  channel: %llu records, %.1f us each in the guest, %.1f us on the host; exits %s\n",
			(unsigned long long)p->iterations, ns_per_op(r, p) / 1e3,
			(double)p->host_ns / 1e3 / (double)p->iterations, buf);
	}
}

/* Whether the emulation exits match what the rewrite kind promises:
 * a trap per op raw, none once patched, none in the baseline. */
static bool verdict(int kind, unsigned int variant, uint64_t emulated, uint64_t iterations)
{
	if (kind != PVX_KIND_LOAD && kind != PVX_KIND_STORE && kind != PVX_KIND_NOP)
		return true;
	if (variant == PVX_VAR_RAW)
		return emulated == iterations;
	return emulated == 0;
}

int run_report_print(FILE *f, const struct launch_result *r, const char *endian)
{
	unsigned int i, j;
	int bad = 0;

	print_facts(f, r);
	print_markers(f, r);
	for (i = 0; i < r->nphases; i++)
		if (r->phases[i].cls == PVX_CLASS_NONE)
			print_special(f, r, &r->phases[i]);
	fprintf(f, "\n%-10s %-6s %-9s %10s %12s %13s %7s %7s  %s\n", "class", "endian", "variant",
		"iterations", "ns/op", "emul-exits/op", "timer", "other", "verdict");
	for (i = 0; i < r->nphases; i++) {
		const struct launch_phase *p = &r->phases[i];
		uint64_t emul, dec, sum, other;
		const char *why = "ok";

		if (p->cls == PVX_CLASS_NONE)
			continue;
		if (p->cls >= NCLASSES || !p->have_result) {
			fprintf(f, "%-10s %-6s %-9s  no result\n",
				p->cls < NCLASSES ? classes[p->cls].name : "?", endian,
				pvx_variant_name(p->variant));
			bad++;
			continue;
		}
		emul = delta(r, p, "emulated_inst_exits");
		dec = delta(r, p, "dec_exits");
		sum = delta(r, p, "sum_exits");
		other = sum > emul + dec ? sum - emul - dec : 0;
		if (!verdict(classes[p->cls].kind, p->variant, emul, p->iterations)) {
			why = "FAIL: emulation exits differ from the rewrite's promise";
			bad++;
		}
		fprintf(f, "%-10s %-6s %-9s %10llu %12.3f %13.3f %7llu %7llu  %s\n",
			classes[p->cls].name, endian, pvx_variant_name(p->variant),
			(unsigned long long)p->iterations, ns_per_op(r, p),
			(double)emul / (double)p->iterations, (unsigned long long)dec,
			(unsigned long long)other, why);
	}
	for (j = 0; j < r->nchecks; j++) {
		const struct launch_check *c = &r->checks[j];

		fprintf(f, "check %-10s %-6s %s: %s (0x%llx, want 0x%llx)\n",
			c->cls < NCLASSES ? classes[c->cls].name : "?", endian, c->what,
			c->pass ? "ok" : "FAIL", (unsigned long long)c->seen,
			(unsigned long long)c->want);
		if (!c->pass)
			bad++;
	}
	return bad;
}
