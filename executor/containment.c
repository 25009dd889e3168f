/* containment.c: creating the pool cgroup (named for the coordinator's pid and
 * start time), checking that tasks can be started in it, starting the warden;
 * or falling back to process-group mode, saying why. */
#include "config.h"
#include "containment.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "controllers.h"
#include "gc.h"
#include "util.h"

const char *sp_mode_name(sp_mode_t m)
{
	return m == SP_MODE_CGROUP ? "cgroup" : "process-group";
}

void sp_cgroup_add_fix_hints(sp_err_t *err)
{
	sp_err_hint(err, "run sandpool as root, or inside a cgroup subtree delegated to you:");
	sp_err_hint(err, "  systemd-run --user --scope -p Delegate=yes sandpool run ...");
	sp_err_hint(err, "  or have root create one, chown it to you (the directory, cgroup.procs, "
			 "cgroup.subtree_control, cgroup.threads) and start sandpool inside it; a "
			 "process started outside cannot move in");
	sp_err_hint(err, "  batch systems: ask for cgroup delegation to the job (Slurm's "
			 "cgroup/v2 plugin, HTCondor's cgroup-based slots)");
	sp_err_hint(err, "'sandpool doctor' explains this host; --no-cgroup runs without "
			 "containment (process groups)");
}

char *sp_cgroup_resolve_path(const sp_cghost_t *h, const char *arg)
{
	size_t mlen = strlen(h->mount);
	struct stat st;

	if (strncmp(arg, h->mount, mlen) == 0 && (arg[mlen] == '/' || arg[mlen] == '\0'))
		return sp_xstrdup(arg);
	/* An existing directory elsewhere is taken as the path it is (and then
	 * refused as not being on cgroup v2), not as a cgroup name. */
	if (arg[0] == '/' && stat(arg, &st) == 0)
		return sp_xstrdup(arg);
	/* Otherwise a cgroup path relative to the v2 hierarchy ("/batch/job1"). */
	return sp_xasprintf("%s%s%s", h->mount, arg[0] == '/' ? "" : "/", arg);
}

static int open_base(sp_containment_t *c, const sp_containment_opts_t *o, sp_err_t *err)
{
	struct statfs sfs;

	if (sp_cghost_discover(&c->host, err) < 0)
		return -1;
	if (o->path)
		c->base_path = sp_cgroup_resolve_path(&c->host, o->path);
	else if (strcmp(c->host.own, "/") == 0)
		c->base_path = sp_xstrdup(c->host.mount);
	else
		c->base_path = sp_xasprintf("%s%s", c->host.mount, c->host.own);
	c->base_fd = open(c->base_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->base_fd < 0)
		return sp_err_setk(err, SP_EK_CGROUP, errno, "opening cgroup %s", c->base_path);
	if (fstatfs(c->base_fd, &sfs) < 0)
		return sp_err_setk(err, SP_EK_CGROUP, errno, "statfs %s", c->base_path);
	if (sfs.f_type != CGROUP2_SUPER_MAGIC)
		return sp_err_setk(err, SP_EK_CGROUP, 0,
				   "%s is not a cgroup v2 directory (cgroup v2 is mounted at %s)",
				   c->base_path, c->host.mount);
	return 0;
}

/* CLONE_INTO_CGROUP (like a migration) needs write access to cgroup.procs of the
 * common ancestor of our cgroup and the pool. Check it, to fail with a clear
 * message instead of EACCES on the first task. */
static int check_ancestor_writable(sp_containment_t *c, sp_err_t *err)
{
	const char *own = c->host.own, *pool = c->pool_path + strlen(c->host.mount);
	size_t common = 0, i;
	cleanup_free char *anc = NULL, *procs = NULL;

	for (i = 0; own[i] && own[i] == pool[i]; i++)
		if (own[i] == '/')
			common = i;
	if (!own[i] && (pool[i] == '/' || !pool[i]))
		common = i;
	anc = sp_xasprintf("%s%.*s", c->host.mount, (int)common, pool);
	procs = sp_xasprintf("%s/cgroup.procs", anc);
	if (access(procs, W_OK) < 0)
		return sp_err_setk(err, SP_EK_CGROUP, errno,
				   "tasks cannot be started in %s: %s, the common ancestor of our "
				   "cgroup (%s) and the pool, is not writable",
				   c->pool_path, procs, own);
	return 0;
}

static int restore_base(sp_containment_t *c, sp_err_t *err);

/* Running inside the base with controllers to enable there: move into a
 * supervisor leaf first, so the base holds no processes. */
static int move_to_supervisor(sp_containment_t *c, const sp_containment_opts_t *o, sp_err_t *err)
{
	bool base_is_own = strcmp(c->base_path + strlen(c->host.mount), c->host.own) == 0 ||
			   (strcmp(c->host.own, "/") == 0 && !c->base_path[strlen(c->host.mount)]);

	if (!o->controllers || !base_is_own || strcmp(c->host.own, "/") == 0)
		return 0;
	snprintf(c->sup_name, sizeof(c->sup_name), "%s.sup", c->pool_name);
	c->sup_fd = sp_cg_mkdir(c->base_fd, c->sup_name, err);
	if (c->sup_fd < 0 || sp_cg_move_pid(c->sup_fd, getpid(), err) < 0) {
		err->kind = SP_EK_CGROUP;
		sp_fd_close(c->sup_fd);
		c->sup_fd = -1;
		sp_cg_rmdir(c->base_fd, c->sup_name);
		c->sup_name[0] = '\0';
		return sp_err_prefix(err, "moving sandpool into a supervisor leaf of %s",
				     c->base_path);
	}
	return 0;
}

static int make_pool(sp_containment_t *c, const sp_containment_opts_t *o, sp_err_t *err)
{
	unsigned long long start;
	int r;

	if ((r = sp_proc_start_time(getpid(), &start)) < 0)
		return sp_err_set(err, -r, "reading /proc/self/stat");
	snprintf(c->pool_name, sizeof(c->pool_name), "sandpool-%d-%llu", getpid(), start);
	c->pool_path = sp_xasprintf("%s/%s", c->base_path, c->pool_name);
	sp_gc_base(c->base_fd, c->base_path, NULL);
	c->pool_fd = sp_cg_mkdir(c->base_fd, c->pool_name, err);
	if (c->pool_fd < 0) {
		err->kind = SP_EK_CGROUP;
		return sp_err_prefix(err, "in %s", c->base_path);
	}
	c->have_kill = !o->no_cgroup_kill && sp_cg_has_kill(c->pool_fd);
	if (move_to_supervisor(c, o, err) < 0 || check_ancestor_writable(c, err) < 0 ||
	    sp_warden_start(&c->warden, c->base_fd, c->pool_name, err) < 0) {
		sp_err_t ignored;
		sp_cg_rmdir(c->base_fd, c->pool_name);
		restore_base(c, &ignored); /* out of the supervisor leaf, if we went in */
		return -1;
	}
	return 0;
}

static void release(sp_containment_t *c)
{
	sp_fd_close(c->sup_fd);
	c->sup_fd = -1;
	sp_fd_close(c->pool_fd);
	sp_fd_close(c->base_fd);
	c->pool_fd = c->base_fd = -1;
	free(c->pool_path);
	free(c->base_path);
	c->pool_path = c->base_path = NULL;
	sp_cghost_free(&c->host);
}

static int setup_pgroup(sp_containment_t *c, sp_err_t *err)
{
	c->mode = SP_MODE_PGROUP;
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return sp_err_set(err, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
	return sp_warden_start(&c->warden, -1, "", err);
}

int sp_containment_setup(sp_containment_t *c, const sp_containment_opts_t *o, sp_err_t *err)
{
	char text[1400];

	memset(c, 0, sizeof(*c));
	c->base_fd = c->pool_fd = c->sup_fd = -1;
	c->warden.pipe_wr = -1;
	if (o->want == SP_CGWANT_OFF)
		return setup_pgroup(c, err);
	if (open_base(c, o, err) == 0 && make_pool(c, o, err) == 0) {
		c->mode = SP_MODE_CGROUP;
		return 0;
	}
	release(c);
	if (o->want == SP_CGWANT_REQUIRED) {
		err->kind = SP_EK_CGROUP;
		sp_cgroup_add_fix_hints(err);
		return -1;
	}
	if (!o->quiet)
		fprintf(stderr,
			"sandpool: cgroup containment is not available (%s); running in "
			"process-group mode: descendants that leave their process group are "
			"only killed at the end of the run (use --cgroup to make this an error)\n",
			sp_err_text(err, text, sizeof(text)));
	sp_err_clear(err);
	return setup_pgroup(c, err);
}

/* Undo what we changed in the base: the controllers we enabled there, and
 * our move into the supervisor leaf. */
static int restore_base(sp_containment_t *c, sp_err_t *err)
{
	int r;

	sp_controllers_disable(c->base_fd, c->enabled_in_base); /* busy ones stay */
	if (!c->sup_name[0])
		return 0;
	if (sp_cg_move_pid(c->base_fd, getpid(), err) < 0)
		return sp_err_prefix(err,
				     "leaving the supervisor leaf %s/%s (sandpool gc removes "
				     "it later)",
				     c->base_path, c->sup_name);
	r = sp_cg_rmdir(c->base_fd, c->sup_name);
	if (r < 0)
		return sp_err_set(err, -r, "removing %s/%s", c->base_path, c->sup_name);
	return 0;
}

int sp_containment_teardown(sp_containment_t *c, sp_err_t *err)
{
	int r = 0;

	bool cgroup = c->mode == SP_MODE_CGROUP && c->base_fd >= 0;

	if (cgroup)
		r = sp_cg_rmtree(c->base_fd, c->pool_name, err);
	sp_warden_stop(&c->warden); /* EOF: it finds nothing left to do */
	if (cgroup && r == 0)
		r = restore_base(c, err);
	release(c);
	return r;
}
