/* template.c: expanding replacement strings into argv words. */
#include "config.h"
#include "template.h"

#include <stdio.h>
#include <string.h>

#include "input.h"
#include "util.h"

typedef struct {
	char *buf;
	size_t len, cap;
} sbuf_t;

static void sb_put(sbuf_t *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->buf = sp_xrealloc(b->buf, b->cap);
	}
	memcpy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

/* The part of value a modifier selects ("" . / // /.). */
static void put_modified(sbuf_t *b, const char *value, const char *mod)
{
	const char *slash = strrchr(value, '/');
	const char *base = slash ? slash + 1 : value;
	const char *dot;

	if (strcmp(mod, "/") == 0) {
		sb_put(b, base, strlen(base));
	} else if (strcmp(mod, "//") == 0) {
		if (!slash)
			sb_put(b, ".", 1);
		else
			sb_put(b, value, slash == value ? 1 : (size_t)(slash - value));
	} else if (strcmp(mod, ".") == 0 || strcmp(mod, "/.") == 0) {
		const char *from = mod[0] == '/' ? base : value;
		dot = strrchr(base, '.');
		sb_put(b, from, dot && dot != base ? (size_t)(dot - from) : strlen(from));
	} else {
		sb_put(b, value, strlen(value));
	}
}

static bool valid_mod(const char *mod)
{
	return !*mod || !strcmp(mod, ".") || !strcmp(mod, "/") || !strcmp(mod, "//") ||
	       !strcmp(mod, "/.");
}

/* Try to expand the replacement string "{inner}"; false if it is not one. */
static bool expand_one(sbuf_t *b, const char *inner, size_t n, const char **cols, size_t ncols,
		       unsigned long long seq, unsigned slot)
{
	char spec[16], tmp[32];
	size_t col = 0;
	char *mod = spec;

	if (n >= sizeof(spec))
		return false;
	memcpy(spec, inner, n);
	spec[n] = '\0';
	if (!strcmp(spec, "#") || !strcmp(spec, "%")) {
		snprintf(tmp, sizeof(tmp), "%llu", spec[0] == '#' ? seq : (unsigned long long)slot);
		sb_put(b, tmp, strlen(tmp));
		return true;
	}
	if (spec[0] >= '1' && spec[0] <= '9') {
		col = (size_t)(spec[0] - '0');
		mod = spec + 1;
		if (col > ncols)
			return false;
	}
	if (!valid_mod(mod))
		return false;
	if (col) {
		put_modified(b, cols[col - 1], mod);
		return true;
	}
	for (size_t i = 0; i < ncols; i++) {
		if (i)
			sb_put(b, " ", 1);
		put_modified(b, cols[i], mod);
	}
	return true;
}

char *sp_template_expand_word(const char *word, const char **cols, size_t ncols,
			      unsigned long long seq, unsigned slot)
{
	sbuf_t b = {0};
	const char *p = word;

	sb_put(&b, "", 0);
	while (*p) {
		const char *close = p[0] == '{' ? strchr(p + 1, '}') : NULL;
		if (close &&
		    expand_one(&b, p + 1, (size_t)(close - p - 1), cols, ncols, seq, slot)) {
			p = close + 1;
			continue;
		}
		sb_put(&b, p, 1);
		p++;
	}
	return b.buf;
}

static bool word_has_repl(const char *word)
{
	const char *cols[SP_INPUT_MAX_COLS];
	char *plain;
	bool differs;

	/* A word has a replacement if expanding it with a marker input changes it. */
	for (size_t i = 0; i < SP_ARRAY_SIZE(cols); i++)
		cols[i] = "\x01";
	plain = sp_template_expand_word(word, cols, SP_ARRAY_SIZE(cols), 0, 0);
	differs = strcmp(plain, word) != 0;
	free(plain);
	return differs;
}

int sp_template_init(sp_template_t *t, char **argv, size_t argc, sp_err_t *err)
{
	if (argc == 0)
		return sp_err_setk(err, SP_EK_USAGE, 0, "no command given");
	t->argc = argc;
	t->argv = argv;
	t->has_repl = sp_xcalloc(argc, sizeof(bool));
	t->append_input = true;
	for (size_t i = 0; i < argc; i++) {
		t->has_repl[i] = word_has_repl(argv[i]);
		if (t->has_repl[i])
			t->append_input = false;
	}
	return 0;
}

void sp_template_free(sp_template_t *t)
{
	free(t->has_repl);
	t->has_repl = NULL;
}

char **sp_template_expand(const sp_template_t *t, const char **cols, size_t ncols,
			  unsigned long long seq, unsigned slot)
{
	size_t n = t->argc + (t->append_input ? ncols : 0), total = (n + 1) * sizeof(char *);
	char *words[n];
	char **out, *p;

	for (size_t i = 0; i < n; i++) {
		if (i >= t->argc)
			words[i] = (char *)cols[i - t->argc];
		else if (t->has_repl[i])
			words[i] = sp_template_expand_word(t->argv[i], cols, ncols, seq, slot);
		else
			words[i] = t->argv[i];
		total += strlen(words[i]) + 1;
	}
	out = sp_xmalloc(total);
	p = (char *)(out + n + 1);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(words[i]) + 1;
		memcpy(p, words[i], len);
		out[i] = p;
		p += len;
		if (i < t->argc && t->has_repl[i])
			free(words[i]);
	}
	out[n] = NULL;
	return out;
}
