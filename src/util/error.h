/*
 * error.h - the one error type carried through every fallible call.
 *
 * A callee that fails fills a caller-owned struct error and returns -1 (or
 * NULL).  The scope says how much is unusable now: the operation, one
 * message, a folder, or the whole account (connection gone, auth failed).
 * The message is plain UTF-8 text meant for a person; it may contain text a
 * server sent, so anything that shows it on a terminal must sanitise it.
 * No error message ever contains a secret.
 */
#ifndef PETREL_ERROR_H
#define PETREL_ERROR_H

#include <stdarg.h>
#include <stddef.h>

enum error_code {
	ERR_NONE = 0,
	ERR_SYS,		/* a system call failed; sys_errno says why */
	ERR_CONFIG,		/* bad configuration or command line */
	ERR_NET,		/* connect/resolve/read/write failed, peer closed */
	ERR_TIMEOUT,		/* a bounded wait ran out */
	ERR_TLS,		/* TLS failed (a bad certificate: ERR_TLS_VERIFY) */
	ERR_AUTH,		/* the server refused the credentials */
	ERR_PROTOCOL,		/* the server sent something we cannot parse */
	ERR_SERVER,		/* the server said NO / BAD / -ERR */
	ERR_CACHE,		/* SQLite failed */
	ERR_PARSE,		/* local input (message, file) malformed */
	ERR_TOOBIG,		/* a bounded buffer would overflow its maximum */
	ERR_READONLY,		/* refused: the account is read-only */
	ERR_NOTFOUND,		/* no such account, folder or message */
	ERR_CANCELLED,		/* interrupted through a wake fd */
	ERR_UNSUPPORTED,	/* the server or driver cannot do this */
	ERR_TLS_VERIFY		/* server certificate failed verification or pin */
};

enum error_scope {
	ERR_SCOPE_OP = 0,	/* only this operation failed */
	ERR_SCOPE_MESSAGE,	/* this message is unusable */
	ERR_SCOPE_FOLDER,	/* this folder is unusable */
	ERR_SCOPE_ACCOUNT	/* the connection/account is unusable */
};

#define ERROR_MSG_MAX 512

struct error {
	enum error_code	 code;
	enum error_scope scope;
	int		 sys_errno;
	char		 msg[ERROR_MSG_MAX];
};

/* Reset to "no error". */
void	 error_clear(struct error *);

/* Fill the error; always returns -1 so callers can "return error_set(...)". */
int	 error_set(struct error *, enum error_code, enum error_scope,
	     const char *, ...) __attribute__((format(printf, 4, 5)));

/* As error_set, appending ": strerror(errnum)". */
int	 error_sys(struct error *, enum error_scope, int,
	     const char *, ...) __attribute__((format(printf, 4, 5)));

/* Put a cause in front of the message: "connect to x: <old message>". */
void	 error_prefix(struct error *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));

/* Raise the scope to at least the given one. */
void	 error_widen(struct error *, enum error_scope);

/* strerror that is safe on any thread; may return buf or a constant. */
const char *error_strerror(int errnum, char *buf, size_t size);

/* A short English name of the code ("timeout", "authentication"...). */
const char *error_code_name(enum error_code);

#endif
