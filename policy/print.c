/* print.c: writing a policy in normalized form (sandpool policy check): every value in
 * canonical units, lists expanded and sorted; the output is itself a valid policy. */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "executor/util.h"
#include "policy/model.h"
#include "policy/names.h"
#include "policy/syscall_groups.h"
#include "policy/units.h"
#include "policy/words.h"

#define WRAP 72 /* libinih reads at most 199 characters per line */

/* Prints "Key=prefix word word ..." lines, starting a new Key= line before WRAP. */
typedef struct {
	FILE *f;
	const char *key;
	const char *prefix;
	size_t col;
} sp_wrap_t;

static void wrap_word(sp_wrap_t *w, const char *word)
{
	size_t len = strlen(word);

	if (w->col && w->col + 1 + len > WRAP) {
		fputc('\n', w->f);
		w->col = 0;
	}
	if (!w->col)
		w->col = (size_t)fprintf(w->f, "%s=%s%s", w->key, w->prefix, word);
	else
		w->col += (size_t)fprintf(w->f, " %s", word);
}

static void wrap_end(sp_wrap_t *w)
{
	if (w->col)
		fputc('\n', w->f);
	w->col = 0;
}

static const char *fmt_ns(int64_t ns, char *buf, size_t len)
{
	if (ns == SP_INFINITY)
		snprintf(buf, len, "infinity");
	else if (ns % 1000000000 == 0)
		snprintf(buf, len, "%" PRId64 "s", ns / 1000000000);
	else if (ns % 1000000 == 0)
		snprintf(buf, len, "%" PRId64 "ms", ns / 1000000);
	else if (ns % 1000 == 0)
		snprintf(buf, len, "%" PRId64 "us", ns / 1000);
	else
		snprintf(buf, len, "%" PRId64 "ns", ns);
	return buf;
}

static void print_mem(FILE *f, const char *key, int64_t v)
{
	char buf[32];

	if (v == SP_UNSET)
		return;
	if (v == SP_INFINITY)
		fprintf(f, "%s=infinity\n", key);
	else
		fprintf(f, "%s=%s\n", key, sp_format_size((uint64_t)v, buf, sizeof(buf)));
}

static void print_resources(const sp_policy_t *p, FILE *f)
{
	fprintf(f, "[Resources]\n");
	print_mem(f, "MemoryMax", p->memory_max);
	print_mem(f, "MemoryHigh", p->memory_high);
	print_mem(f, "MemorySwapMax", p->memory_swap_max);
	if (p->tasks_max == SP_INFINITY)
		fprintf(f, "TasksMax=infinity\n");
	else if (p->tasks_max != SP_UNSET)
		fprintf(f, "TasksMax=%" PRId64 "\n", p->tasks_max);
	if (p->cpu_quota_us != SP_UNSET)
		fprintf(f, "CPUQuota=%g%%\n", (double)p->cpu_quota_us / 1000.0);
	if (p->cpu_weight != SP_UNSET)
		fprintf(f, "CPUWeight=%" PRId64 "\n", p->cpu_weight);
	fprintf(f, "Degrade=%s\n", p->degrade ? "yes" : "no");
}

static void print_timeouts(const sp_policy_t *p, FILE *f)
{
	char buf[32];

	fprintf(f, "\n[Timeouts]\n");
	if (p->runtime_max_ns != SP_UNSET)
		fprintf(f, "RuntimeMaxSec=%s\n", fmt_ns(p->runtime_max_ns, buf, sizeof(buf)));
	if (p->stop_timeout_ns != SP_UNSET)
		fprintf(f, "TimeoutStopSec=%s\n", fmt_ns(p->stop_timeout_ns, buf, sizeof(buf)));
}

static void print_strv(FILE *f, const char *key, char **v)
{
	sp_wrap_t w = {f, key, "", 0};
	char buf[1024];

	for (; v && *v; v++) {
		sp_word_quote(*v, buf, sizeof(buf));
		wrap_word(&w, buf);
	}
	wrap_end(&w);
}

static void print_exec(const sp_policy_t *p, FILE *f)
{
	char soft[32], hard[32];

	fprintf(f, "\n[Exec]\n");
	fprintf(f, "NoNewPrivileges=%s\n", p->no_new_privs ? "yes" : "no");
	if (p->user)
		fprintf(f, "User=%s\n", p->user);
	if (p->group)
		fprintf(f, "Group=%s\n", p->group);
	print_strv(f, "SupplementaryGroups", p->supp_names);
	if (p->workdir)
		fprintf(f, "WorkingDirectory=%s\n", p->workdir);
	print_strv(f, "Environment", p->env);
	print_strv(f, "UnsetEnvironment", p->unset_env);
	if (p->has_umask)
		fprintf(f, "UMask=%04o\n", (unsigned)p->umask);
	for (int r = 0; r < RLIM_NLIMITS; r++) {
		const sp_rlimit_key_t *k = sp_rlimit_by_resource(r);
		if (!p->rlim[r].set || !k)
			continue;
		sp_format_rlim(p->rlim[r].lim.rlim_cur, k->unit, soft, sizeof(soft));
		sp_format_rlim(p->rlim[r].lim.rlim_max, k->unit, hard, sizeof(hard));
		if (strcmp(soft, hard) == 0)
			fprintf(f, "%s=%s\n", k->key, soft);
		else
			fprintf(f, "%s=%s:%s\n", k->key, soft, hard);
	}
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const sp_sc_entry_t *)a)->name, ((const sp_sc_entry_t *)b)->name);
}

static void print_action_suffix(int action, char *buf, size_t len)
{
	if (action == SP_SC_ACT_KILL)
		snprintf(buf, len, ":kill");
	else if (action > 0)
		snprintf(buf, len, ":%s", sp_errno_name(action) ? sp_errno_name(action) : "?");
	else
		buf[0] = '\0';
}

typedef struct {
	const sp_sc_set_t *set;
	sp_wrap_t *w;
} sp_missing_t;

/* Allow-list members of @default the policy removed again must be printed as removals. */
static void print_missing_default(const char *name, void *ud)
{
	sp_missing_t *m = ud;

	if (!sp_sc_set_find(m->set, name))
		wrap_word(m->w, name);
}

static void print_syscall_filter(const sp_policy_t *p, FILE *f)
{
	sp_sc_entry_t *v = sp_xmalloc((p->sc.n + 1) * sizeof(*v));
	char word[96], suffix[48];
	bool deny = p->sc_mode == SP_LIST_DENY;
	sp_wrap_t w = {f, "SystemCallFilter", deny ? "~" : "", 0};

	memcpy(v, p->sc.v, p->sc.n * sizeof(*v));
	qsort(v, p->sc.n, sizeof(*v), cmp_entry);
	for (size_t i = 0; i < p->sc.n; i++) {
		print_action_suffix(v[i].action, suffix, sizeof(suffix));
		snprintf(word, sizeof(word), "%s%s", v[i].name, suffix);
		wrap_word(&w, word);
	}
	if (!p->sc.n) /* an allow-list that allows nothing beyond what is removed below */
		fprintf(f, "SystemCallFilter=%s\n", deny ? "~" : "@default");
	wrap_end(&w);
	if (!deny) {
		sp_wrap_t rm = {f, "SystemCallFilter", "~", 0};
		sp_missing_t m = {&p->sc, &rm};
		sp_syscall_group_expand("@default", print_missing_default, &m);
		wrap_end(&rm);
	}
	free(v);
}

static void print_seccomp(const sp_policy_t *p, FILE *f)
{
	fprintf(f, "\n[Seccomp]\n");
	if (p->sc_mode != SP_LIST_UNSET)
		print_syscall_filter(p, f);
	if (p->sc_errno == SP_SC_ACT_KILL)
		fprintf(f, "SystemCallErrorNumber=kill\n");
	else if (p->sc_errno > 0)
		fprintf(f, "SystemCallErrorNumber=%s\n", sp_errno_name(p->sc_errno));
	if (p->archs) {
		sp_wrap_t w = {f, "SystemCallArchitectures", "", 0};
		for (unsigned bit = 1; bit <= SP_ARCH_X32; bit <<= 1)
			if (p->archs & bit)
				wrap_word(&w, sp_arch_name(bit));
		wrap_end(&w);
	}
	if (p->af_mode == SP_LIST_ALLOW && !p->af_set) {
		fprintf(f, "RestrictAddressFamilies=none\n");
	} else if (p->af_mode != SP_LIST_UNSET) {
		sp_wrap_t w = {f, "RestrictAddressFamilies", p->af_mode == SP_LIST_DENY ? "~" : "",
			       0};
		for (int af = 0; af < SP_AF_LIMIT; af++)
			if ((p->af_set & (1ull << af)) && sp_af_name(af))
				wrap_word(&w, sp_af_name(af));
		wrap_end(&w);
	}
	fprintf(f, "NotifyKill=%s\n", p->notify_kill ? "yes" : "no");
}

void sp_policy_print(const sp_policy_t *p, FILE *f)
{
	fprintf(f, "# sandpool policy %s, normalized\n",
		p->source ? p->source : "(built-in default)");
	print_resources(p, f);
	print_timeouts(p, f);
	print_exec(p, f);
	print_seccomp(p, f);
}
