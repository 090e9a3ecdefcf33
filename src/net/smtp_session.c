/*
 * smtp_session.c - getting an SMTP session to the point where it can
 * send: connect (implicit TLS or plain, through transport_connect), the
 * greeting (RFC 5321 4.3.1: 220, else the server refuses), EHLO with the
 * fallback to HELO (RFC 5321 4.1.1.1, 4.1.4: only when EHLO is not known,
 * 500 or 502), STARTTLS (RFC 3207), AUTH (smtp_auth.c), and QUIT (RFC
 * 5321 4.1.1.10).
 *
 * Time: the implicit TLS handshake and the greeting are bounded by
 * greeting_timeout_ms (else the operation timeout); every later reply by
 * ep.timeout_ms (the final dot's: smtp_send.c).
 *
 * STARTTLS hardening ("NO STARTTLS", USENIX Security 2021): when the
 * settings require it, a server that does not offer it, or refuses it,
 * ends the session before anything else is sent (no AUTH, no MAIL: the
 * session never goes on in plain text); bytes the server sent after its
 * 220 and before the handshake are an error, and the capabilities read
 * before TLS are forgotten and asked again.
 */
#include <string.h>

#include "net/smtp_conn.h"
#include "net/transport.h"
#include "util/log.h"

/* The greeting's bound: greeting_timeout, else the operation timeout. */
static int
smtp_session_greeting_ms(const struct smtp_settings *set)
{
	return set->greeting_timeout_ms > 0 ? set->greeting_timeout_ms :
	    set->ep.timeout_ms;
}

/* Read the greeting. */
static int
smtp_session_greeting(struct smtp_conn *c, int wait_ms, struct error *err)
{
	int	 code;

	if (smtp_conn_reply(c, "", wait_ms, err) == -1)
		return -1;
	code = smtp_conn_code(c);
	if (code == 220)
		return 0;
	c->broken = true;
	if (code >= 400)
		return smtp_conn_refused(c, err, ERR_SERVER, ERR_SCOPE_ACCOUNT,
		    "server refused the connection");
	return smtp_conn_refused(c, err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "unexpected greeting");
}

/* EHLO, or HELO when the server does not know EHLO. */
int
smtp_session_ehlo(struct smtp_conn *c, struct error *err)
{
	int	 code;

	memset(&c->caps, 0, sizeof c->caps);
	c->esmtp = false;
	if (smtp_conn_send(c, err, "EHLO %s", c->name) == -1 ||
	    smtp_conn_reply(c, "EHLO", c->timeout_ms, err) == -1)
		return -1;
	code = smtp_conn_code(c);
	if (code == 250) {
		c->esmtp = true;
		smtp_caps_parse(&c->pr.reply, &c->caps);
		return 0;
	}
	if (code != 500 && code != 502)
		return smtp_conn_refused(c, err, ERR_SERVER, ERR_SCOPE_ACCOUNT,
		    "server refused EHLO");
	log_debug("smtp", "%s: EHLO not known; HELO, without extensions",
	    c->host);
	if (smtp_conn_send(c, err, "HELO %s", c->name) == -1 ||
	    smtp_conn_reply(c, "HELO", c->timeout_ms, err) == -1)
		return -1;
	if (smtp_conn_code(c) != 250)
		return smtp_conn_refused(c, err, ERR_SERVER, ERR_SCOPE_ACCOUNT,
		    "server refused HELO");
	return 0;
}

/* STARTTLS, then EHLO again over TLS. */
static int
smtp_session_starttls(struct smtp_conn *c, const struct smtp_settings *set,
    struct error *err)
{
	if (!(c->caps.flags & SMTP_CAP_STARTTLS)) {
		smtp_session_quit(c);
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server does not offer STARTTLS; refusing to go on "
		    "without TLS (nothing was sent)", c->host);
	}
	if (smtp_conn_send(c, err, "STARTTLS") == -1 ||
	    smtp_conn_reply(c, "STARTTLS", c->timeout_ms, err) == -1) {
		if (err->code != ERR_TIMEOUT && err->code != ERR_CANCELLED)
			err->code = ERR_TLS;
		return smtp_conn_fail(c, err);
	}
	if (smtp_conn_code(c) != 220) {
		smtp_conn_refused(c, err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "server refused STARTTLS, so nothing was sent");
		smtp_session_quit(c);
		return -1;
	}
	if (smtp_conn_buffered(c)) {
		c->broken = true;
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server sent data after its STARTTLS answer, before "
		    "the TLS handshake (a STARTTLS injection?); giving up",
		    c->host);
	}
	smtp_conn_forget(c);
	if (stream_tls_start(&c->s, set->ep.host, &set->ep.tls, err) == -1)
		return smtp_conn_fail(c, err);
	stream_set_timeout(c->s, c->timeout_ms);
	return smtp_session_ehlo(c, err);
}

/* The socket under the stream stack. */
static int
smtp_session_fd(const struct stream *s)
{
	while (s->lower != NULL)
		s = s->lower;
	return s->fd;
}

/* Connect and read the greeting (*failed: a connection that failed). */
static struct smtp_conn *
smtp_session_connect(const struct smtp_settings *set,
    struct smtp_conn **failed, struct error *err)
{
	struct transport_endpoint	 ep = set->ep;
	struct stream			*s;
	struct smtp_conn		*c;
	int				 gt = smtp_session_greeting_ms(set);

	if (set->ep.host == NULL || set->ep.port == NULL) {
		error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "SMTP server host or port not set");
		return NULL;
	}
	transport_bound_attempt(&ep, gt, false);
	if ((s = transport_connect(&ep, err)) == NULL)
		return NULL;
	c = smtp_conn_new(s, set->ep.host, set->ep.timeout_ms);
	if (smtp_session_greeting(c, gt, err) == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		*failed = c;
		return NULL;
	}
	stream_set_timeout(c->s, set->ep.timeout_ms);
	return c;
}

/* Connect, greet, EHLO, STARTTLS, AUTH. */
int
smtp_session_open(const struct smtp_settings *set, struct smtp_conn **out,
    struct error *err)
{
	struct smtp_conn	*c;

	*out = NULL;
	if ((c = smtp_session_connect(set, out, err)) == NULL)
		return -1;
	if (smtp_ehlo_name(set->helo_name, smtp_session_fd(c->s), c->name,
	    sizeof c->name, err) == -1)
		goto fail;
	if (smtp_session_ehlo(c, err) == -1)
		goto fail;
	if (set->ep.security == TRANSPORT_PLAIN && set->starttls &&
	    smtp_session_starttls(c, set, err) == -1)
		goto fail;
	if (set->creds != NULL && smtp_auth_login(c, set, err) == -1)
		goto fail;
	log_debug("smtp", "%s: ready (%s%s)", c->host,
	    stream_is_tls(c->s) ? "TLS" : "plain text",
	    set->creds != NULL ? ", authenticated" : "");
	*out = c;
	return 0;

fail:
	if (err->code != ERR_CANCELLED && err->code != ERR_TIMEOUT)
		smtp_session_quit(c);
	error_widen(err, ERR_SCOPE_ACCOUNT);
	*out = c;		/* for its last reply */
	return -1;
}

/* QUIT, waiting a little for the 221 (not required). */
void
smtp_session_quit(struct smtp_conn *c)
{
	struct error	 err;
	int		 wait = c->timeout_ms > 0 && c->timeout_ms <
	    SMTP_QUIT_MS ? c->timeout_ms : SMTP_QUIT_MS;

	if (c->broken)
		return;
	if (smtp_conn_send(c, &err, "QUIT") == 0 &&
	    smtp_conn_reply(c, "QUIT", wait, &err) == -1)
		log_debug("smtp", "%s: no answer to QUIT: %s", c->host,
		    err.msg);
	c->broken = true;
}
