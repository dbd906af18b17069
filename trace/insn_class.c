// SPDX-License-Identifier: GPL-2.0-only
/*
 * Instruction words to class-table rows; see insn_class.h for the two
 * rules (byte order, first matching row).
 */
#include "insn_class.h"

int pvx_insn_classify(uint32_t word)
{
	int i;

	for (i = 0; i < PVX_CLASS_COUNT; i++)
		if ((word & pvx_classes[i].mask) == pvx_classes[i].match)
			return i;
	return PVX_INSN_OTHER;
}

uint32_t pvx_insn_from_exit(uint64_t last_inst, uint64_t guest_msr, bool host_big_endian)
{
	return pvx_exit_word((uint32_t)last_inst, !!(guest_msr & PVX_MSR_LE), !host_big_endian);
}

bool pvx_insn_exit_has_word(uint32_t vector)
{
	return vector == PVX_VECTOR_PROGRAM;
}

const char *pvx_insn_class_name(int cls)
{
	if (cls >= 0 && cls < PVX_CLASS_COUNT)
		return pvx_classes[cls].name;
	return cls == PVX_INSN_OTHER ? "other" : "-";
}
