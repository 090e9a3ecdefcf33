/*
 * imap_cmd.h - IMAP commands with strings that may need literals.
 *
 * Build a command from text and strings, then run it on a connection:
 * literals are sent synchronizing or not as the server allows.  Internal
 * to the IMAP driver.
 */
#ifndef PETREL_IMAP_CMD_H
#define PETREL_IMAP_CMD_H

#include <stddef.h>

#include "net/imap_conn.h"
#include "util/buf.h"

struct imap_cmd_part {
	char		*text;		/* text before the literal */
	size_t		 textlen;
	const char	*lit;		/* borrowed literal bytes */
	size_t		 litlen;
};

struct imap_cmd {
	struct buf		 text;	/* the part being written */
	struct imap_cmd_part	*parts;
	size_t			 n;
	size_t			 cap;
};

void	 imap_cmd_init(struct imap_cmd *);
void	 imap_cmd_fini(struct imap_cmd *);
/* Append text (no CRLF). */
void	 imap_cmd_add(struct imap_cmd *, const char *, ...)
	     __attribute__((format(printf, 2, 3)));
/* Append a string: quoted if possible, else a literal (s borrowed). */
void	 imap_cmd_astring(struct imap_conn *, struct imap_cmd *,
	     const char *s);
/* Append a literal of (p, len), borrowed until the command ran. */
void	 imap_cmd_literal(struct imap_cmd *, const char *p, size_t len);
/* Send and read to the tagged completion (as imap_conn_run). */
int	 imap_cmd_run(struct imap_conn *, struct imap_cmd *,
	     imap_untagged_fn, void *, struct error *);

#endif
