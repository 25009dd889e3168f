/* duration.c: systemd-style time spans to nanoseconds and back. */
#include "config.h"
#include "duration.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *suffix;
	uint64_t ns;
} units[] = {
    {"nsec", 1ull},
    {"ns", 1ull},
    {"usec", 1000ull},
    {"us", 1000ull},
    {"µs", 1000ull},
    {"msec", 1000000ull},
    {"ms", 1000000ull},
    {"seconds", 1000000000ull},
    {"second", 1000000000ull},
    {"sec", 1000000000ull},
    {"s", 1000000000ull},
    {"minutes", 60000000000ull},
    {"minute", 60000000000ull},
    {"min", 60000000000ull},
    {"m", 60000000000ull},
    {"hours", 3600000000000ull},
    {"hour", 3600000000000ull},
    {"hr", 3600000000000ull},
    {"h", 3600000000000ull},
    {"days", 86400000000000ull},
    {"day", 86400000000000ull},
    {"d", 86400000000000ull},
    {"weeks", 604800000000000ull},
    {"week", 604800000000000ull},
    {"w", 604800000000000ull},
};

/* Match the longest unit name at p; returns its length, 0 if none. */
static size_t match_unit(const char *p, uint64_t *mult)
{
	size_t best = 0;

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t n = strlen(units[i].suffix);
		if (n > best && strncmp(p, units[i].suffix, n) == 0 &&
		    !isalpha((unsigned char)p[n])) {
			best = n;
			*mult = units[i].ns;
		}
	}
	return best;
}

static int parse_component(const char **pp, const char *text, uint64_t *ns, sp_err_t *err)
{
	const char *p = *pp;
	char *end;
	double value;
	uint64_t mult = 1000000000ull;
	size_t ulen;

	if (!isdigit((unsigned char)*p) && *p != '.')
		return sp_err_setk(err, SP_EK_USAGE, 0,
				   "invalid duration \"%s\": expected a number at \"%s\"", text, p);
	errno = 0;
	value = strtod(p, &end);
	if (errno || end == p)
		return sp_err_setk(err, SP_EK_USAGE, 0, "invalid duration \"%s\"", text);
	p = end;
	while (*p == ' ')
		p++;
	if (*p && !isdigit((unsigned char)*p)) {
		ulen = match_unit(p, &mult);
		if (!ulen)
			return sp_err_setk(err, SP_EK_USAGE, 0,
					   "invalid duration \"%s\": unknown unit at \"%s\" "
					   "(use ns, us, ms, s, min, h, d, w)",
					   text, p);
		p += ulen;
	}
	if (value * (double)mult >= 1.8e19)
		return sp_err_setk(err, SP_EK_USAGE, 0, "duration \"%s\" is too large", text);
	*ns = (uint64_t)(value * (double)mult + 0.5);
	while (*p == ' ')
		p++;
	*pp = p;
	return 0;
}

int sp_duration_parse(const char *text, uint64_t *ns, sp_err_t *err)
{
	const char *p = text;
	uint64_t total = 0;

	while (*p == ' ')
		p++;
	if (strcmp(p, "infinity") == 0) {
		*ns = SP_DURATION_INFINITY;
		return 0;
	}
	if (!*p)
		return sp_err_setk(err, SP_EK_USAGE, 0, "empty duration");
	while (*p) {
		uint64_t part = 0;
		if (parse_component(&p, text, &part, err) < 0)
			return -1;
		if (total + part < total)
			return sp_err_setk(err, SP_EK_USAGE, 0, "duration \"%s\" is too large",
					   text);
		total += part;
	}
	*ns = total;
	return 0;
}

const char *sp_duration_format(uint64_t ns, char *buf, unsigned len)
{
	if (ns == SP_DURATION_INFINITY)
		snprintf(buf, len, "infinity");
	else if (ns >= 1000000000ull)
		snprintf(buf, len, "%gs", (double)ns / 1e9);
	else if (ns >= 1000000ull)
		snprintf(buf, len, "%gms", (double)ns / 1e6);
	else
		snprintf(buf, len, "%gus", (double)ns / 1e3);
	return buf;
}
