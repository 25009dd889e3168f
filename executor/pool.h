/* pool.h: the coordinator: N workers, one epoll loop over a signalfd, per-slot
 * timerfds, pidfds, cgroup.events fds and seccomp listeners; no polling. */
#ifndef SP_POOL_H
#define SP_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "containment.h"
#include "err.h"
#include "input.h"
#include "policy/policy.h"
#include "spawn.h"
#include "status.h"
#include "template.h"

typedef struct {
	unsigned jobs;
	uint64_t timeout_ns; /* 0: none */
	uint64_t grace_ns;
	bool descendants_wait; /* --descendants=wait (bounded by the timeout) */
	sp_containment_opts_t cg;
	const char *json_path;
	bool quiet;
	bool keep_stdin; /* tasks share the coordinator's stdin (exec) */
	sp_spawn_method_t spawn_method;
	const sp_template_t *tmpl;
	sp_inputs_t *inputs;	   /* streamed ones grow while the pool runs */
	const sp_policy_t *policy; /* may be NULL */
	bool allow_missing_controllers;
} sp_pool_opts_t;

typedef struct {
	unsigned long long counts[SP_ST__COUNT];
	unsigned long long not_run;
	int stop_signal; /* the signal that stopped the coordinator, or 0 */
	sp_status_t last_status;
	int last_exit_code, last_signal, last_errnum;
	sp_mode_t mode;
} sp_pool_result_t;

int sp_pool_run(const sp_pool_opts_t *o, sp_pool_result_t *res, sp_err_t *err);

#endif
