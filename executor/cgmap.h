/* cgmap.h: where each controller lives on this host (cgroup v1 hierarchy, v2,
 * or nowhere), read through libcgroup; used to explain a missing controller. */
#ifndef SP_CGMAP_H
#define SP_CGMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

typedef struct {
	char name[32];
	char path[4096];
	bool v2; /* the mount is the cgroup2 one */
} sp_cgmap_entry_t;

typedef struct {
	size_t n;
	sp_cgmap_entry_t e[64];
	bool ok; /* libcgroup initialised and answered */
	char why[256];
} sp_cgmap_t;

/* Ask libcgroup for every mounted controller; v2_mount tells which is v2. */
void sp_cgmap_load(sp_cgmap_t *m, const char *v2_mount);
const sp_cgmap_entry_t *sp_cgmap_find(const sp_cgmap_t *m, const char *controller);
/* A sentence on why controller is not usable in cgroup v2 and what to do. */
void sp_cgmap_explain(const sp_cgmap_t *m, const char *controller, char *buf, size_t len);

#endif
