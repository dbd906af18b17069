// SPDX-License-Identifier: GPL-2.0-only
/* Parsing the payload's arguments: see args.h. */
#include <pvexit/classes.h>

#include "args.h"
#include "rt.h"

static bool arg_value(const char *args, const char *key, const char **val, size_t *len)
{
	size_t klen = strlen(key);
	const char *p = args;

	while (p && *p) {
		const char *end;

		while (*p == ' ')
			p++;
		end = p;
		while (*end && *end != ' ')
			end++;
		if ((size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			*val = p + klen + 1;
			*len = (size_t)(end - *val);
			return true;
		}
		p = end;
	}
	return false;
}

static void arg_u64(const char *args, const char *key, uint64_t *out, unsigned int *failures)
{
	const char *v;
	size_t len;

	if (arg_value(args, key, &v, &len) && !rt_parse_u64(v, len, out)) {
		report_text("bad argument %s: not a number; using %lu", key, (unsigned long)*out);
		(*failures)++;
	}
}

void parse_args(const void *fdt, struct args *a, unsigned int *failures)
{
	int chosen = fdt_valid(fdt) ? fdt_node(fdt, "/chosen") : -1;
	const char *args = chosen >= 0 ? fdt_prop(fdt, chosen, "bootargs", NULL) : NULL;
	const char *v;
	size_t len;
	int i;

	a->classes = ~0ULL;
	a->fault = FAULT_NONE;
	a->iterations = 20000;
	a->fast_iterations = 2000000;
	a->channel_records = 200;
	if (!args)
		return;
	arg_u64(args, "iterations", &a->iterations, failures);
	arg_u64(args, "fast-iterations", &a->fast_iterations, failures);
	arg_u64(args, "channel-records", &a->channel_records, failures);
	if (arg_value(args, "fault", &v, &len)) {
		if (len == 5 && !strncmp(v, "jump0", 5))
			a->fault = FAULT_JUMP0;
		else if (len == 4 && !strncmp(v, "spin", 4))
			a->fault = FAULT_SPIN;
		else {
			report_text("unknown fault in bootargs (jump0 or spin)");
			(*failures)++;
		}
	}
	if (!arg_value(args, "class", &v, &len) || (len == 3 && !strncmp(v, "all", 3)))
		return;
	a->classes = 0;
	while (len) {
		size_t n = 0;

		while (n < len && v[n] != ',')
			n++;
		for (i = 0; i < PVX_CLASS_COUNT; i++)
			if (strlen(pvx_classes[i].name) == n && !strncmp(v, pvx_classes[i].name, n))
				break;
		if (i < PVX_CLASS_COUNT) {
			a->classes |= 1ULL << i;
		} else {
			char name[32];

			rt_snprintf(name, sizeof(name), "%s", v);
			name[n < sizeof(name) ? n : sizeof(name) - 1] = '\0';
			report_text("unknown class in bootargs: %s", name);
			(*failures)++;
		}
		v += n;
		len -= n;
		if (len) {
			v++;
			len--;
		}
	}
}
