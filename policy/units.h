/* units.h: the value syntaxes of systemd's resource and exec settings (sizes with
 * K/M/G/T, percentages, infinity, booleans, umasks, rlimits). Pure functions: no errors
 * are formatted here, the parser says what is wrong and what is accepted. */
#ifndef SP_POLICY_UNITS_H
#define SP_POLICY_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "policy/names.h"

/* yes/no, true/false, on/off, 1/0. */
int sp_parse_bool(const char *s, bool *out);
/* "512", "1.5G" (base 1024; suffixes K M G T P E); no sign, no "infinity". */
int sp_parse_size(const char *s, uint64_t *out);
/* A size, "infinity" (SP_INFINITY) or, when PERCENT, "N%" of physical memory. */
int sp_parse_memory(const char *s, bool percent, int64_t *out);
/* TasksMax=: N >= 1 or infinity. */
int sp_parse_tasks(const char *s, int64_t *out);
/* CPUQuota=: "N%" or "N.NN%", > 0; microseconds per 100 ms period. */
int sp_parse_cpu_quota(const char *s, int64_t *quota_us);
/* CPUWeight=: 1..10000. */
int sp_parse_cpu_weight(const char *s, int64_t *out);
/* UMask=: octal 0..0777. */
int sp_parse_umask(const char *s, mode_t *out);
/* Limit*=: "V" or "SOFT:HARD", each a number in UNIT or "infinity". */
int sp_parse_rlimit(const char *s, sp_rlimit_unit_t unit, struct rlimit *out);
/* A uid or gid number 0..4294967294. */
int sp_parse_id(const char *s, uint32_t *out);

/* 536870912 -> "512M": the largest exact base-1024 suffix. */
const char *sp_format_size(uint64_t bytes, char *buf, size_t len);
/* One rlimit value in UNIT for printing ("infinity", "1024", "8M", "30s"). */
const char *sp_format_rlim(rlim_t v, sp_rlimit_unit_t unit, char *buf, size_t len);

#endif
