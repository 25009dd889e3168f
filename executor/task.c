/* task.c: the actions of the worker state machine: spawn into a fresh leaf,
 * reap, terminate (SIGTERM + grace), kill (cgroup.kill), finish (report and
 * remove the leaf). Each action returns the worker's next state. */
#include "config.h"

#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "policy/seccomp.h"
#include "pool_internal.h"
#include "util.h"

static void warn_internal(sp_worker_t *w, const char *what, int errnum)
{
	fprintf(stderr, "sandpool: task %llu: %s: %s\n", w->seq, what, strerror(errnum));
}

static int epoll_add(sp_pool_t *p, int fd, uint32_t events, uint64_t tag)
{
	struct epoll_event ev = {.events = events, .data.u64 = tag};

	if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		fprintf(stderr, "sandpool: epoll_ctl: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

/* Close an fd we watch, unregistering it first: a copy of our fd table in a
 * child (the fork spawn method, until its exec) would keep the registration
 * alive and deliver a stale event to the slot's next task. */
static void unwatch_close(sp_pool_t *p, int *fd)
{
	if (*fd < 0)
		return;
	epoll_ctl(p->epfd, EPOLL_CTL_DEL, *fd, NULL);
	sp_fd_close(*fd);
	*fd = -1;
}

static void arm_timer(sp_worker_t *w, uint64_t ns)
{
	struct itimerspec its = {.it_value = {.tv_sec = (time_t)(ns / 1000000000ull),
					      .tv_nsec = (long)(ns % 1000000000ull)}};

	if (ns == 0)
		its.it_value.tv_nsec = 1; /* 0 would disarm: fire at once */
	timerfd_settime(w->timerfd, 0, &its, NULL);
}

static void disarm_timer(sp_worker_t *w)
{
	struct itimerspec its = {0};

	timerfd_settime(w->timerfd, 0, &its, NULL);
}

/* --- spawn ----------------------------------------------------------------- */

static const char *resolve_cached(sp_pool_t *p, const char *cmd, int *errnum)
{
	if (!p->cmd_cache_name || strcmp(p->cmd_cache_name, cmd) != 0) {
		free(p->cmd_cache_name);
		free(p->cmd_cache_path);
		p->cmd_cache_name = sp_xstrdup(cmd);
		p->cmd_cache_path = sp_resolve_command(cmd, getenv("PATH"));
		p->cmd_cache_errno = p->cmd_cache_path ? 0 : errno;
	}
	*errnum = p->cmd_cache_errno;
	return p->cmd_cache_path;
}

static sp_wstate_t finish(sp_pool_t *p, sp_worker_t *w);

static sp_wstate_t spawn_failed(sp_pool_t *p, sp_worker_t *w, int errnum, const char *text)
{
	w->error = sp_xstrdup(text);
	w->errnum = errnum;
	w->forced = SP_ST_SPAWN_ERROR;
	w->reaped = w->empty = true;
	return finish(p, w);
}

/* We cannot watch a task we started (epoll is out of room): never let it run
 * unwatched. Kill it, wait for it, report it. */
static sp_wstate_t spawn_unwatchable(sp_pool_t *p, sp_worker_t *w)
{
	int saved = errno;
	siginfo_t si;
	sp_err_t err;

	if (w->leaf_fd >= 0 && sp_cg_kill(w->leaf_fd, &err) == 0)
		sp_cg_wait_empty(w->leaf_fd, 10000);
	syscall(SYS_pidfd_send_signal, w->pidfd, SIGKILL, NULL, 0);
	waitid(P_PIDFD, (id_t)w->pidfd, &si, WEXITED);
	unwatch_close(p, &w->pidfd);
	unwatch_close(p, &w->listener_fd);
	return spawn_failed(p, w, saved, "the coordinator could not watch the task (epoll_ctl)");
}

static int write_leaf_settings(sp_pool_t *p, sp_worker_t *w, sp_err_t *err)
{
	const sp_leaf_setting_t *set;
	size_t n = p->o->policy ? sp_policy_leaf_settings(p->o->policy, &set) : 0;

	for (size_t i = 0; i < n; i++) {
		if (set[i].ctrl & p->missing_ctrls)
			continue; /* degraded: the log says so */
		if (sp_write_at(w->leaf_fd, set[i].file, set[i].value, err) < 0)
			return sp_err_prefix(err, "applying %s", set[i].key);
	}
	return 0;
}

static sp_wstate_t act_spawn(sp_pool_t *p, sp_worker_t *w)
{
	size_t idx = p->next_input++;
	sp_spawn_req_t req = {
	    .slot = w->slot,
	    .cgroup_fd = -1,
	    /* exec on a terminal keeps our process group: a background group would
	     * be stopped by SIGTTIN when it reads the terminal */
	    .new_pgroup = !(p->o->keep_stdin && p->cg.mode == SP_MODE_CGROUP),
	    .plan = p->have_plan ? &p->plan : NULL,
	};
	sp_spawned_t sp;
	sp_err_t err;
	char text[1400];
	int errnum;

	w->seq = ++p->seq;
	sp_inputs_get(p->o->inputs, idx, w->cols);
	w->argv = sp_template_expand(p->o->tmpl, w->cols, p->o->inputs->ncols, w->seq, w->slot + 1);
	req.argv = w->argv;
	req.envp = p->plan.envp;
	req.path = resolve_cached(p, w->argv[0], &errnum);
	w->start_ns = sp_now_ns();
	if (!req.path) {
		snprintf(text, sizeof(text), "%s: %s", w->argv[0],
			 errnum == ENOENT ? "command not found" : strerror(errnum));
		return spawn_failed(p, w, errnum, text);
	}
	if (p->cg.mode == SP_MODE_CGROUP) {
		snprintf(w->leaf, sizeof(w->leaf), "t%llu", w->seq);
		w->leaf_fd = sp_cg_mkdir(p->cg.pool_fd, w->leaf, &err);
		if (w->leaf_fd < 0 || write_leaf_settings(p, w, &err) < 0) {
			sp_err_prefix(&err, "in %s", p->cg.pool_path); /* the full path */
			return spawn_failed(p, w, err.errnum,
					    sp_err_text(&err, text, sizeof(text)));
		}
		req.cgroup_fd = w->leaf_fd;
	} else {
		req.pdeathsig = true;
		w->empty = true; /* no event source: emptiness is checked at reap */
	}
	if (sp_spawn(&p->spawner, &req, &sp, &err) < 0)
		return spawn_failed(p, w, err.errnum, sp_err_text(&err, text, sizeof(text)));
	w->pid = sp.pid;
	w->pidfd = sp.pidfd;
	w->listener_fd = sp.listener_fd;
	if (p->cg.mode == SP_MODE_PGROUP)
		sp_warden_track(&p->cg.warden, w->pid, true);
	if (epoll_add(p, w->pidfd, EPOLLIN, SP_TAG(w->slot, SP_K_PIDFD)) < 0 ||
	    (w->listener_fd >= 0 &&
	     epoll_add(p, w->listener_fd, EPOLLIN, SP_TAG(w->slot, SP_K_LISTENER)) < 0))
		return spawn_unwatchable(p, w);
	if (p->o->timeout_ns)
		arm_timer(w, p->o->timeout_ns);
	return SP_WS_RUNNING;
}

/* --- watching the leaf ------------------------------------------------------- */

/* Make sure cgroup.events is watched; returns true if the leaf is empty now. */
static bool watch_leaf(sp_pool_t *p, sp_worker_t *w)
{
	bool populated = true;
	sp_err_t err;

	if (p->cg.mode != SP_MODE_CGROUP)
		return true;
	if (w->events_fd < 0 && !w->unwatched) {
		w->events_fd = sp_cg_events_open(w->leaf_fd, &err);
		if (w->events_fd < 0)
			warn_internal(w, "opening cgroup.events", err.errnum);
		else if (epoll_add(p, w->events_fd, EPOLLPRI, SP_TAG(w->slot, SP_K_EVENTS)) < 0)
			unwatch_close(p, &w->events_fd);
		/* Without an event for "empty", act_kill waits for it in place. */
		w->unwatched = w->events_fd < 0;
	}
	if (w->unwatched)
		return w->empty;
	if (sp_cg_events_read(w->events_fd, &populated, NULL) == 0 && !populated)
		w->empty = true;
	return w->empty;
}

/* descendants_killed: the processes besides the main one that sandpool's
 * first signal (or kill) found in the leaf. */
static void set_descendants(sp_worker_t *w, unsigned nprocs)
{
	if (w->descendants < 0)
		w->descendants = (int)nprocs - (w->reaped || nprocs == 0 ? 0 : 1);
}

static void count_descendants(sp_pool_t *p, sp_worker_t *w)
{
	unsigned n = 0;
	sp_err_t err;

	if (w->descendants >= 0 || p->cg.mode != SP_MODE_CGROUP)
		return;
	if (sp_cg_count_procs(w->leaf_fd, &n, &err) == 0)
		set_descendants(w, n);
}

/* Signal every process of the task; counts them on the way (cgroup mode). */
static void signal_task(sp_pool_t *p, sp_worker_t *w, int sig)
{
	unsigned n = 0;
	sp_err_t err;

	/* The main process through its pidfd too: it may have left its process
	 * group, or (as root) its leaf. */
	if (w->pidfd >= 0)
		syscall(SYS_pidfd_send_signal, w->pidfd, sig, NULL, 0);
	if (p->cg.mode != SP_MODE_CGROUP) {
		kill(-w->pid, sig);
		return;
	}
	if (sp_cg_signal_all(w->leaf_fd, sig, &n, &err) < 0)
		warn_internal(w, "signalling the leaf", err.errnum);
	else
		set_descendants(w, n);
}

/* --- actions ----------------------------------------------------------------- */

/* The leaf is frozen: no process can fork or exit by itself; kill them all. */
static void kill_frozen(sp_pool_t *p, sp_worker_t *w)
{
	sp_err_t err;

	w->freezing = false;
	signal_task(p, w, SIGKILL);
	if (sp_cg_freeze(w->leaf_fd, false, &err) < 0)
		warn_internal(w, "thawing the leaf", err.errnum);
}

static sp_wstate_t act_kill(sp_pool_t *p, sp_worker_t *w)
{
	sp_err_t err;

	count_descendants(p, w);
	if (w->pidfd >= 0) /* the main, even if it left its group or leaf */
		syscall(SYS_pidfd_send_signal, w->pidfd, SIGKILL, NULL, 0);
	if (p->cg.mode != SP_MODE_CGROUP) {
		kill(-w->pid, SIGKILL);
		return w->reaped ? finish(p, w) : SP_WS_KILLING;
	}
	if (watch_leaf(p, w))
		return w->reaped ? finish(p, w) : SP_WS_KILLING;
	if (p->cg.have_kill && sp_cg_kill(w->leaf_fd, &err) == 0) {
		if (w->unwatched && sp_cg_wait_empty(w->leaf_fd, 10000) == 0)
			w->empty = true; /* no event would tell us: we waited (bounded) */
		if (w->empty && w->reaped)
			return finish(p, w);
		return SP_WS_KILLING;
	}
	if (p->cg.have_kill)
		warn_internal(w, "writing cgroup.kill (freezing and killing instead)", err.errnum);
	/* No cgroup.kill (< 5.14): freeze, and once cgroup.events says frozen (so
	 * nothing can fork any more), SIGKILL every process; see kill_frozen(). */
	if (sp_cg_freeze(w->leaf_fd, true, &err) < 0) {
		warn_internal(w, "freezing the leaf", err.errnum);
		signal_task(p, w, SIGKILL);
	} else {
		bool frozen = false;
		w->freezing = true;
		if (sp_cg_events_read(w->events_fd, NULL, &frozen) == 0 && frozen)
			kill_frozen(p, w); /* frozen already */
	}
	return SP_WS_KILLING;
}

static sp_wstate_t act_terminate(sp_pool_t *p, sp_worker_t *w)
{
	if (p->o->grace_ns == 0) /* no time to act on a SIGTERM: kill at once */
		return act_kill(p, w);
	if (watch_leaf(p, w) && w->reaped)
		return finish(p, w);
	signal_task(p, w, SIGTERM);
	arm_timer(w, p->o->grace_ns);
	return SP_WS_TERMINATING;
}

/* Was this exit a failure the child reported before it could exec? */
static void check_child_report(sp_pool_t *p, sp_worker_t *w)
{
	const sp_child_report_t *rep = sp_spawner_report(&p->spawner, w->slot);
	char text[512];

	if (!rep)
		return;
	snprintf(text, sizeof(text), "%s: %s: %s", w->argv[0], rep->step, strerror(rep->errnum));
	free(w->error);
	w->error = sp_xstrdup(text);
	w->errnum = rep->errnum;
	w->forced = SP_ST_SPAWN_ERROR;
}

/* Collect the main process's status; false if it has not exited (a stale
 * wake-up: never block the coordinator on it). */
static bool collect_exit(sp_pool_t *p, sp_worker_t *w)
{
	siginfo_t si = {0};

	if (waitid(P_PIDFD, (id_t)w->pidfd, &si, WEXITED | WNOHANG) == 0 && si.si_pid == 0)
		return false;
	if (si.si_pid == 0) {
		warn_internal(w, "waitid", errno);
		w->exit_code = -1;
	} else if (si.si_code == CLD_EXITED) {
		w->exit_code = si.si_status;
		if (si.si_status == 126 || si.si_status == 127)
			check_child_report(p, w);
	} else {
		w->signal = si.si_status;
		w->exit_code = -1;
	}
	w->reaped = true;
	unwatch_close(p, &w->pidfd);
	return true;
}

/* Accounting from the leaf, read before it is removed: CPU time from cpu.stat
 * (descendants included), OOM kills and peak memory when memory is limited. */
static void read_leaf_stats(sp_pool_t *p, sp_worker_t *w)
{
	uint64_t v;

	if (w->cpu_read || w->leaf_fd < 0)
		return;
	if (sp_cg_cpu_stat(w->leaf_fd, &w->cpu) == 0)
		w->cpu_read = true;
	if (!(p->controllers & ~p->missing_ctrls & SP_CTRL_MEMORY))
		return;
	if (sp_cg_read_key(w->leaf_fd, "memory.events", "oom_kill", &v) == 0)
		w->oom_kills = v;
	if (sp_cg_read_memory_peak(w->leaf_fd, &v) == 0)
		w->memory_peak = (int64_t)v;
}

/* The main process exited while the task was running normally. */
static sp_wstate_t after_main_exit(sp_pool_t *p, sp_worker_t *w)
{
	if (p->cg.mode != SP_MODE_CGROUP) {
		if (kill(-w->pid, 0) == 0)
			kill(-w->pid, SIGKILL); /* what is left of its process group */
		return finish(p, w);
	}
	if (w->empty)
		return finish(p, w);
	/* Fast path: a leaf that can be removed was empty. Read its stats first. */
	read_leaf_stats(p, w);
	if (sp_cg_rmdir(p->cg.pool_fd, w->leaf) == 0) {
		w->leaf[0] = '\0';
		w->empty = true;
		return finish(p, w);
	}
	w->cpu_read = false; /* descendants still run: read again at the end */
	if (p->o->descendants_wait && (watch_leaf(p, w) || !w->unwatched))
		return w->empty ? finish(p, w) : SP_WS_DRAINING;
	return act_kill(p, w);
}

static sp_wstate_t act_reap(sp_pool_t *p, sp_worker_t *w)
{
	if (!collect_exit(p, w))
		return w->state;
	if (w->state == SP_WS_RUNNING)
		return after_main_exit(p, w);
	if (p->cg.mode != SP_MODE_CGROUP) {
		kill(-w->pid, SIGKILL);
		return finish(p, w);
	}
	return w->empty ? finish(p, w) : w->state;
}

static sp_wstate_t act_emptied(sp_pool_t *p, sp_worker_t *w)
{
	w->empty = true;
	return w->reaped ? finish(p, w) : w->state;
}

/* --- finishing ------------------------------------------------------------------ */

static sp_status_t final_status(const sp_pool_t *p, const sp_worker_t *w)
{
	if (w->forced != SP_ST__COUNT)
		return w->forced;
	if (w->oom_kills)
		return SP_ST_OOM;
	if (w->signal == SIGSYS && p->plan.bpf)
		return SP_ST_SECCOMP; /* a kill without a listener: the call is unknown */
	if (w->timed_out)
		return SP_ST_TIMEOUT;
	if (w->cancelled)
		return SP_ST_CANCELLED;
	if (w->signal)
		return SP_ST_SIGNALED;
	return w->exit_code == 0 ? SP_ST_OK : SP_ST_FAILED;
}

static void release_leaf(sp_pool_t *p, sp_worker_t *w)
{
	sp_err_t err;

	unwatch_close(p, &w->events_fd);
	unwatch_close(p, &w->listener_fd);
	if (w->leaf_fd >= 0) {
		read_leaf_stats(p, w);
		sp_fd_close(w->leaf_fd);
		w->leaf_fd = -1;
	}
	if (w->leaf[0] && sp_cg_rmtree(p->cg.pool_fd, w->leaf, &err) < 0) {
		char text[1400];
		fprintf(stderr, "sandpool: task %llu: removing %s/%s: %s\n", w->seq,
			p->cg.pool_path, w->leaf, sp_err_text(&err, text, sizeof(text)));
	}
}

static void record(sp_pool_t *p, sp_worker_t *w)
{
	char leafpath[4200];
	sp_task_record_t t = {
	    .seq = w->seq,
	    .cols = w->cols,
	    .ncols = p->o->inputs->ncols,
	    .argv = w->argv,
	    .status = final_status(p, w),
	    .exit_code = w->exit_code,
	    .signal = w->signal,
	    .wall_s = (double)(sp_now_ns() - w->start_ns) / 1e9,
	    .user_s = (double)w->cpu.user_us / 1e6,
	    .sys_s = (double)w->cpu.system_us / 1e6,
	    .descendants_killed =
		w->descendants < 0 && p->cg.mode == SP_MODE_CGROUP ? 0 : w->descendants,
	    .mode = sp_mode_name(p->cg.mode),
	    .error = w->error,
	    .syscall = w->syscall,
	    .memory_peak = w->memory_peak,
	    .degraded = p->missing_ctrls ? p->degraded : NULL,
	};

	if (p->cg.mode == SP_MODE_CGROUP) {
		snprintf(leafpath, sizeof(leafpath), "%s/t%llu", p->cg.pool_path, w->seq);
		t.cgroup = leafpath;
	}
	sp_report_task(&p->report, &t);
	p->res->last_status = t.status;
	p->res->last_exit_code = w->exit_code;
	p->res->last_signal = w->signal;
	p->res->last_errnum = w->errnum;
}

static sp_wstate_t finish(sp_pool_t *p, sp_worker_t *w)
{
	if (p->cg.mode == SP_MODE_PGROUP && w->pid > 0)
		sp_warden_track(&p->cg.warden, w->pid, false);
	if (w->timerfd >= 0)
		disarm_timer(w);
	unwatch_close(p, &w->pidfd);
	release_leaf(p, w);
	record(p, w);
	free(w->argv);
	free(w->error);
	free(w->syscall);
	memset(&w->cols, 0, sizeof(w->cols));
	w->argv = NULL;
	w->error = w->syscall = NULL;
	w->pidfd = -1;
	w->pid = 0;
	w->leaf[0] = '\0';
	w->reaped = w->empty = w->timed_out = w->cancelled = w->cpu_read = w->freezing = false;
	w->unwatched = false;
	w->exit_code = -1;
	w->signal = 0;
	w->errnum = 0;
	w->descendants = -1;
	w->forced = SP_ST__COUNT;
	w->cpu = (sp_cpustat_t){0};
	return SP_WS_IDLE;
}

/* --- the dispatcher ------------------------------------------------------------------ */

void sp_task_event(sp_pool_t *p, sp_worker_t *w, sp_wevent_t ev)
{
	sp_waction_t a = sp_worker_action(w->state, ev);
	sp_wstate_t before = w->state, next = before;

	switch (a) {
	case SP_WA_SPAWN:
		next = act_spawn(p, w);
		break;
	case SP_WA_REAP:
		next = act_reap(p, w);
		break;
	case SP_WA_EMPTIED:
		next = act_emptied(p, w);
		break;
	case SP_WA_TERMINATE:
		w->timed_out |= ev == SP_WE_DEADLINE;
		w->cancelled |= ev == SP_WE_STOP;
		next = act_terminate(p, w);
		break;
	case SP_WA_KILL:
		w->cancelled |= ev == SP_WE_HARDSTOP && !w->timed_out;
		if (ev == SP_WE_SECCOMP)
			w->forced = SP_ST_SECCOMP;
		next = act_kill(p, w);
		break;
	case SP_WA_FINISH:
		next = finish(p, w);
		break;
	case SP_WA_IGNORE:
		break;
	case SP_WA_INVALID:
		fprintf(stderr, "sandpool: internal error: event %s in state %s (task %llu)\n",
			sp_wevent_name(ev), sp_wstate_name(before), w->seq);
		break;
	}
	w->state = next;
	if (before == SP_WS_IDLE && next != SP_WS_IDLE)
		p->busy++;
	if (before != SP_WS_IDLE && next == SP_WS_IDLE)
		p->busy--;
	/* Back on the idle stack (dispatch popped it): the task ended, or it never
	 * started (a spawn error ends it at once). */
	if (next == SP_WS_IDLE && (before != SP_WS_IDLE || a == SP_WA_SPAWN))
		p->idle[p->nidle++] = w->slot;
}

void sp_task_events_ready(sp_pool_t *p, sp_worker_t *w)
{
	bool populated = true, frozen = false;

	if (w->events_fd < 0 || sp_cg_events_read(w->events_fd, &populated, &frozen) < 0)
		return;
	if (!populated)
		sp_task_event(p, w, SP_WE_EMPTY);
	else if (w->freezing && frozen)
		kill_frozen(p, w);
}

void sp_task_timer_ready(sp_pool_t *p, sp_worker_t *w)
{
	uint64_t expirations;

	if (read(w->timerfd, &expirations, sizeof(expirations)) != sizeof(expirations))
		return; /* disarmed since it fired */
	sp_task_event(p, w, w->state == SP_WS_TERMINATING ? SP_WE_GRACE : SP_WE_DEADLINE);
}

void sp_task_listener_ready(sp_pool_t *p, sp_worker_t *w, uint32_t events)
{
	struct seccomp_notif *req = p->notif_req;
	const char *name;

	if (!(events & EPOLLIN) || !req) {
		unwatch_close(p, &w->listener_fd); /* every user of the filter is gone */
		return;
	}
	if (seccomp_notify_receive(w->listener_fd, req) < 0)
		return;
	if (!w->syscall) {
		name = sp_seccomp_syscall_name(req->data.arch, req->data.nr);
		w->syscall = name ? sp_xstrdup(name) : sp_xasprintf("syscall %d", req->data.nr);
	}
	sp_task_event(p, w, SP_WE_SECCOMP);
}
