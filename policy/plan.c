/* plan.c: preparing, in the coordinator, everything the child applies before exec:
 * ids and groups, rlimits, the environment, and the compiled seccomp BPF. */
#include "config.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "executor/util.h"
#include "policy/model.h"
#include "policy/seccomp.h"

extern char **environ;

/* Loading a filter needs CAP_SYS_ADMIN or no_new_privs; after dropping to another user
 * the capability is gone, so NoNewPrivileges is implied as systemd does. */
static bool can_load_without_nnp(const sp_child_plan_t *plan)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct data[2] = {{0}};

	if (plan->set_ids && plan->uid != 0)
		return false;
	if (syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return (data[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32))) != 0;
}

static bool env_name_eq(const char *a, const char *b)
{
	size_t na = strcspn(a, "="), nb = strcspn(b, "=");

	return na == nb && strncmp(a, b, na) == 0;
}

/* base + Environment= (replacing) - UnsetEnvironment= (NAME, or exact NAME=value). */
static char **build_env(const sp_policy_t *p, char **base)
{
	size_t n = 0, o = 0;
	char **env;

	for (char **s = base; s && *s; s++)
		n++;
	env = sp_xcalloc(n + p->nenv + 1, sizeof(char *));
	for (char **s = base; s && *s; s++)
		env[o++] = sp_xstrdup(*s);
	for (size_t i = 0; i < p->nenv; i++) {
		size_t j = 0;
		while (j < o && !env_name_eq(env[j], p->env[i]))
			j++;
		if (j < o)
			free(env[j]);
		env[j] = sp_xstrdup(p->env[i]);
		o += j == o;
	}
	for (size_t i = 0; i < p->nunset_env; i++) {
		bool exact = strchr(p->unset_env[i], '=') != NULL;
		for (size_t j = 0; j < o;) {
			if (exact ? strcmp(env[j], p->unset_env[i]) == 0
				  : env_name_eq(env[j], p->unset_env[i])) {
				free(env[j]);
				memmove(&env[j], &env[j + 1], (o - j) * sizeof(char *));
				o--;
			} else {
				j++;
			}
		}
	}
	env[o] = NULL;
	return env;
}

static void prepare_ids(const sp_policy_t *p, sp_child_plan_t *plan)
{
	if (!p->user && !p->group && !p->nsupp)
		return;
	plan->set_ids = true;
	plan->uid = p->user ? p->uid : geteuid();
	plan->gid = p->user || p->group ? p->gid : getegid();
	plan->ngroups = p->nsupp;
	if (p->nsupp) {
		plan->groups = sp_xmalloc(p->nsupp * sizeof(gid_t));
		memcpy(plan->groups, p->supp, p->nsupp * sizeof(gid_t));
	}
}

static void prepare_rlimits(const sp_policy_t *p, sp_child_plan_t *plan)
{
	plan->rlimits = sp_xcalloc(RLIM_NLIMITS, sizeof(sp_rlimit_t));
	for (int r = 0; r < RLIM_NLIMITS; r++)
		if (p->rlim[r].set)
			plan->rlimits[plan->nrlimits++] = (sp_rlimit_t){r, p->rlim[r].lim};
}

static int prepare_seccomp(const sp_policy_t *p, sp_child_plan_t *plan, sp_err_t *err)
{
	scmp_filter_ctx ctx;
	int r;

	if (sp_seccomp_build(p, &ctx, err) < 0)
		return -1;
	if (!ctx)
		return 0;
	r = sp_seccomp_export(ctx, &plan->bpf, &plan->bpf_len, err);
	seccomp_release(ctx);
	if (r < 0)
		return -1;
	plan->seccomp_flags = sp_seccomp_flags(p);
	return 0;
}

int sp_child_plan_prepare(const sp_policy_t *p, char **envp_base, sp_child_plan_t *plan,
			  sp_err_t *err)
{
	*plan = (sp_child_plan_t){0};
	plan->no_new_privs = p->no_new_privs;
	plan->set_umask = p->has_umask;
	plan->umask = p->umask;
	plan->workdir = p->workdir ? sp_xstrdup(p->workdir) : NULL;
	prepare_ids(p, plan);
	prepare_rlimits(p, plan);
	if (envp_base || p->nenv || p->nunset_env)
		plan->envp = build_env(p, envp_base ? envp_base : environ);
	if (prepare_seccomp(p, plan, err) < 0) {
		sp_child_plan_release(plan);
		return -1;
	}
	if (plan->bpf && !can_load_without_nnp(plan))
		plan->no_new_privs = true;
	return 0;
}

void sp_child_plan_release(sp_child_plan_t *plan)
{
	free((char *)plan->workdir);
	free(plan->groups);
	free(plan->rlimits);
	free(plan->bpf);
	if (plan->envp) {
		for (char **s = plan->envp; *s; s++)
			free(*s);
		free(plan->envp);
	}
	*plan = (sp_child_plan_t){0};
}
