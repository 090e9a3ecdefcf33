/*
 * smtp_conn.h - one SMTP session, internal to src/net/smtp_*.c.
 *
 * Who does what: smtp_conn.c (commands, replies, time limits, the
 * trace), smtp_session.c (connect, greeting, EHLO/HELO, STARTTLS, QUIT),
 * smtp_auth.c (AUTH), smtp_ehlo.c (the EHLO name and the capabilities),
 * smtp_envelope.c (checking addresses and DSN values, building MAIL and
 * RCPT), smtp_data.c (the message: scanning, CRLF, dot-stuffing),
 * smtp_send.c (the transaction and smtp_send itself).
 *
 * A connection belongs to one thread; every wait is bounded (see
 * smtp_conn_reply) and cut short by the endpoint's wake fd.  Server text
 * that reaches an error or a result is sanitised (smtp_conn_text); no
 * credential is ever traced (smtp_redact).
 */
#ifndef PETREL_SMTP_CONN_H
#define PETREL_SMTP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/smtp.h"
#include "net/smtp_reply.h"
#include "net/stream.h"
#include "util/buf.h"
#include "util/error.h"

/*
 * The longest command line petrel writes.  RFC 5321 4.5.3.1.4 says 512
 * octets, and each extension used on MAIL or RCPT adds its own allowance
 * (RFC 1870 SIZE 26, RFC 3461 ENVID 100 and NOTIFY 32, RFC 6531 10):
 * a path is at most 256 octets (4.5.3.1.3), so 1024 covers every line.
 */
#define SMTP_CMD_MAX		1024
/* The longest AUTH line with its initial response (RFC 4954 4). */
#define SMTP_AUTH_LINE_MAX	512
/* Longest server text kept in a result or an error. */
#define SMTP_TEXT_MAX		300
/* Waits: the final dot's reply gets at least 10 minutes (4.5.3.2.6). */
#define SMTP_DATA_END_MS	(10 * 60 * 1000)
/* Waiting for the answer to QUIT: at most this. */
#define SMTP_QUIT_MS		5000

struct smtp_conn {
	struct stream		*s;
	char			*host;		/* for TLS and messages */
	char			*in;		/* bytes read, not yet parsed */
	size_t			 inlen;
	size_t			 inoff;
	struct smtp_parser	 pr;		/* pr.reply: the last reply */
	struct smtp_caps	 caps;		/* from the last EHLO */
	bool			 esmtp;		/* EHLO (not HELO) accepted */
	bool			 broken;	/* nothing more may be sent */
	int			 timeout_ms;	/* each operation; <= 0: none */
	char			 verb[32];	/* what the reply answers */
	char			 name[272];	/* what EHLO said we are */
};

/* smtp_conn.c */
/* Milliseconds on a monotonic clock. */
int64_t	 smtp_now(void);
/* Wrap a connected stream (taking it over). */
struct smtp_conn *smtp_conn_new(struct stream *, const char *host,
	     int timeout_ms);
void	 smtp_conn_free(struct smtp_conn *);
/* Mark the connection broken and the error account-wide; -1. */
int	 smtp_conn_fail(struct smtp_conn *, struct error *);
/*
 * Send one command line (CRLF added), traced with any credential
 * redacted; the line must fit SMTP_CMD_MAX (else ERR_TOOBIG).
 */
int	 smtp_conn_send(struct smtp_conn *, struct error *, const char *, ...)
	     __attribute__((format(printf, 3, 4)));
/* Send several CRLF-ended command lines in one write (RFC 2920). */
int	 smtp_conn_send_batch(struct smtp_conn *, const struct buf *,
	     struct error *);
/* Send one line of an AUTH exchange (a secret: traced "<redacted>"). */
int	 smtp_conn_respond(struct smtp_conn *, const char *, struct error *);
/* Send message bytes as they are (traced as a count by the caller). */
int	 smtp_conn_write(struct smtp_conn *, const char *, size_t,
	     struct error *);
/*
 * Read the next reply (to verb, for messages) into c->pr.reply.  The
 * whole reply must arrive within wait_ms (<= 0: no limit), else
 * ERR_TIMEOUT.  A 421 (RFC 5321 3.8: the server is closing) marks the
 * connection broken but is returned as a reply.  Errors mark it broken.
 */
int	 smtp_conn_reply(struct smtp_conn *, const char *verb, int wait_ms,
	     struct error *);
/* The last reply's code. */
int	 smtp_conn_code(const struct smtp_conn *);
/* Append the last reply, "CODE text", bounded and sanitised. */
void	 smtp_conn_text(const struct smtp_conn *, struct buf *);
/*
 * An error quoting the last reply: "HOST: what: CODE text".  Returns -1.
 */
int	 smtp_conn_refused(struct smtp_conn *, struct error *,
	     enum error_code, enum error_scope, const char *what);
/* Whether reply bytes are already here (none should be, after STARTTLS). */
bool	 smtp_conn_buffered(struct smtp_conn *);
/* Forget every byte read and every capability (after STARTTLS). */
void	 smtp_conn_forget(struct smtp_conn *);
/* The trace form of a command line: credentials made "<redacted>". */
void	 smtp_redact(const char *line, size_t len, struct buf *out);

/* smtp_session.c */
/*
 * Connect as the settings say: TCP (and TLS for implicit), the greeting
 * within greeting_timeout_ms, EHLO (HELO if EHLO is not known), STARTTLS
 * when required (then EHLO again), AUTH when creds are given.  On
 * failure *out is the connection if one was made (QUIT already sent when
 * it could be), for its last reply; the caller frees it.
 */
int	 smtp_session_open(const struct smtp_settings *, struct smtp_conn **,
	     struct error *);
/* EHLO, or HELO when EHLO gets 500/502; fills c->caps. */
int	 smtp_session_ehlo(struct smtp_conn *, struct error *);
/* QUIT: the answer is waited for briefly and not required. */
void	 smtp_session_quit(struct smtp_conn *);

/* smtp_auth.c */
/* AUTH (RFC 4954) with the best mechanism the settings allow. */
int	 smtp_auth_login(struct smtp_conn *, const struct smtp_settings *,
	     struct error *);

/* smtp_ehlo.c */
/* The name EHLO gives (smtp_ehlo.c says how it is chosen). */
int	 smtp_ehlo_name(const char *configured, int fd, char *out,
	     size_t size, struct error *);
/* Whether s is a domain name (with a dot when need_dot). */
bool	 smtp_ehlo_domain_ok(const char *s, bool need_dot);
/* Whether s is an address literal "[...]". */
bool	 smtp_ehlo_literal_ok(const char *s);

/* smtp_envelope.c */
/* What the envelope needs of the server. */
struct smtp_env_info {
	bool	 utf8;		/* an address is not ASCII: SMTPUTF8 */
	bool	 dsn;		/* NOTIFY, RET or ENVID: DSN */
};
/*
 * Check every address and DSN value before anything is sent: ERR_PARSE
 * naming what is wrong.
 */
int	 smtp_env_check(const struct smtp_envelope *, struct smtp_env_info *,
	     struct error *);
/* Append s as RFC 3461 4 xtext ("+" and "=" and non-graphic as +XX). */
void	 smtp_xtext(struct buf *, const char *s);
/*
 * The MAIL FROM line (no CRLF) for the message's size and 8-bit need,
 * with only the parameters the server offers.
 */
void	 smtp_env_mail(const struct smtp_envelope *,
	     const struct smtp_env_info *, const struct smtp_caps *,
	     uint64_t size, bool eightbit, struct buf *out);
/* The RCPT TO line (no CRLF) of recipient i. */
void	 smtp_env_rcpt(const struct smtp_envelope *, size_t i,
	     const struct smtp_caps *, struct buf *out);

/* smtp_data.c */
/* What a message is, read once before sending. */
struct smtp_data_info {
	uint64_t size;		/* octets with CRLF line ends (RFC 1870) */
	bool	 eightbit;	/* a byte >= 0x80 (RFC 6152) */
};
void	 smtp_data_scan(const char *, size_t, struct smtp_data_info *);

/* The dot-stuffing, CRLF-making encoder (pure, for the tests too). */
struct smtp_stuffer {
	bool	 bol;		/* at the start of a line */
	bool	 cr;		/* a CR was read, its LF not yet */
};
void	 smtp_stuffer_init(struct smtp_stuffer *);
/*
 * Encode from in into out (cap >= 4): returns the bytes written, *used
 * the bytes of in consumed (at least one when len > 0).
 */
size_t	 smtp_stuff(struct smtp_stuffer *, const char *in, size_t len,
	     size_t *used, char *out, size_t cap);
/* The end of the data: a CRLF if the last line had none, ".\r\n". */
size_t	 smtp_stuff_end(struct smtp_stuffer *, char out[8]);
/*
 * Send the message as DATA content, streamed in chunks, and the final
 * ".": 0, or -1 with *sent telling how many bytes went out.
 */
int	 smtp_data_send(struct smtp_conn *, const char *, size_t,
	     uint64_t *sent, struct error *);

#endif
