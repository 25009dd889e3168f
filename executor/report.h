/* report.h: the job log (one JSON object per task, written as each ends), the
 * per-task notes and the closing summary on stderr. */
#ifndef SP_REPORT_H
#define SP_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "status.h"

typedef struct {
	unsigned long long seq;
	const char **cols;
	size_t ncols;
	char *const *argv;
	sp_status_t status;
	int exit_code; /* -1 when it did not exit */
	int signal;    /* 0 when not killed by a signal */
	double wall_s, user_s, sys_s;
	int descendants_killed; /* -1: unknown (process-group mode) */
	const char *cgroup;	/* leaf path, NULL in process-group mode */
	const char *mode;
	const char *error;    /* spawn-error text */
	const char *syscall;  /* seccomp: the forbidden call */
	int64_t memory_peak;  /* -1: not available */
	const char *degraded; /* controllers that were missing, or NULL */
} sp_task_record_t;

typedef struct {
	int fd; /* --json fd, -1 when none */
	bool quiet;
	bool single; /* exec: the command's own exit is no news; no summary */
	unsigned long long counts[SP_ST__COUNT];
	unsigned long long total;
} sp_report_t;

int sp_report_open(sp_report_t *r, const char *json_path, bool quiet, bool single, sp_err_t *err);
/* Serialize one record (exposed for tests); returns a malloc'd line with '\n'. */
char *sp_report_json_line(const sp_task_record_t *t);
int sp_report_task(sp_report_t *r, const sp_task_record_t *t);
/* Print the summary line on stderr; close the log. */
void sp_report_close(sp_report_t *r, const char *mode, double wall_s, unsigned long long not_run,
		     int stop_signal);

#endif
