/* sp-runas: drop to a user and exec a command, for the VM's delegation tests
 * (busybox's setpriv cannot change ids). Usage: sp-runas UID GID CMD [ARGS...] */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	uid_t uid;
	gid_t gid;

	if (argc < 4) {
		fprintf(stderr, "usage: sp-runas UID GID CMD [ARGS...]\n");
		return 125;
	}
	uid = (uid_t)strtoul(argv[1], NULL, 10);
	gid = (gid_t)strtoul(argv[2], NULL, 10);
	if (setgroups(0, NULL) < 0 || setgid(gid) < 0 || setuid(uid) < 0) {
		perror("sp-runas: dropping privileges");
		return 125;
	}
	execvp(argv[3], argv + 3);
	perror("sp-runas: exec");
	return 127;
}
