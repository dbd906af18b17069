// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_stats: synthetic stats files in memfds (good and malformed), then
 * the real thing on this host's /dev/kvm when it has binary stats.
 */
#include "kvm_stats.h"
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>

/* Odd on purpose: the descriptor stride (16 + 37) then leaves every
 * descriptor but the first misaligned, which UBSan would catch if the
 * reader cast instead of copying. */
#define NAME_SIZE 37u
#define NDESC 4u

struct syn_desc {
	const char *name;
	uint16_t size;
	uint32_t offset; /* bytes into the data block */
};

/* The data block is deliberately not in descriptor order, so a reader
 * that assumed consecutive counters would read the wrong values. */
static const struct syn_desc descs[NDESC] = {
	{ "halt_exits", 1, 48 },
	{ "exits", 1, 0 },
	{ "halt_poll_hist", 4, 8 }, /* a histogram: 4 buckets */
	{ "emulated_inst_exits", 1, 40 },
};
#define DATA_WORDS 7u

/* The image of a stats file: header, id, descriptors, data, in the
 * order KVM lays them out. */
struct image {
	unsigned char *buf;
	size_t len;
	size_t desc_offset;
	size_t data_offset;
};

static size_t desc_stride(void)
{
	return sizeof(struct kvm_stats_desc) + NAME_SIZE;
}

static void image_build(struct image *im, const uint64_t *data)
{
	struct kvm_stats_header h = { 0 };

	im->desc_offset = sizeof(h) + NAME_SIZE;
	im->data_offset = im->desc_offset + NDESC * desc_stride();
	im->len = im->data_offset + DATA_WORDS * sizeof(uint64_t);
	im->buf = calloc(1, im->len);
	if (!im->buf) {
		perror("calloc");
		exit(2);
	}
	h.name_size = NAME_SIZE;
	h.num_desc = NDESC;
	h.id_offset = sizeof(h);
	h.desc_offset = im->desc_offset;
	h.data_offset = im->data_offset;
	memcpy(im->buf, &h, sizeof(h));
	strcpy((char *)im->buf + h.id_offset, "kvm-4242/vcpu-0");
	for (size_t i = 0; i < NDESC; i++) {
		unsigned char *raw = im->buf + im->desc_offset + i * desc_stride();
		struct kvm_stats_desc d = { 0 };

		/* KVM marks its histograms so; only plain counts are cumulative. */
		d.flags =
			(descs[i].size > 1 ? KVM_STATS_TYPE_LOG_HIST : KVM_STATS_TYPE_CUMULATIVE) |
			KVM_STATS_UNIT_NONE | KVM_STATS_BASE_POW10;
		d.size = descs[i].size;
		d.offset = descs[i].offset;
		memcpy(raw, &d, sizeof(d));
		strcpy((char *)raw + sizeof(d), descs[i].name);
	}
	memcpy(im->buf + im->data_offset, data, DATA_WORDS * sizeof(uint64_t));
}

/* Overwrite one u32 header field, e.g. offsetof(..., num_desc). */
static void image_set_header(struct image *im, size_t field, uint32_t v)
{
	memcpy(im->buf + field, &v, sizeof(v));
}

static unsigned char *image_desc(struct image *im, size_t i)
{
	return im->buf + im->desc_offset + i * desc_stride();
}

static int memfd_with(const void *buf, size_t len)
{
	int fd = memfd_create("kvm_stats_test", MFD_CLOEXEC);

	if (fd < 0) {
		perror("memfd_create");
		exit(2);
	}
	if (len && pwrite(fd, buf, len, 0) != (ssize_t)len) {
		perror("pwrite");
		exit(2);
	}
	return fd;
}

/* Something that is not NULL, to see a failed open clear *out. */
static char not_null;

static int fd_is_closed(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

/* Open a malformed file of @len bytes of @buf and check that the open
 * fails, says @fragment, leaves *out NULL and closes the fd. */
static void expect_reject(const char *what, const void *buf, size_t len, const char *fragment)
{
	struct kvm_stats *s = (struct kvm_stats *)&not_null;
	char err[256] = "";
	char name[160];
	int fd = memfd_with(buf, len);
	int rc = kvm_stats_open_fd(fd, &s, err, sizeof(err));

	snprintf(name, sizeof(name), "kvm_stats: rejects %s", what);
	CHECK(name, rc == -1 && s == NULL);
	snprintf(name, sizeof(name), "kvm_stats: says why it rejects %s", what);
	CHECK_STR_CONTAINS(name, err, fragment);
	snprintf(name, sizeof(name), "kvm_stats: one-line message for %s", what);
	CHECK(name, err[0] != '\0' && strchr(err, '\n') == NULL);
	snprintf(name, sizeof(name), "kvm_stats: closes the fd after rejecting %s", what);
	CHECK(name, fd_is_closed(fd));
	if (rc == 0)
		kvm_stats_close(s);
}

static void test_synthetic(void)
{
	const uint64_t data[DATA_WORDS] = { 1000, 11, 12, 13, 14, 0x1234567890abcdefull, 7 };
	const uint64_t later[DATA_WORDS] = { 2500, 21, 22, 23, 24, 0xfedcba0987654321ull, 9 };
	uint64_t v[NDESC] = { 0 };
	struct kvm_stats *s = NULL;
	char err[256] = "";
	struct image im;
	int fd;
	int ok;

	image_build(&im, data);
	fd = memfd_with(im.buf, im.len);
	ok = kvm_stats_open_fd(fd, &s, err, sizeof(err)) == 0 && s;
	if (!CHECK("kvm_stats: opens a synthetic stats file", ok)) {
		printf("  (%s)\n", err);
		free(im.buf);
		return;
	}
	CHECK_EQ_U64("kvm_stats: one counter per descriptor", kvm_stats_count(s), NDESC);
	ok = 1;
	for (size_t i = 0; i < NDESC; i++)
		ok &= kvm_stats_name(s, i) && strcmp(kvm_stats_name(s, i), descs[i].name) == 0;
	CHECK("kvm_stats: names in descriptor order", ok);
	CHECK("kvm_stats: no name past the last counter", kvm_stats_name(s, NDESC) == NULL);
	CHECK_EQ_U64("kvm_stats: finds a counter by name", kvm_stats_find(s, "emulated_inst_exits"),
		     3);
	CHECK_EQ_U64("kvm_stats: finds the first counter", kvm_stats_find(s, "halt_exits"), 0);
	CHECK("kvm_stats: does not find a missing counter",
	      kvm_stats_find(s, "no_such_stat") == -1);
	CHECK("kvm_stats: does not match a prefix", kvm_stats_find(s, "exit") == -1);

	ok = kvm_stats_read(s, v, err, sizeof(err)) == 0;
	if (!CHECK("kvm_stats: reads counters from a synthetic stats file", ok))
		printf("  (%s)\n", err);
	CHECK_EQ_U64("kvm_stats: value at data offset 48", v[0], data[6]);
	CHECK_EQ_U64("kvm_stats: value at data offset 0", v[1], data[0]);
	CHECK_EQ_U64("kvm_stats: histogram's value is its first bucket", v[2], data[1]);
	CHECK_EQ_U64("kvm_stats: full 64-bit value", v[3], data[5]);
	CHECK("kvm_stats: a plain counter is cumulative", kvm_stats_cumulative(s, 1));
	CHECK("kvm_stats: a histogram is not cumulative", !kvm_stats_cumulative(s, 2));
	CHECK("kvm_stats: no counter past the last is cumulative", !kvm_stats_cumulative(s, NDESC));

	if (pwrite(fd, later, sizeof(later), im.data_offset) != (ssize_t)sizeof(later)) {
		perror("pwrite");
		exit(2);
	}
	ok = kvm_stats_read(s, v, err, sizeof(err)) == 0;
	if (!CHECK("kvm_stats: reads the counters again", ok))
		printf("  (%s)\n", err);
	CHECK("kvm_stats: a second read sees the new values",
	      v[0] == later[6] && v[1] == later[0] && v[2] == later[1] && v[3] == later[5]);

	/* Cut the file inside the data block: the open-time checks passed,
	 * so only the read can notice, as it must on a real stats fd. */
	if (ftruncate(fd, im.data_offset + 3 * sizeof(uint64_t)) < 0) {
		perror("ftruncate");
		exit(2);
	}
	err[0] = '\0';
	CHECK("kvm_stats: a read past the end fails", kvm_stats_read(s, v, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("kvm_stats: says the data read was short", err, "short data block read");

	kvm_stats_close(s);
	CHECK("kvm_stats: close closes the fd", fd_is_closed(fd));
	kvm_stats_close(NULL);
	free(im.buf);
}

static void test_malformed(void)
{
	const uint64_t data[DATA_WORDS] = { 0 };
	struct image im;

	image_build(&im, data);
	expect_reject("an empty file", im.buf, 0, "short header read: 0 of 24 bytes");
	expect_reject("a truncated header", im.buf, 10, "short header read: 10 of 24 bytes");

	image_set_header(&im, offsetof(struct kvm_stats_header, name_size), 0);
	expect_reject("name size 0", im.buf, im.len, "name size 0 is not in 1..4096");
	image_set_header(&im, offsetof(struct kvm_stats_header, name_size), 4097);
	expect_reject("an absurd name size", im.buf, im.len, "name size 4097 is not in 1..4096");
	image_set_header(&im, offsetof(struct kvm_stats_header, name_size), NAME_SIZE);

	image_set_header(&im, offsetof(struct kvm_stats_header, num_desc), 0x7fffffff);
	expect_reject("a huge descriptor count", im.buf, im.len,
		      "2147483647 descriptors is more than the 65536 allowed");
	image_set_header(&im, offsetof(struct kvm_stats_header, num_desc), 50);
	expect_reject(
		"a descriptor table beyond the end", im.buf, im.len,
		"descriptor table (50 x 53 bytes at offset 61) ends beyond the 329-byte file");
	image_set_header(&im, offsetof(struct kvm_stats_header, num_desc), NDESC);
	image_set_header(&im, offsetof(struct kvm_stats_header, desc_offset), 300);
	expect_reject("a descriptor offset beyond the end", im.buf, im.len,
		      "descriptor table (4 x 53 bytes at offset 300) ends beyond");
	image_set_header(&im, offsetof(struct kvm_stats_header, desc_offset), im.desc_offset);

	memset(image_desc(&im, 2) + sizeof(struct kvm_stats_desc), 'x', NAME_SIZE);
	expect_reject("a name without its NUL", im.buf, im.len,
		      "descriptor 2 has no NUL in its 37-byte name");
	strcpy((char *)image_desc(&im, 2) + sizeof(struct kvm_stats_desc), descs[2].name);

	{
		const uint16_t zero = 0, one = 1;
		unsigned char *size = image_desc(&im, 1) + offsetof(struct kvm_stats_desc, size);

		memcpy(size, &zero, sizeof(zero));
		expect_reject("a descriptor of size 0", im.buf, im.len,
			      "descriptor 1 (\"exits\") has size 0");
		memcpy(size, &one, sizeof(one));
	}
	{
		const uint32_t far = 4096, orig = descs[3].offset;
		unsigned char *off = image_desc(&im, 3) + offsetof(struct kvm_stats_desc, offset);

		memcpy(off, &far, sizeof(far));
		expect_reject(
			"a counter beyond the end", im.buf, im.len,
			"descriptor 3 (\"emulated_inst_exits\") data ends at byte 4377, beyond the 329-byte file");
		memcpy(off, &orig, sizeof(orig));
	}
	image_set_header(&im, offsetof(struct kvm_stats_header, data_offset), 1u << 20);
	expect_reject("a data block beyond the end", im.buf, im.len,
		      "data ends at byte 1048632, beyond the 329-byte file");
	image_set_header(&im, offsetof(struct kvm_stats_header, data_offset), im.data_offset);

	/* The image is whole again: a check that the cases above failed for
	 * their own reason, not for a leftover of an earlier one. */
	{
		struct kvm_stats *s = NULL;
		char err[256] = "";
		int ok = kvm_stats_open_fd(memfd_with(im.buf, im.len), &s, err, sizeof(err)) == 0;

		if (!CHECK("kvm_stats: the restored image opens again", ok))
			printf("  (%s)\n", err);
		kvm_stats_close(s);
	}
	free(im.buf);
}

static void test_not_kvm(void)
{
	struct kvm_stats *s = (struct kvm_stats *)&not_null;
	char err[256] = "";
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0) {
		unit_skip("kvm_stats: KVM_GET_STATS_FD fails on a non-KVM fd",
			  "cannot open /dev/null");
		return;
	}
	rc = kvm_stats_open_vcpu(fd, &s, err, sizeof(err));
	CHECK("kvm_stats: KVM_GET_STATS_FD fails on a non-KVM fd", rc == -1 && s == NULL);
	CHECK("kvm_stats: its message starts with KVM_GET_STATS_FD",
	      strncmp(err, "KVM_GET_STATS_FD: ", 18) == 0 && strchr(err, '\n') == NULL);
	CHECK("kvm_stats: leaves the caller's vCPU fd open", fcntl(fd, F_GETFD) != -1);
	close(fd);
}

static void test_real_kvm(void)
{
	const char *name = "kvm_stats: reads a real vCPU's stats";
	struct kvm_stats *s = NULL;
	uint64_t *a = NULL, *b = NULL;
	int kvm, vm = -1, vcpu = -1;
	char err[256] = "";
	char why[300];
	long exits;
	size_t n;
	int ok;

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		snprintf(why, sizeof(why), "/dev/kvm: %s", strerror(errno));
		unit_skip(name, why);
		return;
	}
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_BINARY_STATS_FD) <= 0) {
		unit_skip(name, "KVM has no KVM_CAP_BINARY_STATS_FD");
		goto out;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		snprintf(why, sizeof(why), "KVM_CREATE_VM: %s", strerror(errno));
		unit_skip(name, why);
		goto out;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		snprintf(why, sizeof(why), "KVM_CREATE_VCPU: %s", strerror(errno));
		unit_skip(name, why);
		goto out;
	}

	ok = kvm_stats_open_vcpu(vcpu, &s, err, sizeof(err)) == 0;
	if (!CHECK("kvm_stats: opens a real vCPU's stats fd", ok)) {
		printf("  (%s)\n", err);
		goto out;
	}
	n = kvm_stats_count(s);
	CHECK("kvm_stats: a real vCPU has counters", n > 0);
	exits = kvm_stats_find(s, "exits");
	if (exits < 0)
		exits = kvm_stats_find(s, "sum_exits");
	CHECK("kvm_stats: a real vCPU counts its exits", exits >= 0);

	a = calloc(n ? n : 1, sizeof(*a));
	b = calloc(n ? n : 1, sizeof(*b));
	if (!a || !b) {
		perror("calloc");
		exit(2);
	}
	ok = kvm_stats_read(s, a, err, sizeof(err)) == 0;
	if (!CHECK("kvm_stats: reads a real vCPU's stats", ok))
		printf("  (%s)\n", err);
	ok = kvm_stats_read(s, b, err, sizeof(err)) == 0;
	if (!CHECK("kvm_stats: reads a real vCPU's stats twice", ok))
		printf("  (%s)\n", err);
	/* The vCPU never ran, so nothing may have moved between the reads. */
	if (exits >= 0)
		CHECK("kvm_stats: an idle vCPU's exits stay put", a[exits] == b[exits]);
	free(a);
	free(b);
out:
	kvm_stats_close(s);
	if (vcpu >= 0)
		close(vcpu);
	if (vm >= 0)
		close(vm);
	close(kvm);
}

int main(void)
{
	test_synthetic();
	test_malformed();
	test_not_kvm();
	test_real_kvm();
	return unit_done();
}
