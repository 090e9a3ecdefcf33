/*
 * smtp.h - an SMTP submission client (RFC 5321, RFC 6409): one call sends
 * one message to its recipients through a submission server and says,
 * recipient by recipient, what the server answered.
 *
 * Extensions: STARTTLS (RFC 3207), AUTH (RFC 4954, through net/sasl.h),
 * PIPELINING (RFC 2920), SIZE (RFC 1870: a message larger than the server
 * announces is refused before MAIL), 8BITMIME (RFC 6152), SMTPUTF8
 * (RFC 6531), DSN (RFC 3461), ENHANCEDSTATUSCODES (RFC 2034).
 *
 * All or nothing: if the sender or any recipient is refused, the
 * transaction is reset (RSET) and no byte of the message is sent; the
 * result names every refused address.  (When pipelining, a server that
 * answers DATA with 354 in spite of a refusal is left by closing the
 * connection: in data mode only the final dot would end it, and that
 * would deliver.)  The message is accepted only when the server answered
 * 2xx (250) after the final dot; smtp_send returns 0 only then.
 *
 * Session: EHLO with helo_name, else the host's name when it has a dot,
 * else the address literal of the local socket ("[127.0.0.1]"); HELO,
 * without extensions, only when EHLO gets 500 or 502.  With starttls,
 * a server that does not offer STARTTLS, or refuses it, ends the session
 * with ERR_TLS before anything else is sent (never plain text instead);
 * after the handshake EHLO is asked again and the old answer forgotten.
 * AUTH only when creds is set: the first of the account's mechanisms
 * (sasl_choose over the server's AUTH list), one attempt; PLAIN, LOGIN
 * and OAuth only over TLS unless allow_plaintext_auth.  QUIT at the end;
 * a missing 221 is not an error.
 *
 * Time: the TCP connect is bounded by ep.connect_timeout_ms; the implicit
 * TLS handshake and the greeting by greeting_timeout_ms; every other
 * reply must arrive whole within ep.timeout_ms, except the reply to the
 * final dot, which gets max(ep.timeout_ms, 10 minutes) (RFC 5321
 * 4.5.3.2.6).  A readable ep.wake_fd cancels any wait (ERR_CANCELLED;
 * nothing more is sent, not even QUIT).
 *
 * Everything the server says that reaches a result or an error is
 * sanitised and bounded (a reply: 100 lines, 64 KiB; a line: 20 KiB;
 * text kept: 300 bytes).  No credential reaches a log: the trace (-d
 * smtp) shows AUTH's argument and SASL responses as "<redacted>" and the
 * message as a byte count.  One thread: the caller's.
 */
#ifndef PETREL_SMTP_H
#define PETREL_SMTP_H

#include <stdbool.h>
#include <stddef.h>

#include "net/sasl.h"
#include "net/transport.h"
#include "util/error.h"

/* How to reach and log in to the submission server (borrowed). */
struct smtp_settings {
	struct transport_endpoint ep;	/* security: implicit or plain */
	bool		 starttls;	/* plain ep: STARTTLS is required */
	bool		 allow_plaintext_auth;	/* AUTH without TLS */
	const char	*helo_name;	/* NULL: the host's FQDN or [addr];
					   else a domain or [literal]
					   (ERR_CONFIG otherwise) */
	const char	*auth;		/* account's mechanism list, or NULL */
	const struct sasl_creds *creds;	/* NULL: no AUTH; service, host
					   and port default to "smtp" and
					   ep's */
	int		 greeting_timeout_ms;	/* <= 0: ep.timeout_ms */
};

/*
 * What to send (borrowed).  Addresses are bare addr-specs, UTF-8, sent as
 * given between "<" and ">": at most 254 octets, no controls, no "<" or
 * ">", no space outside quotes (ERR_PARSE before anything is sent).
 */
struct smtp_envelope {
	const char	*from;		/* MAIL FROM (may be "") */
	const char *const *rcpt;	/* RCPT TO, nrcpt of them */
	size_t		 nrcpt;
	const char	*dsn_notify;	/* NULL, "NEVER" or a list of
					   SUCCESS,FAILURE,DELAY (any
					   case) */
	const char	*dsn_ret;	/* NULL, "FULL" or "HDRS" */
	const char	*dsn_envid;	/* NULL or an ENVID, printable ASCII
					   (xtext-encoded by smtp_send, at
					   most 100 characters then) */
	/* Any of the three on a server without DSN: ERR_UNSUPPORTED. */
};

/* The server's answer for one recipient. */
struct smtp_rcpt_reply {
	char		*addr;		/* as given */
	int		 code;		/* 250, 550, ...; 0: never asked */
	char		*text;		/* sanitised reply text (no code) */
};

/* What happened, for the outbox to show and keep. */
struct smtp_result {
	bool		 accepted;	/* 2xx (250) after the final dot */
	int		 code;		/* the last reply's code (0: none) */
	char		*text;		/* its sanitised text without the
					   code (or NULL) */
	struct smtp_rcpt_reply *rcpt;	/* one per envelope recipient */
	size_t		 nrcpt;
	bool		 data_started;	/* the first byte of the message
					   went out (a failure after it may
					   or may not have delivered) */
	int		 eightbitmime;	/* the server's EHLO offered
					   8BITMIME: 1, did not: 0, the
					   session got no EHLO answer: -1 */
};

/*
 * Send msg (len bytes, CRLF, LF or CR line ends: normalised to CRLF and
 * dot-stuffed here, streamed without a copy; a last line without an end
 * gets one) from env->from to every env->rcpt.  8-bit bodies use
 * BODY=8BITMIME when offered (ERR_UNSUPPORTED without it: nothing is
 * converted), non-ASCII addresses SMTPUTF8 (ERR_UNSUPPORTED without it);
 * SIZE= is given when offered.  Returns 0 when the server accepted the
 * message, -1 with err filled and res describing how far it got:
 * ERR_PARSE or ERR_CONFIG (the envelope or settings, nothing sent),
 * ERR_NET, ERR_TIMEOUT, ERR_TLS, ERR_TLS_VERIFY, ERR_PROTOCOL (a reply
 * that is not SMTP), ERR_AUTH (535 or another 5xx to AUTH:
 * "authentication failed (server said: ...)"), ERR_SERVER for a refusal
 * (naming refused addresses and their codes), ERR_TOOBIG for SIZE (or an
 * over-long reply), ERR_UNSUPPORTED, ERR_CANCELLED.  The scope is
 * ERR_SCOPE_MESSAGE for what concerns this message (the envelope,
 * refusals, SIZE, missing extensions) and ERR_SCOPE_ACCOUNT for the
 * connection, TLS and AUTH.  res is filled in both cases; free it with
 * smtp_result_fini.
 */
int		 smtp_send(const struct smtp_settings *,
		     const struct smtp_envelope *, const char *msg, size_t len,
		     struct smtp_result *res, struct error *err);
/* Free what a result holds (it may be zeroed or half filled). */
void		 smtp_result_fini(struct smtp_result *);

#endif
