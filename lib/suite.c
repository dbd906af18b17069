// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading suite files.  One directive per line, '#' comments:
 *   suite NAME
 *   run KEY=VALUE...   (classes, guests, variants, iterations,
 *                       fast-iterations, reps; omitted keys take the
 *                       defaults of pvexit run)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pvexit/channel.h>
#include <pvexit/classes.h>

#include "suite.h"
#include "util.h"

const char *const pvx_guest_names[PVX_GUEST_COUNT] = { "be", "le", "be32", "e500" };

void pvx_suite_group_default(struct pvx_suite_group *g)
{
	memset(g, 0, sizeof(*g));
	snprintf(g->classes, sizeof(g->classes), "all");
	g->guests = PVX_GUEST_BE | PVX_GUEST_LE | PVX_GUEST_BE32;
	g->variants = PVX_VARIANTS_ALL;
	g->iterations = 20000;
	g->fast_iterations = 2000000;
	g->reps = 1;
}

/* The families whose classes the guests in @guests can run. */
static unsigned int families(unsigned int guests)
{
	return ((guests & (PVX_GUEST_BE | PVX_GUEST_LE)) ? PVX_FAM_BOOK3S64 : 0) |
	       ((guests & PVX_GUEST_BE32) ? PVX_FAM_BOOK3S32 : 0) |
	       ((guests & PVX_GUEST_E500) ? PVX_FAM_BOOKE : 0);
}

int pvx_suite_classes(struct pvx_suite_group *g, const char *list, char *err, size_t len)
{
	char buf[sizeof(g->classes)], *tok, *save;
	size_t n = 0;
	int i;

	if (!strcmp(list, "all")) {
		snprintf(g->classes, sizeof(g->classes), "all");
		return 0;
	}
	if (strlen(list) >= sizeof(buf)) {
		pvx_set_err(err, len, "class list too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	g->classes[0] = '\0';
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < PVX_CLASS_COUNT; i++)
			if (!strcmp(tok, pvx_classes[i].name))
				break;
		if (i == PVX_CLASS_COUNT) {
			pvx_set_err(err, len, "unknown class '%s' (see 'pvexit list')", tok);
			return -1;
		}
		if (!(pvx_classes[i].bench & families(g->guests))) {
			unsigned int b = pvx_classes[i].bench;

			pvx_set_err(err, len,
				    "class %s: none of the chosen guests runs it (it runs in %s)",
				    tok,
				    b & PVX_FAM_BOOK3S64 ? "be and le" :
				    b & PVX_FAM_BOOK3S32 ? "be32" :
							   "e500, on a BookE host");
			return -1;
		}
		n += (size_t)snprintf(g->classes + n, sizeof(g->classes) - n, "%s%s", n ? "," : "",
				      tok);
	}
	if (!n) {
		pvx_set_err(err, len, "empty class list");
		return -1;
	}
	return 0;
}

/* Bits for a comma list of @names (n of them), "all" for every one. */
static unsigned int name_bits(const char *list, const char *const *names, unsigned int n)
{
	char buf[128], *tok, *save;
	unsigned int bits = 0, i;

	if (!strcmp(list, "all"))
		return (1u << n) - 1;
	if (strlen(list) >= sizeof(buf))
		return 0;
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < n; i++)
			if (!strcmp(tok, names[i]))
				break;
		if (i == n)
			return 0;
		bits |= 1u << i;
	}
	return bits;
}

unsigned int pvx_suite_guests(const char *list)
{
	if (!strcmp(list, "all"))
		return PVX_GUEST_BOOK3S;
	return name_bits(list, pvx_guest_names, PVX_GUEST_COUNT);
}

unsigned int pvx_suite_variants(const char *list)
{
	static const char *const names[] = { "raw", "patched", "baseline" };

	_Static_assert(PVX_VAR_RAW == 0 && PVX_VAR_PATCHED == 1 && PVX_VAR_BASELINE == 2,
		       "variant numbers");
	return name_bits(list, names, 3);
}

static int group_word(struct pvx_suite_group *g, char *word, const char **classes, char *err,
		      size_t len)
{
	char *eq = strchr(word, '=');
	const char *v;

	if (!eq || eq == word) {
		pvx_set_err(err, len, "'%s': want KEY=VALUE", word);
		return -1;
	}
	*eq = '\0';
	v = eq + 1;
	if (!strcmp(word, "classes")) {
		*classes = v; /* checked once the guests are known */
	} else if (!strcmp(word, "guests")) {
		g->guests = pvx_suite_guests(v);
		if (!g->guests) {
			pvx_set_err(err, len,
				    "guests=%s: want be, le, be32, e500 (comma list) or all", v);
			return -1;
		}
	} else if (!strcmp(word, "variants")) {
		g->variants = pvx_suite_variants(v);
		if (!g->variants) {
			pvx_set_err(err, len,
				    "variants=%s: want raw, patched, baseline (comma list) or all",
				    v);
			return -1;
		}
	} else if (!strcmp(word, "iterations") || !strcmp(word, "fast-iterations")) {
		if (!pvx_parse_u64(v, 32, 1000000000000ULL,
				   word[0] == 'i' ? &g->iterations : &g->fast_iterations)) {
			pvx_set_err(err, len, "%s=%s: want a whole number from 32 to 10^12", word,
				    v);
			return -1;
		}
	} else if (!strcmp(word, "reps")) {
		uint64_t r;

		if (!pvx_parse_u64(v, 1, 1000, &r)) {
			pvx_set_err(err, len, "reps=%s: want a whole number from 1 to 1000", v);
			return -1;
		}
		g->reps = (unsigned int)r;
	} else {
		pvx_set_err(
			err, len,
			"unknown key '%s' (classes, guests, variants, iterations, fast-iterations, reps)",
			word);
		return -1;
	}
	return 0;
}

static int parse_line(struct pvx_suite *s, char *line, unsigned int lineno, char *err, size_t len)
{
	char *save, *word = strtok_r(line, " \t", &save);
	struct pvx_suite_group *g;
	const char *classes = "all";

	if (!word)
		return 0;
	if (!strcmp(word, "suite")) {
		word = strtok_r(NULL, " \t", &save);
		if (!word || strtok_r(NULL, " \t", &save) || strlen(word) >= sizeof(s->name)) {
			pvx_set_err(err, len, "'suite' wants one name of at most %zu characters",
				    sizeof(s->name) - 1);
			return -1;
		}
		snprintf(s->name, sizeof(s->name), "%s", word);
		return 0;
	}
	if (strcmp(word, "run")) {
		pvx_set_err(err, len, "unknown directive '%s' (suite or run)", word);
		return -1;
	}
	if (s->ngroups == PVX_SUITE_MAX_GROUPS) {
		pvx_set_err(err, len, "more than %d run lines", PVX_SUITE_MAX_GROUPS);
		return -1;
	}
	g = &s->groups[s->ngroups];
	pvx_suite_group_default(g);
	g->line = lineno;
	while ((word = strtok_r(NULL, " \t", &save)))
		if (group_word(g, word, &classes, err, len) < 0)
			return -1;
	if (pvx_suite_classes(g, classes, err, len) < 0)
		return -1;
	s->ngroups++;
	return 0;
}

/*
 * The next line of @f into @line (without its newline), checked as text.
 * A NUL byte ends no line here: fgets() would hide the rest of the line
 * behind it, and a stream of them (/dev/zero) would never end.
 * Return: 1 a line, 0 the end of the file, -1 with the fault in @why.
 */
static int read_line(FILE *f, char *line, size_t size, size_t *total, char *why, size_t len)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF) {
		if (++*total > PVX_SUITE_MAX_BYTES) {
			pvx_set_err(why, len, "the file goes on past %u KiB: not a suite file",
				    PVX_SUITE_MAX_BYTES >> 10);
			return -1;
		}
		if (c == '\n')
			break;
		if (!c) {
			pvx_set_err(why, len, "a NUL byte at column %zu: not a text file", n + 1);
			return -1;
		}
		if (n == size - 1) {
			pvx_set_err(why, len, "line longer than %zu characters", size - 1);
			return -1;
		}
		line[n++] = (char)c;
	}
	line[n] = '\0';
	return c != EOF || n ? 1 : 0;
}

int pvx_suite_load(const char *path, struct pvx_suite *s, char *err, size_t len)
{
	char line[1024], why[256];
	unsigned int lineno = 0;
	size_t total = 0;
	FILE *f = fopen(path, "r");
	int got;

	memset(s, 0, sizeof(*s));
	if (!f) {
		pvx_set_err(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = read_line(f, line, sizeof(line) - 1, &total, why, sizeof(why))) != 0) {
		char *hash;

		lineno++;
		if (got < 0) {
			pvx_set_err(err, len, "%s:%u: %s", path, lineno, why);
			fclose(f);
			return -1;
		}
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		line[strcspn(line, "\r")] = '\0';
		if (parse_line(s, line, lineno, why, sizeof(why)) < 0) {
			pvx_set_err(err, len, "%s:%u: %s", path, lineno, why);
			fclose(f);
			return -1;
		}
	}
	if (ferror(f)) {
		pvx_set_err(err, len, "%s: read error: %s", path, strerror(errno ? errno : EIO));
		fclose(f);
		return -1;
	}
	fclose(f);
	if (!s->ngroups) {
		pvx_set_err(err, len, "%s: no 'run' line: nothing to measure", path);
		return -1;
	}
	if (!s->name[0])
		snprintf(s->name, sizeof(s->name), "unnamed");
	return 0;
}
