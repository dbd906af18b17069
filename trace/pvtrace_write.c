// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writing pvexit's raw trace container (docs/trace-format.md) into a
 * temporary file that is renamed over the target only when complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "atomic_file.h"
#include "pvtrace.h"
#include "util.h"

struct pvt_writer {
	struct pvx_atomic_file af;
	unsigned int page_size, ncpus;
	uint64_t sections, pages;
	char error[256];
};

static void put32(unsigned char *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static int put(struct pvt_writer *w, const void *p, size_t n)
{
	if (w->error[0])
		return -1;
	if (n && fwrite(p, 1, n, w->af.f) != n) {
		snprintf(w->error, sizeof(w->error), "cannot write %s: %s", w->af.tmp,
			 strerror(errno));
		return -1;
	}
	return 0;
}

const char *pvt_error(const struct pvt_writer *w)
{
	return w->error[0] ? w->error : NULL;
}

static uint32_t crc(uint32_t c, const void *p, size_t n)
{
	const unsigned char *b = p;

	/* zlib's length is a uInt: feed it in pieces. */
	while (n) {
		uInt k = n > (1u << 30) ? (1u << 30) : (uInt)n;

		c = (uint32_t)crc32(c, b, k);
		b += k;
		n -= k;
	}
	return c;
}

int pvt_section(struct pvt_writer *w, uint32_t type, const void *a, size_t alen, const void *b,
		size_t blen)
{
	unsigned char h[PVT_SECTION_HEADER];
	uint32_t c = (uint32_t)crc32(0, Z_NULL, 0);

	c = crc(c, a, alen);
	if (b)
		c = crc(c, b, blen);
	else
		blen = 0;
	put32(h, type);
	put32(h + 4, c);
	put64(h + 8, (uint64_t)alen + blen);
	if (put(w, h, sizeof(h)) || put(w, a, alen) || put(w, b, blen))
		return -1;
	w->sections++;
	return 0;
}

int pvt_format(struct pvt_writer *w, const char *system, const char *text, size_t len)
{
	return pvt_section(w, PVT_FORMAT, system, strlen(system) + 1, text, len);
}

int pvt_page(struct pvt_writer *w, unsigned int cpu, const void *page)
{
	unsigned char h[PVT_CPU_FIXED] = { 0 };

	put32(h, cpu);
	if (pvt_section(w, PVT_PAGE, h, sizeof(h), page, w->page_size))
		return -1;
	w->pages++;
	return 0;
}

int pvt_cpu_stats(struct pvt_writer *w, unsigned int cpu, const char *text, size_t len)
{
	unsigned char h[PVT_CPU_FIXED] = { 0 };

	put32(h, cpu);
	return pvt_section(w, PVT_CPU_STATS, h, sizeof(h), text, len);
}

struct pvt_writer *pvt_create(const char *path, const struct pvt_info *info, char *err,
			      size_t errlen)
{
	unsigned char fh[PVT_FILE_HEADER] = { 0 }, ih[PVT_INFO_FIXED] = { 0 };
	struct pvt_writer *w = pvx_xcalloc(1, sizeof(*w));

	if (pvx_atomic_open(&w->af, path, err, errlen) < 0) {
		free(w);
		return NULL;
	}
	w->page_size = info->page_size;
	w->ncpus = info->ncpus;
	memcpy(fh, PVT_MAGIC, PVT_MAGIC_LEN);
	put32(fh + 8, PVT_VERSION);
	ih[0] = info->big_endian;
	ih[1] = (unsigned char)info->long_size;
	put32(ih + 4, info->page_size);
	put32(ih + 8, info->ncpus);
	if (put(w, fh, sizeof(fh)) || pvt_section(w, PVT_INFO, ih, sizeof(ih), info->text,
						  info->text ? strlen(info->text) : 0)) {
		pvx_set_err(err, errlen, "%s", w->error);
		pvt_abort(w);
		return NULL;
	}
	return w;
}

int pvt_commit(struct pvt_writer *w, char *err, size_t errlen)
{
	unsigned char e[PVT_END_SIZE];
	int ret = -1;

	put64(e, w->sections);
	put64(e + 8, w->pages);
	if (pvt_section(w, PVT_END, e, sizeof(e), NULL, 0))
		goto out;
	if (pvx_atomic_commit(&w->af, w->error, sizeof(w->error)))
		goto out;
	ret = 0;
out:
	if (ret)
		pvx_set_err(err, errlen, "%s", w->error);
	pvt_abort(w);
	return ret;
}

void pvt_abort(struct pvt_writer *w)
{
	if (!w)
		return;
	pvx_atomic_abort(&w->af);
	free(w);
}
