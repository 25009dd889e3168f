/* controllers.c: checking and enabling cgroup v2 controllers for the pool:
 * in the base cgroup's subtree_control (never at the v2 root: that is the
 * host's to change), then in the pool's. */
#include "config.h"
#include "controllers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cgmap.h"
#include "util.h"

static const struct {
	unsigned bit;
	const char *name;
} ctrl_names[] = {
    {SP_CTRL_MEMORY, "memory"},
    {SP_CTRL_PIDS, "pids"},
    {SP_CTRL_CPU, "cpu"},
};

const char *sp_controllers_names(unsigned mask, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < SP_ARRAY_SIZE(ctrl_names); i++)
		if (mask & ctrl_names[i].bit)
			snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", buf[0] ? "," : "",
				 ctrl_names[i].name);
	return buf;
}

/* The first policy key that needs controller bit, for messages. */
void sp_controllers_disable(int cgfd, unsigned mask)
{
	char buf[40];
	sp_err_t err;

	for (size_t i = 0; i < SP_ARRAY_SIZE(ctrl_names); i++) {
		if (!(mask & ctrl_names[i].bit))
			continue;
		snprintf(buf, sizeof(buf), "-%s", ctrl_names[i].name);
		sp_write_at(cgfd, "cgroup.subtree_control", buf, &err);
	}
}

static const char *key_for(const sp_policy_t *policy, unsigned bit)
{
	const sp_leaf_setting_t *set;
	size_t n = sp_policy_leaf_settings(policy, &set);

	for (size_t i = 0; i < n; i++)
		if (set[i].ctrl & bit)
			return set[i].key;
	return "?";
}

static int refuse(sp_containment_t *c, const sp_policy_t *policy, unsigned bit, const char *name,
		  const char *why, sp_err_t *err)
{
	char explain[768];
	sp_cgmap_t map;

	sp_cgmap_load(&map, c->host.mount);
	sp_cgmap_explain(&map, name, explain, sizeof(explain));
	sp_err_setk(err, SP_EK_POLICY, 0,
		    "the policy's %s needs the %s controller, which cgroup %s %s",
		    key_for(policy, bit), name, c->base_path, why);
	sp_err_hint(err, "%s", explain);
	sp_err_hint(err, "--allow-missing-controllers (or Degrade=yes in the policy) runs the "
			 "tasks without this limit and marks them in the job log");
	return -1;
}

static int enable(int cgfd, const char *name, sp_err_t *err)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "+%s", name);
	return sp_write_at(cgfd, "cgroup.subtree_control", buf, err);
}

/* One controller: usable in the base's children? enable it there if we may. */
static int prepare_one(sp_containment_t *c, const sp_policy_t *policy, unsigned bit,
		       const char *name, const char *avail, const char *subtree, sp_err_t *err)
{
	bool base_is_root = strcmp(c->base_path, c->host.mount) == 0;

	if (!sp_word_in(avail, name))
		return refuse(c, policy, bit, name, "does not have", err);
	if (!sp_word_in(subtree, name)) {
		if (base_is_root)
			return refuse(c, policy, bit, name,
				      "(the v2 root) does not enable in cgroup.subtree_control; "
				      "sandpool does not change the host's root cgroup",
				      err);
		if (enable(c->base_fd, name, err) < 0)
			return refuse(
			    c, policy, bit, name,
			    err->errnum == EBUSY
				? "cannot enable for its children: other processes live in "
				  "it, and a cgroup with processes cannot enable controllers "
				  "for its children; run sandpool in a cgroup of its own, or "
				  "give --cgroup=PATH of an empty one"
				: "cannot enable for its children (writing its "
				  "cgroup.subtree_control failed)",
			    err);
		c->enabled_in_base |= bit;
	}
	if (enable(c->pool_fd, name, err) < 0)
		return sp_err_prefix(err, "enabling the %s controller in %s", name, c->pool_path);
	return 0;
}

int sp_controllers_prepare(sp_containment_t *c, const sp_policy_t *policy, bool degrade,
			   unsigned *missing, sp_err_t *err)
{
	unsigned needed = policy ? sp_policy_controllers(policy) : 0;
	char avail[512] = "", subtree[512] = "", text[1400], *hint;
	sp_err_t one;

	*missing = 0;
	if (!needed)
		return 0;
	if (c->mode != SP_MODE_CGROUP) {
		*missing = needed;
		if (degrade)
			return 0;
		return sp_err_setk(err, SP_EK_POLICY, 0,
				   "the policy sets resource limits, which need cgroup "
				   "containment; this run is in process-group mode");
	}
	if (sp_read_at(c->base_fd, "cgroup.controllers", avail, sizeof(avail), err) < 0 ||
	    sp_read_at(c->base_fd, "cgroup.subtree_control", subtree, sizeof(subtree), err) < 0)
		return sp_err_prefix(err, "%s", c->base_path);
	for (size_t i = 0; i < SP_ARRAY_SIZE(ctrl_names); i++) {
		if (!(needed & ctrl_names[i].bit))
			continue;
		if (prepare_one(c, policy, ctrl_names[i].bit, ctrl_names[i].name, avail, subtree,
				&one) == 0)
			continue;
		if (!degrade) {
			*err = one;
			return -1;
		}
		*missing |= ctrl_names[i].bit;
		sp_err_text(&one, text, sizeof(text));
		hint = strstr(text, "\n  hint: --allow-missing");
		if (hint)
			*hint = '\0';
		fprintf(stderr, "sandpool: warning: running without the %s limit, as asked: %s\n",
			ctrl_names[i].name, text);
	}
	return 0;
}
