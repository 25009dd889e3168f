/* pool.c: the coordinator's setup, its one epoll loop, dispatching inputs to
 * idle workers, and stopping on SIGINT/SIGTERM/SIGHUP. */
#include "config.h"
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "controllers.h"
#include "pool_internal.h"
#include "util.h"

extern char **environ;

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* The stop signals always go to the signalfd; SIGCHLD only in process-group
 * mode, where orphans reparented to us must be reaped (with cgroups, pidfds
 * tell us about exits and SIGCHLD keeps its default: ignored, no wake-ups). */
static int setup_signals(sp_pool_t *p, bool with_sigchld, sp_err_t *err)
{
	struct sigaction ign = {.sa_handler = SIG_IGN};
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < SP_ARRAY_SIZE(stop_signals); i++)
		sigaddset(&set, stop_signals[i]);
	if (with_sigchld)
		sigaddset(&set, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return sp_err_set(err, errno, "sigprocmask");
	sigaction(SIGPIPE, &ign, NULL);
	p->sigfd = signalfd(p->sigfd, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (p->sigfd < 0)
		return sp_err_set(err, errno, "signalfd");
	return 0;
}

static int add_fd(sp_pool_t *p, int fd, uint64_t tag, sp_err_t *err)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag};

	if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return sp_err_set(err, errno, "epoll_ctl");
	return 0;
}

static int setup_workers(sp_pool_t *p, sp_err_t *err)
{
	unsigned n = p->o->jobs;

	p->workers = sp_xcalloc(n, sizeof(sp_worker_t));
	p->idle = sp_xcalloc(n, sizeof(unsigned));
	for (unsigned i = 0; i < n; i++) /* before anything can fail: teardown closes them */
		p->workers[i].timerfd = -1;
	for (unsigned i = 0; i < n; i++) {
		sp_worker_t *w = &p->workers[i];
		w->slot = i;
		w->state = SP_WS_IDLE;
		w->leaf_fd = w->events_fd = w->pidfd = w->listener_fd = w->timerfd = -1;
		w->exit_code = -1;
		w->memory_peak = -1;
		w->descendants = -1;
		w->forced = SP_ST__COUNT;
		p->idle[p->nidle++] = n - 1 - i; /* slot 0 is used first */
		if (!p->o->timeout_ns && !p->o->grace_ns)
			continue;
		w->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
		if (w->timerfd < 0)
			return sp_err_set(err, errno, "timerfd_create");
		if (add_fd(p, w->timerfd, SP_TAG(i, SP_K_TIMER), err) < 0)
			return -1;
	}
	return 0;
}

/* Inputs streaming from stdin are read from a copy of it, in the loop. A
 * regular file cannot be polled: it is read whole at once (it never blocks). */
static int setup_input_stream(sp_pool_t *p, sp_err_t *err)
{
	sp_inputs_t *in = p->o->inputs;
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = SP_TAG(0, SP_K_INPUT)};
	int r;

	if (in->fd < 0)
		return 0;
	p->input_fd = fcntl(in->fd, F_DUPFD_CLOEXEC, 3);
	if (p->input_fd < 0)
		return sp_err_set(err, errno, "duplicating standard input");
	in->fd = p->input_fd;
	if (epoll_ctl(p->epfd, EPOLL_CTL_ADD, p->input_fd, &ev) == 0)
		return 0;
	if (errno != EPERM)
		return sp_err_set(err, errno, "epoll_ctl on standard input");
	while ((r = sp_inputs_stream_read(in, err)) == 0)
		;
	sp_fd_close(p->input_fd);
	p->input_fd = -1;
	return r < 0 ? -1 : 0;
}

static void close_input_stream(sp_pool_t *p)
{
	if (p->input_fd < 0)
		return;
	epoll_ctl(p->epfd, EPOLL_CTL_DEL, p->input_fd, NULL);
	sp_fd_close(p->input_fd);
	p->input_fd = -1;
	p->o->inputs->fd = -1;
}

static void handle_input(sp_pool_t *p)
{
	sp_err_t err;
	char text[1400];
	int r = sp_inputs_stream_read(p->o->inputs, &err);

	if (r < 0)
		fprintf(stderr, "sandpool: %s (no more inputs)\n",
			sp_err_text(&err, text, sizeof(text)));
	if (r != 0)
		close_input_stream(p);
}

/* Tasks get /dev/null as stdin: our fd 0 becomes it (the clone3 child shares
 * our fd table until exec), unless they should share our stdin. */
static int setup_stdin(sp_pool_t *p, sp_err_t *err)
{
	int fd;

	if (setup_input_stream(p, err) < 0)
		return -1;
	if (p->o->keep_stdin)
		return 0;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return sp_err_set(err, errno, "opening /dev/null");
	if (dup2(fd, STDIN_FILENO) < 0) {
		sp_fd_close(fd);
		return sp_err_set(err, errno, "dup2 /dev/null onto stdin");
	}
	sp_fd_close(fd);
	return 0;
}

static int setup_plan(sp_pool_t *p, sp_err_t *err)
{
	if (!p->o->policy) {
		p->plan = (sp_child_plan_t){.envp = environ};
		return 0;
	}
	if (sp_child_plan_prepare(p->o->policy, environ, &p->plan, err) < 0)
		return -1;
	p->have_plan = true;
	if (p->plan.bpf && (p->plan.seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) &&
	    seccomp_notify_alloc((struct seccomp_notif **)&p->notif_req, NULL) < 0)
		return sp_err_set(err, ENOMEM, "allocating a seccomp notification buffer");
	return 0;
}

static int setup(sp_pool_t *p, sp_err_t *err)
{
	p->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (p->epfd < 0)
		return sp_err_set(err, errno, "epoll_create1");
	if (setup_signals(p, false, err) < 0 ||
	    add_fd(p, p->sigfd, SP_TAG(0, SP_K_SIGNAL), err) < 0)
		return -1;
	sp_containment_opts_t cgo = p->o->cg;
	bool degrade =
	    p->o->allow_missing_controllers || (p->o->policy && sp_policy_degrade(p->o->policy));

	p->controllers = p->o->policy ? sp_policy_controllers(p->o->policy) : 0;
	cgo.controllers = p->controllers;
	if (sp_containment_setup(&p->cg, &cgo, err) < 0)
		return -1;
	p->res->mode = p->cg.mode;
	if (p->cg.mode == SP_MODE_PGROUP && setup_signals(p, true, err) < 0)
		return -1;
	if (sp_controllers_prepare(&p->cg, p->o->policy, degrade, &p->missing_ctrls, err) < 0)
		return -1;
	if (p->missing_ctrls)
		sp_controllers_names(p->missing_ctrls, p->degraded, sizeof(p->degraded));
	if (setup_stdin(p, err) < 0 || setup_plan(p, err) < 0)
		return -1;
	if (sp_spawner_init(&p->spawner, p->o->spawn_method, p->o->jobs, err) < 0)
		return -1;
	if (sp_report_open(&p->report, p->o->json_path, p->o->quiet, p->o->keep_stdin, err) < 0)
		return -1;
	return setup_workers(p, err);
}

/* --- stopping ---------------------------------------------------------------- */

static void broadcast(sp_pool_t *p, sp_wevent_t ev)
{
	for (unsigned i = 0; i < p->o->jobs; i++)
		if (p->workers[i].state != SP_WS_IDLE)
			sp_task_event(p, &p->workers[i], ev);
}

/* In process-group mode we are a subreaper: reap orphans that are not a
 * task's main process (those are waited for through their pidfds). */
static void reap_orphans(sp_pool_t *p)
{
	siginfo_t si;

	for (;;) {
		bool is_main = false;
		memset(&si, 0, sizeof(si));
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) < 0 || si.si_pid == 0)
			return;
		for (unsigned i = 0; i < p->o->jobs && !is_main; i++)
			is_main = p->workers[i].pid == si.si_pid && p->workers[i].pidfd >= 0;
		if (is_main || si.si_pid == p->cg.warden.pid)
			return; /* its own handler reaps it; the rest wait for the next SIGCHLD */
		waitpid(si.si_pid, NULL, WNOHANG);
	}
}

static void handle_signals(sp_pool_t *p)
{
	struct signalfd_siginfo si;

	while (read(p->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			if (p->cg.mode == SP_MODE_PGROUP)
				reap_orphans(p);
			continue;
		}
		if (!p->stop_signal)
			p->stop_signal = (int)si.ssi_signo;
		p->stops++;
		close_input_stream(p);
		broadcast(p, p->stops == 1 ? SP_WE_STOP : SP_WE_HARDSTOP);
	}
}

/* --- the loop ------------------------------------------------------------------ */

static void handle_event(sp_pool_t *p, const struct epoll_event *ev)
{
	unsigned kind = ev->data.u64 & 7, slot = (unsigned)(ev->data.u64 >> 3);
	sp_worker_t *w;

	if (kind == SP_K_SIGNAL) {
		handle_signals(p);
		return;
	}
	if (kind == SP_K_INPUT) {
		handle_input(p);
		return;
	}
	w = &p->workers[slot];
	/* An event fetched in this batch may belong to a task that ended earlier in
	 * the same batch: its fd is closed, so skip it. */
	switch (kind) {
	case SP_K_PIDFD:
		if (w->pidfd >= 0)
			sp_task_event(p, w, SP_WE_MAIN_EXIT);
		break;
	case SP_K_EVENTS:
		if (w->events_fd >= 0)
			sp_task_events_ready(p, w);
		break;
	case SP_K_TIMER:
		if (w->state != SP_WS_IDLE)
			sp_task_timer_ready(p, w);
		break;
	case SP_K_LISTENER:
		if (w->listener_fd >= 0)
			sp_task_listener_ready(p, w, ev->events);
		break;
	}
}

static void dispatch(sp_pool_t *p)
{
	while (!p->stop_signal && p->nidle && p->next_input < p->o->inputs->count) {
		sp_worker_t *w = &p->workers[p->idle[--p->nidle]];
		sp_task_event(p, w, SP_WE_START);
	}
}

static int loop(sp_pool_t *p, sp_err_t *err)
{
	struct epoll_event evs[64];

	dispatch(p);
	while (p->busy || p->input_fd >= 0) {
		int n = epoll_wait(p->epfd, evs, (int)SP_ARRAY_SIZE(evs), -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sp_err_set(err, errno, "epoll_wait");
		for (int i = 0; i < n; i++)
			handle_event(p, &evs[i]);
		dispatch(p);
	}
	return 0;
}

/* In process-group mode, descendants that left their group were reparented to
 * us (subreaper): kill and reap them now, at the end of the run. */
static void kill_leftover_children(sp_pool_t *p)
{
	char path[64], buf[4096], *tok, *save = NULL;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children", getpid());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = sp_pread_all(fd, buf, sizeof(buf));
	sp_fd_close(fd);
	for (tok = n > 0 ? strtok_r(buf, " \n", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \n", &save)) {
		pid_t pid = atoi(tok);
		if (pid <= 0 || pid == p->cg.warden.pid)
			continue;
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static void teardown(sp_pool_t *p)
{
	sp_err_t err;
	char text[1400];

	for (unsigned i = 0; p->workers && i < p->o->jobs; i++)
		sp_fd_close(p->workers[i].timerfd); /* first: teardown needs fds */
	if (p->cg.mode == SP_MODE_PGROUP)
		kill_leftover_children(p);
	if (sp_containment_teardown(&p->cg, &err) < 0)
		fprintf(stderr, "sandpool: cleaning up the pool cgroup: %s\n",
			sp_err_text(&err, text, sizeof(text)));
	sp_spawner_fini(&p->spawner);
	if (p->have_plan)
		sp_child_plan_release(&p->plan);
	free(p->workers);
	free(p->idle);
	free(p->cmd_cache_name);
	free(p->cmd_cache_path);
	if (p->notif_req)
		seccomp_notify_free(p->notif_req, NULL);
	close_input_stream(p);
	sp_fd_close(p->sigfd);
	sp_fd_close(p->epfd);
}

int sp_pool_run(const sp_pool_opts_t *o, sp_pool_result_t *res, sp_err_t *err)
{
	sp_pool_t p = {
	    .o = o, .res = res, .epfd = -1, .sigfd = -1, .input_fd = -1, .report.fd = -1};
	int r;

	memset(res, 0, sizeof(*res));
	p.cg.base_fd = p.cg.pool_fd = -1;
	p.started_ns = sp_now_ns();
	r = setup(&p, err);
	if (r == 0)
		r = loop(&p, err);
	if (p.report.fd >= 0 || r == 0) {
		memcpy(res->counts, p.report.counts, sizeof(res->counts));
		res->not_run = o->inputs->count - p.next_input;
		res->stop_signal = p.stop_signal;
		sp_report_close(&p.report, sp_mode_name(p.cg.mode),
				(double)(sp_now_ns() - p.started_ns) / 1e9, res->not_run,
				p.stop_signal);
	}
	teardown(&p);
	return r;
}
