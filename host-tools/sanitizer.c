// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sanitizer build of pvexit (ASan + UBSan, as the unit tests are
 * built) against hostile files: it must fail as the normal build does,
 * or say why it did not.  Nothing here is compiled into the normal build.
 *
 * Two things stood in the way.  libtracecmd, handed a corrupt trace.dat,
 * may ask for an absurd allocation (exabytes, from a flipped size field):
 * glibc's malloc returns NULL, libtracecmd rejects the file and pvexit
 * says so in one line, but ASan by default aborts there.  And the trace
 * decoder points stderr at /dev/null while libtracecmd runs (it prints
 * complaints of its own), so the sanitizer's report went nowhere: exit
 * status 1 and not a word, which a test cannot tell from a rejection.
 */
#ifdef __SANITIZE_ADDRESS__
#include <fcntl.h>
#include <pthread.h>
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

const char *__asan_default_options(void);

/*
 * Read by ASan before main(); $ASAN_OPTIONS still overrides it.  An
 * allocation no allocator could satisfy returns NULL, as glibc's does,
 * so that the sanitizer build rejects such a file with the normal
 * build's error line.  (ASan's warning about it goes to stderr, which is
 * muted then, as libtracecmd's own complaints are.)
 */
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

/* stderr as it was before main(), or -1 (and in a child of fork()). */
static int saved_fd = -1;
static bool report_copied;

/* Whether descriptor 2 is no longer the stderr we started with. */
static bool stderr_muted(void)
{
	struct stat now, then;

	if (saved_fd < 0 || fstat(saved_fd, &then) || fstat(STDERR_FILENO, &now))
		return false;
	return now.st_dev != then.st_dev || now.st_ino != then.st_ino;
}

static void say(const char *s)
{
	size_t n = strlen(s);
	ssize_t w;

	while (n && (w = write(saved_fd, s, n)) > 0) {
		s += w;
		n -= (size_t)w;
	}
}

/* ASan's report, which went to a muted stderr: to the real one too. */
static void copy_report(const char *report)
{
	if (!stderr_muted())
		return;
	say(report);
	report_copied = true;
}

/* Any sanitizer's end (UBSan's too, whose report cannot be had here). */
static void on_death(void)
{
	if (report_copied || !stderr_muted())
		return;
	say(pvx_prog);
	say(": error: a sanitizer ended the run while stderr was muted around a library; "
	    "set ASAN_OPTIONS=log_path=FILE or UBSAN_OPTIONS=log_path=FILE for its report\n");
}

/* The decoder's format-parsing children mute stderr so that a crash on
 * a hostile file is theirs to die of quietly. */
static void in_child(void)
{
	saved_fd = -1;
}

__attribute__((constructor)) static void watch_muted_stderr(void)
{
	saved_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved_fd < 0)
		return;
	if (pthread_atfork(NULL, NULL, in_child)) {
		close(saved_fd);
		saved_fd = -1;
		return;
	}
	__asan_set_error_report_callback(copy_report);
	__sanitizer_set_death_callback(on_death);
}
#endif
