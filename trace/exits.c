/*
 * User side of the BPF exit collector (exits.bpf.c): open, load and
 * attach the skeleton, say precisely why when that cannot be done, and
 * turn the kernel-side maps into per-phase counts.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/types.h>

#include "exit_collector.h"
#include "exits.h"
#include "exits.skel.h"

struct pvx_exit_collector {
	struct exits_bpf *skel;
};

static bool verbose_libbpf;

static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	/* Unless asked, we say what failed ourselves, in one line. */
	if (!verbose_libbpf)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

static const char *const tracepoints[] = {
	"kvm_pr/kvm_exit",
	"kvm/kvm_ppc_instr",
	"kvm_pr/kvm_book3s_reenter",
};

/* The first tracefs mount that has an events directory. */
static const char *tracefs(void)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	return NULL;
}

/* Name what is missing before libbpf fails on it less clearly. */
static bool prerequisites(char *why, size_t len)
{
	const char *tfs = tracefs();
	char path[256];
	size_t i;

	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(
			why, len,
			"no kernel BTF (/sys/kernel/btf/vmlinux: %s): CO-RE needs CONFIG_DEBUG_INFO_BTF",
			strerror(errno));
		return false;
	}
	if (!tfs) {
		snprintf(why, len, "no tracefs mounted (/sys/kernel/tracing)");
		return false;
	}
	for (i = 0; i < sizeof(tracepoints) / sizeof(tracepoints[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/%s", tfs, tracepoints[i]);
		if (access(path, F_OK)) {
			snprintf(why, len, "no tracepoint %s (%s): is kvm-pr loaded?",
				 tracepoints[i], path);
			return false;
		}
	}
	return true;
}

static void say_error(const char *what, int err, char *why, size_t len)
{
	char msg[160];

	if (err < 0)
		err = -err;
	if (err == EPERM || err == EACCES) {
		snprintf(why, len,
			 "%s: no privilege (run as root, or with CAP_BPF and CAP_PERFMON)", what);
		return;
	}
	libbpf_strerror(err, msg, sizeof(msg));
	snprintf(why, len, "%s: %s", what, msg);
}

struct pvx_exit_collector *pvx_exits_open(bool verbose, char *why, size_t len)
{
	struct pvx_exit_collector *c;
	int err;

	if (!prerequisites(why, len))
		return NULL;
	verbose_libbpf = verbose;
	libbpf_set_print(print_libbpf);
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	c->skel = exits_bpf__open();
	if (!c->skel) {
		say_error("opening the BPF object", errno, why, len);
		free(c);
		return NULL;
	}
	c->skel->rodata->host_le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
	err = exits_bpf__load(c->skel);
	if (err) {
		say_error("loading the BPF programs", err, why, len);
		goto fail;
	}
	err = exits_bpf__attach(c->skel);
	if (err) {
		say_error(
			"attaching to kvm_pr/kvm_exit, kvm/kvm_ppc_instr, kvm_pr/kvm_book3s_reenter",
			err, why, len);
		goto fail;
	}
	return c;
fail:
	exits_bpf__destroy(c->skel);
	free(c);
	return NULL;
}

bool pvx_exits_jit_off(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	return c == '0';
}

int pvx_exits_set_phase(struct pvx_exit_collector *c, pid_t tid, int phase)
{
	__u32 key = (__u32)tid, val = phase < 0 ? PVX_PHASE_IDLE : (__u32)phase;

	return bpf_map__update_elem(c->skel->maps.vcpu_phase, &key, sizeof(key), &val, sizeof(val),
				    BPF_ANY);
}

static void add_count(struct pvx_phase_exits *p, const struct pvx_count_key *k, uint64_t n)
{
	switch (k->kind) {
	case PVX_EV_EXIT:
		pvx_phase_exits_exit(p, k->vector, (int)k->cls, n);
		break;
	case PVX_EV_INSTR:
		pvx_phase_exits_instr(p, (int)k->cls, n);
		break;
	case PVX_EV_REENTER:
		p->reenter += n;
		break;
	}
}

int pvx_exits_read(struct pvx_exit_collector *c, pid_t tid, struct pvx_phase_exits *out,
		   unsigned int nphases, uint64_t *dropped)
{
	int fd = bpf_map__fd(c->skel->maps.counts);
	struct pvx_count_key k, next, *prev = NULL;
	struct pvx_hist_key hk, hnext, *hprev = NULL;
	__u64 n;
	__u32 i;

	memset(out, 0, nphases * sizeof(*out));
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		k = next;
		prev = &k;
		if (k.tid != (__u32)tid || k.phase >= nphases)
			continue;
		if (bpf_map_lookup_elem(fd, &k, &n))
			return -1;
		add_count(&out[k.phase], &k, n);
	}
	fd = bpf_map__fd(c->skel->maps.hist);
	while (!bpf_map_get_next_key(fd, hprev, &hnext)) {
		hk = hnext;
		hprev = &hk;
		if (hk.tid != (__u32)tid || hk.phase >= nphases || hk.slot >= PVX_HIST_SLOTS)
			continue;
		if (bpf_map_lookup_elem(fd, &hk, &n))
			return -1;
		out[hk.phase].hist[hk.slot] += n;
	}
	*dropped = 0;
	fd = bpf_map__fd(c->skel->maps.dropped);
	for (i = 0; i < 2; i++) {
		if (bpf_map_lookup_elem(fd, &i, &n))
			return -1;
		*dropped += n;
	}
	return 0;
}

/* Delete every key of a hash map: keys first, since deleting while
 * walking can restart the walk. */
static int clear_hash(int fd, size_t key_size)
{
	unsigned char key[64], next[64];
	void *prev = NULL;

	if (key_size > sizeof(key))
		return -1;
	while (!bpf_map_get_next_key(fd, prev, next)) {
		memcpy(key, next, key_size);
		if (bpf_map_delete_elem(fd, key) && errno != ENOENT)
			return -1;
		prev = NULL;
	}
	return 0;
}

int pvx_exits_reset(struct pvx_exit_collector *c)
{
	__u64 zero = 0;
	__u32 i;
	int fd = bpf_map__fd(c->skel->maps.dropped);

	for (i = 0; i < 2; i++)
		if (bpf_map_update_elem(fd, &i, &zero, BPF_ANY))
			return -1;
	if (clear_hash(bpf_map__fd(c->skel->maps.counts), sizeof(struct pvx_count_key)) ||
	    clear_hash(bpf_map__fd(c->skel->maps.hist), sizeof(struct pvx_hist_key)) ||
	    clear_hash(bpf_map__fd(c->skel->maps.pending), sizeof(__u32)) ||
	    clear_hash(bpf_map__fd(c->skel->maps.vcpu_phase), sizeof(__u32)))
		return -1;
	return 0;
}

void pvx_exits_close(struct pvx_exit_collector *c)
{
	if (!c)
		return;
	exits_bpf__destroy(c->skel);
	free(c);
}
