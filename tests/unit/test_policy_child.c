/* test_policy_child.c: the child plan on real processes: a policy is prepared in this
 * process, a forked child applies it, and what the kernel then does is checked (errno or
 * SIGSYS, compat entry points, NoNewPrivs, rlimits, address families, user notification,
 * ids), then the shipped policies run real workloads and are shown to block a forbidden act. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <pwd.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "executor/util.h"
#include "policy/model.h"
#include "policy/seccomp.h"

extern char **environ;

#define X32_BIT	      0x40000000
#define I386_GETPID   20
#define I386_GETPPID  64
#define I386_SOCKCALL 102
#define I386_SOCKET   359

typedef int (*child_fn)(const sp_child_plan_t *plan, int listener);

static sp_policy_t *parse(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	sp_policy_t *p = NULL;
	sp_err_t err;

	assert_non_null(f);
	if (sp_policy_parse_stream(f, "t.ini", &p, &err) < 0)
		fail_msg("policy refused: %s", err.msg);
	fclose(f);
	return p;
}

/* Fork a child that applies the plan of P, then runs FN; its wait status. Child exit
 * codes: FN's value, 100 + step failure. */
static int run_plan(sp_policy_t *p, child_fn fn)
{
	sp_child_plan_t plan;
	sp_err_t err;
	int status;
	pid_t pid;

	if (sp_child_plan_prepare(p, NULL, &plan, &err) < 0)
		fail_msg("prepare: %s", err.msg);
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int lfd;
		const char *step;
		if (sp_child_plan_apply(&plan, &lfd, &step) < 0)
			_exit(100);
		_exit(fn(&plan, lfd));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	sp_child_plan_release(&plan);
	return status;
}

static int run_text(const char *text, child_fn fn)
{
	sp_policy_t *p = parse(text);
	int status = run_plan(p, fn);

	sp_policy_free(p);
	return status;
}

static void assert_exit(int status, int code)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status) != code)
		fail_msg("child: status 0x%x (exit %d, signal %d), want exit %d", status,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0, code);
}

static void assert_signal(int status, int sig)
{
	if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
		fail_msg("child: status 0x%x (exit %d, signal %d), want signal %d", status,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0, sig);
}

static int getppid_fails(int e)
{
	return syscall(SYS_getppid) == -1 && errno == e ? 0 : 1;
}

static int ch_getppid_eacces(const sp_child_plan_t *plan, int lfd)
{
	return getppid_fails(EACCES);
}

static int ch_getppid_eperm(const sp_child_plan_t *plan, int lfd)
{
	return getppid_fails(EPERM);
}

static void test_errno_actions(void **state)
{
	assert_exit(run_text("[Seccomp]\nSystemCallFilter=~getppid:EACCES\n", ch_getppid_eacces),
		    0);
	assert_exit(run_text("[Seccomp]\nSystemCallFilter=~getppid\nSystemCallErrorNumber=EPERM\n",
			     ch_getppid_eperm),
		    0);
	assert_exit(run_text("[Seccomp]\nSystemCallFilter=@default @basic-io @signal\n"
			     "SystemCallFilter=~getppid\nSystemCallErrorNumber=EACCES\n",
			     ch_getppid_eacces),
		    0);
}

static void *thread_getppid(void *arg)
{
	syscall(SYS_getppid);
	return NULL;
}

/* A denied call in a second thread must kill the whole process (KILL_PROCESS), not only
 * that thread (KILL_THREAD), after which the main thread would exit 3. */
static int ch_thread_getppid(const sp_child_plan_t *plan, int lfd)
{
	pthread_t t;

	if (pthread_create(&t, NULL, thread_getppid, NULL) != 0)
		return 2;
	sleep(3);
	return 3;
}

static int ch_getcwd(const sp_child_plan_t *plan, int lfd)
{
	char buf[256];

	syscall(SYS_getcwd, buf, sizeof(buf));
	return 4;
}

static void test_kill_process(void **state)
{
	assert_signal(run_text("[Seccomp]\nSystemCallFilter=~getppid\n", ch_thread_getppid),
		      SIGSYS);
	assert_signal(run_text("[Seccomp]\nSystemCallFilter=~getppid:kill\n"
			       "SystemCallErrorNumber=EPERM\n",
			       ch_thread_getppid),
		      SIGSYS);
	/* allow-list: what it does not name kills */
	assert_signal(run_text("[Seccomp]\nSystemCallFilter=@default @basic-io @signal @process\n",
			       ch_getcwd),
		      SIGSYS);
}

static int ch_x32_getpid(const sp_child_plan_t *plan, int lfd)
{
	syscall(39 | X32_BIT);
	return 5;
}

static int ch_x32_getppid_eacces(const sp_child_plan_t *plan, int lfd)
{
	return syscall(110 | X32_BIT) == -1 && errno == EACCES ? 0 : 1;
}

static void test_x32(void **state)
{
	/* native only: an x32 entry is another ABI and kills */
	assert_signal(run_text("[Seccomp]\nSystemCallArchitectures=native\n", ch_x32_getpid),
		      SIGSYS);
	/* without SystemCallArchitectures= the rules cover x32 as well: the filter answers
	 * EACCES before the kernel (which has no x32 here and would say ENOSYS) */
	assert_exit(
	    run_text("[Seccomp]\nSystemCallFilter=~getppid:EACCES\n", ch_x32_getppid_eacces), 0);
}

static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

static int ch_i386_getpid(const sp_child_plan_t *plan, int lfd)
{
	return int80(I386_GETPID, 0, 0, 0) == getpid() ? 0 : 6;
}

static int ch_i386_getppid_eacces(const sp_child_plan_t *plan, int lfd)
{
	return int80(I386_GETPPID, 0, 0, 0) == -EACCES ? 0 : 1;
}

static bool have_ia32(void)
{
	sp_policy_t *p = sp_policy_new();
	int status = run_plan(p, ch_i386_getpid);

	sp_policy_free(p);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void test_i386(void **state)
{
	if (!have_ia32()) {
		print_message("kernel without ia32 emulation: int 0x80 not tested\n");
		skip();
	}
	assert_signal(run_text("[Seccomp]\nSystemCallArchitectures=native\n", ch_i386_getpid),
		      SIGSYS);
	assert_exit(
	    run_text("[Seccomp]\nSystemCallFilter=~getppid:EACCES\n", ch_i386_getppid_eacces), 0);
}

static int status_field(const char *field)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");
	int v = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, field, strlen(field)) == 0)
			v = atoi(line + strlen(field));
	fclose(f);
	return v;
}

static int ch_nnp(const sp_child_plan_t *plan, int lfd)
{
	return status_field("NoNewPrivs:");
}

static void test_no_new_privs(void **state)
{
	assert_exit(run_text("[Exec]\nNoNewPrivileges=yes\n", ch_nnp), 1);
	if (geteuid() == 0) /* root keeps privileges unless asked */
		assert_exit(run_text("[Exec]\nNoNewPrivileges=no\n", ch_nnp), 0);
}

static int ch_rlimits(const sp_child_plan_t *plan, int lfd)
{
	struct rlimit r;
	int n = 0;

	if (getrlimit(RLIMIT_CORE, &r) < 0 || r.rlim_cur != 0 || r.rlim_max != 0)
		return 1;
	if (getrlimit(RLIMIT_CPU, &r) < 0 || r.rlim_cur != 5 || r.rlim_max != RLIM_INFINITY)
		return 2;
	if (getrlimit(RLIMIT_FSIZE, &r) < 0 || r.rlim_cur != 1048576)
		return 3;
	if (getrlimit(RLIMIT_NOFILE, &r) < 0 || r.rlim_cur != 10 || r.rlim_max != 20)
		return 4;
	while (dup(0) >= 0) /* the limit takes effect */
		n++;
	return errno == EMFILE && n <= 7 ? 0 : 5;
}

static void test_rlimits(void **state)
{
	assert_exit(run_text("[Exec]\nLimitCORE=0\nLimitCPU=5:infinity\nLimitFSIZE=1M\n"
			     "LimitNOFILE=10:20\n",
			     ch_rlimits),
		    0);
}

static int socket_errno(long domain)
{
	long fd = syscall(SYS_socket, domain, SOCK_STREAM, 0);

	if (fd >= 0) {
		close((int)fd);
		return 0;
	}
	return errno;
}

static int ch_unix_only(const sp_child_plan_t *plan, int lfd)
{
	int sv[2];

	if (socket_errno(AF_INET) != EAFNOSUPPORT || socket_errno(AF_INET6) != EAFNOSUPPORT ||
	    socket_errno(AF_NETLINK) != EAFNOSUPPORT)
		return 1;
	/* the kernel reads the domain as an int: garbage in the high bits must not help */
	if (socket_errno((1L << 32) | AF_INET) != EAFNOSUPPORT)
		return 2;
	if (socket_errno(AF_UNIX) != 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		return 3;
	return 0;
}

static int ch_no_inet6(const sp_child_plan_t *plan, int lfd)
{
	return socket_errno(AF_INET6) == EAFNOSUPPORT && socket_errno(AF_INET) == 0 ? 0 : 1;
}

/* i386 socket creation: direct socket(2) and socketcall(SYS_SOCKET). */
static int ch_i386_sockets(const sp_child_plan_t *plan, int lfd)
{
	unsigned *args = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);

	if (args == MAP_FAILED)
		return 2;
	args[0] = AF_INET;
	args[1] = SOCK_STREAM;
	args[2] = 0;
	if (int80(I386_SOCKET, AF_INET, SOCK_STREAM, 0) != -EAFNOSUPPORT)
		return 3;
	if (int80(I386_SOCKCALL, 1, (long)(uintptr_t)args, 0) != -EAFNOSUPPORT)
		return 4;
	if (int80(I386_SOCKET, AF_UNIX, SOCK_STREAM, 0) != -EAFNOSUPPORT)
		return 5;
	return 0;
}

static void test_restrict_address_families(void **state)
{
	assert_exit(run_text("[Seccomp]\nRestrictAddressFamilies=AF_UNIX\n", ch_unix_only), 0);
	assert_exit(run_text("[Seccomp]\nRestrictAddressFamilies=~AF_INET6\n", ch_no_inet6), 0);
	/* with an allow-list, allowed families pass and denied ones still get EAFNOSUPPORT */
	assert_exit(run_text("[Seccomp]\nSystemCallFilter=@default @basic-io @network-io @signal\n"
			     "SystemCallErrorNumber=EPERM\nRestrictAddressFamilies=AF_UNIX\n",
			     ch_unix_only),
		    0);
	/* with a deny-list that leaves socket() alone */
	assert_exit(
	    run_text("[Seccomp]\nSystemCallFilter=~@mount\nRestrictAddressFamilies=AF_UNIX\n",
		     ch_unix_only),
	    0);
	if (!have_ia32())
		return;
	/* i386: no socket at all, through socket(2) or socketcall(2) */
	assert_exit(run_text("[Seccomp]\nRestrictAddressFamilies=AF_UNIX\n", ch_i386_sockets), 0);
	assert_exit(run_text("[Seccomp]\nSystemCallFilter=@default @basic-io @network-io @signal\n"
			     "SystemCallErrorNumber=EPERM\nRestrictAddressFamilies=AF_UNIX\n",
			     ch_i386_sockets),
		    0);
}

/* The listener: a grandchild's denied call arrives as a notification naming the syscall;
 * the supervisor (here the child) kills the caller, as the coordinator kills the leaf. */
static int ch_notify(const sp_child_plan_t *plan, int lfd)
{
	struct seccomp_notif req;
	const char *name;
	int status;
	pid_t pid;

	if (lfd < 0 || !(fcntl(lfd, F_GETFD) & FD_CLOEXEC))
		return 1;
	pid = fork();
	if (pid == 0) {
		syscall(SYS_getppid);
		_exit(9); /* never reached: the call blocks until the supervisor answers */
	}
	memset(&req, 0, sizeof(req));
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
		return 2;
	name = sp_seccomp_syscall_name(req.data.arch, req.data.nr);
	if (!name || strcmp(name, "getppid") != 0 || req.pid != (unsigned)pid)
		return 3;
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
		return 4;
	return 0;
}

static void test_notify(void **state)
{
	sp_policy_t *p = parse("[Seccomp]\nSystemCallFilter=~getppid\n");

	sp_policy_set_notify_kill(p, true);
	assert_exit(run_plan(p, ch_notify), 0);
	sp_policy_free(p);
	assert_exit(run_text("[Seccomp]\nSystemCallFilter=~getppid\nNotifyKill=yes\n", ch_notify),
		    0);
}

static int ch_ids(const sp_child_plan_t *plan, int lfd)
{
	gid_t groups[8];
	int n = getgroups(8, groups);

	if (getuid() != 65534 || geteuid() != 65534 || getgid() != 65534 || getegid() != 65534)
		return 1;
	if (n != 2 ||
	    !((groups[0] == 65534 && groups[1] == 0) || (groups[0] == 0 && groups[1] == 65534)))
		return 2;
	/* a filter after dropping to another user implies NoNewPrivileges */
	return status_field("NoNewPrivs:") == (plan->bpf ? 1 : 0) ? 0 : 3;
}

static void test_user(void **state)
{
	if (geteuid() != 0 || !getpwnam("nobody") || !getgrnam("nogroup")) {
		print_message("not root, or no nobody/nogroup: User= not tested\n");
		skip();
	}
	assert_exit(run_text("[Exec]\nUser=nobody\nSupplementaryGroups=0\n", ch_ids), 0);
	assert_exit(run_text("[Exec]\nUser=nobody\nGroup=nogroup\nSupplementaryGroups=0\n"
			     "[Seccomp]\nSystemCallFilter=~ptrace\n",
			     ch_ids),
		    0);
}

static int ch_umask_cwd(const sp_child_plan_t *plan, int lfd)
{
	char buf[64];

	if (umask(0) != 027)
		return 1;
	if (!getcwd(buf, sizeof(buf)) || strcmp(buf, "/") != 0)
		return 2;
	return 0;
}

static void test_umask_workdir(void **state)
{
	assert_exit(run_text("[Exec]\nUMask=0027\nWorkingDirectory=/\n", ch_umask_cwd), 0);
}

static void test_apply_failure(void **state)
{
	sp_policy_t *p = parse("[Exec]\nWorkingDirectory=/nonexistent-sp\n");
	sp_child_plan_t plan;
	const char *step;
	sp_err_t err;
	int lfd, r, status;
	pid_t pid;

	assert_int_equal(sp_child_plan_prepare(p, NULL, &plan, &err), 0);
	pid = fork();
	if (pid == 0) {
		r = sp_child_plan_apply(&plan, &lfd, &step);
		_exit(r == -ENOENT && strcmp(step, "chdir") == 0 && lfd == -1 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_exit(status, 0);
	sp_child_plan_release(&plan);
	sp_policy_free(p);
}

static void test_environment(void **state)
{
	char *base[] = {"A=1", "B=2", "KEEP=x", NULL};
	const char *want[] = {"B=3", "KEEP=x", "C=4 5", NULL};
	sp_policy_t *p = parse("[Exec]\nEnvironment=B=3 \"C=4 5\"\nUnsetEnvironment=A KEEP=y\n");
	sp_child_plan_t plan;
	sp_err_t err;
	size_t i;

	assert_int_equal(sp_child_plan_prepare(p, base, &plan, &err), 0);
	for (i = 0; want[i]; i++)
		assert_string_equal(plan.envp[i], want[i]);
	assert_null(plan.envp[i]);
	sp_child_plan_release(&plan);
	sp_policy_free(p);

	/* no environment settings and no base: inherit */
	p = sp_policy_new();
	assert_int_equal(sp_child_plan_prepare(p, NULL, &plan, &err), 0);
	assert_null(plan.envp);
	assert_null(plan.bpf);
	sp_child_plan_release(&plan);
	sp_policy_free(p);
}

/* Shipped policies: a real workload runs, a forbidden act is blocked. */
static int run_shipped(const char *name, const char *const argv[])
{
	sp_policy_t *p;
	sp_child_plan_t plan;
	sp_err_t err;
	int status;
	pid_t pid;

	if (sp_policy_load(name, &p, &err) < 0)
		fail_msg("%s: %s", name, err.msg);
	if (sp_child_plan_prepare(p, NULL, &plan, &err) < 0)
		fail_msg("%s: prepare: %s", name, err.msg);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		int lfd, devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		const char *step;
		if (devnull >= 0)
			dup2(devnull, 2); /* the refusals print tracebacks */
		if (sp_child_plan_apply(&plan, &lfd, &step) < 0)
			_exit(100);
		execve(argv[0], (char **)argv, plan.envp ? plan.envp : environ);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	sp_child_plan_release(&plan);
	sp_policy_free(p);
	return status;
}

#define PY "/usr/bin/python3"

static const char py_work[] =
    "import hashlib, json, threading, subprocess, tempfile, os\n"
    "t = threading.Thread(target=lambda: sum(i * i for i in range(10**5)))\n"
    "t.start(); t.join()\n"
    "with tempfile.TemporaryDirectory() as d:\n"
    "    open(os.path.join(d, 'x'), 'w').write(json.dumps({'a': 1}))\n"
    "hashlib.sha256(b'x').hexdigest()\n"
    "subprocess.run(['/bin/true'], check=True)\n";
static const char py_inet[] = "import socket, sys\n"
			      "try:\n"
			      "    socket.create_connection(('127.0.0.1', 9), timeout=2)\n"
			      "except OSError as e:\n"
			      "    sys.exit(e.errno)\n";
static const char py_chroot[] = "import os, sys\n"
				"try:\n"
				"    os.chroot('/')\n"
				"except PermissionError:\n"
				"    sys.exit(7)\n";
static const char cc_work[] = "d=$(mktemp -d) && printf 'int main(void){return 42;}\\n' > $d/m.c "
			      "&& make -s -C $d m >/dev/null && $d/m; s=$?; rm -rf $d; exit $s";

static void test_shipped_default(void **state)
{
	assert_exit(run_shipped("default", (const char *const[]){"/bin/sh", "-c", "exit 3", NULL}),
		    3);
}

static void test_shipped_strict(void **state)
{
	if (geteuid() != 0)
		skip(); /* User=nobody */
	assert_exit(run_shipped("strict", (const char *const[]){PY, "-c", py_work, NULL}), 0);
	assert_exit(run_shipped("strict", (const char *const[]){PY, "-c", py_inet, NULL}),
		    EAFNOSUPPORT);
	/* a call outside the allow-list kills */
	assert_signal(
	    run_shipped("strict", (const char *const[]){"/usr/bin/unshare", "-U", "true", NULL}),
	    SIGSYS);
}

static void test_shipped_compute(void **state)
{
	assert_exit(run_shipped("compute", (const char *const[]){PY, "-c", py_work, NULL}), 0);
	assert_exit(run_shipped("compute", (const char *const[]){PY, "-c", py_inet, NULL}),
		    EAFNOSUPPORT);
	assert_exit(run_shipped("compute", (const char *const[]){PY, "-c", py_chroot, NULL}), 7);
}

static void test_shipped_build(void **state)
{
	assert_exit(run_shipped("build", (const char *const[]){"/bin/sh", "-c", cc_work, NULL}),
		    42);
	/* mounting fails with EPERM, so mount(8) reports failure */
	assert_exit(
	    run_shipped("build", (const char *const[]){"/bin/sh", "-c",
						       "mount -t tmpfs none /mnt 2>/dev/null;"
						       " exit $?",
						       NULL}),
	    32);
}

static void test_shipped_python(void **state)
{
	assert_exit(run_shipped("python", (const char *const[]){PY, "-c", py_work, NULL}), 0);
	assert_exit(run_shipped("python", (const char *const[]){PY, "-c", py_chroot, NULL}), 7);
}

static void test_shipped_nonet(void **state)
{
	assert_exit(run_shipped("nonet", (const char *const[]){PY, "-c", py_work, NULL}), 0);
	assert_exit(run_shipped("nonet", (const char *const[]){PY, "-c", py_inet, NULL}),
		    EAFNOSUPPORT);
	assert_exit(
	    run_shipped("nonet", (const char *const[]){PY, "-c",
						       "import socket; socket.socketpair()", NULL}),
	    0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_errno_actions),
	    cmocka_unit_test(test_kill_process),
	    cmocka_unit_test(test_x32),
	    cmocka_unit_test(test_i386),
	    cmocka_unit_test(test_no_new_privs),
	    cmocka_unit_test(test_rlimits),
	    cmocka_unit_test(test_restrict_address_families),
	    cmocka_unit_test(test_notify),
	    cmocka_unit_test(test_user),
	    cmocka_unit_test(test_umask_workdir),
	    cmocka_unit_test(test_apply_failure),
	    cmocka_unit_test(test_environment),
	    cmocka_unit_test(test_shipped_default),
	    cmocka_unit_test(test_shipped_strict),
	    cmocka_unit_test(test_shipped_compute),
	    cmocka_unit_test(test_shipped_build),
	    cmocka_unit_test(test_shipped_python),
	    cmocka_unit_test(test_shipped_nonet),
	};

	setenv("SANDPOOL_POLICY_DIR", SP_TEST_POLICY_DIR, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
