/* util.c: cleanup helpers, fd-relative small-file I/O, allocation. */
#include "config.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void sp_freep(void *p)
{
	free(*(void **)p);
}

void sp_fd_close(int fd)
{
	int saved = errno;

	if (fd >= 0)
		close(fd);
	errno = saved;
}

void sp_closep(int *fd)
{
	sp_fd_close(*fd);
}

void sp_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

void sp_closedirp(DIR **d)
{
	if (*d)
		closedir(*d);
}

int sp_steal_fd(int *fdp)
{
	int fd = *fdp;

	*fdp = -1;
	return fd;
}

void *sp_steal_ptr(void *pp)
{
	void *p = *(void **)pp;

	*(void **)pp = NULL;
	return p;
}

ssize_t sp_pread_all(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got + 1 < len) {
		size_t want = len - 1 - got;
		ssize_t n = pread(fd, buf + got, want, (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		got += (size_t)n;
		/* Kernel files (cgroup, proc) hand out what they have in one read: a
		 * short read is the end, no need for a second, empty one. */
		if ((size_t)n < want)
			break;
	}
	buf[got] = '\0';
	return (ssize_t)got;
}

ssize_t sp_read_at(int dirfd, const char *name, char *buf, size_t len, sp_err_t *err)
{
	cleanup_close int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return sp_err_set(err, errno, "opening %s", name);
	n = sp_pread_all(fd, buf, len);
	if (n < 0)
		return sp_err_set(err, errno, "reading %s", name);
	return n;
}

int sp_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sp_write_at(int dirfd, const char *name, const char *value, sp_err_t *err)
{
	cleanup_close int fd = openat(dirfd, name, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return sp_err_set(err, errno, "opening %s", name);
	if (sp_write_all(fd, value, strlen(value)) < 0)
		return sp_err_set(err, errno, "writing \"%s\" to %s", value, name);
	return 0;
}

void *sp_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

void *sp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

void *sp_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

char *sp_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}

char *sp_xasprintf(const char *fmt, ...)
{
	char *s;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0)
		abort();
	return s;
}

uint64_t sp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

bool sp_word_in(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\n' || !p[n]))
			return true;
	return false;
}
