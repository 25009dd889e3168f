/* model.h: the inside of sp_policy_t, shared by the files of policy/ only.
 * parse.c fills it, model.c prints it and derives leaf settings, seccomp.c and plan.c compile it.
 */
#ifndef SP_POLICY_MODEL_H
#define SP_POLICY_MODEL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "policy/policy.h"

/* Action of one syscall entry: an errno value (> 0) or one of these. */
enum {
	SP_SC_ACT_DEFAULT = -1, /* SystemCallErrorNumber=, or kill when unset */
	SP_SC_ACT_KILL = -2,	/* name:kill */
};

typedef struct {
	char name[48];
	int action;
} sp_sc_entry_t;

/* A set of syscall names with their actions, in insertion order. */
typedef struct {
	sp_sc_entry_t *v;
	size_t n, cap;
} sp_sc_set_t;

typedef enum {
	SP_LIST_UNSET = 0,
	SP_LIST_ALLOW,
	SP_LIST_DENY,
} sp_list_mode_t;

/* Architectures (bit mask) SystemCallArchitectures= may name. */
enum {
	SP_ARCH_X86_64 = 1u << 0,
	SP_ARCH_X86 = 1u << 1,
	SP_ARCH_X32 = 1u << 2,
};

/* Every key a policy file may hold; the index into sp_policy.line. */
typedef enum {
	SP_K_MEMORY_MAX,
	SP_K_MEMORY_HIGH,
	SP_K_MEMORY_SWAP_MAX,
	SP_K_TASKS_MAX,
	SP_K_CPU_QUOTA,
	SP_K_CPU_WEIGHT,
	SP_K_DEGRADE,
	SP_K_RUNTIME_MAX,
	SP_K_TIMEOUT_STOP,
	SP_K_NO_NEW_PRIVS,
	SP_K_USER,
	SP_K_GROUP,
	SP_K_SUPP_GROUPS,
	SP_K_WORKDIR,
	SP_K_ENVIRONMENT,
	SP_K_UNSET_ENV,
	SP_K_UMASK,
	SP_K_LIMIT, /* every Limit*= key */
	SP_K_SC_FILTER,
	SP_K_SC_ARCHS,
	SP_K_SC_ERRNO,
	SP_K_RESTRICT_AF,
	SP_K_NOTIFY_KILL,
	SP_K_COUNT,
} sp_key_id_t;

#define SP_AF_LIMIT 64 /* address families 0..63 are filtered one by one */

typedef struct {
	bool set;
	unsigned line;
	struct rlimit lim;
} sp_policy_rlimit_t;

struct sp_policy {
	char *source;		   /* file the policy came from, NULL for the built-in default */
	unsigned line[SP_K_COUNT]; /* line of the last assignment of each key, 0 if none */

	/* [Resources]: bytes or SP_UNSET / SP_INFINITY */
	int64_t memory_max, memory_high, memory_swap_max, tasks_max;
	int64_t cpu_quota_us; /* per 100 ms period; SP_UNSET */
	int64_t cpu_weight;
	bool degrade;

	/* [Timeouts]: ns or SP_UNSET / SP_INFINITY */
	int64_t runtime_max_ns, stop_timeout_ns;

	/* [Exec] */
	bool no_new_privs;
	char *user, *group; /* as written, NULL when unset */
	uid_t uid;
	gid_t gid;	   /* Group=, or User='s primary group */
	char **supp_names; /* SupplementaryGroups= as written */
	gid_t *supp;	   /* resolved */
	size_t nsupp;
	char *workdir;
	char **env; /* "NAME=value" from Environment=, NULL-terminated */
	size_t nenv;
	char **unset_env; /* "NAME" or "NAME=value" */
	size_t nunset_env;
	bool has_umask;
	mode_t umask;
	sp_policy_rlimit_t rlim[RLIM_NLIMITS];

	/* [Seccomp] */
	sp_list_mode_t sc_mode;
	sp_sc_set_t sc;
	int sc_errno;	/* SystemCallErrorNumber=: errno > 0, SP_SC_ACT_KILL, or 0 unset */
	unsigned archs; /* SP_ARCH_* mask, 0: not restricted */
	sp_list_mode_t af_mode;
	uint64_t af_set; /* bit f: family f listed */
	bool notify_kill;

	/* derived at the end of parsing */
	sp_leaf_setting_t leaf[8];
	size_t nleaf;
};

/* sp_sc_set_t operations. */
sp_sc_entry_t *sp_sc_set_find(const sp_sc_set_t *s, const char *name);
void sp_sc_set_put(sp_sc_set_t *s, const char *name, int action);
void sp_sc_set_remove(sp_sc_set_t *s, const char *name);
void sp_sc_set_clear(sp_sc_set_t *s);

/* Is a seccomp filter wanted at all? */
bool sp_policy_has_seccomp(const sp_policy_t *p);
/* The action the filter takes for syscall NAME: 0 allow, else an SP_SC_ACT_* or errno after
 * SystemCallErrorNumber= is applied (SP_SC_ACT_KILL for kill). */
int sp_policy_syscall_action(const sp_policy_t *p, const char *name);
/* The action for a syscall the filter does not name. */
int sp_policy_unlisted_action(const sp_policy_t *p);
/* Is address family AF allowed by RestrictAddressFamilies=? */
bool sp_policy_af_allowed(const sp_policy_t *p, int af);

/* Compute leaf settings from the [Resources] values (called by the parser). */
void sp_policy_derive(sp_policy_t *p);

/* Print the policy in normalized form: a valid policy file that loads to the same policy. */
void sp_policy_print(const sp_policy_t *p, FILE *f);

/* Parse a policy from an open stream; NAME is used in messages ("NAME:LINE: ..."). */
int sp_policy_parse_stream(FILE *f, const char *name, sp_policy_t **out, sp_err_t *err);
/* Resolve FILE|NAME to a path (malloc'd). */
int sp_policy_find(const char *file_or_name, char **path, sp_err_t *err);

#endif
