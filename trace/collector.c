// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collector.h"
#include "util.h"

const char *const pvx_coll_names[PVX_COLL_COUNT] = { "bpf", "trace", "perf" };

static const struct pvx_collector_ops *const ops_of[PVX_COLL_COUNT] = {
	[PVX_COLL_BPF] = &pvx_coll_bpf_ops,
	[PVX_COLL_TRACE] = &pvx_coll_trace_ops,
	[PVX_COLL_PERF] = &pvx_coll_perf_ops,
};

struct pvx_collector *pvx_coll_absent(enum pvx_coll_kind kind, const char *why)
{
	struct pvx_collector *c = pvx_xcalloc(1, sizeof(*c));

	c->kind = kind;
	c->ops = ops_of[kind];
	snprintf(c->why, sizeof(c->why), "%s", why);
	return c;
}

struct pvx_collector *pvx_coll_open(enum pvx_coll_kind kind, const struct pvx_coll_opts *o)
{
	struct pvx_collector *c = pvx_coll_absent(kind, "");

	c->available = c->ops->open(&c->priv, o, c->why, sizeof(c->why)) == 0;
	return c;
}

int pvx_coll_start(struct pvx_collector *c, pid_t tid)
{
	c->running = false;
	if (!c->available)
		return -1;
	if (c->ops->start(c->priv, tid, c->why, sizeof(c->why)) < 0)
		return -1;
	c->running = true;
	return 0;
}

void pvx_coll_mark(struct pvx_collector *c, pid_t tid, int phase)
{
	if (c->running)
		c->ops->mark(c->priv, tid, phase);
}

struct pvx_phase_exits *pvx_coll_read(struct pvx_collector *c, pid_t tid,
				      const struct pvx_coll_phases *ph, bool ok)
{
	struct pvx_phase_exits *out;
	int rc;

	if (!c->running)
		return NULL;
	c->running = false;
	out = pvx_xcalloc(ph->n ? ph->n : 1, sizeof(*out));
	rc = c->ops->read(c->priv, tid, ph, out, c->why, sizeof(c->why));
	if (rc == 0 && ok)
		return out;
	if (rc == 0)
		snprintf(c->why, sizeof(c->why), "the guest run failed");
	free(out);
	return NULL;
}

void pvx_coll_close(struct pvx_collector *c)
{
	if (!c)
		return;
	if (c->available)
		c->ops->close(c->priv);
	free(c);
}
