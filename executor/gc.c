/* gc.c: finding dead coordinators' pools and destroying them. */
#include "config.h"
#include "gc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "containment.h"
#include "util.h"
#include "warden.h"

bool sp_gc_pool_is_live(const char *name)
{
	unsigned long long start, now;
	pid_t pid;

	int r;

	if (sp_pool_name_parse(name, &pid, &start) < 0)
		return true; /* not ours: never touch it */
	r = sp_proc_start_time(pid, &now);
	if (r == 0)
		return now == start;
	/* Only a pid that does not exist is dead: EACCES (hidepid), EMFILE and
	 * the like say nothing, so the pool is left alone. */
	return r != -ENOENT && r != -ESRCH;
}

int sp_gc_base(int base_fd, const char *base_path, sp_err_t *err)
{
	int dfd = openat(base_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	sp_err_t one;
	int removed = 0, failed = 0;

	if (!d) {
		sp_fd_close(dfd);
		return err ? sp_err_set(err, errno, "listing %s", base_path) : -1;
	}
	while ((de = readdir(d))) {
		if (de->d_type != DT_DIR || strncmp(de->d_name, "sandpool-", 9) != 0 ||
		    sp_gc_pool_is_live(de->d_name))
			continue;
		if (sp_cgroup_destroy(base_fd, de->d_name, &one) == 0) {
			removed++;
		} else if (err && !failed++) {
			*err = one;
			sp_err_prefix(err, "removing %s/%s", base_path, de->d_name);
		}
	}
	return failed ? -1 : removed;
}

static int gc_path(const char *path, bool verbose, sp_err_t *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int n;

	if (fd < 0)
		return sp_err_setk(err, SP_EK_CGROUP, errno, "opening %s", path);
	n = sp_gc_base(fd, path, err);
	if (n >= 0 && verbose)
		printf("%s: removed %d stale pool cgroup%s\n", path, n, n == 1 ? "" : "s");
	return n;
}

int sp_gc_cmd(int argc, char **argv, sp_err_t *err)
{
	static const struct option opts[] = {
	    {"cgroup", required_argument, NULL, 'c'},
	    {"quiet", no_argument, NULL, 'q'},
	    {NULL, 0, NULL, 0},
	};
	cleanup_free char *own = NULL;
	const char *path = NULL;
	sp_cghost_t host;
	bool verbose = true;
	int c, total = 0, n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+q", opts, NULL)) != -1) {
		if (c == 'c')
			path = optarg;
		else if (c == 'q')
			verbose = false;
		else
			return sp_err_setk(err, SP_EK_USAGE, 0,
					   "usage: sandpool gc [--cgroup=PATH] [-q]");
	}
	if (sp_cghost_discover(&host, err) < 0)
		return -1;
	if (path) {
		own = sp_cgroup_resolve_path(&host, path);
	} else {
		own = strcmp(host.own, "/") ? sp_xasprintf("%s%s", host.mount, host.own)
					    : sp_xstrdup(host.mount);
	}
	n = gc_path(own, verbose, err);
	if (n >= 0 && !path && strcmp(host.own, "/") != 0) {
		total += n;
		n = gc_path(host.mount, verbose, err);
		if (n < 0 && err->errnum == EACCES) /* the root is not ours to list: fine */
			n = 0;
	}
	sp_cghost_free(&host);
	return n < 0 ? -1 : total + n;
}
