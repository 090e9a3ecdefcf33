/*
 * imap_login.h - what imap_login.c adds to imap_conn.h for issue 4: the
 * security mode a connection ended up with (for the status line after
 * security = auto).  To be folded into imap_conn.h by its owner.
 */
#ifndef PETREL_IMAP_LOGIN_H
#define PETREL_IMAP_LOGIN_H

#include "net/imap_conn.h"

/*
 * "implicit TLS", "STARTTLS" or "plain text" for a connection made by
 * imap_conn_connect in this thread; NULL for any other.
 */
const char	*imap_conn_mode(const struct imap_conn *);

/* Internal to imap_login.c and imap_auth.c. */
/* The SASL mechanisms (SASL_BIT set) the server offered to c. */
unsigned	 imap_login_mechs(const struct imap_conn *);
/* Whether the mechanisms offered to c are known. */
bool		 imap_login_mechs_known(const struct imap_conn *);
/* The account c was opened for by imap_conn_connect, or NULL. */
const struct config_account *imap_login_account(const struct imap_conn *);
/* Append server text (at most 300 bytes), sanitised, to b. */
void		 imap_login_text(struct buf *b, const struct imap_slice *);

#endif
