/*
 * sasl.h - a protocol-independent SASL client (RFC 4422) for IMAP, POP3
 * and SMTP: choose a mechanism from what the server offers and what the
 * account allows, then turn the server's base64 challenges into base64
 * responses until the mechanism is done.
 *
 * PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1 and SCRAM-SHA-256 come from libgsasl;
 * XOAUTH2 (Google/Microsoft) and OAUTHBEARER (RFC 7628) are written here.
 * The protocol keeps the framing (IMAP "AUTHENTICATE", "+ ", "*" to
 * cancel); this file never sees a socket.
 *
 * Secrets: responses are returned in strings the caller frees with
 * xfree_secret; the password/token copies libgsasl keeps are wiped before
 * the session is freed.  Nothing here logs a credential.
 */
#ifndef PETREL_SASL_H
#define PETREL_SASL_H

#include <stdbool.h>
#include <stddef.h>

#include "util/error.h"

/* The longest challenge accepted, in base64 characters. */
#define SASL_CHALLENGE_MAX	16384

enum sasl_mech {
	SASL_NONE = 0,
	SASL_LOGIN,
	SASL_PLAIN,
	SASL_CRAM_MD5,
	SASL_SCRAM_SHA_1,
	SASL_SCRAM_SHA_256,
	SASL_XOAUTH2,
	SASL_OAUTHBEARER,
	SASL_NMECHS
};

/* A set of mechanisms: bit (1u << mech). */
#define SASL_BIT(m)	(1u << (unsigned)(m))

/* Borrowed for the session's life. */
struct sasl_creds {
	const char	*user;
	const char	*password;	/* password mechanisms */
	const char	*token;		/* XOAUTH2 / OAUTHBEARER */
	const char	*service;	/* "imap", "pop", "smtp" */
	const char	*host;
	const char	*port;		/* OAUTHBEARER's "port=" */
};

struct sasl_client;

/* The mechanism's IANA name ("SCRAM-SHA-256"). */
const char	*sasl_mech_name(enum sasl_mech);
/* The mechanism named by (p, len), any case; SASL_NONE if unknown. */
enum sasl_mech	 sasl_mech_parse(const char *p, size_t len);
/* Whether a passive listener learns the secret (PLAIN, LOGIN, OAuth). */
bool		 sasl_mech_reveals_secret(enum sasl_mech);
/* Whether it needs a bearer token rather than a password. */
bool		 sasl_mech_uses_token(enum sasl_mech);
/* Whether the client speaks first (an initial response, RFC 4959). */
bool		 sasl_mech_client_first(enum sasl_mech);

/*
 * The mechanisms to try, in order: those of the account's "auth" list
 * (comma-separated, any case; NULL: strongest first, OAuth only when
 * have_token) that the server offers (a SASL_BIT set).  Writes at most
 * SASL_NMECHS entries to out and returns how many; -1 with ERR_CONFIG if
 * auth names a mechanism petrel does not know.
 */
int		 sasl_choose(unsigned offered, const char *auth, bool have_token,
		     enum sasl_mech *out, struct error *);

/*
 * Reorder a default choice (no "auth" list) for a connection inside TLS
 * whose certificate was verified or pinned: PLAIN moves ahead of
 * CRAM-MD5.  CRAM-MD5 hides nothing TLS does not already hide, makes the
 * server keep a password equivalent, and costs a round trip more than
 * PLAIN with an initial response; SCRAM stays first (the server never
 * learns the password, and proves it knew the secret).
 */
void		 sasl_order_for_tls(enum sasl_mech *list, int n);

/* Start a client session; NULL with err on failure. */
struct sasl_client *sasl_client_new(enum sasl_mech, const struct sasl_creds *,
		     struct error *);
/*
 * One step: in is the server's base64 challenge (NULL for the initial
 * response).  *out receives the base64 response ("" for an empty one),
 * to free with xfree_secret.  Returns 0 when the mechanism is complete
 * (the server, if it proves anything, was verified), 1 when more is
 * expected, -1 with ERR_AUTH / ERR_PROTOCOL on a bad challenge.
 */
int		 sasl_client_step(struct sasl_client *, const char *in,
		     char **out, struct error *);
/* Whether the last step completed the mechanism. */
bool		 sasl_client_done(const struct sasl_client *);
/* Wipe and free (NULL is fine). */
void		 sasl_client_free(struct sasl_client *);

#endif
