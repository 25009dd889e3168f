/* fuzz_policy.c: libFuzzer target for the policy parser: any bytes as a policy
 * file must give a policy or an error, never a crash, leak or hang; a policy
 * that loads must also build its child plan (the seccomp compiler). */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	sp_policy_t *p = NULL;
	sp_child_plan_t plan;
	sp_err_t err;
	char *envp[] = {NULL};
	int fd = memfd_create("policy.ini", MFD_CLOEXEC);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		if (sp_policy_load(path, &p, &err) == 0) {
			if (sp_child_plan_prepare(p, envp, &plan, &err) == 0)
				sp_child_plan_release(&plan);
			sp_policy_free(p);
		}
	}
	close(fd);
	return 0;
}
