// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reports to the host.  Under the pvexit launcher every report is a
 * struct pvx_record sent through the channel (include/pvexit/channel.h);
 * anywhere else (plain QEMU) the same reports become text lines on the
 * PAPR console, H_PUT_TERM_CHAR on terminal 0, which pseries firmware
 * takes as "the default console".
 */
#include <pvexit/cases.h>
#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "rt.h"

#define H_PUT_TERM_CHAR 0x58

/* One store of the record's address, as wide as the guest's registers:
 * a 32-bit guest's doorbell is a 4-byte MMIO write. */
static volatile unsigned long *doorbell;
static uint64_t seq;
/* One record buffer: the vCPU is stopped until the launcher has read it. */
static struct pvx_record rec __attribute__((aligned(8)));

_Static_assert(sizeof(struct pvx_record) == 176, "the record layout is the same for 32-bit guests");
static uint64_t console_tb_hz;

static const char *const variant_names[] = { "raw",    "patched", "baseline",
					     "warmup", "channel", "marker" };

static const char *class_name(unsigned int cls)
{
	return cls < PVX_CLASS_COUNT ? pvx_classes[cls].name : "-";
}

static const char *case_name(unsigned int cs)
{
	return cs < PVX_CASE_COUNT && pvx_cases[cs].name[0] ? pvx_cases[cs].name : "-";
}

static const char *variant_name(unsigned int v)
{
	return v <= PVX_VAR_MAX ? variant_names[v] : "?";
}

void report_init(uint64_t channel)
{
	doorbell =
		channel ? (volatile unsigned long *)(uintptr_t)(channel + PVX_CHAN_DOORBELL) : NULL;
}

bool report_has_channel(void)
{
	return doorbell != NULL;
}

static void console_write(const char *s, size_t n)
{
#ifdef PVX_BOOKE
	/* No PAPR console on an e500 board: without the launcher's channel
	 * a BookE image has nobody to tell. */
	(void)s;
	(void)n;
	return;
#endif
	while (n) {
		unsigned char b[16] = { 0 };
		size_t k = n < 16 ? n : 16;

		memcpy(b, s, k);
		/* The bytes travel in r6 and r7, first byte most significant. */
		rt_papr_hcall(H_PUT_TERM_CHAR, 0, k, rt_be64(b), rt_be64(b + 8));
		s += k;
		n -= k;
	}
}

static void console_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void console_line(const char *fmt, ...)
{
	char line[192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 1)
		n = sizeof(line) - 1;
	console_write("pvexit: ", 8);
	console_write(line, n);
	console_write("\r\n", 2);
}

static struct pvx_record *begin(uint32_t type)
{
	memset(&rec, 0, sizeof(rec));
	rec.type = type;
	rec.size = sizeof(rec);
	return &rec;
}

static void send(void)
{
	rec.seq = ++seq;
	/* The record must be in memory before the host looks at it. */
	__asm__ __volatile__("sync" ::: "memory");
	*doorbell = (uintptr_t)&rec;
	__asm__ __volatile__("sync" ::: "memory");
}

static void set_text(const char *s)
{
	size_t n = strlen(s);

	if (n > PVX_REC_TEXT_MAX - 1)
		n = PVX_REC_TEXT_MAX - 1;
	memcpy(rec.text, s, n);
	rec.text[n] = '\0';
}

void report_hello(uint64_t tb_hz, bool tb_assumed)
{
	console_tb_hz = tb_hz;
	if (!doorbell) {
		console_line("hello: %s-endian, %d-bit, timebase %lu Hz%s",
#ifdef __LITTLE_ENDIAN__
			     "little",
#else
			     "big",
#endif
			     (int)(8 * sizeof(long)), (unsigned long)tb_hz,
			     tb_assumed ? " (assumed)" : "");
		return;
	}
	begin(PVX_REC_HELLO);
	rec.w[0] = PVX_CHANNEL_VERSION;
#ifdef __LITTLE_ENDIAN__
	rec.w[1] = 0;
#else
	rec.w[1] = 1;
#endif
	rec.w[2] = 8 * sizeof(long);
	rec.w[3] = tb_hz;
	rec.w[4] = tb_assumed;
	send();
}

void report_text(const char *fmt, ...)
{
	char line[PVX_REC_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	rt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!doorbell) {
		console_line("%s", line);
		return;
	}
	begin(PVX_REC_TEXT);
	set_text(line);
	send();
}

void report_fact(const char *key, uint64_t value, int format)
{
	if (!doorbell) {
		if (format == PVX_FACT_HEX)
			console_line("fact %s=0x%lx", key, (unsigned long)value);
		else
			console_line("fact %s=%lu", key, (unsigned long)value);
		return;
	}
	begin(PVX_REC_FACT);
	set_text(key);
	rec.w[0] = value;
	rec.w[1] = (uint64_t)format;
	send();
}

void report_phase(bool begin_phase, unsigned int cls, unsigned int variant, unsigned int cs)
{
	if (!doorbell)
		return;
	begin(begin_phase ? PVX_REC_PHASE_BEGIN : PVX_REC_PHASE_END);
	rec.w[0] = cls;
	rec.w[1] = variant;
	rec.w[2] = cs;
	send();
}

void report_result(unsigned int cls, unsigned int variant, unsigned int cs, uint64_t iterations,
		   uint64_t ticks, uint64_t value, uint64_t interrupts)
{
	if (!doorbell) {
		/* Picoseconds, in integers: no floating point here.  ticks
		 * stay far below 2^64 / 10^6 in any run this side of days. */
		uint64_t khz = console_tb_hz / 1000 ? console_tb_hz / 1000 : 1;
		uint64_t ps = iterations ? ticks * 1000000 / khz / iterations : 0;

		console_line(
			"result %s %s %s iterations=%lu ticks=%lu ns/op=%lu.%03lu value=0x%lx interrupts=%lu",
			class_name(cls), case_name(cs), variant_name(variant),
			(unsigned long)iterations, (unsigned long)ticks, (unsigned long)(ps / 1000),
			(unsigned long)(ps % 1000), (unsigned long)value,
			(unsigned long)interrupts);
		return;
	}
	begin(PVX_REC_RESULT);
	rec.w[0] = cls;
	rec.w[1] = variant;
	rec.w[2] = iterations;
	rec.w[3] = ticks;
	rec.w[4] = value;
	rec.w[5] = cs;
	rec.w[6] = interrupts;
	send();
}

void report_check(unsigned int cls, unsigned int cs, const char *what, bool pass, uint64_t seen,
		  uint64_t want)
{
	if (!doorbell) {
		console_line("check %s %s %s: %s (0x%lx, want 0x%lx)", class_name(cls),
			     case_name(cs), what, pass ? "pass" : "FAIL", (unsigned long)seen,
			     (unsigned long)want);
		return;
	}
	begin(PVX_REC_CHECK);
	set_text(what);
	rec.w[0] = cls;
	rec.w[1] = pass ? PVX_CHECK_PASS : PVX_CHECK_FAIL;
	rec.w[2] = seen;
	rec.w[3] = want;
	rec.w[4] = cs;
	send();
}

void report_crash(const struct rt_frame *f, uint32_t insn)
{
	if (!doorbell) {
		console_line(
			"crash: vector 0x%lx at 0x%lx (srr1 0x%lx dar 0x%lx dsisr 0x%lx insn 0x%08x)",
			(unsigned long)f->vec, (unsigned long)f->srr0, (unsigned long)f->srr1,
			(unsigned long)f->dar, (unsigned long)f->dsisr, insn);
		return;
	}
	begin(PVX_REC_CRASH);
	rec.w[0] = f->vec;
	rec.w[1] = f->srr0;
	rec.w[2] = f->srr1;
	rec.w[3] = f->dar;
	rec.w[4] = f->dsisr;
	rec.w[5] = insn;
	send();
}

void report_done(uint64_t failures)
{
	if (!doorbell) {
		console_line("done: %lu failure%s", (unsigned long)failures,
			     failures == 1 ? "" : "s");
		return;
	}
	begin(PVX_REC_DONE);
	rec.w[0] = failures;
	send();
}

void report_ping(void)
{
	if (!doorbell)
		return;
	begin(PVX_REC_PING);
	send();
}
