/* keys.c: every key a policy file may hold: the table of sections and keys, one setter
 * per key with systemd's semantics, and the checks across keys once the file is read. */
#include "config.h"
#include "policy/parse.h"

#include <ctype.h>
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "executor/duration.h"
#include "executor/util.h"
#include "policy/names.h"
#include "policy/syscall_groups.h"
#include "policy/units.h"
#include "policy/words.h"

#define WHY(...) sp_why(why, whylen, __VA_ARGS__)

int sp_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
	return -1;
}

static int set_memory(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	bool swap = strcmp(key, "MemorySwapMax") == 0;
	int64_t *dst = swap				? &p->memory_swap_max
		       : strcmp(key, "MemoryHigh") == 0 ? &p->memory_high
							: &p->memory_max;

	if (!*v) {
		*dst = SP_UNSET;
		return 0;
	}
	if (sp_parse_memory(v, !swap, dst) < 0)
		return WHY("invalid size \"%s\"", v);
	return 0;
}

static int set_tasks(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	if (!*v) {
		p->tasks_max = SP_UNSET;
		return 0;
	}
	if (sp_parse_tasks(v, &p->tasks_max) < 0)
		return WHY("invalid number of tasks \"%s\"", v);
	return 0;
}

static int set_cpu_quota(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	if (!*v) {
		p->cpu_quota_us = SP_UNSET;
		return 0;
	}
	if (sp_parse_cpu_quota(v, &p->cpu_quota_us) < 0)
		return WHY("invalid percentage \"%s\"", v);
	if (p->cpu_quota_us < 1000)
		return WHY("%s is below the kernel's minimum of 1%% (1 ms per 100 ms period)", v);
	return 0;
}

static int set_cpu_weight(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	if (!*v) {
		p->cpu_weight = SP_UNSET;
		return 0;
	}
	if (sp_parse_cpu_weight(v, &p->cpu_weight) < 0)
		return WHY("invalid weight \"%s\"", v);
	return 0;
}

static bool *bool_field(sp_policy_t *p, const char *key)
{
	if (strcmp(key, "Degrade") == 0)
		return &p->degrade;
	if (strcmp(key, "NotifyKill") == 0)
		return &p->notify_kill;
	return &p->no_new_privs;
}

static int set_bool(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	bool *dst = bool_field(p, key);

	if (!*v) {
		*dst = false;
		return 0;
	}
	if (sp_parse_bool(v, dst) < 0)
		return WHY("invalid boolean \"%s\"", v);
	return 0;
}

static int set_time(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	bool runtime = strcmp(key, "RuntimeMaxSec") == 0;
	int64_t *dst = runtime ? &p->runtime_max_ns : &p->stop_timeout_ns;
	uint64_t ns;
	sp_err_t e;

	if (!*v) {
		*dst = SP_UNSET;
		return 0;
	}
	if (sp_duration_parse(v, &ns, &e) < 0)
		return WHY("%s", e.msg);
	if (ns != SP_DURATION_INFINITY && ns > (uint64_t)INT64_MAX - 1)
		return WHY("time span \"%s\" is too large", v);
	if (runtime && ns == 0)
		return WHY("a runtime of 0 would end every task at once");
	*dst = ns == SP_DURATION_INFINITY ? SP_INFINITY : (int64_t)ns;
	return 0;
}

/* Resolve User= now (in the coordinator, never in the child). */
static int set_user(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	struct passwd *pw;
	uint32_t id;

	free(p->user);
	p->user = NULL;
	if (!*v)
		return 0;
	pw = sp_parse_id(v, &id) == 0 ? getpwuid(id) : getpwnam(v);
	if (!pw)
		return WHY("no user \"%s\" on this host", v);
	p->user = sp_xstrdup(v);
	p->uid = pw->pw_uid;
	if (!p->group)
		p->gid = pw->pw_gid;
	return 0;
}

static int resolve_group(const char *v, gid_t *gid)
{
	struct group *gr;
	uint32_t id;

	if (sp_parse_id(v, &id) == 0) {
		*gid = id;
		return 0;
	}
	gr = getgrnam(v);
	if (!gr)
		return -1;
	*gid = gr->gr_gid;
	return 0;
}

static int set_group(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	gid_t gid;

	free(p->group);
	p->group = NULL;
	if (!*v)
		return 0;
	if (resolve_group(v, &gid) < 0)
		return WHY("no group \"%s\" on this host", v);
	p->group = sp_xstrdup(v);
	p->gid = gid;
	return 0;
}

/* Append the words of V to the NULL-terminated list *LIST (or reset it when V is empty). */
static int append_words(char ***list, size_t *n, const char *v, char ***words, size_t *nw,
			char *why, size_t whylen)
{
	const char *what;

	if (!*v) {
		sp_words_free(*list);
		*list = NULL;
		*n = 0;
		*words = NULL;
		*nw = 0;
		return 0;
	}
	if (sp_words_split(v, words, nw, &what) < 0)
		return WHY("%s in \"%s\"", what, v);
	return 0;
}

static void strv_push(char ***list, size_t *n, char *s)
{
	*list = sp_xrealloc(*list, (*n + 2) * sizeof(char *));
	(*list)[(*n)++] = s;
	(*list)[*n] = NULL;
}

static int set_supp_groups(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	char **w;
	size_t nw, n = 0;
	gid_t gid;

	for (char **s = p->supp_names; s && *s; s++)
		n++;
	if (append_words(&p->supp_names, &n, v, &w, &nw, why, whylen) < 0)
		return -1;
	for (size_t i = 0; i < nw; i++) {
		if (resolve_group(w[i], &gid) < 0) {
			WHY("no group \"%s\" on this host", w[i]);
			sp_words_free(w);
			return -1;
		}
	}
	for (size_t i = 0; i < nw; i++)
		strv_push(&p->supp_names, &n, sp_xstrdup(w[i]));
	sp_words_free(w);
	return 0;
}

static int set_workdir(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	free(p->workdir);
	p->workdir = NULL;
	if (!*v)
		return 0;
	if (v[0] != '/')
		return WHY("\"%s\" is not an absolute path", v);
	p->workdir = sp_xstrdup(v);
	return 0;
}

static bool env_name_valid(const char *s, size_t len)
{
	if (!len || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

static int set_env(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	char **w;
	size_t nw;

	if (append_words(&p->env, &p->nenv, v, &w, &nw, why, whylen) < 0)
		return -1;
	for (size_t i = 0; i < nw; i++) {
		const char *eq = strchr(w[i], '=');
		if (!eq || !env_name_valid(w[i], (size_t)(eq - w[i]))) {
			WHY("\"%s\" is not a NAME=value assignment", w[i]);
			sp_words_free(w);
			return -1;
		}
	}
	for (size_t i = 0; i < nw; i++) {
		size_t nl = (size_t)(strchr(w[i], '=') - w[i]) + 1;
		size_t j;
		for (j = 0; j < p->nenv; j++) /* a later assignment replaces an earlier one */
			if (strncmp(p->env[j], w[i], nl) == 0)
				break;
		if (j < p->nenv) {
			free(p->env[j]);
			p->env[j] = sp_xstrdup(w[i]);
		} else {
			strv_push(&p->env, &p->nenv, sp_xstrdup(w[i]));
		}
	}
	sp_words_free(w);
	return 0;
}

static int set_unset_env(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	char **w;
	size_t nw;

	if (append_words(&p->unset_env, &p->nunset_env, v, &w, &nw, why, whylen) < 0)
		return -1;
	for (size_t i = 0; i < nw; i++) {
		const char *eq = strchr(w[i], '=');
		if (!env_name_valid(w[i], eq ? (size_t)(eq - w[i]) : strlen(w[i]))) {
			WHY("\"%s\" is not a variable name or NAME=value", w[i]);
			sp_words_free(w);
			return -1;
		}
	}
	for (size_t i = 0; i < nw; i++)
		strv_push(&p->unset_env, &p->nunset_env, sp_xstrdup(w[i]));
	sp_words_free(w);
	return 0;
}

static int set_umask(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	p->has_umask = false;
	if (!*v)
		return 0;
	if (sp_parse_umask(v, &p->umask) < 0)
		return WHY("invalid umask \"%s\"", v);
	p->has_umask = true;
	return 0;
}

static int set_limit(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	const sp_rlimit_key_t *k = sp_rlimit_key(key);
	sp_policy_rlimit_t *r = &p->rlim[k->resource];

	r->set = false;
	if (!*v)
		return 0;
	if (sp_parse_rlimit(v, k->unit, &r->lim) < 0)
		return WHY("invalid limit \"%s\"", v);
	if (r->lim.rlim_cur > r->lim.rlim_max)
		return WHY("soft limit above hard limit in \"%s\"", v);
	r->set = true;
	return 0;
}

static const char size_text[] = "a size in bytes with an optional K, M, G, T, P or E suffix "
				"(base 1024), or infinity";

static const sp_key_t keys[] = {
    {"Resources", "MemoryMax", SP_K_MEMORY_MAX, set_memory,
     "a size in bytes with an optional K, M, G, T, P or E suffix (base 1024), a "
     "percentage of physical memory, or infinity"},
    {"Resources", "MemoryHigh", SP_K_MEMORY_HIGH, set_memory,
     "a size in bytes with an optional K, M, G, T, P or E suffix (base 1024), a "
     "percentage of physical memory, or infinity"},
    {"Resources", "MemorySwapMax", SP_K_MEMORY_SWAP_MAX, set_memory, size_text},
    {"Resources", "TasksMax", SP_K_TASKS_MAX, set_tasks, "a number of tasks >= 1, or infinity"},
    {"Resources", "CPUQuota", SP_K_CPU_QUOTA, set_cpu_quota,
     "a percentage of one CPU >= 1% with at most two decimals (150% is one and a half CPUs)"},
    {"Resources", "CPUWeight", SP_K_CPU_WEIGHT, set_cpu_weight, "an integer from 1 to 10000"},
    {"Resources", "Degrade", SP_K_DEGRADE, set_bool, "yes or no"},
    {"Timeouts", "RuntimeMaxSec", SP_K_RUNTIME_MAX, set_time,
     "a time span > 0 such as 30s, 500ms, 5min, 1h 30min, or infinity"},
    {"Timeouts", "TimeoutStopSec", SP_K_TIMEOUT_STOP, set_time,
     "a time span such as 0, 2s, 500ms, or infinity"},
    {"Exec", "NoNewPrivileges", SP_K_NO_NEW_PRIVS, set_bool, "yes or no"},
    {"Exec", "User", SP_K_USER, set_user, "a user name or uid known to this host"},
    {"Exec", "Group", SP_K_GROUP, set_group, "a group name or gid known to this host"},
    {"Exec", "SupplementaryGroups", SP_K_SUPP_GROUPS, set_supp_groups,
     "group names or gids separated by spaces"},
    {"Exec", "WorkingDirectory", SP_K_WORKDIR, set_workdir, "an absolute path"},
    {"Exec", "Environment", SP_K_ENVIRONMENT, set_env,
     "NAME=value assignments separated by spaces, quoted when the value has spaces "
     "(\"NAME=a b\")"},
    {"Exec", "UnsetEnvironment", SP_K_UNSET_ENV, set_unset_env,
     "variable names or NAME=value assignments separated by spaces"},
    {"Exec", "UMask", SP_K_UMASK, set_umask, "an octal mode from 0000 to 0777"},
    {"Exec", NULL, SP_K_LIMIT, set_limit, NULL},
    {"Seccomp", "SystemCallFilter", SP_K_SC_FILTER, sp_key_set_syscall_filter,
     "system call names and @groups separated by spaces (see `sandpool policy syscalls`), "
     "the list prefixed by ~ to deny, an entry of a ~ list followed by :ERRNO or :kill"},
    {"Seccomp", "SystemCallArchitectures", SP_K_SC_ARCHS, sp_key_set_archs,
     "native, x86-64, x86, x32"},
    {"Seccomp", "SystemCallErrorNumber", SP_K_SC_ERRNO, sp_key_set_sc_errno,
     "an errno name such as EPERM or EACCES, or kill"},
    {"Seccomp", "RestrictAddressFamilies", SP_K_RESTRICT_AF, sp_key_set_restrict_af,
     "address families such as AF_UNIX AF_INET AF_INET6, the list prefixed by ~ to "
     "deny, or none"},
    {"Seccomp", "NotifyKill", SP_K_NOTIFY_KILL, set_bool, "yes or no"},
};

static const char *const sections[] = {"Resources", "Timeouts", "Exec", "Seccomp"};

bool sp_section_known(const char *section)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(sections); i++)
		if (strcmp(sections[i], section) == 0)
			return true;
	return false;
}

const sp_key_t *sp_key_find(const char *section, const char *key)
{
	for (size_t i = 0; i < SP_ARRAY_SIZE(keys); i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		if (keys[i].key ? strcmp(keys[i].key, key) == 0 : sp_rlimit_key(key) != NULL)
			return &keys[i];
	}
	return NULL;
}

void sp_keys_text(const char *section, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < SP_ARRAY_SIZE(keys) && o < len; i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "",
				      keys[i].key ? keys[i].key : sp_rlimit_keys_text());
	}
}
