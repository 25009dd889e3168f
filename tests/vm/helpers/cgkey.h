/* cgkey.h: reading one key of the caller's own cgroup file, for the VM's static
 * helpers (header-only: each helper is one static binary built from one .c). */
#ifndef SP_VM_CGKEY_H
#define SP_VM_CGKEY_H

#include <stdio.h>
#include <string.h>

/* Print "PREFIX KEY VALUE" from FILE of the caller's own cgroup (v2 at /sys/fs/cgroup). */
static inline void print_own_cgroup_key(const char *prefix, const char *file, const char *key)
{
	char line[4096], path[4200], k[64];
	unsigned long long v;
	FILE *f = fopen("/proc/self/cgroup", "re");

	if (f == NULL) {
		return;
	}
	if (fgets(line, sizeof(line), f) == NULL || strncmp(line, "0::", 3) != 0) {
		fclose(f);
		return;
	}
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	snprintf(path, sizeof(path), "/sys/fs/cgroup%s/%s", line + 3, file);
	f = fopen(path, "re");
	if (f == NULL) {
		return;
	}
	while (fscanf(f, "%63s %llu", k, &v) == 2) {
		if (strcmp(k, key) == 0) {
			printf("%s %s %s %llu\n", prefix, file, key, v);
		}
	}
	fclose(f);
}

#endif
