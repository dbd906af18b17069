// SPDX-License-Identifier: GPL-2.0-only
/*
 * The whole trace.dat path, as `pvexit trace report FILE` takes it:
 * pvx_trace_read() (trace/trace_decode*.c) on a file, so that every layer
 * sees the input: the pre-checks of its structure, the child that opens
 * it a step ahead and parses each format first, libtracecmd and
 * libtraceevent behind pvexit's hooks, the checks of each record and the
 * counting by thread, vector and class.  A file the decoder refuses is
 * no finding; a crash, a sanitizer's report, a hang (-timeout), or a
 * descriptor, file or child process left behind is one, and so are
 * counts that do not add up.
 *
 * Each input is a regular file of its own under $TMPDIR, as a user's
 * trace.dat is, not a memfd: the decoder opens it by its name and the
 * child reopens it, and nothing about the kind of file is left to
 * differ.  The file is removed before the next input, whatever the
 * decoder said (a sanitizer's end leaves it in $TMPDIR).
 *
 * A file that passes the pre-checks costs a fork: the decoder's child
 * opens it a step ahead.  There is no way to run that in-process: the
 * child exists to die of what kills libtraceevent.  So this target is
 * slow (on a 2-core host, 50 ms for a small recording, about half of it
 * the child's and the fork's; 90 to 140 inputs a second over a minute).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sanitizer/common_interface_defs.h>
#include <string.h>

#include "fuzz.h"
#include "trace_decode.h"

/*
 * Leaks that are the libraries' own: libtracecmd's records read ahead
 * when the decoder stops its walk at a record it refuses (and the pages
 * they hold), and libtraceevent's parse of some formats.  Only
 * libtracecmd's one function: the decoder's own allocations are made in
 * libtracecmd's callback, under its frames.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:tracecmd_peek_data\nleak:libtraceevent.so\n";
}

/*
 * As in pvexit's own sanitizer build (host-tools/sanitizer.c): an
 * allocation no allocator could satisfy returns NULL, as glibc's does.
 * libtracecmd sizes some of its allocations by what it reads from the
 * file, inside compressed sections the pre-checks cannot see into; it
 * takes NULL as a corrupt file, and pvexit says so in one line.  An
 * allocation that succeeds but passes libFuzzer's -malloc_limit_mb is
 * still reported.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static char tmpl[PATH_MAX], path[PATH_MAX];
/* stderr as libFuzzer found it, before -close_fd_mask=2 sent it to
 * /dev/null: for this target's own findings, as libFuzzer keeps one for
 * its reports and the sanitizers'. */
static int report_fd = -1;

/*
 * In a child the decoder forks, a crash of libtraceevent's on a hostile
 * format is the child's to die of quietly, in the decoder's stead
 * (trace/trace_decode_format.c): the product points the child's stderr
 * at /dev/null, and so the sanitizer's report goes there too, not to
 * libFuzzer's copy of stderr, and libFuzzer does not record the child's
 * end as a crash of the target.  Nothing of ours is lost to this: the
 * decoder runs all the child runs but the few lines that start it, and
 * only a text that killed the child is kept from the decoder.
 */
static void in_child(void)
{
	__sanitizer_set_death_callback(NULL);
	__sanitizer_set_report_fd((void *)(intptr_t)STDERR_FILENO);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *dir = getenv("TMPDIR");

	report_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	fuzz_mute_stderr(argc, argv);
	snprintf(tmpl, sizeof(tmpl), "%s/pvexit-fuzz-tracedat.XXXXXX", dir && *dir ? dir : "/tmp");
	if (pthread_atfork(NULL, NULL, in_child)) {
		fprintf(stderr, "fuzz_tracedat: pthread_atfork failed\n");
		exit(1);
	}
	return 0;
}

/*
 * This thread's children, as the kernel lists them, into @buf: "" if it
 * cannot say.  Not waitpid(-1): the sanitizers keep a symbolizer
 * running as a child of their own once they have symbolized a stack.
 */
static void children(char *buf, size_t len)
{
	int fd = open("/proc/thread-self/children", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, len - 1);

	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
}

/* A child in @after that was not in @before, or 0. */
static long new_child(const char *before, const char *after)
{
	char *end;

	for (;;) {
		long pid = strtol(after, &end, 10);
		char word[24];

		if (end == after)
			return 0;
		snprintf(word, sizeof(word), " %ld ", pid);
		if (!strstr(before, word))
			return pid;
		after = end;
	}
}

/* The lowest free descriptor: a descriptor left open by the decoder
 * moves it. */
static int lowest_free_fd(int open_fd)
{
	int fd = fcntl(open_fd, F_DUPFD_CLOEXEC, 0);

	if (fd >= 0)
		close(fd);
	return fd;
}

static void found(const char *what, unsigned long long a, unsigned long long b)
{
	dprintf(report_fd, "fuzz_tracedat: %s (%llu, %llu)\n", what, a, b);
	unlink(path); /* (libFuzzer keeps the input) */
	abort();
}

/* What the counting guarantees whatever the file holds: each event is
 * counted once, in one place. */
static void check_sums(const struct pvx_trace *t)
{
	uint64_t exits = 0, instr = 0, paired = 0, by_class = 0;
	size_t i;

	for (i = 0; i < t->nrows; i++) {
		const struct pvx_trace_row *r = &t->rows[i];
		uint64_t hist = 0;

		for (int k = 0; k < PVX_HIST_SLOTS; k++)
			hist += r->hist[k];
		if (hist != r->paired || r->paired > r->exits)
			found("a row's histogram, paired and exits disagree", hist, r->paired);
		if (r->paired && r->lat_min > r->lat_max)
			found("a row's least latency exceeds its greatest", r->lat_min, r->lat_max);
		if (r->paired && pvx_trace_hist_quantile(r->hist, r->paired, 990) < 0)
			found("a row with paired exits has no 99th percentile", r->paired, 0);
		exits += r->exits;
		instr += r->instr;
		paired += r->paired;
	}
	for (i = 0; i <= PVX_CLASS_COUNT; i++)
		by_class += t->instr_by_class[i];
	if (exits != t->n_exit)
		found("the rows' exits are not kvm_exit's count", exits, t->n_exit);
	if (instr + t->instr_outside != t->n_instr || by_class != t->n_instr)
		found("kvm_ppc_instr is not counted once", instr + t->instr_outside, by_class);
	if (paired + t->unpaired_reenter + t->clock_backwards != t->n_reenter)
		found("kvm_book3s_reenter is not counted once", paired, t->n_reenter);
	(void)pvx_trace_lossy(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char dat_magic[] = "\x17\x08\x44tracing";
	char err[600], before[512] = " ", after[512];
	struct pvx_trace t;
	size_t done = 0;
	int fd, free_fd;
	long child;

	/* the other inputs go to the .pvtrace reader: fuzz_pvtrace's */
	if (size < sizeof(dat_magic) - 1 || memcmp(data, dat_magic, sizeof(dat_magic) - 1))
		return 0;
	snprintf(path, sizeof(path), "%s", tmpl);
	fd = mkstemp(path);
	if (fd < 0)
		return 0; /* (a full $TMPDIR is no finding) */
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			break;
		done += (size_t)n;
	}
	children(before + 1, sizeof(before) - 1);
	free_fd = lowest_free_fd(fd);
	/* with segments: the decoder's longest path */
	if (done == size && !pvx_trace_read(path, PVX_TRACE_SEGMENTS, &t, err, sizeof(err))) {
		check_sums(&t);
		pvx_trace_free(&t);
	}
	if (lowest_free_fd(fd) != free_fd)
		found("the decoder left a descriptor open", (unsigned long long)free_fd,
		      (unsigned long long)lowest_free_fd(fd));
	children(after, sizeof(after));
	child = new_child(before, after);
	if (child)
		found("the decoder left a child process behind", (unsigned long long)child, 0);
	close(fd);
	if (unlink(path))
		found("the decoder removed the input's file", (unsigned long long)errno, 0);
	return 0;
}
