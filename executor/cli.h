/* cli.h: the command line of `sandpool run` and `sandpool exec`, parsed into
 * pool options. No side effects beyond reading stdin inputs. */
#ifndef SP_CLI_H
#define SP_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "input.h"
#include "pool.h"
#include "template.h"

typedef struct {
	bool exec; /* sandpool exec */
	bool help, version;
	bool null_sep; /* -0: stdin inputs are NUL-separated */
	bool timeout_given, grace_given;
	const char *policy_arg;
	sp_pool_opts_t pool;
	sp_inputs_t inputs;
	sp_template_t tmpl;
	char **cmd;
	size_t ncmd;
} sp_cli_t;

/* Parse argv (argv[0] is "run" or "exec"). Reads stdin for inputs when run has
 * no ":::". Returns 0 or < 0 with err (kind SP_EK_USAGE for usage errors). */
int sp_cli_parse(sp_cli_t *c, int argc, char **argv, sp_err_t *err);
void sp_cli_free(sp_cli_t *c);
void sp_cli_usage(FILE *out);

#endif
