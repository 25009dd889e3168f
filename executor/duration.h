/* duration.h: parsing time spans as systemd writes them ("500ms", "5s", "2m",
 * "1min 30s", "infinity"); a bare number means seconds. */
#ifndef SP_DURATION_H
#define SP_DURATION_H

#include <stdint.h>

#include "err.h"

#define SP_DURATION_INFINITY UINT64_MAX

/* Parse text into nanoseconds. Fails on an empty string, an unknown unit, overflow. */
int sp_duration_parse(const char *text, uint64_t *ns, sp_err_t *err);
/* Format ns as a short human string ("1.5s", "250ms"). */
const char *sp_duration_format(uint64_t ns, char *buf, unsigned len);

#endif
