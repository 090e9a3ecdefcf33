/*
 * http_error.c - a failed libcurl transfer as a struct error (http.h):
 * the code that says what broke, and a message in the words the stream
 * layer uses for IMAP ("SOCKS5 proxy 127.0.0.1:1080: connection refused
 * by destination", "127.0.0.1:993: certificate verification failed: ...
 * (server certificate sha256:...)"), so a user reads the same thing
 * whichever protocol failed.
 *
 * Pure: it reads a struct http_failure and writes the error, nothing
 * else.  libcurl's own text is only a detail, cut to printable ASCII;
 * credentials are never in the inputs (libcurl is never given a URL with
 * them), so they cannot be in the output.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/x509.h>

#include "net/http_impl.h"

/* A SOCKS refusal (CURLINFO_PROXY_ERROR) in stream_proxy.c's words. */
struct http_error_px {
	long		 px;
	enum error_code	 code;
	const char	*text;
};

static const struct http_error_px http_error_pxs[] = {
	{ CURLPX_NO_AUTH, ERR_AUTH, "no acceptable authentication method" },
	{ CURLPX_USER_REJECTED, ERR_AUTH,
	  "username/password authentication failed" },
	{ CURLPX_REPLY_GENERAL_SERVER_FAILURE, ERR_NET,
	  "general SOCKS server failure" },
	{ CURLPX_REPLY_NOT_ALLOWED, ERR_SERVER,
	  "connection not allowed by ruleset" },
	{ CURLPX_REPLY_NETWORK_UNREACHABLE, ERR_NET, "network unreachable" },
	{ CURLPX_REPLY_HOST_UNREACHABLE, ERR_NET, "host unreachable" },
	{ CURLPX_REPLY_CONNECTION_REFUSED, ERR_NET,
	  "connection refused by destination" },
	{ CURLPX_REPLY_TTL_EXPIRED, ERR_NET, "TTL expired" },
	{ CURLPX_REPLY_COMMAND_NOT_SUPPORTED, ERR_NET,
	  "command not supported" },
	{ CURLPX_REPLY_ADDRESS_TYPE_NOT_SUPPORTED, ERR_NET,
	  "address type not supported" },
	{ CURLPX_REPLY_UNASSIGNED, ERR_NET, "refused (unassigned reply code)" },
	{ CURLPX_REQUEST_FAILED, ERR_NET, "request rejected or failed" },
	{ CURLPX_IDENTD, ERR_AUTH,
	  "request rejected: the proxy cannot reach our identd" },
	{ CURLPX_IDENTD_DIFFER, ERR_AUTH,
	  "request rejected: user id refused by identd" },
	{ CURLPX_LONG_HOSTNAME, ERR_CONFIG, "host name too long" },
	{ CURLPX_LONG_USER, ERR_CONFIG,
	  "the username and password must be 1 to 255 bytes" },
	{ CURLPX_LONG_PASSWD, ERR_CONFIG,
	  "the username and password must be 1 to 255 bytes" },
	{ CURLPX_RESOLVE_HOST, ERR_NET, "cannot resolve the server's name "
	  "(SOCKS4 needs an IPv4 address; socks4a or socks5 let the proxy "
	  "resolve)" },
	{ CURLPX_CLOSED, ERR_NET, "connection closed during the handshake" },
	{ CURLPX_BAD_VERSION, ERR_PROTOCOL,
	  "malformed reply (not a SOCKS server?)" },
	{ CURLPX_BAD_ADDRESS_TYPE, ERR_PROTOCOL,
	  "unknown address type in reply" },
	{ CURLPX_RECV_ADDRESS, ERR_PROTOCOL, "malformed reply" },
	{ CURLPX_RECV_AUTH, ERR_PROTOCOL, "malformed authentication reply" },
	{ CURLPX_RECV_CONNECT, ERR_PROTOCOL, "malformed reply" },
	{ CURLPX_RECV_REQACK, ERR_PROTOCOL, "malformed reply" },
	{ CURLPX_SEND_AUTH, ERR_NET, "sending the credentials failed" },
	{ CURLPX_SEND_CONNECT, ERR_NET, "sending the request failed" },
	{ CURLPX_SEND_REQUEST, ERR_NET, "sending the request failed" },
	{ CURLPX_UNKNOWN_MODE, ERR_CONFIG, "unknown proxy mode" },
};

/* Reason phrases (RFC 9110 section 15) of what a CONNECT may answer. */
static const struct {
	long		 status;
	const char	*reason;
} http_error_reasons[] = {
	{ 400, "Bad Request" }, { 401, "Unauthorized" },
	{ 403, "Forbidden" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 407, "Proxy Authentication Required" },
	{ 408, "Request Timeout" }, { 500, "Internal Server Error" },
	{ 501, "Not Implemented" }, { 502, "Bad Gateway" },
	{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
};

/* Copy libcurl's detail, printable ASCII only, without a final newline. */
static void
http_error_detail(const char *in, char *out, size_t size)
{
	size_t	n = 0;

	for (; in != NULL && *in != '\0' && n + 1 < size; in++)
		out[n++] = *in >= 0x20 && *in < 0x7f ? *in : '?';
	while (n > 0 && (out[n - 1] == '?' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
}

/* libcurl's detail without its "SSL: " / "SSL certificate problem: ". */
static const char *
http_error_tls_reason(const char *detail)
{
	static const char *const prefixes[] = { "SSL certificate problem: ",
	    "SSL: " };
	size_t	i, n;

	for (i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
		n = strlen(prefixes[i]);
		if (strncmp(detail, prefixes[i], n) == 0)
			return detail + n;
	}
	return detail;
}

/* The proxy refused or failed: name the proxy. */
static int
http_error_proxy(const struct http_failure *f, const char *detail,
    struct error *err)
{
	size_t	i;

	if (f->proxy_http && f->connect_code != 0 &&
	    f->connect_code / 100 != 2) {
		for (i = 0; i < sizeof http_error_reasons /
		    sizeof *http_error_reasons; i++)
			if (http_error_reasons[i].status == f->connect_code)
				break;
		return error_set(err, f->connect_code == 407 ||
		    f->connect_code == 401 ? ERR_AUTH : ERR_NET,
		    ERR_SCOPE_ACCOUNT, "%s: %ld %s", f->proxy_label,
		    f->connect_code, i < sizeof http_error_reasons /
		    sizeof *http_error_reasons ? http_error_reasons[i].reason :
		    "(CONNECT refused)");
	}
	for (i = 0; i < sizeof http_error_pxs / sizeof *http_error_pxs; i++)
		if (http_error_pxs[i].px == f->proxy_error)
			return error_set(err, http_error_pxs[i].code,
			    ERR_SCOPE_ACCOUNT, "%s: %s", f->proxy_label,
			    http_error_pxs[i].text);
	return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "%s: %s",
	    f->proxy_label, *detail != '\0' ? detail : "handshake failed");
}

/*
 * TCP connect failed: to the proxy if there is one (libcurl connects to
 * nothing else then), else to the server.
 */
static int
http_error_connect(const struct http_failure *f, const char *label,
    const char *detail, struct error *err)
{
	char		 ebuf[128];
	const char	*why = detail;

	if (f->os_errno != 0)
		why = error_strerror(f->os_errno, ebuf, sizeof ebuf);
	else if (*why == '\0')
		why = "failed";
	if (*label != '\0')
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: cannot connect: %s", label, why);
	return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "connect to %s: %s",
	    f->peer != NULL ? f->peer : "?", why);
}

/* A TLS failure: the pin, the verification, or the handshake. */
static int
http_error_tls(const struct http_failure *f, const char *peer,
    const char *detail, struct error *err)
{
	const char	*fp = f->fingerprint != NULL && *f->fingerprint != '\0' ?
			    f->fingerprint : "not received";

	if (f->pin_mismatch)
		return error_set(err, ERR_TLS_VERIFY, ERR_SCOPE_ACCOUNT, "%s: server "
		    "certificate %s does not match the pinned fingerprint %s",
		    peer, fp, f->pin != NULL ? f->pin : "?");
	if (f->code == CURLE_PEER_FAILED_VERIFICATION || f->verify_error != 0)
		return error_set(err, ERR_TLS_VERIFY, ERR_SCOPE_ACCOUNT, "%s: "
		    "certificate verification failed: %s (server certificate "
		    "%s)", peer, f->verify_error != 0 ?
		    X509_verify_cert_error_string(f->verify_error) :
		    http_error_tls_reason(detail), fp);
	if (f->alert != NULL && *f->alert != '\0' && f->tls_lo == 0)
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT, "%s: TLS "
		    "alert from the server: %s", peer, f->alert);
	switch (f->code) {
	case CURLE_SSL_CERTPROBLEM:
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s: TLS "
		    "client certificate or key: %s (a key with a passphrase is "
		    "not supported)", peer, detail);
	case CURLE_SSL_CACERT_BADFILE:
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s: cannot "
		    "load the CA file or directory: %s", peer, detail);
	case CURLE_SSL_CIPHER:
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s: "
		    "cipher list rejected: %s", peer, detail);
	default:
		break;
	}
	/* A server outside a limited range often just hangs up. */
	if (f->tls_lo != 0)
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT, "%s: TLS "
		    "handshake: %s (this account allows TLS 1.%d to 1.%d only)",
		    peer, detail, f->tls_lo - 10, f->tls_hi - 10);
	return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT, "%s: TLS "
	    "handshake: %s", peer, detail);
}

/* A bounded wait ran out: while connecting, or with no data moving. */
static int
http_error_timeout(const struct http_failure *f, const char *peer,
    struct error *err)
{
	if (!f->connected)
		return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
		    "%s: no connection within %d s", peer,
		    (f->connect_timeout_ms + 999) / 1000);
	return error_set(err, ERR_TIMEOUT, ERR_SCOPE_ACCOUNT,
	    "%s: timed out after %d s without data", peer,
	    (f->timeout_ms + 999) / 1000);
}

/* Errors that are the server's or the URL's. */
static int
http_error_other(const struct http_failure *f, const char *peer,
    const char *detail, struct error *err)
{
	switch (f->code) {
	case CURLE_UNSUPPORTED_PROTOCOL:
		return error_set(err, ERR_CONFIG, ERR_SCOPE_ACCOUNT, "%s: "
		    "only https is allowed (plain http needs security = none)",
		    peer);
	case CURLE_URL_MALFORMAT:
		return error_set(err, ERR_CONFIG, ERR_SCOPE_OP,
		    "malformed URL: %s", detail);
	case CURLE_COULDNT_RESOLVE_HOST:
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "cannot resolve %s: %s", peer, detail);
	case CURLE_GOT_NOTHING:
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT, "%s: "
		    "the server closed the connection without an answer",
		    peer);
	case CURLE_PARTIAL_FILE:
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "%s: the "
		    "connection closed before the whole response arrived",
		    peer);
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_BAD_CONTENT_ENCODING:
	case CURLE_TOO_MANY_REDIRECTS:
		return error_set(err, ERR_PROTOCOL, ERR_SCOPE_ACCOUNT,
		    "%s: %s", peer, *detail != '\0' ? detail :
		    curl_easy_strerror(f->code));
	case CURLE_SEND_ERROR:
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "%s: the "
		    "connection broke while sending (%s)", peer, detail);
	case CURLE_RECV_ERROR:
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "%s: the "
		    "connection broke while receiving (%s)", peer, detail);
	case CURLE_FILESIZE_EXCEEDED:
		return error_set(err, ERR_TOOBIG, ERR_SCOPE_OP,
		    "%s: response too big", peer);
	default:
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT, "%s: %s%s%s%s",
		    peer, curl_easy_strerror(f->code), *detail != '\0' ?
		    " (" : "", detail, *detail != '\0' ? ")" : "");
	}
}

/* Map a failure onto err (see http_impl.h). */
int
http_error_map(const struct http_failure *f, struct error *err)
{
	char		 detail[256], peer[HTTP_LABEL_MAX + 300];
	const char	*label = f->proxy_label != NULL ? f->proxy_label : "";

	http_error_detail(f->detail, detail, sizeof detail);
	/* As transport.c names a proxied stream. */
	snprintf(peer, sizeof peer, "%s%s%s", f->peer != NULL ? f->peer : "?",
	    *label != '\0' ? " via " : "", label);
	if (f->cancelled)
		return error_set(err, ERR_CANCELLED, ERR_SCOPE_OP,
		    "%s: interrupted", peer);
	if (f->pin_mismatch)
		return http_error_tls(f, peer, detail, err);
	if (*label != '\0' && (f->code == CURLE_PROXY || (f->proxy_http &&
	    f->connect_code != 0 && f->connect_code / 100 != 2)))
		return http_error_proxy(f, detail, err);
	/* The server's alert explains a connection it then cut. */
	if (f->alert != NULL && *f->alert != '\0' &&
	    (f->code == CURLE_SEND_ERROR || f->code == CURLE_RECV_ERROR ||
	    f->code == CURLE_GOT_NOTHING))
		return http_error_tls(f, peer, detail, err);
	switch (f->code) {
	case CURLE_COULDNT_RESOLVE_PROXY:
		return error_set(err, ERR_NET, ERR_SCOPE_ACCOUNT,
		    "%s: cannot resolve the proxy's name", label);
	case CURLE_COULDNT_CONNECT:
		return http_error_connect(f, label, detail, err);
	case CURLE_OPERATION_TIMEDOUT:
		return http_error_timeout(f, peer, err);
	case CURLE_ABORTED_BY_CALLBACK:
		return error_set(err, ERR_TLS, ERR_SCOPE_ACCOUNT, "%s: no TLS "
		    "session to check the pinned fingerprint against", peer);
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_CLIENTCERT:
		return http_error_tls(f, peer, detail, err);
	default:
		return http_error_other(f, peer, detail, err);
	}
}
