/*
 * stream_tls.c - a TLS client layer (OpenSSL) over a TCP stream.
 *
 * The socket is non-blocking; every WANT_READ/WANT_WRITE waits in
 * stream_wait(), so TLS waits are bounded and interruptible like TCP ones.
 * Certificate chain and host name (or IP address) are verified unless the
 * account turns verification off.  A failed verification names OpenSSL's
 * reason and the server certificate's SHA-256 fingerprint, so a user can
 * check it out of band.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

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
};

/* Describe the last OpenSSL error in err, with a prefix. */
static int
stream_tls_fail(struct error *err, const char *peer, const char *what)
{
	unsigned long	e;
	char		buf[256];

	e = ERR_get_error();
	if (e != 0)
		ERR_error_string_n(e, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "connection closed");
	ERR_clear_error();
	return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT, "%s: TLS %s: %s",
	    peer, what, buf);
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
static void
stream_tls_fingerprint(X509 *cert, char *out, size_t size)
{
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
	return ok;
}

/* Build the context: TLS 1.2+, verification and CA store. */
static SSL_CTX *
stream_tls_ctx(const struct stream_tls_config *cfg, const char *peer,
    struct error *err)
{
	SSL_CTX	*ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL) {
		stream_tls_fail(err, peer, "setup");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	SSL_CTX_set_verify(ctx, cfg->verify ? SSL_VERIFY_PEER :
	    SSL_VERIFY_NONE, stream_tls_verify_cb);
	if (cfg->ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, cfg->ca_file,
		    NULL) != 1) {
			error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
			    "cannot load CA file %s", cfg->ca_file);
			ERR_clear_error();
			SSL_CTX_free(ctx);
			return NULL;
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		stream_tls_fail(err, peer, "loading the system CA store");
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
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
	long	vr;

	vr = SSL_get_verify_result(t->ssl);
	if (vr == X509_V_OK || err->code == ERR_TIMEOUT ||
	    err->code == ERR_CANCELLED)
		return;
	error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
	    "%s: certificate verification failed: %s (server certificate %s)",
	    t->base.peer, X509_verify_cert_error_string(vr),
	    t->fingerprint[0] != '\0' ? t->fingerprint : "not received");
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
	if ((t->ctx = stream_tls_ctx(cfg, lower->peer, err)) == NULL)
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
