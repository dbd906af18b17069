/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The KVM binary statistics of a vCPU (KVM_GET_STATS_FD), read as a
 * snapshot of every counter so that a phase can be measured as the
 * difference of two snapshots.
 */
#ifndef PVEXIT_KVM_STATS_H
#define PVEXIT_KVM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kvm_stats;

/**
 * kvm_stats_open_fd() - parse the header and descriptors of a stats fd.
 * @fd: a file in the KVM binary stats format (owned by the result)
 * @out: the new reader
 * @err: one line on failure (a truncated header, an absurd name size or
 *       descriptor count, a descriptor table or data outside the file, a
 *       name without its NUL, a descriptor of size 0, a read error)
 * @errlen: size of @err
 *
 * Return: 0, or -1 with @err set, *@out NULL and @fd closed.
 */
int kvm_stats_open_fd(int fd, struct kvm_stats **out, char *err, size_t errlen);

/**
 * kvm_stats_open_vcpu() - KVM_GET_STATS_FD on @vcpu_fd (which stays the
 * caller's), then kvm_stats_open_fd().  Return: 0, or -1 with @err set.
 */
int kvm_stats_open_vcpu(int vcpu_fd, struct kvm_stats **out, char *err, size_t errlen);

/* Number of counters: one per descriptor; a histogram or array
 * descriptor counts once and its first element is its value. */
size_t kvm_stats_count(const struct kvm_stats *s);

/* Name of counter @i, as KVM gives it (e.g. "emulated_inst_exits"). */
const char *kvm_stats_name(const struct kvm_stats *s, size_t i);

/* Whether counter @i is a single cumulative count (KVM_STATS_TYPE_CUMULATIVE,
 * one element): only then is the difference of two snapshots an amount
 * of events.  Instant and peak values and histograms are not. */
bool kvm_stats_cumulative(const struct kvm_stats *s, size_t i);

/* Index of the counter called @name, or -1. */
long kvm_stats_find(const struct kvm_stats *s, const char *name);

/**
 * kvm_stats_read() - read every counter now into @values
 * (kvm_stats_count() entries) with one pread of the data block.
 * Return: 0, or -1 with @err set.
 */
int kvm_stats_read(struct kvm_stats *s, uint64_t *values, char *err, size_t errlen);

/* Close the fd and free @s (NULL is fine). */
void kvm_stats_close(struct kvm_stats *s);

#endif
