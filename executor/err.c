/* err.c: filling, prefixing and formatting sp_err_t. */
#include "config.h"
#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int err_return(const sp_err_t *err)
{
	return err->errnum > 0 ? -err->errnum : -1;
}

static void err_vset(sp_err_t *err, sp_err_kind_t kind, int errnum, const char *fmt, va_list ap)
{
	err->errnum = errnum;
	err->kind = kind;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int sp_err_set(sp_err_t *err, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, SP_EK_SYSTEM, errnum, fmt, ap);
	va_end(ap);
	return err_return(err);
}

int sp_err_setk(sp_err_t *err, sp_err_kind_t kind, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(err, kind, errnum, fmt, ap);
	va_end(ap);
	return err_return(err);
}

int sp_err_prefix(sp_err_t *err, const char *fmt, ...)
{
	char prefix[512], old[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
	return err_return(err);
}

void sp_err_hint(sp_err_t *err, const char *fmt, ...)
{
	size_t used = strlen(err->msg);
	va_list ap;

	if (used + 12 >= sizeof(err->msg))
		return;
	used += (size_t)snprintf(err->msg + used, sizeof(err->msg) - used, "\n  hint: ");
	va_start(ap, fmt);
	vsnprintf(err->msg + used, sizeof(err->msg) - used, fmt, ap);
	va_end(ap);
}

const char *sp_err_text(const sp_err_t *err, char *buf, size_t len)
{
	const char *nl = strchr(err->msg, '\n');
	int head = nl ? (int)(nl - err->msg) : (int)strlen(err->msg);

	if (err->errnum > 0)
		snprintf(buf, len, "%.*s: %s%s", head, err->msg, strerror(err->errnum),
			 nl ? nl : "");
	else
		snprintf(buf, len, "%s", err->msg);
	return buf;
}

void sp_err_clear(sp_err_t *err)
{
	err->errnum = 0;
	err->kind = SP_EK_NONE;
	err->msg[0] = '\0';
}
