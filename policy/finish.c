/* finish.c: what can only be checked once the whole policy is read: contradictions
 * between keys, the final group list of User=, and the leaf settings. */
#include "config.h"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

#include "executor/util.h"
#include "policy/names.h"
#include "policy/parse.h"
#include "policy/units.h"

static int finish_err(sp_err_t *err, const char *name, const sp_policy_t *p, sp_key_id_t id,
		      const char *section, const char *key, const char *what, const char *accepted)
{
	return sp_err_setk(err, SP_EK_POLICY, 0, "%s:%u: [%s] %s=: %s; accepted: %s", name,
			   p->line[id], section, key, what, accepted);
}

static int check_memory(const sp_policy_t *p, const char *name, sp_err_t *err)
{
	char what[160], a[32], b[32];

	if (p->memory_high == SP_UNSET || p->memory_max == SP_UNSET ||
	    p->memory_max == SP_INFINITY || p->memory_high <= p->memory_max)
		return 0;
	snprintf(what, sizeof(what), "%s is above MemoryMax=%s (line %u)",
		 p->memory_high == SP_INFINITY
		     ? "infinity"
		     : sp_format_size((uint64_t)p->memory_high, a, sizeof(a)),
		 sp_format_size((uint64_t)p->memory_max, b, sizeof(b)), p->line[SP_K_MEMORY_MAX]);
	return finish_err(err, name, p, SP_K_MEMORY_HIGH, "Resources", "MemoryHigh", what,
			  "a value no larger than MemoryMax=");
}

static int check_seccomp(const sp_policy_t *p, const char *name, sp_err_t *err)
{
	if (p->sc_errno && p->sc_mode == SP_LIST_UNSET)
		return finish_err(err, name, p, SP_K_SC_ERRNO, "Seccomp", "SystemCallErrorNumber",
				  "has no effect without SystemCallFilter=",
				  "SystemCallErrorNumber= together with SystemCallFilter=");
	if (sp_policy_syscall_action(p, "execve") != 0)
		return finish_err(err, name, p, SP_K_SC_FILTER, "Seccomp", "SystemCallFilter",
				  "execve is denied, but the filter is loaded before execve(2) "
				  "starts the task, so no task could ever start",
				  "a filter that allows execve");
	/* A task must be able to end: and a child that fails between loading the
	 * filter and exec reports by exiting (executor/spawn.c). */
	if (sp_policy_syscall_action(p, "exit_group") != 0 ||
	    sp_policy_syscall_action(p, "exit") != 0)
		return finish_err(err, name, p, SP_K_SC_FILTER, "Seccomp", "SystemCallFilter",
				  "exit or exit_group is denied, so no task could end",
				  "a filter that allows exit and exit_group");
	return 0;
}

/* User='s supplementary groups (as initgroups would set them) plus SupplementaryGroups=. */
static void resolve_groups(sp_policy_t *p)
{
	int n = 64;
	gid_t *list = NULL;
	struct passwd *pw = p->user ? getpwuid(p->uid) : NULL;

	if (pw) {
		for (;;) {
			int want = n;
			list = sp_xrealloc(list, (size_t)n * sizeof(gid_t));
			if (getgrouplist(pw->pw_name, p->gid, list, &want) >= 0) {
				n = want;
				break;
			}
			n = want > n ? want : n * 2;
		}
	} else {
		n = 0;
	}
	for (char **s = p->supp_names; s && *s; s++) {
		struct group *gr = getgrnam(*s);
		gid_t gid = gr ? gr->gr_gid : (gid_t)strtoul(*s, NULL, 10);
		list = sp_xrealloc(list, (size_t)(n + 1) * sizeof(gid_t));
		list[n++] = gid;
	}
	free(p->supp);
	p->supp = list;
	p->nsupp = (size_t)n;
}

int sp_policy_finish(sp_policy_t *p, const char *name, sp_err_t *err)
{
	if (check_memory(p, name, err) < 0 || check_seccomp(p, name, err) < 0)
		return -1;
	resolve_groups(p);
	sp_policy_derive(p);
	return 0;
}
