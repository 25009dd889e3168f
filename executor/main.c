/* main.c: the sandpool command: picks the subcommand, parses the command line
 * through cli.c, runs the pool, prints the one error message, maps exit codes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "doctor.h"
#include "exitcodes.h"
#include "gc.h"
#include "policy/cmd.h"
#include "policy/seccomp.h"
#include "pool.h"
#include "spawn.h"

static int exit_for_error(const sp_err_t *err, bool exec)
{
	char text[1400];

	fprintf(stderr, "sandpool: %s\n", sp_err_text(err, text, sizeof(text)));
	if (exec)
		return SP_EXIT_EXEC_OWN;
	switch (err->kind) {
	case SP_EK_USAGE:
		return SP_EXIT_USAGE;
	case SP_EK_POLICY:
		return SP_EXIT_POLICY;
	case SP_EK_CGROUP:
		return SP_EXIT_CGROUP;
	case SP_EK_INTERNAL:
		return SP_EXIT_INTERNAL;
	default:
		return SP_EXIT_SYSTEM;
	}
}

static int run_exit_code(const sp_pool_result_t *r)
{
	unsigned long long bad = 0;

	if (r->stop_signal)
		return SP_EXIT_SIGNAL_BASE + r->stop_signal;
	for (int s = 0; s < SP_ST__COUNT; s++)
		if (s != SP_ST_OK)
			bad += r->counts[s];
	return bad > 100 ? SP_EXIT_MANY_FAILED : (int)bad;
}

static int exec_exit_code(const sp_pool_result_t *r)
{
	if (r->stop_signal)
		return SP_EXIT_SIGNAL_BASE + r->stop_signal;
	switch (r->last_status) {
	case SP_ST_OK:
	case SP_ST_FAILED:
		return r->last_exit_code;
	case SP_ST_TIMEOUT:
		return SP_EXIT_TIMEOUT;
	case SP_ST_SPAWN_ERROR:
		return r->last_errnum == ENOENT				       ? SP_EXIT_NOTFOUND
		       : r->last_errnum == EACCES || r->last_errnum == ENOEXEC ? SP_EXIT_NOEXEC
									       : SP_EXIT_EXEC_OWN;
	default:
		return r->last_signal ? SP_EXIT_SIGNAL_BASE + r->last_signal
				      : SP_EXIT_SIGNAL_BASE + 9;
	}
}

static int cmd_run(int argc, char **argv)
{
	sp_policy_t *policy = NULL;
	sp_pool_result_t res;
	sp_err_t err;
	sp_cli_t cli;
	int rc;

	sp_err_clear(&err);
	if (sp_cli_parse(&cli, argc, argv, &err) < 0) {
		sp_cli_free(&cli);
		return exit_for_error(&err, cli.exec);
	}
	if (cli.help || cli.version) {
		if (cli.help)
			sp_cli_usage(stdout);
		else
			puts(PACKAGE_STRING);
		sp_cli_free(&cli);
		return 0;
	}
	if (cli.policy_arg && sp_policy_load(cli.policy_arg, &policy, &err) < 0) {
		sp_cli_free(&cli);
		return exit_for_error(&err, cli.exec);
	}
	/* Name the forbidden syscall of a task killed by its filter: the clone3 spawn
	 * path hands the filter's listener to the coordinator (see spawn.c). */
	if (policy && cli.pool.spawn_method == SP_SPAWN_CLONE3)
		sp_policy_set_notify_kill(policy, true);
	cli.pool.policy = policy;
	if (policy && !cli.timeout_given && sp_policy_runtime_max_ns(policy) > 0)
		cli.pool.timeout_ns = (uint64_t)sp_policy_runtime_max_ns(policy);
	if (policy && !cli.grace_given && sp_policy_stop_timeout_ns(policy) >= 0)
		cli.pool.grace_ns = (uint64_t)sp_policy_stop_timeout_ns(policy);
	if (sp_pool_run(&cli.pool, &res, &err) < 0)
		rc = exit_for_error(&err, cli.exec);
	else
		rc = cli.exec ? exec_exit_code(&res) : run_exit_code(&res);
	sp_policy_free(policy);
	sp_cli_free(&cli);
	return rc;
}

static int cmd_simple(int argc, char **argv, int (*fn)(int, char **, sp_err_t *))
{
	sp_err_t err;

	sp_err_clear(&err);
	if (fn(argc, argv, &err) < 0)
		return exit_for_error(&err, false);
	return 0;
}

static void open_missing_stdio(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (null >= 0 && null != fd) { /* open takes the lowest: fd itself */
			dup2(null, fd);
			close(null);
		}
	}
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	/* fds 0-2 exist (else our own fds would take their numbers), nothing we
	 * inherited beyond them leaks into tasks, and 3-4 are kept for spawns. */
	open_missing_stdio();
	syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
	sp_spawn_reserve_fds();
	if (!cmd || !strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
		sp_cli_usage(cmd ? stdout : stderr);
		return cmd ? 0 : SP_EXIT_USAGE;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		puts(PACKAGE_STRING);
		return 0;
	}
	if (!strcmp(cmd, "run") || !strcmp(cmd, "exec"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "gc"))
		return cmd_simple(argc - 1, argv + 1, sp_gc_cmd);
	if (!strcmp(cmd, "policy"))
		return cmd_simple(argc - 1, argv + 1, sp_policy_cmd);
	if (!strcmp(cmd, "doctor"))
		return sp_doctor_cmd(argc - 1, argv + 1) == 0 ? 0 : 1;
	fprintf(stderr,
		"sandpool: unknown command '%s'\n  hint: commands are run, exec, policy, "
		"doctor, gc; see 'sandpool --help'\n",
		cmd);
	return SP_EXIT_USAGE;
}
