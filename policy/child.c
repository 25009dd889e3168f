/* child.c: applying a prepared plan in the child between fork and execve. Only
 * async-signal-safe system calls; the seccomp filter is loaded last. */
#include "config.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "policy/policy.h"

static int step_fail(const char **step, const char *name)
{
	*step = name;
	return -errno;
}

/* The id changes are raw system calls: glibc's wrappers would try to signal the other
 * threads of a process the child does not have (after a raw clone3 its view is stale). */
static int drop_privileges(const sp_child_plan_t *plan, const char **step)
{
	if (syscall(SYS_setgroups, plan->ngroups, plan->groups) < 0)
		return step_fail(step, "setgroups");
	if (syscall(SYS_setresgid, plan->gid, plan->gid, plan->gid) < 0)
		return step_fail(step, "setresgid");
	if (syscall(SYS_setresuid, plan->uid, plan->uid, plan->uid) < 0)
		return step_fail(step, "setresuid");
	return 0;
}

int sp_child_plan_apply(const sp_child_plan_t *plan, int *listener_fd, const char **step)
{
	*listener_fd = -1;
	*step = NULL;
	if (plan->set_umask)
		umask(plan->umask);
	for (size_t i = 0; i < plan->nrlimits; i++)
		if (setrlimit((__rlimit_resource_t)plan->rlimits[i].resource,
			      &plan->rlimits[i].lim) < 0)
			return step_fail(step, "setrlimit");
	if (plan->workdir && chdir(plan->workdir) < 0)
		return step_fail(step, "chdir");
	if (plan->set_ids && drop_privileges(plan, step) < 0)
		return -errno;
	if (plan->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return step_fail(step, "prctl(PR_SET_NO_NEW_PRIVS)");
	if (plan->bpf) {
		struct sock_fprog prog = {plan->bpf_len, plan->bpf};
		long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, plan->seccomp_flags, &prog);
		if (fd < 0)
			return step_fail(step, "seccomp");
		if (plan->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER)
			*listener_fd = (int)fd;
	}
	return 0;
}
