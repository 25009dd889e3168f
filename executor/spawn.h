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

/* What a child reports when it fails before exec. It lives in memory shared
 * with the coordinator (MAP_SHARED, one per worker slot) and is written with
 * plain stores: a child under a seccomp filter needs no syscall but _exit. */
typedef struct {
	volatile int failed;
	int errnum;
	const char *step; /* static string in our binary (same address in the child) */
} sp_child_report_t;

/* Per-run spawn state, set up once (sp_spawner_init) and shared by every spawn. */
typedef struct {
	sp_spawn_method_t method;
	sp_child_report_t *reports; /* shared mapping, one per slot */
	size_t nreports, reports_size;
	bool reserved;	       /* fds 3 and 4 are our placeholders (sp_spawn_reserve_fds) */
	int reset_signals[64]; /* signals whose disposition must go back to SIG_DFL */
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
	unsigned slot;		     /* the worker slot: where the child reports */
	int cgroup_fd;		     /* the leaf, or -1 (process-group mode) */
	bool new_pgroup;	     /* the task gets a process group of its own */
	bool pdeathsig;		     /* SIGKILL the main process if the coordinator dies */
	const sp_child_plan_t *plan; /* may be NULL */
} sp_spawn_req_t;

typedef struct {
	pid_t pid;
	int pidfd;
	int listener_fd; /* the seccomp notification fd, or -1 */
} sp_spawned_t;

/* Call first thing in main(), before any fd is opened: keeps fds 3 and 4 for
 * the pidfd and the seccomp listener of each spawn, so that the listener's
 * number is known and low (below any task's RLIMIT_NOFILE). */
void sp_spawn_reserve_fds(void);

int sp_spawner_init(sp_spawner_t *s, sp_spawn_method_t method, unsigned slots, sp_err_t *err);
void sp_spawner_fini(sp_spawner_t *s);

int sp_spawn(sp_spawner_t *s, const sp_spawn_req_t *req, sp_spawned_t *out, sp_err_t *err);

/* The report of the last spawn in slot, or NULL if its child did not fail
 * before exec (valid once the child has exited). */
const sp_child_report_t *sp_spawner_report(const sp_spawner_t *s, unsigned slot);

/* Resolve cmd against PATH (as execvp would), in the coordinator. Returns a
 * malloc'd path, or NULL with errno ENOENT/EACCES. */
char *sp_resolve_command(const char *cmd, const char *path_env);

#endif
