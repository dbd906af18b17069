// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host facts a results file carries.  They are read where pvexit
 * runs the guests, so inside the lab they describe the emulated POWER8
 * host, not the machine the lab runs on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "cpuinfo.h"
#include "host_info.h"
#include "pvexit_version.h" /* generated: PVX_GIT_REVISION */
#include "util.h"

#define PVX_RELEASE "0.6.0"

const char *pvx_version(void)
{
	return PVX_RELEASE;
}

const char *pvx_git_revision(void)
{
	return PVX_GIT_REVISION;
}

#ifndef PVX_BUILD_KIND
#define PVX_BUILD_KIND "unknown"
#endif
#ifndef PVX_BUILD_TARGET
#define PVX_BUILD_TARGET "unknown"
#endif

const char *pvx_build_kind(void)
{
	return PVX_BUILD_KIND;
}

const char *pvx_build_compiler(void)
{
#if defined(__clang__)
	return "clang " __clang_version__;
#elif defined(__GNUC__)
	return "gcc " __VERSION__;
#else
	return "unknown";
#endif
}

const char *pvx_build_target(void)
{
	return PVX_BUILD_TARGET;
}

static char *dup_or_unknown(const char *s)
{
	return pvx_xstrdup(s && s[0] ? s : "unknown");
}

/* "2.0 (pvr 004d 0200)" -> "0x004d0200". */
static void pvr_of(const char *revision, char *out, size_t len)
{
	unsigned int hi, lo;
	const char *p = strstr(revision, "pvr ");

	if (p && sscanf(p, "pvr %x %x", &hi, &lo) == 2)
		snprintf(out, len, "0x%04x%04x", hi, lo);
	else
		snprintf(out, len, "unknown");
}

void pvx_host_describe(struct pvx_host *h, const char *release, const char *machine,
		       const char *cpu, const char *revision, const char *kvm, bool lab)
{
	char pvr[32] = "unknown";

	if (revision)
		pvr_of(revision, pvr, sizeof(pvr));
	h->kernel_release = dup_or_unknown(release);
	h->machine = dup_or_unknown(machine);
	h->cpu = dup_or_unknown(cpu);
	h->pvr = dup_or_unknown(pvr);
	h->kvm = dup_or_unknown(kvm);
	h->lab = lab;
}

void pvx_host_fill(struct pvx_host *h, const char *kvm)
{
	struct utsname u;
	char cpu[128] = "", rev[128] = "";

	if (uname(&u)) {
		u.release[0] = '\0';
		u.machine[0] = '\0';
	}
	if (!pvx_cpuinfo("cpu", cpu, sizeof(cpu)))
		pvx_cpuinfo("model name", cpu, sizeof(cpu));
	pvx_cpuinfo("revision", rev, sizeof(rev));
	pvx_host_describe(h, u.release, u.machine, cpu, rev, kvm, getenv("PVEXIT_LAB") != NULL);
}
