/* sp-cpuburn: spin NPROC processes for SECONDS of wall time, for the VM's cpu.max tests.
 * Usage: sp-cpuburn SECONDS [NPROC]: prints wall, CPU time used and their ratio, and
 * nr_throttled and usage_usec of its cgroup's cpu.stat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgkey.h"

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void spin_until(double end)
{
	volatile unsigned long x = 0;

	while (now(CLOCK_MONOTONIC) < end) {
		for (int i = 0; i < 100000; i++) {
			x += (unsigned long)i;
		}
	}
}

int main(int argc, char **argv)
{
	double secs, start, end, cpu;
	long nproc = 1, i;
	struct rusage ru;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: sp-cpuburn SECONDS [NPROC]\n");
		return 2;
	}
	secs = strtod(argv[1], NULL);
	if (argc == 3) {
		nproc = strtol(argv[2], NULL, 10);
	}
	start = now(CLOCK_MONOTONIC);
	end = start + secs;
	for (i = 1; i < nproc; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			spin_until(end);
			_exit(0);
		}
		if (pid < 0) {
			perror("sp-cpuburn: fork");
			return 1;
		}
	}
	spin_until(end);
	while (wait(NULL) > 0) {
	}
	getrusage(RUSAGE_SELF, &ru);
	cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	      (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	getrusage(RUSAGE_CHILDREN, &ru);
	cpu += (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	printf("cpuburn: wall=%.3f cpu=%.3f ratio=%.3f\n", now(CLOCK_MONOTONIC) - start, cpu,
	       cpu / (now(CLOCK_MONOTONIC) - start));
	print_own_cgroup_key("cpuburn:", "cpu.stat", "nr_throttled");
	print_own_cgroup_key("cpuburn:", "cpu.stat", "usage_usec");
	return 0;
}
