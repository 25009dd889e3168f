/* sp-probe.c: a task for the integration tests. Runs its arguments as a list
 * of actions, left to right, so a test can build the process it needs. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: sp-probe ACTION...\n"
    "  print WORD     print WORD and a newline\n"
    "  cgroup         print our cgroup v2 path (the 0:: line of /proc/self/cgroup)\n"
    "  stdin          print what fd 0 is (readlink /proc/self/fd/0)\n"
    "  fds            print our open fds, space separated\n"
    "  nnp            print NoNewPrivs from /proc/self/status\n"
    "  nofile         print RLIMIT_NOFILE as soft:hard\n"
    "  ignterm        ignore SIGTERM (inherited by children and across exec)\n"
    "  sleep S        sleep S seconds (fractions allowed; 'inf' for ever)\n"
    "  burn S         use S seconds of CPU time\n"
    "  children N     fork N children that sleep for ever\n"
    "  daemon S       leave a double-forked setsid daemon ignoring TERM/HUP that\n"
    "                 sleeps S seconds ('inf' for ever)\n"
    "  touch FILE     create FILE (a readiness flag for the test)\n"
    "  wait           wait for all our children\n"
    "  segv           die of SIGSEGV\n"
    "  exit N         exit with status N\n";

static void die(const char *what)
{
	fprintf(stderr, "sp-probe: %s: %s\n", what, strerror(errno));
	exit(99);
}

static void sleep_for(const char *arg)
{
	double s = strcmp(arg, "inf") == 0 ? -1 : strtod(arg, NULL);
	struct timespec ts;

	if (s < 0) {
		for (;;)
			pause();
	}
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static double cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* CPU time, not wall time: a loaded machine makes it longer, not smaller. */
static void burn(const char *arg)
{
	double end = cpu_s() + strtod(arg, NULL);
	volatile unsigned long x = 0;

	while (cpu_s() < end)
		for (int i = 0; i < 100000; i++)
			x += (unsigned long)i;
}

static void print_cgroup(void)
{
	char line[4096];
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (!f)
		die("/proc/self/cgroup");
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "0::", 3) == 0)
			fputs(line + 3, stdout);
	fclose(f);
}

static void print_stdin(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/fd/0", buf, sizeof(buf) - 1);

	if (n < 0) {
		puts("closed");
		return;
	}
	buf[n] = '\0';
	puts(buf);
}

static void print_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	const char *sep = "";

	if (!d)
		die("/proc/self/fd");
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		printf("%s%s", sep, de->d_name);
		sep = " ";
	}
	putchar('\n');
	closedir(d);
}

static void print_status_field(const char *key)
{
	char line[512];
	size_t len = strlen(key);
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		die("/proc/self/status");
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, len) == 0 && line[len] == ':')
			fputs(line + len + 1 + strspn(line + len + 1, " \t"), stdout);
	fclose(f);
}

static void print_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die("getrlimit");
	printf("%llu:%llu\n", (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max);
}

static void ignore_signal(int sig)
{
	struct sigaction sa = {.sa_handler = SIG_IGN};

	if (sigaction(sig, &sa, NULL) < 0)
		die("sigaction");
}

static void spawn_sleepers(long n)
{
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0)
			for (;;)
				pause();
	}
}

static void null_stdio(void)
{
	int fd = open("/dev/null", O_RDWR);

	if (fd < 0)
		die("/dev/null");
	dup2(fd, 0);
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
}

/* fork, setsid, fork again: the classic daemon, reparented away from us. */
static void spawn_daemon(const char *secs)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		if (setsid() < 0)
			die("setsid");
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid > 0)
			_exit(0);
		ignore_signal(SIGTERM);
		ignore_signal(SIGHUP);
		null_stdio();
		sleep_for(secs);
		_exit(0);
	}
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		die(path);
	close(fd);
}

static void die_of_segv(void)
{
	struct sigaction sa = {.sa_handler = SIG_DFL};

	sigaction(SIGSEGV, &sa, NULL);
	raise(SIGSEGV);
	_exit(98);
}

/* One action with no argument; returns 0 if NAME is not one. */
static int act0(const char *name)
{
	if (!strcmp(name, "cgroup"))
		print_cgroup();
	else if (!strcmp(name, "stdin"))
		print_stdin();
	else if (!strcmp(name, "fds"))
		print_fds();
	else if (!strcmp(name, "nnp"))
		print_status_field("NoNewPrivs");
	else if (!strcmp(name, "nofile"))
		print_nofile();
	else if (!strcmp(name, "ignterm"))
		ignore_signal(SIGTERM);
	else if (!strcmp(name, "wait"))
		while (wait(NULL) > 0 || errno == EINTR)
			;
	else if (!strcmp(name, "segv"))
		die_of_segv();
	else
		return 0;
	return 1;
}

/* One action with one argument; returns 0 if NAME is not one. */
static int act1(const char *name, const char *arg)
{
	if (!strcmp(name, "print"))
		puts(arg);
	else if (!strcmp(name, "sleep"))
		sleep_for(arg);
	else if (!strcmp(name, "burn"))
		burn(arg);
	else if (!strcmp(name, "children"))
		spawn_sleepers(strtol(arg, NULL, 10));
	else if (!strcmp(name, "daemon"))
		spawn_daemon(arg);
	else if (!strcmp(name, "touch"))
		touch(arg);
	else if (!strcmp(name, "exit"))
		exit(atoi(arg));
	else
		return 0;
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		fflush(stdout);
		if (act0(argv[i]))
			continue;
		if (i + 1 < argc && act1(argv[i], argv[i + 1])) {
			i++;
			continue;
		}
		fprintf(stderr, "sp-probe: unknown action or missing argument: %s\n%s", argv[i],
			usage);
		return 2;
	}
	fflush(stdout);
	return 0;
}
