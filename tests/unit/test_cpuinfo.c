// SPDX-License-Identifier: GPL-2.0-only
/*
 * pvx_cpuinfo() on the cpuinfo of an emulated POWER8 pSeries (the lab's)
 * and of an x86 host, and pvx_host_fill() reading through it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpuinfo.h"
#include "host_info.h"
#include "unit.h"

static const char power8[] = "processor\t: 0\n"
			     "cpu\t\t: POWER8 (architected), altivec supported\n"
			     "clock\t\t: 1000.000000MHz\n"
			     "revision\t: 2.0 (pvr 004d 0200)\n"
			     "\n"
			     "processor\t: 1\n"
			     "cpu\t\t: POWER8E (raw), altivec supported\n"
			     "clock\t\t: 3425.000000MHz\n"
			     "revision\t: 2.1 (pvr 004b 0201)\n"
			     "\n"
			     "timebase\t: 512000000\n"
			     "platform\t: pSeries\n"
			     "model\t\t: IBM pSeries (emulated by qemu)\n"
			     "machine\t\t: CHRP IBM pSeries (emulated by qemu)\n"
			     "MMU\t\t: Hash\n";

/* The line order is the kernel's: "cpu family" and "model" come before
 * the "model name" a key of "model" must not take. */
static const char x86_head[] = "processor\t: 0\n"
			       "vendor_id\t: GenuineIntel\n"
			       "cpu family\t: 6\n"
			       "model\t\t: 158\n"
			       "model name\t: Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz\n"
			       "stepping\t: 10\n"
			       "cpu MHz\t\t: 3192.000\n"
			       "cache size\t: 12288 KB\n"
			       "cpu cores\t: 6\n"
			       "fpu\t\t: yes\n";
static const char x86_tail[] = "\nbogomips\t: 6384.00\n"
			       "address sizes\t: 39 bits physical, 48 bits virtual\n"
			       "\n";

static char path[] = "/tmp/pvexit-cpuinfo-test.XXXXXX";

static int write_text(const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

/* x86's flags line runs past any line buffer; a reader that splits it
 * sees its rest as a line of its own.  Here the rest after the first 255
 * bytes (fgets() into 256) reads "timebase : 1".  Return: the length of
 * the flags value, or -1. */
static int write_x86(void)
{
	char line[2048];
	int n = snprintf(line, sizeof(line), "flags\t\t:");
	FILE *f;

	while (n < 255 - 4)
		n += snprintf(line + n, sizeof(line) - n, " fpu");
	line[n++] = ' ';
	while (n < 255)
		line[n++] = 'v';
	n += snprintf(line + n, sizeof(line) - n, "timebase\t: 1");
	for (int i = 0; i < 40; i++)
		n += snprintf(line + n, sizeof(line) - n, " sse sse2");
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(x86_head, f);
	fputs(line, f);
	fputs(x86_tail, f);
	if (fclose(f))
		return -1;
	/* Less "flags\t\t:" and the blank after it. */
	return n - 9;
}

/* pvx_cpuinfo(@key) must give @want, or nothing when @want is NULL. */
static void expect(const char *name, const char *key, const char *want)
{
	char out[128] = "untouched", why[512];
	bool ok = pvx_cpuinfo(key, out, sizeof(out));

	snprintf(why, sizeof(why), "\"%s\": %s '%s', want %s '%s'", key, ok ? "found" : "none", out,
		 want ? "found" : "none", want ? want : "untouched");
	unit_check(want ? ok && !strcmp(out, want) : !ok && !strcmp(out, "untouched"), __FILE__,
		   __LINE__, name, why);
}

static void test_power8(void)
{
	struct pvx_host h;
	char small[8];

	expect("power8: timebase", "timebase", "512000000");
	expect("power8: the first cpu line", "cpu", "POWER8 (architected), altivec supported");
	expect("power8: the first revision line", "revision", "2.0 (pvr 004d 0200)");
	expect("power8: clock", "clock", "1000.000000MHz");
	expect("power8: processor", "processor", "0");
	expect("power8: platform", "platform", "pSeries");
	expect("power8: model", "model", "IBM pSeries (emulated by qemu)");
	expect("power8: machine", "machine", "CHRP IBM pSeries (emulated by qemu)");
	expect("power8: MMU", "MMU", "Hash");
	expect("power8: keys are case-sensitive", "mmu", NULL);
	expect("power8: a key is whole, not a prefix", "time", NULL);
	expect("power8: no model name", "model name", NULL);

	CHECK("power8: a small buffer takes the value cut",
	      pvx_cpuinfo("machine", small, sizeof(small)) && !strcmp(small, "CHRP IB"));

	pvx_host_fill(&h, "pr");
	CHECK_STR_CONTAINS("power8: the host's cpu", h.cpu,
			   "POWER8 (architected), altivec supported");
	CHECK_STR_CONTAINS("power8: the host's pvr", h.pvr, "0x004d0200");
	free(h.kernel_release);
	free(h.machine);
	free(h.cpu);
	free(h.pvr);
	free(h.kvm);
}

static void test_x86(int flags_len)
{
	struct pvx_host h;
	char flags[4096];

	expect("x86: no cpu line: cpu family, cpu MHz, cpu cores are other keys", "cpu", NULL);
	expect("x86: model", "model", "158");
	expect("x86: model name", "model name", "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz");
	expect("x86: a key with a blank in it", "address sizes",
	       "39 bits physical, 48 bits virtual");
	expect("x86: the line after the long flags line", "bogomips", "6384.00");
	expect("x86: no timebase, not even in the flags line's 256th byte on", "timebase", NULL);
	expect("x86: no revision", "revision", NULL);
	CHECK("x86: the flags line is read whole", pvx_cpuinfo("flags", flags, sizeof(flags)) &&
							   strlen(flags) == (size_t)flags_len &&
							   !strncmp(flags, "fpu fpu", 7));

	pvx_host_fill(&h, "pr");
	CHECK_STR_CONTAINS("x86: the host's cpu is the model name", h.cpu,
			   "Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz");
	CHECK_STR_CONTAINS("x86: the host's pvr is unknown", h.pvr, "unknown");
	free(h.kernel_release);
	free(h.machine);
	free(h.cpu);
	free(h.pvr);
	free(h.kvm);
}

int main(void)
{
	int fd = mkstemp(path), flags_len;

	if (fd < 0) {
		printf("FAIL cpuinfo: test setup: no temporary file\n");
		return 1;
	}
	close(fd);

	pvx_cpuinfo_set_path(path);
	if (write_text(power8) == 0)
		test_power8();
	else
		unit_skip("cpuinfo: power8", "cannot write the temporary file");
	flags_len = write_x86();
	if (flags_len > 0)
		test_x86(flags_len);
	else
		unit_skip("cpuinfo: x86", "cannot write the temporary file");

	if (write_text("") == 0)
		expect("an empty file has no keys", "processor", NULL);
	unlink(path);
	expect("a missing file has no keys", "processor", NULL);

	/* Back to the real one, which every Linux has. */
	pvx_cpuinfo_set_path(NULL);
	expect("/proc/cpuinfo: processor 0 first", "processor", "0");
	return unit_done();
}
