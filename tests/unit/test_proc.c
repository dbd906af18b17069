// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/proc: how a child ended, a wait that a signal handler interrupts,
 * and pvx_spawn() telling a failed exec from a command that failed.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc.h"
#include "unit.h"

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static pid_t child_exiting(int code, long after_ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		nap_ms(after_ms);
		_exit(code);
	}
	return pid;
}

static void exit_status(void)
{
	char buf[64];
	pid_t pid = child_exiting(3, 0);
	int st = -1;

	CHECK("exit 3: forked", pid > 0);
	CHECK("exit 3: pvx_wait returns the child", pvx_wait(pid, &st) == pid);
	CHECK("exit 3: exited", WIFEXITED(st) && WEXITSTATUS(st) == 3);
	CHECK("exit 3: pvx_wait_status",
	      !strcmp(pvx_wait_status(st, buf, sizeof(buf)), "exit status 3"));
	CHECK("exit 3: pvx_exit_code", pvx_exit_code(st) == 3);
}

static void killed(void)
{
	char buf[64];
	pid_t pid = child_exiting(0, 60000);
	int st = -1;

	CHECK("killed: forked", pid > 0);
	kill(pid, SIGKILL);
	CHECK("killed: pvx_wait returns the child", pvx_wait(pid, &st) == pid);
	CHECK("killed: by SIGKILL", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	CHECK_STR_CONTAINS("killed: pvx_wait_status", pvx_wait_status(st, buf, sizeof(buf)),
			   "signal 9 (");
	CHECK("killed: pvx_exit_code is 128 + 9", pvx_exit_code(st) == 137);
}

static void count_call(void *arg)
{
	(*(int *)arg)++;
}

/* A SIGALRM every 10 ms from a handler without SA_RESTART, so that
 * waitpid() returns EINTR again and again while the child sleeps. */
static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_alarm }, old;
	struct itimerval every = { { 0, 10000 }, { 0, 10000 } }, off = { { 0, 0 }, { 0, 0 } };
	pid_t pid;
	int st = -1, calls = 0;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, &old);

	pid = child_exiting(5, 200);
	alarms = 0;
	setitimer(ITIMER_REAL, &every, NULL);
	CHECK("interrupted wait: returns the child", pvx_wait(pid, &st) == pid);
	setitimer(ITIMER_REAL, &off, NULL);
	CHECK("interrupted wait: the signals came", alarms > 0);
	CHECK("interrupted wait: the child's status", WIFEXITED(st) && WEXITSTATUS(st) == 5);

	pid = child_exiting(6, 200);
	alarms = 0;
	setitimer(ITIMER_REAL, &every, NULL);
	CHECK("pvx_wait_intr: returns the child",
	      pvx_wait_intr(pid, &st, count_call, &calls) == pid);
	setitimer(ITIMER_REAL, &off, NULL);
	CHECK("pvx_wait_intr: called back on each interruption", calls > 0 && calls <= alarms);
	CHECK("pvx_wait_intr: the child's status", WIFEXITED(st) && WEXITSTATUS(st) == 6);

	pid = child_exiting(7, 200);
	CHECK("pvx_wait_intr: any child", pvx_wait_intr(-1, &st, NULL, NULL) == pid);
	CHECK("pvx_wait_intr: any child's status", WIFEXITED(st) && WEXITSTATUS(st) == 7);

	sigaction(SIGALRM, &old, NULL);
}

static void nohang(void)
{
	pid_t pid = child_exiting(4, 300), r;
	int st = -1, tries;

	CHECK("nohang: 0 while the child runs", pvx_wait_nohang(pid, &st) == 0);
	for (tries = 0; (r = pvx_wait_nohang(pid, &st)) == 0 && tries < 500; tries++)
		nap_ms(10);
	CHECK("nohang: then the child", r == pid);
	CHECK("nohang: its status", WIFEXITED(st) && WEXITSTATUS(st) == 4);
	errno = 0;
	CHECK("no such child: -1, ECHILD", pvx_wait(pid, &st) == -1 && errno == ECHILD);
}

static void exit_in_setup(void *arg)
{
	_exit(*(int *)arg);
}

static void spawn(void)
{
	char *sh[] = { "sh", "-c", "exit 4", NULL };
	char *none[] = { "pvexit-no-such-command", NULL };
	struct pvx_cmd cmd = { .argv = sh };
	char err[128] = "";
	int fd, st = -1, code = 9;
	pid_t pid;

	pid = pvx_spawn(&cmd, &fd, err, sizeof(err));
	CHECK("spawn sh from PATH: started", pid > 0 && fd >= 0);
	CHECK("spawn sh from PATH: exec worked", pvx_spawn_result(fd) == 0);
	CHECK("spawn sh from PATH: its status",
	      pvx_wait(pid, &st) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 4);

	cmd.path = "/bin/sh";
	pid = pvx_spawn(&cmd, &fd, err, sizeof(err));
	CHECK("spawn /bin/sh by path: exec worked", pid > 0 && pvx_spawn_result(fd) == 0);
	CHECK("spawn /bin/sh by path: its status",
	      pvx_wait(pid, &st) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 4);

	cmd.path = NULL;
	cmd.argv = none;
	pid = pvx_spawn(&cmd, &fd, err, sizeof(err));
	CHECK("spawn a missing command: started", pid > 0);
	CHECK("spawn a missing command: ENOENT", pvx_spawn_result(fd) == ENOENT);
	CHECK("spawn a missing command: exits 127",
	      pvx_wait(pid, &st) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 127);

	cmd.argv = sh;
	cmd.setup = exit_in_setup;
	cmd.arg = &code;
	pid = pvx_spawn(&cmd, &fd, err, sizeof(err));
	CHECK("spawn: setup runs in the child; no exec error", pvx_spawn_result(fd) == 0);
	CHECK("spawn: setup runs in the child; its status",
	      pvx_wait(pid, &st) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 9);
}

int main(void)
{
	exit_status();
	killed();
	interrupted();
	nohang();
	spawn();
	return unit_done();
}
