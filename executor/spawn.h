/* spawn.h: starting a task's main process directly inside its cgroup leaf.
 * Everything is prepared by the caller; the child only runs async-signal-safe
 * steps, then execve. Failures before exec come back on the report pipe. */
#ifndef SP_SPAWN_H
#define SP_SPAWN_H

#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "err.h"
#include "policy/policy.h"

typedef enum {
	SP_SPAWN_CLONE3 = 0, /* clone3(CLONE_INTO_CGROUP|CLONE_PIDFD|CLONE_VFORK|CLONE_FILES) */
	SP_SPAWN_FORK,	     /* fork, parent moves the child into the leaf, then lets it run */
} sp_spawn_method_t;

/* Per-run spawn state, set up once (sp_spawner_init) and shared by every spawn. */
typedef struct {
	sp_spawn_method_t method;
	int report_rd, report_wr; /* the report pipe: child failures before exec */
	int reset_signals[64];	  /* signals whose disposition must go back to SIG_DFL */
	unsigned nreset;
	pid_t coordinator;
	bool restore_nofile;  /* we raised our RLIMIT_NOFILE: tasks get the original */
	struct rlimit nofile; /* the original */
	void *stack;	      /* the child's own stack when it shares our memory (CLONE_VM) */
	size_t stack_size;
} sp_spawner_t;

typedef struct {
	const char *path; /* resolved executable */
	char *const *argv;
	char *const *envp;
	int cgroup_fd;		     /* the leaf, or -1 (process-group mode) */
	bool pdeathsig;		     /* SIGKILL the main process if the coordinator dies */
	const sp_child_plan_t *plan; /* may be NULL */
} sp_spawn_req_t;

typedef struct {
	pid_t pid;
	int pidfd;
	int listener_fd; /* the seccomp notification fd, or -1 */
} sp_spawned_t;

/* What a child reported before it could exec. */
typedef struct {
	pid_t pid;
	int errnum;
	const char *step; /* static string in our binary (same address in the child) */
} sp_child_report_t;

int sp_spawner_init(sp_spawner_t *s, sp_spawn_method_t method, sp_err_t *err);
void sp_spawner_fini(sp_spawner_t *s);

int sp_spawn(sp_spawner_t *s, const sp_spawn_req_t *req, sp_spawned_t *out, sp_err_t *err);

/* Read one pending child report (non-blocking). 1 if one was read, 0 if none. */
int sp_spawner_read_report(sp_spawner_t *s, sp_child_report_t *rep);

/* Resolve cmd against PATH (as execvp would), in the coordinator. Returns a
 * malloc'd path, or NULL with errno ENOENT/EACCES. */
char *sp_resolve_command(const char *cmd, const char *path_env);

#endif
