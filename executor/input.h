/* input.h: the task inputs: one or more ":::" groups (their cartesian product,
 * as GNU parallel) or one input per line from a file descriptor. */
#ifndef SP_INPUT_H
#define SP_INPUT_H

#include <stddef.h>

#include "err.h"

#define SP_INPUT_MAX_COLS 9

typedef struct {
	size_t ncols;			/* number of ::: groups (1 for lines) */
	char **col[SP_INPUT_MAX_COLS];	/* each group's values */
	size_t ncol[SP_INPUT_MAX_COLS]; /* each group's size */
	size_t count;			/* product of the sizes */
	char *storage;			/* backing text for line input */
} sp_inputs_t;

void sp_inputs_init(sp_inputs_t *in);
void sp_inputs_free(sp_inputs_t *in);
/* Add a ":::" group of values (pointers kept, not copied). */
int sp_inputs_add_group(sp_inputs_t *in, char **values, size_t n, sp_err_t *err);
/* Read all of fd, one input per line (a final line without \n counts; a
 * trailing \r is kept: inputs are bytes). sep is '\n' or '\0' (-0). */
int sp_inputs_read_fd(sp_inputs_t *in, int fd, char sep, sp_err_t *err);
/* Fill cols[0..ncols) for input number idx (0-based; last group varies fastest). */
void sp_inputs_get(const sp_inputs_t *in, size_t idx, const char **cols);

#endif
