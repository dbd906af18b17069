/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Suite files: which classes pvexit run measures, in which guests, with
 * how many iterations and repetitions.  The format is in docs/suite.md;
 * bench/default.suite is the default suite.
 */
#ifndef PVEXIT_SUITE_H
#define PVEXIT_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PVX_SUITE_MAX_GROUPS 32
/* Far above what 32 run lines and their comments take; a bound for a wrong file. */
#define PVX_SUITE_MAX_BYTES (1u << 20)

/* The guests a group runs in, as bits. */
#define PVX_GUEST_BE (1u << 0)
#define PVX_GUEST_LE (1u << 1)
#define PVX_GUEST_BE32 (1u << 2)
#define PVX_GUEST_E500 (1u << 3) /* BookE: only on an e500v2 host */
#define PVX_GUEST_COUNT 4
/* The guests of a Book3S host: what "all" means. */
#define PVX_GUEST_BOOK3S (PVX_GUEST_BE | PVX_GUEST_LE | PVX_GUEST_BE32)

/* Variants a group records, as bits (1 << PVX_VAR_*). */
#define PVX_VARIANTS_ALL 0x7u

struct pvx_suite_group {
	char classes[512]; /* the payload's form: comma list, or "all" */
	unsigned int guests; /* PVX_GUEST_* */
	unsigned int variants; /* 1 << PVX_VAR_RAW ... */
	uint64_t iterations; /* raw (trapping) iterations */
	uint64_t fast_iterations; /* patched and baseline iterations */
	unsigned int reps;
	unsigned int line; /* where it was written */
};

struct pvx_suite {
	char name[64];
	struct pvx_suite_group groups[PVX_SUITE_MAX_GROUPS];
	unsigned int ngroups;
};

/* The guest names, indexed by bit number: "be", "le", "be32", "e500". */
extern const char *const pvx_guest_names[PVX_GUEST_COUNT];

/* A group with the defaults: every class, every guest, all variants. */
void pvx_suite_group_default(struct pvx_suite_group *g);

/**
 * pvx_suite_classes() - check a class list ("all" or names from the
 * table, comma-separated) and store it in @g: every class must exist
 * and be measurable in at least one of @g->guests.
 * Return: 0, or -1 with one line in @err.
 */
int pvx_suite_classes(struct pvx_suite_group *g, const char *list, char *err, size_t len);

/* Parse "be,le,be32,e500" / "all" into PVX_GUEST_* bits; 0 if bad.
 * "all" is the Book3S guests (be, le, be32): e500 needs another host,
 * so it runs only when named. */
unsigned int pvx_suite_guests(const char *list);

/* Parse "raw,patched,baseline" / "all" into variant bits; 0 if bad. */
unsigned int pvx_suite_variants(const char *list);

/**
 * pvx_suite_load() - read a suite file: text, at most PVX_SUITE_MAX_BYTES,
 * no NUL bytes.
 * Return: 0, or -1 with one line "FILE:LINE: what is wrong" in @err.
 */
int pvx_suite_load(const char *path, struct pvx_suite *s, char *err, size_t len);

#endif
