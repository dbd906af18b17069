// SPDX-License-Identifier: GPL-2.0-only
/*
 * The flattened device tree a payload receives in r3.
 *
 * Built with libfdt's sequential-write API, which leaves a packed tree
 * behind fdt_finish(): no fdt_pack() pass is needed, and the size to hand
 * the guest is the header's totalsize.
 */
#include "guest_dt.h"
#include "util.h"

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

/* KVM_PPC_GET_PVINFO's hcall_instructions has room for four words. */
#define GUEST_DT_MAX_HCALL 4

struct dt_writer {
	void *fdt;
	size_t bufsize;
	char *err;
	size_t errlen;
	/* The open node, so a failed property says which node it was for. */
	char path[64];
};

/* Turns a libfdt return code into 0, or -1 and a message naming the step. */
static int step(struct dt_writer *w, int rc, const char *call, const char *what)
{
	if (rc >= 0)
		return 0;
	if (rc == -FDT_ERR_NOSPACE)
		pvx_set_err(w->err, w->errlen,
			    "device tree: %s(%s): %s (buffer of %zu bytes is too small)", call,
			    what, fdt_strerror(rc), w->bufsize);
	else
		pvx_set_err(w->err, w->errlen, "device tree: %s(%s): %s", call, what,
			    fdt_strerror(rc));
	return -1;
}

static int begin(struct dt_writer *w, const char *name)
{
	size_t len = strlen(w->path);

	if (step(w, fdt_begin_node(w->fdt, name), "fdt_begin_node", *name ? name : "/"))
		return -1;
	if (!*name)
		snprintf(w->path, sizeof(w->path), "/");
	else
		snprintf(w->path + len, sizeof(w->path) - len, "%s%s", len > 1 ? "/" : "", name);
	return 0;
}

static int end(struct dt_writer *w, const char *name)
{
	char *slash = strrchr(w->path, '/');

	if (step(w, fdt_end_node(w->fdt), "fdt_end_node", *name ? name : "/"))
		return -1;
	/* A child of the root keeps the root's slash: "/cpus" goes back to "/". */
	if (slash == w->path && slash[1])
		slash[1] = 0;
	else if (slash)
		*slash = 0;
	return 0;
}

/* "timebase-frequency in /cpus/cpu@0", for messages. */
static const char *where(const struct dt_writer *w, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s in %s", name, w->path);
	return buf;
}

static int prop(struct dt_writer *w, const char *name, const void *val, int len)
{
	char at[128];

	return step(w, fdt_property(w->fdt, name, val, len), "fdt_property",
		    where(w, name, at, sizeof(at)));
}

static int prop_str(struct dt_writer *w, const char *name, const char *s)
{
	char at[128];

	return step(w, fdt_property_string(w->fdt, name, s), "fdt_property_string",
		    where(w, name, at, sizeof(at)));
}

static int prop_u32(struct dt_writer *w, const char *name, uint32_t v)
{
	char at[128];

	return step(w, fdt_property_u32(w->fdt, name, v), "fdt_property_u32",
		    where(w, name, at, sizeof(at)));
}

static int prop_u64(struct dt_writer *w, const char *name, uint64_t v)
{
	char at[128];

	return step(w, fdt_property_u64(w->fdt, name, v), "fdt_property_u64",
		    where(w, name, at, sizeof(at)));
}

static int check_params(const struct guest_dt_params *p, char *err, size_t errlen)
{
	if (p->ram_size == 0) {
		pvx_set_err(err, errlen, "device tree: ram_size is 0: the guest has no RAM");
		return -1;
	}
	if (p->timebase_hz == 0) {
		pvx_set_err(
			err, errlen,
			"device tree: timebase_hz is 0: the host did not say its timebase frequency");
		return -1;
	}
	if (p->n_hcall > GUEST_DT_MAX_HCALL) {
		pvx_set_err(
			err, errlen,
			"device tree: n_hcall is %u, more than the %d words of KVM_PPC_GET_PVINFO",
			p->n_hcall, GUEST_DT_MAX_HCALL);
		return -1;
	}
	if (p->n_hcall && !p->hcall) {
		pvx_set_err(err, errlen, "device tree: hcall is NULL but n_hcall is %u",
			    p->n_hcall);
		return -1;
	}
	if (!p->bootargs) {
		pvx_set_err(err, errlen, "device tree: bootargs is NULL (pass \"\" for none)");
		return -1;
	}
	return 0;
}

static int write_tree(struct dt_writer *w, const struct guest_dt_params *p)
{
	/* #address-cells and #size-cells of 2: RAM may exceed 4 GiB. */
	fdt64_t mem_reg[2] = { cpu_to_fdt64(0), cpu_to_fdt64(p->ram_size) };
	fdt32_t hcall[GUEST_DT_MAX_HCALL];

	if (step(w, fdt_finish_reservemap(w->fdt), "fdt_finish_reservemap", "") || begin(w, "") ||
	    prop_str(w, "compatible", "pvexit,guest") ||
	    prop_str(w, "model", "pvexit KVM PR launcher") || prop_u32(w, "#address-cells", 2) ||
	    prop_u32(w, "#size-cells", 2))
		return -1;

	if (begin(w, "chosen") || prop_str(w, "bootargs", p->bootargs) ||
	    prop_u64(w, "pvexit,channel", p->channel) || end(w, "chosen"))
		return -1;

	if (begin(w, "memory@0") || prop_str(w, "device_type", "memory") ||
	    prop(w, "reg", mem_reg, sizeof(mem_reg)) || end(w, "memory@0"))
		return -1;

	if (begin(w, "cpus") || prop_u32(w, "#address-cells", 1) || prop_u32(w, "#size-cells", 0) ||
	    begin(w, "cpu@0") || prop_str(w, "device_type", "cpu") || prop_u32(w, "reg", 0) ||
	    prop_u32(w, "timebase-frequency", p->timebase_hz) || end(w, "cpu@0") || end(w, "cpus"))
		return -1;

	/* The words are instructions the guest executes: in the tree they are
	 * big-endian cells like every other, whatever the host's order. */
	if (p->n_hcall) {
		/* Already big-endian, as KVM_PPC_GET_PVINFO hands them out. */
		memcpy(hcall, p->hcall, p->n_hcall * sizeof(hcall[0]));
		if (begin(w, "hypervisor") || prop_str(w, "compatible", "linux,kvm") ||
		    prop(w, "hcall-instructions", hcall, (int)(p->n_hcall * sizeof(hcall[0]))) ||
		    end(w, "hypervisor"))
			return -1;
	}

	if (end(w, "") || step(w, fdt_finish(w->fdt), "fdt_finish", ""))
		return -1;
	return 0;
}

int guest_dt_build(const struct guest_dt_params *p, void *buf, size_t bufsize, char *err,
		   size_t errlen)
{
	struct dt_writer w = { .fdt = buf, .bufsize = bufsize, .err = err, .errlen = errlen };
	int rc;

	if (!p || !buf) {
		pvx_set_err(err, errlen, "device tree: %s is NULL", p ? "buf" : "params");
		return -1;
	}
	if (check_params(p, err, errlen))
		return -1;
	/* libfdt sizes are ints; a tree this small never needs more. */
	rc = fdt_create(buf, bufsize > INT_MAX ? INT_MAX : (int)bufsize);
	if (step(&w, rc, "fdt_create", "buf") || write_tree(&w, p))
		return -1;
	return (int)fdt_totalsize(buf);
}
