/*
 * pop3_conn.h - one POP3 session: sending commands, reading their replies
 * (pipelined when the server allows), connecting per the account's
 * security setting, STLS, and logging in.
 *
 * Internal to src/net/pop3_*.c.  Who does what: pop3_conn.c (commands,
 * replies, time limits, the trace), pop3_login.c (connect, greeting, CAPA,
 * STLS, QUIT), pop3_auth.c (AUTH, APOP, USER/PASS).  A connection belongs
 * to one thread; every wait is bounded by the account's timeout and cut
 * short by its wake fd.
 *
 * Server text that reaches an error message is sanitised here
 * (pop3_conn_text); no credential is ever traced (pop3_redact).
 */
#ifndef PETREL_POP3_CONN_H
#define PETREL_POP3_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "net/pop3_parse.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/error.h"

/* Capabilities (RFC 2449 6) petrel uses. */
#define POP3_CAP_TOP		0x001u
#define POP3_CAP_UIDL		0x002u
#define POP3_CAP_USER		0x004u
#define POP3_CAP_STLS		0x008u	/* RFC 2595 4 */
#define POP3_CAP_PIPELINING	0x010u
#define POP3_CAP_RESP_CODES	0x020u
#define POP3_CAP_AUTH_RESP	0x040u	/* RFC 3206 */
#define POP3_CAP_SASL		0x080u	/* RFC 5034 */

/* Commands sent and not yet answered, at most. */
#define POP3_INFLIGHT_MAX	64
/* Commands a pipelined download keeps in flight (RFC 2449 6.6). */
#define POP3_WINDOW		16
/* Bytes of a CAPA answer. */
#define POP3_CAPA_MAX		(64 * 1024)

/* A command waiting for its reply. */
struct pop3_inflight {
	enum pop3_expect	 expect;
	size_t			 data_max;
	char			 verb[8];	/* for messages */
};

struct pop3_conn {
	struct stream		*s;
	char			*host;		/* for TLS and messages */
	const struct config_account *cfg;	/* what it was opened for;
						   NULL: the caller's policy */
	char			*in;		/* bytes read, not yet parsed */
	size_t			 inlen;
	size_t			 inoff;
	struct pop3_parser	 pr;
	struct pop3_event	 ev;		/* the last event read */
	unsigned		 caps;		/* POP3_CAP_* */
	bool			 have_caps;	/* CAPA was answered */
	unsigned		 mechs;		/* SASL_BIT set offered */
	char			*timestamp;	/* APOP: the greeting's <...> */
	const char		*mode;		/* "implicit TLS", "STARTTLS",
						   "plain text" */
	bool			 broken;
	bool			 retr;		/* RETR was sent this session */
	/*
	 * Time: each wait is bounded by the stream's timeout, and a reply
	 * must make progress (an event, or a MiB of data) within timeout_ms
	 * of the last, or it fails with ERR_TIMEOUT.  0: no deadline.
	 */
	int			 timeout_ms;
	int64_t			 deadline;
	size_t			 rx;		/* bytes since the last progress */
	size_t			 blob;		/* data bytes of this reply */
	int64_t			 used_ms;	/* when the last reply ended */
	char			 cmd[8];	/* the verb being answered */
	struct pop3_inflight	 fl[POP3_INFLIGHT_MAX];
	size_t			 nfl;
	bool			 started;	/* fl[0]'s reply has begun */
};

/* Data events of a multi-line reply; -1 stops the calls (see below). */
typedef int (*pop3_data_fn)(void *arg, const struct pop3_event *,
	    struct error *);

/* pop3_conn.c */
/* Wrap a connected stream (taking it over). */
struct pop3_conn *pop3_conn_new(struct stream *, const char *host);
void	 pop3_conn_free(struct pop3_conn *);
/* Milliseconds on a monotonic clock. */
int64_t	 pop3_now(void);
/* Mark the connection broken and the error account-wide; -1. */
int	 pop3_conn_fail(struct pop3_conn *, struct error *);
/*
 * Send a command line (CRLF added), traced with any credential redacted,
 * and queue what its reply is; at most POP3_INFLIGHT_MAX in flight.
 */
int	 pop3_conn_send(struct pop3_conn *, enum pop3_expect, size_t data_max,
	     struct error *, const char *, ...)
	     __attribute__((format(printf, 5, 6)));
/* Queue a reply no command asks for (the greeting). */
void	 pop3_conn_await(struct pop3_conn *, enum pop3_expect, size_t data_max,
	     const char *verb);
/* Send one line of an AUTH exchange (a secret: traced "<redacted>"). */
int	 pop3_conn_respond(struct pop3_conn *, const char *, struct error *);
/*
 * Read the next event of the oldest command's reply into c->ev; the
 * command leaves the queue with its reply's last event.
 */
int	 pop3_conn_next(struct pop3_conn *, struct error *);
/*
 * Read a single-line reply: 0 on +OK; on -ERR, ERR_SERVER "VERB: text"
 * (scope OP, the connection stays usable).
 */
int	 pop3_conn_status(struct pop3_conn *, struct error *);
/* Send a single-line command and read its reply, as pop3_conn_status. */
int	 pop3_conn_simple(struct pop3_conn *, struct error *, const char *,
	     ...) __attribute__((format(printf, 3, 4)));
/*
 * Read a multi-line reply, handing each data event to fn.  0 when done;
 * -ERR as pop3_conn_status; when fn fails the rest is still read (the
 * session stays usable) and fn's error returned.
 */
int	 pop3_conn_data(struct pop3_conn *, pop3_data_fn, void *,
	     struct error *);
/* Whether reply bytes are buffered (the next event may need no wait). */
bool	 pop3_conn_buffered(struct pop3_conn *);
/* Append the last status's code and text, bounded and sanitised. */
void	 pop3_conn_text(const struct pop3_conn *, struct buf *);
/* The trace form of a command line: credentials made "<redacted>". */
void	 pop3_redact(const char *line, size_t len, struct buf *out);

/* pop3_login.c */
/*
 * Connect per the account's security (implicit | starttls | auto |
 * none): TCP, TLS, the greeting, STLS when required, CAPA.  No login.
 */
int	 pop3_conn_connect(const struct config_account *, int wake_fd,
	     struct pop3_conn **, struct error *);
/* Read the greeting (+OK, noting an APOP timestamp; -ERR fails). */
int	 pop3_conn_greeting(struct pop3_conn *, struct error *);
/* Ask CAPA; a server without it (-ERR) leaves have_caps false. */
int	 pop3_conn_capa(struct pop3_conn *, struct error *);
/*
 * STLS (RFC 2595 4): require it offered and a +OK with nothing behind it,
 * forget everything learned before the handshake, ask CAPA again.
 */
int	 pop3_conn_stls(struct pop3_conn *, const struct stream_tls_config *,
	     struct error *);
/* QUIT (RFC 1939 6): 0 once the server said +OK (deletions done). */
int	 pop3_conn_quit(struct pop3_conn *, struct error *);
/* An error quoting the last status (sanitised); marks it broken. */
int	 pop3_conn_refused(struct pop3_conn *, struct error *,
	     enum error_code, const char *what);

/* pop3_auth.c */
/*
 * Log in: AUTH with the SASL mechanism the account's "auth" list or the
 * server's strongest gives (RFC 5034), else APOP (RFC 1939 7) when the
 * greeting had a timestamp, else USER/PASS - over TLS only, unless
 * allow_plaintext_auth.  One attempt: a refusal is ERR_AUTH
 * "authentication failed (server said: ...)".  CAPA is asked again after.
 */
int	 pop3_conn_login(struct pop3_conn *, const char *user,
	     const char *password, struct error *);

#endif
