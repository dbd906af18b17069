/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A small JSON reader and writer for results files (docs/results.md).
 *
 * The reader builds a tree and keeps every number as its text, so that a
 * uint64 reads back exactly and a double goes through strtod once.  It
 * is strict: RFC 8259 and no more (no comments, no trailing commas, no
 * NaN), plus what a results file must never hold: duplicate member
 * names, "\u0000", nesting deeper than PVX_JSON_MAX_DEPTH, anything after
 * the top-level value.  Errors say "line L col C: what" (1-based; the
 * column counts characters, not bytes).
 *
 * The writer streams to a FILE and checks every write; everything the
 * tool prints as JSON goes through it.  It never writes NaN or infinity
 * (JSON has no way to say them): such a number makes the write fail with
 * EDOM, rather than turn into null or a string, unless the caller asks
 * for null.
 */
#ifndef PVEXIT_JSON_H
#define PVEXIT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PVX_JSON_MAX_DEPTH 64

enum pvx_json_type {
	PVX_JSON_NULL,
	PVX_JSON_BOOL,
	PVX_JSON_NUMBER,
	PVX_JSON_STRING,
	PVX_JSON_ARRAY,
	PVX_JSON_OBJECT,
};

struct pvx_json {
	enum pvx_json_type type;
	unsigned int line, col; /* where it starts: its name for an object member */
	char *key; /* the member's name in an object, else NULL */
	bool boolean;
	char *text; /* a string's UTF-8 bytes, or a number as written */
	size_t len; /* strlen(text) */
	struct pvx_json *kids; /* array elements or object members, in order */
	size_t nkids;
};

/**
 * pvx_json_parse() - parse one JSON document of @len bytes.
 * @err: on failure, "line L col C: what was wrong" (no file name)
 * Return: the tree (pvx_json_free() it), or NULL with @err set.
 */
struct pvx_json *pvx_json_parse(const char *text, size_t len, char *err, size_t errlen);

void pvx_json_free(struct pvx_json *v);

/* "null", "a bool", "a number", "a string", "an array", "an object". */
const char *pvx_json_type_name(enum pvx_json_type t);

/* The member @key of object @obj, or NULL (also when @obj is no object). */
const struct pvx_json *pvx_json_get(const struct pvx_json *obj, const char *key);

/*
 * A number's value.  pvx_json_u64() takes only a plain non-negative
 * integer (no fraction, no exponent) that fits; pvx_json_double() any
 * number whose magnitude a double can hold.  Return: false (and @out
 * untouched) when @v is no number or does not fit.
 */
bool pvx_json_u64(const struct pvx_json *v, uint64_t *out);
bool pvx_json_double(const struct pvx_json *v, double *out);

/*
 * @x in the fewest significant digits (15 to 17) that strtod reads back
 * as @x, in the C locale ("19000.5", "1e-07").  @buf holds at least
 * PVX_JSON_NUMBER_MAX bytes.  Return: false for NaN and infinities.
 */
#define PVX_JSON_NUMBER_MAX 32
bool pvx_json_format_double(double x, char *buf);

/*
 * The streaming writer.  Containers opened with @inline_ are written on
 * one line ({"a": 1, "b": 2}); others one member per line, indented by
 * two spaces a level.  Every call after the first failure does nothing;
 * pvx_jw_finish() reports it.
 */
struct pvx_json_writer {
	FILE *f;
	int depth;
	int err; /* errno of the first failure, 0 while all is well */
	bool after_key;
	bool first[PVX_JSON_MAX_DEPTH + 1]; /* nothing written in it yet */
	bool inline_[PVX_JSON_MAX_DEPTH + 1];
	bool object[PVX_JSON_MAX_DEPTH + 1];
};

void pvx_jw_init(struct pvx_json_writer *w, FILE *f);
void pvx_jw_begin_object(struct pvx_json_writer *w, bool inline_);
void pvx_jw_end_object(struct pvx_json_writer *w);
void pvx_jw_begin_array(struct pvx_json_writer *w, bool inline_);
void pvx_jw_end_array(struct pvx_json_writer *w);
void pvx_jw_key(struct pvx_json_writer *w, const char *key);
/* Invalid UTF-8 in @s is written as U+FFFD, so the output always parses; NULL is "". */
void pvx_jw_string(struct pvx_json_writer *w, const char *s);
void pvx_jw_u64(struct pvx_json_writer *w, uint64_t v);
/* NaN or an infinity: the write fails with EDOM. */
void pvx_jw_double(struct pvx_json_writer *w, double v);
/* A figure a table may lack: null when @v is NaN or an infinity. */
void pvx_jw_double_or_null(struct pvx_json_writer *w, double v);
void pvx_jw_bool(struct pvx_json_writer *w, bool v);
void pvx_jw_null(struct pvx_json_writer *w);

/* A key and its value, for the common members. */
void pvx_jw_key_string(struct pvx_json_writer *w, const char *key, const char *s);
void pvx_jw_key_u64(struct pvx_json_writer *w, const char *key, uint64_t v);
void pvx_jw_key_bool(struct pvx_json_writer *w, const char *key, bool v);

/**
 * pvx_jw_finish() - end the document with a newline and flush.
 * Return: 0, or -1 with errno set to the first failure (EDOM for a
 * non-finite number, EINVAL for calls out of order, the stream's errno).
 */
int pvx_jw_finish(struct pvx_json_writer *w);

#endif
