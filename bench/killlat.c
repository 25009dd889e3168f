/* killlat.c: the kernel's own cgroup.kill teardown time for a process tree,
 * measured directly, so that sandpool's kill latency can be compared with it.
 *
 *   killlat tree N [FILE]
 *       Become a tree of N processes (this one plus N-1 children) that all
 *       ignore SIGTERM and sleep forever. Used as the sandpool task. With FILE,
 *       first write CLOCK_MONOTONIC (ms) to it: built static, this is within
 *       microseconds of the end of execve, when sandpool arms its timer.
 *   killlat timeexit FILE CMD...
 *       Run CMD, write CLOCK_MONOTONIC (ms) at its exit to FILE, exit as CMD.
 *   killlat kernel NAME N RUNS
 *       Create the cgroup NAME directly under the cgroup v2 mount (found in
 *       /proc/self/mountinfo), and RUNS times: make a fresh leaf, start an
 *       N-process tree in it, write "1" to cgroup.kill and wait (poll POLLPRI
 *       on cgroup.events) until it says "populated 0". Prints one JSON object:
 *       {"procs":N,"runs":R,"samples_ms":[...],"median_ms":M,"min_ms":m,
 *        "count_ms":[...],"sigterm_ms":[...],"root_exit_ms":[...]}: root_exit_ms is
 *       the time from the same write until the root's pidfd is readable too
 *       (sandpool's end of a task: leaf empty and main process exited). Before
 *       each cgroup.kill it also
 *       times what sandpool does first on a timeout: one read of cgroup.procs
 *       to count the tree, and a second read with kill(pid, SIGTERM) for each.
 *       Everything it created is removed on exit, also on SIGINT/SIGTERM/SIGHUP.
 *
 * Built by bench/run.sh with `cc -O2 -static`; not part of the sandpool build. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char g_parent[PATH_MAX + 256]; /* our bench cgroup, "" until created */
static char g_leaf[PATH_MAX + 512];   /* the current leaf, "" when none */
static pid_t g_main;		      /* only this process cleans up */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void die(const char *what)
{
	fprintf(stderr, "killlat: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void tree(int n)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	for (int i = 1; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			for (;;)
				pause();
	}
}

/* The cgroup v2 mount point, from /proc/self/mountinfo (field 5, fstype after " - "). */
static int v2_mount(char *out, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, " - ");
		char mnt[PATH_MAX];
		if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		snprintf(out, len, "%s", mnt);
		fclose(f);
		return 0;
	}
	fclose(f);
	errno = ENOENT;
	return -1;
}

static int write_file(const char *dir, const char *file, const char *val)
{
	char path[sizeof(g_leaf) + 64];
	int fd, r;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	r = write(fd, val, strlen(val)) < 0 ? -1 : 0;
	close(fd);
	return r;
}

static int populated(int evfd)
{
	char buf[256];
	ssize_t n = pread(evfd, buf, sizeof(buf) - 1, 0);
	char *p;

	if (n < 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "populated ");
	return p ? p[10] == '1' : -1;
}

/* Kill whatever is left in dir and wait (bounded) for it to empty. */
static void kill_and_wait(const char *dir)
{
	char path[sizeof(g_leaf) + 64];
	int fd;

	if (!dir[0])
		return;
	write_file(dir, "cgroup.kill", "1");
	snprintf(path, sizeof(path), "%s/cgroup.events", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	for (int i = 0; i < 50 && populated(fd) == 1; i++) {
		struct pollfd pfd = {.fd = fd, .events = POLLPRI};
		poll(&pfd, 1, 100);
	}
	close(fd);
}

static void reap_all(void)
{
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static void cleanup(void)
{
	if (getpid() != g_main)
		return;
	kill_and_wait(g_parent[0] ? g_parent : g_leaf);
	reap_all();
	if (g_leaf[0])
		rmdir(g_leaf);
	if (g_parent[0])
		rmdir(g_parent);
	g_leaf[0] = g_parent[0] = '\0';
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Read cgroup.procs; with sig, send it to every pid. Returns the number of pids. */
static int procs_pass(const char *dir, int sig)
{
	char path[sizeof(g_leaf) + 64], buf[65536];
	ssize_t r;
	int fd, count = 0;
	size_t have = 0;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + have, sizeof(buf) - 1 - have)) > 0) {
		char *p = buf, *nl;
		buf[have + (size_t)r] = '\0';
		while ((nl = strchr(p, '\n'))) {
			*nl = '\0';
			count++;
			if (sig)
				kill((pid_t)atoi(p), sig);
			p = nl + 1;
		}
		have = strlen(p);
		memmove(buf, p, have);
	}
	close(fd);
	return count;
}

static double g_count_ms, g_term_ms, g_root_ms;

static double one_run(int n, int run)
{
	char path[sizeof(g_leaf) + 64];
	int ready[2], evfd, kfd, rootfd;
	char c;
	pid_t root;
	double t0, t1;

	snprintf(g_leaf, sizeof(g_leaf), "%s/k%d", g_parent, run);
	if (mkdir(g_leaf, 0755) < 0)
		die("mkdir leaf");
	if (pipe2(ready, O_CLOEXEC) < 0)
		die("pipe");
	root = fork();
	if (root < 0)
		die("fork");
	if (root == 0) {
		char me[32];
		close(ready[0]);
		snprintf(me, sizeof(me), "%d", (int)getpid());
		if (write_file(g_leaf, "cgroup.procs", me) < 0)
			_exit(2);
		tree(n);
		if (write(ready[1], "r", 1) != 1)
			_exit(3);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) != 1) {
		errno = EPROTO;
		die("the tree did not start");
	}
	close(ready[0]);
	snprintf(path, sizeof(path), "%s/cgroup.events", g_leaf);
	evfd = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "%s/cgroup.kill", g_leaf);
	kfd = open(path, O_WRONLY | O_CLOEXEC);
	if (evfd < 0 || kfd < 0)
		die("open cgroup.events/cgroup.kill");
	populated(evfd); /* arm: POLLPRI reports changes after the last read */
	rootfd = (int)syscall(SYS_pidfd_open, root, 0);
	if (rootfd < 0)
		die("pidfd_open");

	/* What sandpool does before cgroup.kill on a timeout: count the processes
	 * (one read of cgroup.procs), then SIGTERM each of them (another read). */
	t0 = now_ms();
	if (procs_pass(g_leaf, 0) != n) {
		errno = EPROTO;
		die("counting the tree");
	}
	t1 = now_ms();
	procs_pass(g_leaf, SIGTERM);
	g_count_ms = t1 - t0;
	g_term_ms = now_ms() - t1;

	t0 = now_ms();
	if (write(kfd, "1", 1) != 1)
		die("write cgroup.kill");
	while (populated(evfd) == 1) {
		struct pollfd pfd = {.fd = evfd, .events = POLLPRI};
		if (poll(&pfd, 1, 5000) == 0) {
			errno = ETIMEDOUT;
			die("waiting for populated 0");
		}
	}
	t1 = now_ms();
	/* sandpool's task ends when the leaf is empty AND its main process (the root,
	 * parent of the rest) has exited: the root's exit notification can come after
	 * "populated 0" (cgroup_exit precedes exit_notify, which reparents the root's
	 * children). Time that too, from the same t0. */
	{
		struct pollfd pfd = {.fd = rootfd, .events = POLLIN};
		poll(&pfd, 1, 5000);
	}
	g_root_ms = now_ms() - t0;
	close(rootfd);

	close(kfd);
	close(evfd);
	while (waitpid(root, NULL, 0) < 0 && errno == EINTR)
		;
	reap_all();
	if (rmdir(g_leaf) < 0)
		die("rmdir leaf");
	g_leaf[0] = '\0';
	return t1 - t0;
}

int main(int argc, char **argv)
{
	char mnt[PATH_MAX];
	int n, runs;
	double *s, *cnt, *term, *rootx;

	if ((argc == 3 || argc == 4) && strcmp(argv[1], "tree") == 0) {
		if (argc == 4) { /* when we started (~ when sandpool armed its timer) */
			FILE *f = fopen(argv[3], "we");
			if (f) {
				fprintf(f, "%.4f\n", now_ms());
				fclose(f);
			}
		}
		tree(atoi(argv[2]));
		for (;;)
			pause();
	}
	if (argc >= 4 && strcmp(argv[1], "timeexit") == 0) {
		pid_t pid = fork();
		int st;
		FILE *f;
		if (pid == 0) {
			execvp(argv[3], argv + 3);
			_exit(127);
		}
		if (pid < 0 || waitpid(pid, &st, 0) < 0)
			die("timeexit");
		f = fopen(argv[2], "we");
		if (f) {
			fprintf(f, "%.4f\n", now_ms());
			fclose(f);
		}
		return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	if (argc != 5 || strcmp(argv[1], "kernel") != 0 || strchr(argv[2], '/')) {
		fprintf(stderr, "usage: killlat tree N | killlat kernel NAME N RUNS\n");
		return 2;
	}
	n = atoi(argv[3]);
	runs = atoi(argv[4]);
	if (n < 1 || runs < 1)
		return 2;
	if (v2_mount(mnt, sizeof(mnt)) < 0)
		die("finding the cgroup v2 mount in /proc/self/mountinfo");
	/* Orphaned tree members are reparented to us, so we can reap them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	g_main = getpid();
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	snprintf(g_parent, sizeof(g_parent), "%s/%s", mnt, argv[2]);
	if (mkdir(g_parent, 0755) < 0) {
		g_parent[0] = '\0';
		die("mkdir bench cgroup");
	}
	s = calloc((size_t)runs, sizeof(*s));
	cnt = calloc((size_t)runs, sizeof(*s));
	term = calloc((size_t)runs, sizeof(*s));
	rootx = calloc((size_t)runs, sizeof(*s));
	for (int i = 0; i < runs; i++) {
		s[i] = one_run(n, i);
		cnt[i] = g_count_ms;
		term[i] = g_term_ms;
		rootx[i] = g_root_ms;
	}
	cleanup();
	printf("{\"procs\":%d,\"runs\":%d,\"samples_ms\":[", n, runs);
	for (int i = 0; i < runs; i++)
		printf("%s%.3f", i ? "," : "", s[i]);
	qsort(s, (size_t)runs, sizeof(*s), cmp_double);
	printf("],\"median_ms\":%.3f,\"min_ms\":%.3f,\"count_ms\":[",
	       runs % 2 ? s[runs / 2] : (s[runs / 2 - 1] + s[runs / 2]) / 2, s[0]);
	for (int i = 0; i < runs; i++)
		printf("%s%.3f", i ? "," : "", cnt[i]);
	printf("],\"sigterm_ms\":[");
	for (int i = 0; i < runs; i++)
		printf("%s%.3f", i ? "," : "", term[i]);
	printf("],\"root_exit_ms\":[");
	for (int i = 0; i < runs; i++)
		printf("%s%.3f", i ? "," : "", rootx[i]);
	printf("]}\n");
	return 0;
}
