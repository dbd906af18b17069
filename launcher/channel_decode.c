// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>

#include "channel_decode.h"
#include "util.h"

/* Byte offsets of struct pvx_record: the guest's layout, not ours, so
 * they are spelled out rather than taken from the host compiler. */
#define OFF_TYPE 0
#define OFF_SIZE 4
#define OFF_SEQ 8
#define OFF_W 16
#define OFF_TEXT (OFF_W + 8 * PVX_REC_WORDS)
#define REC_BYTES (OFF_TEXT + PVX_REC_TEXT_MAX)

_Static_assert(sizeof(struct pvx_record) == REC_BYTES, "pvx_record has padding");

static const char *const type_names[PVX_REC_MAX + 1] = {
	[PVX_REC_HELLO] = "hello",	   [PVX_REC_TEXT] = "text",
	[PVX_REC_FACT] = "fact",	   [PVX_REC_PHASE_BEGIN] = "phase-begin",
	[PVX_REC_PHASE_END] = "phase-end", [PVX_REC_RESULT] = "result",
	[PVX_REC_CHECK] = "check",	   [PVX_REC_CRASH] = "crash",
	[PVX_REC_DONE] = "done",	   [PVX_REC_PING] = "ping",
};

const char *pvx_record_type_name(uint32_t type)
{
	return type <= PVX_REC_MAX && type_names[type] ? type_names[type] : "unknown";
}

static bool has_text(uint32_t type)
{
	return type == PVX_REC_TEXT || type == PVX_REC_FACT || type == PVX_REC_CHECK;
}

int pvx_record_fetch(const void *ram, uint64_t ram_size, uint64_t addr, bool big_endian,
		     struct pvx_record *out, char *err, size_t errlen)
{
	const unsigned char *b;
	int i;

	if (ram_size < REC_BYTES || addr > ram_size - REC_BYTES) {
		snprintf(err, errlen,
			 "record at 0x%llx (%d bytes) lies outside the guest's %llu bytes of RAM",
			 (unsigned long long)addr, REC_BYTES, (unsigned long long)ram_size);
		return -1;
	}
	b = (const unsigned char *)ram + addr;
	memset(out, 0, sizeof(*out));
	out->type = pvx_load32(b + OFF_TYPE, big_endian);
	out->size = pvx_load32(b + OFF_SIZE, big_endian);
	out->seq = pvx_load64(b + OFF_SEQ, big_endian);
	for (i = 0; i < PVX_REC_WORDS; i++)
		out->w[i] = pvx_load64(b + OFF_W + 8 * i, big_endian);
	memcpy(out->text, b + OFF_TEXT, PVX_REC_TEXT_MAX);

	if (out->type < 1 || out->type > PVX_REC_MAX) {
		snprintf(err, errlen, "record at 0x%llx has unknown type %u (a %s-endian guest?)",
			 (unsigned long long)addr, out->type, big_endian ? "little" : "big");
		return -1;
	}
	if (out->size != REC_BYTES) {
		snprintf(err, errlen, "%s record at 0x%llx says it has %u bytes, not %d",
			 pvx_record_type_name(out->type), (unsigned long long)addr, out->size,
			 REC_BYTES);
		return -1;
	}
	if (has_text(out->type) && !memchr(out->text, '\0', PVX_REC_TEXT_MAX)) {
		snprintf(err, errlen, "%s record %llu: text has no NUL within %d bytes",
			 pvx_record_type_name(out->type), (unsigned long long)out->seq,
			 PVX_REC_TEXT_MAX);
		return -1;
	}
	if ((out->type == PVX_REC_PHASE_BEGIN || out->type == PVX_REC_PHASE_END ||
	     out->type == PVX_REC_RESULT) &&
	    out->w[1] > PVX_VAR_MAX) {
		snprintf(err, errlen, "%s record %llu: variant %llu is out of range",
			 pvx_record_type_name(out->type), (unsigned long long)out->seq,
			 (unsigned long long)out->w[1]);
		return -1;
	}
	if (out->type == PVX_REC_CHECK && out->w[1] != PVX_CHECK_PASS &&
	    out->w[1] != PVX_CHECK_FAIL) {
		snprintf(err, errlen, "check record %llu: outcome %llu is neither pass nor fail",
			 (unsigned long long)out->seq, (unsigned long long)out->w[1]);
		return -1;
	}
	if (!has_text(out->type))
		out->text[0] = '\0';
	else
		out->text[PVX_REC_TEXT_MAX - 1] = '\0';
	return 0;
}
