/*
 * sasl_line.c - the SASL exchange SMTP and POP3 share (sasl_line.h).
 *
 * Secrets: every buffer that held a response is wiped; the protocol's
 * respond and send_auth trace them redacted.
 */
#include <stdlib.h>
#include <string.h>

#include "net/sasl_line.h"
#include "util/xmalloc.h"

/* Answer one challenge; a local failure cancels (lerr, *failed). */
static int
sasl_line_challenge(const struct sasl_line *l, struct sasl_client *sc,
    const char *text, size_t len, char **ir, bool *failed,
    struct error *lerr, struct error *err)
{
	char	*in, *out = NULL;
	int	 rc;

	if (*failed) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT, "%s: server "
		    "went on with AUTH after it was cancelled", l->host);
		return l->fail(l->conn, err);
	}
	if (*ir != NULL) {
		/* The initial response that did not fit on the AUTH line. */
		rc = l->respond(l->conn, (*ir)[0] != '\0' ? *ir : "=", err);
		xfree_secret(*ir);
		*ir = NULL;
		return rc;
	}
	if (len > SASL_CHALLENGE_MAX) {
		error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT, "%s: malformed "
		    "SASL challenge", l->host);
		return l->fail(l->conn, err);
	}
	in = xstrndup(text != NULL ? text : "", len);
	if (sasl_client_step(sc, in, &out, lerr) == -1)
		*failed = true;
	free(in);
	rc = l->respond(l->conn, *failed ? "*" : out, err);
	xfree_secret(out);
	return rc;
}

/* Read the exchange of an AUTH already sent, to its end. */
static int
sasl_line_exchange(const struct sasl_line *l, struct sasl_client *sc,
    enum sasl_mech m, char **ir, struct error *err)
{
	struct error	 lerr;
	const char	*text;
	size_t		 len;
	bool		 failed = false;
	int		 rc, steps = 0;

	while ((rc = l->next(l->conn, &text, &len, err)) == 1) {
		if (++steps > SASL_LINE_STEPS_MAX) {
			error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
			    "%s: too many SASL challenges", l->host);
			return l->fail(l->conn, err);
		}
		if (sasl_line_challenge(l, sc, text, len, ir, &failed, &lerr,
		    err) == -1)
			return -1;
	}
	if (rc == -1)
		return -1;
	if (failed) {
		*err = lerr;
		return -1;
	}
	if (!l->accepted(l->conn))
		return l->refused(l->conn, m, err);
	if ((m == SASL_SCRAM_SHA_1 || m == SASL_SCRAM_SHA_256) &&
	    !sasl_client_done(sc)) {
		error_set(err, ERR_AUTH, ERR_SCOPE_ACCOUNT, "%s: server "
		    "accepted %s without proving it knows the password",
		    l->host, sasl_mech_name(m));
		return l->fail(l->conn, err);
	}
	return 0;
}

/* AUTH with mechanism m, the initial response inline when it fits. */
int
sasl_line_auth(const struct sasl_line *l, enum sasl_mech m,
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
	    l->line_max) {
		rc = l->send_auth(l->conn, name, ir[0] != '\0' ? ir : "=",
		    err);
		xfree_secret(ir);
		ir = NULL;
	} else
		rc = l->send_auth(l->conn, name, NULL, err);
	if (rc == 0)
		rc = sasl_line_exchange(l, sc, m, &ir, err);
out:
	xfree_secret(ir);
	sasl_client_free(sc);
	return rc;
}
