// SPDX-License-Identifier: GPL-2.0-only
/*
 * The launcher: a VM with one vCPU, built the way the KVM selftests
 * build theirs, straight on /dev/kvm.  On a Book3S host it is a KVM PR
 * VM; on an e500v2 host (KVM_E500V2, which says so by its BookE sregs
 * capability) a BookE VM for the e500 payload.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include <pvexit/classes.h>

#include "channel_decode.h"
#include "cpuinfo.h"
#include "elf_load.h"
#include "guest_dt.h"
#include "kvm_advice.h"
#include "kvm_stats.h"
#include "launch_internal.h"
#include "launcher.h"
#include "util.h"

#define PVX_LPCR_ILE 0x0000000002000000ULL
/* A 32-bit payload runs as a PowerPC 750 (G3): a Book3S-32 CPU with
 * segment registers, which KVM PR emulates with its 32-bit MMU (any PVR
 * outside 0x330000-0x7032ffff selects it). */
#define PVX_PVR_BOOK3S32 0x00083214u
#define PVX_MSR_SF 0x8000000000000000ULL
#define PVX_MSR_LE 0x1ULL

#if defined(__powerpc__)
typedef struct kvm_regs pvx_regs;
typedef struct kvm_sregs pvx_sregs;
typedef struct kvm_ppc_pvinfo pvx_pvinfo;
#define PVX_KVM_GET_REGS KVM_GET_REGS
#define PVX_KVM_SET_REGS KVM_SET_REGS
#define PVX_KVM_GET_SREGS KVM_GET_SREGS
#define PVX_KVM_SET_SREGS KVM_SET_SREGS
#define PVX_KVM_PPC_GET_PVINFO KVM_PPC_GET_PVINFO
#define PVX_KVM_REG_PPC_LPCR_64 KVM_REG_PPC_LPCR_64
#define PVX_KVM_REG_PPC_HIOR KVM_REG_PPC_HIOR
#else
/*
 * Not a PowerPC build: no KVM PR can exist here (kvm_pr_check() says
 * so), but the launcher still compiles so that the command is one
 * program everywhere.  These stand-ins have PowerPC's layouts; the ioctl
 * numbers are 0, which every driver refuses.
 */
typedef struct {
	uint64_t pc, cr, ctr, lr, xer, msr, srr0, srr1, pid;
	uint64_t sprg0, sprg1, sprg2, sprg3, sprg4, sprg5, sprg6, sprg7;
	uint64_t gpr[32];
} pvx_regs;
typedef struct {
	uint32_t pvr;
	uint8_t rest[1036];
} pvx_sregs;
typedef struct {
	uint32_t flags;
	uint32_t hcall[4];
	uint8_t pad[108];
} pvx_pvinfo;
#define PVX_KVM_GET_REGS 0
#define PVX_KVM_SET_REGS 0
#define PVX_KVM_GET_SREGS 0
#define PVX_KVM_SET_SREGS 0
#define PVX_KVM_PPC_GET_PVINFO 0
#define PVX_KVM_REG_PPC_LPCR_64 0
#define PVX_KVM_REG_PPC_HIOR 0
#endif

/* Where the report channel answers: far above any RAM the launcher gives. */
#define CHANNEL_GPA 0xf0000000ULL
#define DT_MAX 0x10000

static volatile sig_atomic_t watchdog_fired;

static void on_alarm(int sig)
{
	(void)sig;
	watchdog_fired = 1;
}

static const char *exit_reason_name(uint32_t reason)
{
	static const struct {
		uint32_t reason;
		const char *name;
	} names[] = {
		{ KVM_EXIT_UNKNOWN, "KVM_EXIT_UNKNOWN" },
		{ KVM_EXIT_EXCEPTION, "KVM_EXIT_EXCEPTION" },
		{ KVM_EXIT_IO, "KVM_EXIT_IO" },
		{ KVM_EXIT_HYPERCALL, "KVM_EXIT_HYPERCALL" },
		{ KVM_EXIT_DEBUG, "KVM_EXIT_DEBUG" },
		{ KVM_EXIT_HLT, "KVM_EXIT_HLT" },
		{ KVM_EXIT_MMIO, "KVM_EXIT_MMIO" },
		{ KVM_EXIT_SHUTDOWN, "KVM_EXIT_SHUTDOWN" },
		{ KVM_EXIT_FAIL_ENTRY, "KVM_EXIT_FAIL_ENTRY" },
		{ KVM_EXIT_INTR, "KVM_EXIT_INTR" },
		{ KVM_EXIT_DCR, "KVM_EXIT_DCR" },
		{ KVM_EXIT_INTERNAL_ERROR, "KVM_EXIT_INTERNAL_ERROR" },
		{ KVM_EXIT_OSI, "KVM_EXIT_OSI" },
		{ KVM_EXIT_PAPR_HCALL, "KVM_EXIT_PAPR_HCALL" },
		{ KVM_EXIT_EPR, "KVM_EXIT_EPR" },
		{ KVM_EXIT_WATCHDOG, "KVM_EXIT_WATCHDOG" },
		{ KVM_EXIT_SYSTEM_EVENT, "KVM_EXIT_SYSTEM_EVENT" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].reason == reason)
			return names[i].name;
	return "an unknown exit";
}

/* The host's timebase frequency, from /proc/cpuinfo ("timebase : N"):
 * what the guest's device tree must say, or its timebase means nothing.
 * Return: 0 if there is none or it does not fit the 32-bit property. */
static uint64_t host_timebase(void)
{
	char val[32];
	uint64_t hz;

	/* A value that fills the buffer may have been cut: no number then. */
	if (!pvx_cpuinfo("timebase", val, sizeof(val)) || strlen(val) == sizeof(val) - 1 ||
	    !pvx_parse_u64(val, 1, UINT32_MAX, &hz))
		return 0;
	return hz;
}

static void fail(struct launch_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void fail(struct launch_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->error[0])
		return;
	va_start(ap, fmt);
	pvx_vset_err(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
}

/* Where the guest stood: pc, msr and the instruction at pc. */
static void guest_where(struct launch_vm *vm, const struct launch_result *r, char *buf, size_t len)
{
	pvx_regs regs;
	char insn[32] = "unreadable";

	if (ioctl(vm->vcpu, PVX_KVM_GET_REGS, &regs) < 0) {
		snprintf(buf, len, "KVM_GET_REGS failed: %s", strerror(errno));
		return;
	}
	if (!(regs.pc & 3) && regs.pc + 4 <= vm->ram_size)
		snprintf(insn, sizeof(insn), "0x%08x",
			 pvx_load32((char *)vm->ram + regs.pc, r->big_endian));
	snprintf(buf, len, "pc 0x%llx, msr 0x%llx, instruction %s", (unsigned long long)regs.pc,
		 (unsigned long long)regs.msr, insn);
}

/*
 * KVM e500 writes its initial 256 MiB TLB1 entry when it creates the
 * vCPU, after it computed the range of addresses its TLB1 lookups
 * search (e500_mmu.c), which is still empty then: every guest access
 * would miss.  KVM_DIRTY_TLB recomputes that range; QEMU never meets
 * this, as it hands KVM its own TLB (KVM_CONFIG_TLB) first.
 */
static int setup_booke(struct launch_vm *vm, struct launch_result *r)
{
	struct kvm_dirty_tlb dirty;

	memset(&dirty, 0, sizeof(dirty));
	if (ioctl(vm->vcpu, KVM_DIRTY_TLB, &dirty) < 0)
		return fail(r, "KVM_DIRTY_TLB: %s", strerror(errno)), -1;
	return 0;
}

static int setup(struct launch_vm *vm, const struct launch_opts *o, struct launch_result *r)
{
	pvx_pvinfo pv;
	struct kvm_userspace_memory_region mem;
	struct guest_image img;
	struct guest_dt_params dp;
	pvx_regs regs;
	pvx_sregs sregs;
	struct kvm_one_reg one;
	uint64_t lpcr, hior, dt_addr;
	char err[400];
	int run_size, dt_size;
	bool booke;
	void *dt;

	vm->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vm->kvm < 0)
		return fail(r, "cannot open /dev/kvm: %s", strerror(errno)), -1;
	booke = ioctl(vm->kvm, KVM_CHECK_EXTENSION, KVM_CAP_PPC_BOOKE_SREGS) > 0;
	if (booke && !o->booke)
		return fail(r,
			    "%s: a Book3S payload, and this host's KVM is BookE (e500v2): run the e500 guest here",
			    o->payload),
		       -1;
	if (!booke && o->booke)
		return fail(r,
			    "%s: the e500 payload needs a BookE (e500v2) KVM host; this one is Book3S",
			    o->payload),
		       -1;
	if (booke && o->ram_size > LAUNCH_BOOKE_RAM_MAX)
		return fail(r,
			    "an e500 guest has at most %llu MiB of RAM (KVM's initial TLB1 entry), not %llu",
			    LAUNCH_BOOKE_RAM_MAX >> 20, (unsigned long long)(o->ram_size >> 20)),
		       -1;
	r->family = booke ? PVX_FAM_BOOKE : 0;
	/* BookE has one kind of VM; Book3S asks for PR, not HV. */
	vm->vm = ioctl(vm->kvm, KVM_CREATE_VM, booke ? 0 : PVX_KVM_VM_PPC_PR);
	if (vm->vm < 0 && booke)
		return fail(r, "KVM_CREATE_VM: %s", strerror(errno)), -1;
	if (vm->vm < 0)
		return fail(r, "KVM_CREATE_VM(KVM_VM_PPC_PR): %s (is kvm-pr loaded?)",
			    strerror(errno)),
		       -1;
	memset(&pv, 0, sizeof(pv));
	if (ioctl(vm->vm, PVX_KVM_PPC_GET_PVINFO, &pv) < 0)
		return fail(r, "KVM_PPC_GET_PVINFO: %s", strerror(errno)), -1;

	vm->ram_size = o->ram_size;
	vm->ram = mmap(NULL, vm->ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->ram == MAP_FAILED) {
		vm->ram = NULL;
		return fail(r, "cannot map %llu MiB of guest RAM: %s",
			    (unsigned long long)(vm->ram_size >> 20), strerror(errno)),
		       -1;
	}
	memset(&mem, 0, sizeof(mem));
	mem.memory_size = vm->ram_size;
	mem.userspace_addr = (uintptr_t)vm->ram;
	if (ioctl(vm->vm, KVM_SET_USER_MEMORY_REGION, &mem) < 0)
		return fail(r, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno)), -1;

	if (elf_load_file(o->payload, vm->ram, vm->ram_size, &img, err, sizeof(err)) < 0)
		return fail(r, "%s", err), -1;
	r->big_endian = img.big_endian;
	r->bits = img.bits;
	if (!booke)
		r->family = img.bits == 32 ? PVX_FAM_BOOK3S32 : PVX_FAM_BOOK3S64;
	if (booke && (img.bits != 32 || !img.big_endian))
		return fail(r, "%s: not a 32-bit big-endian payload, as an e500 guest must be",
			    o->payload),
		       -1;
	if (img.bits == 32 && !img.big_endian)
		return fail(r,
			    "%s: a little-endian 32-bit payload; Book3S-32 guests are big-endian",
			    o->payload),
		       -1;

	/* The device tree goes at the top of RAM, clear of the image. */
	dt_addr = vm->ram_size - DT_MAX;
	if (img.high > dt_addr)
		return fail(r,
			    "%s ends at 0x%llx: no room for the device tree below %llu MiB of RAM",
			    o->payload, (unsigned long long)img.high,
			    (unsigned long long)(vm->ram_size >> 20)),
		       -1;
	memset(&dp, 0, sizeof(dp));
	dp.ram_size = vm->ram_size;
	dp.timebase_hz = (uint32_t)host_timebase();
	if (!dp.timebase_hz)
		return fail(r, "cannot read the timebase frequency from /proc/cpuinfo"), -1;
	dp.channel = CHANNEL_GPA;
	dp.bootargs = o->bootargs ? o->bootargs : "";
	dp.hcall = pv.hcall;
	dp.n_hcall = 4;
	dt = (char *)vm->ram + dt_addr;
	dt_size = guest_dt_build(&dp, dt, DT_MAX, err, sizeof(err));
	if (dt_size < 0)
		return fail(r, "%s", err), -1;
	vm->channel = CHANNEL_GPA;

	vm->vcpu = ioctl(vm->vm, KVM_CREATE_VCPU, 0);
	if (vm->vcpu < 0)
		return fail(r, "KVM_CREATE_VCPU: %s", strerror(errno)), -1;
	run_size = ioctl(vm->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (run_size < (int)sizeof(struct kvm_run))
		return fail(r, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno)), -1;
	vm->run_size = (size_t)run_size;
	vm->run = mmap(NULL, vm->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu, 0);
	if (vm->run == MAP_FAILED) {
		vm->run = NULL;
		return fail(r, "cannot map kvm_run: %s", strerror(errno)), -1;
	}

	if (booke) {
		if (setup_booke(vm, r) < 0)
			return -1;
		goto regs;
	}

	/* KVM PR defaults to an interrupt prefix of 0xfff00000 (HIOR);
	 * the payload's vectors are at real address 0. */
	hior = 0;
	one.id = PVX_KVM_REG_PPC_HIOR;
	one.addr = (uintptr_t)&hior;
	if (ioctl(vm->vcpu, KVM_SET_ONE_REG, &one) < 0)
		return fail(r, "KVM_SET_ONE_REG(HIOR): %s", strerror(errno)), -1;

	/* Interrupts, and the magic page the host swaps to match, in the
	 * guest's byte order: LPCR[ILE] sets KVM PR's interrupt MSR[LE]. */
	lpcr = img.big_endian ? 0 : PVX_LPCR_ILE;
	one.id = PVX_KVM_REG_PPC_LPCR_64;
	one.addr = (uintptr_t)&lpcr;
	if (ioctl(vm->vcpu, KVM_SET_ONE_REG, &one) < 0)
		return fail(r, "KVM_SET_ONE_REG(LPCR): %s", strerror(errno)), -1;

	if (ioctl(vm->vcpu, PVX_KVM_GET_SREGS, &sregs) < 0)
		return fail(r, "KVM_GET_SREGS: %s", strerror(errno)), -1;
	if (img.bits == 32) {
		sregs.pvr = PVX_PVR_BOOK3S32;
		if (ioctl(vm->vcpu, PVX_KVM_SET_SREGS, &sregs) < 0)
			return fail(r, "KVM_SET_SREGS(pvr 0x%08x): %s", PVX_PVR_BOOK3S32,
				    strerror(errno)),
			       -1;
		/* Setting the PVR resets HIOR unless it was set explicitly:
		 * set it again after. */
		one.id = PVX_KVM_REG_PPC_HIOR;
		one.addr = (uintptr_t)&hior;
		if (ioctl(vm->vcpu, KVM_SET_ONE_REG, &one) < 0)
			return fail(r, "KVM_SET_ONE_REG(HIOR): %s", strerror(errno)), -1;
	}
regs:
	if (ioctl(vm->vcpu, PVX_KVM_GET_REGS, &regs) < 0)
		return fail(r, "KVM_GET_REGS: %s", strerror(errno)), -1;
	regs.pc = img.entry;
	/* 32-bit: SF clear, the CPU has no 64-bit mode at all.  BookE:
	 * supervisor, address space 0, interrupts off. */
	regs.msr = img.bits == 32 ? 0 : PVX_MSR_SF | (img.big_endian ? 0 : PVX_MSR_LE);
	memset(regs.gpr, 0, sizeof(regs.gpr));
	regs.gpr[3] = dt_addr;
	if (ioctl(vm->vcpu, PVX_KVM_SET_REGS, &regs) < 0)
		return fail(r, "KVM_SET_REGS: %s", strerror(errno)), -1;
	if (ioctl(vm->vcpu, PVX_KVM_GET_SREGS, &sregs) < 0)
		return fail(r, "KVM_GET_SREGS: %s", strerror(errno)), -1;
	r->pvr = sregs.pvr;

	if (kvm_stats_open_vcpu(vm->vcpu, &vm->stats, err, sizeof(err)) < 0)
		return fail(r, "%s", err), -1;
	return launch_stats_init(vm, r);
}

static void teardown(struct launch_vm *vm)
{
	kvm_stats_close(vm->stats);
	if (vm->run)
		munmap(vm->run, vm->run_size);
	if (vm->vcpu >= 0)
		close(vm->vcpu);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->vm >= 0)
		close(vm->vm);
	if (vm->kvm >= 0)
		close(vm->kvm);
	free(vm->snap_begin);
	free(vm->snap_now);
}

static int run_loop(struct launch_vm *vm, const struct launch_opts *o, struct launch_result *r)
{
	struct sigaction sa;
	struct itimerval it;
	unsigned int unemulated = 0;
	uint32_t unemulated_insn = 0;
	uint64_t unemulated_pc = 0;
	int status = -1;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART: KVM_RUN must return EINTR */
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = o->timeout_s;
	watchdog_fired = 0;
	setitimer(ITIMER_REAL, &it, NULL);

	r->setup_ns = pvx_now_ns() - vm->t_start;
	for (;;) {
		struct kvm_run *run = vm->run;

		if (ioctl(vm->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR && watchdog_fired) {
				char where[200];

				guest_where(vm, r, where, sizeof(where));
				fail(r,
				     "watchdog: the guest did not finish within %u s (%llu records; %s)",
				     o->timeout_s, (unsigned long long)r->records, where);
				break;
			}
			if (errno == EINTR && o->stop && *o->stop) {
				fail(r, "interrupted");
				break;
			}
			if (errno == EINTR)
				continue;
			fail(r, "KVM_RUN: %s", strerror(errno));
			break;
		}
		/* The doorbell is one store as wide as the guest's registers. */
		if (run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
		    run->mmio.len == r->bits / 8 &&
		    run->mmio.phys_addr == vm->channel + PVX_CHAN_DOORBELL) {
			uint64_t addr = r->bits == 32 ? pvx_load32(run->mmio.data, r->big_endian) :
							pvx_load64(run->mmio.data, r->big_endian);
			int st = launch_record(vm, r, addr, o->verbose);

			if (st < 0 && unemulated) {
				size_t n = strlen(r->error);

				snprintf(r->error + n, sizeof(r->error) - n,
					 " (KVM could not emulate instruction 0x%08x at 0x%llx)",
					 unemulated_insn, (unsigned long long)unemulated_pc);
			}
			if (st < 0)
				break;
			if (st > 0) {
				status = 0;
				break;
			}
			continue;
		}
		/*
		 * KVM BookE, failing to emulate an instruction, queues a
		 * program interrupt for the guest and also stops here with
		 * the instruction in hardware_exit_reason (booke.c,
		 * emulation_exit()).  Resume: the guest's own handler then
		 * reports the crash where it happened, with its registers.
		 */
		if (r->family == PVX_FAM_BOOKE && run->exit_reason == KVM_EXIT_UNKNOWN &&
		    run->hw.hardware_exit_reason >> 32 == 0xffffffffULL && unemulated < 8) {
			pvx_regs regs;

			unemulated++;
			unemulated_insn = (uint32_t)run->hw.hardware_exit_reason;
			unemulated_pc = ioctl(vm->vcpu, PVX_KVM_GET_REGS, &regs) < 0 ? 0 : regs.pc;
			continue;
		}
		{
			char where[200];

			guest_where(vm, r, where, sizeof(where));
			if (run->exit_reason == KVM_EXIT_MMIO)
				fail(r, "unexpected MMIO %s of %u bytes at 0x%llx; %s",
				     run->mmio.is_write ? "write" : "read", run->mmio.len,
				     (unsigned long long)run->mmio.phys_addr, where);
			else
				fail(r, "unexpected exit %s (%u); %s",
				     exit_reason_name(run->exit_reason), run->exit_reason, where);
			break;
		}
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	return status;
}

int launch_run(const struct launch_opts *o, struct launch_result *r)
{
	struct launch_vm vm;
	int status;

	memset(r, 0, sizeof(*r));
	memset(&vm, 0, sizeof(vm));
	vm.kvm = vm.vm = vm.vcpu = -1;
	vm.t_start = pvx_now_ns();
	vm.on_phase = o->on_phase;
	vm.on_phase_ctx = o->on_phase_ctx;
	status = setup(&vm, o, r);
	if (status == 0)
		status = run_loop(&vm, o, r);
	teardown(&vm);
	return status;
}

void launch_result_free(struct launch_result *r)
{
	size_t i;
	unsigned int p;

	for (i = 0; i < r->nstats; i++)
		free(r->stat_names[i]);
	free(r->stat_names);
	free(r->stat_cumulative);
	free(r->marker);
	r->marker = NULL;
	for (p = 0; p < r->nphases; p++)
		free(r->phases[p].delta);
	r->stat_names = NULL;
	r->stat_cumulative = NULL;
	r->nstats = 0;
	r->nphases = 0;
}
