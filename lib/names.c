// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>

#include <pvexit/channel.h>

#include "names.h"

struct vector_name {
	uint64_t num;
	const char *name;
};

static const struct vector_name book3s_vectors[] = {
#define PVX_VECTOR(num, name) { num, name },
#include <pvexit/book3s_vectors.def>
#undef PVX_VECTOR
};

static const struct vector_name booke_vectors[] = {
#define PVX_VECTOR(num, name) { num, name },
#include <pvexit/booke_vectors.def>
#undef PVX_VECTOR
};

static const char *lookup(const struct vector_name *t, size_t n, uint64_t vector)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].num == vector)
			return t[i].name;
	return NULL;
}

const char *pvx_vector_name(uint64_t vector)
{
	return lookup(book3s_vectors, sizeof(book3s_vectors) / sizeof(book3s_vectors[0]), vector);
}

const char *pvx_booke_vector_name(uint64_t vector)
{
	return lookup(booke_vectors, sizeof(booke_vectors) / sizeof(booke_vectors[0]), vector);
}

const char *pvx_vector_label(uint64_t vector, char *buf, size_t len)
{
	const char *n = pvx_vector_name(vector);

	if (n)
		return n;
	snprintf(buf, len, "0x%llx", (unsigned long long)vector);
	return buf;
}

static const char *const variant_names[PVX_VAR_MAX + 1] = {
	[PVX_VAR_RAW] = "raw",	     [PVX_VAR_PATCHED] = "patched", [PVX_VAR_BASELINE] = "baseline",
	[PVX_VAR_WARMUP] = "warmup", [PVX_VAR_CHANNEL] = "channel", [PVX_VAR_MARKER] = "marker",
};

const char *pvx_variant_name(uint64_t variant)
{
	return variant <= PVX_VAR_MAX ? variant_names[variant] : "unknown";
}
