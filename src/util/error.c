/*
 * error.c - filling and combining struct error.
 *
 * Messages are truncated at ERROR_MSG_MAX; truncation is not an error.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

/* Reset to "no error". */
void
error_clear(struct error *e)
{
	e->code = ERR_NONE;
	e->scope = ERR_SCOPE_OP;
	e->sys_errno = 0;
	e->msg[0] = '\0';
}

static void	error_vset(struct error *, enum error_code, enum error_scope,
		    const char *, va_list) __attribute__((format(printf, 4, 0)));

/* Fill the error from a va_list. */
static void
error_vset(struct error *e, enum error_code code, enum error_scope scope,
    const char *fmt, va_list ap)
{
	e->code = code;
	e->scope = scope;
	e->sys_errno = 0;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

/* Fill the error; returns -1. */
int
error_set(struct error *e, enum error_code code, enum error_scope scope,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	error_vset(e, code, scope, fmt, ap);
	va_end(ap);
	return -1;
}

/* strerror for any thread (GNU strerror_r may return a static string). */
const char *
error_strerror(int errnum, char *buf, size_t size)
{
	return strerror_r(errnum, buf, size);
}

/* Fill the error with a system error appended; returns -1. */
int
error_sys(struct error *e, enum error_scope scope, int errnum,
    const char *fmt, ...)
{
	va_list	ap;
	size_t	len;
	char	ebuf[128];

	va_start(ap, fmt);
	error_vset(e, ERR_SYS, scope, fmt, ap);
	va_end(ap);
	e->sys_errno = errnum;
	len = strlen(e->msg);
	if (len < sizeof e->msg)
		snprintf(e->msg + len, sizeof e->msg - len, ": %s",
		    error_strerror(errnum, ebuf, sizeof ebuf));
	return -1;
}

/* Put a cause in front of the current message. */
void
error_prefix(struct error *e, const char *fmt, ...)
{
	char	old[ERROR_MSG_MAX];
	size_t	len;
	va_list	ap;

	memcpy(old, e->msg, sizeof old);
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	len = strlen(e->msg);
	if (len < sizeof e->msg)
		snprintf(e->msg + len, sizeof e->msg - len, ": %s", old);
}

/* Raise the scope to at least the given one. */
void
error_widen(struct error *e, enum error_scope scope)
{
	if (e->scope < scope)
		e->scope = scope;
}

/* A short English name for a code, for logs. */
const char *
error_code_name(enum error_code code)
{
	switch (code) {
	case ERR_NONE:		return "none";
	case ERR_SYS:		return "system";
	case ERR_CONFIG:	return "config";
	case ERR_NET:		return "network";
	case ERR_TIMEOUT:	return "timeout";
	case ERR_TLS:		return "tls";
	case ERR_AUTH:		return "authentication";
	case ERR_PROTOCOL:	return "protocol";
	case ERR_SERVER:	return "server";
	case ERR_CACHE:		return "cache";
	case ERR_PARSE:		return "parse";
	case ERR_TOOBIG:	return "too big";
	case ERR_READONLY:	return "read-only";
	case ERR_NOTFOUND:	return "not found";
	case ERR_CANCELLED:	return "cancelled";
	case ERR_UNSUPPORTED:	return "unsupported";
	case ERR_TLS_VERIFY:	return "tls";
	}
	return "unknown";
}
