/*
 * pop3_auth.c - logging in to a POP3 server: AUTH with a SASL mechanism
 * (RFC 5034, through sasl.c), APOP (RFC 1939 7), or USER/PASS (RFC 1939
 * 7).
 *
 * Policy, as for IMAP (imap_auth.c): the account's "auth" list restricts
 * and orders the SASL mechanisms, otherwise the strongest the server
 * offers in CAPA is used.  On a connection without TLS nothing that
 * reveals the password (PLAIN, LOGIN, OAuth, USER/PASS) is sent unless
 * allow_plaintext_auth; CRAM-MD5, SCRAM and APOP are fine.  With no
 * usable SASL mechanism: APOP when the greeting had a timestamp (and the
 * account names no mechanisms), else USER/PASS.  One attempt: a wrong
 * password is one "authentication failed (server said: ...)", never a
 * loop that locks the account.  A refusal with [IN-USE], [LOGIN-DELAY]
 * or [SYS/...] (RFC 2449 8, RFC 3206) is not about the password and says
 * so.  A local failure in the middle of an exchange cancels it with "*".
 *
 * The initial response goes on the AUTH line unless that would pass 255
 * octets (RFC 5034 4), in which case it answers the empty challenge.
 *
 * Secrets: every buffer that held a password, digest or SASL response is
 * wiped; the trace shows "<redacted>" (pop3_redact, pop3_conn_respond).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "net/pop3_conn.h"
#include "net/sasl.h"
#include "net/sasl_line.h"
#include "util/log.h"
#include "util/xmalloc.h"

/* Longest AUTH command with its initial response (RFC 5034 4). */
#define POP3_AUTH_LINE_MAX	255

/* The server's -ERR to our credentials, as the right error. */
static int
pop3_auth_refused(struct pop3_conn *c, struct error *err)
{
	struct pop3_slice	 code = c->ev.code;
	const char		*why = NULL;
	struct buf		 b;

	if (pop3_slice_is(code, "IN-USE"))
		why = "the mailbox is in use by another POP3 session";
	else if (pop3_slice_is(code, "LOGIN-DELAY"))
		why = "the server allows a login only every so often: try "
		    "again later";
	else if (code.len >= 3 && strncasecmp(code.p, "SYS", 3) == 0)
		why = "the server failed";
	buf_init(&b, 0);
	pop3_conn_text(c, &b);
	if (why != NULL)
		error_set(err, ERR_SERVER, ERR_SCOPE_ACCOUNT, "%s: %s "
		    "(server said: %s)", c->host, why, buf_str(&b));
	else
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "authentication failed (server said: %s)", buf_str(&b));
	buf_fini(&b);
	return -1;
}

/* Whether a secret may be sent in the clear on this connection. */
static bool
pop3_auth_clear_ok(struct pop3_conn *c)
{
	/* cfg NULL: a connection the caller made, with its own policy. */
	return c->cfg == NULL || c->cfg->allow_plaintext_auth ||
	    stream_is_tls(c->s);
}

/* The refusal to send a password in plain text. */
static int
pop3_auth_cleartext(struct pop3_conn *c, struct error *err)
{
	return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
	    "%s: refusing to send a password in plain text; set "
	    "allow_plaintext_auth = yes", c->host);
}

/* sasl_line: "AUTH mech [ir]". */
static int
pop3_auth_send(void *conn, const char *mech, const char *ir,
    struct error *err)
{
	if (ir != NULL)
		return pop3_conn_send(conn, POP3_EXPECT_AUTH, 0, err,
		    "AUTH %s %s", mech, ir);
	return pop3_conn_send(conn, POP3_EXPECT_AUTH, 0, err, "AUTH %s",
	    mech);
}

/* sasl_line: the next reply; a continuation is a challenge. */
static int
pop3_auth_next(void *conn, const char **text, size_t *len,
    struct error *err)
{
	struct pop3_conn	*c = conn;

	if (pop3_conn_next(c, err) == -1)
		return -1;
	if (c->ev.type != POP3_EV_CONT)
		return 0;
	*text = c->ev.text.p;
	*len = c->ev.text.len;
	return 1;
}

/* sasl_line: one response line. */
static int
pop3_auth_respond(void *conn, const char *line, struct error *err)
{
	return pop3_conn_respond(conn, line, err);
}

/* sasl_line: +OK accepts. */
static bool
pop3_auth_accepted(void *conn)
{
	return ((struct pop3_conn *)conn)->ev.type == POP3_EV_OK;
}

/* sasl_line: the refusal (see pop3_auth_refused). */
static int
pop3_auth_refused_cb(void *conn, enum sasl_mech m, struct error *err)
{
	(void)m;
	return pop3_auth_refused(conn, err);
}

/* sasl_line: the connection cannot go on. */
static int
pop3_auth_fail(void *conn, struct error *err)
{
	return pop3_conn_fail(conn, err);
}

/* AUTH with mechanism m (sasl_line.c). */
static int
pop3_auth_sasl(struct pop3_conn *c, enum sasl_mech m,
    const struct sasl_creds *cr, struct error *err)
{
	const struct sasl_line	 l = { c, c->host, POP3_AUTH_LINE_MAX,
	    pop3_auth_send, pop3_auth_next, pop3_auth_respond,
	    pop3_auth_accepted, pop3_auth_refused_cb, pop3_auth_fail };

	return sasl_line_auth(&l, m, cr, err);
}

/* The bearer token: oauth2_token_command's first line of output. */
static char *
pop3_auth_token(const struct config_account *cfg, struct error *err)
{
	struct config_account	 a = *cfg;

	a.password = NULL;
	a.password_command = cfg->oauth2_token_command;
	return config_account_password(&a, err);
}

/* Run mechanism m with the right secret. */
static int
pop3_auth_with(struct pop3_conn *c, enum sasl_mech m, const char *user,
    const char *pass, struct error *err)
{
	const struct config_account	*cfg = c->cfg;
	struct sasl_creds		 cr;
	char				*token = NULL;
	int				 rc;

	memset(&cr, 0, sizeof cr);
	cr.user = user;
	cr.password = pass;
	cr.service = "pop";		/* RFC 5034 5: the GSSAPI service */
	cr.host = c->host;
	cr.port = cfg != NULL && cfg->port != NULL ? cfg->port : "995";
	if (sasl_mech_uses_token(m)) {
		if (cfg == NULL || cfg->oauth2_token_command == NULL)
			return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
			    "%s needs oauth2_token_command", sasl_mech_name(m));
		if ((token = pop3_auth_token(cfg, err)) == NULL)
			return -1;
		cr.token = token;
	}
	log_debug("pop3", "%s: authenticating with %s", c->host,
	    sasl_mech_name(m));
	rc = pop3_auth_sasl(c, m, &cr, err);
	xfree_secret(token);
	return rc;
}

/* The hex MD5 digest of timestamp + password (RFC 1939 7). */
static int
pop3_auth_digest(const char *ts, const char *pass, char out[33],
    struct error *err)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen = 0;
	EVP_MD_CTX		*ctx;
	int			 ok;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "APOP: no digest context");
	ok = EVP_DigestInit_ex(ctx, EVP_md5(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, ts, strlen(ts)) == 1 &&
	    EVP_DigestUpdate(ctx, pass, strlen(pass)) == 1 &&
	    EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen == 16;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "APOP: MD5 is not available in this OpenSSL");
	for (unsigned i = 0; i < 16; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 0xf];
	}
	out[32] = '\0';
	xwipe(md, sizeof md);
	return 0;
}

/* Whether a user name can go on a command line. */
static bool
pop3_auth_word_ok(const char *s, bool spaces)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n' || (!spaces && *s == ' '))
			return false;
	}
	return true;
}

/* APOP user digest. */
static int
pop3_auth_apop(struct pop3_conn *c, const char *user, const char *pass,
    struct error *err)
{
	char	 digest[33];
	int	 rc;

	if (!pop3_auth_word_ok(user, false))
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: the user name cannot be sent with APOP", c->host);
	if (pop3_auth_digest(c->timestamp, pass, digest, err) == -1)
		return -1;
	log_debug("pop3", "%s: authenticating with APOP", c->host);
	rc = pop3_conn_send(c, POP3_EXPECT_SINGLE, 0, err, "APOP %s %s", user,
	    digest);
	xwipe(digest, sizeof digest);
	if (rc == -1 || pop3_conn_next(c, err) == -1)
		return -1;
	return c->ev.type == POP3_EV_OK ? 0 : pop3_auth_refused(c, err);
}

/* USER name, PASS password (RFC 1939 7). */
static int
pop3_auth_user(struct pop3_conn *c, const char *user, const char *pass,
    struct error *err)
{
	if (!pop3_auth_word_ok(user, true) || !pop3_auth_word_ok(pass, true))
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: user name or password has characters USER/PASS "
		    "cannot send", c->host);
	log_debug("pop3", "%s: authenticating with USER/PASS", c->host);
	if (pop3_conn_send(c, POP3_EXPECT_SINGLE, 0, err, "USER %s",
	    user) == -1 || pop3_conn_next(c, err) == -1)
		return -1;
	if (c->ev.type != POP3_EV_OK)
		return pop3_auth_refused(c, err);
	if (pop3_conn_send(c, POP3_EXPECT_SINGLE, 0, err, "PASS %s",
	    pass) == -1 || pop3_conn_next(c, err) == -1)
		return -1;
	return c->ev.type == POP3_EV_OK ? 0 : pop3_auth_refused(c, err);
}

/*
 * The SASL mechanisms to try, those that would reveal the secret left
 * out when that is not allowed (*dropped then).
 */
static int
pop3_auth_candidates(struct pop3_conn *c, enum sasl_mech *list,
    bool *dropped, struct error *err)
{
	const struct config_account	*cfg = c->cfg;
	int				 n, k = 0;

	n = sasl_choose(c->mechs, cfg != NULL ? cfg->auth : NULL,
	    cfg != NULL && cfg->oauth2_token_command != NULL, list, err);
	if (n > 0 && (cfg == NULL || cfg->auth == NULL) && stream_is_tls(c->s))
		sasl_order_for_tls(list, n);
	*dropped = false;
	for (int i = 0; i < n; i++) {
		if (sasl_mech_reveals_secret(list[i]) && !pop3_auth_clear_ok(c))
			*dropped = true;
		else
			list[k++] = list[i];
	}
	return n == -1 ? -1 : k;
}

/* No usable SASL mechanism: APOP, USER/PASS, or a clear refusal. */
static int
pop3_auth_fallback(struct pop3_conn *c, bool dropped, const char *user,
    const char *pass, struct error *err)
{
	const struct config_account	*cfg = c->cfg;

	if (cfg != NULL && cfg->auth != NULL)
		return dropped ? pop3_auth_cleartext(c, err) :
		    error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "%s: the "
		    "server offers none of the mechanisms in auth = %s",
		    c->host, cfg->auth);
	if (pass == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s: no password", c->host);
	if (c->timestamp != NULL)
		return pop3_auth_apop(c, user, pass, err);
	if (!pop3_auth_clear_ok(c))
		return pop3_auth_cleartext(c, err);
	if (c->have_caps && !(c->caps & POP3_CAP_USER))
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "%s: the server offers no login method petrel can use "
		    "(no SASL mechanism it knows, no APOP, no USER)", c->host);
	return pop3_auth_user(c, user, pass, err);
}

/* Log in. */
int
pop3_conn_login(struct pop3_conn *c, const char *user, const char *pass,
    struct error *err)
{
	enum sasl_mech	 list[SASL_NMECHS];
	bool		 dropped, had_caps = c->have_caps;
	int		 n, rc;

	if ((n = pop3_auth_candidates(c, list, &dropped, err)) == -1)
		return -1;
	if (n > 0)
		rc = pop3_auth_with(c, list[0], user, pass, err);
	else
		rc = pop3_auth_fallback(c, dropped, user, pass, err);
	if (rc == -1) {
		error_widen(err, ERR_SCOPE_ACCOUNT);
		return -1;
	}
	/* RFC 2449 5: capabilities may change after login. */
	if (had_caps)
		return pop3_conn_capa(c, err);
	return 0;
}
