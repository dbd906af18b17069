// SPDX-License-Identifier: GPL-2.0-only
/*
 * PID 1 of the e500 lab: the 32-bit e500v2 kernel of lab/e500/build, booted
 * by `lab/run --host e500` under qemu-system-ppc -M ppce500.
 *
 * The e500 lab has no userland: this static program is the whole base
 * initramfs.  lab/run appends a second archive holding /lab/cmd (what to
 * run) and /pvexit (the e500 build).  This program mounts the pseudo file
 * systems, runs the command as a child, and sends its result to the host
 * on the second UART (ttyS1, raw), framed as
 *
 *	"pvexit-lab-result 1 LENGTH SHA256\n" ARCHIVE "pvexit-lab-end\n"
 *
 * ARCHIVE is LENGTH bytes of cpio (newc) holding "status" (the command's
 * exit status as a decimal line, 128 + N after signal N, as a shell says
 * it), "stdout", "stderr", and "out", the tree the command left in /out;
 * SHA256 is the archive's, in lower-case hex.  Then it reboots, which ends
 * QEMU (-no-reboot).  The timeout is lab/run's: this program waits.
 *
 * /lab/cmd is a list of NUL-terminated strings: "pvexit-lab-cmd 1", the
 * environment (NAME=VALUE each), an empty string, then the arguments.
 * /lab/epoch, if there, sets the clock: the board has no RTC.
 *
 * The console (ttyS0) carries the kernel log and these lines:
 *	pvexit-lab: start UPTIME	the command is about to run
 *	pvexit-lab: exit STATUS		it ended; the result follows on ttyS1
 *	pvexit-lab: error MESSAGE	the lab itself failed; no result follows
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CMD_FILE "/lab/cmd"
/* The host's time of day, in seconds, when lab/run started. */
#define EPOCH_FILE "/lab/epoch"
#define CMD_MAGIC "pvexit-lab-cmd 1"
/* lab/run refuses a bigger command long before this. */
#define CMD_MAX (4u << 20)
#define RESULT_TTY "/dev/ttyS1"
/* Not under /out or /tmp, so the command cannot mistake it for its own. */
#define PRIV "/run/pvexit-lab"
#define ARCHIVE PRIV "/result.cpio"

extern char **environ;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char line[1024] = "pvexit-lab: ";
	size_t n = strlen(line);
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	va_end(ap);
	if (r < 0)
		return;
	n += (size_t)r < sizeof(line) - n - 1 ? (size_t)r : sizeof(line) - n - 2;
	line[n++] = '\n';
	/* One write per line keeps it whole between kernel messages. */
	(void)!write(STDOUT_FILENO, line, n);
}

/* The board resets and QEMU, run with -no-reboot, exits. */
static void __attribute__((noreturn)) end(void)
{
	sync();
	reboot(RB_AUTOBOOT);
	for (;;)
		pause();
}

static void __attribute__((noreturn, format(printf, 1, 2))) fail(const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	say("error %s", msg);
	end();
}

static void uptime(char *buf, size_t size)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0) {
		snprintf(buf, size, "?");
		return;
	}
	snprintf(buf, size, "%lld.%02ld", (long long)ts.tv_sec, ts.tv_nsec / 10000000);
}

/* --- SHA-256 (FIPS 180-4), for the frame's checksum --------------------- */

struct sha256 {
	uint32_t h[8];
	uint64_t bytes;
	uint8_t block[64];
	size_t fill;
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

static uint32_t ror(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
					0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

	memcpy(s->h, iv, sizeof(iv));
	s->bytes = 0;
	s->fill = 0;
}

static void sha256_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], v[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       w[i - 7] + (ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10));
	memcpy(v, s->h, sizeof(v));
	for (i = 0; i < 64; i++) {
		t1 = v[7] + (ror(v[4], 6) ^ ror(v[4], 11) ^ ror(v[4], 25)) +
		     ((v[4] & v[5]) ^ (~v[4] & v[6])) + sha256_k[i] + w[i];
		t2 = (ror(v[0], 2) ^ ror(v[0], 13) ^ ror(v[0], 22)) +
		     ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		s->h[i] += v[i];
}

static void sha256_add(struct sha256 *s, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t take;

	s->bytes += n;
	while (n > 0) {
		take = sizeof(s->block) - s->fill;
		if (take > n)
			take = n;
		memcpy(s->block + s->fill, p, take);
		s->fill += take;
		p += take;
		n -= take;
		if (s->fill == sizeof(s->block)) {
			sha256_block(s, s->block);
			s->fill = 0;
		}
	}
}

static void sha256_hex(struct sha256 *s, char hex[65])
{
	uint64_t bits = s->bytes * 8;
	uint8_t pad[72] = { 0x80 };
	size_t padlen = (s->fill < 56 ? 56 : 120) - s->fill;
	int i;

	for (i = 0; i < 8; i++)
		pad[padlen + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_add(s, pad, padlen + 8);
	for (i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08" PRIx32, s->h[i]);
}

/* --- the result archive: cpio newc, hashed as it is written ------------- */

struct archive {
	int fd;
	uint64_t length;
	uint32_t ino;
	struct sha256 sum;
};

static void write_all(int fd, const void *data, size_t n, const char *what)
{
	const char *p = data;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			fail("cannot write %s: %s", what, w < 0 ? strerror(errno) : "no progress");
		p += w;
		n -= (size_t)w;
	}
}

static void arc_put(struct archive *a, const void *data, size_t n)
{
	write_all(a->fd, data, n, ARCHIVE);
	sha256_add(&a->sum, data, n);
	a->length += n;
}

/* newc aligns every name and every file's data to four bytes. */
static void arc_align(struct archive *a)
{
	static const char zero[4];

	if (a->length % 4)
		arc_put(a, zero, 4 - a->length % 4);
}

static void arc_header(struct archive *a, const char *name, uint32_t mode, uint64_t size,
		       uint32_t mtime)
{
	char hdr[111];
	size_t namesize = strlen(name) + 1;

	if (size > UINT32_MAX)
		fail("%s is too big for the result archive (%" PRIu64 " bytes)", name, size);
	snprintf(hdr, sizeof(hdr),
		 "070701%08" PRIX32 "%08" PRIX32 "%08X%08X%08X%08" PRIX32 "%08" PRIX32
		 "%08X%08X%08X%08X%08zX%08X",
		 ++a->ino, mode, 0, 0, (mode & S_IFMT) == S_IFDIR ? 2 : 1, mtime, (uint32_t)size, 0,
		 0, 0, 0, namesize, 0);
	arc_put(a, hdr, 110);
	arc_put(a, name, namesize);
	arc_align(a);
}

static void arc_bytes(struct archive *a, const char *name, const char *data)
{
	arc_header(a, name, S_IFREG | 0644, strlen(data), 0);
	arc_put(a, data, strlen(data));
	arc_align(a);
}

/* A regular file's contents, exactly st_size bytes of them. */
static void arc_file(struct archive *a, const char *name, const char *path, const struct stat *st)
{
	char buf[65536];
	uint64_t left = (uint64_t)st->st_size;
	ssize_t r;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("cannot read %s for the result: %s", path, strerror(errno));
	arc_header(a, name, S_IFREG | (st->st_mode & 0777), left, (uint32_t)st->st_mtime);
	while (left > 0) {
		r = read(fd, buf, left < sizeof(buf) ? left : sizeof(buf));
		if (r < 0 && errno == EINTR)
			continue;
		/* Nothing runs any more that could change it. */
		if (r <= 0)
			fail("%s changed size while it was archived", path);
		arc_put(a, buf, (size_t)r);
		left -= (uint64_t)r;
	}
	close(fd);
	arc_align(a);
}

static int by_name(const struct dirent **x, const struct dirent **y)
{
	return strcmp((*x)->d_name, (*y)->d_name);
}

static int not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

/* The tree at PATH as NAME: directories, regular files and symbolic links. */
static void arc_tree(struct archive *a, const char *name, const char *path)
{
	char sub_path[PATH_MAX], sub_name[PATH_MAX], target[PATH_MAX];
	struct dirent **list;
	struct stat st;
	ssize_t len;
	int n, i;

	if (lstat(path, &st) != 0)
		fail("cannot stat %s for the result: %s", path, strerror(errno));
	switch (st.st_mode & S_IFMT) {
	case S_IFREG:
		arc_file(a, name, path, &st);
		return;
	case S_IFLNK:
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			fail("cannot read the link %s: %s", path, strerror(errno));
		target[len] = 0;
		arc_header(a, name, S_IFLNK | 0777, (uint64_t)len, (uint32_t)st.st_mtime);
		arc_put(a, target, (size_t)len);
		arc_align(a);
		return;
	case S_IFDIR:
		break;
	default:
		/* A FIFO or a device node has no contents to bring back. */
		say("note: %s is neither a file, a directory nor a link; not returned", path);
		return;
	}
	arc_header(a, name, S_IFDIR | (st.st_mode & 0777), 0, (uint32_t)st.st_mtime);
	n = scandir(path, &list, not_dots, by_name);
	if (n < 0)
		fail("cannot list %s for the result: %s", path, strerror(errno));
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(sub_path, sizeof(sub_path), "%s/%s", path, list[i]->d_name) >=
			    sizeof(sub_path) ||
		    (size_t)snprintf(sub_name, sizeof(sub_name), "%s/%s", name, list[i]->d_name) >=
			    sizeof(sub_name))
			fail("a path under %s is too long for the result", path);
		arc_tree(a, sub_name, sub_path);
		free(list[i]);
	}
	free(list);
}

static void arc_trailer(struct archive *a)
{
	arc_header(a, "TRAILER!!!", 0, 0, 0);
}

/* --- the command --------------------------------------------------------- */

struct command {
	char **env;
	char **argv;
};

/* Splits /lab/cmd into its environment and its arguments, in place. */
static void read_command(struct command *cmd)
{
	static char data[CMD_MAX + 1];
	size_t len = 0, nstr = 0, i;
	char **strs, *p;
	ssize_t r;
	int fd;

	fd = open(CMD_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fail("cannot open %s (lab/run writes it): %s", CMD_FILE, strerror(errno));
	while ((r = read(fd, data + len, CMD_MAX + 1 - len)) > 0)
		len += (size_t)r;
	if (r < 0)
		fail("cannot read %s: %s", CMD_FILE, strerror(errno));
	close(fd);
	if (len > CMD_MAX)
		fail("%s is over %u bytes", CMD_FILE, CMD_MAX);
	if (len == 0 || data[len - 1] != 0)
		fail("%s does not end with a NUL", CMD_FILE);
	for (i = 0; i < len; i++)
		nstr += data[i] == 0;
	strs = calloc(nstr + 2, sizeof(*strs));
	if (!strs)
		fail("out of memory for the command");
	for (p = data, i = 0; p < data + len; p += strlen(p) + 1)
		strs[i++] = p;
	if (strcmp(strs[0], CMD_MAGIC) != 0)
		fail("%s does not start with \"%s\"", CMD_FILE, CMD_MAGIC);
	cmd->env = strs + 1;
	for (i = 1; i < nstr && strs[i][0]; i++)
		if (!strchr(strs[i], '='))
			fail("%s: environment entry '%s' has no '='", CMD_FILE, strs[i]);
	if (i >= nstr)
		fail("%s has no empty string to end the environment", CMD_FILE);
	if (i + 1 >= nstr)
		fail("%s holds no command", CMD_FILE);
	/* The empty string ends the environment; calloc ended the arguments. */
	strs[i] = NULL;
	cmd->argv = strs + i + 1;
}

static void redirect(const char *path, int to, int flags)
{
	int fd = open(path, flags, 0600);

	if (fd < 0 || dup2(fd, to) < 0) {
		dprintf(STDERR_FILENO, "pvexit-lab: error: cannot open %s: %s\n", path,
			strerror(errno));
		_exit(125);
	}
	if (fd != to)
		close(fd);
}

/* In the child: becomes the command, or exits 127 (not found) or 126. */
static void __attribute__((noreturn)) exec_command(const struct command *cmd)
{
	int err;

	setsid();
	redirect(PRIV "/stdout", STDOUT_FILENO, O_WRONLY | O_CREAT | O_TRUNC);
	redirect(PRIV "/stderr", STDERR_FILENO, O_WRONLY | O_CREAT | O_TRUNC);
	redirect("/dev/null", STDIN_FILENO, O_RDONLY);
	if (chdir("/out") != 0) {
		dprintf(STDERR_FILENO, "pvexit-lab: error: cannot enter /out: %s\n",
			strerror(errno));
		_exit(125);
	}
	/* execvp searches the PATH of environ, not of an envp argument. */
	environ = cmd->env;
	execvp(cmd->argv[0], cmd->argv);
	err = errno;
	if (err == ENOENT || err == ENOTDIR)
		dprintf(STDERR_FILENO, "pvexit-lab: error: %s: command not found (PATH=%s)\n",
			cmd->argv[0], getenv("PATH") ? getenv("PATH") : "");
	else
		dprintf(STDERR_FILENO, "pvexit-lab: error: cannot run %s: %s\n", cmd->argv[0],
			strerror(err));
	_exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

static int run_command(const struct command *cmd)
{
	char up[32];
	pid_t child, p;
	int st;

	uptime(up, sizeof(up));
	say("start %s", up);
	child = fork();
	if (child < 0)
		fail("fork: %s", strerror(errno));
	if (child == 0)
		exec_command(cmd);
	/* PID 1 reaps every orphan; only the command's own end counts. */
	for (;;) {
		p = wait(&st);
		if (p == child)
			break;
		if (p < 0 && errno != EINTR)
			fail("wait: %s", strerror(errno));
	}
	/* What the command left running would change /out under the archive. */
	kill(-1, SIGKILL);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

/* --- the result frame on the second UART --------------------------------- */

static void send_result(int status)
{
	char line[160], hex[65], buf[65536];
	struct archive a = { 0 };
	struct termios tio;
	struct stat st;
	ssize_t r;
	int tty;

	a.fd = open(ARCHIVE, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (a.fd < 0)
		fail("cannot create %s: %s", ARCHIVE, strerror(errno));
	sha256_init(&a.sum);
	snprintf(line, sizeof(line), "%d\n", status);
	arc_bytes(&a, "status", line);
	if (stat(PRIV "/stdout", &st) == 0)
		arc_file(&a, "stdout", PRIV "/stdout", &st);
	if (stat(PRIV "/stderr", &st) == 0)
		arc_file(&a, "stderr", PRIV "/stderr", &st);
	arc_tree(&a, "out", "/out");
	arc_trailer(&a);
	sha256_hex(&a.sum, hex);

	tty = open(RESULT_TTY, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (tty < 0)
		fail("cannot open %s for the result: %s", RESULT_TTY, strerror(errno));
	/* Raw: no newline translation, every byte as it is. */
	if (tcgetattr(tty, &tio) != 0)
		fail("tcgetattr %s: %s", RESULT_TTY, strerror(errno));
	cfmakeraw(&tio);
	cfsetspeed(&tio, B115200);
	if (tcsetattr(tty, TCSANOW, &tio) != 0)
		fail("tcsetattr %s: %s", RESULT_TTY, strerror(errno));
	snprintf(line, sizeof(line), "pvexit-lab-result 1 %" PRIu64 " %s\n", a.length, hex);
	write_all(tty, line, strlen(line), RESULT_TTY);
	if (lseek(a.fd, 0, SEEK_SET) != 0)
		fail("cannot rewind %s: %s", ARCHIVE, strerror(errno));
	while ((r = read(a.fd, buf, sizeof(buf))) > 0)
		write_all(tty, buf, (size_t)r, RESULT_TTY);
	if (r < 0)
		fail("cannot read %s: %s", ARCHIVE, strerror(errno));
	write_all(tty, "pvexit-lab-end\n", 15, RESULT_TTY);
	/* The reset would cut what is still in the UART's queue. */
	if (tcdrain(tty) != 0)
		fail("tcdrain %s: %s", RESULT_TTY, strerror(errno));
	close(tty);
	close(a.fd);
}

/* --- setting up ------------------------------------------------------------ */

/* Without it files come back dated 1970 and results carry that date. */
static void set_clock(void)
{
	struct timespec ts = { 0 };
	char buf[32] = "";
	long long sec;
	char *end;
	ssize_t r;
	int fd;

	fd = open(EPOCH_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	r = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	sec = r > 0 ? strtoll(buf, &end, 10) : 0;
	if (r <= 0 || end == buf || (*end && *end != '\n') || sec <= 0)
		fail("%s does not hold a time in seconds", EPOCH_FILE);
	ts.tv_sec = (time_t)sec;
	if (clock_settime(CLOCK_REALTIME, &ts) != 0)
		fail("cannot set the clock: %s", strerror(errno));
}

static const struct {
	const char *source, *target, *type, *options;
	mode_t mode;
} mounts[] = {
	{ "proc", "/proc", "proc", NULL, 0555 },
	{ "sysfs", "/sys", "sysfs", NULL, 0555 },
	{ "tracefs", "/sys/kernel/tracing", "tracefs", NULL, 0700 },
	{ "debugfs", "/sys/kernel/debug", "debugfs", NULL, 0700 },
	{ "out", "/out", "tmpfs", "mode=0755", 0755 },
	{ "tmp", "/tmp", "tmpfs", "mode=1777", 01777 },
	{ "run", "/run", "tmpfs", "mode=0755", 0755 },
};

static void mount_one(const char *source, const char *target, const char *type, const char *options,
		      mode_t mode)
{
	/* sysfs makes its own mount points; elsewhere they may be missing. */
	if (mkdir(target, mode) != 0 && errno != EEXIST && errno != EPERM)
		fail("cannot create %s: %s", target, strerror(errno));
	if (mount(source, target, type, MS_NOSUID, options) != 0)
		fail("cannot mount %s on %s: %s", type, target, strerror(errno));
}

static void set_up(void)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "/dev/fd" },
		{ "/proc/self/fd/0", "/dev/stdin" },
		{ "/proc/self/fd/1", "/dev/stdout" },
		{ "/proc/self/fd/2", "/dev/stderr" },
	};
	size_t i;
	int fd;

	/*
	 * The initramfs has no /dev/console, so the kernel gave this program
	 * no standard descriptors: they come from devtmpfs.  Until then there
	 * is nowhere to say that it failed, and lab/run reports a lab that
	 * stopped without a result.
	 */
	mkdir("/dev", 0755);
	if (mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, NULL) != 0)
		end();
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		end();
	for (i = 0; i < 3; i++)
		if ((int)i != fd)
			dup2(fd, (int)i);
	if (fd > 2)
		close(fd);
	for (i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++)
		mount_one(mounts[i].source, mounts[i].target, mounts[i].type, mounts[i].options,
			  mounts[i].mode);
	for (i = 0; i < sizeof(links) / sizeof(links[0]); i++)
		if (symlink(links[i][0], links[i][1]) != 0 && errno != EEXIST)
			fail("cannot link %s: %s", links[i][1], strerror(errno));
	if (mkdir(PRIV, 0700) != 0)
		fail("cannot create %s: %s", PRIV, strerror(errno));
	if (access("/dev/kvm", F_OK) != 0)
		say("note: no /dev/kvm in this kernel");
}

int main(void)
{
	struct command cmd;
	int status;

	if (getpid() != 1)
		return 2;
	set_up();
	set_clock();
	read_command(&cmd);
	status = run_command(&cmd);
	say("exit %d", status);
	send_result(status);
	end();
}
