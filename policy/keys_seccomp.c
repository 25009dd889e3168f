/* keys_seccomp.c: the [Seccomp] keys with systemd's list semantics: the first
 * assignment decides allow-list or deny-list (~), later ones add to or remove from it,
 * an empty assignment resets. Unlike systemd, an unknown name refuses the policy. */
#include "config.h"

#include <seccomp.h>
#include <stdlib.h>
#include <string.h>

#include "executor/util.h"
#include "policy/names.h"
#include "policy/parse.h"
#include "policy/syscall_groups.h"
#include "policy/words.h"

#define WHY(...) sp_why(why, whylen, __VA_ARGS__)

typedef struct {
	sp_sc_set_t *set;
	bool add;
	int action;
} sp_sc_edit_t;

static void edit_one(const char *name, void *ud)
{
	sp_sc_edit_t *e = ud;

	if (e->add)
		sp_sc_set_put(e->set, name, e->action);
	else
		sp_sc_set_remove(e->set, name);
}

static bool syscall_known(const char *name)
{
	return sp_syscall_known(name) || seccomp_syscall_resolve_name(name) != __NR_SCMP_ERROR;
}

/* "name", "name:EPERM", "name:kill" -> name (in buf) and action. */
static int split_entry(const char *word, char *name, size_t len, int *action, char *why,
		       size_t whylen)
{
	const char *colon = strchr(word, ':');

	*action = SP_SC_ACT_DEFAULT;
	if ((colon ? (size_t)(colon - word) : strlen(word)) >= len)
		return WHY("\"%s\" is not a system call name", word);
	snprintf(name, len, "%.*s", colon ? (int)(colon - word) : (int)strlen(word), word);
	if (!colon)
		return 0;
	if (strcmp(colon + 1, "kill") == 0)
		*action = SP_SC_ACT_KILL;
	else if ((*action = sp_errno_from_name(colon + 1)) < 0)
		return WHY("unknown error number \"%s\" in \"%s\"", colon + 1, word);
	return 0;
}

static int filter_word(sp_policy_t *p, const char *word, bool invert, char *why, size_t whylen)
{
	char name[48];
	sp_sc_edit_t e = {&p->sc, invert == (p->sc_mode == SP_LIST_DENY), SP_SC_ACT_DEFAULT};

	if (split_entry(word, name, sizeof(name), &e.action, why, whylen) < 0)
		return -1;
	if (e.action != SP_SC_ACT_DEFAULT && !(invert && p->sc_mode == SP_LIST_DENY))
		return WHY("\"%s\": an error number or kill can only follow an entry of a ~ list "
			   "in a deny-list filter (denied syscalls of an allow-list get "
			   "SystemCallErrorNumber=)",
			   word);
	if (name[0] == '@') {
		if (sp_syscall_group_expand(name, edit_one, &e) < 0)
			return WHY("unknown system call group \"%s\"", name);
		return 0;
	}
	if (!syscall_known(name))
		return WHY("unknown system call \"%s\"", name);
	edit_one(name, &e);
	return 0;
}

int sp_key_set_syscall_filter(sp_policy_t *p, const char *key, const char *v, char *why,
			      size_t whylen)
{
	bool invert = v[0] == '~';
	const char *what;
	char **w;
	size_t nw;
	int r = 0;

	if (!*v) {
		p->sc_mode = SP_LIST_UNSET;
		sp_sc_set_clear(&p->sc);
		return 0;
	}
	if (sp_words_split(v + invert, &w, &nw, &what) < 0)
		return WHY("%s in \"%s\"", what, v);
	if (p->sc_mode == SP_LIST_UNSET) {
		p->sc_mode = invert ? SP_LIST_DENY : SP_LIST_ALLOW;
		if (!invert) /* an allow-list always holds what every program needs */
			filter_word(p, "@default", false, why, whylen);
	}
	for (size_t i = 0; i < nw && r == 0; i++)
		r = filter_word(p, w[i], invert, why, whylen);
	sp_words_free(w);
	return r;
}

int sp_key_set_archs(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	const char *what;
	char **w;
	size_t nw;
	unsigned bits = 0;

	if (!*v) {
		p->archs = 0;
		return 0;
	}
	if (sp_words_split(v, &w, &nw, &what) < 0)
		return WHY("%s in \"%s\"", what, v);
	for (size_t i = 0; i < nw; i++) {
		unsigned bit = sp_arch_from_name(w[i]);
		if (!bit) {
			WHY("unknown architecture \"%s\"", w[i]);
			sp_words_free(w);
			return -1;
		}
		bits |= bit;
	}
	sp_words_free(w);
	p->archs |= bits;
	return 0;
}

int sp_key_set_sc_errno(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	int e;

	if (!*v) {
		p->sc_errno = 0;
		return 0;
	}
	if (strcmp(v, "kill") == 0) {
		p->sc_errno = SP_SC_ACT_KILL;
		return 0;
	}
	if ((e = sp_errno_from_name(v)) < 0)
		return WHY("unknown error number \"%s\"", v);
	p->sc_errno = e;
	return 0;
}

int sp_key_set_restrict_af(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen)
{
	bool invert = v[0] == '~';
	const char *what;
	char **w;
	size_t nw;
	uint64_t bits = 0;

	if (!*v || strcmp(v, "none") == 0) {
		p->af_mode = *v ? SP_LIST_ALLOW : SP_LIST_UNSET;
		p->af_set = 0;
		return 0;
	}
	if (sp_words_split(v + invert, &w, &nw, &what) < 0)
		return WHY("%s in \"%s\"", what, v);
	for (size_t i = 0; i < nw; i++) {
		int af = sp_af_from_name(w[i]);
		if (af < 0 || af >= SP_AF_LIMIT) {
			WHY("unknown address family \"%s\"", w[i]);
			sp_words_free(w);
			return -1;
		}
		bits |= 1ull << af;
	}
	sp_words_free(w);
	if (p->af_mode == SP_LIST_UNSET)
		p->af_mode = invert ? SP_LIST_DENY : SP_LIST_ALLOW;
	if (invert == (p->af_mode == SP_LIST_DENY))
		p->af_set |= bits;
	else
		p->af_set &= ~bits;
	return 0;
}
