/* sp-forkbomb: fork until fork() fails or LIMIT children exist, for the VM's pids.max tests.
 * Usage: sp-forkbomb LIMIT [HOLD_S]: children pause(); prints the count, fork's errno
 * and the "max" line of its cgroup's pids.events. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgkey.h"

int main(int argc, char **argv)
{
	long limit, hold, n;
	int err = 0;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: sp-forkbomb LIMIT [HOLD_S]\n");
		return 2;
	}
	limit = strtol(argv[1], NULL, 10);
	hold = argc == 3 ? strtol(argv[2], NULL, 10) : 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (n = 0; n < limit; n++) {
		pid_t pid = fork();

		if (pid == 0) {
			for (;;) {
				pause();
			}
		}
		if (pid < 0) {
			err = errno;
			break;
		}
	}
	if (err != 0) {
		printf("forkbomb: forked %ld, then fork failed: %s\n", n, strerror(err));
	} else {
		printf("forkbomb: forked %ld, no failure\n", n);
	}
	print_own_cgroup_key("forkbomb:", "pids.events", "max");
	if (hold > 0) {
		sleep((unsigned)hold);
	}
	/* Exit 0 when the limit stopped us, 3 when nothing did. */
	return err != 0 ? 0 : 3;
}
