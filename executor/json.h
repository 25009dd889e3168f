/* json.h: a tiny append-only JSON writer for the job log (one object per line).
 * Strings are escaped per RFC 8259; invalid UTF-8 bytes become \u00XX. */
#ifndef SP_JSON_H
#define SP_JSON_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	char *buf;
	size_t len, cap;
	int need_comma;
} sp_json_t;

void sp_json_init(sp_json_t *j);
void sp_json_free(sp_json_t *j);
void sp_json_begin(sp_json_t *j, char open);
void sp_json_end(sp_json_t *j, char close);
void sp_json_key(sp_json_t *j, const char *key);
void sp_json_str(sp_json_t *j, const char *key, const char *value); /* NULL -> null */
void sp_json_int(sp_json_t *j, const char *key, int64_t value);
void sp_json_num(sp_json_t *j, const char *key, double value);
void sp_json_bool(sp_json_t *j, const char *key, int value);
void sp_json_null(sp_json_t *j, const char *key);
/* Append s escaped as a JSON string (with quotes). */
void sp_json_escape(sp_json_t *j, const char *s);

#endif
