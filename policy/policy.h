/* policy.h: the policy model (what a policy file says) and the contract between
 * policy/ and executor/: what the coordinator writes into each leaf and what the
 * child applies before exec. Parsing lives in parse.c, seccomp in seccomp.c. */
#ifndef SP_POLICY_H
#define SP_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "executor/err.h"

#define SP_UNSET    (-1)	/* a numeric setting the policy does not set */
#define SP_INFINITY (INT64_MAX) /* "infinity" */

/* Controllers a policy may demand in each worker leaf (bit mask). */
enum {
	SP_CTRL_MEMORY = 1u << 0,
	SP_CTRL_PIDS = 1u << 1,
	SP_CTRL_CPU = 1u << 2,
};

/* One "file=value" to write into each worker leaf before the task starts. */
typedef struct {
	const char *file; /* e.g. "memory.max" */
	char value[64];	  /* e.g. "536870912" */
	unsigned ctrl;	  /* SP_CTRL_* it needs */
	const char *key;  /* the policy key it came from, for messages ("MemoryMax=") */
} sp_leaf_setting_t;

typedef struct {
	int resource; /* RLIMIT_* */
	struct rlimit lim;
} sp_rlimit_t;

typedef struct sp_policy sp_policy_t;

/* Everything the child needs, prepared in the coordinator before any fork. The
 * child only calls sp_child_plan_apply(), which is async-signal-safe. */
typedef struct {
	bool no_new_privs;
	bool set_umask;
	mode_t umask;
	const char *workdir; /* NULL: inherit */
	bool set_ids;
	uid_t uid;
	gid_t gid;
	size_t ngroups;
	gid_t *groups;
	size_t nrlimits;
	sp_rlimit_t *rlimits;
	/* A compiled seccomp BPF program (struct sock_filter array), NULL when none. */
	void *bpf;
	unsigned short bpf_len;
	unsigned int seccomp_flags; /* SECCOMP_FILTER_FLAG_* */
	char **envp;		    /* the environment for execve, NULL: inherit environ */
} sp_child_plan_t;

/* The default (permissive) policy: sets nothing. */
sp_policy_t *sp_policy_new(void);
void sp_policy_free(sp_policy_t *p);

/* Load FILE (a path containing '/', or ending in .ini) or NAME (a shipped policy
 * under $(datadir)/sandpool/policies or $SANDPOOL_POLICY_DIR). */
int sp_policy_load(const char *file_or_name, sp_policy_t **out, sp_err_t *err);

/* Timeouts from [Timeouts]; SP_UNSET when not set. Nanoseconds. */
int64_t sp_policy_runtime_max_ns(const sp_policy_t *p);
int64_t sp_policy_stop_timeout_ns(const sp_policy_t *p);

/* Controllers the policy needs and whether it allows running without them. */
unsigned sp_policy_controllers(const sp_policy_t *p);
bool sp_policy_degrade(const sp_policy_t *p);

/* Settings to write into every worker leaf, in order. */
size_t sp_policy_leaf_settings(const sp_policy_t *p, const sp_leaf_setting_t **out);

/* Build the child plan (environment from envp_base, compiled seccomp...). */
int sp_child_plan_prepare(const sp_policy_t *p, char **envp_base, sp_child_plan_t *plan,
			  sp_err_t *err);
void sp_child_plan_release(sp_child_plan_t *plan);

/* In the child, after fork and before execve: apply the plan. Async-signal-safe.
 * When the plan loads a filter with SECCOMP_FILTER_FLAG_NEW_LISTENER, the
 * listener fd is stored in *listener_fd (else -1); the executor passes it to the
 * coordinator. Returns 0, or -errno with *step set to a static name of the
 * failing step. */
int sp_child_plan_apply(const sp_child_plan_t *plan, int *listener_fd, const char **step);

#endif
