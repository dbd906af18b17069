// SPDX-License-Identifier: GPL-2.0-only
/*
 * lib/util: pvx_tool_path(), which finds lab/run and the e500 launcher:
 * the environment wins, the build tree's layout is the default, and a
 * name that does not fit is refused rather than cut short.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "util.h"

#define VAR "PVEXIT_UNIT_TOOL_PATH"

int main(void)
{
	char buf[64], want[4096], big[4096];
	const char *exe = pvx_exe_dir();

	unsetenv(VAR);
	CHECK("exe dir: known from /proc/self/exe", exe != NULL);
	if (exe) {
		char wide[4096];

		snprintf(want, sizeof(want), "%s/../lab/run", exe);
		CHECK_EQ_U64("unset: a path beside this program",
			     pvx_tool_path(VAR, "../lab/run", wide, sizeof(wide)), 0);
		CHECK_STR_CONTAINS("unset: EXE_DIR/REL", wide, want);
		CHECK("unset: nothing after REL", !strcmp(wide, want));
	}

	setenv(VAR, "/opt/lab/run", 1);
	CHECK_EQ_U64("set: the variable wins", pvx_tool_path(VAR, "../lab/run", buf, sizeof(buf)),
		     0);
	CHECK("set: its value as given", !strcmp(buf, "/opt/lab/run"));

	setenv(VAR, "", 1);
	CHECK_EQ_U64("set empty: still the variable's", pvx_tool_path(VAR, "x", buf, sizeof(buf)),
		     0);
	CHECK("set empty: an empty name, which access() then refuses", !strcmp(buf, ""));

	memset(big, 'a', sizeof(buf));
	big[sizeof(buf)] = '\0';
	setenv(VAR, big, 1);
	CHECK_EQ_U64("too long a value: refused", pvx_tool_path(VAR, "x", buf, sizeof(buf)) == -1,
		     1);

	unsetenv(VAR);
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ_U64("too long a default: refused", pvx_tool_path(VAR, big, buf, sizeof(buf)) == -1,
		     1);

	CHECK_EQ_U64("no room at all: refused", pvx_tool_path(VAR, "x", buf, 0) == -1, 1);
	return unit_done();
}
