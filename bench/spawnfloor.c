/* spawnfloor.c: the floor under sandpool's throughput on this host: a minimal
 * coordinator that does only what containment needs per task (fresh leaf,
 * clone3 into it, pidfd exit event, waitid, rmdir), with J workers, for N
 * `/bin/true` tasks, by three spawn methods:
 *
 *   fork     clone3(CLONE_PIDFD|CLONE_INTO_CGROUP): the child copies our mm
 *   vfork    + CLONE_VFORK|CLONE_FILES: what executor/spawn.c does today; we
 *            sleep until the child has exec'd, and its mm is still a copy
 *   vmvfork  + CLONE_VM|CLONE_VFORK (what posix_spawn does): no mm copy, the
 *            child runs on a small stack of ours until execve
 *
 *   spawnfloor METHOD N J [nocg]     prints {"method":..,"ms_per_task":..}
 *
 * The cgroup is sandpool-bench-floor-<pid> under the v2 mount (from
 * /proc/self/mountinfo), removed at exit. x86-64 only (a few lines of asm for
 * clone3 on a new stack). Built by bench/run.sh; not part of sandpool. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLONE_INTO_CGROUP_ 0x200000000ULL
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif

struct cargs {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
	uint64_t set_tid, set_tid_size, cgroup;
};

static char g_cg[PATH_MAX + 64];
/* an argument, as `sandpool run -- true` and `xargs -n1 true` pass one (with one
 * argument coreutils true calls setlocale: part of the workload) */
static char *const g_argv[] = {"true", "x", NULL};
extern char **environ;

static void die(const char *what)
{
	fprintf(stderr, "spawnfloor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int child(void *arg)
{
	(void)arg;
	execve("/bin/true", g_argv, environ);
	_exit(127);
}

#if defined(__x86_64__)
/* clone3 where the child starts on args->stack and runs fn(arg), then exits. */
static long clone3_run(struct cargs *ca, int (*fn)(void *), void *arg)
{
	long ret;
	register void *r8 __asm__("r8") = (void *)fn;
	register void *r9 __asm__("r9") = arg;

	__asm__ volatile("syscall\n\t"
			 "test %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "xor %%ebp, %%ebp\n\t"
			 "mov %%r9, %%rdi\n\t"
			 "call *%%r8\n\t"
			 "mov %%eax, %%edi\n\t"
			 "mov $60, %%eax\n\t"
			 "syscall\n\t"
			 "hlt\n"
			 "1:\n\t"
			 : "=a"(ret)
			 : "0"((long)SYS_clone3), "D"(ca), "S"(sizeof(*ca)), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}
#endif

static _Alignas(16) char g_stack[64 * 1024];

static pid_t spawn(const char *method, int cgfd, int *pidfd)
{
	struct cargs ca = {
	    .flags = CLONE_PIDFD, .pidfd = (uint64_t)(uintptr_t)pidfd, .exit_signal = 0};
	long pid;

	if (cgfd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP_;
		ca.cgroup = (uint64_t)cgfd;
	}
	if (strcmp(method, "vmvfork") == 0) {
#if defined(__x86_64__)
		ca.flags |= CLONE_VM | CLONE_VFORK;
		ca.stack = (uint64_t)(uintptr_t)g_stack;
		ca.stack_size = sizeof(g_stack);
		return (pid_t)clone3_run(&ca, child, NULL);
#else
		errno = ENOSYS;
		return -1;
#endif
	}
	if (strcmp(method, "vfork") == 0)
		ca.flags |= CLONE_VFORK | CLONE_FILES;
	pid = syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0)
		child(NULL);
	return (pid_t)pid;
}

static int v2_mount(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096], mnt[PATH_MAX];

	while (f && fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		if (sep && strncmp(sep + 3, "cgroup2 ", 8) == 0 &&
		    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) == 1) {
			snprintf(out, len, "%s", mnt);
			fclose(f);
			return 0;
		}
	}
	if (f)
		fclose(f);
	return -1;
}

static void cleanup(void)
{
	if (g_cg[0])
		rmdir(g_cg);
}

static void on_signal(int sig)
{
	cleanup();
	_exit(128 + sig);
}

int main(int argc, char **argv)
{
	char mnt[PATH_MAX];
	int n, j, ep, cgfd = -1, done = 0, started = 0, usecg;
	struct timespec t0, t1;
	struct slot {
		int pidfd, leaffd;
		char leaf[32];
	} * slots;

	if (argc < 4) {
		fprintf(stderr, "usage: spawnfloor fork|vfork|vmvfork N J [nocg]\n");
		return 2;
	}
	n = atoi(argv[2]);
	j = atoi(argv[3]);
	usecg = !(argc > 4 && strcmp(argv[4], "nocg") == 0);
	slots = calloc((size_t)j, sizeof(*slots));
	if (usecg) {
		if (v2_mount(mnt, sizeof(mnt)) < 0)
			die("no cgroup v2 mount");
		snprintf(g_cg, sizeof(g_cg), "%s/sandpool-bench-floor-%d", mnt, (int)getpid());
		if (mkdir(g_cg, 0755) < 0) {
			g_cg[0] = '\0';
			die("mkdir");
		}
		atexit(cleanup);
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		cgfd = open(g_cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int s = 0; s < j; s++)
		slots[s].pidfd = -1;
	while (done < n) {
		struct epoll_event ev[16];
		int k;

		for (int s = 0; s < j && started < n; s++) {
			struct slot *sl = &slots[s];
			struct epoll_event e = {.events = EPOLLIN, .data.u32 = (uint32_t)s};
			if (sl->pidfd >= 0)
				continue;
			sl->leaffd = -1;
			if (usecg) {
				snprintf(sl->leaf, sizeof(sl->leaf), "t%d", started);
				if (mkdirat(cgfd, sl->leaf, 0755) < 0)
					die("mkdirat");
				sl->leaffd =
				    openat(cgfd, sl->leaf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			}
			if (spawn(argv[1], sl->leaffd, &sl->pidfd) < 0)
				die("clone3");
			epoll_ctl(ep, EPOLL_CTL_ADD, sl->pidfd, &e);
			started++;
		}
		k = epoll_wait(ep, ev, 16, -1);
		for (int i = 0; i < k; i++) {
			struct slot *sl = &slots[ev[i].data.u32];
			siginfo_t si;
			if (waitid(P_PIDFD, (id_t)sl->pidfd, &si, WEXITED | __WALL) < 0)
				die("waitid");
			if (si.si_code != CLD_EXITED || si.si_status != 0) {
				errno = EPROTO;
				die("task failed");
			}
			/* Deregister before close: a child between clone and the end of
			 * its execve may still hold this file in its copy of our fd
			 * table, and epoll forgets an fd only when its file is released:
			 * a stale, level-triggered event would follow. */
			epoll_ctl(ep, EPOLL_CTL_DEL, sl->pidfd, NULL);
			close(sl->pidfd);
			sl->pidfd = -1;
			if (usecg) {
				close(sl->leaffd);
				if (unlinkat(cgfd, sl->leaf, AT_REMOVEDIR) < 0)
					die("rmdir leaf");
			}
			done++;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("{\"method\":\"%s\",\"cgroup\":%s,\"tasks\":%d,\"jobs\":%d,\"ms_per_task\":%.4f}\n",
	       argv[1], usecg ? "true" : "false", n, j,
	       ((double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) /
		   n);
	return 0;
}
