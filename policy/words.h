/* words.h: splitting a setting's value into words as systemd does for lists
 * (whitespace separated; "double" and 'single' quotes; C escapes such as \n, \t, \\, \"). */
#ifndef SP_POLICY_WORDS_H
#define SP_POLICY_WORDS_H

#include <stddef.h>

/* Split S into a NULL-terminated malloc'd array of malloc'd words (*n of them). Returns 0,
 * or -1 with *why set to a static description (unbalanced quote, bad escape). */
int sp_words_split(const char *s, char ***words, size_t *n, const char **why);
void sp_words_free(char **words);
/* Append a word, quoted when needed, to a printed list. */
void sp_word_quote(const char *w, char *buf, size_t len);

#endif
