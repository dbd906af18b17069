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

struct row {
	const char *name, *syntax;
	unsigned int match, mask;
	int kind, field, width;
	unsigned int families;
	unsigned long feature;
};

static const struct row rows[] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature) \
	{ name, syntax, match, mask, kind, field, width, families, feature },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

static const char *kind_name(int kind)
{
	switch (kind) {
	case PVX_KIND_LOAD:
		return "load";
	case PVX_KIND_STORE:
		return "store";
	case PVX_KIND_NOP:
		return "nop";
	case PVX_KIND_TRAMPOLINE:
		return "trampoline";
	default:
		return "?";
	}
}

static void families(unsigned int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", f & PVX_FAM_BOOK3S64 ? "book3s64 " : "",
		 f & PVX_FAM_BOOK3S32 ? "book3s32 " : "", f & PVX_FAM_BOOKE ? "booke " : "");
	if (*buf)
		buf[strlen(buf) - 1] = '\0';
}

/* Only Book3S-64 KVM PR hosts are at hand; say what else is needed. */
static const char *runs_where(unsigned int f)
{
	if (f & PVX_FAM_BOOK3S64)
		return "book3s64 KVM PR (here, or in the lab)";
	if (f & PVX_FAM_BOOK3S32)
		return "a 32-bit Book3S guest";
	return "waits for a BookE KVM host";
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
			       "pvexit can benchmark them.\n");
			return 0;
		default:
			return 2;
		}
	}
	if (optind < argc) {
		pvx_err("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	printf("%-10s %-16s %-10s %-10s %-10s %-8s %-24s %-7s %s\n", "class", "instruction",
	       "match", "mask", "rewrite", "field", "families", "feature", "benchmark");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char fam[64], field[16], feat[16];

		families(rows[i].families, fam, sizeof(fam));
		if (rows[i].field >= 0)
			snprintf(field, sizeof(field), "+%d/%d", rows[i].field, rows[i].width);
		else
			snprintf(field, sizeof(field), "-");
		snprintf(feat, sizeof(feat), rows[i].feature ? "0x%lx" : "-", rows[i].feature);
		printf("%-10s %-16s 0x%08x 0x%08x %-10s %-8s %-24s %-7s %s\n", rows[i].name,
		       rows[i].syntax, rows[i].match, rows[i].mask, kind_name(rows[i].kind), field,
		       fam, feat, runs_where(rows[i].families));
	}
	return 0;
}
