// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvexit list: the instruction-class table, as the patcher, payloads and
 * reports see it.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <pvexit/classes.h>

#include "cmd.h"
#include "util.h"

static const char *kind_name(int kind)
{
	static const char *const names[] = {
		[PVX_KIND_LOAD] = "load",
		[PVX_KIND_STORE] = "store",
		[PVX_KIND_NOP] = "nop",
		[PVX_KIND_MTMSRD1] = "tramp:mtmsrd1",
		[PVX_KIND_MTMSR] = "tramp:mtmsr",
		[PVX_KIND_WRTEE] = "tramp:wrtee",
		[PVX_KIND_WRTEEI0] = "tramp:wrteei0",
		[PVX_KIND_WRTEEI1] = "tramp:wrtee",
		[PVX_KIND_MTSRIN] = "tramp:mtsrin",
	};

	return kind > 0 && kind <= PVX_KIND_MTSRIN ? names[kind] : "?";
}

static void families(unsigned int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", f & PVX_FAM_BOOK3S64 ? "book3s64 " : "",
		 f & PVX_FAM_BOOK3S32 ? "book3s32 " : "", f & PVX_FAM_BOOKE ? "booke " : "");
	if (*buf)
		buf[strlen(buf) - 1] = '\0';
}

/* The guests the payloads measure the class in, and the host each needs. */
static void runs_where(unsigned int bench, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", bench & PVX_FAM_BOOK3S64 ? "be,le " : "",
		 bench & PVX_FAM_BOOK3S32 ? "be32 " : "",
		 bench & PVX_FAM_BOOKE ? "e500 (BookE host) " : "");
	if (*buf)
		buf[strlen(buf) - 1] = '\0';
}

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = { { "help", no_argument, NULL, 'h' }, { 0 } };
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: pvexit list\n\nPrint the instruction classes the PV interface "
			       "rewrites: encoding, rewrite, magic-page field, CPU families, and where "
			       "pvexit can benchmark them.\n\nExit status: 0 printed; 2 bad usage or "
			       "standard output not written.\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc) {
		pvx_err("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	printf("%-12s %-18s %-10s %-10s %-14s %-8s %-24s %-7s %s\n", "class", "instruction",
	       "match", "mask", "rewrite", "field", "families", "feature", "benchmark");
	for (i = 0; i < PVX_CLASS_COUNT; i++) {
		const struct pvx_class_info *c = &pvx_classes[i];
		char fam[64], field[16], feat[16], where[64];

		families(c->families, fam, sizeof(fam));
		runs_where(c->bench, where, sizeof(where));
		if (c->field >= 0)
			snprintf(field, sizeof(field), "+%d/%d", c->field, c->width);
		else
			snprintf(field, sizeof(field), "-");
		snprintf(feat, sizeof(feat), c->feature ? "0x%lx" : "-", c->feature);
		printf("%-12s %-18s 0x%08x 0x%08x %-14s %-8s %-24s %-7s %s\n", c->name, c->syntax,
		       c->match, c->mask, kind_name(c->kind), field, fam, feat, where);
	}
	return 0;
}
