/* pool_internal.h: the coordinator's context and worker records, shared by
 * pool.c (setup, loop, dispatch) and task.c (the state machine's actions). */
#ifndef SP_POOL_INTERNAL_H
#define SP_POOL_INTERNAL_H

#include "cgroup.h"
#include "pool.h"
#include "report.h"
#include "worker.h"

/* epoll tags: slot << 3 | kind */
enum { SP_K_SIGNAL = 0, SP_K_PIDFD, SP_K_EVENTS, SP_K_TIMER, SP_K_LISTENER, SP_K_INPUT };
#define SP_TAG(slot, kind) (((uint64_t)(slot) << 3) | (kind))

typedef struct {
	unsigned slot;
	sp_wstate_t state;
	int timerfd;
	/* the current task */
	unsigned long long seq;
	const char *cols[SP_INPUT_MAX_COLS];
	char **argv;
	char leaf[32];
	int leaf_fd, events_fd, pidfd, listener_fd;
	pid_t pid;
	bool reaped, empty, timed_out, cancelled, cpu_read;
	bool freezing;	/* kill without cgroup.kill: waiting for frozen 1 */
	bool unwatched; /* cgroup.events could not be watched: act_kill waits in place */
	int exit_code, signal, descendants;
	sp_status_t forced; /* SP_ST__COUNT when none */
	uint64_t start_ns;
	sp_cpustat_t cpu;
	uint64_t oom_kills;
	int64_t memory_peak; /* -1: unknown */
	char *error, *syscall;
	int errnum;
} sp_worker_t;

typedef struct {
	const sp_pool_opts_t *o;
	sp_pool_result_t *res;
	int epfd, sigfd;
	int input_fd; /* our copy of stdin while inputs stream from it, else -1 */
	sp_containment_t cg;
	sp_spawner_t spawner;
	sp_child_plan_t plan;
	bool have_plan;
	sp_report_t report;
	unsigned controllers, missing_ctrls; /* SP_CTRL_*: the policy needs / we run without */
	char degraded[32];		     /* names of missing_ctrls, for the log */
	sp_worker_t *workers;
	unsigned *idle; /* stack of idle slots */
	unsigned nidle, busy;
	size_t next_input;
	unsigned long long seq;
	int stop_signal, stops;
	char *cmd_cache_name, *cmd_cache_path; /* last resolved argv[0] */
	int cmd_cache_errno;
	void *notif_req; /* libseccomp notification buffer */
	uint64_t started_ns;
} sp_pool_t;

/* task.c */
void sp_task_event(sp_pool_t *p, sp_worker_t *w, sp_wevent_t ev);
void sp_task_events_ready(sp_pool_t *p, sp_worker_t *w);
void sp_task_timer_ready(sp_pool_t *p, sp_worker_t *w);
void sp_task_listener_ready(sp_pool_t *p, sp_worker_t *w, uint32_t events);

#endif
