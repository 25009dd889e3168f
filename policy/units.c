/* units.c: parsing and printing the value syntaxes of systemd's resource and exec
 * settings: sizes, percentages, infinity, booleans, umasks, rlimits. */
#include "config.h"
#include "policy/units.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "executor/duration.h"
#include "policy/policy.h"

int sp_parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"yes", "true", "on", "1", "y", "t"};
	static const char *const no[] = {"no", "false", "off", "0", "n", "f"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* A decimal number without sign or exponent: digits, optionally '.' digits. */
static int parse_decimal(const char *s, double *v, const char **end)
{
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	*v = strtod(s, NULL);
	*end = p;
	return 0;
}

static const char suffixes[] = "KMGTPE";

int sp_parse_size(const char *s, uint64_t *out)
{
	const char *end;
	double v, mult = 1;

	if (parse_decimal(s, &v, &end) < 0)
		return -1;
	if (*end) {
		const char *hit = strchr(suffixes, *end);
		if (!hit || end[1])
			return -1;
		for (const char *q = suffixes; q <= hit; q++)
			mult *= 1024;
	}
	v *= mult;
	if (v >= 9.2e18)
		return -1;
	if (mult == 1 && strchr(s, '.'))
		return -1; /* fractional bytes */
	*out = (uint64_t)v;
	return 0;
}

static int parse_percent(const char *s, double *pct)
{
	const char *end;

	if (parse_decimal(s, pct, &end) < 0 || strcmp(end, "%") != 0)
		return -1;
	return 0;
}

int sp_parse_memory(const char *s, bool percent, int64_t *out)
{
	uint64_t bytes;
	double pct;

	if (strcmp(s, "infinity") == 0) {
		*out = SP_INFINITY;
		return 0;
	}
	if (percent && strchr(s, '%')) {
		long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
		if (parse_percent(s, &pct) < 0 || pct > 100 || pages <= 0 || psz <= 0)
			return -1;
		*out = (int64_t)((double)pages * (double)psz * pct / 100.0);
		return 0;
	}
	if (sp_parse_size(s, &bytes) < 0)
		return -1;
	*out = (int64_t)bytes;
	return 0;
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

int sp_parse_tasks(const char *s, int64_t *out)
{
	uint64_t v;

	if (strcmp(s, "infinity") == 0) {
		*out = SP_INFINITY;
		return 0;
	}
	if (parse_u64(s, INT32_MAX, &v) < 0 || v < 1)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int sp_parse_cpu_quota(const char *s, int64_t *quota_us)
{
	double pct;
	const char *dot = strchr(s, '.');

	if (parse_percent(s, &pct) < 0 || pct <= 0 || pct > 1e6)
		return -1;
	if (dot && strlen(dot) > 4) /* at most two decimals, as systemd */
		return -1;
	*quota_us = (int64_t)(pct * 1000.0 + 0.5);
	return 0;
}

int sp_parse_cpu_weight(const char *s, int64_t *out)
{
	uint64_t v;

	if (parse_u64(s, 10000, &v) < 0 || v < 1)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int sp_parse_umask(const char *s, mode_t *out)
{
	char *end;
	unsigned long v;

	if (!*s || strspn(s, "01234567") != strlen(s))
		return -1;
	v = strtoul(s, &end, 8);
	if (v > 0777)
		return -1;
	*out = (mode_t)v;
	return 0;
}

int sp_parse_id(const char *s, uint32_t *out)
{
	uint64_t v;

	if (parse_u64(s, 4294967294u, &v) < 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int parse_rlim_value(const char *s, sp_rlimit_unit_t unit, rlim_t *out)
{
	uint64_t v = 0;
	sp_err_t ignored;

	if (strcmp(s, "infinity") == 0) {
		*out = RLIM_INFINITY;
		return 0;
	}
	switch (unit) {
	case SP_RL_COUNT:
		if (parse_u64(s, UINT64_MAX - 1, &v) < 0)
			return -1;
		break;
	case SP_RL_BYTES:
		if (sp_parse_size(s, &v) < 0)
			return -1;
		break;
	case SP_RL_SEC:
	case SP_RL_USEC:
		if (!isdigit((unsigned char)*s) || sp_duration_parse(s, &v, &ignored) < 0 ||
		    v == SP_DURATION_INFINITY)
			return -1;
		/* round up, as systemd: LimitCPU=500ms is 1 s, not 0 */
		v = unit == SP_RL_SEC ? (v + 999999999ull) / 1000000000ull : (v + 999ull) / 1000ull;
		break;
	}
	*out = (rlim_t)v;
	return 0;
}

int sp_parse_rlimit(const char *s, sp_rlimit_unit_t unit, struct rlimit *out)
{
	const char *colon = strchr(s, ':');
	char soft[64];

	if (!colon) {
		if (parse_rlim_value(s, unit, &out->rlim_cur) < 0)
			return -1;
		out->rlim_max = out->rlim_cur;
		return 0;
	}
	if ((size_t)(colon - s) >= sizeof(soft))
		return -1;
	memcpy(soft, s, (size_t)(colon - s));
	soft[colon - s] = '\0';
	if (parse_rlim_value(soft, unit, &out->rlim_cur) < 0 ||
	    parse_rlim_value(colon + 1, unit, &out->rlim_max) < 0)
		return -1;
	return 0;
}

const char *sp_format_size(uint64_t bytes, char *buf, size_t len)
{
	int i = -1;

	while (i + 1 < 6 && bytes >= 1024 && bytes % 1024 == 0) {
		bytes /= 1024;
		i++;
	}
	if (i < 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)bytes, suffixes[i]);
	return buf;
}

const char *sp_format_rlim(rlim_t v, sp_rlimit_unit_t unit, char *buf, size_t len)
{
	if (v == RLIM_INFINITY)
		snprintf(buf, len, "infinity");
	else if (unit == SP_RL_BYTES)
		sp_format_size((uint64_t)v, buf, len);
	else if (unit == SP_RL_SEC)
		snprintf(buf, len, "%llus", (unsigned long long)v);
	else if (unit == SP_RL_USEC)
		snprintf(buf, len, "%lluus", (unsigned long long)v);
	else
		snprintf(buf, len, "%llu", (unsigned long long)v);
	return buf;
}
