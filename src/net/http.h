/*
 * http.h - libcurl configured from an account's connection settings, so
 * the HTTP drivers (EWS, Graph, the OAuth token endpoint) reach servers
 * exactly as transport_connect (transport.h) does for IMAP, POP3 and SMTP:
 * the same [proxy NAME] profile, TLS versions, cipher lists, CA store,
 * client certificate, certificate pin and timeouts, from the same struct
 * transport_endpoint (core/endpoint.h fills it).
 *
 * Proxy: SOCKS4 (the client resolves), SOCKS4a and SOCKS5 (the proxy
 * resolves: socks5h), HTTP CONNECT (always a tunnel) with Basic
 * authentication.  Credentials go to libcurl as separate options, never
 * inside a URL.  Without a proxy, libcurl is told "no proxy", so the
 * http_proxy/https_proxy/ALL_PROXY environment variables are never used.
 *
 * TLS: security TRANSPORT_IMPLICIT_TLS allows https only;
 * TRANSPORT_PLAIN (an explicit security = none) also allows http.  The
 * pin ("sha256:..." of the whole leaf certificate, as in stream.h) decides
 * alone: a matching leaf is accepted without a verified chain or name, any
 * other is refused; it is checked in OpenSSL's verify callback and again
 * on the certificate of the connection before a request is sent on it.
 *
 * Time: connect_timeout_ms bounds the whole connect phase (TCP, the proxy
 * handshake and the TLS handshake: libcurl does not separate them);
 * afterwards the transfer fails when no byte moves either way for
 * timeout_ms, so a long download is never cut while it flows.  (Not
 * CURLOPT_LOW_SPEED_*: libcurl averages speed over ~5 s, so a stall after
 * a burst is noticed seconds late.)  A readable wake_fd cancels a
 * transfer at once (ERR_CANCELLED).
 *
 * Errors name the server ("127.0.0.1:8443"), the proxy when it failed
 * ("SOCKS5 proxy 127.0.0.1:1080: connection refused by destination"), the
 * TLS reason and both fingerprints for a pin mismatch; never a credential.
 * The trace (-d trace,http) shows headers with Authorization,
 * Proxy-Authorization and cookies replaced by "<redacted>", and only the
 * size of bodies (they may carry tokens).
 *
 * One struct http belongs to one thread (the account's worker).
 */
#ifndef PETREL_HTTP_H
#define PETREL_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

#include "net/transport.h"
#include "util/buf.h"
#include "util/error.h"

/* Room for "SOCKS5 proxy [host]:port" and for a proxy host in brackets. */
#define HTTP_LABEL_MAX	320
#define HTTP_HOST_MAX	264

/*
 * What an endpoint becomes in libcurl's terms: filled by
 * http_settings_from_endpoint, applied by http_settings_apply.  String
 * pointers are borrowed from the endpoint; the arrays are copies.
 */
struct http_settings {
	const char	*protocols;	/* "https" or "http,https" */
	/* proxy: proxy_type is CURLPROXY_*, or -1 for none */
	long		 proxy_type;
	char		 proxy_host[HTTP_HOST_MAX];	/* "[::1]" for IPv6 */
	long		 proxy_port;
	const char	*proxy_user;		/* NULL: no authentication */
	const char	*proxy_password;	/* secret; "" if user but none */
	char		 proxy_label[HTTP_LABEL_MAX];	/* "" if none */
	/* TLS */
	long		 ssl_version;	/* CURL_SSLVERSION_* | _MAX_* */
	int		 tls_min;	/* 10..13, after stream_tls_versions */
	int		 tls_max;
	bool		 tls_limited;	/* tls_min/tls_max were set */
	bool		 tls_seclevel0;	/* TLS < 1.2 asked for explicitly */
	bool		 verify_peer;	/* CURLOPT_SSL_VERIFYPEER */
	long		 verify_host;	/* CURLOPT_SSL_VERIFYHOST: 0 or 2 */
	const char	*pin;		/* "sha256:..." or NULL */
	bool		 ca_set;	/* set both CAINFO and CAPATH */
	const char	*ca_file;
	const char	*ca_dir;
	const char	*cert_file;
	const char	*key_file;
	const char	*ciphers;
	const char	*ciphersuites;
	/* time */
	long		 connect_timeout_ms;	/* CURLOPT_CONNECTTIMEOUT_MS */
	int		 timeout_ms;	/* no byte moving that long: fail */
	int		 wake_fd;
};

/*
 * Map ep (see transport.h; ep->host and ep->port are not used: the URL
 * names the server) onto s.  Checks what can be checked without a
 * connection: the version range (stream_tls_versions: moved to what this
 * OpenSSL can do, or an error with tls_strict), the cipher lists, the pin's
 * form, a key without a certificate, the proxy's host and port.  -1 with
 * an ERR_CONFIG/ERR_TLS error, scope account.
 */
int	 http_settings_from_endpoint(const struct transport_endpoint *ep,
	     struct http_settings *s, struct error *err);

/*
 * Where a response body goes: write is called with each piece as it
 * arrives and returns 0, or -1 with err filled to stop the transfer
 * (http_perform then fails with that error).
 */
struct http_sink {
	int	(*write)(void *arg, const void *p, size_t n,
		    struct error *err);
	void	 *arg;
};

/* A sink appending to b; past b's maximum it fails with ERR_TOOBIG. */
void	 http_sink_buf(struct http_sink *sink, struct buf *b);

struct http;

/*
 * A handle configured from ep; NULL with err on failure.  ep is borrowed
 * for the call only: libcurl keeps its own copies of the strings (of the
 * proxy password too, until http_free), so endpoint_fini may run at once.
 * Connections are kept open between requests.
 */
struct http	*http_new(const struct transport_endpoint *ep,
		     struct error *err);
/*
 * The libcurl handle, borrowed, to set the request: method, headers, body
 * (CURLOPT_POSTFIELDS...).  Leave alone what http_new set: proxy, TLS,
 * timeouts, protocols, callbacks, CURLOPT_WRITE*, CURLOPT_VERBOSE.
 */
CURL		*http_curl(struct http *h);
/*
 * Run one request to url, the body going to sink (NULL: discarded).  0
 * once a response arrived, whatever its status (see http_status); -1 with
 * err when there is none: connect, proxy, TLS, timeout, cancel, or the
 * sink's own error.  Redirects are not followed unless the caller turned
 * CURLOPT_FOLLOWLOCATION on (and then only to the allowed protocols).
 */
int		 http_perform(struct http *h, const char *url,
		     const struct http_sink *sink, struct error *err);
/* The HTTP status of the last response (0 if none). */
long		 http_status(const struct http *h);
/*
 * The negotiated TLS version of the last connection ("TLSv1.3"), or
 * "none" for plain http.  Borrowed: valid until the next perform.
 */
const char	*http_tls_version(const struct http *h);
/* Close the connections and free h (NULL is fine). */
void		 http_free(struct http *h);

#endif
