/* cmd.c: `sandpool policy check FILE|NAME`, `policy show NAME` and
 * `policy syscalls FILE|NAME [--pfc]`: the command line over the policy library. */
#include "config.h"
#include "policy/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "executor/util.h"
#include "policy/model.h"
#include "policy/seccomp.h"

static const char usage[] =
    "usage: sandpool policy check FILE|NAME     validate, print the normalized policy\n"
    "       sandpool policy show NAME           print a shipped policy file\n"
    "       sandpool policy syscalls FILE|NAME [--pfc]\n"
    "                                           allowed and denied syscalls per "
    "architecture\n"
    "                                           (--pfc: libseccomp's filter pseudo-code)\n";

static int usage_err(sp_err_t *err, const char *what)
{
	sp_err_setk(err, SP_EK_USAGE, 0, "policy: %s", what);
	sp_err_hint(err, "sandpool policy check|show|syscalls FILE|NAME; "
			 "shipped: default, strict, compute, build, python, nonet");
	return -1;
}

static int cmd_check(const char *arg, sp_err_t *err)
{
	sp_policy_t *p;

	if (sp_policy_load(arg, &p, err) < 0)
		return -1;
	sp_policy_print(p, stdout);
	sp_policy_free(p);
	return 0;
}

static int cmd_show(const char *arg, sp_err_t *err)
{
	cleanup_free char *path = NULL;
	cleanup_fclose FILE *f = NULL;
	char buf[4096];
	size_t n;

	if (sp_policy_find(arg, &path, err) < 0)
		return -1;
	f = fopen(path, "re");
	if (!f)
		return sp_err_setk(err, SP_EK_POLICY, errno, "opening policy file %s", path);
	printf("# %s\n", path);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		fwrite(buf, 1, n, stdout);
	if (ferror(f))
		return sp_err_set(err, EIO, "reading %s", path);
	return 0;
}

static int cmd_syscalls(const char *arg, bool pfc, sp_err_t *err)
{
	sp_policy_t *p;
	scmp_filter_ctx ctx = NULL;
	int r = 0;

	if (sp_policy_load(arg, &p, err) < 0)
		return -1;
	if (!pfc) {
		r = sp_seccomp_list(p, stdout, err);
	} else if ((r = sp_seccomp_build(p, &ctx, err)) == 0) {
		fflush(stdout);
		if (!ctx)
			printf("# no seccomp filter: every system call is allowed\n");
		else if ((r = seccomp_export_pfc(ctx, STDOUT_FILENO)) < 0)
			sp_err_set(err, -r, "exporting the filter as PFC");
		if (ctx)
			seccomp_release(ctx);
	}
	sp_policy_free(p);
	return r < 0 ? -1 : 0;
}

int sp_policy_cmd(int argc, char **argv, sp_err_t *err)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	bool pfc = argc == 4 && strcmp(argv[3], "--pfc") == 0;

	if (sub && (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)) {
		fputs(usage, stdout);
		return 0;
	}
	if (!sub)
		return usage_err(err, "missing subcommand");
	if (strcmp(sub, "syscalls") == 0 && (argc == 3 || pfc))
		return cmd_syscalls(argv[2], pfc, err);
	if (argc != 3)
		return usage_err(err, "expected one FILE or NAME after the subcommand");
	if (strcmp(sub, "check") == 0)
		return cmd_check(argv[2], err);
	if (strcmp(sub, "show") == 0)
		return cmd_show(argv[2], err);
	return usage_err(err, "unknown subcommand");
}
