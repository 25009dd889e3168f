/* cgroup.c: cgroup v2 primitives on directory fds (mount discovery, leaves,
 * kill/freeze, events, procs, stats). No policy here: callers decide. */
#include "config.h"
#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

void sp_cghost_free(sp_cghost_t *h)
{
	free(h->mount);
	free(h->own);
	h->mount = h->own = NULL;
}

/* Undo mountinfo's octal escapes (\040 for space) in place. */
static void unescape_octal(char *s)
{
	char *w = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

/* From one mountinfo line: the mount point and root if it is a cgroup2 mount. */
static bool mountinfo_cgroup2(char *line, char **root, char **mnt)
{
	char *sep = strstr(line, " - ");
	char *f[5], *save = NULL;
	int i;

	if (!sep || strncmp(sep + 3, "cgroup2 ", 8) != 0)
		return false;
	*sep = '\0';
	for (i = 0; i < 5; i++) {
		f[i] = strtok_r(i ? NULL : line, " ", &save);
		if (!f[i])
			return false;
	}
	*root = f[3];
	*mnt = f[4];
	unescape_octal(*root);
	unescape_octal(*mnt);
	return true;
}

/* Our cgroup (relative to the hierarchy root) from /proc/self/cgroup's "0::" line. */
static const char *own_cgroup_line(const char *proc_cgroup, size_t *len)
{
	const char *p = proc_cgroup;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		if (strncmp(p, "0::", 3) == 0) {
			*len = (size_t)(nl ? nl - p - 3 : (ptrdiff_t)strlen(p + 3));
			return p + 3;
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static int set_own(sp_cghost_t *h, const char *root, const char *cg, size_t len, sp_err_t *err)
{
	size_t rlen = strcmp(root, "/") == 0 ? 0 : strlen(root);

	if (rlen &&
	    (len < rlen || strncmp(cg, root, rlen) != 0 || (cg[rlen] != '/' && len != rlen)))
		return sp_err_setk(err, SP_EK_CGROUP, 0,
				   "our cgroup %.*s is outside the cgroup2 mount's root %s",
				   (int)len, cg, root);
	cg += rlen;
	len -= rlen;
	h->own = len ? strndup(cg, len) : strdup("/");
	if (!h->own)
		abort();
	/* A " (deleted)" suffix means our cgroup was removed under us. */
	if (strstr(h->own, " (deleted)"))
		return sp_err_setk(err, SP_EK_CGROUP, 0, "our own cgroup %s was deleted", h->own);
	return 0;
}

int sp_cghost_parse(sp_cghost_t *h, const char *mountinfo, const char *proc_cgroup, sp_err_t *err)
{
	cleanup_free char *copy = sp_xstrdup(mountinfo);
	char *line, *save = NULL, *root = NULL, *mnt = NULL;
	const char *cg;
	size_t len;

	h->mount = h->own = NULL;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (mountinfo_cgroup2(line, &root, &mnt))
			break;
	if (!line)
		return sp_err_setk(err, SP_EK_CGROUP, 0,
				   "no cgroup2 file system is mounted (nothing of type cgroup2 in "
				   "/proc/self/mountinfo)");
	cg = own_cgroup_line(proc_cgroup, &len);
	if (!cg)
		return sp_err_setk(err, SP_EK_CGROUP, 0,
				   "no cgroup v2 entry (\"0::\") in /proc/self/cgroup");
	h->mount = sp_xstrdup(mnt);
	if (set_own(h, root, cg, len, err) < 0) {
		sp_cghost_free(h);
		return -1;
	}
	return 0;
}

static char *slurp_proc(const char *path, sp_err_t *err)
{
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t cap = 16384, len = 0;
	char *buf;

	if (fd < 0) {
		sp_err_set(err, errno, "opening %s", path);
		return NULL;
	}
	buf = sp_xmalloc(cap);
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sp_err_set(err, errno, "reading %s", path);
			free(buf);
			return NULL;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len + 1 == cap)
			buf = sp_xrealloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	return buf;
}

int sp_cghost_discover(sp_cghost_t *h, sp_err_t *err)
{
	cleanup_free char *mi = slurp_proc("/proc/self/mountinfo", err);
	cleanup_free char *pc = mi ? slurp_proc("/proc/self/cgroup", err) : NULL;

	if (!mi || !pc)
		return -1;
	return sp_cghost_parse(h, mi, pc, err);
}

int sp_cg_open(int dirfd, const char *path, sp_err_t *err)
{
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return sp_err_set(err, errno, "opening cgroup %s", path);
	return fd;
}

int sp_cg_mkdir(int dirfd, const char *name, sp_err_t *err)
{
	int fd;

	if (mkdirat(dirfd, name, 0755) < 0)
		return sp_err_set(err, errno, "creating cgroup %s", name);
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		sp_err_set(err, errno, "opening cgroup %s", name);
		unlinkat(dirfd, name, AT_REMOVEDIR);
		return -1;
	}
	return fd;
}

int sp_cg_rmdir(int dirfd, const char *name)
{
	return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 ? -errno : 0;
}

int sp_cg_rmtree(int parent_fd, const char *name, sp_err_t *err)
{
	int fd = openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *d = NULL;
	struct dirent *de;
	int r;

	if (fd < 0)
		return errno == ENOENT ? 0 : sp_err_set(err, errno, "opening cgroup %s", name);
	d = fdopendir(fd);
	if (!d) {
		sp_fd_close(fd);
		return sp_err_set(err, errno, "listing cgroup %s", name);
	}
	while ((de = readdir(d)))
		if (de->d_type == DT_DIR && strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			if (sp_cg_rmtree(dirfd(d), de->d_name, err) < 0)
				return sp_err_prefix(err, "%s", name);
	r = sp_cg_rmdir(parent_fd, name);
	if (r < 0 && r != -ENOENT)
		return sp_err_set(err, -r, "removing cgroup %s", name);
	return 0;
}

int sp_cg_kill(int cgfd, sp_err_t *err)
{
	return sp_write_at(cgfd, "cgroup.kill", "1", err);
}

bool sp_cg_has_kill(int cgfd)
{
	return faccessat(cgfd, "cgroup.kill", F_OK, 0) == 0;
}

int sp_cg_freeze(int cgfd, bool frozen, sp_err_t *err)
{
	return sp_write_at(cgfd, "cgroup.freeze", frozen ? "1" : "0", err);
}

int sp_cg_events_open(int cgfd, sp_err_t *err)
{
	int fd = openat(cgfd, "cgroup.events", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return sp_err_set(err, errno, "opening cgroup.events");
	return fd;
}

int sp_cg_events_read(int evfd, bool *populated, bool *frozen)
{
	char buf[128];
	const char *p;

	if (sp_pread_all(evfd, buf, sizeof(buf)) < 0)
		return -errno;
	p = strstr(buf, "populated ");
	if (populated)
		*populated = p && p[10] == '1';
	p = strstr(buf, "frozen ");
	if (frozen)
		*frozen = p && p[7] == '1';
	return 0;
}

/* Call fn(pid) for each pid in cgroup.procs. */
static int for_each_proc(int cgfd, int (*fn)(pid_t, void *), void *arg, unsigned *count,
			 sp_err_t *err)
{
	cleanup_close int fd = openat(cgfd, "cgroup.procs", O_RDONLY | O_CLOEXEC);
	char buf[8192], *line, *save = NULL;
	size_t carry = 0;
	ssize_t n;

	*count = 0;
	if (fd < 0)
		return sp_err_set(err, errno, "opening cgroup.procs");
	while ((n = read(fd, buf + carry, sizeof(buf) - carry - 1)) > 0) {
		char *end = buf + carry + n, *last;
		*end = '\0';
		last = strrchr(buf, '\n');
		if (!last)
			break;
		*last = '\0';
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			pid_t pid = (pid_t)atoi(line);
			(*count)++;
			/* 0 is a process outside our pid namespace: kill(0) would
			 * signal our own process group. */
			if (fn && pid > 0)
				fn(pid, arg);
		}
		carry = (size_t)(end - last - 1);
		memmove(buf, last + 1, carry);
	}
	if (n < 0)
		return sp_err_set(err, errno, "reading cgroup.procs");
	return 0;
}

/* for_each_proc over the cgroup and every cgroup below it: a task running as
 * root may have made cgroups inside its leaf. */
static int for_each_proc_tree(int cgfd, int (*fn)(pid_t, void *), void *arg, unsigned *count,
			      sp_err_t *err)
{
	int dfd = openat(cgfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	cleanup_dir DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *de;
	unsigned below;

	if (!d) {
		sp_fd_close(dfd);
		return sp_err_set(err, errno, "listing a cgroup");
	}
	if (for_each_proc(cgfd, fn, arg, count, err) < 0)
		return -1;
	while ((de = readdir(d))) {
		cleanup_close int child = -1;
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		child = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (child >= 0 && for_each_proc_tree(child, fn, arg, &below, err) == 0)
			*count += below;
	}
	return 0;
}

static int send_sig(pid_t pid, void *arg)
{
	return kill(pid, *(int *)arg);
}

int sp_cg_signal_all(int cgfd, int sig, unsigned *count, sp_err_t *err)
{
	return for_each_proc_tree(cgfd, send_sig, &sig, count, err);
}

int sp_cg_count_procs(int cgfd, unsigned *count, sp_err_t *err)
{
	return for_each_proc_tree(cgfd, NULL, NULL, count, err);
}

/* Value of key in flat-keyed text ("user_usec 42\nsystem_usec 7\n"). */
static int find_key(const char *text, const char *key, uint64_t *value)
{
	size_t klen = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			*value = strtoull(p + klen + 1, NULL, 10);
			return 0;
		}
	}
	return -ENOENT;
}

static int read_small(int cgfd, const char *file, char *buf, size_t len)
{
	cleanup_close int fd = openat(cgfd, file, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || sp_pread_all(fd, buf, len) < 0)
		return -errno;
	return 0;
}

int sp_cg_read_key(int cgfd, const char *file, const char *key, uint64_t *value)
{
	char buf[2048];
	int r = read_small(cgfd, file, buf, sizeof(buf));

	return r < 0 ? r : find_key(buf, key, value);
}

int sp_cg_cpu_stat(int cgfd, sp_cpustat_t *st)
{
	char buf[1024];
	int r = read_small(cgfd, "cpu.stat", buf, sizeof(buf));

	if (r == 0)
		r = find_key(buf, "user_usec", &st->user_us);
	if (r == 0)
		r = find_key(buf, "system_usec", &st->system_us);
	return r;
}

int sp_cg_read_memory_peak(int cgfd, uint64_t *bytes)
{
	cleanup_close int fd = openat(cgfd, "memory.peak", O_RDONLY | O_CLOEXEC);
	char buf[32];

	if (fd < 0 || sp_pread_all(fd, buf, sizeof(buf)) < 0)
		return -errno;
	*bytes = strtoull(buf, NULL, 10);
	return 0;
}

int sp_cg_move_pid(int cgfd, pid_t pid, sp_err_t *err)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%d", pid);
	return sp_write_at(cgfd, "cgroup.procs", buf, err);
}

int sp_pool_name_parse(const char *name, pid_t *pid, unsigned long long *start)
{
	int consumed = 0;
	int p;

	if (sscanf(name, "sandpool-%d-%llu%n", &p, start, &consumed) != 2 || p <= 0 ||
	    (name[consumed] && strcmp(name + consumed, ".sup") != 0))
		return -EINVAL;
	*pid = p;
	return 0;
}

int sp_proc_start_time(pid_t pid, unsigned long long *start)
{
	char path[64], buf[1024], *p;
	cleanup_close int fd = -1;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || sp_pread_all(fd, buf, sizeof(buf)) < 0)
		return -errno;
	p = strrchr(buf, ')');
	if (!p)
		return -EINVAL;
	/* After ")": field 3 is state; starttime is field 22. */
	for (field = 2; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -EINVAL;
	*start = strtoull(p + 1, NULL, 10);
	return 0;
}

/* Wait until the cgroup's populated flag is 0 (POLLPRI on cgroup.events). */
int sp_cg_wait_empty(int cgfd, int timeout_ms)
{
	cleanup_close int ev = openat(cgfd, "cgroup.events", O_RDONLY | O_CLOEXEC);
	uint64_t deadline = sp_now_ns() + (uint64_t)timeout_ms * 1000000ull;
	bool populated = true;

	if (ev < 0)
		return -errno;
	for (;;) {
		struct pollfd pfd = {.fd = ev, .events = POLLPRI};
		uint64_t now;
		if (sp_cg_events_read(ev, &populated, NULL) < 0)
			return -errno;
		if (!populated)
			return 0;
		now = sp_now_ns();
		if (now >= deadline)
			return -ETIMEDOUT;
		if (poll(&pfd, 1, (int)((deadline - now) / 1000000ull) + 1) < 0 && errno != EINTR)
			return -errno;
	}
}
