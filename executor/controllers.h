/* controllers.h: making the controllers a policy needs (memory, pids, cpu)
 * available in the worker leaves, or refusing with the controller, the cgroup
 * and the fix; or, when the user opted in, degrading and saying so. */
#ifndef SP_CONTROLLERS_H
#define SP_CONTROLLERS_H

#include <stdbool.h>

#include "containment.h"
#include "err.h"
#include "policy/policy.h"

/* Enable the controllers in `needed` (SP_CTRL_* mask) for the pool's leaves.
 * Missing ones are an error (SP_EK_POLICY) unless degrade; then *missing gets
 * them. first_key names the policy key that asked, for the message. */
int sp_controllers_prepare(sp_containment_t *c, const sp_policy_t *policy, bool degrade,
			   unsigned *missing, sp_err_t *err);
/* Disable the controllers in mask in cgfd's subtree_control (best effort: a
 * controller still used below stays). */
void sp_controllers_disable(int cgfd, unsigned mask);
/* Comma-separated names of the controllers in mask ("memory,pids"). */
const char *sp_controllers_names(unsigned mask, char *buf, size_t len);

#endif
