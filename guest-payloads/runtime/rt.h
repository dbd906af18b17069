/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest runtime: what payload code may call.  Freestanding C, one
 * source for big- and little-endian ppc64 images.
 */
#ifndef PVEXIT_RT_H
#define PVEXIT_RT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pvexit/classes.h>

#include "rt_asm.h"

/* lib.c: the few C library functions the compiler may call, and ours. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
uint32_t rt_be32(const void *p);
uint64_t rt_be64(const void *p);
/* Parse a decimal or 0x number; return false on anything else. */
bool rt_parse_u64(const char *s, size_t len, uint64_t *out);

/* fdt.c: read-only access to a flattened device tree. */
bool fdt_valid(const void *fdt);
/* Offset of the node at @path ("/cpus/cpu@0"; a component without '@'
 * also matches a node name with a unit address), or -1. */
int fdt_node(const void *fdt, const char *path);
/* Offset of the first child of @node, or -1. */
int fdt_first_child(const void *fdt, int node);
/* The value of property @name of @node and its length, or NULL. */
const void *fdt_prop(const void *fdt, int node, const char *name, uint32_t *len);
/* Whether a string-list property contains @s. */
bool fdt_prop_has_string(const void *fdt, int node, const char *name, const char *s);

/* start.S */
long rt_kvm_hcall(unsigned long token, unsigned long a1, unsigned long a2, unsigned long *out);
long rt_papr_hcall(unsigned long opcode, unsigned long a1, unsigned long a2, unsigned long a3,
		   unsigned long a4);
void rt_flush_icache(void *start, void *end);
extern uint32_t rt_kvm_hcall_stub[];
extern char __vectors_start[], __vectors_end[], __pv_start[], __pv_end[], __image_end[];
extern uint32_t rt_tramp_area[], rt_tramp_area_end[];

/* report.c: records to the launcher, or text to the firmware console. */
void report_init(uint64_t channel);
bool report_has_channel(void);
void report_hello(uint64_t tb_hz, bool tb_assumed);
void report_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_fact(const char *key, uint64_t value, int format);
void report_phase(bool begin, unsigned int cls, unsigned int variant, unsigned int cs);
void report_result(unsigned int cls, unsigned int variant, unsigned int cs, uint64_t iterations,
		   uint64_t ticks, uint64_t value, uint64_t interrupts);
void report_check(unsigned int cls, unsigned int cs, const char *what, bool pass, uint64_t seen,
		  uint64_t want);
void report_crash(const struct rt_frame *f, uint32_t insn);
void report_done(uint64_t failures);
/* Send one empty record: what the channel costs, timed by the caller. */
void report_ping(void);

/* kvm.c: detection and the magic page, the way a Linux guest does it. */
struct rt_kvm {
	bool on_kvm; /* /hypervisor compatible "linux,kvm" */
	unsigned int n_hcall; /* words copied into the hypercall stub */
	long features_status;
	unsigned long features;
	long map_status;
	unsigned long magic_features;
	bool magic; /* mapped (map_status 0) and its self-test passed */
};
void kvm_detect(const void *fdt, struct rt_kvm *k);
bool kvm_magic_selftest(void);
unsigned long kvm_magic_read(int field);

/* booke.c: vectors and the channel's TLB entry, before any report. */
void booke_setup(uint64_t channel);

/*
 * The decrementer.  Book3S: an interrupt is pending while it is
 * negative, until mtdec.  BookE: it sets TSR[DIS] on reaching zero, and
 * the interrupt (TCR[DIE] on) is pending until TSR[DIS] is written
 * back; writing DEC does not clear it.
 */
#define RT_DEC_FAR 0x7fffffffU /* seconds away at any timebase we run on */
#define RT_TSR_DIS 0x08000000UL
#define RT_TCR_DIE 0x04000000UL
#ifdef PVX_BOOKE
#define RT_VEC_DEC 10 /* IVOR10 */
#else
#define RT_VEC_DEC 0x900
#endif

static inline void rt_mtdec(uint32_t v)
{
	__asm__ __volatile__("mtdec %0" ::"r"(v));
}

/* Take a decrementer interrupt off the pending list (BookE only: on
 * Book3S rt_mtdec does it). */
static inline void rt_dec_ack(void)
{
#ifdef PVX_BOOKE
	__asm__ __volatile__("mtspr %0,%1" ::"i"(RT_SPRN_TSR), "r"(RT_TSR_DIS));
#endif
}

/* The timebase; a 32-bit image reads its halves until the upper one
 * holds still across the lower. */
static inline uint64_t rt_mftb(void)
{
#ifdef __powerpc64__
	uint64_t t;

	__asm__ __volatile__("mftb %0" : "=r"(t));
	return t;
#else
	unsigned long hi, lo, hi2;

	/* BookE reads the timebase with mfspr TBU/TBL (SPR 269/268): an
	 * e500 has no mftb instruction. */
	do {
#ifdef PVX_BOOKE
		__asm__ __volatile__("mfspr %0,269" : "=r"(hi));
		__asm__ __volatile__("mfspr %0,268" : "=r"(lo));
		__asm__ __volatile__("mfspr %0,269" : "=r"(hi2));
#else
		__asm__ __volatile__("mftbu %0" : "=r"(hi));
		__asm__ __volatile__("mftb %0" : "=r"(lo));
		__asm__ __volatile__("mftbu %0" : "=r"(hi2));
#endif
	} while (hi != hi2);
	return (uint64_t)hi << 32 | lo;
#endif
}

/* Registers are unsigned long: 64 bits or 32, as the image. */
static inline unsigned long rt_mfmsr(void)
{
	unsigned long m;

	__asm__ __volatile__("mfmsr %0" : "=r"(m));
	return m;
}

/* main.c */
extern unsigned int rt_failures; /* failures so far, for the DONE record */
extern uint64_t rt_tb_hz;
extern uint64_t rt_ram_size;
void rt_halt(void) __attribute__((noreturn));

#endif
