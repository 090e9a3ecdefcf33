/*
 * http_tls.c - what libcurl's own TLS options cannot say, done on the
 * OpenSSL context libcurl makes for each connection
 * (CURLOPT_SSL_CTX_FUNCTION): note the leaf certificate's SHA-256
 * fingerprint and the first verification error for the message, enforce
 * the certificate pin with stream_tls.c's rules (a matching leaf is
 * accepted without a verified chain or name, any other refused), note the
 * server's fatal alert, and lower OpenSSL's security level when TLS < 1.2
 * was asked for.
 *
 * libcurl keeps the SSL's app data for itself, so the state is found
 * through an ex_data slot of the SSL_CTX.  The pin is enforced twice, as
 * in stream_tls.c: in the verify callback, and on the certificate of the
 * established connection before the request is sent (a resumed session
 * runs no verify callback).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "net/http_impl.h"
#include "net/stream.h"

static pthread_once_t	http_tls_once = PTHREAD_ONCE_INIT;
static int		http_tls_index = -1;

/* Allocate the ex_data slot once per process. */
static void
http_tls_index_init(void)
{
	http_tls_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
}

/*
 * OpenSSL's verify callback: note the leaf's fingerprint and the first
 * error; with a pin, the pin alone decides.
 */
static int
http_tls_verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL		*ssl;
	struct http_tls	*t;
	X509		*leaf;

	ssl = X509_STORE_CTX_get_ex_data(xs,
	    SSL_get_ex_data_X509_STORE_CTX_idx());
	if (ssl == NULL || (t = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl),
	    http_tls_index)) == NULL)
		return ok;
	if (t->fingerprint[0] == '\0' &&
	    (leaf = X509_STORE_CTX_get0_cert(xs)) != NULL)
		stream_tls_fingerprint(leaf, t->fingerprint,
		    sizeof t->fingerprint);
	/* Without verification OpenSSL still reports; that is no failure. */
	if (!ok && t->verify_error == 0 &&
	    (SSL_get_verify_mode(ssl) & SSL_VERIFY_PEER) != 0)
		t->verify_error = X509_STORE_CTX_get_error(xs);
	if (t->pin == NULL)
		return ok;
	if (stream_tls_pin_match(t->pin, t->fingerprint))
		return 1;
	t->pin_mismatch = true;
	X509_STORE_CTX_set_error(xs, X509_V_ERR_APPLICATION_VERIFICATION);
	return 0;
}

/* An alert's name; OpenSSL 3.0 lacks some of TLS 1.3's (RFC 8446 6). */
static void
http_tls_alert_name(int desc, char *out, size_t size)
{
	const char	*name = SSL_alert_desc_string_long(desc);

	if (strcmp(name, "unknown") != 0)
		snprintf(out, size, "%s", name);
	else if (desc == 109)
		snprintf(out, size, "missing extension");
	else if (desc == 116)
		snprintf(out, size, "certificate required");
	else if (desc == 120)
		snprintf(out, size, "no application protocol");
	else
		snprintf(out, size, "alert %d", desc);
}

/*
 * OpenSSL's info callback: note the first fatal alert the server sends.
 * In TLS 1.3 a refused client certificate arrives as an alert after the
 * client thinks the handshake is done, so libcurl reports a failed send;
 * the alert says what really happened.
 */
static void
http_tls_info_cb(const SSL *ssl, int where, int ret)
{
	struct http_tls	*t;

	if ((where & SSL_CB_READ_ALERT) == 0 ||
	    strcmp(SSL_alert_type_string(ret), "F") != 0)
		return;
	t = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), http_tls_index);
	if (t != NULL && t->alert[0] == '\0')
		http_tls_alert_name(ret & 0xff, t->alert, sizeof t->alert);
}

/* libcurl's hook on each new SSL_CTX, after its own settings. */
static CURLcode
http_tls_ctx_cb(CURL *curl, void *sslctx, void *arg)
{
	SSL_CTX		*ctx = sslctx;
	struct http_tls	*t = arg;
	int		 mode;

	(void)curl;
	if (SSL_CTX_set_ex_data(ctx, http_tls_index, t) != 1)
		return CURLE_SSL_CONNECT_ERROR;
	/* Keep libcurl's mode; a pin needs the certificate requested. */
	mode = SSL_CTX_get_verify_mode(ctx);
	if (t->pin != NULL)
		mode = SSL_VERIFY_PEER;
	SSL_CTX_set_verify(ctx, mode, http_tls_verify_cb);
	SSL_CTX_set_info_callback(ctx, http_tls_info_cb);
	/* Only a user who asked for TLS < 1.2 gets the weaker level. */
	if (t->seclevel0)
		SSL_CTX_set_security_level(ctx, 0);
	return CURLE_OK;
}

/* Install the context hook (see http_impl.h). */
int
http_tls_install(CURL *curl, struct http_tls *t, struct error *err)
{
	pthread_once(&http_tls_once, http_tls_index_init);
	if (http_tls_index == -1)
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "TLS setup failed (no OpenSSL ex_data slot)");
	if (curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION,
	    http_tls_ctx_cb) != CURLE_OK ||
	    curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, t) != CURLE_OK)
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "this libcurl cannot hand over its OpenSSL context (is it "
		    "built with OpenSSL?)");
	return 0;
}

/* Forget the last handshake. */
void
http_tls_reset(struct http_tls *t)
{
	t->fingerprint[0] = '\0';
	t->verify_error = 0;
	t->pin_mismatch = false;
	t->alert[0] = '\0';
	t->version[0] = '\0';
}

/* Check an established connection (see http_impl.h). */
int
http_tls_check_conn(CURL *curl, struct http_tls *t)
{
	struct curl_tlssessioninfo	*info = NULL;
	const char			*scheme = NULL;
	SSL				*ssl;
	X509				*cert;
	char				 fp[HTTP_FP_MAX];

	if (curl_easy_getinfo(curl, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK ||
	    info == NULL || info->backend != CURLSSLBACKEND_OPENSSL ||
	    (ssl = info->internals) == NULL) {
		/* No TLS: plain http (security = none), where no pin applies. */
		if (curl_easy_getinfo(curl, CURLINFO_SCHEME, &scheme) ==
		    CURLE_OK && scheme != NULL &&
		    strcasecmp(scheme, "http") == 0) {
			snprintf(t->version, sizeof t->version, "none");
			return 0;
		}
		return t->pin == NULL ? 0 : -1;
	}
	snprintf(t->version, sizeof t->version, "%s", SSL_get_version(ssl));
	if (t->pin == NULL)
		return 0;
	if ((cert = SSL_get1_peer_certificate(ssl)) == NULL)
		return -1;
	stream_tls_fingerprint(cert, fp, sizeof fp);
	X509_free(cert);
	if (stream_tls_pin_match(t->pin, fp))
		return 0;
	memcpy(t->fingerprint, fp, sizeof fp);
	t->pin_mismatch = true;
	return -1;
}
