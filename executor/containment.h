/* containment.h: choosing and setting up how tasks are contained: a pool
 * cgroup with one fresh leaf per task (cgroup mode), or process groups under a
 * child subreaper (process-group mode) when no writable cgroup v2 is there. */
#ifndef SP_CONTAINMENT_H
#define SP_CONTAINMENT_H

#include <stdbool.h>

#include "cgroup.h"
#include "err.h"
#include "warden.h"

typedef enum {
	SP_CGWANT_AUTO = 0, /* cgroup mode if possible, else say so and fall back */
	SP_CGWANT_REQUIRED, /* --cgroup: cgroup mode or an error */
	SP_CGWANT_OFF,	    /* --no-cgroup */
} sp_cgwant_t;

typedef enum { SP_MODE_CGROUP = 0, SP_MODE_PGROUP } sp_mode_t;

typedef struct {
	sp_mode_t mode;
	sp_cghost_t host;
	char *base_path; /* where the pool cgroup is created */
	int base_fd;
	char pool_name[64]; /* sandpool-<pid>-<starttime> */
	char *pool_path;
	int pool_fd;
	bool have_kill; /* cgroup.kill usable; else freeze + SIGKILL */
	sp_warden_t warden;
	/* When we run inside the base cgroup and must enable controllers there, we
	 * first move into a sibling leaf <pool>.sup (no internal processes rule). */
	char sup_name[72];
	int sup_fd;
	unsigned enabled_in_base; /* SP_CTRL_* we enabled in the base: undone at the end */
} sp_containment_t;

typedef struct {
	sp_cgwant_t want;
	const char *path;    /* --cgroup=PATH, or NULL for our own cgroup */
	bool no_cgroup_kill; /* pretend cgroup.kill is missing (tests) */
	bool quiet;
	unsigned controllers; /* SP_CTRL_* the policy needs in the leaves */
} sp_containment_opts_t;

int sp_containment_setup(sp_containment_t *c, const sp_containment_opts_t *o, sp_err_t *err);
/* Remove the (now empty) pool cgroup and stop the warden. */
int sp_containment_teardown(sp_containment_t *c, sp_err_t *err);
const char *sp_mode_name(sp_mode_t m);

/* Resolve a --cgroup argument to an absolute path on the v2 mount. */
char *sp_cgroup_resolve_path(const sp_cghost_t *h, const char *arg);
/* Add the "how to get a writable cgroup" hints to err. */
void sp_cgroup_add_fix_hints(sp_err_t *err);

#endif
