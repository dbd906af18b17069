// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdio.h>

#include <bpf/libbpf.h>

#include "bpf_error.h"
#include "util.h"

void pvx_bpf_error(const char *what, int err, char *why, size_t len)
{
	char msg[160];

	if (err < 0)
		err = -err;
	if (err == EPERM || err == EACCES) {
		pvx_set_err(why, len,
			    "%s: no privilege (run as root, or with CAP_BPF and CAP_PERFMON)",
			    what);
		return;
	}
	if (err == ESRCH) {
		/* libbpf's word for a BTF type it did not find. */
		pvx_set_err(
			why, len,
			"%s: the kernel's BTF has no tracepoint kvm_exit, kvm_ppc_instr or kvm_book3s_reenter: is kvm-pr loaded?",
			what);
		return;
	}
	libbpf_strerror(err, msg, sizeof(msg));
	pvx_set_err(why, len, "%s: %s", what, msg);
}
