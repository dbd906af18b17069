// SPDX-License-Identifier: GPL-2.0-only
/*
 * Event format texts (events/SYSTEM/EVENT/format, as saved in either kind
 * of file) checked before libtraceevent parses them.
 *
 * libtraceevent 1.7's parser trusts its text.  It looks up the field the
 * first REC->NAME after __print_symbolic( or __print_flags( names (in
 * that text or, the flag being a static, a later one) and writes to it
 * without checking that it exists; it folds every operation on two
 * constants while parsing, dividing by zero as readily as anything (a
 * word that is not a number counts as 0); after a syntax error inside
 * an expression it walks a tree it has half freed; and it recurses once
 * per level of nesting.  So a text is first checked for what a kernel
 * writes (text, strings that end, brackets that pair, the parser's own
 * operators), then parsed in a child process, which takes any crash in
 * the decoder's stead: only a text that parses there is handed on.
 *
 * The child must parse exactly as the decoder then will, with the same
 * static state and the same heap: what a half-freed tree does depends
 * on what lies in the memory it points at.  A child forked for one text
 * just before the decoder parses it has that; it also costs a fork and
 * an exit per format, and a trace.dat holds twenty (ftrace's own among
 * them), which made a small file's fixed cost 100 ms.  So a file's
 * reader starts one rehearsal instead (pvx_formats_rehearse()): a child
 * forked before the first format, which does what the decoder is about
 * to do (open the trace.dat with libtracecmd, or parse the container's
 * formats) a step ahead of it, and says of each format, by its sequence
 * number and a hash of its text, that it is about to parse it and that
 * it parsed it.  Both run the same code on the same input from the same
 * memory, so their heaps stay in step; the decoder parses a format only
 * once the child has parsed that very text, and a child that dies
 * between the two messages has died of that text.  Where the rehearsal
 * cannot say (no child, another text, a child gone for another reason),
 * the text gets a child of its own, as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <traceevent/event-parse.h>

#include "proc.h"
#include "trace_decode_internal.h"
#include "util.h"

/* The lab kernel's longest format file has 4 KiB; the parser's
 * recursion through 32 KiB of any nesting stays well inside an 8 MiB
 * stack (a third of it at most). */
#define FMT_MAX_TEXT (32u << 10)
#define FMT_MAX_DEPTH 64
/* A parse takes milliseconds. */
#define TRIAL_SECONDS 10

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static unsigned int line_of(const char *s, size_t pos)
{
	unsigned int line = 1;
	size_t i;

	for (i = 0; i < pos; i++)
		line += s[i] == '\n';
	return line;
}

/* Where the string or character constant opening at @i ends (its closing
 * quote), or @len.  libtraceevent's rule: a quote ends it unless a
 * backslash comes right before, whatever comes before that. */
static size_t quote_end(const char *s, size_t len, size_t i)
{
	size_t j;

	for (j = i + 1; j < len; j++)
		if (s[j] == s[i] && s[j - 1] != '\\')
			return j;
	return len;
}

int pvx_text_check(const char *s, size_t len, char *why, size_t whylen)
{
	size_t i, col = 1;

	if (!len || len > FMT_MAX_TEXT) {
		pvx_set_err(why, whylen, "%zu bytes of text (want 1 to %u)", len, FMT_MAX_TEXT);
		return -1;
	}
	for (i = 0; i < len; i++, col++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 || c > 0x7e) && c != '\n' && c != '\t') {
			pvx_set_err(why, whylen, "byte 0x%02x at line %u, column %zu is not text",
				    c, line_of(s, i), col);
			return -1;
		}
		if (c == '\n')
			col = 0;
	}
	return 0;
}

/* --- what a kernel writes ------------------------------------------------ */

/* The length of the operator token libtraceevent's tokenizer reads at @i. */
static size_t op_token(const char *s, size_t len, size_t i)
{
	char c = s[i], next = i + 1 < len ? s[i + 1] : 0;
	size_t n = 1;

	switch (c) {
	case '-':
		if (next == '>')
			return 2;
		/* fall through */
	case '+':
	case '|':
	case '&':
	case '>':
	case '<':
		if (next == c) {
			n = 2;
			if (c != '>' && c != '<')
				return n;
		}
		break;
	case '!':
	case '=':
		break;
	default:
		return 1;
	}
	return n + (i + n < len && s[i + n] == '=');
}

/* The operators libtraceevent gives a precedence, and those its parser
 * takes as syntax: nothing else may stand between the operands. */
static bool known_op(const char *tok, size_t n)
{
	static const char *const ops[] = { "~",	 "!",  "*",  "/",  "%",	 "+",  "-",  "<",
					   ">",	 "&",  "^",  "|",  "?",	 "++", "--", ">>",
					   "<<", ">=", "<=", "==", "!=", "&&", "||", ":",
					   "[",	 "]",  "{",  "}",  "->", NULL };
	const char *const *op;

	for (op = ops; *op; op++)
		if (strlen(*op) == n && !memcmp(*op, tok, n))
			return true;
	return false;
}

/* What libtraceevent's tokenizer reads as an operator. */
static bool op_char(char c)
{
	return c > 0x20 && c < 0x7f && !word_char(c) && c != '"' && c != '\'' && c != '(' &&
	       c != ')' && c != ',';
}

/* Field lines ("field:TYPE NAME;	offset:N;...") have a syntax of their
 * own, which libtraceevent reads without folding or recursing. */
static bool field_line(const char *s, size_t len, size_t start)
{
	while (start < len && (s[start] == ' ' || s[start] == '\t'))
		start++;
	return len - start > 5 && !memcmp(s + start, "field", 5) &&
	       (s[start + 5] == ':' || s[start + 5] == ' ');
}

/* Brackets that pair up, at most FMT_MAX_DEPTH deep. */
static int format_bracket(char *open, int *depth, const char *s, size_t i, char *why, size_t whylen)
{
	static const char pairs[] = "()[]{}";
	size_t k = (size_t)(strchr(pairs, s[i]) - pairs);

	if (k % 2 == 0) {
		if (*depth == FMT_MAX_DEPTH) {
			pvx_set_err(why, whylen, "brackets nested over %d deep at line %u",
				    FMT_MAX_DEPTH, line_of(s, i));
			return -1;
		}
		open[(*depth)++] = s[i];
		return 0;
	}
	if (!*depth || open[*depth - 1] != pairs[k - 1]) {
		pvx_set_err(why, whylen, "'%c' at line %u closes %s", s[i], line_of(s, i),
			    *depth ? "another bracket" : "nothing");
		return -1;
	}
	(*depth)--;
	return 0;
}

/* Strings that end, brackets that pair, and outside the field lines
 * only the parser's operators. */
static int format_lex(const char *s, size_t len, char *why, size_t whylen)
{
	size_t i, k, n, line = 0, checked = (size_t)-1;
	char open[FMT_MAX_DEPTH];
	bool fields = false;
	int depth = 0;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\n')
			line = i + 1;
		if (c == '"' || c == '\'') {
			k = quote_end(s, len, i);
			if (k == len) {
				pvx_set_err(why, whylen, "a %s opening at line %u does not end",
					    c == '"' ? "string" : "character constant",
					    line_of(s, i));
				return -1;
			}
			for (; i < k; i++)
				if (s[i] == '\n')
					line = i + 1;
			continue;
		}
		if (c && strchr("()[]{}", c) && format_bracket(open, &depth, s, i, why, whylen))
			return -1;
		if (!op_char(c))
			continue;
		if (checked != line) {
			fields = field_line(s, len, line);
			checked = line;
		}
		if (fields)
			continue;
		n = op_token(s, len, i);
		if (!known_op(s + i, n)) {
			pvx_set_err(why, whylen,
				    "'%.*s' at line %u is no operator of a print format", (int)n,
				    s + i, line_of(s, i));
			return -1;
		}
		i += n - 1;
	}
	if (depth) {
		pvx_set_err(why, whylen, "'%c' left open at the end", open[depth - 1]);
		return -1;
	}
	return 0;
}

/* --- parsing it once, in a child ----------------------------------------- */

/*
 * The next REC->NAME at or after *pos outside string constants (REC may
 * sit in parentheses, "(REC)->NAME", as libtraceevent allows): where it
 * starts and ends, and where NAME starts.
 */
static bool next_field_ref(const char *s, size_t len, size_t *pos, size_t *rec, size_t *name,
			   size_t *end)
{
	size_t i, k;

	for (i = *pos; i < len; i++) {
		if (s[i] == '"' || s[i] == '\'') {
			i = quote_end(s, len, i);
			continue;
		}
		if (len - i < 3 || memcmp(s + i, "REC", 3) || (i && word_char(s[i - 1])) ||
		    (i + 3 < len && word_char(s[i + 3])))
			continue;
		for (k = i + 3; k < len && (blank(s[k]) || s[k] == ')'); k++)
			;
		if (len - k < 2 || memcmp(s + k, "->", 2))
			continue;
		for (k += 2; k < len && blank(s[k]); k++)
			;
		*name = k;
		while (k < len && word_char(s[k]))
			k++;
		if (k == *name)
			continue;
		*rec = i;
		*end = *pos = k;
		return true;
	}
	*pos = len;
	return false;
}

/*
 * Which REC->NAME names no field: the fields are libtraceevent's own
 * reading of the text with every REC->NAME made the constant 1 (an
 * operand still, so the text parses as far as before).
 */
static void missing_field(const char *s, size_t len, const char *sys, char *msg, size_t msglen)
{
	size_t pos, rec, name, end, i;
	struct tep_handle *tep = tep_alloc();
	struct tep_event *ev = NULL;
	char *copy = malloc(len + 1), field[72];

	if (!tep || !copy)
		return; /* (the child's memory goes with it) */
	memcpy(copy, s, len);
	for (pos = 0; next_field_ref(s, len, &pos, &rec, &name, &end);)
		for (i = rec; i < end; i++)
			copy[i] = i == rec ? '1' : s[i] == ')' || blank(s[i]) ? s[i] : ' ';
	tep_parse_format(tep, &ev, copy, len, sys);
	if (!ev)
		return;
	for (pos = 0; next_field_ref(s, len, &pos, &rec, &name, &end);) {
		snprintf(field, sizeof(field), "%.*s", (int)(end - name > 64 ? 64 : end - name),
			 s + name);
		if (end - name <= 64 && tep_find_any_field(ev, field))
			continue;
		snprintf(msg, msglen, "REC->%s at line %u names no field of the event", field,
			 line_of(s, rec));
		return;
	}
}

/* What a child that parses formats must do first. */
static void child_setup(void)
{
	static const int fatal[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM };
	int null = open("/dev/null", O_WRONLY);
	size_t i;

	/* A crash is to kill the child, whatever handler (a sanitizer's,
	 * say) the decoder's process has, and say nothing; so is the
	 * alarm that ends a parse which does not finish: with the
	 * process's handler (libFuzzer's for -timeout, the launcher's) it
	 * did nothing, and the decoder waited for the child for ever. */
	for (i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		signal(fatal[i], SIG_DFL);
	if (null >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
}

/* How a parsing child ended, when it did not finish: @msg. */
static void child_death(int st, char *msg, size_t msglen)
{
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		snprintf(msg, msglen, "libtraceevent's parser does not finish within %d s",
			 TRIAL_SECONDS);
	else if (WIFSIGNALED(st))
		snprintf(msg, msglen, "libtraceevent's parser dies of signal %d (%s) on it",
			 WTERMSIG(st), strsignal(WTERMSIG(st)));
	else
		snprintf(msg, msglen, "libtraceevent's parser fails on it (exit status %d)",
			 WEXITSTATUS(st));
}

/*
 * Parse the text in a child: into a copy of @tep, exactly as the caller
 * is about to (@analyse false), or to find which field reference is
 * wrong (@analyse true), which the child then writes to a pipe.
 * Return: 0 if the child finished cleanly, with @msg what it wrote (if
 * anything); -1 with @msg saying how it died or why it could not run.
 */
static int in_child(bool analyse, struct tep_handle *tep, const char *s, size_t len,
		    const char *sys, char *msg, size_t msglen)
{
	int fd[2], st = 0;
	size_t got = 0;
	ssize_t k;
	pid_t pid;

	*msg = 0;
	if (pipe(fd)) {
		snprintf(msg, msglen, "cannot check it: pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		snprintf(msg, msglen, "cannot check it: fork: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (!pid) {
		struct tep_event *ev;
		char out[200] = "";

		child_setup();
		close(fd[0]);
		alarm(TRIAL_SECONDS);
		if (analyse)
			missing_field(s, len, sys, out, sizeof(out));
		else
			tep_parse_format(tep ? tep : tep_alloc(), &ev, s, len, sys);
		_exit(write(fd[1], out, strlen(out)) < 0 ? 3 : 0);
	}
	close(fd[1]);
	while (got + 1 < msglen) {
		k = read(fd[0], msg + got, msglen - 1 - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	msg[got] = 0;
	close(fd[0]);
	if (pvx_wait(pid, &st) < 0) {
		snprintf(msg, msglen, "cannot check it: waitpid: %s", strerror(errno));
		return -1;
	}
	if (WIFEXITED(st) && !WEXITSTATUS(st))
		return 0;
	child_death(st, msg, msglen);
	return -1;
}

/* --- one rehearsal per file ----------------------------------------------- */

/* What the rehearsing child says, one record at a time. */
enum { REC_PARSING = 1, REC_PARSED, REC_END };

struct trial_rec {
	uint32_t kind; /* REC_* */
	uint32_t seq; /* of the format, from 1 */
	uint64_t hash; /* of its system and text */
};

static struct {
	bool child; /* this process rehearses */
	pid_t pid; /* the decoder's: the child, or 0 */
	int fd; /* the pipe: the child's write end, the decoder's read end */
	bool over; /* the decoder's: no more records will come */
	bool reaped;
	int status; /* the child's, once reaped */
	struct trial_rec last; /* the decoder's: the last record read */
	uint32_t seq; /* formats checked since the rehearsal began */
	uint64_t hash; /* the child's: of the format being parsed */
} trial = { .fd = -1 };

static uint64_t text_hash(const char *sys, const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; sys[i]; i++)
		h = (h ^ (unsigned char)sys[i]) * 0x100000001b3ull;
	h = (h ^ 0xff) * 0x100000001b3ull; /* (no system byte is 0xff) */
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
	return h;
}

/* The child's side: a record, written whole (it fits a pipe's atomic
 * write) or, the decoder gone, not at all. */
static void trial_say(uint32_t kind, uint32_t seq, uint64_t hash)
{
	struct trial_rec r = { .kind = kind, .seq = seq, .hash = hash };
	ssize_t k;

	do
		k = write(trial.fd, &r, sizeof(r));
	while (k < 0 && errno == EINTR);
}

static void trial_reap(void)
{
	if (!trial.pid || trial.reaped)
		return;
	if (pvx_wait(trial.pid, &trial.status) < 0)
		trial.status = 0;
	trial.reaped = true;
}

/* The decoder's side: the next record, or false at the end of them. */
static bool trial_next(void)
{
	size_t got = 0;
	ssize_t k;

	if (trial.over)
		return false;
	while (got < sizeof(trial.last)) {
		k = read(trial.fd, (char *)&trial.last + got, sizeof(trial.last) - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (got == sizeof(trial.last) && trial.last.kind != REC_END)
		return true;
	/* A child that died mid-record said nothing; one that died between
	 * two records said the last one whole, which trial_verdict() reads:
	 * "parsing" with nothing after it is a death of that text. */
	if (got && got != sizeof(trial.last))
		trial.last.kind = 0;
	trial.over = true;
	return false;
}

enum verdict { UNKNOWN, PARSED, DIED };

/* What the rehearsal says of format @seq, whose hash is @hash. */
static enum verdict trial_verdict(uint32_t seq, uint64_t hash)
{
	for (;;) {
		if (!trial_next()) {
			/* Died while parsing this text, or no word of it. */
			if (trial.last.kind != REC_PARSING || trial.last.seq != seq ||
			    trial.last.hash != hash)
				return UNKNOWN;
			trial_reap();
			if (WIFEXITED(trial.status) && !WEXITSTATUS(trial.status))
				return UNKNOWN;
			return DIED;
		}
		if (trial.last.seq < seq)
			continue;
		if (trial.last.seq > seq || trial.last.hash != hash) {
			/* another text than the decoder's: trust it no further */
			trial.over = true;
			return UNKNOWN;
		}
		if (trial.last.kind == REC_PARSED)
			return PARSED;
	}
}

int pvx_formats_rehearse(void (*rehearse)(void *arg), void *arg)
{
	int fd[2];
	pid_t pid;

	if (trial.child || trial.pid || pipe(fd))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (!pid) {
		child_setup();
		close(fd[0]);
		trial.child = true;
		trial.fd = fd[1];
		trial.seq = 0;
		rehearse(arg);
		trial_say(REC_END, trial.seq, 0);
		_exit(0);
	}
	close(fd[1]);
	trial.pid = pid;
	trial.fd = fd[0];
	trial.over = trial.reaped = false;
	trial.last.kind = 0;
	trial.seq = 0;
	return 0;
}

void pvx_formats_rehearsed(void)
{
	if (!trial.pid)
		return;
	/* The child ends by itself, as soon as it has done what the
	 * decoder did; waiting for it leaves nothing of it behind. */
	while (trial_next())
		;
	close(trial.fd);
	trial_reap();
	trial.fd = -1;
	trial.pid = 0;
}

void pvx_format_parsed(void)
{
	if (!trial.child)
		return;
	alarm(0);
	trial_say(REC_PARSED, trial.seq, trial.hash);
}

/* "SYS:NAME" from the first line, "name: NAME", for messages (which a
 * corrupt system name must not break into lines). */
static void format_name(const char *s, size_t len, const char *sys, char *out, size_t outlen)
{
	size_t n = strnlen(sys, 65), i;

	for (i = 0; i < n; i++)
		if (!word_char(sys[i]) && sys[i] != '-' && sys[i] != '.')
			break;
	if (!n || n > 64 || i < n)
		sys = "?";
	n = 0;
	if (len > 6 && !memcmp(s, "name: ", 6))
		while (6 + n < len && n < 64 && word_char(s[6 + n]))
			n++;
	if (n && (6 + n == len || s[6 + n] == '\n'))
		snprintf(out, outlen, "%s:%.*s", sys, (int)n, s + 6);
	else
		snprintf(out, outlen, "an event of system %s", sys);
}

int pvx_format_check(struct tep_handle *tep, const char *text, size_t len, const char *sys,
		     char *why, size_t whylen)
{
	char what[200], found[200], name[96];
	enum verdict v = UNKNOWN;
	uint64_t hash;

	if (pvx_text_check(text, len, what, sizeof(what)) ||
	    format_lex(text, len, what, sizeof(what)))
		goto bad;
	if (trial.child) {
		/* rehearsing: the caller parses it next, here */
		trial.hash = text_hash(sys, text, len);
		trial_say(REC_PARSING, ++trial.seq, trial.hash);
		alarm(TRIAL_SECONDS);
		return 0;
	}
	if (trial.pid) {
		hash = text_hash(sys, text, len);
		v = trial_verdict(++trial.seq, hash);
		if (v == PARSED)
			return 0;
		if (v == DIED)
			child_death(trial.status, what, sizeof(what));
	}
	if (v == UNKNOWN && !in_child(false, tep, text, len, sys, what, sizeof(what)))
		return 0;
	/* name the field reference at fault, if one is */
	if (!in_child(true, NULL, text, len, sys, found, sizeof(found)) && *found)
		snprintf(what, sizeof(what), "%s", found);
bad:
	format_name(text, len, sys, name, sizeof(name));
	pvx_set_err(why, whylen, "the format of %s: %s (corrupt format text)", name, what);
	return -1;
}
