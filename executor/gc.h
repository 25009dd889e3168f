/* gc.h: removing the pool cgroups of coordinators that died (their pid is gone
 * or now belongs to a process with another start time). */
#ifndef SP_GC_H
#define SP_GC_H

#include <stdbool.h>

#include "err.h"

/* Is the pool named name owned by a live coordinator? */
bool sp_gc_pool_is_live(const char *name);
/* Destroy dead pools directly below base_fd. Returns how many were removed, or
 * < 0 on error (err filled; removal continues past single failures). */
int sp_gc_base(int base_fd, const char *base_path, sp_err_t *err);
/* The `sandpool gc [--cgroup=PATH] [-v]` command. */
int sp_gc_cmd(int argc, char **argv, sp_err_t *err);

#endif
