/*
 * pvexit run: run the payload under KVM PR, once per byte order, and
 * print per class and variant the time and exits per operation.  Where
 * this machine has no KVM PR, the same command runs inside the lab.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pvexit/classes.h>

#include "cmd.h"
#include "launcher.h"
#include "run_report.h"
#include "util.h"

struct run_opts {
	char classes[512]; /* bootargs form: comma list, or "all" */
	bool be, le, b64, b32;
	uint64_t iterations, fast_iterations, mem_mib, timeout;
	const char *payload_dir;
	char guest_args[256]; /* extra KEY=VALUE words for the payload */
	bool no_lab, verbose;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: pvexit run [OPTION...]\n"
		"\n"
		"Run the payloads under KVM PR and print, per instruction class and variant\n"
		"(raw: trapping, patched: PV-rewritten, baseline: no privileged instruction),\n"
		"the time per operation and the emulation exits per operation.\n"
		"Without KVM PR on this machine it runs inside the lab (lab/run).\n"
		"\n"
		"  -c, --class LIST          classes to run, comma-separated, or 'all' (default)\n"
		"  -e, --endian be|le|both   guest byte orders (default both)\n"
		"  -b, --bits 64|32|both     guest word sizes (default both; a 32-bit guest is a\n"
		"                            big-endian Book3S-32 CPU, a 750)\n"
		"  -n, --iterations N        raw (trapping) iterations (default 20000)\n"
		"  -f, --fast-iterations N   patched and baseline iterations (default 2000000)\n"
		"  -m, --mem MIB             guest RAM (default 64)\n"
		"  -t, --timeout SEC         watchdog for each guest run (default 120)\n"
		"      --payload-dir DIR     where payload-be.elf, -le.elf and -be32.elf are\n"
		"                            (default: ../guest from this program)\n"
		"      --guest-arg KEY=VALUE extra payload argument (repeatable), e.g.\n"
		"                            fault=jump0 or fault=spin to see failures reported\n"
		"      --no-lab              fail instead of using the lab\n"
		"  -v, --verbose             print every report record\n"
		"  -h, --help                this text\n"
		"\n"
		"Exit status: 0 all good; 1 a run failed or a verdict or check failed; 2 bad usage.\n");
}

static int parse_classes(const char *arg, struct run_opts *o)
{
	char buf[512], *tok, *save;
	size_t n = 0, i;

	if (!strcmp(arg, "all")) {
		snprintf(o->classes, sizeof(o->classes), "all");
		return 0;
	}
	if (strlen(arg) >= sizeof(buf)) {
		pvx_err("--class: list too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", arg);
	o->classes[0] = '\0';
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < PVX_CLASS_COUNT; i++)
			if (!strcmp(tok, pvx_classes[i].name))
				break;
		if (i == PVX_CLASS_COUNT) {
			pvx_err("--class: unknown class '%s' (see 'pvexit list')", tok);
			return -1;
		}
		if (!(pvx_classes[i].bench & (PVX_FAM_BOOK3S64 | PVX_FAM_BOOK3S32))) {
			pvx_err("--class: '%s' cannot be benchmarked on a Book3S KVM PR host (see 'pvexit list')",
				tok);
			return -1;
		}
		n += (size_t)snprintf(o->classes + n, sizeof(o->classes) - n, "%s%s", n ? "," : "",
				      tok);
	}
	if (!n) {
		pvx_err("--class: empty list");
		return -1;
	}
	return 0;
}

/* The payload arguments that have options of their own. */
static bool reserved_key(const char *kv)
{
	static const char *const keys[] = { "class=", "iterations=", "fast-iterations=" };
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strncmp(kv, keys[i], strlen(keys[i])))
			return true;
	return false;
}

/* Every requested class must run in at least one requested guest. */
static bool check_guests(const struct run_opts *o)
{
	unsigned int fams =
		(o->b64 ? PVX_FAM_BOOK3S64 : 0) | (o->b32 && o->be ? PVX_FAM_BOOK3S32 : 0);
	char buf[sizeof(o->classes)], *tok, *save;
	int i;

	if (!strcmp(o->classes, "all"))
		return true;
	snprintf(buf, sizeof(buf), "%s", o->classes);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < PVX_CLASS_COUNT; i++)
			if (!strcmp(tok, pvx_classes[i].name) && (pvx_classes[i].bench & fams))
				break;
		if (i == PVX_CLASS_COUNT) {
			pvx_err("--class %s: no guest selected by --endian/--bits runs it (a %s class)",
				tok, fams & PVX_FAM_BOOK3S32 ? "64-bit-only" : "32-bit-only");
			return false;
		}
	}
	return true;
}

static int parse(int argc, char **argv, struct run_opts *o)
{
	enum { OPT_PAYLOAD_DIR = 256, OPT_NO_LAB, OPT_GUEST_ARG };
	static const struct option opts[] = {
		{ "class", required_argument, NULL, 'c' },
		{ "endian", required_argument, NULL, 'e' },
		{ "bits", required_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "fast-iterations", required_argument, NULL, 'f' },
		{ "mem", required_argument, NULL, 'm' },
		{ "timeout", required_argument, NULL, 't' },
		{ "payload-dir", required_argument, NULL, OPT_PAYLOAD_DIR },
		{ "no-lab", no_argument, NULL, OPT_NO_LAB },
		{ "guest-arg", required_argument, NULL, OPT_GUEST_ARG },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	snprintf(o->classes, sizeof(o->classes), "all");
	o->be = o->le = true;
	o->b64 = o->b32 = true;
	o->iterations = 20000;
	o->fast_iterations = 2000000;
	o->mem_mib = 64;
	o->timeout = 120;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:e:b:n:f:m:t:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (parse_classes(optarg, o) < 0)
				return 2;
			break;
		case 'e':
			o->be = !strcmp(optarg, "be") || !strcmp(optarg, "both");
			o->le = !strcmp(optarg, "le") || !strcmp(optarg, "both");
			if (!o->be && !o->le) {
				pvx_err("--endian wants be, le or both, not '%s'", optarg);
				return 2;
			}
			break;
		case 'b':
			o->b64 = !strcmp(optarg, "64") || !strcmp(optarg, "both");
			o->b32 = !strcmp(optarg, "32") || !strcmp(optarg, "both");
			if (!o->b64 && !o->b32) {
				pvx_err("--bits wants 64, 32 or both, not '%s'", optarg);
				return 2;
			}
			break;
		case 'n':
		case 'f':
			if (!pvx_parse_u64(optarg, 32, 1000000000000ULL,
					   c == 'n' ? &o->iterations : &o->fast_iterations)) {
				pvx_err("--%s wants a whole number from 32 to 10^12, not '%s'",
					c == 'n' ? "iterations" : "fast-iterations", optarg);
				return 2;
			}
			break;
		case 'm':
			if (!pvx_parse_u64(optarg, 16, 2048, &o->mem_mib)) {
				pvx_err("--mem wants MiB from 16 to 2048, not '%s'", optarg);
				return 2;
			}
			break;
		case 't':
			if (!pvx_parse_u64(optarg, 1, 86400, &o->timeout)) {
				pvx_err("--timeout wants seconds from 1 to 86400, not '%s'",
					optarg);
				return 2;
			}
			break;
		case OPT_PAYLOAD_DIR:
			o->payload_dir = optarg;
			break;
		case OPT_NO_LAB:
			o->no_lab = true;
			break;
		case OPT_GUEST_ARG: {
			size_t n = strlen(o->guest_args);

			if (!strchr(optarg, '=') || optarg[0] == '=' || strchr(optarg, ' ')) {
				pvx_err("--guest-arg wants KEY=VALUE without spaces, not '%s'",
					optarg);
				return 2;
			}
			if (reserved_key(optarg)) {
				pvx_err("--guest-arg %s: pvexit sets that key itself; use its option (--help)",
					optarg);
				return 2;
			}
			if (n + strlen(optarg) + 2 > sizeof(o->guest_args)) {
				pvx_err("--guest-arg: too many payload arguments");
				return 2;
			}
			snprintf(o->guest_args + n, sizeof(o->guest_args) - n, " %s", optarg);
			break;
		}
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case ':':
			pvx_err("option %s needs a value (try --help)", argv[optind - 1]);
			return 2;
		default:
			pvx_err("unknown option '%s' (try --help)", argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		pvx_err("unexpected argument '%s' (try --help)", argv[optind]);
		return 2;
	}
	if (!o->b64 && !o->be) {
		pvx_err("--endian le --bits 32: no little-endian 32-bit Book3S guest exists");
		return 2;
	}
	return check_guests(o) ? 0 : 2;
}

/*
 * No KVM PR here: run this same command inside the lab, whose ppc64le
 * build of pvexit is on PATH there.  The lab's own timeout covers boot
 * and every guest run.
 */
static int run_in_lab(int argc, char **argv, const struct run_opts *o, const char *why)
{
	char lab_run[PATH_MAX], le_pvexit[PATH_MAX], timeout[32];
	const char *dir = pvx_exe_dir(), *env = getenv("PVEXIT_LAB_RUN");
	char **args;
	int i, n = 0;

	if (env)
		snprintf(lab_run, sizeof(lab_run), "%s", env);
	else if (dir)
		snprintf(lab_run, sizeof(lab_run), "%s/../../../lab/run", dir);
	else {
		pvx_err("no KVM PR here (%s), and cannot find lab/run (set PVEXIT_LAB_RUN)", why);
		return 1;
	}
	if (access(lab_run, X_OK)) {
		pvx_err("no KVM PR here (%s), and no lab at %s: %s (set PVEXIT_LAB_RUN)", why,
			lab_run, strerror(errno));
		return 1;
	}
	if (!env && dir) {
		snprintf(le_pvexit, sizeof(le_pvexit), "%s/../../ppc64le/bin/pvexit", dir);
		if (access(le_pvexit, X_OK)) {
			pvx_err("no KVM PR here (%s), and the lab's ppc64le build is missing (%s): run 'make build'",
				why, le_pvexit);
			return 1;
		}
	}
	fprintf(stderr, "%s: no KVM PR on this machine (%s); running inside the lab\n", pvx_prog,
		why);
	fflush(stderr);
	snprintf(timeout, sizeof(timeout), "%llu", (unsigned long long)(o->timeout * 3 + 120));
	args = pvx_xcalloc((size_t)argc + 8, sizeof(*args));
	args[n++] = lab_run;
	args[n++] = "--timeout";
	args[n++] = timeout;
	args[n++] = "--";
	args[n++] = "pvexit";
	args[n++] = "run";
	args[n++] = "--no-lab";
	for (i = 1; i < argc; i++)
		args[n++] = argv[i];
	execv(lab_run, args);
	pvx_err("cannot run %s: %s", lab_run, strerror(errno));
	free(args);
	return 1;
}

static int run_one(const struct run_opts *o, const char *endian)
{
	struct launch_opts lo;
	struct launch_result *r = pvx_xcalloc(1, sizeof(*r));
	char payload[PATH_MAX], bootargs[1024];
	const char *dir = o->payload_dir;
	char def[PATH_MAX];
	int bad;

	if (!dir) {
		const char *exe = pvx_exe_dir();

		snprintf(def, sizeof(def), "%.*s/../guest", PATH_MAX - 32, exe ? exe : ".");
		dir = def;
	}
	if ((size_t)snprintf(payload, sizeof(payload), "%.*s/payload-%s.elf", PATH_MAX - 32, dir,
			     endian) >= sizeof(payload)) {
		pvx_err("--payload-dir: path too long");
		free(r);
		return 1;
	}
	snprintf(bootargs, sizeof(bootargs), "class=%s iterations=%llu fast-iterations=%llu%s",
		 o->classes, (unsigned long long)o->iterations,
		 (unsigned long long)o->fast_iterations, o->guest_args);
	memset(&lo, 0, sizeof(lo));
	lo.payload = payload;
	lo.ram_size = o->mem_mib << 20;
	lo.bootargs = bootargs;
	lo.timeout_s = (unsigned int)o->timeout;
	lo.verbose = o->verbose;

	printf("== %s-endian %s-bit guest (%s)\n", endian[0] == 'b' ? "big" : "little",
	       strcmp(endian, "be32") ? "64" : "32", payload);
	fflush(stdout);
	if (launch_run(&lo, r) < 0) {
		pvx_err("%s-endian run: %s", endian, r->error);
		launch_result_free(r);
		free(r);
		return 1;
	}
	bad = run_report_print(stdout, r, endian);
	if (r->failures) {
		pvx_err("%s-endian run: the payload reported %llu failure(s)", endian,
			(unsigned long long)r->failures);
		bad++;
	}
	launch_result_free(r);
	free(r);
	printf("\n");
	return bad ? 1 : 0;
}

int cmd_run(int argc, char **argv)
{
	struct run_opts o;
	char why[256];
	int rc, status = 0;

	rc = parse(argc, argv, &o);
	if (rc)
		return rc;
	if (!kvm_pr_available(why, sizeof(why))) {
		if (o.no_lab) {
			pvx_err("no KVM PR on this machine (%s), and --no-lab refuses the lab",
				why);
			return 1;
		}
		return run_in_lab(argc, argv, &o, why);
	}
	if (getenv("PVEXIT_LAB"))
		printf("pvexit run: KVM PR inside the lab (an emulated POWER8 host)\n");
	if (o.be && o.b64 && run_one(&o, "be"))
		status = 1;
	if (o.le && o.b64 && run_one(&o, "le"))
		status = 1;
	if (o.be && o.b32 && run_one(&o, "be32"))
		status = 1;
	return status;
}
