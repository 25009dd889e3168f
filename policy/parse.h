/* parse.h: internal interface between the reader/dispatcher (parse.c), the per-key
 * setters (keys.c, keys_seccomp.c) and the checks across keys (finish.c). */
#ifndef SP_POLICY_PARSE_H
#define SP_POLICY_PARSE_H

#include "policy/model.h"

typedef struct sp_parse sp_parse_t;

/* A setter stores VALUE (already known non-empty or empty) into the policy. On a bad
 * value it writes what is wrong into why[] and returns -1. */
typedef int (*sp_key_set_fn)(sp_policy_t *p, const char *key, const char *value, char *why,
			     size_t whylen);

typedef struct {
	const char *section;
	const char *key; /* NULL: matches every Limit*= key */
	sp_key_id_t id;
	sp_key_set_fn set;
	const char *accepted;
} sp_key_t;

/* Write what is wrong into why[]; returns -1. */
int sp_why(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Setters of [Seccomp] (keys_seccomp.c). */
int sp_key_set_syscall_filter(sp_policy_t *p, const char *key, const char *v, char *why,
			      size_t whylen);
int sp_key_set_archs(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen);
int sp_key_set_sc_errno(sp_policy_t *p, const char *key, const char *v, char *why, size_t whylen);
int sp_key_set_restrict_af(sp_policy_t *p, const char *key, const char *v, char *why,
			   size_t whylen);

/* The key KEY of SECTION, or NULL. */
const sp_key_t *sp_key_find(const char *section, const char *key);
/* Keys of SECTION, comma separated, for messages. */
void sp_keys_text(const char *section, char *buf, size_t len);
/* Is SECTION one of ours? */
bool sp_section_known(const char *section);
#define SP_SECTIONS_TEXT "[Resources], [Timeouts], [Exec], [Seccomp]"

/* Checks across keys after the whole file is read (MemoryHigh= above MemoryMax=, ...);
 * resolves Group=/SupplementaryGroups=. Returns 0 or -1 with err set. */
int sp_policy_finish(sp_policy_t *p, const char *name, sp_err_t *err);

#endif
