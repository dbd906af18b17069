// SPDX-License-Identifier: GPL-2.0-only
/*
 * The names of exit vectors, per family: Book3S vectors are addresses
 * (0x700 PROGRAM), BookE ones IVOR numbers (6 PROGRAM), and the same
 * number means something else in each; a number with no name has none.
 */
#include <string.h>

#include "names.h"
#include "unit.h"

static int same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

int main(void)
{
	char buf[32];

	CHECK("Book3S 0x700 is PROGRAM", same(pvx_vector_name(0x700), "PROGRAM"));
	CHECK("Book3S 0x900 is DECREMENTER", same(pvx_vector_name(0x900), "DECREMENTER"));
	CHECK("Book3S 6 has no name", pvx_vector_name(6) == NULL);
	CHECK("BookE 6 is PROGRAM", same(pvx_booke_vector_name(6), "PROGRAM"));
	CHECK("BookE 10 is DECREMENTER", same(pvx_booke_vector_name(10), "DECREMENTER"));
	CHECK("BookE 13 is DTLB_MISS", same(pvx_booke_vector_name(13), "DTLB_MISS"));
	CHECK("BookE 35 is the last IVOR", same(pvx_booke_vector_name(35), "PERFORMANCE_MONITOR"));
	CHECK("BookE 16 (between IVOR15 and IVOR32) has no name",
	      pvx_booke_vector_name(16) == NULL);
	CHECK("BookE 0x700 has no name", pvx_booke_vector_name(0x700) == NULL);
	CHECK("a label is the name when there is one",
	      same(pvx_vector_label(0x300, buf, sizeof(buf)), "DATA_STORAGE"));
	CHECK("a label is the number in hex otherwise",
	      same(pvx_vector_label(0x1234, buf, sizeof(buf)), "0x1234"));
	return unit_done();
}
