/* util.h: cleanup attributes and small fd helpers used everywhere.
 * Every fd this project opens is O_CLOEXEC; these helpers enforce that. */
#ifndef SP_UTIL_H
#define SP_UTIL_H

#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include "err.h"

void sp_freep(void *p);
void sp_closep(int *fd);
void sp_fclosep(FILE **f);
void sp_closedirp(DIR **d);

#define cleanup_free   __attribute__((cleanup(sp_freep)))
#define cleanup_close  __attribute__((cleanup(sp_closep)))
#define cleanup_fclose __attribute__((cleanup(sp_fclosep)))
#define cleanup_dir    __attribute__((cleanup(sp_closedirp)))

#define SP_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Close preserving errno; ignores fd < 0. */
void sp_fd_close(int fd);
/* Return the fd and set *fdp to -1 (hand ownership out of a cleanup variable). */
int sp_steal_fd(int *fdp);
void *sp_steal_ptr(void *pp);

/* Read a whole small file below dirfd into buf (NUL-terminated). Returns bytes or < 0. */
ssize_t sp_read_at(int dirfd, const char *name, char *buf, size_t len, sp_err_t *err);
/* Write a string to a file below dirfd with one write(). Returns 0 or < 0. */
int sp_write_at(int dirfd, const char *name, const char *value, sp_err_t *err);
/* pread the content of an open fd from offset 0 (a short read ends it: for
 * kernel files, which return all they have at once). */
ssize_t sp_pread_all(int fd, char *buf, size_t len);
/* write(2) all bytes, retrying on EINTR and short writes. */
int sp_write_all(int fd, const void *buf, size_t len);

/* Allocation that aborts on failure: memory exhaustion in the coordinator is not recoverable. */
void *sp_xmalloc(size_t n);
void *sp_xcalloc(size_t n, size_t size);
void *sp_xrealloc(void *p, size_t n);
char *sp_xstrdup(const char *s);
char *sp_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Is word one of the space-separated words of list ("cpuset cpu io")? */
bool sp_word_in(const char *list, const char *word);

/* Monotonic clock in nanoseconds. */
uint64_t sp_now_ns(void);

#endif
