/* warden.h: a tiny process that outlives a killed coordinator. It holds the
 * read end of a pipe; when the coordinator dies (EOF) while the pool cgroup
 * still exists, it kills every process in it and removes the cgroups. In
 * process-group mode it kills the process groups of the running tasks. */
#ifndef SP_WARDEN_H
#define SP_WARDEN_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

typedef struct {
	pid_t pid;
	int pipe_wr; /* the coordinator's end; closing it wakes the warden */
} sp_warden_t;

/* Start the warden for the cgroup named pool_name below base_fd (base_fd -1:
 * process-group mode, no cgroup). */
int sp_warden_start(sp_warden_t *w, int base_fd, const char *pool_name, sp_err_t *err);
/* Process-group mode: a task's group started (running) or ended. */
void sp_warden_track(sp_warden_t *w, pid_t pgid, bool running);
/* Normal exit: close the pipe and reap the warden (it finds nothing to do). */
void sp_warden_stop(sp_warden_t *w);

/* Kill everything in the cgroup pool_name below base_fd and remove it with its
 * children; waits (bounded) for it to empty. Used by the warden and by gc. */
int sp_cgroup_destroy(int base_fd, const char *pool_name, sp_err_t *err);

#endif
