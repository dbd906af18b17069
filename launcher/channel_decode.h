/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading the guest's report records (include/pvexit/channel.h) out of
 * guest RAM, in the guest's byte order, on any host.
 */
#ifndef PVEXIT_CHANNEL_DECODE_H
#define PVEXIT_CHANNEL_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvexit/channel.h>

/**
 * pvx_record_fetch() - decode the record at guest-physical @addr.
 * @ram: host mapping of guest RAM; @ram_size its size
 * @big_endian: the guest's byte order
 * @out: the decoded record, fields in host order
 * @err: one line on failure: the record lies outside RAM (overflow
 *       included), an unknown type, a wrong size, text without a NUL,
 *       a variant or check value out of range
 *
 * Context: any.  Return: 0, or -1 with @err set.
 */
int pvx_record_fetch(const void *ram, uint64_t ram_size, uint64_t addr, bool big_endian,
		     struct pvx_record *out, char *err, size_t errlen);

/* "phase-begin", "result" ...: the name of a record type. */
const char *pvx_record_type_name(uint32_t type);

#endif
