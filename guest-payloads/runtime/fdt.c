// SPDX-License-Identifier: GPL-2.0-only
/*
 * A read-only walker for flattened device trees (the DTSpec format), just
 * enough for the runtime: find a node by path, a child, a property.  The
 * tree is trusted to lie within its totalsize but every step checks that
 * it stays there.
 */
#include "rt.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

struct fdt_hdr {
	const unsigned char *base;
	uint32_t size, off_struct, off_strings, size_struct, size_strings;
};

static bool hdr(const void *fdt, struct fdt_hdr *h)
{
	const unsigned char *b = fdt;

	if (!fdt || rt_be32(b) != FDT_MAGIC)
		return false;
	h->base = b;
	h->size = rt_be32(b + 4);
	h->off_struct = rt_be32(b + 8);
	h->off_strings = rt_be32(b + 12);
	h->size_strings = rt_be32(b + 32);
	h->size_struct = rt_be32(b + 36);
	return h->size >= 40 && h->off_struct + h->size_struct <= h->size &&
	       h->off_strings + h->size_strings <= h->size && rt_be32(b + 20) >= 17;
}

bool fdt_valid(const void *fdt)
{
	struct fdt_hdr h;

	return hdr(fdt, &h);
}

static uint32_t tok(const struct fdt_hdr *h, int off)
{
	if (off < 0 || (uint32_t)off + 4 > h->size_struct)
		return FDT_END;
	return rt_be32(h->base + h->off_struct + off);
}

static const char *node_name(const struct fdt_hdr *h, int off)
{
	return (const char *)h->base + h->off_struct + off + 4;
}

/* Offset of the token after the one at @off, or -1. */
static int next(const struct fdt_hdr *h, int off)
{
	uint32_t t = tok(h, off);

	switch (t) {
	case FDT_BEGIN_NODE: {
		size_t n = strlen(node_name(h, off)) + 1;

		return off + 4 + (int)((n + 3) & ~3u);
	}
	case FDT_PROP: {
		uint32_t len = tok(h, off + 4);

		return off + 12 + (int)((len + 3) & ~3u);
	}
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return -1;
	}
}

/* The next sibling of the node at @off (skipping its subtree), or -1. */
static int sibling(const struct fdt_hdr *h, int off)
{
	int depth = 0;

	do {
		uint32_t t = tok(h, off);

		if (t == FDT_BEGIN_NODE)
			depth++;
		else if (t == FDT_END_NODE)
			depth--;
		off = next(h, off);
		if (off < 0)
			return -1;
	} while (depth > 0);
	while (tok(h, off) == FDT_NOP || tok(h, off) == FDT_PROP)
		off = next(h, off);
	return tok(h, off) == FDT_BEGIN_NODE ? off : -1;
}

int fdt_first_child(const void *fdt, int node)
{
	struct fdt_hdr h;
	int off;

	if (!hdr(fdt, &h) || tok(&h, node) != FDT_BEGIN_NODE)
		return -1;
	off = next(&h, node);
	while (off >= 0 && (tok(&h, off) == FDT_PROP || tok(&h, off) == FDT_NOP))
		off = next(&h, off);
	return off >= 0 && tok(&h, off) == FDT_BEGIN_NODE ? off : -1;
}

static bool name_matches(const char *name, const char *comp, size_t len)
{
	size_t i;

	if (strncmp(name, comp, len))
		return false;
	if (name[len] == '\0')
		return true;
	if (name[len] != '@')
		return false;
	for (i = 0; i < len; i++)
		if (comp[i] == '@')
			return false;
	return true;
}

int fdt_node(const void *fdt, const char *path)
{
	struct fdt_hdr h;
	int node;

	if (!hdr(fdt, &h) || path[0] != '/')
		return -1;
	node = 0;
	while (tok(&h, node) == FDT_NOP)
		node = next(&h, node);
	if (tok(&h, node) != FDT_BEGIN_NODE)
		return -1;
	while (*path == '/')
		path++;
	while (*path) {
		size_t len = 0;
		int child;

		while (path[len] && path[len] != '/')
			len++;
		for (child = fdt_first_child(fdt, node); child >= 0; child = sibling(&h, child))
			if (name_matches(node_name(&h, child), path, len))
				break;
		if (child < 0)
			return -1;
		node = child;
		path += len;
		while (*path == '/')
			path++;
	}
	return node;
}

const void *fdt_prop(const void *fdt, int node, const char *name, uint32_t *len)
{
	struct fdt_hdr h;
	int off;

	if (!hdr(fdt, &h) || tok(&h, node) != FDT_BEGIN_NODE)
		return NULL;
	for (off = next(&h, node); off >= 0; off = next(&h, off)) {
		uint32_t t = tok(&h, off), plen, nameoff;

		if (t == FDT_NOP)
			continue;
		if (t != FDT_PROP)
			return NULL;
		plen = tok(&h, off + 4);
		nameoff = tok(&h, off + 8);
		if (nameoff >= h.size_strings || (uint32_t)off + 12 + plen > h.size_struct)
			return NULL;
		if (!strcmp((const char *)h.base + h.off_strings + nameoff, name)) {
			if (len)
				*len = plen;
			return h.base + h.off_struct + off + 12;
		}
	}
	return NULL;
}

bool fdt_prop_has_string(const void *fdt, int node, const char *name, const char *s)
{
	uint32_t len, i = 0;
	const char *p = fdt_prop(fdt, node, name, &len);
	size_t n = strlen(s);

	while (p && i < len) {
		size_t l = strlen(p + i);

		if (l == n && !memcmp(p + i, s, n))
			return true;
		i += (uint32_t)l + 1;
	}
	return false;
}
