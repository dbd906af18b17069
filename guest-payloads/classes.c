// SPDX-License-Identifier: GPL-2.0-only
/*
 * The class and case tables, compiled once: guest and host code that
 * walks them at run time reads these arrays rather than expanding the
 * .def files again.
 */
#include <pvexit/cases.h>
#include <pvexit/classes.h>

const struct pvx_class_info pvx_classes[PVX_CLASS_COUNT] = {
#define PVX_CLASS(id, name, syntax, match, mask, kind, field, width, families, feature, bench, \
		  quiet)                                                                       \
	[PVX_CLASS_##id] = { name,  syntax,   match,   mask,  kind, field,                     \
			     width, families, feature, bench, quiet },
#include <pvexit/classes.def>
#undef PVX_CLASS
};

const struct pvx_case_info pvx_cases[PVX_CASE_COUNT] = {
#define PVX_CASE(id, kind, name, setup, raw, patched, irq) \
	[PVX_CASE_##id] = { kind, name, setup, raw, patched, irq },
#include <pvexit/cases.def>
#undef PVX_CASE
};
