/* exitcodes.h: every exit status sandpool itself chooses, in one place.
 * run: 0 all ok, 1-100 that many tasks did not end ok, 101 more than 100 (as
 * GNU parallel); exec: the command's own status, or timeout(1)'s codes. */
#ifndef SP_EXITCODES_H
#define SP_EXITCODES_H

enum {
	SP_EXIT_OK = 0,
	SP_EXIT_MANY_FAILED = 101, /* run: more than 100 tasks failed */
	SP_EXIT_TIMEOUT = 124,	   /* exec: the command timed out */
	SP_EXIT_EXEC_OWN = 125,	   /* exec: sandpool itself failed */
	SP_EXIT_NOEXEC = 126,	   /* exec: found but could not be executed */
	SP_EXIT_NOTFOUND = 127,	   /* exec: not found */
	SP_EXIT_SIGNAL_BASE = 128, /* 128+N: killed by / stopped by signal N */
	SP_EXIT_INTERNAL = 250,	   /* a bug */
	SP_EXIT_SYSTEM = 251,	   /* a system call failed during setup */
	SP_EXIT_CGROUP = 252,	   /* --cgroup demanded, but no usable cgroup */
	SP_EXIT_POLICY = 253,	   /* an invalid policy, or a missing controller */
	SP_EXIT_USAGE = 254,	   /* bad command line */
};

#endif
