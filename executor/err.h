/* err.h: the error convention shared by every module.
 * A failing function fills an sp_err_t once (errno + message) and returns < 0;
 * callers may prefix context; only main() prints. */
#ifndef SP_ERR_H
#define SP_ERR_H

#include <stddef.h>

/* What kind of failure it was: it selects the process exit status in main. */
typedef enum {
	SP_EK_NONE = 0,
	SP_EK_SYSTEM,	/* a syscall failed on this host */
	SP_EK_USAGE,	/* the command line is wrong */
	SP_EK_POLICY,	/* a policy file is invalid */
	SP_EK_CGROUP,	/* containment was demanded but cannot be had */
	SP_EK_INTERNAL, /* a bug */
} sp_err_kind_t;

typedef struct {
	int errnum; /* errno value, 0 when not from a syscall */
	sp_err_kind_t kind;
	char msg[1024];
} sp_err_t;

/* Set the error (errnum may be 0); always returns -1 (or -errnum if nonzero). */
int sp_err_set(sp_err_t *err, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same with an explicit kind. */
int sp_err_setk(sp_err_t *err, sp_err_kind_t kind, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefix "context: " to an existing message; returns the same value as sp_err_set. */
int sp_err_prefix(sp_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append a hint on a new line ("  hint: ..."). */
void sp_err_hint(sp_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Full text: message plus ": strerror(errnum)" when errnum is set. */
const char *sp_err_text(const sp_err_t *err, char *buf, size_t len);
void sp_err_clear(sp_err_t *err);

#endif
