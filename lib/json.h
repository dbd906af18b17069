/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * JSON for pvexit: reading results files through jansson, and the one
 * writer everything the tool prints as JSON goes through.
 *
 * The reader is jansson held to what a results file may be: RFC 8259 and
 * no more (no NaN or infinity, no comments), no duplicate member names,
 * no "\u0000", no byte-order mark, nesting no deeper than
 * PVX_JSON_MAX_DEPTH.  Errors say "line L col C: what" (1-based; the
 * column counts characters, not bytes).  Integers jansson holds as
 * json_int_t: past INT64_MAX an integer is an error, not a rounded double.
 *
 * The writer streams to a FILE and checks every write.  It never writes
 * NaN or infinity (JSON has no way to say them): such a number makes the
 * write fail with EDOM, rather than turn into null or a string, unless
 * the caller asks for null.
 */
#ifndef PVEXIT_JSON_H
#define PVEXIT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#define PVX_JSON_MAX_DEPTH 64

/**
 * pvx_json_load() - parse one JSON document of @len bytes.
 * @err: on failure, "line L col C: what was wrong" (no file name)
 * Return: a new reference (json_decref() it), or NULL with @err set.
 */
json_t *pvx_json_load(const char *text, size_t len, char *err, size_t errlen);

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
