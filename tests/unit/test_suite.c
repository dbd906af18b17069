// SPDX-License-Identifier: GPL-2.0-only
/* Suite files: the default suite, every key, and each kind of mistake. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvexit/channel.h>

#include "suite.h"
#include "unit.h"

static char path[] = "/tmp/pvexit-suite-test.XXXXXX";

static int load_text(const char *text, struct pvx_suite *s, char *err, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -2;
	fputs(text, f);
	fclose(f);
	return pvx_suite_load(path, s, err, len);
}

/* A bad suite: it fails, with one line naming file:line and the fault. */
static void bad(const char *name, const char *text, const char *where, const char *what)
{
	struct pvx_suite s;
	char err[512] = "";

	CHECK(name, load_text(text, &s, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS(name, err, where);
	CHECK_STR_CONTAINS(name, err, what);
	CHECK(name, !strchr(err, '\n'));
}

/* @n bytes of @text (NUL bytes and all) as the suite file, then load it. */
static int load_bytes(const char *text, size_t n, struct pvx_suite *s, char *err, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -2;
	fwrite(text, 1, n, f);
	fclose(f);
	return pvx_suite_load(path, s, err, len);
}

/* What is not a text file is refused at the line where it shows, and ends. */
static void bad_bytes(void)
{
	static const char nul[] = "suite x\nrun cla\0sses=nosuch\n";
	struct pvx_suite s;
	char err[512] = "", text[1200];
	FILE *f;
	int i;

	CHECK("a NUL byte: refused", load_bytes(nul, sizeof(nul) - 1, &s, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("a NUL byte: names line and column", err, ":2: a NUL byte at column 8");
	if (access("/dev/zero", R_OK)) {
		unit_skip("/dev/zero: refused at once", "no /dev/zero");
	} else {
		CHECK("/dev/zero: refused at once",
		      pvx_suite_load("/dev/zero", &s, err, sizeof(err)) == -1);
		CHECK_STR_CONTAINS("/dev/zero: names file and line", err,
				   "/dev/zero:1: a NUL byte at column 1");
	}
	/* Short comment lines, past the size bound. */
	f = fopen(path, "w");
	if (!f)
		return;
	fputs("run\n", f);
	for (i = 0; i < (int)(PVX_SUITE_MAX_BYTES / 8) + 1; i++)
		fputs("# pad..\n", f); /* 8 bytes */
	fclose(f);
	CHECK("a file past the size bound: refused",
	      pvx_suite_load(path, &s, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("a file past the size bound: says so", err, "past 1024 KiB");
	CHECK("a file past the size bound: one line", !strchr(err, '\n'));
	/* Empty lines count toward the bound too. */
	f = fopen(path, "w");
	if (!f)
		return;
	for (i = 0; i <= (int)PVX_SUITE_MAX_BYTES; i++)
		fputc('\n', f);
	fclose(f);
	CHECK("a file of empty lines past the size bound: refused",
	      pvx_suite_load(path, &s, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("a file of empty lines past the size bound: says so", err,
			   "past 1024 KiB");
	memcpy(text, "run\n# ", 6);
	memset(text + 6, '.', 1100);
	memcpy(text + 1106, "\n", 2);
	bad("a line too long: refused", text, ":2:", "longer than 1022 characters");
}

int main(void)
{
	struct pvx_suite s;
	char err[512] = "";
	int fd = mkstemp(path);

	if (fd < 0)
		return 1;
	close(fd);

	CHECK("default suite loads",
	      pvx_suite_load("bench/default.suite", &s, err, sizeof(err)) == 0);
	CHECK("default suite: named", !strcmp(s.name, "default"));
	CHECK("default suite: one group of every class in three guests, 6 reps",
	      s.ngroups == 1 && !strcmp(s.groups[0].classes, "all") &&
		      s.groups[0].guests == (PVX_GUEST_BE | PVX_GUEST_LE | PVX_GUEST_BE32) &&
		      s.groups[0].reps == 6 && s.groups[0].variants == PVX_VARIANTS_ALL);

	CHECK("every key",
	      load_text(
		      "# c\nsuite s1  # trailing\n\nrun classes=mfmsr,mtsrr0 guests=le variants=raw,patched "
		      "iterations=1000 fast-iterations=64000 reps=3\nrun guests=be32 classes=mtsrin\n",
		      &s, err, sizeof(err)) == 0);
	CHECK("every key: values",
	      s.ngroups == 2 && !strcmp(s.groups[0].classes, "mfmsr,mtsrr0") &&
		      s.groups[0].guests == PVX_GUEST_LE &&
		      s.groups[0].variants == ((1u << PVX_VAR_RAW) | (1u << PVX_VAR_PATCHED)) &&
		      s.groups[0].iterations == 1000 && s.groups[0].fast_iterations == 64000 &&
		      s.groups[0].reps == 3 && s.groups[0].line == 4 && s.groups[1].line == 5 &&
		      !strcmp(s.groups[1].classes, "mtsrin"));
	CHECK("defaults of a bare run line",
	      load_text("run\n", &s, err, sizeof(err)) == 0 && s.groups[0].reps == 1 &&
		      s.groups[0].iterations == 20000 && !strcmp(s.name, "unnamed"));

	bad("unknown key", "suite x\nrun rep=3\n", ":2:", "unknown key 'rep'");
	bad("unknown directive", "walk classes=all\n", ":1:", "unknown directive 'walk'");
	bad("unknown class", "run classes=mfmsr,nosuch\n", ":1:", "unknown class 'nosuch'");
	bad("BookE class", "run classes=wrteei0\n", ":1:",
	    "class wrteei0: none of the chosen guests runs it (it runs in e500, on a BookE host)");
	CHECK("a BookE class in the e500 guest",
	      load_text("run classes=wrteei0 guests=e500\n", &s, err, sizeof(err)) == 0 &&
		      s.groups[0].guests == PVX_GUEST_E500);
	CHECK("guests=all is the Book3S guests",
	      load_text("run guests=all\n", &s, err, sizeof(err)) == 0 &&
		      s.groups[0].guests == PVX_GUEST_BOOK3S);
	bad("32-bit guest has no mtmsrd", "run guests=be32 classes=mtmsrd1\n",
	    ":1:", "none of the chosen guests");
	bad("bad guest", "run guests=be64\n", ":1:", "guests=be64");
	bad("bad variant", "run variants=fast\n", ":1:", "variants=fast");
	bad("zero reps", "run reps=0\n", ":1:", "reps=0");
	bad("too few iterations", "run iterations=5\n", ":1:", "iterations=5");
	bad("not KEY=VALUE", "run classes\n", ":1:", "want KEY=VALUE");
	bad("no run line", "suite empty\n", path, "no 'run' line");
	bad("suite without a name", "suite\nrun\n", ":1:", "'suite' wants one name");
	bad_bytes();
	CHECK("missing file", pvx_suite_load("/nonexistent/x.suite", &s, err, sizeof(err)) == -1);
	CHECK_STR_CONTAINS("missing file: says so", err, "No such file");

	CHECK("guest lists", pvx_suite_guests("all") == 7 && pvx_suite_guests("le,be32") == 6 &&
				     pvx_suite_guests("") == 0 && pvx_suite_guests("le,") == 2);
	unlink(path);
	return unit_done();
}
