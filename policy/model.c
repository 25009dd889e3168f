/* model.c: the policy object: creation, accessors for the executor, the leaf settings
 * derived from [Resources], and printing a policy in normalized form. */
#include "config.h"
#include "policy/model.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "executor/duration.h"
#include "executor/util.h"
#include "policy/names.h"
#include "policy/units.h"
#include "policy/words.h"

sp_policy_t *sp_policy_new(void)
{
	sp_policy_t *p = sp_xcalloc(1, sizeof(*p));

	p->memory_max = p->memory_high = p->memory_swap_max = SP_UNSET;
	p->tasks_max = p->cpu_quota_us = p->cpu_weight = SP_UNSET;
	p->runtime_max_ns = p->stop_timeout_ns = SP_UNSET;
	return p;
}

static void free_strv(char **v)
{
	if (!v)
		return;
	for (char **s = v; *s; s++)
		free(*s);
	free(v);
}

void sp_policy_free(sp_policy_t *p)
{
	if (!p)
		return;
	free(p->source);
	free(p->user);
	free(p->group);
	free_strv(p->supp_names);
	free(p->supp);
	free(p->workdir);
	free_strv(p->env);
	free_strv(p->unset_env);
	sp_sc_set_clear(&p->sc);
	free(p);
}

int64_t sp_policy_runtime_max_ns(const sp_policy_t *p)
{
	return p->runtime_max_ns;
}

int64_t sp_policy_stop_timeout_ns(const sp_policy_t *p)
{
	return p->stop_timeout_ns;
}

unsigned sp_policy_controllers(const sp_policy_t *p)
{
	unsigned c = 0;

	for (size_t i = 0; i < p->nleaf; i++)
		c |= p->leaf[i].ctrl;
	return c;
}

bool sp_policy_degrade(const sp_policy_t *p)
{
	return p->degrade;
}

size_t sp_policy_leaf_settings(const sp_policy_t *p, const sp_leaf_setting_t **out)
{
	*out = p->nleaf ? p->leaf : NULL;
	return p->nleaf;
}

sp_sc_entry_t *sp_sc_set_find(const sp_sc_set_t *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

void sp_sc_set_put(sp_sc_set_t *s, const char *name, int action)
{
	sp_sc_entry_t *e = sp_sc_set_find(s, name);

	if (!e) {
		if (s->n == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 64;
			s->v = sp_xrealloc(s->v, s->cap * sizeof(*s->v));
		}
		e = &s->v[s->n++];
		snprintf(e->name, sizeof(e->name), "%s", name);
	}
	e->action = action;
}

void sp_sc_set_remove(sp_sc_set_t *s, const char *name)
{
	sp_sc_entry_t *e = sp_sc_set_find(s, name);

	if (!e)
		return;
	memmove(e, e + 1, (size_t)(s->v + s->n - (e + 1)) * sizeof(*e));
	s->n--;
}

void sp_sc_set_clear(sp_sc_set_t *s)
{
	free(s->v);
	*s = (sp_sc_set_t){0};
}

bool sp_policy_has_seccomp(const sp_policy_t *p)
{
	return p->sc_mode != SP_LIST_UNSET || p->af_mode != SP_LIST_UNSET || p->archs != 0;
}

static int deny_action(const sp_policy_t *p, int entry_action)
{
	if (entry_action != SP_SC_ACT_DEFAULT)
		return entry_action;
	return p->sc_errno ? p->sc_errno : SP_SC_ACT_KILL;
}

int sp_policy_syscall_action(const sp_policy_t *p, const char *name)
{
	const sp_sc_entry_t *e = sp_sc_set_find(&p->sc, name);

	switch (p->sc_mode) {
	case SP_LIST_ALLOW:
		return e ? 0 : deny_action(p, SP_SC_ACT_DEFAULT);
	case SP_LIST_DENY:
		return e ? deny_action(p, e->action) : 0;
	default:
		return 0;
	}
}

int sp_policy_unlisted_action(const sp_policy_t *p)
{
	return p->sc_mode == SP_LIST_ALLOW ? deny_action(p, SP_SC_ACT_DEFAULT) : 0;
}

bool sp_policy_af_allowed(const sp_policy_t *p, int af)
{
	bool listed = af >= 0 && af < SP_AF_LIMIT && (p->af_set & (1ull << af));

	switch (p->af_mode) {
	case SP_LIST_ALLOW:
		return listed;
	case SP_LIST_DENY:
		return !listed;
	default:
		return true;
	}
}

static void leaf_add(sp_policy_t *p, const char *file, unsigned ctrl, const char *key,
		     const char *value)
{
	sp_leaf_setting_t *s = &p->leaf[p->nleaf++];

	s->file = file;
	s->ctrl = ctrl;
	s->key = key;
	snprintf(s->value, sizeof(s->value), "%s", value);
}

static void leaf_bytes(sp_policy_t *p, const char *file, unsigned ctrl, const char *key, int64_t v)
{
	char buf[32];

	if (v == SP_UNSET)
		return;
	if (v == SP_INFINITY)
		snprintf(buf, sizeof(buf), "max");
	else
		snprintf(buf, sizeof(buf), "%" PRId64, v);
	leaf_add(p, file, ctrl, key, buf);
}

void sp_policy_derive(sp_policy_t *p)
{
	char buf[64];

	p->nleaf = 0;
	leaf_bytes(p, "memory.max", SP_CTRL_MEMORY, "MemoryMax=", p->memory_max);
	leaf_bytes(p, "memory.high", SP_CTRL_MEMORY, "MemoryHigh=", p->memory_high);
	leaf_bytes(p, "memory.swap.max", SP_CTRL_MEMORY, "MemorySwapMax=", p->memory_swap_max);
	if (p->nleaf) /* an OOM kill ends the whole task, not one process of it */
		leaf_add(p, "memory.oom.group", SP_CTRL_MEMORY, p->leaf[0].key, "1");
	leaf_bytes(p, "pids.max", SP_CTRL_PIDS, "TasksMax=", p->tasks_max);
	if (p->cpu_quota_us != SP_UNSET) {
		snprintf(buf, sizeof(buf), "%" PRId64 " 100000", p->cpu_quota_us);
		leaf_add(p, "cpu.max", SP_CTRL_CPU, "CPUQuota=", buf);
	}
	if (p->cpu_weight != SP_UNSET) {
		snprintf(buf, sizeof(buf), "%" PRId64, p->cpu_weight);
		leaf_add(p, "cpu.weight", SP_CTRL_CPU, "CPUWeight=", buf);
	}
}
