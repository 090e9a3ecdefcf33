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
#include "net/smtp_conn.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Challenges one exchange may see (SCRAM needs two, LOGIN two). */
#define SMTP_AUTH_STEPS_MAX	8

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

/* Answer one 334; a local failure cancels (lerr, *failed). */
static int
smtp_auth_challenge(struct smtp_conn *c, struct sasl_client *sc,
    char **ir, bool *failed, struct error *lerr, struct error *err)
{
	const struct smtp_reply	*r = &c->pr.reply;
	char			*in, *out = NULL;
	int			 rc;

	if (*failed) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT, "%s: server "
		    "went on with AUTH after it was cancelled", c->host);
		return smtp_conn_fail(c, err);
	}
	if (*ir != NULL) {
		/* The initial response that did not fit on the AUTH line. */
		rc = smtp_conn_respond(c, (*ir)[0] != '\0' ? *ir : "=", err);
		xfree_secret(*ir);
		*ir = NULL;
		return rc;
	}
	if (r->nlines != 1 || r->text.len > SASL_CHALLENGE_MAX) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT, "%s: malformed "
		    "SASL challenge", c->host);
		return smtp_conn_fail(c, err);
	}
	in = xstrndup(buf_str(&r->text), r->text.len);
	if (sasl_client_step(sc, in, &out, lerr) == -1)
		*failed = true;
	free(in);
	rc = smtp_conn_respond(c, *failed ? "*" : out, err);
	xfree_secret(out);
	return rc;
}

/* Read the exchange of an AUTH already sent, to its end. */
static int
smtp_auth_exchange(struct smtp_conn *c, struct sasl_client *sc,
    enum sasl_mech m, char **ir, struct error *err)
{
	struct error	 lerr;
	bool		 failed = false;
	int		 steps = 0;

	for (;;) {
		if (smtp_conn_reply(c, "AUTH", c->timeout_ms, err) == -1)
			return -1;
		if (smtp_conn_code(c) != 334)
			break;
		if (++steps > SMTP_AUTH_STEPS_MAX) {
			error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
			    "%s: too many SASL challenges", c->host);
			return smtp_conn_fail(c, err);
		}
		if (smtp_auth_challenge(c, sc, ir, &failed, &lerr, err) == -1)
			return -1;
	}
	if (failed) {
		*err = lerr;
		return -1;
	}
	if (smtp_conn_code(c) != 235)
		return smtp_auth_refused(c, m, err);
	if ((m == SASL_SCRAM_SHA_1 || m == SASL_SCRAM_SHA_256) &&
	    !sasl_client_done(sc)) {
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "%s: server "
		    "accepted %s without proving it knows the password",
		    c->host, sasl_mech_name(m));
		return smtp_conn_fail(c, err);
	}
	return 0;
}

/* AUTH with mechanism m, the initial response inline when it fits. */
static int
smtp_auth_sasl(struct smtp_conn *c, enum sasl_mech m,
    const struct sasl_creds *cr, struct error *err)
{
	struct sasl_client	*sc;
	const char		*name = sasl_mech_name(m);
	char			*ir = NULL;
	int			 rc = -1;

	if ((sc = sasl_client_new(m, cr, err)) == NULL)
		return -1;
	if (sasl_mech_client_first(m) &&
	    sasl_client_step(sc, NULL, &ir, err) == -1)
		goto out;
	if (ir != NULL && strlen("AUTH  \r\n") + strlen(name) + strlen(ir) <=
	    SMTP_AUTH_LINE_MAX) {
		rc = smtp_conn_send(c, err, "AUTH %s %s", name,
		    ir[0] != '\0' ? ir : "=");
		xfree_secret(ir);
		ir = NULL;
	} else
		rc = smtp_conn_send(c, err, "AUTH %s", name);
	if (rc == 0)
		rc = smtp_auth_exchange(c, sc, m, &ir, err);

out:
	xfree_secret(ir);
	sasl_client_free(sc);
	return rc;
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
