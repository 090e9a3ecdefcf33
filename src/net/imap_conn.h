/*
 * imap_conn.h - one IMAP connection: greeting, STARTTLS, capabilities,
 * login, tagged commands and the responses that answer them.
 *
 * A connection wraps a struct stream (TCP, TLS on top) and belongs to one
 * thread.  Every wait is bounded by the stream's timeout and cut short by
 * its wake fd.  Any I/O or protocol failure leaves the connection broken
 * (imap_conn_broken) and is reported with ERR_SCOPE_ACCOUNT, cancellations
 * included: responses still in flight cannot be matched to later commands.
 *
 * Traces go to log_proto("imap", ...) with LOGIN and AUTHENTICATE payloads
 * replaced by "<redacted>"; large responses are shortened in the trace.
 */
#ifndef PETREL_IMAP_CONN_H
#define PETREL_IMAP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "net/imap_parse.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/error.h"

/* Capabilities petrel looks at (RFC 3501 7.2.1 and extensions). */
#define IMAP_CAP_IMAP4REV1	0x001u
#define IMAP_CAP_STARTTLS	0x002u
#define IMAP_CAP_LOGINDISABLED	0x004u
#define IMAP_CAP_AUTH_PLAIN	0x008u
#define IMAP_CAP_SASL_IR	0x010u	/* RFC 4959 */
#define IMAP_CAP_LITERALPLUS	0x020u	/* RFC 7888 */
#define IMAP_CAP_IDLE		0x040u
#define IMAP_CAP_UIDPLUS	0x080u
#define IMAP_CAP_CONDSTORE	0x100u

struct imap_conn {
	struct stream		*s;
	char			*host;		/* for TLS and messages */
	struct buf		 in;		/* bytes read, not yet used */
	size_t			 off;		/* start of unread bytes in in */
	size_t			 used;		/* length of the last response */
	struct imap_frame	 fr;
	struct imap_response	 resp;		/* the last response read */
	unsigned		 caps;		/* IMAP_CAP_* */
	bool			 have_caps;
	bool			 preauth;	/* greeting was PREAUTH */
	bool			 broken;
	unsigned		 tagn;
	char			 tag[16];	/* the command in flight */
	char			*bye;		/* text of an untagged BYE */

	/* The selected mailbox, as untagged responses report it. */
	uint32_t		 exists;
	uint32_t		 uidvalidity;	/* 0: not reported */
};

/*
 * Called for each untagged response while a command runs; -1 stops the
 * command's handler calls (the command is still read to its end) and is
 * what imap_conn_run returns.
 */
typedef int (*imap_untagged_fn)(void *arg, const struct imap_response *,
	    struct error *);

/* Wrap a connected stream (taking it over). */
struct imap_conn	*imap_conn_new(struct stream *, const char *host);
void			 imap_conn_free(struct imap_conn *);
bool			 imap_conn_broken(const struct imap_conn *);

/*
 * Connect per the account's security setting: TCP, then TLS (implicit),
 * the greeting, STARTTLS (required when configured: never plain text),
 * and the capabilities.  Does not log in.
 */
int	 imap_conn_connect(const struct config_account *, int wake_fd,
	     struct imap_conn **, struct error *);
/* Read the greeting (OK, PREAUTH, or BYE which fails). */
int	 imap_conn_greeting(struct imap_conn *, struct error *);
/*
 * STARTTLS (RFC 3501 6.2.1): require the capability and a tagged OK,
 * discard everything buffered before the handshake, ask CAPABILITY again.
 */
int	 imap_conn_starttls(struct imap_conn *,
	     const struct stream_tls_config *, struct error *);
/* Send CAPABILITY and record the answer. */
int	 imap_conn_capability(struct imap_conn *, struct error *);
/*
 * Log in unless the greeting was PREAUTH: AUTHENTICATE PLAIN (with SASL-IR
 * when offered) if AUTH=PLAIN is there, else LOGIN unless LOGINDISABLED.
 * A refusal is ERR_AUTH "authentication failed: <server text>".
 */
int	 imap_conn_login(struct imap_conn *, const char *user,
	     const char *password, struct error *);
/* LOGOUT, best effort. */
void	 imap_conn_logout(struct imap_conn *);

/*
 * Read the next response into conn->resp (valid until the next read),
 * updating capabilities and mailbox state on the way.
 */
int	 imap_conn_read(struct imap_conn *, struct error *);
/* Send "TAG <command>\r\n" with a new tag (kept in conn->tag). */
int	 imap_conn_send(struct imap_conn *, struct error *, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/*
 * Send a command and read up to its tagged response, handing untagged
 * responses to fn (may be NULL).  A tagged NO/BAD is ERR_SERVER
 * "<COMMAND>: <server text>", scope ERR_SCOPE_OP.
 */
int	 imap_conn_run(struct imap_conn *, imap_untagged_fn, void *,
	     struct error *, const char *, ...)
	     __attribute__((format(printf, 5, 6)));

/* Append s as an IMAP quoted string; -1 if it needs a literal. */
int	 imap_quote(struct buf *, const char *s);
/*
 * The trace form of a line the client sends: credentials of LOGIN and
 * AUTHENTICATE replaced by "<redacted>".  Appends to out.
 */
void	 imap_redact(const char *line, size_t len, struct buf *out);

#endif
