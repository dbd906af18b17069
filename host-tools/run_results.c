// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit run's results: every payload run adds its phases to rows keyed
 * by class, case, variant and guest; the counts are summed over the
 * repetitions and divided by all their operations at the end, the ns/op
 * samples summarized by their median and its confidence interval.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pvexit/cases.h>
#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "names.h"
#include "host_info.h"
#include "run_table.h"
#include "run_results.h"
#include "stats.h"
#include "util.h"

/* What one collector counted for a row, summed over the repetitions. */
struct coll_acc {
	bool have;
	char why[512]; /* when it did not count */
	struct pvx_phase_exits sum;
};

/* What a row gathers over its repetitions. */
struct row_acc {
	uint64_t ops; /* iterations, all repetitions */
	uint64_t emul, irq;
	uint64_t *stats; /* per stat name, summed */
	struct coll_acc coll[PVX_COLL_COUNT];
	bool failed;
};

struct run_results {
	struct pvx_results *res;
	struct row_acc *acc;
	size_t nacc;
	char **stat_names; /* of the first run; every run of a host has the same */
	bool *stat_cumulative;
	size_t nstats;
};

struct run_results *run_results_new(const char *suite, const char *kvm)
{
	struct run_results *rr = pvx_xcalloc(1, sizeof(*rr));
	struct pvx_results *res = pvx_xcalloc(1, sizeof(*res));
	char date[32];
	time_t now = time(NULL);

	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	res->schema_version = PVX_RESULTS_SCHEMA;
	res->time_unit = pvx_unit_here();
	res->tool_version = pvx_xstrdup(pvx_version());
	res->git_revision = pvx_xstrdup(pvx_git_revision());
	res->build.kind = pvx_xstrdup(pvx_build_kind());
	res->build.compiler = pvx_xstrdup(pvx_build_compiler());
	res->build.target = pvx_xstrdup(pvx_build_target());
	res->date = pvx_xstrdup(date);
	res->suite = pvx_xstrdup(suite);
	pvx_host_fill(&res->host, kvm);
	rr->res = res;
	return rr;
}

void run_results_host_from(struct run_results *rr, const struct launch_result *r, const char *kvm)
{
	struct pvx_host *h = &rr->res->host;

	free(h->kernel_release);
	free(h->machine);
	free(h->cpu);
	free(h->pvr);
	free(h->kvm);
	pvx_host_describe(h, r->host_release, r->host_machine, r->host_cpu, r->host_revision, kvm,
			  true);
}

static size_t row_index(struct run_results *rr, const struct launch_phase *p, const char *guest)
{
	const char *cs = pvx_cases[p->cs].name, *variant = pvx_variant_name(p->variant);
	const char *cls = pvx_classes[p->cls].name;
	struct pvx_row *row;
	size_t i;

	for (i = 0; i < rr->res->nrows; i++) {
		row = &rr->res->rows[i];
		if (!strcmp(row->cls, cls) && !strcmp(row->cs, cs) &&
		    !strcmp(row->variant, variant) && !strcmp(row->guest, guest))
			return i;
	}
	row = pvx_results_add_row(rr->res);
	row->cls = pvx_xstrdup(cls);
	row->cs = pvx_xstrdup(cs);
	row->variant = pvx_xstrdup(variant);
	row->guest = pvx_xstrdup(guest);
	row->iterations = p->iterations;
	row->verdict = pvx_xstrdup("ok");
	rr->acc = pvx_xrealloc(rr->acc, rr->res->nrows, sizeof(*rr->acc));
	memset(&rr->acc[rr->res->nrows - 1], 0, sizeof(*rr->acc));
	rr->acc[rr->res->nrows - 1].stats =
		pvx_xcalloc(rr->nstats ? rr->nstats : 1, sizeof(uint64_t));
	return rr->res->nrows - 1;
}

static void take_stat_names(struct run_results *rr, const struct launch_result *r)
{
	size_t i;

	if (rr->stat_names)
		return;
	rr->nstats = r->nstats;
	rr->stat_names = pvx_xcalloc(r->nstats ? r->nstats : 1, sizeof(char *));
	rr->stat_cumulative = pvx_xcalloc(r->nstats ? r->nstats : 1, sizeof(bool));
	for (i = 0; i < r->nstats; i++) {
		rr->stat_names[i] = pvx_xstrdup(r->stat_names[i]);
		rr->stat_cumulative[i] = r->stat_cumulative[i];
	}
}

static void add_kv(struct pvx_kv **kv, size_t *n, const char *name, double value)
{
	*kv = pvx_xrealloc(*kv, *n + 1, sizeof(**kv));
	(*kv)[*n].name = pvx_xstrdup(name);
	(*kv)[*n].value = value;
	(*n)++;
}

/* The patch report of the row's class, as the guest's patch.* facts say. */
static void take_patch(struct pvx_row *row, const struct launch_result *r)
{
	char key[PVX_REC_TEXT_MAX], prefix[PVX_REC_TEXT_MAX];
	size_t plen;
	unsigned int i;

	if (row->patch.found || row->patch.nskipped)
		return;
	snprintf(key, sizeof(key), "patch.%s.found", row->cls);
	run_table_fact(r, key, &row->patch.found);
	snprintf(key, sizeof(key), "patch.%s.patched", row->cls);
	run_table_fact(r, key, &row->patch.patched);
	plen = (size_t)snprintf(prefix, sizeof(prefix), "patch.%s.skipped.", row->cls);
	for (i = 0; i < r->nfacts; i++)
		if (!strncmp(r->facts[i].key, prefix, plen))
			add_kv(&row->patch.skipped, &row->patch.nskipped, r->facts[i].key + plen,
			       (double)r->facts[i].value);
}

/* The checks of a class and case go with its patched row. */
static void take_checks(struct pvx_row *row, const struct launch_phase *p,
			const struct launch_result *r)
{
	char seen[24], want[24];
	unsigned int i;
	size_t j;

	if (p->variant != PVX_VAR_PATCHED)
		return;
	for (i = 0; i < r->nchecks; i++) {
		const struct launch_check *c = &r->checks[i];
		struct pvx_check *k = NULL;

		if (c->cls != p->cls || c->cs != p->cs)
			continue;
		for (j = 0; j < row->nchecks; j++)
			if (!strcmp(row->checks[j].what, c->what))
				k = &row->checks[j];
		snprintf(seen, sizeof(seen), "0x%llx", (unsigned long long)c->seen);
		snprintf(want, sizeof(want), "0x%llx", (unsigned long long)c->want);
		if (!k) {
			row->checks =
				pvx_xrealloc(row->checks, row->nchecks + 1, sizeof(*row->checks));
			k = &row->checks[row->nchecks++];
			k->what = pvx_xstrdup(c->what);
			k->pass = true;
			k->seen = pvx_xstrdup(seen);
			k->want = pvx_xstrdup(want);
		}
		if (!c->pass && k->pass) {
			/* A failure in any repetition fails the check; keep its figures. */
			k->pass = false;
			free(k->seen);
			free(k->want);
			k->seen = pvx_xstrdup(seen);
			k->want = pvx_xstrdup(want);
		}
	}
}

void run_results_add(struct run_results *rr, const struct launch_result *r, const char *guest,
		     unsigned int variants, const struct run_colls *c)
{
	unsigned int i;
	size_t k;

	take_stat_names(rr, r);
	for (i = 0; i < r->nphases; i++) {
		const struct launch_phase *p = &r->phases[i];
		struct pvx_row *row;
		struct row_acc *a;
		char why[200];
		size_t idx;

		if (p->cls == PVX_CLASS_NONE || p->variant > PVX_VAR_BASELINE ||
		    !(variants & (1u << p->variant)) || !p->have_result || !p->iterations)
			continue;
		idx = row_index(rr, p, guest);
		row = &rr->res->rows[idx];
		a = &rr->acc[idx];
		row->time_samples =
			pvx_xrealloc(row->time_samples, row->nsamples + 1, sizeof(double));
		row->time_samples[row->nsamples++] = run_table_ns_per_op(r, p);
		row->repetitions++;
		a->ops += p->iterations;
		a->emul += run_table_delta(r, p, "emulated_inst_exits");
		a->irq += p->interrupts;
		for (k = 0; k < rr->nstats && k < r->nstats; k++)
			if (r->stat_cumulative[k])
				a->stats[k] += p->delta[k];
		for (k = 0; k < PVX_COLL_COUNT; k++) {
			struct coll_acc *ca = &a->coll[k];

			if (c->ph[k]) {
				ca->have = true;
				pvx_phase_exits_add(&ca->sum, &c->ph[k][i]);
			} else {
				snprintf(ca->why, sizeof(ca->why), "%s",
					 c->why[k][0] ? c->why[k] : "not run");
			}
		}
		if (!run_table_verdict(r, i, c, why, sizeof(why)) && !a->failed) {
			a->failed = true;
			free(row->verdict);
			row->verdict = pvx_xstrdup(why);
		}
		take_patch(row, r);
		take_checks(row, p, r);
	}
}

static void stats_counter(struct run_results *rr, struct pvx_counter *c, const struct row_acc *a)
{
	size_t k;

	c->name = pvx_xstrdup("stats");
	c->available = true;
	c->exits_per_op = (double)a->emul / (double)a->ops;
	for (k = 0; k < rr->nstats; k++)
		if (rr->stat_cumulative[k] && a->stats[k])
			add_kv(&c->raw, &c->nraw, rr->stat_names[k], (double)a->stats[k]);
}

static void coll_counter(struct pvx_counter *c, enum pvx_coll_kind k, const struct coll_acc *ca,
			 uint64_t ops_total)
{
	const char *name = pvx_coll_names[k];
	const struct pvx_phase_exits *e = &ca->sum;
	double ops = (double)ops_total;
	char buf[16];
	unsigned int i;

	c->name = pvx_xstrdup(name);
	if (!ca->have) {
		c->why = pvx_xstrdup(ca->why);
		return;
	}
	c->available = true;
	c->exits_per_op = (double)e->emul / ops;
	for (i = 0; i < e->nvectors; i++)
		add_kv(&c->by_vector, &c->nby_vector,
		       pvx_vector_label(e->vector[i], buf, sizeof(buf)),
		       (double)e->by_vector[i] / ops);
	for (i = 0; i <= PVX_CLASS_COUNT; i++)
		if (e->emul_by_class[i])
			add_kv(&c->by_class, &c->nby_class,
			       i < PVX_CLASS_COUNT ? pvx_classes[i].name : "other",
			       (double)e->emul_by_class[i] / ops);
	if (k == PVX_COLL_PERF) {
		/* perf stat counts two events, nothing else (run_perf.c) */
		add_kv(&c->raw, &c->nraw, "kvm_exit", (double)e->exits);
		add_kv(&c->raw, &c->nraw, "kvm_ppc_instr", (double)e->instr);
		return;
	}
	add_kv(&c->raw, &c->nraw, "exits", (double)e->exits);
	add_kv(&c->raw, &c->nraw, "emulation_exits", (double)e->emul);
	if (e->counts_only)
		return; /* --bpf-counts: nothing else was counted */
	add_kv(&c->raw, &c->nraw, "kvm_ppc_instr", (double)e->instr);
	add_kv(&c->raw, &c->nraw, "reenter", (double)e->reenter);
	c->nhist = PVX_HIST_SLOTS;
	c->hist = pvx_xcalloc(c->nhist, sizeof(uint64_t));
	memcpy(c->hist, e->hist, sizeof(e->hist));
}

struct pvx_results *run_results_finish(struct run_results *rr, bool complete)
{
	struct pvx_results *res = rr->res;
	size_t i, k;

	res->complete = complete;
	for (i = 0; i < res->nrows; i++) {
		struct pvx_row *row = &res->rows[i];
		struct row_acc *a = &rr->acc[i];

		pvx_summarize(row->time_samples, row->nsamples, &row->time_per_op);
		row->exits_per_op = (double)a->emul / (double)a->ops;
		row->irq_per_op = (double)a->irq / (double)a->ops;
		row->ncounters = 1 + PVX_COLL_COUNT;
		row->counters = pvx_xcalloc(1 + PVX_COLL_COUNT, sizeof(*row->counters));
		stats_counter(rr, &row->counters[0], a);
		for (k = 0; k < PVX_COLL_COUNT; k++)
			coll_counter(&row->counters[1 + k], (enum pvx_coll_kind)k, &a->coll[k],
				     a->ops);
		free(a->stats);
	}
	for (i = 0; i < rr->nstats; i++)
		free(rr->stat_names[i]);
	free(rr->stat_names);
	free(rr->stat_cumulative);
	free(rr->acc);
	free(rr);
	return res;
}
