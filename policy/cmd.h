/* cmd.h: the `sandpool policy` command (check, show, syscalls). */
#ifndef SP_POLICY_CMD_H
#define SP_POLICY_CMD_H

#include "executor/err.h"

/* argv[0] is "policy"; argv[1] the subcommand. Prints to stdout; returns 0, or < 0 with
 * err set (kind SP_EK_USAGE for a bad command line, SP_EK_POLICY for an invalid policy). */
int sp_policy_cmd(int argc, char **argv, sp_err_t *err);

#endif
