/* template.h: the command template and its replacement strings, as in GNU
 * parallel: {} {.} {/} {//} {/.} {#} {%} and {N} {N.} {N/} {N//} {N/.} for
 * group N. Inputs go into argv words directly: no shell, no quoting issues. */
#ifndef SP_TEMPLATE_H
#define SP_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

typedef struct {
	size_t argc;
	char **argv;	   /* the template words (not owned) */
	bool *has_repl;	   /* per word: contains a replacement string */
	bool append_input; /* no replacement anywhere: append the inputs */
} sp_template_t;

int sp_template_init(sp_template_t *t, char **argv, size_t argc, sp_err_t *err);
void sp_template_free(sp_template_t *t);

/* Build a NULL-terminated argv for one task. Returns a single allocation
 * (pointer array followed by the strings): free() it once. */
char **sp_template_expand(const sp_template_t *t, const char **cols, size_t ncols,
			  unsigned long long seq, unsigned slot);

/* Expand one word (exposed for tests). Returns a malloc'd string. */
char *sp_template_expand_word(const char *word, const char **cols, size_t ncols,
			      unsigned long long seq, unsigned slot);

#endif
