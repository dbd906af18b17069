/* SPDX-License-Identifier: GPL-2.0-only */
/* What a libbpf failure on the exit tracepoints means, in one line. */
#ifndef PVEXIT_BPF_ERROR_H
#define PVEXIT_BPF_ERROR_H

#include <stddef.h>

/* @what failed with libbpf error @err (either sign): the reason, into
 * @why, naming privilege or missing BTF when that is the cause. */
void pvx_bpf_error(const char *what, int err, char *why, size_t len);

#endif
