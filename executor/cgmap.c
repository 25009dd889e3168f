/* cgmap.c: controller locations from libcgroup's mount table. libcgroup 2.0
 * lists v1 controllers and the v2 mount only through its enabled controllers
 * (it cannot name our own v2 cgroup on a hybrid host: see tests), so v2
 * discovery itself is done in cgroup.c from /proc. */
#include "config.h"
#include "cgmap.h"

#include <libcgroup.h>
#include <stdio.h>
#include <string.h>

void sp_cgmap_load(sp_cgmap_t *m, const char *v2_mount)
{
	struct cgroup_mount_point mp;
	void *h = NULL;
	int r;

	memset(m, 0, sizeof(*m));
	r = cgroup_init();
	if (r) {
		snprintf(m->why, sizeof(m->why), "libcgroup: %s", cgroup_strerror(r));
		return;
	}
	for (r = cgroup_get_controller_begin(&h, &mp); r == 0 && m->n < 64;
	     r = cgroup_get_controller_next(&h, &mp)) {
		sp_cgmap_entry_t *e = &m->e[m->n++];
		snprintf(e->name, sizeof(e->name), "%s", mp.name);
		snprintf(e->path, sizeof(e->path), "%s", mp.path);
		e->v2 = v2_mount && strcmp(mp.path, v2_mount) == 0;
	}
	if (h)
		cgroup_get_controller_end(&h);
	m->ok = true;
}

const sp_cgmap_entry_t *sp_cgmap_find(const sp_cgmap_t *m, const char *controller)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->e[i].name, controller) == 0)
			return &m->e[i];
	return NULL;
}

void sp_cgmap_explain(const sp_cgmap_t *m, const char *controller, char *buf, size_t len)
{
	const sp_cgmap_entry_t *e = m->ok ? sp_cgmap_find(m, controller) : NULL;

	if (!e && m->ok && strcmp(controller, "io") == 0)
		e = sp_cgmap_find(m, "blkio"); /* its v1 name */

	if (e && !e->v2)
		snprintf(
		    buf, len,
		    "the %s controller is bound to a cgroup v1 hierarchy (%s) on this host, so "
		    "cgroup v2 cannot use it; boot with systemd.unified_cgroup_hierarchy=1 "
		    "(or cgroup_no_v1=%s) to move it to v2",
		    controller, e->path, controller);
	else if (e)
		snprintf(buf, len,
			 "the %s controller is in cgroup v2 but not enabled for this subtree; "
			 "enable it in cgroup.subtree_control of each ancestor (for systemd units: "
			 "Delegate=yes or Delegate=%s)",
			 controller, controller);
	else if (m->ok)
		snprintf(buf, len,
			 "the %s controller is not available in this kernel or not mounted",
			 controller);
	else
		snprintf(buf, len, "the %s controller could not be located (%s)", controller,
			 m->why);
}
