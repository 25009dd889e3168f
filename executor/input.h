/* input.h: the task inputs: one or more ":::" groups (their cartesian product,
 * as GNU parallel) or one input per line from a file descriptor. */
#ifndef SP_INPUT_H
#define SP_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

#define SP_INPUT_MAX_COLS 9

typedef struct {
	size_t ncols;			/* number of ::: groups (1 for lines) */
	char **col[SP_INPUT_MAX_COLS];	/* each group's values */
	size_t ncol[SP_INPUT_MAX_COLS]; /* each group's size */
	size_t count;			/* product of the sizes (grows while streaming) */
	/* Lines read as they come: col[0] holds copies we own. */
	bool lines;
	int fd;	    /* the stream, -1 once at its end (or when not streaming) */
	char sep;   /* '\n', or '\0' for -0 */
	size_t cap; /* capacity of col[0] */
	char *partial;
	size_t plen, pcap; /* an unfinished last line */
} sp_inputs_t;

void sp_inputs_init(sp_inputs_t *in);
void sp_inputs_free(sp_inputs_t *in);
/* Add a ":::" group of values (pointers kept, not copied). */
int sp_inputs_add_group(sp_inputs_t *in, char **values, size_t n, sp_err_t *err);
/* Take inputs from fd, one per line, as they come (a final line without a
 * separator counts; a trailing \r is kept: inputs are bytes). sep is '\n' or
 * '\0' (-0). The fd is not owned. */
void sp_inputs_stream(sp_inputs_t *in, int fd, char sep);
/* One read(2) from the stream: 1 at its end (fd becomes -1), 0 if more may
 * come, < 0 on error. */
int sp_inputs_stream_read(sp_inputs_t *in, sp_err_t *err);
/* Read all of fd, one input per line (sp_inputs_stream to the end). */
int sp_inputs_read_fd(sp_inputs_t *in, int fd, char sep, sp_err_t *err);
/* Fill cols[0..ncols) for input number idx (0-based; last group varies fastest). */
void sp_inputs_get(const sp_inputs_t *in, size_t idx, const char **cols);

#endif
