/* seccompload.c: what loading a seccomp filter costs one task, by filter size and
 * libseccomp's SCMP_FLTATR_CTL_OPTIMIZE (1: linear list, libseccomp's default;
 * 2: binary tree). Each run forks a child that sets NO_NEW_PRIVS and times its
 * seccomp(SECCOMP_SET_MODE_FILTER) call alone (the kernel checks, converts and
 * JITs the program and, since 5.11, emulates it for every syscall number of every
 * architecture to fill its action cache: the cost follows the length of the
 * path a syscall walks, which the tree shortens).
 *
 *   seccompload NALLOW OPTIMIZE [RUNS]
 *       an allow-list of NALLOW syscalls, default kill (like the shipped strict
 *       policy); prints one JSON object with the instruction count and the
 *       median load time in microseconds.
 *
 * Built by bench/run.sh when libseccomp is there; not part of sandpool. */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	static char bpf[1 << 20];
	int nallow, opt, runs, added = 0, p[2];
	scmp_filter_ctx c;
	struct sock_fprog prog;
	ssize_t n = 0, r;
	double *d;

	if (argc < 3)
		return fprintf(stderr, "usage: seccompload NALLOW OPTIMIZE [RUNS]\n"), 2;
	nallow = atoi(argv[1]);
	opt = atoi(argv[2]);
	runs = argc > 3 ? atoi(argv[3]) : 101;
	c = seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!c || seccomp_attr_set(c, SCMP_FLTATR_CTL_OPTIMIZE, (uint32_t)opt) < 0)
		return fprintf(stderr, "seccompload: libseccomp refused optimize=%d\n", opt), 1;
	for (int nr = 0; nr < 450 && added < nallow; nr++)
		if (seccomp_rule_add(c, SCMP_ACT_ALLOW, nr, 0) == 0)
			added++;
	if (pipe(p) < 0 || seccomp_export_bpf(c, p[1]) < 0)
		return perror("seccompload: export"), 1;
	close(p[1]);
	while ((r = read(p[0], bpf + n, sizeof(bpf) - (size_t)n)) > 0)
		n += r;
	prog.len = (unsigned short)(n / (ssize_t)sizeof(struct sock_filter));
	prog.filter = (struct sock_filter *)bpf;
	d = calloc((size_t)runs, sizeof(*d));
	for (int i = 0; i < runs; i++) {
		int fds[2];
		pid_t pid;
		if (pipe(fds) < 0 || (pid = fork()) < 0)
			return perror("seccompload"), 1;
		if (pid == 0) {
			double t0, dt;
			prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
			t0 = now_us();
			if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0)
				syscall(SYS_exit_group, 1);
			dt = now_us() - t0;
			if (write(fds[1], &dt, sizeof(dt)) != sizeof(dt))
				syscall(SYS_exit_group, 1);
			syscall(SYS_exit_group, 0);
		}
		if (read(fds[0], &d[i], sizeof(d[i])) != sizeof(d[i]))
			return fprintf(stderr, "seccompload: the filter did not load\n"), 1;
		close(fds[0]);
		close(fds[1]);
		waitpid(pid, NULL, 0);
	}
	qsort(d, (size_t)runs, sizeof(*d), cmp);
	printf(
	    "{\"allowed\":%d,\"optimize\":%d,\"insns\":%u,\"runs\":%d,\"load_us_median\":%.1f}\n",
	    added, opt, prog.len, runs, d[runs / 2]);
	return 0;
}
