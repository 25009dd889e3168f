/* doctor.c: a report on this host: the cgroup v2 mount, our cgroup, the
 * controllers (v1 or v2, enabled or not), and a live check that a task can be
 * started in a fresh leaf and killed with cgroup.kill. */
#include "config.h"
#include "doctor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgmap.h"
#include "cgroup.h"
#include "containment.h"
#include "spawn.h"
#include "util.h"

static void print_file(const char *label, const char *dir, const char *name)
{
	cleanup_close int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char buf[512];
	sp_err_t err;

	if (fd < 0 || sp_read_at(fd, name, buf, sizeof(buf), &err) < 0) {
		printf("  %-22s (unreadable: %s)\n", label, strerror(fd < 0 ? errno : err.errnum));
		return;
	}
	buf[strcspn(buf, "\n")] = '\0';
	printf("  %-22s %s\n", label, buf[0] ? buf : "(none)");
}

static void print_controllers(const sp_cghost_t *h, const char *own_path)
{
	static const char *const wanted[] = {"memory", "pids", "cpu", "io", "cpuset", "hugetlb"};
	char ctrls[512] = "", why[768];
	cleanup_close int fd = open(own_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	sp_cgmap_t map;
	sp_err_t err;

	if (fd >= 0)
		sp_read_at(fd, "cgroup.controllers", ctrls, sizeof(ctrls), &err);
	sp_cgmap_load(&map, h->mount);
	printf("\nControllers for limits (policy [Resources]):\n");
	for (size_t i = 0; i < SP_ARRAY_SIZE(wanted); i++) {
		if (sp_word_in(ctrls, wanted[i])) {
			printf("  %-8s available in v2 here\n", wanted[i]);
			continue;
		}
		sp_cgmap_explain(&map, wanted[i], why, sizeof(why));
		printf("  %-8s MISSING: %s\n", wanted[i], why);
	}
}

/* Create a leaf, start /bin/true in it with clone3, kill an empty leaf. */
static int live_check(const char *base, sp_err_t *err)
{
	cleanup_close int bfd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	char name[64];
	int leaf, r = 0;
	sp_spawner_t sp;
	sp_spawned_t out;
	char *argv[] = {"true", NULL}, *envp[] = {NULL};
	sp_spawn_req_t req = {.path = "/bin/true", .argv = argv, .envp = envp};

	if (bfd < 0)
		return sp_err_set(err, errno, "opening %s", base);
	snprintf(name, sizeof(name), "sandpool-doctor-%d", getpid());
	leaf = sp_cg_mkdir(bfd, name, err);
	if (leaf < 0)
		return sp_err_prefix(err, "in %s", base);
	req.cgroup_fd = leaf;
	if (sp_spawner_init(&sp, SP_SPAWN_CLONE3, 1, err) == 0) {
		r = sp_spawn(&sp, &req, &out, err);
		if (r == 0) {
			siginfo_t si;
			waitid(P_PIDFD, (id_t)out.pidfd, &si, WEXITED);
			close(out.pidfd);
			printf("  clone3 into a leaf    ok\n");
		}
		sp_spawner_fini(&sp);
	}
	if (r == 0 && sp_cg_has_kill(leaf))
		printf("  cgroup.kill           %s\n",
		       sp_cg_kill(leaf, err) == 0 ? "ok" : "FAILED");
	else if (r == 0)
		printf(
		    "  cgroup.kill           missing (kernel < 5.14): freeze + SIGKILL is used\n");
	close(leaf);
	sp_cg_rmdir(bfd, name);
	return r;
}

int sp_doctor_cmd(int argc, char **argv)
{
	cleanup_free char *own_path = NULL;
	struct utsname u;
	sp_cghost_t h;
	sp_err_t err;
	char text[1400];
	int ok;

	uname(&u);
	printf("sandpool doctor\n  %-22s %s %s\n", "kernel", u.sysname, u.release);
	if (sp_cghost_discover(&h, &err) < 0) {
		printf("  cgroup v2              NOT FOUND: %s\n",
		       sp_err_text(&err, text, sizeof(text)));
		printf("\nVerdict: no cgroup containment; sandpool runs in process-group mode.\n");
		return 1;
	}
	own_path = strcmp(h.own, "/") ? sp_xasprintf("%s%s", h.mount, h.own) : sp_xstrdup(h.mount);
	printf("  %-22s %s\n  %-22s %s (%s)\n", "cgroup v2 mount", h.mount, "our cgroup", h.own,
	       own_path);
	print_file("controllers here", own_path, "cgroup.controllers");
	print_file("subtree_control", own_path, "cgroup.subtree_control");
	printf("  %-22s %s\n", "running as", geteuid() == 0 ? "root" : "a regular user");
	print_controllers(&h, own_path);
	printf("\nLive check in %s:\n", own_path);
	ok = live_check(own_path, &err) == 0;
	if (!ok) {
		printf("  FAILED: %s\n", sp_err_text(&err, text, sizeof(text)));
		sp_err_clear(&err);
		sp_err_setk(&err, SP_EK_CGROUP, 0, "no writable cgroup here");
		sp_cgroup_add_fix_hints(&err);
		printf("\nVerdict: cgroup containment does not work here.\n%s\n",
		       strchr(err.msg, '\n') + 1);
	} else {
		printf("\nVerdict: cgroup containment works here (kill, events, freeze). Limits "
		       "need the controllers marked available above.\n");
	}
	sp_cghost_free(&h);
	return ok ? 0 : 1;
}
