/* warden.c: the watchdog process that cleans up after a SIGKILLed coordinator,
 * and the kill-wait-remove sequence it shares with gc. */
#include "config.h"
#include "warden.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "util.h"

#define SP_DESTROY_WAIT_MS 10000

/* Freeze, SIGKILL everything, thaw: for kernels without cgroup.kill. Processes
 * in child cgroups are reached through a walk. */
static int kill_by_freeze(int cgfd, sp_err_t *err)
{
	cleanup_dir DIR *d = NULL;
	struct dirent *de;
	unsigned n;
	int dfd;

	if (sp_cg_freeze(cgfd, true, err) < 0)
		return -1;
	sp_cg_signal_all(cgfd, SIGKILL, &n, err);
	dfd = openat(cgfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	while (d && (de = readdir(d))) {
		cleanup_close int child = -1;
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		child = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (child >= 0)
			kill_by_freeze(child, err);
	}
	return sp_cg_freeze(cgfd, false, err);
}

int sp_cgroup_destroy(int base_fd, const char *pool_name, sp_err_t *err)
{
	cleanup_close int fd = openat(base_fd, pool_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int r;

	if (fd < 0)
		return errno == ENOENT ? 0 : sp_err_set(err, errno, "opening cgroup %s", pool_name);
	if (sp_cg_has_kill(fd))
		r = sp_cg_kill(fd, err);
	else
		r = kill_by_freeze(fd, err);
	if (r < 0)
		return sp_err_prefix(err, "killing the processes of cgroup %s", pool_name);
	r = sp_cg_wait_empty(fd, SP_DESTROY_WAIT_MS);
	if (r < 0)
		return sp_err_set(err, -r, "waiting for cgroup %s to empty", pool_name);
	return sp_cg_rmtree(base_fd, pool_name, err);
}

typedef struct {
	pid_t *v;
	size_t n, cap;
} pgid_set_t;

static void pgid_set_update(pgid_set_t *set, int32_t msg)
{
	if (msg > 0) {
		if (set->n == set->cap) {
			set->cap = set->cap ? set->cap * 2 : 64;
			set->v = sp_xrealloc(set->v, set->cap * sizeof(pid_t));
		}
		set->v[set->n++] = msg;
		return;
	}
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i] == -msg) {
			set->v[i] = set->v[--set->n];
			return;
		}
}

/* The warden's whole life: follow the process groups the coordinator reports
 * (process-group mode) until EOF, then kill what is left. */
__attribute__((noreturn)) static void warden_main(int rd, int base_fd, const char *pool_name)
{
	static const int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
	struct sigaction ign = {.sa_handler = SIG_IGN};
	pgid_set_t groups = {0};
	sp_err_t err;
	sigset_t none;
	int32_t msg;
	ssize_t n;

	prctl(PR_SET_NAME, "sandpool-warden");
	for (size_t i = 0; i < SP_ARRAY_SIZE(ignored); i++)
		sigaction(ignored[i], &ign, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	while ((n = read(rd, &msg, sizeof(msg))) == sizeof(msg) || (n < 0 && errno == EINTR))
		if (n > 0)
			pgid_set_update(&groups, msg);
	/* EOF: the coordinator is gone. A normal exit removed the pool already
	 * and reported every group as ended. */
	for (size_t i = 0; i < groups.n; i++)
		kill(-groups.v[i], SIGKILL);
	if (base_fd < 0)
		_exit(0);
	_exit(sp_cgroup_destroy(base_fd, pool_name, &err) < 0 ? 1 : 0);
}

/* In the warden: close every fd but 0-2, a and b. */
static void close_all_but(int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	if (lo < 3)
		lo = hi; /* b may be -1: keep one fd only */
	if (lo > 3)
		syscall(SYS_close_range, 3, lo - 1, 0);
	if (hi - lo > 1)
		syscall(SYS_close_range, lo + 1, hi - 1, 0);
	syscall(SYS_close_range, hi + 1, ~0U, 0);
}

int sp_warden_start(sp_warden_t *w, int base_fd, const char *pool_name, sp_err_t *err)
{
	int p[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0)
		return sp_err_set(err, errno, "creating the warden pipe");
	pid = fork();
	if (pid < 0) {
		sp_fd_close(p[0]);
		sp_fd_close(p[1]);
		return sp_err_set(err, errno, "starting the warden process");
	}
	if (pid == 0) {
		close(p[1]);
		close_all_but(p[0], base_fd);
		warden_main(p[0], base_fd, pool_name);
	}
	close(p[0]);
	w->pid = pid;
	w->pipe_wr = p[1];
	return 0;
}

void sp_warden_track(sp_warden_t *w, pid_t pgid, bool running)
{
	int32_t msg = running ? pgid : -pgid;

	if (w->pid > 0 && sp_write_all(w->pipe_wr, &msg, sizeof(msg)) < 0)
		fprintf(stderr, "sandpool: telling the warden about process group %d: %s\n", pgid,
			strerror(errno));
}

void sp_warden_stop(sp_warden_t *w)
{
	if (w->pid <= 0)
		return;
	sp_fd_close(w->pipe_wr);
	w->pipe_wr = -1;
	while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
		;
	w->pid = 0;
}
