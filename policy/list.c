/* list.c: `sandpool policy syscalls`: what a policy's filter does, per architecture,
 * syscall by syscall, computed from the policy (the PFC export shows the filter itself). */
#include "config.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "executor/util.h"
#include "policy/model.h"
#include "policy/names.h"
#include "policy/seccomp.h"
#include "policy/syscall_groups.h"

typedef struct {
	const char **names;
	size_t n, cap;
} sp_names_t;

static void names_add(const char *name, void *ud)
{
	sp_names_t *v = ud;

	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->names[i], name) == 0)
			return;
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 512;
		v->names = sp_xrealloc(v->names, v->cap * sizeof(char *));
	}
	v->names[v->n++] = name;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *action_text(int action, char *buf, size_t len)
{
	if (action == 0)
		snprintf(buf, len, "allowed");
	else if (action == SP_SC_ACT_KILL)
		snprintf(buf, len, "denied, process killed");
	else
		snprintf(buf, len, "denied, fails with %s", sp_errno_name(action));
	return buf;
}

/* One line per action: "  denied, fails with EPERM (3): a b c". */
static void print_bucket(const sp_policy_t *p, FILE *f, uint32_t token, const sp_names_t *all,
			 int action)
{
	size_t count = 0, col = 0;
	char head[96];

	for (size_t i = 0; i < all->n; i++)
		if (seccomp_syscall_resolve_name_arch(token, all->names[i]) >= 0 &&
		    sp_policy_syscall_action(p, all->names[i]) == action)
			count++;
	if (!count)
		return;
	action_text(action, head, sizeof(head));
	fprintf(f, "  %s (%zu):\n", head, count);
	for (size_t i = 0; i < all->n; i++) {
		const char *n = all->names[i];
		if (seccomp_syscall_resolve_name_arch(token, n) < 0 ||
		    sp_policy_syscall_action(p, n) != action)
			continue;
		if (col && col + strlen(n) + 1 > 76) {
			fputc('\n', f);
			col = 0;
		}
		col += (size_t)fprintf(f, col ? " %s" : "    %s", n);
	}
	fputc('\n', f);
}

static void print_arch(const sp_policy_t *p, FILE *f, unsigned bit, const sp_names_t *all)
{
	uint32_t token = sp_arch_token(bit);
	int actions[2 + 4096];
	size_t nact = 0;
	char buf[96];

	fprintf(f, "%s%s:\n", sp_arch_name(bit), bit == sp_arch_native() ? " (native)" : "");
	if (p->sc_mode == SP_LIST_UNSET)
		fprintf(f, "  every system call: allowed\n");
	for (size_t i = 0; i < all->n && p->sc_mode != SP_LIST_UNSET; i++) {
		int a = sp_policy_syscall_action(p, all->names[i]);
		size_t j = 0;
		while (j < nact && actions[j] != a)
			j++;
		if (j == nact && nact < SP_ARRAY_SIZE(actions))
			actions[nact++] = a;
	}
	for (size_t j = 0; j < nact; j++)
		print_bucket(p, f, token, all, actions[j]);
	if (p->sc_mode != SP_LIST_UNSET)
		fprintf(f, "  any other syscall: %s\n",
			action_text(sp_policy_unlisted_action(p), buf, sizeof(buf)));
	if (p->af_mode == SP_LIST_UNSET)
		return;
	if (bit == SP_ARCH_X86) {
		fprintf(f,
			"  socket(): every family fails with EAFNOSUPPORT (the family of an i386 "
			"socket call cannot be filtered)\n");
		return;
	}
	fprintf(f, "  socket(): allowed for");
	for (int af = 0; af < SP_AF_LIMIT; af++)
		if (sp_policy_af_allowed(p, af) && sp_af_name(af))
			fprintf(f, " %s", sp_af_name(af));
	fprintf(f, "; other families fail with EAFNOSUPPORT\n");
}

int sp_seccomp_list(const sp_policy_t *p, FILE *f, sp_err_t *err)
{
	sp_names_t all = {0};
	unsigned archs = sp_seccomp_arches(p);

	if (!sp_policy_has_seccomp(p)) {
		fprintf(f,
			"no seccomp filter: every system call is allowed on every architecture\n");
		return 0;
	}
	sp_syscall_group_expand("@known", names_add, &all);
	for (size_t i = 0; i < p->sc.n; i++)
		names_add(p->sc.v[i].name, &all);
	qsort(all.names, all.n, sizeof(char *), cmp_str);
	for (unsigned bit = 1; bit <= SP_ARCH_X32; bit <<= 1)
		if (archs & bit)
			print_arch(p, f, bit, &all);
	fprintf(f, "other architectures: process killed\n");
	if (p->notify_kill)
		fprintf(f, "(NotifyKill=yes: \"process killed\" is done by sandpool, which "
			   "reports the syscall)\n");
	free(all.names);
	return 0;
}
