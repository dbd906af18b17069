/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Names of the numbers every layer prints or reads back: exit vectors
 * and payload variants.  The tables themselves are in include/pvexit.
 */
#ifndef PVEXIT_NAMES_H
#define PVEXIT_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* The name of a Book3S interrupt vector / KVM PR exit number, or NULL. */
const char *pvx_vector_name(uint64_t vector);
/* The name of BookE interrupt (IVOR and KVM BookE exit) @vector, or NULL. */
const char *pvx_booke_vector_name(uint64_t vector);

/* Its name, or "0x..." in @buf for a number without one. */
const char *pvx_vector_label(uint64_t vector, char *buf, size_t len);

/* "raw", "patched" ...: the name of a variant, or "unknown". */
const char *pvx_variant_name(uint64_t variant);

#endif
