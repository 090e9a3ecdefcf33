/*
 * imap_login.c - getting an IMAP connection to the authenticated state.
 *
 * Connect (TCP, implicit TLS), the greeting (RFC 3501 7.1.4/7.1.5),
 * STARTTLS (6.2.1; required when configured, never a fallback to plain
 * text, with everything read before the handshake thrown away because a
 * man in the middle could have put it there), CAPABILITY (6.1.1), and
 * login: AUTHENTICATE PLAIN (RFC 4616, initial response per RFC 4959) or
 * LOGIN (6.2.3), refusing LOGINDISABLED.  LOGOUT (6.1.3) on the way out.
 *
 * Secrets: the password only passes through buffers that are wiped, and
 * the trace shows "<redacted>" instead (imap_redact in imap_conn.c).
 */
#include <stdlib.h>
#include <string.h>

#include "core/endpoint.h"
#include "net/imap_conn.h"
#include "net/transport.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Set the timeout of every layer of a stream stack. */
static void
imap_set_timeout(struct stream *s, int timeout_ms)
{
	for (; s != NULL; s = s->lower)
		s->timeout_ms = timeout_ms;
}

/* Read the greeting. */
int
imap_conn_greeting(struct imap_conn *c, struct error *err)
{
	const struct imap_response	*r = &c->resp;

	imap_conn_progress(c);		/* the greeting has a deadline too */
	if (imap_conn_read(c, err) == -1)
		return -1;
	if (r->type == IMAP_RESP_UNTAGGED && r->status == IMAP_STATUS_OK)
		return 0;
	if (r->type == IMAP_RESP_UNTAGGED && r->status == IMAP_STATUS_PREAUTH) {
		c->preauth = true;
		return 0;
	}
	c->broken = true;
	if (r->status == IMAP_STATUS_BYE) {
		return error_set(err, ERR_SERVER, ERR_SCOPE_ACCOUNT,
		    "%s: server refused the connection: %.*s", c->host,
		    (int)r->text.len, r->text.p);
	}
	return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
	    "%s: not an IMAP greeting", c->host);
}

/* Ask for the capabilities. */
int
imap_conn_capability(struct imap_conn *c, struct error *err)
{
	c->have_caps = false;
	if (imap_conn_run(c, NULL, NULL, err, "CAPABILITY") == -1)
		return -1;
	if (!c->have_caps) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: no CAPABILITY response", c->host);
		c->broken = true;
		return -1;
	}
	return 0;
}

/* Upgrade to TLS with STARTTLS. */
int
imap_conn_starttls(struct imap_conn *c, const struct stream_tls_config *tc,
    struct error *err)
{
	if (c->preauth) {
		c->broken = true;
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server sent PREAUTH on a plain connection; "
		    "refusing to continue without TLS", c->host);
	}
	if (!c->have_caps && imap_conn_capability(c, err) == -1)
		return -1;
	if (!(c->caps & IMAP_CAP_STARTTLS)) {
		c->broken = true;
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "%s: server does not offer STARTTLS; refusing to "
		    "continue without TLS", c->host);
	}
	if (imap_conn_run(c, NULL, NULL, err, "STARTTLS") == -1) {
		c->broken = true;
		error_widen(err, ERR_SCOPE_ACCOUNT);
		err->code = ERR_TLS;
		return -1;
	}
	/* Nothing sent before the handshake may be believed after it. */
	imap_response_fini(&c->resp);
	c->resp.args.type = IMAP_V_LIST;
	buf_reset(&c->in);
	c->off = c->used = 0;
	imap_frame_init(&c->fr);
	c->caps = 0;
	c->have_caps = false;
	if (stream_pending(c->s) > 0)
		log_debug("imap", "%s: discarding data sent before TLS", c->host);
	if (stream_tls_start(&c->s, c->host, tc, err) == -1) {
		c->broken = true;
		return -1;
	}
	return imap_conn_capability(c, err);
}

/* Connect, TLS, greeting and capabilities, per the account's security. */
int
imap_conn_connect(const struct config_account *cfg, int wake_fd,
    struct imap_conn **out, struct error *err)
{
	struct transport_endpoint	 ep;
	struct stream			*s;
	struct imap_conn		*c;

	*out = NULL;
	if (endpoint_from_account(cfg, wake_fd, &ep, err) == -1)
		return -1;
	s = transport_connect(&ep, err);
	endpoint_fini(&ep);		/* the proxy password; ep.tls stays */
	if (s == NULL)
		return -1;
	c = imap_conn_new(s, cfg->host);
	c->timeout_ms = cfg->timeout_ms;
	if (imap_conn_greeting(c, err) == -1)
		goto fail;
	if (cfg->security == CONFIG_SEC_STARTTLS &&
	    imap_conn_starttls(c, &ep.tls, err) == -1)
		goto fail;
	imap_set_timeout(c->s, cfg->timeout_ms);
	if (!c->have_caps && imap_conn_capability(c, err) == -1)
		goto fail;
	*out = c;
	return 0;

fail:
	error_widen(err, ERR_SCOPE_ACCOUNT);
	imap_conn_free(c);
	return -1;
}

/* Append the base64 form of (p, len) (RFC 4648, padded). */
static void
imap_base64(struct buf *out, const unsigned char *p, size_t len)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t	 v;

	for (size_t i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		buf_addc(out, b64[(v >> 18) & 63]);
		buf_addc(out, b64[(v >> 12) & 63]);
		buf_addc(out, i + 1 < len ? b64[(v >> 6) & 63] : '=');
		buf_addc(out, i + 2 < len ? b64[v & 63] : '=');
	}
}

/* The server's tagged NO/BAD to our credentials, as an auth error. */
static int
imap_auth_refused(struct imap_conn *c, struct error *err)
{
	return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
	    "authentication failed (server said: %.*s)",
	    (int)c->resp.text.len, c->resp.text.p);
}

/* After a failed login command: a refusal becomes ERR_AUTH. */
static int
imap_auth_failed(struct imap_conn *c, struct error *err)
{
	if (err->code == ERR_SERVER)
		return imap_auth_refused(c, err);
	return -1;
}

/* Send a line that is wholly a secret (a SASL response). */
static int
imap_conn_send_secret(struct imap_conn *c, const char *line, size_t len,
    struct error *err)
{
	log_proto("imap", '>', "<redacted>", 10);
	if (stream_write_all(c->s, line, len, err) == -1) {
		c->broken = true;
		error_widen(err, ERR_SCOPE_ACCOUNT);
		return -1;
	}
	return 0;
}

/* AUTHENTICATE PLAIN without SASL-IR: wait for "+", then respond. */
static int
imap_auth_plain_cont(struct imap_conn *c, struct buf *resp,
    struct error *err)
{
	const struct imap_response	*r = &c->resp;

	if (imap_conn_send(c, err, "AUTHENTICATE PLAIN") == -1)
		return -1;
	for (;;) {
		if (imap_conn_read(c, err) == -1)
			return -1;
		if (r->type == IMAP_RESP_CONTINUE)
			break;
		if (r->type == IMAP_RESP_TAGGED)
			return imap_auth_refused(c, err);
	}
	buf_adds(resp, "\r\n");
	if (imap_conn_send_secret(c, resp->data, resp->len, err) == -1)
		return -1;
	for (;;) {
		if (imap_conn_read(c, err) == -1)
			return -1;
		if (r->type == IMAP_RESP_TAGGED)
			break;
		if (r->type == IMAP_RESP_CONTINUE &&
		    imap_conn_send_secret(c, "*\r\n", 3, err) == -1)
			return -1;	/* a challenge PLAIN has not: cancel */
	}
	if (r->status != IMAP_STATUS_OK)
		return imap_auth_refused(c, err);
	return 0;
}

/*
 * AUTHENTICATE PLAIN (RFC 4616): "\0user\0password", base64.  Both
 * buffers are reserved at their final size first (and the base64 with
 * room for the CRLF the continuation form adds), so they never grow:
 * growing would leave unwiped copies of the secret in freed memory.
 */
static int
imap_auth_plain(struct imap_conn *c, const char *user, const char *pass,
    struct error *err)
{
	struct buf	 msg, b64;
	size_t		 n = strlen(user) + strlen(pass) + 2;
	int		 rc;

	buf_init(&msg, 0);
	buf_init(&b64, 0);
	buf_reserve(&msg, n);
	buf_reserve(&b64, (n + 2) / 3 * 4 + 2);
	buf_addc(&msg, '\0');
	buf_adds(&msg, user);
	buf_addc(&msg, '\0');
	buf_adds(&msg, pass);
	imap_base64(&b64, (const unsigned char *)msg.data, msg.len);
	if (c->caps & IMAP_CAP_SASL_IR) {
		rc = imap_conn_run(c, NULL, NULL, err, "AUTHENTICATE PLAIN %s",
		    b64.data);
		if (rc == -1)
			imap_auth_failed(c, err);
	} else
		rc = imap_auth_plain_cont(c, &b64, err);
	buf_fini_secret(&msg);
	buf_fini_secret(&b64);
	return rc;
}

/* LOGIN user password, both quoted. */
static int
imap_auth_login(struct imap_conn *c, const char *user, const char *pass,
    struct error *err)
{
	struct buf	 u, p;
	int		 rc = -1;

	buf_init(&u, 0);
	buf_init(&p, 0);
	/* Quoted, the password is at most twice as long: never regrown. */
	buf_reserve(&p, 2 * strlen(pass) + 2);
	if (c->caps & IMAP_CAP_LOGINDISABLED) {
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: server does not allow LOGIN (LOGINDISABLED) and "
		    "offers no AUTH=PLAIN", c->host);
		goto out;
	}
	if (imap_quote(&u, user) == -1 || imap_quote(&p, pass) == -1) {
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: user name or password has characters LOGIN cannot "
		    "send, and the server offers no AUTH=PLAIN", c->host);
		goto out;
	}
	if ((rc = imap_conn_run(c, NULL, NULL, err, "LOGIN %s %s", u.data,
	    p.data)) == -1)
		imap_auth_failed(c, err);

out:
	buf_fini_secret(&u);
	buf_fini_secret(&p);
	return rc;
}

/* Log in unless already authenticated. */
int
imap_conn_login(struct imap_conn *c, const char *user, const char *pass,
    struct error *err)
{
	int	 rc;

	if (c->preauth)
		return 0;
	if (!c->have_caps && imap_conn_capability(c, err) == -1)
		return -1;
	if (c->caps & IMAP_CAP_AUTH_PLAIN)
		rc = imap_auth_plain(c, user, pass, err);
	else
		rc = imap_auth_login(c, user, pass, err);
	if (rc == -1)
		return -1;
	/* Capabilities often change after login (RFC 3501 6.2.3). */
	if (!imap_slice_is(c->resp.code, "CAPABILITY"))
		return imap_conn_capability(c, err);
	return 0;
}

/* LOGOUT, reading until the tagged OK or an error. */
void
imap_conn_logout(struct imap_conn *c)
{
	struct error	 err;

	if (c == NULL || c->broken)
		return;
	(void)imap_conn_run(c, NULL, NULL, &err, "LOGOUT");
}
