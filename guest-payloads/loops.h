/* The payload loops of loops.S, one set per class of classes.def. */
#ifndef PVEXIT_LOOPS_H
#define PVEXIT_LOOPS_H

/* Instructions per loop iteration: enough that the loop's own bdnz is
 * a small share of even a one-cycle patched access. */
#define PVX_UNROLL 32

#ifndef __ASSEMBLER__
#include <stdint.h>

#include <pvexit/classes.h>

typedef uint64_t (*pvx_loop_fn)(uint64_t blocks, uint64_t in);

#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature) \
	uint64_t pvx_loop_raw_##id(uint64_t, uint64_t);                                 \
	uint64_t pvx_loop_pv_##id(uint64_t, uint64_t);                                  \
	uint64_t pvx_loop_base_##id(uint64_t, uint64_t);
#include <pvexit/classes.def>
#undef PVX_CLASS
#endif

#endif
