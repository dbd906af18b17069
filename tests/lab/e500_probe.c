// SPDX-License-Identifier: GPL-2.0-only
/*
 * A static ppc32 program that tests/lab/e500.sh runs as COMMAND in the
 * e500 lab, which has no userland of its own to test with.
 *
 *   e500_probe probe ARG...  say what the lab gave it (on stdout: /dev/kvm
 *                            and its API version, the mounts, cwd, stdin,
 *                            environment, arguments; one line on stderr),
 *                            write /out/probe/, exit 3
 *   e500_probe sleep         never end (the timeout)
 *   e500_probe panic         make PID 1 fault, which panics the kernel:
 *                            this kernel has no sysrq
 *   e500_probe oops-line     put an oops header on the console at
 *                            KERN_EMERG, then exit 0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/kvm.h>

/* Enough UART traffic to show a lost or changed byte, and quick to send. */
#define PATTERN_BYTES (256 << 10)

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static int write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "w");

	if (!f || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "e500_probe: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int probe(int argc, char **argv)
{
	static unsigned char pattern[PATTERN_BYTES];
	char cwd[256] = "?", c;
	int fd, api = -1, i;
	const char *v;

	fd = open("/dev/kvm", O_RDWR);
	if (fd >= 0) {
		api = ioctl(fd, KVM_GET_API_VERSION, 0);
		close(fd);
	}
	printf("kvm: %s api %d\n", exists("/dev/kvm") ? "present" : "missing", api);
	printf("tracefs: %s\n",
	       exists("/sys/kernel/tracing/events/kvm") ? "kvm events" : "missing");
	printf("debugfs: %s\n", exists("/sys/kernel/debug/kvm") ? "kvm" : "missing");
	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "? (%s)", strerror(errno));
	printf("cwd: %s\n", cwd);
	printf("stdin: %s\n", read(0, &c, 1) == 0 ? "empty" : "not empty");
	v = getenv("PVEXIT_LAB");
	printf("PVEXIT_LAB=%s\n", v ? v : "");
	v = getenv("PVEXIT_LAB_HOST");
	printf("PVEXIT_LAB_HOST=%s\n", v ? v : "");
	v = getenv("PVEXIT_LAB_CLOCK");
	printf("PVEXIT_LAB_CLOCK=%s\n", v ? v : "");
	v = getenv("PROBE_VAR");
	printf("PROBE_VAR=%s\n", v ? v : "");
	v = getenv("PATH");
	printf("PATH=%s\n", v ? v : "");
	for (i = 2; i < argc; i++)
		printf("arg: %s\n", argv[i]);
	fflush(stdout);
	fprintf(stderr, "e500_probe: a line on stderr\n");

	/* Every byte value, so that a tty that is not raw shows. */
	for (i = 0; i < PATTERN_BYTES; i++)
		pattern[i] = (unsigned char)i;
	if (mkdir("/out/probe", 0755) != 0 ||
	    write_file("/out/probe/hello.txt", "hello from e500\n", 16) != 0 ||
	    write_file("/out/probe/pattern.bin", pattern, sizeof(pattern)) != 0 ||
	    symlink("hello.txt", "/out/probe/link") != 0) {
		fprintf(stderr, "e500_probe: cannot fill /out/probe: %s\n", strerror(errno));
		return 1;
	}
	return 3;
}

/* PID 1 cannot be killed by a signal sent to it, but a fault of its own
 * kills it, and the kernel panics when init dies. */
static int panic_init(void)
{
	int st;

	if (ptrace(PTRACE_ATTACH, 1, NULL, NULL) != 0) {
		fprintf(stderr, "e500_probe: ptrace attach to PID 1: %s\n", strerror(errno));
		return 1;
	}
	if (waitpid(1, &st, __WALL) != 1) {
		fprintf(stderr, "e500_probe: waitpid 1: %s\n", strerror(errno));
		return 1;
	}
	/* PT_NIP is register 32 of the user area; address 0 is not mapped. */
	if (ptrace(PTRACE_POKEUSER, 1, (void *)(32 * sizeof(long)), NULL) != 0) {
		fprintf(stderr, "e500_probe: setting PID 1's NIP: %s\n", strerror(errno));
		return 1;
	}
	ptrace(PTRACE_DETACH, 1, NULL, NULL);
	sleep(30);
	printf("survived\n");
	return 0;
}

static int oops_line(void)
{
	static const char line[] = "<0>Oops: Kernel access of bad area, sig: 11 [#1]\n";
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0 || write(fd, line, sizeof(line) - 1) < 0) {
		fprintf(stderr, "e500_probe: /dev/kmsg: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "probe"))
		return probe(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "sleep")) {
		for (;;)
			pause();
	}
	if (argc == 2 && !strcmp(argv[1], "panic"))
		return panic_init();
	if (argc == 2 && !strcmp(argv[1], "oops-line"))
		return oops_line();
	fprintf(stderr, "usage: e500_probe probe ARG...|sleep|panic|oops-line\n");
	return 2;
}
