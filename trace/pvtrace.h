/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvexit's raw trace capture: the container `pvexit trace record` writes
 * and the decoder reads.  docs/trace-format.md is its specification;
 * these are its constants and the writer.
 *
 * A 16-byte file header, then sections: type, CRC-32 of the payload,
 * payload length, payload.  The container's own fields are
 * little-endian; the ring-buffer pages inside keep the byte order of the
 * kernel that recorded them, which the INFO section names.
 */
#ifndef PVEXIT_PVTRACE_H
#define PVEXIT_PVTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PVT_MAGIC "PVXTRACE"
#define PVT_MAGIC_LEN 8
#define PVT_VERSION 1
#define PVT_FILE_HEADER 16 /* magic, u32 version, u32 flags (0) */
#define PVT_SECTION_HEADER 16 /* u32 type, u32 crc32, u64 length */

enum pvt_section {
	PVT_INFO = 1, /* u8 big-endian, u8 long size, u16 0, u32 page size, u32 CPUs, u32 0, text */
	PVT_HEADER_PAGE = 2, /* events/header_page */
	PVT_HEADER_EVENT = 3, /* events/header_event */
	PVT_FORMAT = 4, /* system name, NUL, events/SYSTEM/EVENT/format */
	PVT_PAGE = 5, /* u32 CPU, u32 0, one ring-buffer page */
	PVT_CPU_STATS = 6, /* u32 CPU, u32 0, per_cpu/cpuN/stats */
	PVT_END = 7, /* u64 sections before this one, u64 pages */
};

#define PVT_INFO_FIXED 16
#define PVT_CPU_FIXED 8
#define PVT_END_SIZE 16

/* Sanity limits a reader holds a file to. */
#define PVT_MAX_TEXT (1u << 20) /* any text section */
#define PVT_MIN_PAGE 4096u
#define PVT_MAX_PAGE (1u << 20)
#define PVT_MAX_CPUS 8192u

/* What INFO records about the recording host. */
struct pvt_info {
	bool big_endian;
	unsigned int long_size, page_size, ncpus;
	const char *text; /* "key=value" lines: clock, kernel, machine, command */
};

struct pvt_writer;

/**
 * pvt_create() - start writing @path: a temporary file beside it that
 * pvt_commit() renames into place, so @path is never half-written.
 * Return: the writer, or NULL with @err set.
 */
struct pvt_writer *pvt_create(const char *path, const struct pvt_info *info, char *err,
			      size_t errlen);

/* One section; @b (may be NULL) follows @a in the payload. */
int pvt_section(struct pvt_writer *w, uint32_t type, const void *a, size_t alen, const void *b,
		size_t blen);
int pvt_format(struct pvt_writer *w, const char *system, const char *text, size_t len);
int pvt_page(struct pvt_writer *w, unsigned int cpu, const void *page);
int pvt_cpu_stats(struct pvt_writer *w, unsigned int cpu, const char *text, size_t len);

/* Write END, flush, fsync, rename.  Return: 0, or -1 with @err set. */
int pvt_commit(struct pvt_writer *w, char *err, size_t errlen);

/* Remove the temporary file and free @w (after a failure, or instead of
 * committing). */
void pvt_abort(struct pvt_writer *w);

/* The first write error, if any (a full disk, say), as one line. */
const char *pvt_error(const struct pvt_writer *w);

#endif
