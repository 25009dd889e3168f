/* cgroup.h: the cgroup v2 primitives sandpool needs, all relative to directory
 * fds: finding the v2 mount and our own cgroup, leaves, kill, freeze, events,
 * process lists, cpu.stat and memory.events. */
#ifndef SP_CGROUP_H
#define SP_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

typedef struct {
	char *mount; /* the cgroup2 mount point ("/sys/fs/cgroup/unified") */
	char *own;   /* our cgroup, absolute path below the mount point */
} sp_cghost_t;

/* Find the v2 mount in /proc/self/mountinfo and our cgroup in /proc/self/cgroup. */
int sp_cghost_discover(sp_cghost_t *h, sp_err_t *err);
void sp_cghost_free(sp_cghost_t *h);
/* Same, from given file contents (for tests). */
int sp_cghost_parse(sp_cghost_t *h, const char *mountinfo, const char *proc_cgroup, sp_err_t *err);

/* Open a cgroup directory (O_DIRECTORY|O_CLOEXEC). */
int sp_cg_open(int dirfd, const char *path, sp_err_t *err);
/* mkdir name below dirfd and open it. Returns the fd or < 0. */
int sp_cg_mkdir(int dirfd, const char *name, sp_err_t *err);
/* rmdir; returns 0 or -errno (EBUSY while populated). */
int sp_cg_rmdir(int dirfd, const char *name);
/* Remove a cgroup and every cgroup below it, deepest first (they must be empty). */
int sp_cg_rmtree(int dirfd, const char *name, sp_err_t *err);

/* Write "1" to cgroup.kill. -ENOENT when the kernel has none (< 5.14). */
int sp_cg_kill(int cgfd, sp_err_t *err);
bool sp_cg_has_kill(int cgfd);
int sp_cg_freeze(int cgfd, bool frozen, sp_err_t *err);

/* Open cgroup.events for EPOLLPRI and read it. */
int sp_cg_events_open(int cgfd, sp_err_t *err);
int sp_cg_events_read(int evfd, bool *populated, bool *frozen);

/* Wait (bounded, poll on cgroup.events) until the cgroup is empty: for the
 * warden, gc, and a task whose events fd could not be watched. 0 or -errno. */
int sp_cg_wait_empty(int cgfd, int timeout_ms);

/* Send sig to every process in the cgroup and below; *count gets how many. */
int sp_cg_signal_all(int cgfd, int sig, unsigned *count, sp_err_t *err);
/* Number of processes in the cgroup and every cgroup below it. */
int sp_cg_count_procs(int cgfd, unsigned *count, sp_err_t *err);

typedef struct {
	uint64_t user_us, system_us;
} sp_cpustat_t;
int sp_cg_cpu_stat(int cgfd, sp_cpustat_t *st);

/* Value of key in a flat-keyed file ("oom_kill 1"); -ENOENT if absent. */
int sp_cg_read_key(int cgfd, const char *file, const char *key, uint64_t *value);

/* memory.peak (kernel >= 5.19); -ENOENT when the kernel has none. */
int sp_cg_read_memory_peak(int cgfd, uint64_t *bytes);

/* Write our pid (0 = self) into cgfd's cgroup.procs. */
int sp_cg_move_pid(int cgfd, pid_t pid, sp_err_t *err);

/* Parse "sandpool-<pid>-<starttime>" names (and their ".sup" supervisor
 * leaves); process start time from /proc. */
int sp_pool_name_parse(const char *name, pid_t *pid, unsigned long long *start);
int sp_proc_start_time(pid_t pid, unsigned long long *start);

#endif
