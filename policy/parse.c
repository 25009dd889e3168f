/* parse.c: reading a policy file with libinih: our reader feeds it logical lines
 * (systemd's "\" continuations joined, indentation removed, syntax checked, physical line
 * numbers kept for messages); the handler dispatches each Key=value to its setter. */
#include "config.h"
#include "policy/parse.h"

#include <errno.h>
#include <stdarg.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "executor/util.h"

struct sp_parse {
	sp_policy_t *p;
	const char *name;
	FILE *f;
	sp_err_t *err;
	bool failed;
	unsigned next_line; /* physical line number of the next line to read */
	unsigned line;	    /* physical line where the current logical line starts */
	char *phys;	    /* getline buffer */
	size_t physcap;
};

static int parse_fail(sp_parse_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int parse_fail(sp_parse_t *c, const char *fmt, ...)
{
	char what[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	c->failed = true;
	return sp_err_setk(c->err, SP_EK_POLICY, 0, "%s:%u: %s", c->name, c->line, what);
}

static char *skip_ws(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

static void chomp(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
}

/* Read one physical line into c->phys; NULL at end of file. */
static char *read_phys(sp_parse_t *c)
{
	if (getline(&c->phys, &c->physcap, c->f) < 0)
		return NULL;
	c->next_line++;
	chomp(c->phys);
	return c->phys;
}

/* Join "\"-continued lines into *out (malloc'd); comment lines inside are skipped, as
 * systemd does. Returns false at end of file. */
static bool read_logical(sp_parse_t *c, char **out)
{
	char *s = read_phys(c), *acc;
	size_t n;

	if (!s)
		return false;
	c->line = c->next_line;
	if (c->line == 1 && strncmp(s, "\xef\xbb\xbf", 3) == 0) /* a UTF-8 byte order mark */
		s += 3;
	acc = sp_xstrdup(skip_ws(s));
	while ((n = strlen(acc)) && acc[n - 1] == '\\' && acc[0] != '#' && acc[0] != ';') {
		acc[n - 1] = ' ';
		do
			s = read_phys(c);
		while (s && (*skip_ws(s) == '#' || *skip_ws(s) == ';'));
		if (!s)
			break;
		acc = sp_xrealloc(acc, n + strlen(s) + 1);
		strcpy(acc + n, skip_ws(s));
	}
	*out = acc;
	return true;
}

/* What libinih would accept but systemd reads differently is refused here. */
static int check_line(sp_parse_t *c, const char *s)
{
	const char *eq = strchr(s, '='), *colon = strchr(s, ':');

	if (!*s || *s == '#' || *s == ';')
		return 0;
	if (*s == '[') {
		const char *end = strchr(s, ']');
		char sect[64];
		if (!end || end[1] || (size_t)(end - s) > sizeof(sect))
			return parse_fail(
			    c, "\"%s\": a section header is \"[Name]\" alone on its line", s);
		snprintf(sect, sizeof(sect), "%.*s", (int)(end - s - 1), s + 1);
		if (!sp_section_known(sect))
			return parse_fail(c, "[%s]: unknown section; accepted: %s", sect,
					  SP_SECTIONS_TEXT);
		return 0;
	}
	if (!eq || (colon && colon < eq))
		return parse_fail(c,
				  "\"%s\": not a Key=value assignment, a [Section] header or a "
				  "# comment",
				  s);
	if (strstr(eq, " ;") || strstr(eq, "\t;"))
		return parse_fail(c,
				  "\"%s\": \";\" after a space would start a comment in libinih "
				  "but not in systemd; quote the value or remove the \";\"",
				  s);
	return 0;
}

static char *reader(char *str, int num, void *stream)
{
	sp_parse_t *c = stream;
	char *s = NULL;

	if (c->failed || !read_logical(c, &s))
		return NULL;
	if (check_line(c, s) < 0) {
		free(s);
		return NULL;
	}
	if (strlen(s) + 2 > (size_t)num) {
		parse_fail(c,
			   "line longer than %d characters; split a long list over several "
			   "assignments of the same key",
			   num - 2);
		free(s);
		return NULL;
	}
	snprintf(str, (size_t)num, "%s\n", s);
	free(s);
	return str;
}

static int handler(void *user, const char *section, const char *key, const char *value)
{
	sp_parse_t *c = user;
	const sp_key_t *k;
	char why[512], keys[1024];

	if (c->failed)
		return 0;
	if (!*section) {
		parse_fail(c,
			   "%s=: assignment outside any section; accepted: a section header "
			   "first: %s",
			   key, SP_SECTIONS_TEXT);
		return 0;
	}
	if (!(k = sp_key_find(section, key))) {
		sp_keys_text(section, keys, sizeof(keys));
		c->failed = true;
		sp_err_setk(c->err, SP_EK_POLICY, 0, "%s:%u: [%s] %s=: unknown key; accepted: %s",
			    c->name, c->line, section, key, keys);
		return 0;
	}
	c->p->line[k->id] = c->line;
	if (k->set(c->p, key, value, why, sizeof(why)) < 0) {
		c->failed = true;
		sp_err_setk(c->err, SP_EK_POLICY, 0, "%s:%u: [%s] %s=: %s; accepted: %s", c->name,
			    c->line, section, key, why,
			    k->accepted ? k->accepted
					: "a number, a size with K/M/G/T suffix or a time span as "
					  "the limit takes, infinity, or SOFT:HARD");
		return 0;
	}
	return 1;
}

int sp_policy_parse_stream(FILE *f, const char *name, sp_policy_t **out, sp_err_t *err)
{
	sp_parse_t c = {.p = sp_policy_new(), .name = name, .f = f, .err = err, .next_line = 0};
	int r = ini_parse_stream(reader, &c, handler, &c);

	free(c.phys);
	if (!c.failed && ferror(f))
		sp_err_setk(err, SP_EK_POLICY, EIO, "%s: reading the policy", name),
		    c.failed = true;
	if (!c.failed && r != 0) /* not reached: the reader refuses what libinih would */
		parse_fail(&c, "syntax error (libinih returned %d)", r);
	if (c.failed || sp_policy_finish(c.p, name, err) < 0) {
		sp_policy_free(c.p);
		return -1;
	}
	c.p->source = sp_xstrdup(name);
	*out = c.p;
	return 0;
}

static bool name_is_plain(const char *s)
{
	return *s &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
		   strlen(s);
}

int sp_policy_find(const char *file_or_name, char **path, sp_err_t *err)
{
	const char *dirs[2] = {getenv("SANDPOOL_POLICY_DIR"), SP_POLICY_DIR};

	/* a path has a '/' or a '.' (mem32.conf, strict.ini); a name has neither */
	if (strpbrk(file_or_name, "/.")) {
		*path = sp_xstrdup(file_or_name);
		return 0;
	}
	if (!name_is_plain(file_or_name))
		return sp_err_setk(
		    err, SP_EK_POLICY, 0,
		    "\"%s\" is neither a policy name nor a path; accepted: a shipped "
		    "policy name (default, strict, compute, build, python, nonet) or "
		    "a path to a .ini file",
		    file_or_name);
	for (size_t i = 0; i < SP_ARRAY_SIZE(dirs); i++) {
		char *p;
		if (!dirs[i] || !*dirs[i])
			continue;
		p = sp_xasprintf("%s/%s.ini", dirs[i], file_or_name);
		if (access(p, R_OK) == 0) {
			*path = p;
			return 0;
		}
		free(p);
	}
	return sp_err_setk(err, SP_EK_POLICY, 0,
			   "no policy named \"%s\" in %s%s%s; accepted: a shipped policy name "
			   "(default, strict, compute, build, python, nonet) or a path to a .ini "
			   "file",
			   file_or_name, dirs[0] && *dirs[0] ? dirs[0] : "",
			   dirs[0] && *dirs[0] ? " or " : "", dirs[1]);
}

int sp_policy_load(const char *file_or_name, sp_policy_t **out, sp_err_t *err)
{
	cleanup_free char *path = NULL;
	cleanup_fclose FILE *f = NULL;

	if (sp_policy_find(file_or_name, &path, err) < 0)
		return -1;
	f = fopen(path, "re");
	if (!f)
		return sp_err_setk(err, SP_EK_POLICY, errno, "opening policy file %s", path);
	return sp_policy_parse_stream(f, path, out, err);
}
