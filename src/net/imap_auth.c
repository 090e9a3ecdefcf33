/*
 * imap_auth.c - logging in: AUTHENTICATE (RFC 3501 6.2.2) with a SASL
 * mechanism from sasl.c, the initial response inline when the server has
 * SASL-IR (RFC 4959), or LOGIN (6.2.3) when it offers no usable SASL.
 *
 * Policy: the account's "auth" list restricts and orders the mechanisms,
 * otherwise the strongest the server offers is used (sasl_choose).  On a
 * connection without TLS nothing that reveals the password (PLAIN, LOGIN,
 * the LOGIN command, an OAuth token) is sent unless allow_plaintext_auth;
 * CRAM-MD5 and SCRAM are fine.  One mechanism is tried, once: a wrong
 * password is one "authentication failed (server said: ...)", never a
 * loop that locks the account.  A local failure in the middle of an
 * exchange cancels it with "*".  A SCRAM exchange the server ends with OK
 * before proving it knows the password is refused.
 *
 * Secrets: every buffer that held a password, token or SASL response is
 * wiped; the trace shows "<redacted>" (imap_redact, imap_conn_write).
 */
#include <stdlib.h>
#include <string.h>

#include "net/imap_login.h"
#include "net/sasl.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Continuations one exchange may see (SCRAM needs two). */
#define IMAP_AUTH_STEPS_MAX	8

/* The server's tagged NO/BAD to our credentials, as an auth error. */
static int
imap_auth_refused(struct imap_conn *c, struct error *err)
{
	struct buf	 b;

	buf_init(&b, 0);
	imap_login_text(&b, &c->resp.text);
	error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
	    "authentication failed (server said: %s)", buf_str(&b));
	buf_fini(&b);
	return -1;
}

/* Whether a secret may be sent in the clear on this connection. */
static bool
imap_auth_clear_ok(struct imap_conn *c, const struct config_account *cfg)
{
	/* cfg NULL: a connection the caller made, with its own policy. */
	return cfg == NULL || cfg->allow_plaintext_auth || stream_is_tls(c->s);
}

/* The refusal to send a password in plain text. */
static int
imap_auth_cleartext(struct imap_conn *c, struct error *err)
{
	return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
	    "%s: refusing to send a password in plain text; set "
	    "allow_plaintext_auth = yes", c->host);
}

/* The bearer token: oauth2_token_command's first line of output. */
static char *
imap_auth_token(const struct config_account *cfg, struct error *err)
{
	struct config_account	 a = *cfg;

	a.password = NULL;
	a.password_command = cfg->oauth2_token_command;
	return config_account_password(&a, err);
}

/* Send one SASL response line (a secret), or "*" to cancel. */
static int
imap_auth_respond(struct imap_conn *c, const char *resp, struct error *err)
{
	struct buf	 b;
	int		 rc;

	if (resp == NULL)
		return imap_conn_write(c, "*\r\n", 3, NULL, err);
	buf_init(&b, 0);
	buf_reserve(&b, strlen(resp) + 3);	/* never regrown */
	buf_adds(&b, resp);
	buf_adds(&b, "\r\n");
	rc = imap_conn_write(c, b.data, b.len, "<redacted>", err);
	buf_fini_secret(&b);
	return rc;
}

/* Answer one continuation; a local failure cancels (lerr, *failed). */
static int
imap_auth_challenge(struct imap_conn *c, struct sasl_client *sc,
    bool *failed, struct error *lerr, struct error *err)
{
	const struct imap_slice	*t = &c->resp.text;
	char			*in, *out = NULL;
	int			 rc;

	if (*failed) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT, "%s: server "
		    "went on with AUTHENTICATE after it was cancelled",
		    c->host);
		return imap_conn_fail(c, err);
	}
	if (t->len > SASL_CHALLENGE_MAX) {
		*failed = true;
		error_set(lerr, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: SASL challenge too long", c->host);
		return imap_auth_respond(c, NULL, err);
	}
	in = xstrndup(t->p != NULL ? t->p : "", t->len);
	if (sasl_client_step(sc, in, &out, lerr) == -1)
		*failed = true;
	free(in);
	imap_conn_progress(c);
	rc = imap_auth_respond(c, *failed ? NULL : out, err);
	xfree_secret(out);
	return rc;
}

/* Read the exchange of an AUTHENTICATE already sent, to its end. */
static int
imap_auth_exchange(struct imap_conn *c, struct sasl_client *sc,
    enum sasl_mech m, struct error *err)
{
	const struct imap_response	*r = &c->resp;
	struct error			 lerr, aerr;
	bool				 failed = false;
	int				 steps = 0;

	for (;;) {
		if (imap_conn_read(c, err) == -1)
			return -1;
		/* RFC 3501 7.1: [ALERT] text must reach the user. */
		if (r->type != IMAP_RESP_CONTINUE &&
		    imap_slice_is(r->code, "ALERT") && c->unsolicited != NULL)
			(void)c->unsolicited(c->unsolicited_arg, r, &aerr);
		if (r->type == IMAP_RESP_UNTAGGED)
			continue;	/* noted by imap_input.c; bounded */
		if (r->type == IMAP_RESP_TAGGED)
			break;
		if (++steps > IMAP_AUTH_STEPS_MAX) {
			error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
			    "%s: too many SASL challenges", c->host);
			return imap_conn_fail(c, err);
		}
		if (imap_auth_challenge(c, sc, &failed, &lerr, err) == -1)
			return -1;
	}
	if (!imap_slice_is(r->tag, c->tag)) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: response for unknown tag during AUTHENTICATE",
		    c->host);
		return imap_conn_fail(c, err);
	}
	if (failed) {
		*err = lerr;
		return -1;
	}
	if (r->status != IMAP_STATUS_OK)
		return imap_auth_refused(c, err);
	if ((m == SASL_SCRAM_SHA_1 || m == SASL_SCRAM_SHA_256) &&
	    !sasl_client_done(sc)) {
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "%s: server "
		    "accepted %s without proving it knows the password",
		    c->host, sasl_mech_name(m));
		return imap_conn_fail(c, err);
	}
	return 0;
}

/* AUTHENTICATE with mechanism m: initial response inline when allowed. */
static int
imap_auth_sasl(struct imap_conn *c, enum sasl_mech m,
    const struct sasl_creds *cr, struct error *err)
{
	struct sasl_client	*sc;
	char			*ir = NULL;
	int			 rc = -1;

	if ((sc = sasl_client_new(m, cr, err)) == NULL)
		return -1;
	if (sasl_mech_client_first(m) && (c->caps & IMAP_CAP_SASL_IR)) {
		if (sasl_client_step(sc, NULL, &ir, err) == -1)
			goto out;
		rc = imap_conn_send(c, err, "AUTHENTICATE %s %s",
		    sasl_mech_name(m), ir[0] != '\0' ? ir : "=");
	} else
		rc = imap_conn_send(c, err, "AUTHENTICATE %s",
		    sasl_mech_name(m));
	if (rc == 0)
		rc = imap_auth_exchange(c, sc, m, err);

out:
	xfree_secret(ir);
	sasl_client_free(sc);
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
		    "offers no usable AUTH= mechanism", c->host);
		goto out;
	}
	if (imap_quote(&u, user) == -1 || imap_quote(&p, pass) == -1) {
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: user name or password has characters LOGIN cannot "
		    "send, and the server offers no usable AUTH= mechanism",
		    c->host);
		goto out;
	}
	if ((rc = imap_conn_run(c, NULL, NULL, err, "LOGIN %s %s", u.data,
	    p.data)) == -1 && err->code == ERR_SERVER)
		imap_auth_refused(c, err);

out:
	buf_fini_secret(&u);
	buf_fini_secret(&p);
	return rc;
}

/*
 * The mechanisms to try (at most SASL_NMECHS), those that would reveal
 * the secret left out when that is not allowed (*dropped then).
 */
static int
imap_auth_candidates(struct imap_conn *c, const struct config_account *cfg,
    enum sasl_mech *list, bool *dropped, struct error *err)
{
	unsigned	 offered = imap_login_mechs(c);
	int		 n, k = 0;

	if (c->caps & IMAP_CAP_AUTH_PLAIN)
		offered |= SASL_BIT(SASL_PLAIN);
	n = sasl_choose(offered, cfg != NULL ? cfg->auth : NULL,
	    cfg != NULL && cfg->oauth2_token_command != NULL, list, err);
	if (n > 0 && (cfg == NULL || cfg->auth == NULL) && stream_is_tls(c->s))
		sasl_order_for_tls(list, n);
	*dropped = false;
	for (int i = 0; i < n; i++) {
		if (sasl_mech_reveals_secret(list[i]) &&
		    !imap_auth_clear_ok(c, cfg))
			*dropped = true;
		else
			list[k++] = list[i];
	}
	return n == -1 ? -1 : k;
}

/* Run mechanism m with the right secret. */
static int
imap_auth_with(struct imap_conn *c, const struct config_account *cfg,
    enum sasl_mech m, const char *user, const char *pass, struct error *err)
{
	struct sasl_creds	 cr;
	char			*token = NULL;
	int			 rc;

	memset(&cr, 0, sizeof cr);
	cr.user = user;
	cr.password = pass;
	cr.service = "imap";
	cr.host = c->host;
	cr.port = cfg != NULL && cfg->port != NULL ? cfg->port : "993";
	if (sasl_mech_uses_token(m)) {
		if (cfg == NULL || cfg->oauth2_token_command == NULL)
			return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
			    "%s needs oauth2_token_command", sasl_mech_name(m));
		if ((token = imap_auth_token(cfg, err)) == NULL)
			return -1;
		cr.token = token;
	}
	log_debug("imap", "%s: authenticating with %s", c->host,
	    sasl_mech_name(m));
	rc = imap_auth_sasl(c, m, &cr, err);
	xfree_secret(token);
	return rc;
}

/* What to do when no SASL mechanism is usable. */
static int
imap_auth_fallback(struct imap_conn *c, const struct config_account *cfg,
    bool dropped, const char *user, const char *pass, struct error *err)
{
	if (dropped || !imap_auth_clear_ok(c, cfg))
		return imap_auth_cleartext(c, err);
	if (cfg != NULL && cfg->auth != NULL)
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: the server offers none of the mechanisms in "
		    "auth = %s", c->host, cfg->auth);
	if (pass == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s: no password", c->host);
	return imap_auth_login(c, user, pass, err);
}

/* Log in unless already authenticated. */
int
imap_conn_login(struct imap_conn *c, const char *user, const char *pass,
    struct error *err)
{
	const struct config_account	*cfg = imap_login_account(c);
	enum sasl_mech			 list[SASL_NMECHS];
	bool				 dropped;
	int				 n, rc;

	if (c->preauth)
		return 0;
	if ((!c->have_caps || !imap_login_mechs_known(c)) &&
	    imap_conn_capability(c, err) == -1)
		return -1;
	if ((n = imap_auth_candidates(c, cfg, list, &dropped, err)) == -1)
		return -1;
	if (n > 0)
		rc = imap_auth_with(c, cfg, list[0], user, pass, err);
	else
		rc = imap_auth_fallback(c, cfg, dropped, user, pass, err);
	if (rc == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		return -1;
	}
	/* Capabilities often change after login (RFC 3501 6.2.3). */
	if (!imap_slice_is(c->resp.code, "CAPABILITY"))
		return imap_conn_capability(c, err);
	return 0;
}
