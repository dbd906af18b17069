// SPDX-License-Identifier: GPL-2.0-only
/*
 * The KVM binary statistics reader (Documentation/virt/kvm/api.rst,
 * KVM_GET_STATS_FD).  The header and descriptors never change for the
 * life of the fd, so they are parsed once; only the data block is read
 * again for each snapshot.
 */
#include "kvm_stats.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/kvm.h>

/* Far above what KVM uses (KVM_STATS_NAME_SIZE is 48, and a vCPU has
 * well under a hundred stats), low enough that a garbage header cannot
 * make us allocate gigabytes for the descriptor table. */
#define KVM_STATS_MAX_NAME_SIZE 4096u
#define KVM_STATS_MAX_DESC 65536u

struct kvm_stats {
	int fd;
	size_t count;
	size_t name_size;
	char *names; /* count names, name_size bytes apart, each with its NUL */
	uint32_t *offsets; /* of each counter's first u64 in the data block */
	bool *cumulative; /* a single running count, whose differences mean something */
	off_t data_offset;
	size_t data_len;
	unsigned char *data; /* data_len bytes, reused by every read */
};

/* Read exactly @len bytes at @off; a short read is reported as such,
 * because on a real stats fd (st_size 0) it is the only sign that an
 * offset lies beyond the end. */
static int read_exact(int fd, void *buf, size_t len, off_t off, const char *what, char *err,
		      size_t errlen)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n < 0) {
		pvx_set_err(err, errlen, "kvm stats: reading the %s: %s", what, strerror(errno));
		return -1;
	}
	if ((size_t)n != len) {
		pvx_set_err(err, errlen,
			    "kvm stats: short %s read: %zd of %zu bytes at offset %lld", what, n,
			    len, (long long)off);
		return -1;
	}
	return 0;
}

static void free_stats(struct kvm_stats *s)
{
	free(s->names);
	free(s->offsets);
	free(s->cumulative);
	free(s->data);
	free(s);
}

/* Copy the descriptors out of the raw table, checking each one; the
 * table's stride is not a multiple of the struct's alignment, hence
 * the memcpy into a local. */
static int parse_descs(struct kvm_stats *s, const unsigned char *table, uint64_t file_size,
		       char *err, size_t errlen)
{
	size_t stride = sizeof(struct kvm_stats_desc) + s->name_size;
	uint64_t extent = 0;

	for (size_t i = 0; i < s->count; i++) {
		const unsigned char *raw = table + i * stride;
		const char *name = (const char *)raw + sizeof(struct kvm_stats_desc);
		char *dst = s->names + i * s->name_size;
		struct kvm_stats_desc d;
		uint64_t end;

		memcpy(&d, raw, sizeof(d));
		if (!memchr(name, '\0', s->name_size)) {
			pvx_set_err(err, errlen,
				    "kvm stats: descriptor %zu has no NUL in its %zu-byte name", i,
				    s->name_size);
			return -1;
		}
		memcpy(dst, name, s->name_size);
		if (d.size == 0) {
			pvx_set_err(err, errlen, "kvm stats: descriptor %zu (\"%s\") has size 0", i,
				    dst);
			return -1;
		}
		end = (uint64_t)d.offset + (uint64_t)d.size * sizeof(uint64_t);
		if (file_size && (uint64_t)s->data_offset + end > file_size) {
			pvx_set_err(
				err, errlen,
				"kvm stats: descriptor %zu (\"%s\") data ends at byte %llu, beyond the %llu-byte file",
				i, dst, (unsigned long long)((uint64_t)s->data_offset + end),
				(unsigned long long)file_size);
			return -1;
		}
		s->offsets[i] = d.offset;
		s->cumulative[i] =
			(d.flags & KVM_STATS_TYPE_MASK) == KVM_STATS_TYPE_CUMULATIVE && d.size == 1;
		if (end > extent)
			extent = end;
	}
	/* Only a 32-bit host could get here: on 64-bit, extent < 2^33. */
	if (extent > SSIZE_MAX) {
		pvx_set_err(err, errlen, "kvm stats: data block of %llu bytes is too large",
			    (unsigned long long)extent);
		return -1;
	}
	s->data_len = extent;
	return 0;
}

/* The body of kvm_stats_open_fd(), which owns the cleanup of @s. */
static int parse(struct kvm_stats *s, char *err, size_t errlen)
{
	struct kvm_stats_header h;
	unsigned char *table;
	uint64_t file_size = 0;
	uint64_t table_len;
	struct stat st;
	int ret;

	if (fstat(s->fd, &st) < 0) {
		pvx_set_err(err, errlen, "kvm stats: fstat: %s", strerror(errno));
		return -1;
	}
	/* A real stats fd reports st_size 0, so 0 means "unknown" whatever
	 * mode its anonymous inode claims, and the short-read checks stand in
	 * for the size checks. */
	if (S_ISREG(st.st_mode) && st.st_size > 0)
		file_size = (uint64_t)st.st_size;

	if (read_exact(s->fd, &h, sizeof(h), 0, "header", err, errlen) < 0)
		return -1;
	if (h.name_size == 0 || h.name_size > KVM_STATS_MAX_NAME_SIZE) {
		pvx_set_err(err, errlen, "kvm stats: name size %u is not in 1..%u", h.name_size,
			    KVM_STATS_MAX_NAME_SIZE);
		return -1;
	}
	if (h.num_desc > KVM_STATS_MAX_DESC) {
		pvx_set_err(err, errlen, "kvm stats: %u descriptors is more than the %u allowed",
			    h.num_desc, KVM_STATS_MAX_DESC);
		return -1;
	}
	s->count = h.num_desc;
	s->name_size = h.name_size;
	s->data_offset = h.data_offset;

	/* Bounded by the limits above to about 270 MB, so no overflow. */
	table_len = (uint64_t)h.num_desc * (sizeof(struct kvm_stats_desc) + h.name_size);
	if (file_size && (uint64_t)h.desc_offset + table_len > file_size) {
		pvx_set_err(
			err, errlen,
			"kvm stats: descriptor table (%u x %zu bytes at offset %u) ends beyond the %llu-byte file",
			h.num_desc, sizeof(struct kvm_stats_desc) + h.name_size, h.desc_offset,
			(unsigned long long)file_size);
		return -1;
	}

	/* calloc(0, ...) may return NULL, so allocate at least one of each
	 * to keep NULL meaning out of memory. */
	s->names = calloc(s->count ? s->count : 1, s->name_size);
	s->offsets = calloc(s->count ? s->count : 1, sizeof(*s->offsets));
	s->cumulative = calloc(s->count ? s->count : 1, sizeof(*s->cumulative));
	table = malloc(table_len ? table_len : 1);
	if (!s->names || !s->offsets || !s->cumulative || !table) {
		free(table);
		pvx_set_err(err, errlen, "kvm stats: out of memory for %u descriptors", h.num_desc);
		return -1;
	}
	ret = read_exact(s->fd, table, table_len, h.desc_offset, "descriptor table", err, errlen);
	if (ret == 0)
		ret = parse_descs(s, table, file_size, err, errlen);
	free(table);
	if (ret < 0)
		return -1;

	s->data = malloc(s->data_len ? s->data_len : 1);
	if (!s->data) {
		pvx_set_err(err, errlen, "kvm stats: out of memory for a %zu-byte data block",
			    s->data_len);
		return -1;
	}
	return 0;
}

int kvm_stats_open_fd(int fd, struct kvm_stats **out, char *err, size_t errlen)
{
	struct kvm_stats *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (!s) {
		pvx_set_err(err, errlen, "kvm stats: out of memory");
		close(fd);
		return -1;
	}
	s->fd = fd;
	if (parse(s, err, errlen) < 0) {
		free_stats(s);
		close(fd);
		return -1;
	}
	*out = s;
	return 0;
}

int kvm_stats_open_vcpu(int vcpu_fd, struct kvm_stats **out, char *err, size_t errlen)
{
	int fd = ioctl(vcpu_fd, KVM_GET_STATS_FD, NULL);

	if (fd < 0) {
		*out = NULL;
		pvx_set_err(err, errlen, "KVM_GET_STATS_FD: %s", strerror(errno));
		return -1;
	}
	return kvm_stats_open_fd(fd, out, err, errlen);
}

size_t kvm_stats_count(const struct kvm_stats *s)
{
	return s->count;
}

const char *kvm_stats_name(const struct kvm_stats *s, size_t i)
{
	if (i >= s->count)
		return NULL;
	return s->names + i * s->name_size;
}

long kvm_stats_find(const struct kvm_stats *s, const char *name)
{
	for (size_t i = 0; i < s->count; i++) {
		if (strcmp(s->names + i * s->name_size, name) == 0)
			return (long)i;
	}
	return -1;
}

int kvm_stats_read(struct kvm_stats *s, uint64_t *values, char *err, size_t errlen)
{
	/* One pread, so that the counters are as close to one instant as
	 * the kernel allows, and a snapshot costs one syscall. */
	if (s->data_len &&
	    read_exact(s->fd, s->data, s->data_len, s->data_offset, "data block", err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < s->count; i++)
		memcpy(&values[i], s->data + s->offsets[i], sizeof(values[i]));
	return 0;
}

bool kvm_stats_cumulative(const struct kvm_stats *s, size_t i)
{
	return i < s->count && s->cumulative[i];
}

void kvm_stats_close(struct kvm_stats *s)
{
	if (!s)
		return;
	close(s->fd);
	free_stats(s);
}
