/* report.c: the JSON job log and the human summary. */
#include "config.h"
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "util.h"

int sp_report_open(sp_report_t *r, const char *json_path, bool quiet, bool single, sp_err_t *err)
{
	memset(r, 0, sizeof(*r));
	r->fd = -1;
	r->quiet = quiet;
	r->single = single;
	if (!json_path)
		return 0;
	if (strcmp(json_path, "-") == 0) {
		r->fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
		if (r->fd < 0)
			return sp_err_set(err, errno, "duplicating standard output for --json -");
		return 0;
	}
	r->fd = open(json_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (r->fd < 0)
		return sp_err_setk(err, SP_EK_USAGE, errno, "opening the job log %s", json_path);
	return 0;
}

static void put_input(sp_json_t *j, const sp_task_record_t *t)
{
	size_t len = 1;
	char *joined;

	if (!t->ncols) {
		sp_json_null(j, "input");
		return;
	}
	for (size_t i = 0; i < t->ncols; i++)
		len += strlen(t->cols[i]) + 1;
	joined = sp_xmalloc(len); /* an input can be megabytes: not on the stack */
	joined[0] = '\0';
	for (size_t i = 0; i < t->ncols; i++) {
		if (i)
			strcat(joined, " ");
		strcat(joined, t->cols[i]);
	}
	sp_json_str(j, "input", joined);
	free(joined);
	if (t->ncols > 1) {
		sp_json_key(j, "inputs");
		sp_json_begin(j, '[');
		for (size_t i = 0; i < t->ncols; i++)
			sp_json_str(j, NULL, t->cols[i]);
		sp_json_end(j, ']');
	}
}

char *sp_report_json_line(const sp_task_record_t *t)
{
	char sigbuf[16];
	sp_json_t j;

	sp_json_init(&j);
	sp_json_begin(&j, '{');
	sp_json_int(&j, "seq", (int64_t)t->seq);
	put_input(&j, t);
	sp_json_key(&j, "argv");
	sp_json_begin(&j, '[');
	for (size_t i = 0; t->argv && t->argv[i]; i++)
		sp_json_str(&j, NULL, t->argv[i]);
	sp_json_end(&j, ']');
	sp_json_str(&j, "status", sp_status_name(t->status));
	if (t->exit_code >= 0)
		sp_json_int(&j, "exit_code", t->exit_code);
	else
		sp_json_null(&j, "exit_code");
	sp_json_str(&j, "signal",
		    t->signal ? sp_signal_name(t->signal, sigbuf, sizeof(sigbuf)) : NULL);
	sp_json_num(&j, "wall_s", t->wall_s);
	sp_json_num(&j, "user_s", t->user_s);
	sp_json_num(&j, "sys_s", t->sys_s);
	if (t->descendants_killed >= 0)
		sp_json_int(&j, "descendants_killed", t->descendants_killed);
	else
		sp_json_null(&j, "descendants_killed");
	sp_json_str(&j, "cgroup", t->cgroup);
	sp_json_str(&j, "mode", t->mode);
	if (t->memory_peak >= 0)
		sp_json_int(&j, "memory_peak_bytes", t->memory_peak);
	if (t->error)
		sp_json_str(&j, "error", t->error);
	if (t->syscall)
		sp_json_str(&j, "syscall", t->syscall);
	if (t->degraded)
		sp_json_str(&j, "degraded", t->degraded);
	sp_json_end(&j, '}');
	j.buf = sp_xrealloc(j.buf, j.len + 2);
	j.buf[j.len++] = '\n';
	j.buf[j.len] = '\0';
	return j.buf;
}

static void note_task(const sp_task_record_t *t)
{
	char sigbuf[16], label[256];

	if (t->ncols)
		snprintf(label, sizeof(label), "task %llu (%s)", t->seq, t->cols[0]);
	else
		snprintf(label, sizeof(label), "%s", t->argv && t->argv[0] ? t->argv[0] : "task");
	switch (t->status) {
	case SP_ST_OK:
		return;
	case SP_ST_FAILED:
		fprintf(stderr, "sandpool: %s: exited with status %d\n", label, t->exit_code);
		return;
	case SP_ST_SPAWN_ERROR:
		fprintf(stderr, "sandpool: %s: could not start: %s\n", label,
			t->error ? t->error : "unknown error");
		return;
	case SP_ST_SECCOMP:
		fprintf(stderr, "sandpool: %s: killed for the forbidden system call %s\n", label,
			t->syscall ? t->syscall : "(unknown)");
		return;
	default:
		fprintf(stderr, "sandpool: %s: %s%s%s", label, sp_status_name(t->status),
			t->signal ? ", killed by " : "",
			t->signal ? sp_signal_name(t->signal, sigbuf, sizeof(sigbuf)) : "");
		if (t->descendants_killed > 0)
			fprintf(stderr, " (%d descendant process%s killed)", t->descendants_killed,
				t->descendants_killed == 1 ? "" : "es");
		fputc('\n', stderr);
	}
}

int sp_report_task(sp_report_t *r, const sp_task_record_t *t)
{
	r->counts[t->status]++;
	r->total++;
	if (!r->quiet && !(r->single && (t->status == SP_ST_OK || t->status == SP_ST_FAILED)))
		note_task(t);
	if (r->fd >= 0) {
		cleanup_free char *line = sp_report_json_line(t);
		if (sp_write_all(r->fd, line, strlen(line)) < 0)
			return -errno;
	}
	return 0;
}

void sp_report_close(sp_report_t *r, const char *mode, double wall_s, unsigned long long not_run,
		     int stop_signal)
{
	char sigbuf[16];

	if (!r->quiet && !r->single) {
		fprintf(stderr, "sandpool: %llu task%s in %.2fs (%s mode):", r->total,
			r->total == 1 ? "" : "s", wall_s, mode);
		for (int s = 0; s < SP_ST__COUNT; s++)
			if (r->counts[s])
				fprintf(stderr, " %llu %s", r->counts[s], sp_status_name(s));
		if (not_run)
			fprintf(stderr, " %llu not started", not_run);
		if (stop_signal)
			fprintf(stderr, " (stopped by %s)",
				sp_signal_name(stop_signal, sigbuf, sizeof(sigbuf)));
		fputc('\n', stderr);
	}
	sp_fd_close(r->fd);
	r->fd = -1;
}
