// SPDX-License-Identifier: GPL-2.0-only
#include "phase_exits.h"

static void add_vector(struct pvx_phase_exits *p, uint32_t vector, uint64_t n)
{
	unsigned int i;

	for (i = 0; i < p->nvectors; i++)
		if (p->vector[i] == vector)
			break;
	if (i == p->nvectors) {
		if (p->nvectors == PVX_MAX_VECTORS)
			i = PVX_MAX_VECTORS - 1; /* folded into the last, never lost */
		else
			p->vector[p->nvectors++] = vector;
	}
	p->by_vector[i] += n;
}

static unsigned int class_slot(int cls)
{
	return cls >= 0 && cls < PVX_CLASS_COUNT ? (unsigned int)cls : PVX_CLASS_COUNT;
}

void pvx_phase_exits_exit(struct pvx_phase_exits *p, uint32_t vector, int cls, uint64_t n)
{
	p->exits += n;
	add_vector(p, vector, n);
	if (vector == PVX_VECTOR_PROGRAM) {
		p->emul_by_class[class_slot(cls)] += n;
		p->emul += n;
	}
}

void pvx_phase_exits_instr(struct pvx_phase_exits *p, int cls, uint64_t n)
{
	p->instr_by_class[class_slot(cls)] += n;
	p->instr += n;
}

void pvx_phase_exits_add(struct pvx_phase_exits *sum, const struct pvx_phase_exits *b)
{
	unsigned int i;

	sum->exits += b->exits;
	sum->emul += b->emul;
	sum->instr += b->instr;
	sum->reenter += b->reenter;
	sum->counts_only |= b->counts_only;
	for (i = 0; i <= PVX_CLASS_COUNT; i++) {
		sum->emul_by_class[i] += b->emul_by_class[i];
		sum->instr_by_class[i] += b->instr_by_class[i];
	}
	for (i = 0; i < PVX_HIST_SLOTS; i++)
		sum->hist[i] += b->hist[i];
	for (i = 0; i < b->nvectors; i++)
		add_vector(sum, b->vector[i], b->by_vector[i]);
}
