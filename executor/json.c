/* json.c: JSON text building with correct string escaping. */
#include "config.h"
#include "json.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

void sp_json_init(sp_json_t *j)
{
	j->cap = 256;
	j->buf = sp_xmalloc(j->cap);
	j->len = 0;
	j->buf[0] = '\0';
	j->need_comma = 0;
}

void sp_json_free(sp_json_t *j)
{
	free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

static void put(sp_json_t *j, const char *s, size_t n)
{
	if (j->len + n + 1 > j->cap) {
		while (j->len + n + 1 > j->cap)
			j->cap *= 2;
		j->buf = sp_xrealloc(j->buf, j->cap);
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
	j->buf[j->len] = '\0';
}

static void putc_(sp_json_t *j, char c)
{
	put(j, &c, 1);
}

/* Length of a valid UTF-8 sequence starting at s, 0 if invalid: no overlong
 * forms, no surrogates, nothing above U+10FFFF (RFC 3629). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* above U+10FFFF */
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static void escape_byte(sp_json_t *j, unsigned char c)
{
	char tmp[8];

	switch (c) {
	case '"':
		put(j, "\\\"", 2);
		break;
	case '\\':
		put(j, "\\\\", 2);
		break;
	case '\n':
		put(j, "\\n", 2);
		break;
	case '\r':
		put(j, "\\r", 2);
		break;
	case '\t':
		put(j, "\\t", 2);
		break;
	case '\b':
		put(j, "\\b", 2);
		break;
	case '\f':
		put(j, "\\f", 2);
		break;
	default:
		snprintf(tmp, sizeof(tmp), "\\u%04x", c);
		put(j, tmp, 6);
	}
}

void sp_json_escape(sp_json_t *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	putc_(j, '"');
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 1 && *p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f) {
			putc_(j, (char)*p);
		} else if (n > 1) {
			put(j, (const char *)p, n);
		} else {
			escape_byte(j, *p);
			n = 1;
		}
		p += n;
	}
	putc_(j, '"');
}

static void comma(sp_json_t *j)
{
	if (j->need_comma)
		putc_(j, ',');
	j->need_comma = 1;
}

void sp_json_begin(sp_json_t *j, char open)
{
	comma(j);
	putc_(j, open);
	j->need_comma = 0;
}

void sp_json_end(sp_json_t *j, char close)
{
	putc_(j, close);
	j->need_comma = 1;
}

void sp_json_key(sp_json_t *j, const char *key)
{
	comma(j);
	if (key) {
		sp_json_escape(j, key);
		putc_(j, ':');
	}
	j->need_comma = 0;
}

void sp_json_str(sp_json_t *j, const char *key, const char *value)
{
	sp_json_key(j, key);
	if (value)
		sp_json_escape(j, value);
	else
		put(j, "null", 4);
	j->need_comma = 1;
}

void sp_json_int(sp_json_t *j, const char *key, int64_t value)
{
	char tmp[32];

	sp_json_key(j, key);
	put(j, tmp, (size_t)snprintf(tmp, sizeof(tmp), "%lld", (long long)value));
	j->need_comma = 1;
}

void sp_json_num(sp_json_t *j, const char *key, double value)
{
	char tmp[32];

	sp_json_key(j, key);
	put(j, tmp, (size_t)snprintf(tmp, sizeof(tmp), "%.6f", value));
	j->need_comma = 1;
}

void sp_json_bool(sp_json_t *j, const char *key, int value)
{
	sp_json_key(j, key);
	put(j, value ? "true" : "false", value ? 4 : 5);
	j->need_comma = 1;
}

void sp_json_null(sp_json_t *j, const char *key)
{
	sp_json_key(j, key);
	put(j, "null", 4);
	j->need_comma = 1;
}
