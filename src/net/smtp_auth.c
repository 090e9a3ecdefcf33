/*
 * smtp_auth.c - logging in to a submission server: AUTH (RFC 4954) with
 * a SASL mechanism (through sasl.c).
 *
 * Policy, as for IMAP and POP3: the account's "auth" list restricts and
 * orders the mechanisms, otherwise the strongest the server offers in
 * EHLO is used.  Without TLS nothing that reveals the secret (PLAIN,
 * LOGIN, OAuth) is sent unless allow_plaintext_auth; CRAM-MD5 and SCRAM
 * are fine.  One attempt: a wrong password is one "authentication
 * failed (server said: ...)", never a loop that locks the account.  A
 * local failure in the middle of an exchange cancels it with "*" (RFC
 * 4954 4).
 *
 * The initial response goes on the AUTH line unless the line would pass
 * 512 octets (RFC 4954 4); then it answers the server's empty 334.  An
 * empty initial response is sent as "=".
 *
 * Secrets: every buffer that held a response is wiped; the trace shows
 * "<redacted>" (smtp_redact, smtp_conn_respond).
 */
#include <stdlib.h>
#include <string.h>

#include "net/sasl.h"
#include "net/sasl_line.h"
#include "net/smtp_conn.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* The server's refusal of our credentials, as the right error. */
static int
smtp_auth_refused(struct smtp_conn *c, enum sasl_mech m, struct error *err)
{
	struct buf	 b;
	int		 code = smtp_conn_code(c);

	buf_init(&b, 0);
	smtp_conn_text(c, &b);
	if (code >= 500)
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "%s: "
		    "authentication failed (server said: %s)", c->host,
		    buf_str(&b));
	else
		error_set(err, ERR_SERVER, ERR_SCOPE_ACCOUNT, "%s: AUTH %s "
		    "failed for now (server said: %s)", c->host,
		    sasl_mech_name(m), buf_str(&b));
	buf_fini(&b);
	return -1;
}

/* sasl_line: "AUTH mech [ir]". */
static int
smtp_auth_send(void *conn, const char *mech, const char *ir,
    struct error *err)
{
	struct smtp_conn	*c = conn;

	if (ir != NULL)
		return smtp_conn_send(c, err, "AUTH %s %s", mech, ir);
	return smtp_conn_send(c, err, "AUTH %s", mech);
}

/* sasl_line: the next reply; a 334 (one line) is a challenge. */
static int
smtp_auth_next(void *conn, const char **text, size_t *len,
    struct error *err)
{
	struct smtp_conn	*c = conn;
	const struct smtp_reply	*r = &c->pr.reply;

	if (smtp_conn_reply(c, "AUTH", c->timeout_ms, err) == -1)
		return -1;
	if (smtp_conn_code(c) != 334)
		return 0;
	if (r->nlines != 1) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT, "%s: malformed "
		    "SASL challenge", c->host);
		return smtp_conn_fail(c, err);
	}
	*text = buf_str(&r->text);
	*len = r->text.len;
	return 1;
}

/* sasl_line: one response line. */
static int
smtp_auth_respond(void *conn, const char *line, struct error *err)
{
	return smtp_conn_respond(conn, line, err);
}

/* sasl_line: 235 accepts. */
static bool
smtp_auth_accepted(void *conn)
{
	return smtp_conn_code(conn) == 235;
}

/* sasl_line: the refusal (see smtp_auth_refused). */
static int
smtp_auth_refused_cb(void *conn, enum sasl_mech m, struct error *err)
{
	return smtp_auth_refused(conn, m, err);
}

/* sasl_line: the connection cannot go on. */
static int
smtp_auth_fail(void *conn, struct error *err)
{
	return smtp_conn_fail(conn, err);
}

/* AUTH with mechanism m (sasl_line.c). */
static int
smtp_auth_sasl(struct smtp_conn *c, enum sasl_mech m,
    const struct sasl_creds *cr, struct error *err)
{
	const struct sasl_line	 l = { c, c->host, SMTP_AUTH_LINE_MAX,
	    smtp_auth_send, smtp_auth_next, smtp_auth_respond,
	    smtp_auth_accepted, smtp_auth_refused_cb, smtp_auth_fail };

	return sasl_line_auth(&l, m, cr, err);
}

/*
 * The mechanisms to try, those that would reveal the secret left out
 * when that is not allowed (*dropped then).
 */
static int
smtp_auth_candidates(struct smtp_conn *c, const struct smtp_settings *set,
    enum sasl_mech *list, bool *dropped, struct error *err)
{
	bool	 clear_ok = set->allow_plaintext_auth || stream_is_tls(c->s);
	int	 n, k = 0;

	n = sasl_choose(c->caps.mechs, set->auth, set->creds->token != NULL,
	    list, err);
	*dropped = false;
	for (int i = 0; i < n; i++) {
		if (sasl_mech_reveals_secret(list[i]) && !clear_ok)
			*dropped = true;
		else
			list[k++] = list[i];
	}
	return n == -1 ? -1 : k;
}

/* Log in. */
int
smtp_auth_login(struct smtp_conn *c, const struct smtp_settings *set,
    struct error *err)
{
	enum sasl_mech	 list[SASL_NMECHS];
	struct sasl_creds cr = *set->creds;
	bool		 dropped;
	int		 n;

	if (!(c->caps.flags & SMTP_CAP_AUTH))
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "%s: server "
		    "does not offer AUTH%s, so petrel cannot log in", c->host,
		    stream_is_tls(c->s) ? "" : " (without TLS; many servers "
		    "offer it only after STARTTLS)");
	if ((n = smtp_auth_candidates(c, set, list, &dropped, err)) == -1)
		return -1;
	if (n == 0 && dropped)
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "%s: "
		    "refusing to send a password in plain text; use TLS or "
		    "set allow_plaintext_auth = yes", c->host);
	if (n == 0)
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "%s: the "
		    "server offers none of the mechanisms %s", c->host,
		    set->auth != NULL ? set->auth : "petrel knows");
	if (sasl_mech_uses_token(list[0]) && cr.token == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s needs a bearer token", sasl_mech_name(list[0]));
	if (cr.service == NULL)
		cr.service = "smtp";	/* RFC 4954 4: the GSSAPI service */
	if (cr.host == NULL)
		cr.host = set->ep.host;
	if (cr.port == NULL)
		cr.port = set->ep.port;
	log_debug("smtp", "%s: authenticating with %s", c->host,
	    sasl_mech_name(list[0]));
	if (smtp_auth_sasl(c, list[0], &cr, err) == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		return -1;
	}
	return 0;
}
