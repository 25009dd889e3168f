/* status.h: how a task ended, and the names the job log uses for it. */
#ifndef SP_STATUS_H
#define SP_STATUS_H

#include <stddef.h>

typedef enum {
	SP_ST_OK = 0,
	SP_ST_FAILED,	   /* exited with a nonzero code */
	SP_ST_SIGNALED,	   /* killed by a signal it did not get from us */
	SP_ST_TIMEOUT,	   /* ended by --timeout */
	SP_ST_SPAWN_ERROR, /* never ran: exec or setup failed */
	SP_ST_OOM,	   /* killed by the OOM killer (memory.events oom_kill) */
	SP_ST_SECCOMP,	   /* killed for a forbidden system call */
	SP_ST_CANCELLED,   /* ended because the coordinator was told to stop */
	SP_ST__COUNT
} sp_status_t;

const char *sp_status_name(sp_status_t st);
/* "SIGTERM"; unknown ones are formatted into buf ("SIGRTMIN+3", "SIG99"). */
const char *sp_signal_name(int sig, char *buf, size_t len);

#endif
