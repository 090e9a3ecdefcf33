/*
 * sasl.c - the SASL client (sasl.h): mechanism choice, libgsasl sessions
 * for the password mechanisms, XOAUTH2 and OAUTHBEARER by hand.
 *
 * Owns the order of preference (SCRAM-SHA-256 > SCRAM-SHA-1 > CRAM-MD5 >
 * PLAIN > LOGIN; OAuth first when a token command is configured) and the
 * wiping of every copy of a secret it or libgsasl made.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gsasl.h>

#include "net/sasl.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* The longest OAuth initial response before base64 (token included). */
#define SASL_OAUTH_MAX		16384

struct sasl_client {
	enum sasl_mech	 mech;
	Gsasl		*ctx;		/* libgsasl mechanisms */
	Gsasl_session	*sess;
	char		*ir;		/* OAuth: the initial response, base64 */
	int		 steps;
	bool		 done;
};

static const char *const sasl_names[SASL_NMECHS] = {
	[SASL_NONE] = "",
	[SASL_LOGIN] = "LOGIN",
	[SASL_PLAIN] = "PLAIN",
	[SASL_CRAM_MD5] = "CRAM-MD5",
	[SASL_SCRAM_SHA_1] = "SCRAM-SHA-1",
	[SASL_SCRAM_SHA_256] = "SCRAM-SHA-256",
	[SASL_XOAUTH2] = "XOAUTH2",
	[SASL_OAUTHBEARER] = "OAUTHBEARER",
};

/* Default order, strongest first (OAuth is added in front when usable). */
static const enum sasl_mech sasl_default_order[] = {
	SASL_SCRAM_SHA_256, SASL_SCRAM_SHA_1, SASL_CRAM_MD5, SASL_PLAIN,
	SASL_LOGIN,
};

/* The mechanism's name. */
const char *
sasl_mech_name(enum sasl_mech m)
{
	return (unsigned)m < SASL_NMECHS ? sasl_names[m] : "";
}

/* The mechanism named by (p, len). */
enum sasl_mech
sasl_mech_parse(const char *p, size_t len)
{
	for (int m = SASL_NONE + 1; m < SASL_NMECHS; m++) {
		if (strlen(sasl_names[m]) == len &&
		    strncasecmp(p, sasl_names[m], len) == 0)
			return (enum sasl_mech)m;
	}
	return SASL_NONE;
}

/* Whether a listener learns the secret from the exchange. */
bool
sasl_mech_reveals_secret(enum sasl_mech m)
{
	return m == SASL_PLAIN || m == SASL_LOGIN || sasl_mech_uses_token(m);
}

/* Whether the mechanism sends a bearer token. */
bool
sasl_mech_uses_token(enum sasl_mech m)
{
	return m == SASL_XOAUTH2 || m == SASL_OAUTHBEARER;
}

/* Whether the client sends the first message. */
bool
sasl_mech_client_first(enum sasl_mech m)
{
	return m != SASL_LOGIN && m != SASL_CRAM_MD5 && m != SASL_NONE;
}

/* Add m to out unless there already. */
static void
sasl_add(enum sasl_mech *out, int *n, enum sasl_mech m)
{
	for (int i = 0; i < *n; i++) {
		if (out[i] == m)
			return;
	}
	out[(*n)++] = m;
}

/* Parse the account's list into out (every known name, in order). */
static int
sasl_parse_list(const char *auth, enum sasl_mech *out, struct error *err)
{
	const char	*p = auth, *w;
	enum sasl_mech	 m;
	size_t		 len;
	int		 n = 0;

	while (*p != '\0') {
		p += strspn(p, ", \t");
		w = p;
		len = strcspn(p, ", \t");
		p += len;
		if (len == 0)
			continue;
		if ((m = sasl_mech_parse(w, len)) == SASL_NONE)
			return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
			    "auth: unknown SASL mechanism '%.*s'",
			    (int)(len > 40 ? 40 : len), w);
		sasl_add(out, &n, m);
	}
	return n;
}

/* The mechanisms to try, in order (sasl.h). */
int
sasl_choose(unsigned offered, const char *auth, bool have_token,
    enum sasl_mech *out, struct error *err)
{
	enum sasl_mech	 want[SASL_NMECHS];
	int		 nwant = 0, n = 0;

	if (auth != NULL) {
		if ((nwant = sasl_parse_list(auth, want, err)) == -1)
			return -1;
	} else {
		if (have_token) {
			want[nwant++] = SASL_OAUTHBEARER;
			want[nwant++] = SASL_XOAUTH2;
		}
		for (size_t i = 0; i < sizeof sasl_default_order /
		    sizeof *sasl_default_order; i++)
			want[nwant++] = sasl_default_order[i];
	}
	for (int i = 0; i < nwant; i++) {
		if (offered & SASL_BIT(want[i]))
			sasl_add(out, &n, want[i]);
	}
	return n;
}

/*
 * Inside TLS with a verified (or pinned) certificate: PLAIN before
 * CRAM-MD5 (sasl.h).
 */
void
sasl_order_for_tls(enum sasl_mech *list, int n)
{
	int	cram = -1, plain = -1;

	for (int i = 0; i < n; i++) {
		if (list[i] == SASL_CRAM_MD5)
			cram = i;
		else if (list[i] == SASL_PLAIN)
			plain = i;
	}
	if (cram < 0 || plain < cram)
		return;
	for (int i = plain; i > cram; i--)
		list[i] = list[i - 1];
	list[cram] = SASL_PLAIN;
}

/* Append s with ',' and '=' escaped as RFC 5801 saslname wants. */
static void
sasl_saslname(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == ',')
			buf_adds(b, "=2C");
		else if (*s == '=')
			buf_adds(b, "=3D");
		else
			buf_addc(b, *s);
	}
}

/* Build the OAuth initial response (base64) into c->ir. */
static int
sasl_oauth_start(struct sasl_client *c, const struct sasl_creds *cr,
    struct error *err)
{
	struct buf	 b;
	int		 rc = 0;

	if (cr->token == NULL || cr->user == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s needs a user and an oauth2_token_command",
		    sasl_mech_name(c->mech));
	buf_init(&b, SASL_OAUTH_MAX);
	buf_reserve(&b, SASL_OAUTH_MAX);	/* never regrown: wiped once */
	if (c->mech == SASL_XOAUTH2) {
		buf_printf(&b, "user=%s\001auth=Bearer %s\001\001", cr->user,
		    cr->token);
	} else {
		buf_adds(&b, "n,a=");
		sasl_saslname(&b, cr->user);
		buf_printf(&b, ",\001host=%s\001port=%s\001auth=Bearer "
		    "%s\001\001", cr->host != NULL ? cr->host : "",
		    cr->port != NULL ? cr->port : "", cr->token);
	}
	if (b.too_big)
		rc = error_set(err, ERR_TOOBIG, ERR_SCOPE_ACCOUNT,
		    "OAuth token too long");
	else if (gsasl_base64_to(b.data, b.len, &c->ir, NULL) != GSASL_OK)
		rc = error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "cannot encode the OAuth response");
	buf_fini_secret(&b);
	return rc;
}

/* Start a libgsasl client session with the credentials set. */
static int
sasl_gsasl_start(struct sasl_client *c, const struct sasl_creds *cr,
    struct error *err)
{
	int	 rc;

	if ((rc = gsasl_init(&c->ctx)) != GSASL_OK) {
		c->ctx = NULL;
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "SASL: %s", gsasl_strerror(rc));
	}
	if ((rc = gsasl_client_start(c->ctx, sasl_mech_name(c->mech),
	    &c->sess)) != GSASL_OK) {
		c->sess = NULL;
		return error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "SASL %s: %s", sasl_mech_name(c->mech), gsasl_strerror(rc));
	}
	if (cr->user != NULL)
		gsasl_property_set(c->sess, GSASL_AUTHID, cr->user);
	if (cr->password != NULL)
		gsasl_property_set(c->sess, GSASL_PASSWORD, cr->password);
	if (cr->service != NULL)
		gsasl_property_set(c->sess, GSASL_SERVICE, cr->service);
	if (cr->host != NULL)
		gsasl_property_set(c->sess, GSASL_HOSTNAME, cr->host);
	return 0;
}

/* Start a client session for mechanism m. */
struct sasl_client *
sasl_client_new(enum sasl_mech m, const struct sasl_creds *cr,
    struct error *err)
{
	struct sasl_client	*c;
	int			 rc;

	if (m <= SASL_NONE || m >= SASL_NMECHS) {
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT,
		    "SASL: no mechanism");
		return NULL;
	}
	c = xcalloc(1, sizeof *c);
	c->mech = m;
	if (sasl_mech_uses_token(m))
		rc = sasl_oauth_start(c, cr, err);
	else if (cr->password == NULL || cr->user == NULL)
		rc = error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s needs a user and a password", sasl_mech_name(m));
	else
		rc = sasl_gsasl_start(c, cr, err);
	if (rc == -1) {
		sasl_client_free(c);
		return NULL;
	}
	return c;
}

/*
 * An OAuth step: the initial response, then (a failure report from the
 * server, RFC 7628 3.2.3) the dummy answer that lets it send its NO.
 */
static int
sasl_oauth_step(struct sasl_client *c, char **out)
{
	if (c->steps++ == 0) {
		*out = xstrdup(c->ir);
		return 1;
	}
	c->done = true;
	*out = xstrdup(c->mech == SASL_OAUTHBEARER ? "AQ==" : "");
	return 0;
}

/* One libgsasl step, its output copied to memory petrel wipes. */
static int
sasl_gsasl_step(struct sasl_client *c, const char *in, char **out,
    struct error *err)
{
	char	*o = NULL;
	int	 rc;

	rc = gsasl_step64(c->sess, in != NULL ? in : "", &o);
	if (rc != GSASL_OK && rc != GSASL_NEEDS_MORE) {
		if (o != NULL) {
			xwipe(o, strlen(o));
			gsasl_free(o);
		}
		return error_set(err, rc == GSASL_AUTHENTICATION_ERROR ?
		    ERR_AUTH : ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "SASL %s: %s", sasl_mech_name(c->mech),
		    gsasl_strerror(rc));
	}
	*out = xstrdup(o != NULL ? o : "");
	if (o != NULL) {
		xwipe(o, strlen(o));
		gsasl_free(o);
	}
	c->steps++;
	if (rc == GSASL_OK)
		c->done = true;
	return rc == GSASL_OK ? 0 : 1;
}

/* One step of the exchange (sasl.h). */
int
sasl_client_step(struct sasl_client *c, const char *in, char **out,
    struct error *err)
{
	*out = NULL;
	if (in != NULL && strlen(in) > SASL_CHALLENGE_MAX)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "SASL %s: server challenge longer than %d bytes",
		    sasl_mech_name(c->mech), SASL_CHALLENGE_MAX);
	if (c->done)
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "SASL %s: server sent a challenge after the exchange "
		    "was complete", sasl_mech_name(c->mech));
	if (sasl_mech_uses_token(c->mech))
		return sasl_oauth_step(c, out);
	return sasl_gsasl_step(c, in, out, err);
}

/* Whether the mechanism completed. */
bool
sasl_client_done(const struct sasl_client *c)
{
	return c->done;
}

/* Wipe a property libgsasl holds (it frees without wiping). */
static void
sasl_wipe_prop(Gsasl_session *s, Gsasl_property p)
{
	const char	*v = gsasl_property_fast(s, p);

	if (v != NULL)
		xwipe((char *)(uintptr_t)v, strlen(v));
}

/* Wipe and free the session. */
void
sasl_client_free(struct sasl_client *c)
{
	if (c == NULL)
		return;
	if (c->sess != NULL) {
		sasl_wipe_prop(c->sess, GSASL_PASSWORD);
		sasl_wipe_prop(c->sess, GSASL_SCRAM_SALTED_PASSWORD);
		sasl_wipe_prop(c->sess, GSASL_SCRAM_SERVERKEY);
		sasl_wipe_prop(c->sess, GSASL_SCRAM_STOREDKEY);
		gsasl_finish(c->sess);
	}
	if (c->ctx != NULL)
		gsasl_done(c->ctx);
	if (c->ir != NULL) {
		xwipe(c->ir, strlen(c->ir));
		gsasl_free(c->ir);
	}
	free(c);
}
