/*
 * http_settings.c - a struct transport_endpoint turned into libcurl
 * options (http.h): the proxy profile, the protocols, the TLS options
 * and the timeouts.
 *
 * Owns the mapping only: it checks what needs no connection (the version
 * range through stream_tls_versions, so a version this OpenSSL cannot do
 * moves or fails exactly as for IMAP; cipher lists on a throwaway
 * context; the pin's form; the proxy's port) and never touches the
 * network.  The proxy password goes to CURLOPT_PROXYPASSWORD, never into
 * a URL, a message or the log.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "net/http_impl.h"
#include "net/stream.h"
#include "net/stream_proxy.h"

/* The proxy type in libcurl's terms; -1 if unknown. */
static long
http_settings_proxy_type(enum stream_proxy_type t)
{
	switch (t) {
	case STREAM_PROXY_SOCKS4:
		return CURLPROXY_SOCKS4;
	case STREAM_PROXY_SOCKS4A:
		return CURLPROXY_SOCKS4A;
	case STREAM_PROXY_SOCKS5:
		/* As stream_proxy.c: the proxy resolves names (socks5h). */
		return CURLPROXY_SOCKS5_HOSTNAME;
	case STREAM_PROXY_HTTP:
		return CURLPROXY_HTTP;
	case STREAM_PROXY_NONE:
		break;
	}
	return -1;
}

/* The [proxy] part: type, host (bracketed if IPv6), port, label. */
static int
http_settings_proxy(const struct stream_proxy_config *pc,
    struct http_settings *s, struct error *err)
{
	const char	*name = stream_proxy_type_name(pc->type);
	bool		 v6;
	char		*end;
	long		 port;

	s->proxy_type = -1;
	if (pc->type == STREAM_PROXY_NONE)
		return 0;
	if ((s->proxy_type = http_settings_proxy_type(pc->type)) == -1)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "unknown proxy type %d", (int)pc->type);
	if (pc->host == NULL || *pc->host == '\0' || pc->port == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s proxy without host or port", name);
	port = strtol(pc->port, &end, 10);
	if (*pc->port == '\0' || *end != '\0' || port < 1 || port > 65535)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s proxy %s: port '%s' is not a number from 1 to 65535",
		    name, pc->host, pc->port);
	if (strlen(pc->host) + 3 > HTTP_HOST_MAX ||
	    pc->host[strcspn(pc->host, "/@?# \t\r\n")] != '\0')
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "%s proxy: '%s' is not a host name or address", name,
		    pc->host);
	/* A bare IPv6 address would read as host:port to libcurl. */
	v6 = strchr(pc->host, ':') != NULL && pc->host[0] != '[';
	snprintf(s->proxy_host, sizeof s->proxy_host, "%s%s%s", v6 ? "[" : "",
	    pc->host, v6 ? "]" : "");
	s->proxy_port = port;
	snprintf(s->proxy_label, sizeof s->proxy_label, "%s proxy %s:%ld",
	    name, s->proxy_host, port);
	s->proxy_user = pc->user;
	if (pc->user != NULL)
		s->proxy_password = pc->password != NULL ? pc->password : "";
	return 0;
}

/* libcurl's constants for a TLS version range (10..13 each). */
static long
http_settings_ssl_version(int lo, int hi)
{
	static const long	mins[] = { CURL_SSLVERSION_TLSv1_0,
	    CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_TLSv1_2,
	    CURL_SSLVERSION_TLSv1_3 };
	static const long	maxs[] = { CURL_SSLVERSION_MAX_TLSv1_0,
	    CURL_SSLVERSION_MAX_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_2,
	    CURL_SSLVERSION_MAX_TLSv1_3 };

	return mins[lo - 10] | maxs[hi - 10];
}

/* Cipher lists OpenSSL would refuse: the same messages as stream_tls.c. */
static int
http_settings_ciphers(const struct stream_tls_config *t, struct error *err)
{
	SSL_CTX	*ctx;
	int	 rc = 0;

	if (t->ciphers == NULL && t->ciphersuites == NULL)
		return 0;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT,
		    "TLS setup failed (out of memory?)");
	if (t->ciphers != NULL && SSL_CTX_set_cipher_list(ctx,
	    t->ciphers) != 1)
		rc = error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "tls_ciphers '%s': OpenSSL knows none of these ciphers",
		    t->ciphers);
	else if (t->ciphersuites != NULL && SSL_CTX_set_ciphersuites(ctx,
	    t->ciphersuites) != 1)
		rc = error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "tls_ciphersuites '%s' rejected by OpenSSL (TLS 1.3 "
		    "suites, e.g. TLS_AES_256_GCM_SHA384)", t->ciphersuites);
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return rc;
}

/* The TLS part: versions, verification, pin, files, ciphers. */
static int
http_settings_tls(const struct stream_tls_config *t,
    struct http_settings *s, struct error *err)
{
	/* A well-formed pin matches itself (stream_tls_pin_match's rules). */
	if (t->fingerprint != NULL && !stream_tls_pin_match(t->fingerprint,
	    t->fingerprint))
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "tls_fingerprint '%s' is not sha256: and 32 hex bytes",
		    t->fingerprint);
	if (t->key_file != NULL && t->cert_file == NULL)
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
		    "tls_key is set without tls_cert");
	if (stream_tls_versions(t, &s->tls_min, &s->tls_max, err) == -1 ||
	    http_settings_ciphers(t, err) == -1)
		return -1;
	s->ssl_version = http_settings_ssl_version(s->tls_min, s->tls_max);
	s->tls_limited = t->min_version != 0 || t->max_version != 0;
	s->tls_seclevel0 = s->tls_min < 12;
	s->pin = t->fingerprint;
	/* With a pin, our verify callback decides, not libcurl. */
	s->verify_peer = t->verify && t->fingerprint == NULL;
	s->verify_host = s->verify_peer ? 2 : 0;
	s->ca_set = t->ca_file != NULL || t->ca_dir != NULL;
	s->ca_file = t->ca_file;
	s->ca_dir = t->ca_dir;
	s->cert_file = t->cert_file;
	s->key_file = t->key_file;
	s->ciphers = t->ciphers;
	s->ciphersuites = t->ciphersuites;
	return 0;
}

/* Map an endpoint (see http.h). */
int
http_settings_from_endpoint(const struct transport_endpoint *ep,
    struct http_settings *s, struct error *err)
{
	memset(s, 0, sizeof *s);
	s->protocols = ep->security == TRANSPORT_IMPLICIT_TLS ? "https" :
	    "http,https";
	if (http_settings_proxy(&ep->proxy, s, err) == -1 ||
	    http_settings_tls(&ep->tls, s, err) == -1)
		return -1;
	s->timeout_ms = ep->timeout_ms;
	s->connect_timeout_ms = ep->connect_timeout_ms > 0 ?
	    ep->connect_timeout_ms : ep->timeout_ms > 0 ? ep->timeout_ms : 0;
	s->wake_fd = ep->wake_fd;
	return 0;
}

/* The proxy options; "" as CURLOPT_PROXY means "none, ignore env". */
static CURLcode
http_settings_apply_proxy(CURL *c, const struct http_settings *s)
{
	CURLcode	rc;

	/* NO_PROXY in the environment must not bypass the profile either. */
	if ((rc = curl_easy_setopt(c, CURLOPT_NOPROXY, "")) != CURLE_OK)
		return rc;
	if (s->proxy_type == -1)
		return curl_easy_setopt(c, CURLOPT_PROXY, "");
	if ((rc = curl_easy_setopt(c, CURLOPT_PROXY, s->proxy_host)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_PROXYPORT, s->proxy_port)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_PROXYTYPE, s->proxy_type)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_HTTPPROXYTUNNEL, 1L)))
		return rc;
	if (s->proxy_user == NULL)
		return CURLE_OK;
	if ((rc = curl_easy_setopt(c, CURLOPT_PROXYUSERNAME, s->proxy_user)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_PROXYPASSWORD,
	    s->proxy_password)))
		return rc;
	/* Basic for HTTP CONNECT; RFC 1929 (not GSSAPI) for SOCKS5. */
	if (s->proxy_type == CURLPROXY_HTTP)
		return curl_easy_setopt(c, CURLOPT_PROXYAUTH,
		    (long)CURLAUTH_BASIC);
	return curl_easy_setopt(c, CURLOPT_SOCKS5_AUTH, (long)CURLAUTH_BASIC);
}

/* The TLS options. */
static CURLcode
http_settings_apply_tls(CURL *c, const struct http_settings *s)
{
	CURLcode	rc;

	if ((rc = curl_easy_setopt(c, CURLOPT_SSLVERSION, s->ssl_version)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER,
	    s->verify_peer ? 1L : 0L)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, s->verify_host)))
		return rc;
	/* A configured CA replaces the system store (NULL: unset). */
	if (s->ca_set && ((rc = curl_easy_setopt(c, CURLOPT_CAINFO,
	    s->ca_file)) || (rc = curl_easy_setopt(c, CURLOPT_CAPATH,
	    s->ca_dir))))
		return rc;
	if (s->cert_file != NULL && ((rc = curl_easy_setopt(c,
	    CURLOPT_SSLCERT, s->cert_file)) || (rc = curl_easy_setopt(c,
	    CURLOPT_SSLCERTTYPE, "PEM")) || (rc = curl_easy_setopt(c,
	    CURLOPT_SSLKEY, s->key_file)) || (rc = curl_easy_setopt(c,
	    CURLOPT_SSLKEYTYPE, "PEM")) ||
	    /* never a passphrase prompt on the terminal */
	    (rc = curl_easy_setopt(c, CURLOPT_KEYPASSWD, ""))))
		return rc;
	if (s->ciphers != NULL && (rc = curl_easy_setopt(c,
	    CURLOPT_SSL_CIPHER_LIST, s->ciphers)))
		return rc;
	if (s->ciphersuites != NULL && (rc = curl_easy_setopt(c,
	    CURLOPT_TLS13_CIPHERS, s->ciphersuites)))
		return rc;
	return CURLE_OK;
}

/* Apply everything but the callbacks (see http_impl.h). */
int
http_settings_apply(CURL *c, const struct http_settings *s,
    struct error *err)
{
	CURLcode	rc;

	if ((rc = curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, s->protocols)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR,
	    s->protocols)) ||
	    (rc = curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
	    s->connect_timeout_ms)) ||
	    (rc = http_settings_apply_proxy(c, s)) ||
	    (rc = http_settings_apply_tls(c, s)))
		goto fail;
	return 0;
fail:
	return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT,
	    "libcurl refused an option: %s (is libcurl older than 7.85?)",
	    curl_easy_strerror(rc));
}
