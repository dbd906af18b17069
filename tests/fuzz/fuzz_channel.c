// SPDX-License-Identifier: GPL-2.0-only
/*
 * The channel decoder (launcher/channel_decode.c): the guest writes its
 * records into its own RAM, and a guest is not to be trusted.
 *
 * Input: one byte of flags (bit 0: a big-endian guest), one byte that
 * places the record, then the guest's RAM.  The address may point past
 * the RAM's end, which the decoder must refuse.
 */
#include <stdbool.h>

#include "channel_decode.h"
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_mute_stderr(argc, argv);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvx_record rec;
	char err[256];
	uint64_t addr;
	bool be;

	if (size < 2)
		return 0;
	be = data[0] & 1;
	/* bit 1 picks an address near the top of the address space, to
	 * reach the decoder's overflow checks */
	addr = data[0] & 2 ? UINT64_MAX - data[1] : data[1];
	pvx_record_fetch(data + 2, size - 2, addr, be, &rec, err, sizeof(err));
	return 0;
}
