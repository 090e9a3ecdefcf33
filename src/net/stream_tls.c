/*
 * stream_tls.c - a TLS client layer (OpenSSL) over a TCP stream.
 *
 * The socket is non-blocking; every WANT_READ/WANT_WRITE waits in
 * stream_wait(), so TLS waits are bounded and interruptible like TCP ones.
 * Certificate chain and host name (or IP address) are verified unless the
 * account turns verification off.  A failed verification names OpenSSL's
 * reason and the server certificate's SHA-256 fingerprint, so a user can
 * check it out of band; that error, and a pin mismatch, carry their own
 * code (ERR_TLS_VERIFY: a verdict on the server, never worth another mode
 * or a retry), unlike other handshake failures (ERR_TLS) and the account's
 * unreadable CA or client certificate files (ERR_CONFIG).  Also owns the
 * TLS options of stream.h: version range (what this OpenSSL can do is
 * found out here; stream_tls_range.c decides), cipher lists, CA directory,
 * client certificate and the fingerprint pin, whose rules (a matching leaf
 * is accepted without a verified chain, any other leaf refused) are
 * enforced twice: in the verify callback, and on the peer certificate
 * after the handshake, before a byte of application data is exchanged.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "net/stream.h"
#include "util/log.h"
#include "util/xmalloc.h"

struct stream_tls {
	struct stream	 base;		/* first: a struct stream * is ours */
	SSL_CTX		*ctx;
	SSL		*ssl;
	/* The server certificate's fingerprint, noted while verifying. */
	char		 fingerprint[128];
	const char	*pin;		/* borrowed during the handshake */
	bool		 pin_mismatch;
	int		 lo, hi;	/* the range asked for, if limited */
};

/* Describe the last OpenSSL error in err (code), with a prefix. */
static int
stream_tls_fail_as(struct error *err, enum error_code code,
    const char *peer, const char *what)
{
	unsigned long	e;
	char		buf[256];

	e = ERR_get_error();
	if (e != 0)
		ERR_error_string_n(e, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "connection closed");
	ERR_clear_error();
	return error_set(err, code, ERR_SCOPE_ACCOUNT, "%s: TLS %s: %s",
	    peer, what, buf);
}

/* Describe the last OpenSSL error in err as ERR_TLS, with a prefix. */
static int
stream_tls_fail(struct error *err, const char *peer, const char *what)
{
	return stream_tls_fail_as(err, ERR_TLS, peer, what);
}

/* Run an SSL call until it stops wanting I/O; returns its result. */
static int
stream_tls_io(struct stream_tls *t, int rc, const char *what,
    struct error *err)
{
	struct stream	*s = &t->base;
	int		 e;

	e = SSL_get_error(t->ssl, rc);
	switch (e) {
	case SSL_ERROR_WANT_READ:
		return stream_wait(s->fd, POLLIN, s->timeout_ms, s->wake_fd,
		    s->peer, err) == -1 ? -1 : 1;
	case SSL_ERROR_WANT_WRITE:
		return stream_wait(s->fd, POLLOUT, s->timeout_ms, s->wake_fd,
		    s->peer, err) == -1 ? -1 : 1;
	case SSL_ERROR_ZERO_RETURN:
		return 0;
	case SSL_ERROR_SYSCALL:
		if (ERR_peek_error() == 0) {
			error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
			    "%s: connection closed during TLS %s", s->peer,
			    what);
			return -1;
		}
		/* FALLTHROUGH */
	default:
		return stream_tls_fail(err, s->peer, what);
	}
}

static ssize_t
stream_tls_read(struct stream *s, void *p, size_t n, struct error *err)
{
	struct stream_tls	*t = (struct stream_tls *)s;
	int			 rc, w;

	if (n > INT32_MAX)
		n = INT32_MAX;
	for (;;) {
		ERR_clear_error();
		rc = SSL_read(t->ssl, p, (int)n);
		if (rc > 0)
			return rc;
		if ((w = stream_tls_io(t, rc, "read", err)) <= 0)
			return w;
	}
}

static ssize_t
stream_tls_write(struct stream *s, const void *p, size_t n,
    struct error *err)
{
	struct stream_tls	*t = (struct stream_tls *)s;
	int			 rc, w;

	if (n > INT32_MAX)
		n = INT32_MAX;
	for (;;) {
		ERR_clear_error();
		rc = SSL_write(t->ssl, p, (int)n);
		if (rc > 0)
			return rc;
		w = stream_tls_io(t, rc, "write", err);
		if (w == 0)
			return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
			    "%s: connection closed", s->peer);
		if (w == -1)
			return -1;
	}
}

static size_t
stream_tls_pending(struct stream *s)
{
	struct stream_tls	*t = (struct stream_tls *)s;

	return (size_t)SSL_pending(t->ssl);
}

static void
stream_tls_free(struct stream *s)
{
	struct stream_tls	*t = (struct stream_tls *)s;

	if (t->ssl != NULL) {
		SSL_set_quiet_shutdown(t->ssl, 1);
		SSL_free(t->ssl);
	}
	SSL_CTX_free(t->ctx);
	stream_free(s->lower);
	free(s->peer);
	free(t);
}

static const struct stream_ops stream_tls_ops = {
	.name = "tls",
	.read = stream_tls_read,
	.write = stream_tls_write,
	.pending = stream_tls_pending,
	.free = stream_tls_free,
};

/* Write "sha256:AB:CD:..." of a certificate into out. */
void
stream_tls_fingerprint(void *x509, char *out, size_t size)
{
	X509		*cert = x509;
	unsigned char	md[EVP_MAX_MD_SIZE];
	unsigned int	mdlen = 0, i;
	size_t		len;

	if (X509_digest(cert, EVP_sha256(), md, &mdlen) != 1 || mdlen > 32) {
		snprintf(out, size, "(no fingerprint)");
		return;
	}
	len = (size_t)snprintf(out, size, "sha256:");
	for (i = 0; i < mdlen && len + 4 <= size; i++)
		len += (size_t)snprintf(out + len, size - len, "%02X%s", md[i],
		    i + 1 < mdlen ? ":" : "");
}

/*
 * OpenSSL's verify callback: note the server certificate's fingerprint (the
 * chain's leaf), since after a failed handshake the peer certificate is no
 * longer available to name in the error.
 */
static int
stream_tls_verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL			*ssl;
	struct stream_tls	*t;
	X509			*leaf;

	ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl == NULL || (t = SSL_get_app_data(ssl)) == NULL)
		return ok;
	if (t->fingerprint[0] == '\0' &&
	    (leaf = X509_STORE_CTX_get0_cert(xs)) != NULL)
		stream_tls_fingerprint(leaf, t->fingerprint,
		    sizeof t->fingerprint);
	if (t->pin == NULL)
		return ok;
	/* A pin decides alone: chain and name results do not count. */
	if (stream_tls_pin_match(t->pin, t->fingerprint))
		return 1;
	t->pin_mismatch = true;
	X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
	return 0;
}

/* Append the hex digits of a "sha256:..." string to out; count them. */
static size_t
stream_tls_pin_digits(const char *p, char *out, size_t size)
{
	size_t	n = 0;

	if (strncasecmp(p, "sha256:", 7) == 0)
		p += 7;
	for (; *p != '\0'; p++) {
		if (*p == ':')
			continue;
		if (!isxdigit((unsigned char)*p) || n + 1 >= size)
			return 0;
		out[n++] = (char)toupper((unsigned char)*p);
	}
	out[n] = '\0';
	return n;
}

/* Whether a pin matches a fingerprint (case and colons ignored). */
bool
stream_tls_pin_match(const char *pin, const char *fingerprint)
{
	char	a[80], b[80];

	if (pin == NULL || fingerprint == NULL)
		return false;
	return stream_tls_pin_digits(pin, a, sizeof a) == 64 &&
	    stream_tls_pin_digits(fingerprint, b, sizeof b) == 64 &&
	    strcmp(a, b) == 0;
}

/* The OpenSSL constant of version v (10..13), 0 if none. */
static int
stream_tls_proto(int v)
{
	switch (v) {
	case 10:
		return TLS1_VERSION;
	case 11:
		return TLS1_1_VERSION;
	case 12:
		return TLS1_2_VERSION;
	case 13:
		return TLS1_3_VERSION;
	}
	return 0;
}

/* Whether this OpenSSL was built with version v. */
static bool
stream_tls_built(int v)
{
	switch (v) {
#ifndef OPENSSL_NO_TLS1
	case 10:
		return true;
#endif
#ifndef OPENSSL_NO_TLS1_1
	case 11:
		return true;
#endif
	case 12:
		return true;
#ifndef OPENSSL_NO_TLS1_3
	case 13:
		return true;
#endif
	}
	return false;
}

/*
 * The versions ctx can do (STREAM_TLS_BIT each): built in, inside the range
 * the OpenSSL configuration put on ctx when it was made (MinProtocol and
 * MaxProtocol of openssl.cnf's system_default section; so ask before
 * setting a range of our own), and allowed at ctx's security level.
 * OpenSSL 3.0 still says yes to TLS 1.0/1.1 above level 0, then fails
 * their handshakes (MD5-SHA1 signatures are below level 1); later
 * versions refuse them there outright.  Either way: not above level 0.
 */
static unsigned
stream_tls_supported(SSL_CTX *ctx)
{
	int	(*cb)(const SSL *, const SSL_CTX *, int, int, int, void *,
		    void *);
	long	 lo = SSL_CTX_get_min_proto_version(ctx);
	long	 hi = SSL_CTX_get_max_proto_version(ctx);
	unsigned can = 0;
	SSL	*ssl;
	int	 v, p;

	/* The default callback looks at the SSL (not the context) first. */
	if ((ssl = SSL_new(ctx)) == NULL) {
		ERR_clear_error();
		return 0;
	}
	cb = SSL_get_security_callback(ssl);
	for (v = 10; v <= 13; v++) {
		p = stream_tls_proto(v);
		if (!stream_tls_built(v) || (lo != 0 && p < lo) ||
		    (hi != 0 && p > hi))
			continue;
#if OPENSSL_VERSION_MAJOR >= 3
		if (v < 12 && SSL_CTX_get_security_level(ctx) > 0)
			continue;
#endif
		if (cb != NULL && cb(ssl, NULL, SSL_SECOP_VERSION, 0, p, NULL,
		    SSL_get0_security_ex_data(ssl)) == 0)
			continue;
		can |= STREAM_TLS_BIT(v);
	}
	SSL_free(ssl);
	return can;
}

/*
 * Work out the version range of cfg on ctx (see stream.h): the security
 * level first (it decides what ctx can do), then stream_tls_clamp.
 */
static int
stream_tls_range(SSL_CTX *ctx, const struct stream_tls_config *cfg,
    int *minp, int *maxp, struct error *err)
{
	struct stream_tls_range	 r;
	int			 lo = cfg->min_version, hi = cfg->max_version;

	/* Only a user who asked for TLS < 1.2 gets the weaker level. */
	if ((lo != 0 && lo < 12) || (lo == 0 && hi != 0 && hi < 12))
		SSL_CTX_set_security_level(ctx, 0);
	if (stream_tls_clamp(stream_tls_supported(ctx), cfg, &r, err) == -1)
		return -1;
	if (r.warning[0] != '\0')
		log_warn("tls", "%s (%s)", r.warning,
		    OpenSSL_version(OPENSSL_VERSION));
	*minp = r.min;
	*maxp = r.max;
	return 0;
}

/* The version range a config yields (a throwaway context to ask). */
int
stream_tls_versions(const struct stream_tls_config *cfg, int *minp,
    int *maxp, struct error *err)
{
	SSL_CTX	*ctx;
	int	 rc;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return stream_tls_fail(err, "TLS", "setup");
	rc = stream_tls_range(ctx, cfg, minp, maxp, err);
	SSL_CTX_free(ctx);
	return rc;
}

/* Never prompt for a key's passphrase on the terminal. */
static int
stream_tls_no_passphrase(char *buf, int size, int rw, void *u)
{
	(void)buf;
	(void)size;
	(void)rw;
	(void)u;
	return 0;
}

/* Versions, cipher lists and the client certificate. */
static int
stream_tls_options(SSL_CTX *ctx, const struct stream_tls_config *cfg,
    const char *peer, struct stream_tls *t, struct error *err)
{
	const char	*key;
	int		 lo, hi;

	if (cfg->ciphers != NULL && SSL_CTX_set_cipher_list(ctx,
	    cfg->ciphers) != 1)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "tls_ciphers '%s': OpenSSL knows none of these ciphers",
		    cfg->ciphers);
	if (cfg->ciphersuites != NULL && SSL_CTX_set_ciphersuites(ctx,
	    cfg->ciphersuites) != 1)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "tls_ciphersuites '%s' rejected by OpenSSL (TLS 1.3 "
		    "suites, e.g. TLS_AES_256_GCM_SHA384)", cfg->ciphersuites);
	if (stream_tls_range(ctx, cfg, &lo, &hi, err) == -1)
		return -1;
	if (SSL_CTX_set_min_proto_version(ctx, stream_tls_proto(lo)) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, stream_tls_proto(hi)) != 1)
		return stream_tls_fail(err, peer, "version setup");
	if (cfg->min_version != 0 || cfg->max_version != 0) {
		t->lo = lo;
		t->hi = hi;
	}
	if (cfg->cert_file == NULL) {
		if (cfg->key_file != NULL)
			return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
			    "tls_key is set without tls_cert");
		return 0;
	}
	key = cfg->key_file != NULL ? cfg->key_file : cfg->cert_file;
	SSL_CTX_set_default_passwd_cb(ctx, stream_tls_no_passphrase);
	/* The account's own files: a config error, no server to blame. */
	if (SSL_CTX_use_certificate_chain_file(ctx, cfg->cert_file) != 1)
		return stream_tls_fail_as(err, ERR_CONFIG, cfg->cert_file,
		    "client certificate");
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1)
		return stream_tls_fail_as(err, ERR_CONFIG, key, "client key "
		    "(a key with a passphrase is not supported)");
	if (SSL_CTX_check_private_key(ctx) != 1)
		return stream_tls_fail_as(err, ERR_CONFIG, key, "client key "
		    "does not match the certificate");
	return 0;
}

/* Build the context: versions, options, verification and CA store. */
static SSL_CTX *
stream_tls_ctx(const struct stream_tls_config *cfg, const char *peer,
    struct stream_tls *t, struct error *err)
{
	SSL_CTX	*ctx;
	bool	 peer_check = cfg->verify || cfg->fingerprint != NULL;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		stream_tls_fail(err, peer, "setup");
		return NULL;
	}
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_verify(ctx, peer_check ? SSL_VERIFY_PEER :
	    SSL_VERIFY_NONE, stream_tls_verify_cb);
	if (stream_tls_options(ctx, cfg, peer, t, err) == -1)
		goto fail;
	if (cfg->ca_file != NULL || cfg->ca_dir != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, cfg->ca_file,
		    cfg->ca_dir) != 1) {
			error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
			    "cannot load CA %s %s", cfg->ca_file != NULL ?
			    "file" : "directory", cfg->ca_file != NULL ?
			    cfg->ca_file : cfg->ca_dir);
			ERR_clear_error();
			goto fail;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		stream_tls_fail(err, peer, "loading the system CA store");
		goto fail;
	}
	return ctx;
fail:
	SSL_CTX_free(ctx);
	return NULL;
}

/* Name the host (SNI) and the identity to verify: a DNS name or an IP. */
static int
stream_tls_set_host(SSL *ssl, const char *host, bool verify)
{
	unsigned char	addr[16];
	X509_VERIFY_PARAM *param = SSL_get0_param(ssl);
	bool		is_ip;

	is_ip = inet_pton(AF_INET, host, addr) == 1 ||
	    inet_pton(AF_INET6, host, addr) == 1;
	if (!is_ip && SSL_set_tlsext_host_name(ssl, host) != 1)
		return -1;
	if (!verify)
		return 0;
	X509_VERIFY_PARAM_set_hostflags(param,
	    X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
	if (is_ip)
		return X509_VERIFY_PARAM_set1_ip_asc(param, host) == 1 ? 0 : -1;
	return X509_VERIFY_PARAM_set1_host(param, host, 0) == 1 ? 0 : -1;
}

/* Explain a failed handshake, naming verification failures. */
static void
stream_tls_handshake_error(struct stream_tls *t, struct error *err)
{
	char	msg[ERROR_MSG_MAX];
	long	vr;

	if (err->code == ERR_TIMEOUT || err->code == ERR_CANCELLED)
		return;
	if (t->pin_mismatch) {
		error_set(err, ERR_TLS_VERIFY, ERR_SCOPE_ACCOUNT, "%s: server "
		    "certificate %s does not match the pinned fingerprint %s",
		    t->base.peer, t->fingerprint, t->pin);
		return;
	}
	vr = SSL_get_verify_result(t->ssl);
	if (vr == X509_V_OK) {
		/* A server outside a limited range often just hangs up. */
		if (t->lo != 0 && err->code == ERR_TLS) {
			memcpy(msg, err->msg, sizeof msg);
			error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT, "%s (this "
			    "account allows TLS 1.%d to 1.%d only)", msg,
			    t->lo - 10, t->hi - 10);
		}
		return;
	}
	error_set(err, ERR_TLS_VERIFY, ERR_SCOPE_ACCOUNT,
	    "%s: certificate verification failed: %s (server certificate %s)",
	    t->base.peer, X509_verify_cert_error_string(vr),
	    t->fingerprint[0] != '\0' ? t->fingerprint : "not received");
}

/*
 * After the handshake, check the pin on the certificate the server really
 * presented (the callback may not have seen it, e.g. without a chain).
 */
static int
stream_tls_check_pin(struct stream_tls *t, struct error *err)
{
	X509	*cert;
	char	 fp[128];

	if (t->pin == NULL)
		return 0;
	if ((cert = SSL_get1_peer_certificate(t->ssl)) == NULL)
		return error_set(err, ERR_TLS_VERIFY, ERR_SCOPE_ACCOUNT,
		    "%s: the server sent no certificate to check against the "
		    "pin", t->base.peer);
	stream_tls_fingerprint(cert, fp, sizeof fp);
	X509_free(cert);
	if (stream_tls_pin_match(t->pin, fp))
		return 0;
	return error_set(err, ERR_TLS_VERIFY, ERR_SCOPE_ACCOUNT, "%s: "
	    "server certificate %s does not match the pinned fingerprint %s",
	    t->base.peer, fp, t->pin);
}

/* The negotiated version of the TLS layer in s. */
const char *
stream_tls_version(const struct stream *s)
{
	for (; s != NULL; s = s->lower) {
		if (s->ops == &stream_tls_ops)
			return SSL_get_version(((const struct stream_tls *)
			    s)->ssl);
	}
	return NULL;
}

/* Handshake over *s and push the TLS layer on success. */
int
stream_tls_start(struct stream **sp, const char *host,
    const struct stream_tls_config *cfg, struct error *err)
{
	struct stream		*lower = *sp;
	struct stream_tls	*t;
	int			 rc, w;

	t = xcalloc(1, sizeof *t);
	t->base.ops = &stream_tls_ops;
	t->base.fd = lower->fd;
	t->base.timeout_ms = lower->timeout_ms;
	t->base.wake_fd = lower->wake_fd;
	t->base.peer = xstrdup(lower->peer);
	t->pin = cfg->fingerprint;
	if ((t->ctx = stream_tls_ctx(cfg, lower->peer, t, err)) == NULL)
		goto fail;
	if ((t->ssl = SSL_new(t->ctx)) == NULL ||
	    SSL_set_fd(t->ssl, lower->fd) != 1 ||
	    SSL_set_app_data(t->ssl, t) != 1 ||
	    stream_tls_set_host(t->ssl, host, cfg->verify) == -1) {
		stream_tls_fail(err, lower->peer, "setup");
		goto fail;
	}
	for (;;) {
		ERR_clear_error();
		rc = SSL_connect(t->ssl);
		if (rc == 1)
			break;
		w = stream_tls_io(t, rc, "handshake", err);
		if (w == 1)
			continue;
		if (w == 0)
			error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
			    "%s: TLS handshake: connection closed",
			    lower->peer);
		stream_tls_handshake_error(t, err);
		goto fail;
	}
	if (stream_tls_check_pin(t, err) == -1)
		goto fail;
	t->pin = NULL;
	log_debug("tls", "%s: %s, %s", lower->peer,
	    SSL_get_version(t->ssl), SSL_get_cipher_name(t->ssl));
	t->base.lower = lower;
	*sp = &t->base;
	return 0;
fail:
	if (t->ssl != NULL)
		SSL_free(t->ssl);
	SSL_CTX_free(t->ctx);
	free(t->base.peer);
	free(t);
	return -1;
}
