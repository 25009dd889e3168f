/* cli.c: option parsing for run and exec, the ":::" input groups, and --help. */
#include "config.h"
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "duration.h"
#include "util.h"

enum {
	OPT_TIMEOUT = 1000,
	OPT_GRACE,
	OPT_CGROUP,
	OPT_NO_CGROUP,
	OPT_JSON,
	OPT_DESCENDANTS,
	OPT_POLICY,
	OPT_ALLOW_MISSING,
	OPT_SPAWN_METHOD,
	OPT_KILL_METHOD,
	OPT_VERSION,
};

static const struct option long_opts[] = {
    {"jobs", required_argument, NULL, 'j'},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"grace", required_argument, NULL, OPT_GRACE},
    {"cgroup", optional_argument, NULL, OPT_CGROUP},
    {"no-cgroup", no_argument, NULL, OPT_NO_CGROUP},
    {"json", required_argument, NULL, OPT_JSON},
    {"descendants", required_argument, NULL, OPT_DESCENDANTS},
    {"policy", required_argument, NULL, OPT_POLICY},
    {"allow-missing-controllers", no_argument, NULL, OPT_ALLOW_MISSING},
    {"spawn-method", required_argument, NULL, OPT_SPAWN_METHOD},
    {"kill-method", required_argument, NULL, OPT_KILL_METHOD},
    {"null", no_argument, NULL, '0'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

void sp_cli_usage(FILE *out)
{
	fputs("Usage:\n"
	      "  sandpool run [OPTIONS] [--] CMD [ARGS...] [::: INPUT...]...\n"
	      "  sandpool exec [OPTIONS] [--] CMD [ARGS...]\n"
	      "  sandpool policy check|show|syscalls FILE|NAME\n"
	      "  sandpool doctor\n"
	      "  sandpool gc [--cgroup=PATH] [-q]\n"
	      "\n"
	      "Runs each task in its own cgroup v2 leaf; on timeout sends SIGTERM, waits the\n"
	      "grace period, then kills the task and every descendant with cgroup.kill.\n"
	      "\n"
	      "run: one task per input; inputs come from ':::' groups (several groups give\n"
	      "every combination) or, without ':::', one per line on stdin. {} in CMD or\n"
	      "ARGS is replaced by the input, and the input is appended when no replacement\n"
	      "string is used. Also: {.} no extension, {/} basename, {//} dirname, {/.}\n"
	      "basename without extension, {#} task number, {%} worker slot, {N} group N.\n"
	      "Inputs become argv words: no shell is involved.\n"
	      "\n"
	      "Options:\n"
	      "  -j, --jobs N          run N tasks at once (default: number of CPUs)\n"
	      "      --timeout D       end a task after D (500ms, 5s, 2m, 1h 30min)\n"
	      "      --grace D         after SIGTERM, wait D before killing (default 2s)\n"
	      "      --cgroup[=PATH]   require cgroup containment, under PATH if given (a\n"
	      "                        directory on the cgroup v2 mount, e.g. a delegated one)\n"
	      "      --no-cgroup       process groups instead of cgroups (weaker: daemons\n"
	      "                        that leave their process group survive until the end)\n"
	      "      --descendants=kill|wait\n"
	      "                        when the main process exits but its children remain:\n"
	      "                        kill them (default) or wait for them (bounded by\n"
	      "                        --timeout)\n"
	      "      --policy FILE|NAME  apply a policy (seccomp, limits, process settings)\n"
	      "      --allow-missing-controllers\n"
	      "                        run even if a limit's controller is missing; the job\n"
	      "                        log marks the affected tasks\n"
	      "      --json FILE       job log: one JSON object per task as it ends ('-' for\n"
	      "                        stdout)\n"
	      "  -0, --null            stdin inputs are separated by NUL, not newline\n"
	      "  -q, --quiet           no per-task notes or summary on stderr\n"
	      "      --spawn-method=clone3|fork, --kill-method=cgroup.kill|freeze\n"
	      "                        use the fallbacks for kernels without\n"
	      "                        CLONE_INTO_CGROUP (5.7) or cgroup.kill (5.14)\n"
	      "  -h, --help            this text;  --version  the version\n"
	      "\n"
	      "Exit status of run: 0 all tasks ok; 1-100 the number of tasks that did not\n"
	      "end ok; 101 more than 100; 128+N stopped by signal N; 252 no usable cgroup\n"
	      "with --cgroup; 253 invalid policy or missing controller; 254 usage error;\n"
	      "251 system error; 250 internal error.\n"
	      "Exit status of exec: the command's status; 124 timeout; 125 sandpool failed;\n"
	      "126 not executable; 127 not found; 128+N killed by signal N.\n"
	      "\n"
	      "Examples:\n"
	      "  sandpool run -j8 --timeout 30s --json log.jsonl -- gzip -9 {} ::: *.log\n"
	      "  find . -name '*.c' | sandpool run --cgroup -- cc -c {} -o {.}.o\n"
	      "  sandpool exec --timeout 10s --policy strict -- python3 untrusted.py\n"
	      "  sandpool run --cgroup=/sys/fs/cgroup/mine -j4 -- ./job {} ::: 1 2 3 4\n",
	      out);
}

__attribute__((format(printf, 2, 3))) static int usage_error(sp_err_t *err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sp_err_setk(err, SP_EK_USAGE, 0, "%s", msg);
	sp_err_hint(err, "see 'sandpool --help'");
	return -1;
}

static int parse_duration_opt(const char *name, const char *arg, uint64_t *ns, sp_err_t *err)
{
	if (sp_duration_parse(arg, ns, err) < 0)
		return sp_err_prefix(err, "--%s", name);
	return 0;
}

static int parse_jobs(const char *arg, unsigned *jobs, sp_err_t *err)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || *end || v == 0 || v > 65536 || arg[0] == '-')
		return usage_error(err, "-j/--jobs: \"%s\" is not a number from 1 to 65536", arg);
	*jobs = (unsigned)v;
	return 0;
}

static int parse_option(sp_cli_t *c, int opt, const char *arg, char **argv, sp_err_t *err)
{
	sp_pool_opts_t *o = &c->pool;

	switch (opt) {
	case 'j':
		if (c->exec)
			return usage_error(err, "%s: exec runs one task; -j is for run", "-j");
		return parse_jobs(arg, &o->jobs, err);
	case OPT_TIMEOUT:
		c->timeout_given = true;
		return parse_duration_opt("timeout", arg, &o->timeout_ns, err);
	case OPT_GRACE:
		c->grace_given = true;
		return parse_duration_opt("grace", arg, &o->grace_ns, err);
	case OPT_CGROUP:
		o->cg.want = SP_CGWANT_REQUIRED;
		o->cg.path = arg && *arg ? arg : NULL;
		return 0;
	case OPT_NO_CGROUP:
		o->cg.want = SP_CGWANT_OFF;
		return 0;
	case OPT_JSON:
		o->json_path = arg;
		return 0;
	case OPT_DESCENDANTS:
		if (strcmp(arg, "kill") && strcmp(arg, "wait"))
			return usage_error(err, "--descendants: \"%s\": use kill or wait", arg);
		o->descendants_wait = strcmp(arg, "wait") == 0;
		return 0;
	case OPT_POLICY:
		c->policy_arg = arg;
		return 0;
	case OPT_ALLOW_MISSING:
		o->allow_missing_controllers = true;
		return 0;
	case OPT_SPAWN_METHOD:
		if (strcmp(arg, "clone3") && strcmp(arg, "fork"))
			return usage_error(err, "--spawn-method: \"%s\": use clone3 or fork", arg);
		o->spawn_method = strcmp(arg, "fork") == 0 ? SP_SPAWN_FORK : SP_SPAWN_CLONE3;
		return 0;
	case OPT_KILL_METHOD:
		if (strcmp(arg, "cgroup.kill") && strcmp(arg, "freeze"))
			return usage_error(err, "--kill-method: \"%s\": use cgroup.kill or freeze",
					   arg);
		o->cg.no_cgroup_kill = strcmp(arg, "freeze") == 0;
		return 0;
	case '0':
		c->null_sep = true;
		return 0;
	case 'q':
		o->quiet = o->cg.quiet = true;
		return 0;
	case 'h':
		c->help = true;
		return 0;
	case OPT_VERSION:
		c->version = true;
		return 0;
	default:
		return usage_error(err, "unknown option %s", argv[optind - 1]);
	}
}

/* Split "CMD ARGS ::: a b ::: c d" into the command and input groups. */
static int split_command(sp_cli_t *c, int argc, char **argv, sp_err_t *err)
{
	int i = 0, start;

	while (i < argc && strcmp(argv[i], ":::") != 0)
		i++;
	c->cmd = argv;
	c->ncmd = (size_t)i;
	if (c->ncmd == 0)
		return usage_error(err, "%s", "no command given");
	if (c->exec && i < argc)
		return usage_error(err, "%s", "exec runs one command: ':::' is for run");
	while (i < argc) {
		start = ++i;
		while (i < argc && strcmp(argv[i], ":::") != 0)
			i++;
		if (sp_inputs_add_group(&c->inputs, argv + start, (size_t)(i - start), err) < 0)
			return -1;
	}
	return 0;
}

static void set_defaults(sp_cli_t *c)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	memset(&c->pool, 0, sizeof(c->pool));
	c->pool.jobs = n > 0 ? (unsigned)n : 1;
	c->pool.grace_ns = 2000000000ull;
	c->pool.spawn_method = SP_SPAWN_CLONE3;
}

int sp_cli_parse(sp_cli_t *c, int argc, char **argv, sp_err_t *err)
{
	int opt;

	memset(c, 0, sizeof(*c));
	c->exec = strcmp(argv[0], "exec") == 0;
	set_defaults(c);
	sp_inputs_init(&c->inputs);
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+j:0qh", long_opts, NULL)) != -1) {
		if (opt == '?' || opt == ':') {
			if (optopt && optopt < 256)
				return usage_error(
				    err, "invalid option -%c, or it lacks its argument", optopt);
			return usage_error(err, "unknown or incomplete option %s",
					   argv[optind - 1]);
		}
		if (parse_option(c, opt, optarg, argv, err) < 0)
			return -1;
	}
	if (c->help || c->version)
		return 0;
	if (split_command(c, argc - optind, argv + optind, err) < 0)
		return -1;
	if (c->exec) {
		c->pool.jobs = 1;
		c->pool.keep_stdin = true;
		c->inputs.ncols = 0; /* one task, no input */
		c->inputs.count = 1;
	} else if (c->inputs.ncols == 0) {
		if (isatty(STDIN_FILENO))
			fputs("sandpool: reading inputs from the terminal (one per line; end with "
			      "Ctrl-D)\n",
			      stderr);
		/* Read as they come, in the event loop: tasks start before the end. */
		sp_inputs_stream(&c->inputs, STDIN_FILENO, c->null_sep ? '\0' : '\n');
	}
	if (sp_template_init(&c->tmpl, c->cmd, c->ncmd, err) < 0)
		return -1;
	if (c->exec) { /* exec passes its words through untouched */
		c->tmpl.append_input = false;
		memset(c->tmpl.has_repl, 0, c->ncmd * sizeof(bool));
	}
	c->pool.tmpl = &c->tmpl;
	c->pool.inputs = &c->inputs;
	/* No more workers than tasks when the inputs are known (each costs fds). */
	if (c->inputs.fd < 0 && c->pool.jobs > c->inputs.count)
		c->pool.jobs = c->inputs.count ? (unsigned)c->inputs.count : 1;
	return 0;
}

void sp_cli_free(sp_cli_t *c)
{
	sp_template_free(&c->tmpl);
	sp_inputs_free(&c->inputs);
}
