/* syscall_groups.h: the named syscall groups (@system-service, @mount, ...) and
 * the list of syscall names sandpool knows (@known). */
#ifndef SP_POLICY_SYSCALL_GROUPS_H
#define SP_POLICY_SYSCALL_GROUPS_H

#include <stddef.h>

typedef struct {
	const char *name; /* "@mount" */
	const char *help;
	const char *const *members; /* syscall names and "@group" references, NULL-terminated */
} sp_syscall_group_t;

/* All groups, in the order systemd lists them. */
size_t sp_syscall_groups(const sp_syscall_group_t **out);
/* The group NAME ("@mount"), or NULL. */
const sp_syscall_group_t *sp_syscall_group(const char *name);

typedef void (*sp_syscall_cb)(const char *syscall, void *ud);
/* Call CB for every syscall in group NAME, following references (a syscall reached by two
 * paths is reported twice). Returns 0, or -1 if NAME is not a group. */
int sp_syscall_group_expand(const char *name, sp_syscall_cb cb, void *ud);

/* The static spelling of NAME if one of the groups names it, else NULL. */
const char *sp_syscall_known(const char *name);

#endif
