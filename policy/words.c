/* words.c: systemd's word syntax for list settings: whitespace separates words,
 * quotes group them, C escapes work inside and outside quotes. */
#include "config.h"
#include "policy/words.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executor/util.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escape at *pp (just after the backslash) into *out; advance *pp. */
static int unescape(const char **pp, char *out)
{
	static const char from[] = "abfnrtv\\\"' s";
	static const char to[] = "\a\b\f\n\r\t\v\\\"'  ";
	const char *p = *pp, *hit;
	int hi, lo;

	if (*p == 'x') {
		hi = hexval(p[1]);
		lo = hi < 0 ? -1 : hexval(p[2]);
		if (lo < 0 || (hi == 0 && lo == 0))
			return -1;
		*out = (char)(hi * 16 + lo);
		*pp = p + 3;
		return 0;
	}
	if (!*p || !(hit = strchr(from, *p)))
		return -1;
	*out = to[hit - from];
	*pp = p + 1;
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Extract one word starting at *pp (not at a space) into buf. */
static int one_word(const char **pp, char *buf, const char **why)
{
	const char *p = *pp;
	char quote = 0;
	size_t o = 0;

	while (*p && (quote || !is_space(*p))) {
		char c = *p++;
		if (quote && c == quote) {
			quote = 0;
			continue;
		}
		if (!quote && (c == '"' || c == '\'')) {
			quote = c;
			continue;
		}
		if (c == '\\' && unescape(&p, &c) < 0) {
			*why = "unknown escape sequence after '\\'";
			return -1;
		}
		buf[o++] = c;
	}
	if (quote) {
		*why = "unbalanced quotes";
		return -1;
	}
	buf[o] = '\0';
	*pp = p;
	return 0;
}

int sp_words_split(const char *s, char ***words, size_t *n, const char **why)
{
	size_t cap = 4, count = 0;
	char **v = sp_xcalloc(cap, sizeof(char *));
	char *buf = sp_xmalloc(strlen(s) + 1);

	for (;;) {
		while (is_space(*s))
			s++;
		if (!*s)
			break;
		if (one_word(&s, buf, why) < 0) {
			free(buf);
			sp_words_free(v);
			return -1;
		}
		if (count + 1 >= cap) {
			cap *= 2;
			v = sp_xrealloc(v, cap * sizeof(char *));
		}
		v[count++] = sp_xstrdup(buf);
		v[count] = NULL;
	}
	free(buf);
	*words = v;
	*n = count;
	return 0;
}

void sp_words_free(char **words)
{
	if (!words)
		return;
	for (char **w = words; *w; w++)
		free(*w);
	free(words);
}

void sp_word_quote(const char *w, char *buf, size_t len)
{
	size_t o = 0;
	bool plain = *w && strpbrk(w, " \t\n\r\"'\\") == NULL;

	if (plain) {
		snprintf(buf, len, "%s", w);
		return;
	}
	if (o + 1 < len)
		buf[o++] = '"';
	for (; *w && o + 4 < len; w++) {
		const char *esc = NULL;
		switch (*w) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\t':
			esc = "\\t";
			break;
		case '\r':
			esc = "\\r";
			break;
		default:
			break;
		}
		if (esc) {
			memcpy(buf + o, esc, 2);
			o += 2;
		} else {
			buf[o++] = *w;
		}
	}
	buf[o++] = '"';
	buf[o] = '\0';
}
