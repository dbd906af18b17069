// SPDX-License-Identifier: GPL-2.0-only
/*
 * guest_dt: trees built and read back with libfdt's read-only API, so the
 * checks see the bytes a guest would.
 */
#include "guest_dt.h"
#include "unit.h"

#include <stdbool.h>
#include <stdint.h>

#include <endian.h>
#include <libfdt.h>

/* KVM's own sequence, lis r0,0x4b56; ori r0,r0,0x4d21; sc; nop, as
 * KVM_PPC_GET_PVINFO hands it out: big-endian words on any host. */
static uint32_t kvm_hcall[4];

static void init_hcall(void)
{
	static const uint32_t insn[4] = { 0x3c004b56, 0x60004d21, 0x44000002, 0x60000000 };

	for (int i = 0; i < 4; i++)
		kvm_hcall[i] = htobe32(insn[i]);
}

/* 8-byte aligned, as libfdt's readers expect. */
static uint64_t tree[1024];
static char err[256];

/* @name's value in node @path is exactly @len bytes equal to @want. */
static bool prop_is(const char *path, const char *name, const void *want, int len)
{
	const void *val;
	int node, got;

	node = fdt_path_offset(tree, path);
	if (node < 0)
		return false;
	val = fdt_getprop(tree, node, name, &got);
	return val && got == len && memcmp(val, want, (size_t)len) == 0;
}

/* A string property, with its terminating NUL. */
static bool str_is(const char *path, const char *name, const char *want)
{
	return prop_is(path, name, want, (int)strlen(want) + 1);
}

static struct guest_dt_params params(void)
{
	struct guest_dt_params p = {
		/* Over 4 GiB, so both cells of the size carry bits. */
		.ram_size = 0x180000000ULL,
		.timebase_hz = 512000000,
		/* Every byte distinct, so a swapped or truncated cell shows. */
		.channel = 0x0102030405060708ULL,
		.bootargs = "console=hvc0 quiet",
		.hcall = kvm_hcall,
		.n_hcall = 4,
	};
	return p;
}

static void test_full(void)
{
	static const uint8_t cells_2[4] = { 0, 0, 0, 2 };
	static const uint8_t cells_1[4] = { 0, 0, 0, 1 };
	static const uint8_t cells_0[4] = { 0, 0, 0, 0 };
	static const uint8_t channel[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t mem_reg[16] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x80, 0, 0, 0 };
	static const uint8_t tb[4] = { 0x1e, 0x84, 0x80, 0x00 };
	static const uint8_t hcall[16] = { 0x3c, 0x00, 0x4b, 0x56, 0x60, 0x00, 0x4d, 0x21,
					   0x44, 0x00, 0x00, 0x02, 0x60, 0x00, 0x00, 0x00 };
	struct guest_dt_params p = params();
	int size;

	memset(tree, 0xa5, sizeof(tree));
	size = guest_dt_build(&p, tree, sizeof(tree), err, sizeof(err));
	CHECK("guest_dt: a tree builds", size > 0);
	if (size <= 0) {
		printf("# %s\n", err);
		return;
	}
	CHECK_EQ_U64("guest_dt: fdt_check_header accepts the tree", fdt_check_header(tree), 0);
	CHECK_EQ_U64("guest_dt: the returned size is fdt_totalsize", size, fdt_totalsize(tree));
	CHECK("guest_dt: the tree is packed, not the whole buffer", (size_t)size < sizeof(tree));
	CHECK_EQ_U64("guest_dt: fdt_check_full accepts the tree within the returned size",
		     fdt_check_full(tree, (size_t)size), 0);

	CHECK("guest_dt: / compatible is \"pvexit,guest\"",
	      str_is("/", "compatible", "pvexit,guest"));
	CHECK("guest_dt: / model is \"pvexit KVM PR launcher\"",
	      str_is("/", "model", "pvexit KVM PR launcher"));
	CHECK("guest_dt: / #address-cells is <2>", prop_is("/", "#address-cells", cells_2, 4));
	CHECK("guest_dt: / #size-cells is <2>", prop_is("/", "#size-cells", cells_2, 4));

	CHECK("guest_dt: /chosen bootargs is the payload's arguments",
	      str_is("/chosen", "bootargs", "console=hvc0 quiet"));
	CHECK("guest_dt: /chosen pvexit,channel is one big-endian 64-bit value",
	      prop_is("/chosen", "pvexit,channel", channel, 8));

	CHECK("guest_dt: /memory@0 device_type is \"memory\"",
	      str_is("/memory@0", "device_type", "memory"));
	CHECK("guest_dt: /memory@0 reg is <0 0 hi lo> for address 0, size ram_size",
	      prop_is("/memory@0", "reg", mem_reg, 16));

	CHECK("guest_dt: /cpus #address-cells is <1>",
	      prop_is("/cpus", "#address-cells", cells_1, 4));
	CHECK("guest_dt: /cpus #size-cells is <0>", prop_is("/cpus", "#size-cells", cells_0, 4));
	CHECK("guest_dt: /cpus/cpu@0 device_type is \"cpu\"",
	      str_is("/cpus/cpu@0", "device_type", "cpu"));
	CHECK("guest_dt: /cpus/cpu@0 reg is <0>", prop_is("/cpus/cpu@0", "reg", cells_0, 4));
	CHECK("guest_dt: /cpus/cpu@0 timebase-frequency is one big-endian cell",
	      prop_is("/cpus/cpu@0", "timebase-frequency", tb, 4));

	CHECK("guest_dt: /hypervisor compatible is \"linux,kvm\"",
	      str_is("/hypervisor", "compatible", "linux,kvm"));
	CHECK("guest_dt: /hypervisor hcall-instructions are big-endian",
	      prop_is("/hypervisor", "hcall-instructions", hcall, 16));

	/* A tree of exactly the returned size needs no slack to be built. */
	p = params();
	CHECK_EQ_U64("guest_dt: a buffer of exactly the packed size is enough",
		     guest_dt_build(&p, tree, (size_t)size, err, sizeof(err)), size);
	CHECK_EQ_U64("guest_dt: a buffer one byte short is not",
		     guest_dt_build(&p, tree, (size_t)size - 1, err, sizeof(err)), -1);
}

static void test_no_hypervisor(void)
{
	static const uint8_t one_hcall[4] = { 0x44, 0x00, 0x00, 0x22 };
	const uint32_t sc1 = htobe32(0x44000022);
	struct guest_dt_params p = params();
	int size;

	p.n_hcall = 0;
	p.hcall = NULL;
	p.bootargs = "";
	size = guest_dt_build(&p, tree, sizeof(tree), err, sizeof(err));
	CHECK("guest_dt: a tree without hypercalls builds", size > 0 && !fdt_check_header(tree));
	CHECK_EQ_U64("guest_dt: n_hcall 0 leaves out /hypervisor",
		     fdt_path_offset(tree, "/hypervisor"), -FDT_ERR_NOTFOUND);
	CHECK("guest_dt: empty bootargs is an empty string property",
	      str_is("/chosen", "bootargs", ""));
	CHECK("guest_dt: without /hypervisor, /cpus/cpu@0 is still there",
	      str_is("/cpus/cpu@0", "device_type", "cpu"));

	p = params();
	p.hcall = &sc1;
	p.n_hcall = 1;
	size = guest_dt_build(&p, tree, sizeof(tree), err, sizeof(err));
	CHECK("guest_dt: n_hcall 1 gives one cell of hcall-instructions",
	      size > 0 && prop_is("/hypervisor", "hcall-instructions", one_hcall, 4));
}

static void refuse(const char *what, const struct guest_dt_params *p, size_t bufsize,
		   const char *frag)
{
	char name[160];
	int rc;

	err[0] = 0;
	rc = guest_dt_build(p, tree, bufsize, err, sizeof(err));
	snprintf(name, sizeof(name), "guest_dt: refuses %s", what);
	CHECK_EQ_U64(name, rc, -1);
	snprintf(name, sizeof(name), "guest_dt: refuses %s: says why", what);
	CHECK_STR_CONTAINS(name, err, frag);
	snprintf(name, sizeof(name), "guest_dt: refuses %s: one line", what);
	CHECK(name, err[0] && !strchr(err, '\n'));
}

static void test_refusals(void)
{
	struct guest_dt_params p;

	p = params();
	refuse("a 64-byte buffer", &p, 64, "FDT_ERR_NOSPACE (buffer of 64 bytes is too small)");
	refuse("a 200-byte buffer", &p, 200, "buffer of 200 bytes is too small");

	p = params();
	p.ram_size = 0;
	refuse("ram_size 0", &p, sizeof(tree), "ram_size is 0");

	p = params();
	p.timebase_hz = 0;
	refuse("timebase_hz 0", &p, sizeof(tree), "timebase_hz is 0");

	p = params();
	p.n_hcall = 5;
	refuse("n_hcall 5", &p, sizeof(tree), "n_hcall is 5");

	p = params();
	p.hcall = NULL;
	refuse("hcall NULL with n_hcall 4", &p, sizeof(tree), "hcall is NULL but n_hcall is 4");

	p = params();
	p.bootargs = NULL;
	refuse("bootargs NULL", &p, sizeof(tree), "bootargs is NULL");
}

int main(void)
{
	init_hcall();
	test_full();
	test_no_hypervisor();
	test_refusals();
	return unit_done();
}
