/*
 * sasl_line.h - a SASL exchange over a line protocol's AUTH command
 * (SMTP, RFC 4954; POP3, RFC 5034): the initial response on the AUTH
 * line when it fits, else in answer to the first empty challenge; each
 * challenge answered through sasl.c, a local failure cancelled with "*";
 * a bounded number of challenges; a SCRAM server that accepts without
 * proving it knows the password refused.  The protocol supplies how to
 * send and read (struct sasl_line).
 */
#ifndef PETREL_SASL_LINE_H
#define PETREL_SASL_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "net/sasl.h"
#include "util/error.h"

/* Challenges one exchange may see (SCRAM needs two, LOGIN two). */
#define SASL_LINE_STEPS_MAX	8

/* A protocol's side of the exchange; conn is passed to every call. */
struct sasl_line {
	void		*conn;
	const char	*host;		/* for messages */
	size_t		 line_max;	/* longest AUTH line, CRLF included */
	/* Send "AUTH mech" or, ir not NULL, "AUTH mech ir". */
	int	(*send_auth)(void *conn, const char *mech, const char *ir,
		    struct error *);
	/*
	 * Read the next reply: 1 a challenge (its text, not NUL-terminated,
	 * in *text, *len), 0 the final reply, -1 with err.
	 */
	int	(*next)(void *conn, const char **text, size_t *len,
		    struct error *);
	/* Send one response line (a secret: traced redacted). */
	int	(*respond)(void *conn, const char *line, struct error *);
	/* Whether the final reply accepted the credentials. */
	bool	(*accepted)(void *conn);
	/* The final reply refused them: err set as the protocol reads it. */
	int	(*refused)(void *conn, enum sasl_mech, struct error *);
	/* The connection cannot go on (err set): mark it; returns -1. */
	int	(*fail)(void *conn, struct error *);
};

/* Log in with mechanism m and credentials cr; 0 or -1 with err. */
int	 sasl_line_auth(const struct sasl_line *, enum sasl_mech m,
	     const struct sasl_creds *cr, struct error *err);

#endif
