/* spawn.c: clone3 into a cgroup leaf (or fork + move as a fallback), the
 * child's async-signal-safe setup, and how a child reports a failure before
 * exec.
 *
 * The clone3 path uses CLONE_VFORK|CLONE_FILES: the coordinator sleeps until
 * the child has exec'd, and the child shares its fd table until exec (which
 * unshares it and drops every O_CLOEXEC fd). So the child never touches fds,
 * and a seccomp listener created by the child lands in the coordinator's own
 * table without any syscall after the filter is loaded. On x86-64 it adds
 * CLONE_VM, as posix_spawn does: no page tables to copy and no copy-on-write
 * faults in the coordinator afterwards; the child then runs on a stack of its
 * own, entered through a few lines of assembly.
 *
 * A child reports a failure by plain stores into a MAP_SHARED page (one
 * record per worker slot) and _exit: after its filter is loaded it needs no
 * other system call, so no filter can make it block. */
#include "config.h"
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "util.h"

#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#define SP_CLONE_INTO_CGROUP 0x200000000ULL

/* Our own copy of the kernel's clone_args (v2 layout, with cgroup). */
struct sp_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

#define SP_CHILD_STACK_SIZE (256 * 1024)

/* CLONE_VM runs the child in our memory: sanitizer runtimes (their shadow
 * memory, locks and interceptors) do not survive that, so sanitizer builds
 * use the fork-style clone3. */
#if defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__) && !defined(SP_SANITIZE)
#define SP_USE_CLONE_VM 1
#else
#define SP_USE_CLONE_VM 0
#endif

/* fds 3 and 4 are kept for the pidfd and the seccomp listener of a spawn that
 * takes one (sp_spawn_reserve_fds): placeholders hold them between spawns. */
#define SP_FD_PIDFD    3
#define SP_FD_LISTENER 4

void sp_spawn_reserve_fds(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fd != SP_FD_PIDFD)
		dup3(fd, SP_FD_PIDFD, O_CLOEXEC);
	dup3(fd, SP_FD_LISTENER, O_CLOEXEC);
	if (fd != SP_FD_PIDFD && fd != SP_FD_LISTENER)
		close(fd);
}

static bool fds_reserved(void)
{
	struct stat a, b;

	return fstat(SP_FD_PIDFD, &a) == 0 && fstat(SP_FD_LISTENER, &b) == 0 &&
	       S_ISCHR(a.st_mode) && a.st_rdev == b.st_rdev && a.st_rdev == makedev(1, 3);
}

#if SP_USE_CLONE_VM
/* The stack a CLONE_VM child runs on, with a guard page below it. */
static int alloc_child_stack(sp_spawner_t *s, sp_err_t *err)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, SP_CHILD_STACK_SIZE + page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (m == MAP_FAILED)
		return sp_err_set(err, errno, "allocating the spawn stack");
	if (mprotect(m, page, PROT_NONE) < 0) {
		munmap(m, SP_CHILD_STACK_SIZE + page);
		return sp_err_set(err, errno, "protecting the spawn stack's guard page");
	}
	s->stack = m;
	s->stack_size = SP_CHILD_STACK_SIZE + page;
	return 0;
}
#endif

/* A pidfd, a timerfd, a leaf fd and an events fd per worker: raise our soft
 * open-file limit to the hard one (as systemd does), tasks keep the original. */
static void raise_nofile(sp_spawner_t *s)
{
	struct rlimit raised;

	if (getrlimit(RLIMIT_NOFILE, &s->nofile) < 0 || s->nofile.rlim_cur >= s->nofile.rlim_max)
		return;
	raised = (struct rlimit){.rlim_cur = s->nofile.rlim_max, .rlim_max = s->nofile.rlim_max};
	s->restore_nofile = setrlimit(RLIMIT_NOFILE, &raised) == 0;
}

int sp_spawner_init(sp_spawner_t *s, sp_spawn_method_t method, unsigned slots, sp_err_t *err)
{
	void *m;

	memset(s, 0, sizeof(*s));
	raise_nofile(s);
	s->method = method;
	s->coordinator = getpid();
	s->reserved = fds_reserved();
	s->nreports = slots ? slots : 1;
	s->reports_size = s->nreports * sizeof(sp_child_report_t);
	m = mmap(NULL, s->reports_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return sp_err_set(err, errno, "mapping the spawn reports");
	s->reports = m;
	for (int sig = 1; sig < NSIG && s->nreset < SP_ARRAY_SIZE(s->reset_signals); sig++) {
		struct sigaction old;
		if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &old) < 0)
			continue;
		if (old.sa_handler != SIG_DFL)
			s->reset_signals[s->nreset++] = sig;
	}
#if SP_USE_CLONE_VM
	if (alloc_child_stack(s, err) < 0)
		return -1;
#endif
	return 0;
}

void sp_spawner_fini(sp_spawner_t *s)
{
	if (s->stack)
		munmap(s->stack, s->stack_size);
	s->stack = NULL;
	if (s->reports)
		munmap(s->reports, s->reports_size);
	s->reports = NULL;
}

const sp_child_report_t *sp_spawner_report(const sp_spawner_t *s, unsigned slot)
{
	const sp_child_report_t *r = &s->reports[slot % s->nreports];

	return r->failed ? r : NULL;
}

/* --- the child ------------------------------------------------------------ */

/* Plain stores into shared memory, then _exit: nothing a filter could stop. */
__attribute__((noreturn)) static void child_fail(const sp_spawner_t *s, const sp_spawn_req_t *req,
						 int errnum, const char *step)
{
	sp_child_report_t *r = &s->reports[req->slot % s->nreports];

	r->errnum = errnum;
	r->step = step;
	r->failed = 1;
	_exit(errnum == ENOENT ? 127 : 126);
}

/* Runs in the new process: async-signal-safe calls only. */
__attribute__((noreturn)) static void child_run(const sp_spawner_t *s, const sp_spawn_req_t *req,
						int go_rd, int go_wr)
{
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	const char *step = "apply policy";
	sigset_t none;
	int listener = -1, r;

	if (go_rd >= 0) {
		char c;
		close(go_wr); /* so a coordinator dying now gives EOF, not a hang */
		if (read(go_rd, &c, 1) != 1)
			_exit(127); /* the coordinator could not place us in the leaf */
	}
	for (unsigned i = 0; i < s->nreset; i++)
		sigaction(s->reset_signals[i], &dfl, NULL);
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		child_fail(s, req, errno, "sigprocmask");
	if (req->new_pgroup && setpgid(0, 0) < 0)
		child_fail(s, req, errno, "setpgid");
	if (s->restore_nofile && setrlimit(RLIMIT_NOFILE, &s->nofile) < 0)
		child_fail(s, req, errno, "setrlimit(RLIMIT_NOFILE)");
	if (req->pdeathsig) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
			child_fail(s, req, errno, "prctl(PR_SET_PDEATHSIG)");
		if (getppid() != s->coordinator)
			_exit(127);
	}
	if (req->plan && (r = sp_child_plan_apply(req->plan, &listener, &step)) < 0)
		child_fail(s, req, -r, step);
	execve(req->path, req->argv, req->envp);
	child_fail(s, req, errno, "execve");
}

/* --- the coordinator side --------------------------------------------------- */

static bool plan_wants_listener(const sp_spawn_req_t *req)
{
	return req->plan && req->plan->bpf &&
	       (req->plan->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
}

/* After a CLONE_FILES child exec'd: is fd a seccomp listener? */
static bool is_seccomp_listener(int fd)
{
	uint64_t id = 0;

	return ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0 && errno == ENOENT;
}

#if SP_USE_CLONE_VM
typedef struct {
	const sp_spawner_t *s;
	const sp_spawn_req_t *req;
} child_args_t;

__attribute__((noreturn)) static void child_entry(void *arg)
{
	const child_args_t *a = arg;

	child_run(a->s, a->req, -1, -1);
}

/* clone3 whose child calls fn(arg) on the stack given in args. Returns the
 * pid, or -errno. The child never returns from fn. */
static long clone3_call(struct sp_clone_args *args, void (*fn)(void *), void *arg)
{
	register long rax __asm__("rax") = SYS_clone3;
	register void *rdi __asm__("rdi") = args;
	register size_t rsi __asm__("rsi") = sizeof(*args);
	register void (*r12)(void *) __asm__("r12") = fn;
	register void *r13 __asm__("r13") = arg;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t" /* the child: outermost frame */
			 "mov %%r13, %%rdi\n\t"
			 "call *%%r12\n\t"
			 "ud2\n"
			 "1:"
			 : "+r"(rax)
			 : "r"(rdi), "r"(rsi), "r"(r12), "r"(r13)
			 : "rcx", "r11", "memory");
	return rax;
}
#endif

/* Start the child: with CLONE_VM on its own stack where we can, else as fork. */
static long clone3_start(sp_spawner_t *s, const sp_spawn_req_t *req, struct sp_clone_args *args)
{
	long pid;

#if SP_USE_CLONE_VM
	if (s->stack) {
		child_args_t a = {.s = s, .req = req};
		args->flags |= CLONE_VM;
		args->stack = (uint64_t)(uintptr_t)s->stack;
		args->stack_size = s->stack_size;
		return clone3_call(args, child_entry, &a);
	}
#endif
	pid = syscall(SYS_clone3, args, sizeof(*args));
	if (pid == 0)
		child_run(s, req, -1, -1);
	return pid < 0 ? -errno : pid;
}

/* Move fd up out of the reserved numbers; returns the new fd (or fd on error). */
static int move_up(int fd)
{
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, SP_FD_LISTENER + 1);

	if (moved < 0)
		return fd;
	close(fd);
	return moved;
}

/* Before a spawn with a listener: free fds 3 and 4, so that the kernel gives
 * the pidfd 3 and the child's listener 4 (the lowest free numbers), whatever
 * the child's RLIMIT_NOFILE. Afterwards: move both up, put the placeholders
 * back. Without reserved fds, predict the lowest free numbers instead. */
static int listener_prepare(sp_spawner_t *s)
{
	int first, second;

	if (s->reserved) {
		close(SP_FD_PIDFD);
		close(SP_FD_LISTENER);
		return SP_FD_LISTENER;
	}
	first = fcntl(0, F_DUPFD_CLOEXEC, 0);
	second = first >= 0 ? fcntl(0, F_DUPFD_CLOEXEC, 0) : -1;
	sp_fd_close(first);
	sp_fd_close(second);
	return second;
}

static void listener_restore(sp_spawner_t *s, sp_spawned_t *out)
{
	int null;

	if (!s->reserved)
		return;
	if (out->pidfd == SP_FD_PIDFD)
		out->pidfd = move_up(out->pidfd);
	if (out->listener_fd == SP_FD_LISTENER)
		out->listener_fd = move_up(out->listener_fd);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null < 0)
		return;
	if (null != SP_FD_PIDFD)
		dup3(null, SP_FD_PIDFD, O_CLOEXEC);
	if (null != SP_FD_LISTENER)
		dup3(null, SP_FD_LISTENER, O_CLOEXEC);
	if (null != SP_FD_PIDFD && null != SP_FD_LISTENER)
		close(null);
}

static int spawn_lost_listener(sp_spawned_t *out, sp_err_t *err)
{
	siginfo_t si;

	syscall(SYS_pidfd_send_signal, out->pidfd, SIGKILL, NULL, 0);
	waitid(P_PIDFD, (id_t)out->pidfd, &si, WEXITED);
	sp_fd_close(out->pidfd);
	out->pidfd = -1;
	return sp_err_setk(err, SP_EK_INTERNAL, 0,
			   "the task's seccomp listener was not where expected; task killed");
}

static int spawn_clone3(sp_spawner_t *s, const sp_spawn_req_t *req, sp_spawned_t *out,
			sp_err_t *err)
{
	int pidfd = -1, predicted = -1;
	struct sp_clone_args args = {
	    .flags = CLONE_PIDFD | CLONE_VFORK | CLONE_FILES,
	    .pidfd = (uint64_t)(uintptr_t)&pidfd,
	    .exit_signal = SIGCHLD,
	};
	long pid;

	if (req->cgroup_fd >= 0) {
		args.flags |= SP_CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)req->cgroup_fd;
	}
	if (plan_wants_listener(req))
		predicted = listener_prepare(s);
	pid = clone3_start(s, req, &args);
	out->pid = (pid_t)pid;
	out->pidfd = pidfd;
	out->listener_fd = -1;
	/* CLONE_VFORK: the child has exec'd or exited; its report is in memory. */
	if (pid > 0 && predicted >= 0 && is_seccomp_listener(predicted))
		out->listener_fd = predicted;
	if (predicted >= 0)
		listener_restore(s, out);
	if (pid < 0)
		return sp_err_set(err, (int)-pid, "clone3");
	if (predicted >= 0 && out->listener_fd < 0 && !sp_spawner_report(s, req->slot))
		/* The task runs but we hold no listener: a forbidden call would block
		 * forever. Never let that happen: kill it and say so. */
		return spawn_lost_listener(out, err);
	return 0;
}

static void kill_reap(pid_t pid, int pidfd)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	sp_fd_close(pidfd);
}

static int spawn_fork(sp_spawner_t *s, const sp_spawn_req_t *req, sp_spawned_t *out, sp_err_t *err)
{
	cleanup_close int go_rd = -1, go_wr = -1;
	int go[2], pidfd;
	pid_t pid;

	if (plan_wants_listener(req))
		return sp_err_setk(err, SP_EK_INTERNAL, EINVAL,
				   "a seccomp listener needs the clone3 spawn method");
	if (pipe2(go, O_CLOEXEC) < 0)
		return sp_err_set(err, errno, "creating a spawn pipe");
	go_rd = go[0];
	go_wr = go[1];
	pid = fork();
	if (pid < 0)
		return sp_err_set(err, errno, "fork");
	if (pid == 0)
		child_run(s, req, go_rd, go_wr);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		sp_err_set(err, errno, "pidfd_open");
		kill_reap(pid, pidfd);
		return -1;
	}
	if (req->cgroup_fd >= 0 && sp_cg_move_pid(req->cgroup_fd, pid, err) < 0) {
		kill_reap(pid, pidfd);
		return -1;
	}
	if (write(go_wr, "g", 1) != 1) {
		sp_err_set(err, errno, "starting the child");
		kill_reap(pid, pidfd);
		return -1;
	}
	out->pid = pid;
	out->pidfd = pidfd;
	out->listener_fd = -1;
	return 0;
}

int sp_spawn(sp_spawner_t *s, const sp_spawn_req_t *req, sp_spawned_t *out, sp_err_t *err)
{
	int r;

	s->reports[req->slot % s->nreports].failed = 0;
	if (s->method != SP_SPAWN_CLONE3)
		return spawn_fork(s, req, out, err);
	r = spawn_clone3(s, req, out, err);
	/* Kernels before 5.7 have no clone3 or no CLONE_INTO_CGROUP: fork, move the
	 * child into the leaf, then let it run; from now on for every task. */
	if (r < 0 && (err->errnum == ENOSYS || err->errnum == E2BIG) && !plan_wants_listener(req)) {
		s->method = SP_SPAWN_FORK;
		return spawn_fork(s, req, out, err);
	}
	return r;
}

static bool is_executable_file(const char *path, int *why)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		*why = errno;
		return false;
	}
	if (S_ISDIR(st.st_mode) || access(path, X_OK) < 0) {
		*why = EACCES;
		return false;
	}
	return true;
}

char *sp_resolve_command(const char *cmd, const char *path_env)
{
	const char *p = path_env && *path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
	int why = ENOENT, last = ENOENT;
	char buf[PATH_MAX];

	if (!*cmd) {
		errno = ENOENT;
		return NULL;
	}
	if (strchr(cmd, '/')) {
		if (is_executable_file(cmd, &why))
			return sp_xstrdup(cmd);
		errno = why;
		return NULL;
	}
	while (*p) {
		const char *colon = strchrnul(p, ':');
		int len = (int)(colon - p);
		snprintf(buf, sizeof(buf), "%.*s%s%s", len, len ? p : ".", "/", cmd);
		if (is_executable_file(buf, &why))
			return sp_xstrdup(buf);
		if (why == EACCES)
			last = EACCES;
		p = *colon ? colon + 1 : colon;
	}
	errno = last;
	return NULL;
}
