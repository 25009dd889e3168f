/* worker.h: the worker lifecycle as one table, state x event -> action.
 * pool.c carries out the actions; each action returns the next state. */
#ifndef SP_WORKER_H
#define SP_WORKER_H

typedef enum {
	SP_WS_IDLE = 0,	   /* no task */
	SP_WS_RUNNING,	   /* the main process runs */
	SP_WS_TERMINATING, /* SIGTERM sent, grace timer armed */
	SP_WS_KILLING,	   /* cgroup.kill written, waiting for the leaf to empty */
	SP_WS_DRAINING,	   /* main exited, descendants remain (being killed or awaited) */
	SP_WS_DONE,	   /* main reaped and leaf empty: report, remove the leaf */
	SP_WS__COUNT
} sp_wstate_t;

typedef enum {
	SP_WE_START = 0, /* a task was assigned */
	SP_WE_MAIN_EXIT, /* the pidfd is readable */
	SP_WE_EMPTY,	 /* cgroup.events says populated 0 */
	SP_WE_DEADLINE,	 /* the task's --timeout expired */
	SP_WE_GRACE,	 /* the grace period after SIGTERM expired */
	SP_WE_STOP,	 /* the coordinator was told to stop (SIGINT/SIGTERM/SIGHUP) */
	SP_WE_HARDSTOP,	 /* told twice: kill now */
	SP_WE_SECCOMP,	 /* the task made a forbidden system call */
	SP_WE__COUNT
} sp_wevent_t;

typedef enum {
	SP_WA_INVALID = 0, /* a bug: this event cannot happen in this state */
	SP_WA_IGNORE,	   /* nothing to do (e.g. a second stop while killing) */
	SP_WA_SPAWN,	   /* create the leaf, start the main process */
	SP_WA_REAP,	   /* collect the main's status; end or deal with descendants */
	SP_WA_EMPTIED,	   /* the leaf is empty; done if the main is reaped too */
	SP_WA_TERMINATE,   /* SIGTERM every process, arm the grace timer */
	SP_WA_KILL,	   /* cgroup.kill (or freeze + SIGKILL) */
	SP_WA_FINISH,	   /* record, report, remove the leaf, back to idle */
} sp_waction_t;

sp_waction_t sp_worker_action(sp_wstate_t state, sp_wevent_t event);
const char *sp_wstate_name(sp_wstate_t s);
const char *sp_wevent_name(sp_wevent_t e);
const char *sp_waction_name(sp_waction_t a);

#endif
