// SPDX-License-Identifier: GPL-2.0-only
/*
 * init of the e500v2 spike (issue 14): PID 1 of a 32-bit BookE kernel
 * booted by lab/e500/spike under qemu-system-ppc -M ppce500 -cpu e500v2.
 *
 * It mounts the pseudo file systems, opens /dev/kvm, creates a VM and a
 * vCPU, sets the BookE special registers (IVPR, IVORs, MAS1) with
 * KVM_SET_SREGS, loads /guest.bin (lab/e500/guest.S) at guest-physical 0
 * and runs it.  The guest ends each of its three phases with an MMIO
 * store; at each one this program takes a snapshot of the vCPU's binary
 * stats.  The kvm_booke:kvm_exit and kvm:kvm_ppc_instr tracepoints are
 * enabled for the run, and the trace is read back and split into the same
 * phases, so the two counts can be compared phase by phase.
 *
 * Output lines start with "pvexit-e500: "; the last one is
 * "pvexit-e500: end status=N" (0: every step worked and the counts
 * agree).  Environment (from the kernel command line): PVEXIT_N, the
 * iterations per phase (default 10000); PVEXIT_RUN_TIMEOUT, the seconds
 * the guest may run before the run is stopped and diagnosed (default 120);
 * PVEXIT_NO_DIRTY_TLB, if set, skips KVM_DIRTY_TLB to show why it is needed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#define GUEST_MEM (16u << 20)
#define GUEST_IVPR 0x10000u
#define MMIO_BASE 0x08000000u
#define MAS1_TEST 0x40ab0200u /* what SET_SREGS puts in MAS1; the guest reads it back */
#define NPHASE 3
#define MAXSTAT 64
#define NEXITNAME 42

static const char *const phase_name[NPHASE] = {
	"wrteei 1; wrteei 0",
	"mfspr rT,MAS1",
	"bare loop (baseline)",
};
/* Traps each phase's loop body should cost. */
static const unsigned phase_traps[NPHASE] = { 2, 1, 0 };

static int status;
static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("pvexit-e500: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static void finish(void)
{
	say("end status=%d", status);
	sync();
	sleep(1);
	/* QEMU's ppce500 resets through the GUTS RSTCR; -no-reboot ends it. */
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}

/* Report a failed step with its errno text and stop. */
static void fail(const char *step)
{
	say("error: %s: %s", step, strerror(errno));
	status = 1;
	finish();
}

static void failx(const char *fmt, ...)
{
	va_list ap;

	fputs("pvexit-e500: error: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	status = 1;
	finish();
}

static void mount_one(const char *src, const char *dir, const char *type)
{
	mkdir(dir, 0755);
	if (mount(src, dir, type, 0, NULL) && errno != EBUSY)
		say("warning: mount %s on %s: %s", type, dir, strerror(errno));
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static unsigned long env_ulong(const char *name, unsigned long def, unsigned long max)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < 1 || v > max)
		failx("%s=%s: wants a whole number from 1 to %lu", name, s, max);
	return v;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --- vCPU binary stats ------------------------------------------------- */

struct stats {
	int fd;
	unsigned n;
	char name[MAXSTAT][64];
	uint32_t offset[MAXSTAT];
	uint64_t val[NPHASE + 1][MAXSTAT];
	off_t data_offset;
};

static void stats_open(struct stats *st, int vcpufd)
{
	struct kvm_stats_header h;
	size_t dsz;
	char *buf;
	unsigned i;

	st->fd = ioctl(vcpufd, KVM_GET_STATS_FD, NULL);
	if (st->fd < 0)
		fail("KVM_GET_STATS_FD");
	if (pread(st->fd, &h, sizeof(h), 0) != sizeof(h))
		fail("read the stats header");
	dsz = sizeof(struct kvm_stats_desc) + h.name_size;
	buf = malloc(dsz * h.num_desc);
	if (!buf)
		fail("malloc");
	if (pread(st->fd, buf, dsz * h.num_desc, h.desc_offset) != (ssize_t)(dsz * h.num_desc))
		fail("read the stats descriptors");
	st->n = 0;
	for (i = 0; i < h.num_desc && st->n < MAXSTAT; i++) {
		struct kvm_stats_desc *d = (struct kvm_stats_desc *)(buf + i * dsz);

		/* Only plain counters; histograms have size > 1. */
		if (d->size != 1)
			continue;
		snprintf(st->name[st->n], sizeof(st->name[0]), "%.*s", (int)h.name_size, d->name);
		st->offset[st->n] = d->offset;
		st->n++;
	}
	st->data_offset = h.data_offset;
	free(buf);
	say("stats: %u vCPU counters from KVM_GET_STATS_FD", st->n);
}

static void stats_snap(struct stats *st, unsigned slot)
{
	unsigned i;

	for (i = 0; i < st->n; i++)
		if (pread(st->fd, &st->val[slot][i], 8, st->data_offset + st->offset[i]) != 8)
			fail("read a stat");
}

/* Every exit counter BookE moves: the names ending in _exits but sum_exits
 * (which only Book3S increments). */
static int is_exit_counter(const char *name)
{
	size_t n = strlen(name);

	return n > 6 && !strcmp(name + n - 6, "_exits") && strcmp(name, "sum_exits");
}

/* --- tracefs ------------------------------------------------------------- */

#define TRACEFS "/sys/kernel/tracing"

static int trace_ppc_instr;

static void trace_start(void)
{
	if (write_file(TRACEFS "/tracing_on", "0"))
		fail("write " TRACEFS "/tracing_on");
	/* Keep the first events if the buffer fills; the counts then fail. */
	if (write_file(TRACEFS "/options/overwrite", "0"))
		fail("write " TRACEFS "/options/overwrite");
	if (write_file(TRACEFS "/buffer_size_kb", "16384"))
		fail("write " TRACEFS "/buffer_size_kb");
	if (write_file(TRACEFS "/trace", ""))
		fail("clear " TRACEFS "/trace");
	if (write_file(TRACEFS "/events/kvm_booke/kvm_exit/enable", "1"))
		fail("enable kvm_booke:kvm_exit");
	trace_ppc_instr = !write_file(TRACEFS "/events/kvm/kvm_ppc_instr/enable", "1");
	if (!trace_ppc_instr)
		say("warning: kvm:kvm_ppc_instr: %s", strerror(errno));
	if (write_file(TRACEFS "/tracing_on", "1"))
		fail("write " TRACEFS "/tracing_on");
}

struct tally {
	unsigned long exits[NPHASE];
	unsigned long by_nr[NPHASE][NEXITNAME];
	unsigned long other[NPHASE];
	unsigned long instr[NPHASE];
	unsigned long after;
	unsigned long entries, overrun, dropped;
};

static const char *const exit_name[NEXITNAME] = {
	[0] = "CRITICAL",      [1] = "MACHINE_CHECK",
	[2] = "DATA_STORAGE",  [3] = "INST_STORAGE",
	[4] = "EXTERNAL",      [5] = "ALIGNMENT",
	[6] = "PROGRAM",       [7] = "FP_UNAVAIL",
	[8] = "SYSCALL",       [9] = "AP_UNAVAIL",
	[10] = "DECREMENTER",  [11] = "FIT",
	[12] = "WATCHDOG",     [13] = "DTLB_MISS",
	[14] = "ITLB_MISS",    [15] = "DEBUG",
	[32] = "SPE_UNAVAIL",  [33] = "SPE_FP_DATA",
	[34] = "SPE_FP_ROUND", [35] = "PERFORMANCE_MONITOR",
	[36] = "DOORBELL",     [37] = "DOORBELL_CRITICAL",
	[38] = "GUEST_DBELL",  [39] = "GUEST_DBELL_CRIT",
	[40] = "HV_SYSCALL",   [41] = "HV_PRIV",
};

/*
 * Walk the trace in order.  A DTLB_MISS exit whose dar is a marker
 * address ends the current phase (with the kvm_ppc_instr event of the
 * marker's store, which follows it), as the marker's MMIO exit ends it
 * in the stats.
 */
static void trace_read(struct tally *t)
{
	FILE *f;
	char line[512];
	unsigned phase = 0, marker = 0;

	memset(t, 0, sizeof(*t));
	write_file(TRACEFS "/tracing_on", "0");
	f = fopen(TRACEFS "/per_cpu/cpu0/stats", "r");
	if (!f)
		fail("open " TRACEFS "/per_cpu/cpu0/stats");
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "entries: %lu", &t->entries);
		sscanf(line, "overrun: %lu", &t->overrun);
		sscanf(line, "dropped events: %lu", &t->dropped);
	}
	fclose(f);
	f = fopen(TRACEFS "/trace", "r");
	if (!f)
		fail("open " TRACEFS "/trace");
	while (fgets(line, sizeof(line), f)) {
		char *p;

		if (line[0] == '#')
			continue;
		if (strstr(line, " kvm_ppc_instr: ")) {
			/* The marker store's own kvm_ppc_instr follows its exit. */
			if (phase < NPHASE)
				t->instr[phase]++;
			if (marker) {
				phase++;
				marker = 0;
			}
			continue;
		}
		if (marker && strstr(line, " kvm_exit: ")) {
			phase++;
			marker = 0;
		}
		p = strstr(line, " kvm_exit: exit=");
		if (!p)
			continue;
		if (phase >= NPHASE) {
			t->after++;
			continue;
		}
		p += strlen(" kvm_exit: exit=");
		t->exits[phase]++;
		{
			size_t len = strcspn(p, " ");
			unsigned i, found = 0;

			for (i = 0; i < NEXITNAME; i++)
				if (exit_name[i] && strlen(exit_name[i]) == len &&
				    !strncmp(p, exit_name[i], len)) {
					t->by_nr[phase][i]++;
					found = 1;
					break;
				}
			if (!found)
				t->other[phase]++;
		}
		if (!strncmp(p, "DTLB_MISS ", 10)) {
			char *d = strstr(p, "dar=0x");
			unsigned long dar = d ? strtoul(d + 6, NULL, 16) : 0;

			if (dar >= MMIO_BASE && dar < MMIO_BASE + 0x10)
				marker = 1;
		}
	}
	fclose(f);
	write_file(TRACEFS "/events/kvm_booke/kvm_exit/enable", "0");
	if (trace_ppc_instr)
		write_file(TRACEFS "/events/kvm/kvm_ppc_instr/enable", "0");
}

/* --- the VM ------------------------------------------------------------- */

static void *load_guest(size_t *len)
{
	void *mem;
	int fd;
	ssize_t n;

	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		fail("mmap guest memory");
	fd = open("/guest.bin", O_RDONLY);
	if (fd < 0)
		fail("open /guest.bin");
	n = read(fd, mem, GUEST_MEM);
	if (n <= 0)
		fail("read /guest.bin");
	close(fd);
	*len = (size_t)n;
	return mem;
}

static void set_booke_sregs(int vcpufd)
{
	struct kvm_sregs s;
	unsigned i;

	memset(&s, 0, sizeof(s));
	if (ioctl(vcpufd, KVM_GET_SREGS, &s))
		fail("KVM_GET_SREGS");
	say("KVM_GET_SREGS: pvr 0x%08x features 0x%x impl_id %u svr 0x%08x pir %u ivpr 0x%llx mas1 0x%08x",
	    s.pvr, s.u.e.features, s.u.e.impl_id, s.u.e.impl.fsl.svr, s.u.e.pir,
	    (unsigned long long)s.u.e.ivpr, s.u.e.mas1);
	s.u.e.ivpr = GUEST_IVPR;
	for (i = 0; i < 16; i++)
		s.u.e.ivor_low[i] = 16 * i;
	for (i = 0; i < 18; i++)
		s.u.e.ivor_high[i] = 0x100 + 16 * i;
	s.u.e.mas1 = MAS1_TEST;
	s.u.e.update_special = 0;
	if (ioctl(vcpufd, KVM_SET_SREGS, &s))
		fail("KVM_SET_SREGS");
	memset(&s, 0, sizeof(s));
	if (ioctl(vcpufd, KVM_GET_SREGS, &s))
		fail("KVM_GET_SREGS after KVM_SET_SREGS");
	if (s.u.e.ivpr != GUEST_IVPR || s.u.e.ivor_low[6] != 0x60 || s.u.e.mas1 != MAS1_TEST)
		failx("KVM_SET_SREGS did not stick: ivpr 0x%llx ivor6 0x%x mas1 0x%08x",
		      (unsigned long long)s.u.e.ivpr, s.u.e.ivor_low[6], s.u.e.mas1);
	say("KVM_SET_SREGS: ivpr 0x%x, IVORs, mas1 0x%08x: ok", GUEST_IVPR, MAS1_TEST);
}

/*
 * KVM puts a 256 MiB guest TLB1 entry at 0 when it sets the vCPU up, but
 * only after it computed the TLB1 address range it searches (empty then),
 * so every guest fetch misses until the range is recomputed.
 * KVM_DIRTY_TLB recomputes it (e500_mmu.c, kvm_vcpu_ioctl_dirty_tlb).
 */
static void sync_guest_tlb(int vcpufd)
{
	struct kvm_dirty_tlb dirty;

	memset(&dirty, 0, sizeof(dirty));
	if (ioctl(vcpufd, KVM_DIRTY_TLB, &dirty))
		fail("KVM_DIRTY_TLB");
	say("KVM_DIRTY_TLB: ok (the initial guest TLB1 entry is now searched)");
}

static void show_fault(int vcpufd, uint32_t vec)
{
	struct kvm_regs r;

	if (ioctl(vcpufd, KVM_GET_REGS, &r))
		fail("KVM_GET_REGS");
	failx("the guest took interrupt IVOR%u: srr0 0x%llx srr1 0x%llx esr 0x%llx dear 0x%llx",
	      vec, (unsigned long long)r.gpr[8], (unsigned long long)r.gpr[9],
	      (unsigned long long)r.gpr[10], (unsigned long long)r.gpr[11]);
}

/* The guest did not finish in time: say where it is and what it exits on. */
static void show_stuck(int vcpufd, struct stats *st, unsigned phase)
{
	struct kvm_regs r;
	FILE *f;
	char line[512];
	unsigned i, shown = 0;

	if (!ioctl(vcpufd, KVM_GET_REGS, &r))
		say("stuck in phase %u: pc 0x%llx msr 0x%llx r5 %llu", phase + 1,
		    (unsigned long long)r.pc, (unsigned long long)r.msr,
		    (unsigned long long)r.gpr[5]);
	stats_snap(st, NPHASE);
	for (i = 0; i < st->n; i++)
		if (st->val[NPHASE][i] != st->val[phase][i])
			say("  stats: %s +%llu", st->name[i],
			    (unsigned long long)(st->val[NPHASE][i] - st->val[phase][i]));
	write_file(TRACEFS "/tracing_on", "0");
	f = fopen(TRACEFS "/trace", "r");
	while (f && fgets(line, sizeof(line), f) && shown < 40) {
		if (line[0] == '#')
			continue;
		fputs("pvexit-e500:   trace:", stdout);
		fputs(line, stdout);
		shown++;
	}
	if (f)
		fclose(f);
}

static void print_pvinfo(int vmfd)
{
	struct kvm_ppc_pvinfo pv;

	memset(&pv, 0, sizeof(pv));
	if (ioctl(vmfd, KVM_PPC_GET_PVINFO, &pv)) {
		say("KVM_PPC_GET_PVINFO: %s", strerror(errno));
		return;
	}
	say("KVM_PPC_GET_PVINFO: flags 0x%x hcall 0x%08x 0x%08x 0x%08x 0x%08x", pv.flags,
	    pv.hcall[0], pv.hcall[1], pv.hcall[2], pv.hcall[3]);
}

int main(void)
{
	int kvm, vmfd, vcpufd, ver;
	long mmap_size;
	struct kvm_run *run;
	struct kvm_userspace_memory_region region;
	struct kvm_regs regs;
	struct stats *st;
	struct tally *t;
	void *mem;
	size_t glen;
	unsigned long n;
	unsigned phase = 0, i, p, exits_run = 0;
	uint32_t mas1_read = 0;
	double t0, tphase[NPHASE + 1];
	unsigned long run_timeout;
	struct sigaction sa;
	int fd;

	mount_one("devtmpfs", "/dev", "devtmpfs");
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_one("proc", "/proc", "proc");
	mount_one("sysfs", "/sys", "sysfs");
	mount_one("debugfs", "/sys/kernel/debug", "debugfs");
	mount_one("tracefs", TRACEFS, "tracefs");
	say("start: init running, pid %d", (int)getpid());

	n = env_ulong("PVEXIT_N", 10000, 10000000);
	run_timeout = env_ulong("PVEXIT_RUN_TIMEOUT", 120, 86400);

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		fail("open /dev/kvm");
	say("/dev/kvm: present");
	ver = ioctl(kvm, KVM_GET_API_VERSION, 0);
	say("KVM_GET_API_VERSION: %d; caps: BOOKE_SREGS %d GET_PVINFO %d SW_TLB %d BINARY_STATS_FD %d ONE_REG %d MAX_VCPUS %d",
	    ver, ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_PPC_BOOKE_SREGS),
	    ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_PPC_GET_PVINFO),
	    ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SW_TLB),
	    ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD),
	    ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_ONE_REG),
	    ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS));
	vmfd = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vmfd < 0)
		fail("KVM_CREATE_VM");
	say("KVM_CREATE_VM: ok (fd %d)", vmfd);
	print_pvinfo(vmfd);

	mem = load_guest(&glen);
	memset(&region, 0, sizeof(region));
	region.slot = 0;
	region.guest_phys_addr = 0;
	region.memory_size = GUEST_MEM;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vmfd, KVM_SET_USER_MEMORY_REGION, &region))
		fail("KVM_SET_USER_MEMORY_REGION");
	say("guest: %zu bytes of lab/e500/guest.S at guest-physical 0, %u MiB RAM", glen,
	    GUEST_MEM >> 20);

	vcpufd = ioctl(vmfd, KVM_CREATE_VCPU, 0);
	if (vcpufd < 0)
		fail("KVM_CREATE_VCPU");
	mmap_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (mmap_size <= 0)
		fail("KVM_GET_VCPU_MMAP_SIZE");
	run = mmap(NULL, mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpufd, 0);
	if (run == MAP_FAILED)
		fail("mmap kvm_run");
	say("KVM_CREATE_VCPU: ok");
	set_booke_sregs(vcpufd);
	if (!getenv("PVEXIT_NO_DIRTY_TLB"))
		sync_guest_tlb(vcpufd);

	if (ioctl(vcpufd, KVM_GET_REGS, &regs))
		fail("KVM_GET_REGS");
	say("KVM_GET_REGS: pc 0x%llx msr 0x%llx r1 0x%llx", (unsigned long long)regs.pc,
	    (unsigned long long)regs.msr, (unsigned long long)regs.gpr[1]);
	regs.pc = 0;
	regs.msr = 0;
	regs.gpr[3] = n;
	if (ioctl(vcpufd, KVM_SET_REGS, &regs))
		fail("KVM_SET_REGS");

	st = calloc(1, sizeof(*st));
	t = calloc(1, sizeof(*t));
	if (!st || !t)
		fail("calloc");
	stats_open(st, vcpufd);
	trace_start();

	say("run: %lu iterations per phase", n);
	/* A signal makes KVM_RUN return EINTR: the guest's time limit. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	stats_snap(st, 0);
	alarm(run_timeout);
	t0 = now_s();
	tphase[0] = t0;
	while (phase < NPHASE) {
		if (ioctl(vcpufd, KVM_RUN, 0)) {
			if (errno == EINTR && alarmed) {
				show_stuck(vcpufd, st, phase);
				failx("the guest did not finish within %lu s (PVEXIT_RUN_TIMEOUT)",
				      run_timeout);
			}
			if (errno == EINTR)
				continue;
			fail("KVM_RUN");
		}
		exits_run++;
		if (run->exit_reason != KVM_EXIT_MMIO) {
			failx("KVM_RUN: exit reason %u (hardware_exit_reason 0x%llx)",
			      run->exit_reason, (unsigned long long)run->hw.hardware_exit_reason);
		}
		{
			uint64_t a = run->mmio.phys_addr;
			const uint8_t *d = run->mmio.data;
			uint32_t v = (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
				     (uint32_t)d[2] << 8 | d[3];

			if (!run->mmio.is_write || run->mmio.len != 4)
				failx("unexpected MMIO %s of %u bytes at 0x%llx",
				      run->mmio.is_write ? "write" : "read", run->mmio.len,
				      (unsigned long long)a);
			if (a == MMIO_BASE + 16)
				show_fault(vcpufd, v);
			if (a != MMIO_BASE + 4 * phase)
				failx("MMIO write of 0x%x at 0x%llx in phase %u", v,
				      (unsigned long long)a, phase + 1);
			if (phase == 1)
				mas1_read = v;
		}
		phase++;
		stats_snap(st, phase);
		tphase[phase] = now_s();
	}
	alarm(0);
	say("guest ran: %u exits to user space (the %d markers), %.3f s", exits_run, NPHASE,
	    tphase[NPHASE] - t0);
	say("guest read MAS1 0x%08x (KVM_SET_SREGS put 0x%08x): %s", mas1_read, MAS1_TEST,
	    mas1_read == MAS1_TEST ? "ok" : "MISMATCH");
	if (mas1_read != MAS1_TEST)
		status = 1;
	trace_read(t);
	say("trace: per_cpu/cpu0 entries %lu overrun %lu dropped %lu%s", t->entries, t->overrun,
	    t->dropped, t->overrun || t->dropped ? " (events lost: the comparison is void)" : "");
	if (t->overrun || t->dropped)
		status = 1;

	for (p = 0; p < NPHASE; p++) {
		unsigned long sum = 0;
		char buf[1024];
		size_t off = 0;

		for (i = 0; i < st->n; i++) {
			uint64_t dv = st->val[p + 1][i] - st->val[p][i];

			if (!is_exit_counter(st->name[i]))
				continue;
			sum += dv;
			if (dv && off < sizeof(buf))
				off += snprintf(buf + off, sizeof(buf) - off, " %s=%llu",
						st->name[i], (unsigned long long)dv);
		}
		say("phase %u (%s, %lu iterations, %.3f s):", p + 1, phase_name[p], n,
		    tphase[p + 1] - tphase[p]);
		say("  stats: exits %lu:%s", sum, off ? buf : " none");
		off = 0;
		for (i = 0; i < NEXITNAME; i++)
			if (t->by_nr[p][i] && off < sizeof(buf))
				off += snprintf(buf + off, sizeof(buf) - off, " %s=%lu",
						exit_name[i], t->by_nr[p][i]);
		if (t->other[p] && off < sizeof(buf))
			off += snprintf(buf + off, sizeof(buf) - off, " other=%lu", t->other[p]);
		say("  trace: kvm_booke:kvm_exit %lu:%s; kvm:kvm_ppc_instr %lu", t->exits[p],
		    off ? buf : " none", t->instr[p]);
		say("  stats and trace %s", sum == t->exits[p] ? "agree" : "DISAGREE");
		if (sum != t->exits[p])
			status = 1;
		for (i = 0; i < st->n; i++) {
			uint64_t emu = st->val[p + 1][i] - st->val[p][i];

			if (strcmp(st->name[i], "emulated_inst_exits"))
				continue;
			say("  emulated_inst_exits %llu, PROGRAM exits %lu: %s %lu (%u per iteration)",
			    (unsigned long long)emu, t->by_nr[p][6],
			    emu == n * phase_traps[p] && t->by_nr[p][6] == n * phase_traps[p] ?
				    "as expected," :
				    "EXPECTED",
			    n * phase_traps[p], phase_traps[p]);
			if (emu != n * phase_traps[p] || t->by_nr[p][6] != n * phase_traps[p])
				status = 1;
		}
		for (i = 0; i < st->n; i++)
			if (!strcmp(st->name[i], "sum_exits"))
				say("  stats: sum_exits %llu (BookE never increments it)",
				    (unsigned long long)(st->val[p + 1][i] - st->val[p][i]));
	}
	if (t->after)
		say("trace: %lu kvm_exit events after the last marker", t->after);

	/* debugfs: the same counters, summed over the VM's vCPUs. */
	{
		DIR *dir = opendir("/sys/kernel/debug/kvm");
		struct dirent *de;

		while (dir && (de = readdir(dir))) {
			char path[300];
			FILE *f;
			unsigned long long v;

			if (!strchr(de->d_name, '-'))
				continue;
			snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%s/emulated_inst_exits",
				 de->d_name);
			f = fopen(path, "r");
			if (f && fscanf(f, "%llu", &v) == 1)
				say("debugfs: kvm/%s/emulated_inst_exits %llu (whole run)",
				    de->d_name, v);
			if (f)
				fclose(f);
		}
		if (dir)
			closedir(dir);
	}
	finish();
	return 0;
}
