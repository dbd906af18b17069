// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>

#include "time_unit.h"

static const struct {
	const char *name, *per_op, *title;
} units[PVX_UNIT_COUNT] = {
	[PVX_UNIT_NS] = { "ns", "ns/op", "ns per operation (host clock)" },
	[PVX_UNIT_INSN] = { "insn", "insn/op",
			    "emulated PowerPC instructions per operation (QEMU icount)" },
};

const char *pvx_unit_name(enum pvx_time_unit u)
{
	return u < PVX_UNIT_COUNT ? units[u].name : "?";
}

const char *pvx_unit_per_op(enum pvx_time_unit u)
{
	return u < PVX_UNIT_COUNT ? units[u].per_op : "?/op";
}

const char *pvx_unit_title(enum pvx_time_unit u)
{
	return u < PVX_UNIT_COUNT ? units[u].title : "?";
}

bool pvx_unit_parse(const char *name, enum pvx_time_unit *u)
{
	int i;

	for (i = 0; i < PVX_UNIT_COUNT; i++)
		if (!strcmp(name, units[i].name)) {
			*u = (enum pvx_time_unit)i;
			return true;
		}
	return false;
}

enum pvx_time_unit pvx_unit_here(void)
{
	const char *lab = getenv("PVEXIT_LAB"), *clock = getenv("PVEXIT_LAB_CLOCK");

	return lab && clock && !strcmp(clock, "icount") ? PVX_UNIT_INSN : PVX_UNIT_NS;
}
