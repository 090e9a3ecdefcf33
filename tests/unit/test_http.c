/*
 * test_http.c - net/http.h without a network: the mapping from a
 * transport endpoint to libcurl settings (inspected in struct
 * http_settings, then accepted by a real libcurl handle), the mapping of
 * failures to errors with the exact messages, the redaction of the trace,
 * and a few transfers on loopback: a scripted plain-HTTP server in a
 * thread (status, body, the bounded sink, "proxy = none" beating the
 * *_proxy environment), a listener that never answers (connect timeout,
 * the wake fd), a closed proxy port, and https refused for http URLs.
 */
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/x509_vfy.h>

#include "net/http_impl.h"
#include "util/log.h"

#define FP_A	"sha256:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:" \
		"AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"
#define FP_B	"sha256:00:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:" \
		"AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"

/* A default endpoint: implicit TLS, verified, 10 s / 20 s, no wake fd. */
static void
ep_init(struct transport_endpoint *ep)
{
	memset(ep, 0, sizeof *ep);
	ep->host = "mail.example.org";
	ep->port = "443";
	ep->security = TRANSPORT_IMPLICIT_TLS;
	ep->connect_timeout_ms = 10000;
	ep->timeout_ms = 20000;
	ep->wake_fd = -1;
	ep->tls.verify = true;
}

/* Endpoint -> settings: one case of the table. */
struct map_case {
	const char		*name;
	enum stream_proxy_type	 proxy;
	const char		*phost, *pport, *puser, *ppass;
	int			 tls_min, tls_max;
	bool			 plain, no_verify;
	const char		*pin;
	/* expected */
	long			 proxy_type;
	const char		*proxy_host;
	const char		*label;
	const char		*want_pass;
	long			 ssl_version;
	bool			 verify;
	bool			 limited;
	bool			 seclevel0;
};

#define V(lo, hi)	(CURL_SSLVERSION_TLSv1_##lo | CURL_SSLVERSION_MAX_TLSv1_##hi)

static const struct map_case map_cases[] = {
	{ "direct", STREAM_PROXY_NONE, NULL, NULL, NULL, NULL, 0, 0, false,
	  false, NULL, -1, "", "", NULL, V(2, 3), true, false, false },
	{ "socks4", STREAM_PROXY_SOCKS4, "127.0.0.1", "1080", NULL, NULL, 0,
	  0, false, false, NULL, CURLPROXY_SOCKS4, "127.0.0.1",
	  "SOCKS4 proxy 127.0.0.1:1080", NULL, V(2, 3), true, false, false },
	{ "socks4a user id", STREAM_PROXY_SOCKS4A, "proxy.lan", "1080", "bob",
	  NULL, 0, 0, false, false, NULL, CURLPROXY_SOCKS4A, "proxy.lan",
	  "SOCKS4a proxy proxy.lan:1080", "", V(2, 3), true, false, false },
	{ "socks5 remote dns + auth", STREAM_PROXY_SOCKS5, "127.0.0.1", "1081",
	  "bob", "s3cret", 0, 0, false, false, NULL,
	  CURLPROXY_SOCKS5_HOSTNAME, "127.0.0.1",
	  "SOCKS5 proxy 127.0.0.1:1081", "s3cret", V(2, 3), true, false,
	  false },
	{ "http connect on ipv6", STREAM_PROXY_HTTP, "::1", "3128", "bob",
	  "pw", 0, 0, false, false, NULL, CURLPROXY_HTTP, "[::1]",
	  "HTTP proxy [::1]:3128", "pw", V(2, 3), true, false, false },
	{ "tls 1.3 only", STREAM_PROXY_NONE, NULL, NULL, NULL, NULL, 13, 0,
	  false, false, NULL, -1, "", "", NULL, V(3, 3), true, true, false },
	{ "tls max 1.2", STREAM_PROXY_NONE, NULL, NULL, NULL, NULL, 0, 12,
	  false, false, NULL, -1, "", "", NULL, V(2, 2), true, true, false },
	{ "tls 1.0 asked for", STREAM_PROXY_NONE, NULL, NULL, NULL, NULL, 10,
	  0, false, false, NULL, -1, "", "", NULL, V(0, 3), true, true, true },
	{ "pin decides", STREAM_PROXY_NONE, NULL, NULL, NULL, NULL, 0, 0,
	  false, false, FP_A, -1, "", "", NULL, V(2, 3), false, false, false },
	{ "no verify", STREAM_PROXY_NONE, NULL, NULL, NULL, NULL, 0, 0, false,
	  true, NULL, -1, "", "", NULL, V(2, 3), false, false, false },
	{ "plain allows http", STREAM_PROXY_NONE, NULL, NULL, NULL, NULL, 0, 0,
	  true, false, NULL, -1, "", "", NULL, V(2, 3), true, false, false },
};

/* Each mapping case, then libcurl accepts the result. */
START_TEST(test_map)
{
	const struct map_case		*c = &map_cases[_i];
	struct transport_endpoint	 ep;
	struct http_settings		 s;
	struct error			 err;
	CURL				*curl;

	ep_init(&ep);
	ep.proxy.type = c->proxy;
	ep.proxy.host = c->phost;
	ep.proxy.port = c->pport;
	ep.proxy.user = c->puser;
	ep.proxy.password = (char *)c->ppass;
	ep.tls.min_version = c->tls_min;
	ep.tls.max_version = c->tls_max;
	ep.tls.fingerprint = c->pin;
	ep.tls.verify = !c->no_verify;
	if (c->plain)
		ep.security = TRANSPORT_PLAIN;
	ck_assert_msg(http_settings_from_endpoint(&ep, &s, &err) == 0,
	    "%s: %s", c->name, err.msg);
	ck_assert_str_eq(s.protocols, c->plain ? "http,https" : "https");
	ck_assert_int_eq(s.proxy_type, c->proxy_type);
	ck_assert_str_eq(s.proxy_host, c->proxy_host);
	ck_assert_str_eq(s.proxy_label, c->label);
	if (c->want_pass == NULL)
		ck_assert_ptr_null(s.proxy_password);
	else
		ck_assert_str_eq(s.proxy_password, c->want_pass);
	ck_assert_msg(s.ssl_version == c->ssl_version, "%s: ssl_version %lx",
	    c->name, s.ssl_version);
	ck_assert_int_eq(s.verify_peer, c->verify);
	ck_assert_int_eq(s.verify_host, c->verify ? 2 : 0);
	ck_assert_int_eq(s.tls_limited, c->limited);
	ck_assert_int_eq(s.tls_seclevel0, c->seclevel0);
	ck_assert_int_eq(s.connect_timeout_ms, 10000);
	ck_assert_int_eq(s.timeout_ms, 20000);
	if (c->pin != NULL)
		ck_assert_str_eq(s.pin, c->pin);
	ck_assert_ptr_nonnull(curl = curl_easy_init());
	ck_assert_msg(http_settings_apply(curl, &s, &err) == 0, "%s: %s",
	    c->name, err.msg);
	curl_easy_cleanup(curl);
}
END_TEST

/* CA files, client certificate, ciphers and timeouts pass through. */
START_TEST(test_map_files)
{
	struct transport_endpoint	ep;
	struct http_settings		s;
	struct error			err;

	ep_init(&ep);
	ep.tls.ca_file = "/etc/ca.pem";
	ep.tls.cert_file = "/c.pem";
	ep.tls.key_file = "/k.pem";
	ep.tls.ciphers = "ECDHE-ECDSA-AES128-GCM-SHA256";
	ep.tls.ciphersuites = "TLS_AES_256_GCM_SHA384";
	ep.connect_timeout_ms = 0;
	ep.timeout_ms = 7000;
	ep.wake_fd = 9;
	ck_assert_int_eq(http_settings_from_endpoint(&ep, &s, &err), 0);
	ck_assert(s.ca_set);
	ck_assert_str_eq(s.ca_file, "/etc/ca.pem");
	ck_assert_ptr_null(s.ca_dir);
	ck_assert_str_eq(s.cert_file, "/c.pem");
	ck_assert_str_eq(s.key_file, "/k.pem");
	ck_assert_str_eq(s.ciphers, "ECDHE-ECDSA-AES128-GCM-SHA256");
	ck_assert_str_eq(s.ciphersuites, "TLS_AES_256_GCM_SHA384");
	/* no connect timeout: the operation timeout bounds the connect */
	ck_assert_int_eq(s.connect_timeout_ms, 7000);
	ck_assert_int_eq(s.wake_fd, 9);
	ep.tls.ca_file = NULL;
	ck_assert_int_eq(http_settings_from_endpoint(&ep, &s, &err), 0);
	ck_assert(!s.ca_set);
}
END_TEST

/* Endpoint -> settings refusals, with their exact messages. */
struct bad_case {
	const char		*name;
	enum stream_proxy_type	 proxy;
	const char		*phost, *pport;
	int			 tls_min, tls_max;
	const char		*pin, *key, *ciphers, *suites;
	enum error_code		 code;
	const char		*msg;
};

static const struct bad_case bad_cases[] = {
	{ "proxy without host", STREAM_PROXY_SOCKS5, NULL, "1080", 0, 0, NULL,
	  NULL, NULL, NULL, ERR_CONFIG, "SOCKS5 proxy without host or port" },
	{ "proxy port", STREAM_PROXY_HTTP, "127.0.0.1", "99999", 0, 0, NULL,
	  NULL, NULL, NULL, ERR_CONFIG, "HTTP proxy 127.0.0.1: port '99999' "
	  "is not a number from 1 to 65535" },
	{ "proxy port text", STREAM_PROXY_SOCKS4, "127.0.0.1", "socks", 0, 0,
	  NULL, NULL, NULL, NULL, ERR_CONFIG, "SOCKS4 proxy 127.0.0.1: port "
	  "'socks' is not a number from 1 to 65535" },
	{ "proxy host with userinfo", STREAM_PROXY_HTTP, "u:p@h", "8080", 0,
	  0, NULL, NULL, NULL, NULL, ERR_CONFIG,
	  "HTTP proxy: 'u:p@h' is not a host name or address" },
	{ "short pin", STREAM_PROXY_NONE, NULL, NULL, 0, 0, "sha256:AB:CD",
	  NULL, NULL, NULL, ERR_CONFIG, "tls_fingerprint 'sha256:AB:CD' is "
	  "not sha256: and 32 hex bytes" },
	{ "key without cert", STREAM_PROXY_NONE, NULL, NULL, 0, 0, NULL,
	  "/k.pem", NULL, NULL, ERR_CONFIG, "tls_key is set without tls_cert" },
	{ "bad ciphers", STREAM_PROXY_NONE, NULL, NULL, 0, 0, NULL, NULL,
	  "NOPE", NULL, ERR_CONFIG,
	  "tls_ciphers 'NOPE': OpenSSL knows none of these ciphers" },
	{ "bad suites", STREAM_PROXY_NONE, NULL, NULL, 0, 0, NULL, NULL, NULL,
	  "TLS_NOPE", ERR_CONFIG, "tls_ciphersuites 'TLS_NOPE' rejected by "
	  "OpenSSL (TLS 1.3 suites, e.g. TLS_AES_256_GCM_SHA384)" },
	{ "min above max", STREAM_PROXY_NONE, NULL, NULL, 13, 12, NULL, NULL,
	  NULL, NULL, ERR_CONFIG, "tls_min 1.3 is above tls_max 1.2" },
	{ "version range", STREAM_PROXY_NONE, NULL, NULL, 9, 0, NULL, NULL,
	  NULL, NULL, ERR_CONFIG, "TLS versions must be 1.0 to 1.3" },
};

/* Each refusal. */
START_TEST(test_map_bad)
{
	const struct bad_case		*c = &bad_cases[_i];
	struct transport_endpoint	 ep;
	struct http_settings		 s;
	struct error			 err;

	ep_init(&ep);
	ep.proxy.type = c->proxy;
	ep.proxy.host = c->phost;
	ep.proxy.port = c->pport;
	ep.tls.min_version = c->tls_min;
	ep.tls.max_version = c->tls_max;
	ep.tls.fingerprint = c->pin;
	ep.tls.key_file = c->key;
	ep.tls.ciphers = c->ciphers;
	ep.tls.ciphersuites = c->suites;
	error_clear(&err);
	ck_assert_msg(http_settings_from_endpoint(&ep, &s, &err) == -1,
	    "%s: accepted", c->name);
	ck_assert_int_eq(err.code, c->code);
	ck_assert_int_eq(err.scope, ERR_SCOPE_ACCOUNT);
	ck_assert_str_eq(err.msg, c->msg);
}
END_TEST

/* Failure -> error: one case. */
struct err_case {
	const char		*name;
	struct http_failure	 f;
	enum error_code		 code;
	const char		*msg;
};

#define PEER	"mail.example.org:443"
#define S5	"SOCKS5 proxy 127.0.0.1:1080"
#define HP	"HTTP proxy 127.0.0.1:3128"

static const struct err_case err_cases[] = {
	{ "socks5 refused by destination", { .code = CURLE_PROXY,
	  .detail = "Can't complete SOCKS5 connection (5)", .peer = PEER,
	  .proxy_label = S5, .proxy_error = CURLPX_REPLY_CONNECTION_REFUSED },
	  ERR_NET, S5 ": connection refused by destination" },
	{ "socks5 bad password", { .code = CURLE_PROXY, .peer = PEER,
	  .proxy_label = S5, .proxy_error = CURLPX_USER_REJECTED }, ERR_AUTH,
	  S5 ": username/password authentication failed" },
	{ "socks5 no method", { .code = CURLE_PROXY, .peer = PEER,
	  .proxy_label = S5, .proxy_error = CURLPX_NO_AUTH }, ERR_AUTH,
	  S5 ": no acceptable authentication method" },
	{ "socks4 rejected", { .code = CURLE_PROXY, .peer = PEER,
	  .proxy_label = "SOCKS4 proxy 127.0.0.1:1080",
	  .proxy_error = CURLPX_REQUEST_FAILED }, ERR_NET,
	  "SOCKS4 proxy 127.0.0.1:1080: request rejected or failed" },
	{ "socks unknown", { .code = CURLE_PROXY, .detail = "odd\r\n",
	  .peer = PEER, .proxy_label = S5, .proxy_error = 999 }, ERR_NET,
	  S5 ": odd" },
	{ "http 407", { .code = CURLE_RECV_ERROR, .detail = "CONNECT tunnel "
	  "failed, response 407", .peer = PEER, .proxy_label = HP,
	  .proxy_http = true, .connect_code = 407 }, ERR_AUTH,
	  HP ": 407 Proxy Authentication Required" },
	{ "http 502", { .code = CURLE_COULDNT_CONNECT, .peer = PEER,
	  .proxy_label = HP, .proxy_http = true, .connect_code = 502 },
	  ERR_NET, HP ": 502 Bad Gateway" },
	{ "http 599", { .code = CURLE_COULDNT_CONNECT, .peer = PEER,
	  .proxy_label = HP, .proxy_http = true, .connect_code = 599 },
	  ERR_NET, HP ": 599 (CONNECT refused)" },
	{ "proxy down", { .code = CURLE_COULDNT_CONNECT, .peer = PEER,
	  .proxy_label = S5, .os_errno = 111 }, ERR_NET,
	  S5 ": cannot connect: Connection refused" },
	{ "server down", { .code = CURLE_COULDNT_CONNECT, .peer = PEER,
	  .proxy_label = "", .os_errno = 111 }, ERR_NET,
	  "connect to " PEER ": Connection refused" },
	{ "proxy name", { .code = CURLE_COULDNT_RESOLVE_PROXY, .peer = PEER,
	  .proxy_label = S5 }, ERR_NET, S5 ": cannot resolve the proxy's name" },
	{ "pin mismatch", { .code = CURLE_SSL_CONNECT_ERROR, .peer = PEER,
	  .proxy_label = "", .fingerprint = FP_B, .pin = FP_A,
	  .pin_mismatch = true }, ERR_TLS_VERIFY, PEER ": server certificate " FP_B
	  " does not match the pinned fingerprint " FP_A },
	{ "pin mismatch after resumption", { .code =
	  CURLE_ABORTED_BY_CALLBACK, .peer = PEER, .proxy_label = S5,
	  .fingerprint = FP_B, .pin = FP_A, .pin_mismatch = true }, ERR_TLS_VERIFY,
	  PEER " via " S5 ": server certificate " FP_B " does not match the "
	  "pinned fingerprint " FP_A },
	{ "untrusted", { .code = CURLE_PEER_FAILED_VERIFICATION, .detail =
	  "SSL certificate problem: self-signed certificate", .peer = PEER,
	  .proxy_label = "", .verify_error =
	  X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, .fingerprint = FP_A },
	  ERR_TLS_VERIFY, PEER ": certificate verification failed: self-signed "
	  "certificate (server certificate " FP_A ")" },
	{ "wrong name", { .code = CURLE_PEER_FAILED_VERIFICATION, .detail =
	  "SSL: no alternative certificate subject name matches target host "
	  "name 'localhost'", .peer = PEER, .proxy_label = "", .fingerprint =
	  FP_A }, ERR_TLS_VERIFY, PEER ": certificate verification failed: no "
	  "alternative certificate subject name matches target host name "
	  "'localhost' (server certificate " FP_A ")" },
	{ "range", { .code = CURLE_SSL_CONNECT_ERROR, .detail = "error:"
	  "0A00042E:SSL routines::tlsv1 alert protocol version", .peer = PEER,
	  .proxy_label = "", .tls_lo = 12, .tls_hi = 12 }, ERR_TLS, PEER
	  ": TLS handshake: error:0A00042E:SSL routines::tlsv1 alert protocol "
	  "version (this account allows TLS 1.2 to 1.2 only)" },
	{ "client certificate refused", { .code = CURLE_SEND_ERROR, .detail =
	  "getpeername() failed", .peer = PEER, .proxy_label = "", .alert =
	  "certificate required" }, ERR_TLS,
	  PEER ": TLS alert from the server: certificate required" },
	{ "alert in the handshake", { .code = CURLE_SSL_CONNECT_ERROR,
	  .detail = "error:0A000410:...", .peer = PEER, .proxy_label = "",
	  .alert = "handshake failure" }, ERR_TLS,
	  PEER ": TLS alert from the server: handshake failure" },
	{ "handshake", { .code = CURLE_SSL_CONNECT_ERROR, .detail = "x",
	  .peer = PEER, .proxy_label = "" }, ERR_TLS,
	  PEER ": TLS handshake: x" },
	{ "connect timeout via proxy", { .code = CURLE_OPERATION_TIMEDOUT,
	  .peer = PEER, .proxy_label = S5, .connect_timeout_ms = 1500,
	  .timeout_ms = 60000 }, ERR_TIMEOUT,
	  PEER " via " S5 ": no connection within 2 s" },
	{ "stalled", { .code = CURLE_OPERATION_TIMEDOUT, .peer = PEER,
	  .proxy_label = "", .connect_timeout_ms = 1500, .timeout_ms = 3000,
	  .connected = true }, ERR_TIMEOUT,
	  PEER ": timed out after 3 s without data" },
	{ "cancelled", { .code = CURLE_ABORTED_BY_CALLBACK, .peer = PEER,
	  .proxy_label = "", .cancelled = true }, ERR_CANCELLED,
	  PEER ": interrupted" },
	{ "http not allowed", { .code = CURLE_UNSUPPORTED_PROTOCOL, .peer =
	  "h:80", .proxy_label = "" }, ERR_CONFIG,
	  "h:80: only https is allowed (plain http needs security = none)" },
	{ "silent close", { .code = CURLE_GOT_NOTHING, .peer = PEER,
	  .proxy_label = "" }, ERR_PROTOCOL,
	  PEER ": the server closed the connection without an answer" },
	{ "control bytes", { .code = CURLE_RECV_ERROR, .detail = "a\033[2Jb",
	  .peer = PEER, .proxy_label = "" }, ERR_NET,
	  PEER ": the connection broke while receiving (a?[2Jb)" },
};

/* Each failure's error. */
START_TEST(test_errors)
{
	const struct err_case	*c = &err_cases[_i];
	struct error		 err;

	error_clear(&err);
	ck_assert_int_eq(http_error_map(&c->f, &err), -1);
	ck_assert_msg(err.code == c->code, "%s: code %s", c->name,
	    error_code_name(err.code));
	ck_assert_str_eq(err.msg, c->msg);
	ck_assert_int_eq(err.scope, c->code == ERR_CANCELLED ? ERR_SCOPE_OP :
	    ERR_SCOPE_ACCOUNT);
}
END_TEST

/* Which header lines the trace must not show. */
START_TEST(test_secret_headers)
{
	static const struct {
		const char	*line;
		size_t		 keep;
	} cases[] = {
		{ "Authorization: Bearer x", 14 },
		{ "authorization:Basic eA==", 14 },
		{ "Proxy-Authorization: Basic eA==", 20 },
		{ "PROXY-AUTHORIZATION : Basic eA==", 21 },
		{ "Cookie: a=b", 7 },
		{ "Set-Cookie: s=1; HttpOnly", 11 },
		{ "X-Authorization: x", 0 },
		{ "Authorization-Info: x", 0 },
		{ "Authorization", 0 },
		{ "Content-Type: text/plain", 0 },
	};
	size_t	i;

	for (i = 0; i < sizeof cases / sizeof *cases; i++)
		ck_assert_msg(http_log_secret_header(cases[i].line,
		    strlen(cases[i].line)) == cases[i].keep, "%s",
		    cases[i].line);
}
END_TEST

/* The whole file as a string (at most 64 KiB). */
static char *
slurp(const char *path)
{
	static char	 buf[65536];
	FILE		*f;
	size_t		 n;

	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The debug callback redacts credentials and never logs bodies. */
START_TEST(test_trace_redacted)
{
	static char	head[] = "CONNECT h:443 HTTP/1.1\r\nHost: h:443\r\n"
			    "Proxy-Authorization: Basic Ym9iOnMzY3JldA==\r\n"
			    "Authorization: Bearer tok-SECRET\r\n\r\n";
	static char	cookie[] = "Set-Cookie: sid=COOKIE-SECRET\r\n";
	static char	body[] = "access_token=BODY-SECRET";
	char		path[] = "/tmp/petrel-http-log.XXXXXX";
	const char	*log;
	int		fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	close(fd);
	ck_assert_int_eq(log_open(path, LOG_TRACE, "http"), 0);
	http_log_debug(NULL, CURLINFO_HEADER_OUT, head, sizeof head - 1, NULL);
	http_log_debug(NULL, CURLINFO_HEADER_IN, cookie, sizeof cookie - 1,
	    NULL);
	http_log_debug(NULL, CURLINFO_DATA_OUT, body, sizeof body - 1, NULL);
	http_log_debug(NULL, CURLINFO_DATA_IN, body, sizeof body - 1, NULL);
	http_log_debug(NULL, CURLINFO_TEXT, body, 3, NULL);
	log_close();
	log = slurp(path);
	unlink(path);
	ck_assert_ptr_nonnull(strstr(log, "> CONNECT h:443 HTTP/1.1\n"));
	ck_assert_ptr_nonnull(strstr(log, "> Host: h:443\n"));
	ck_assert_ptr_nonnull(strstr(log, "> Proxy-Authorization: <redacted>"));
	ck_assert_ptr_nonnull(strstr(log, "> Authorization: <redacted>"));
	ck_assert_ptr_nonnull(strstr(log, "< Set-Cookie: <redacted>"));
	ck_assert_ptr_nonnull(strstr(log, "> (24 bytes of body)"));
	ck_assert_ptr_nonnull(strstr(log, "< (24 bytes of body)"));
	ck_assert_ptr_nonnull(strstr(log, "* acc\n"));
	ck_assert_ptr_null(strstr(log, "Ym9iOnMzY3JldA"));
	ck_assert_ptr_null(strstr(log, "SECRET"));
}
END_TEST

/* A loopback listener (port in *port); accepts nothing unless asked. */
static int
listener(int *port)
{
	struct sockaddr_in	sin;
	socklen_t		len = sizeof sin;
	int			fd;

	ck_assert_int_ne(fd = socket(AF_INET, SOCK_STREAM, 0), -1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(fd, 4), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

/* The scripted HTTP server: one connection, one canned answer. */
struct server {
	int		 fd;
	const char	*answer;
	char		 request[4096];
	pthread_t	 thread;
};

/* Read the request head, send the answer, close. */
static void *
server_main(void *arg)
{
	struct server	*sv = arg;
	size_t		 n = 0;
	ssize_t		 r;
	int		 c;

	if ((c = accept(sv->fd, NULL, NULL)) == -1)
		return NULL;
	while (n + 1 < sizeof sv->request && (r = read(c, sv->request + n,
	    sizeof sv->request - 1 - n)) > 0) {
		n += (size_t)r;
		sv->request[n] = '\0';
		if (strstr(sv->request, "\r\n\r\n") != NULL)
			break;
	}
	if (write(c, sv->answer, strlen(sv->answer)) < 0)
		perror("server write");
	close(c);
	return NULL;
}

/* Start the scripted server; *url gets its address. */
static void
server_start(struct server *sv, const char *answer, char *url, size_t size)
{
	int	port;

	memset(sv, 0, sizeof *sv);
	sv->fd = listener(&port);
	sv->answer = answer;
	snprintf(url, size, "http://127.0.0.1:%d/x", port);
	ck_assert_int_eq(pthread_create(&sv->thread, NULL, server_main, sv),
	    0);
}

/* Wait for the server thread. */
static void
server_stop(struct server *sv)
{
	pthread_join(sv->thread, NULL);
	close(sv->fd);
}

/* GET with security none: status, body into the bounded sink. */
START_TEST(test_get_plain)
{
	struct transport_endpoint	 ep;
	struct server			 sv;
	struct http			*h;
	struct http_sink		 sink;
	struct buf			 body;
	struct error			 err;
	char				 url[64];

	/* "proxy = none" must beat the environment. */
	setenv("http_proxy", "http://127.0.0.1:9", 1);
	setenv("ALL_PROXY", "socks5://127.0.0.1:9", 1);
	server_start(&sv, "HTTP/1.1 201 Created\r\nContent-Length: 5\r\n"
	    "Connection: close\r\n\r\nhello", url, sizeof url);
	ep_init(&ep);
	ep.security = TRANSPORT_PLAIN;
	ck_assert_ptr_nonnull(h = http_new(&ep, &err));
	buf_init(&body, 100);
	http_sink_buf(&sink, &body);
	ck_assert_msg(http_perform(h, url, &sink, &err) == 0, "%s", err.msg);
	server_stop(&sv);
	ck_assert_int_eq(http_status(h), 201);
	ck_assert_str_eq(http_tls_version(h), "none");
	ck_assert_str_eq(buf_str(&body), "hello");
	ck_assert_ptr_nonnull(strstr(sv.request, "GET /x HTTP/1.1\r\n"));
	ck_assert_ptr_nonnull(strstr(sv.request, "User-Agent: petrel/"));
	/* over a limit: ERR_TOOBIG, and the status still reads */
	server_start(&sv, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
	    "Connection: close\r\n\r\nhello", url, sizeof url);
	buf_fini(&body);
	buf_init(&body, 3);
	ck_assert_int_eq(http_perform(h, url, &sink, &err), -1);
	server_stop(&sv);
	ck_assert_int_eq(err.code, ERR_TOOBIG);
	ck_assert_str_eq(err.msg, "the response is larger than 3 bytes");
	buf_fini(&body);
	http_free(h);
}
END_TEST

/* An http URL with security implicit: refused before any connection. */
START_TEST(test_https_only)
{
	struct transport_endpoint	 ep;
	struct http			*h;
	struct error			 err;

	ep_init(&ep);
	ck_assert_ptr_nonnull(h = http_new(&ep, &err));
	ck_assert_int_eq(http_perform(h, "http://127.0.0.1:9/", NULL, &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_CONFIG);
	ck_assert_str_eq(err.msg, "127.0.0.1:9: only https is allowed (plain "
	    "http needs security = none)");
	ck_assert_int_eq(http_perform(h, "ftp://127.0.0.1/", NULL, &err), -1);
	ck_assert_int_eq(err.code, ERR_CONFIG);
	http_free(h);
}
END_TEST

/* Milliseconds since some fixed point. */
static long
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The waker thread: write to the pipe after 200 ms. */
static void *
waker_main(void *arg)
{
	struct timespec	ts = { 0, 200 * 1000000L };

	nanosleep(&ts, NULL);
	if (write(*(int *)arg, "w", 1) != 1)
		perror("waker");
	return NULL;
}

/* A server that never answers: the connect timeout, then the wake fd. */
START_TEST(test_silent)
{
	struct transport_endpoint	 ep;
	struct http			*h;
	struct error			 err;
	pthread_t			 t;
	char				 url[64];
	long				 t0;
	int				 fd, port, wake[2];

	fd = listener(&port);
	snprintf(url, sizeof url, "https://127.0.0.1:%d/", port);
	ep_init(&ep);
	ep.connect_timeout_ms = 700;
	ck_assert_ptr_nonnull(h = http_new(&ep, &err));
	t0 = now_ms();
	ck_assert_int_eq(http_perform(h, url, NULL, &err), -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	ck_assert_int_lt(now_ms() - t0, 1700);
	ck_assert_int_ge(now_ms() - t0, 600);
	http_free(h);
	ck_assert_int_eq(pipe(wake), 0);
	ep.connect_timeout_ms = 30000;
	ep.wake_fd = wake[0];
	ck_assert_ptr_nonnull(h = http_new(&ep, &err));
	ck_assert_int_eq(pthread_create(&t, NULL, waker_main, &wake[1]), 0);
	t0 = now_ms();
	ck_assert_int_eq(http_perform(h, url, NULL, &err), -1);
	pthread_join(t, NULL);
	ck_assert_int_eq(err.code, ERR_CANCELLED);
	ck_assert_int_eq(err.scope, ERR_SCOPE_OP);
	ck_assert_int_lt(now_ms() - t0, 1000);
	http_free(h);
	close(wake[0]);
	close(wake[1]);
	close(fd);
}
END_TEST

/* A proxy that is not there is named in the error. */
START_TEST(test_proxy_down)
{
	struct transport_endpoint	 ep;
	struct http			*h;
	struct error			 err;
	char				 port[16], want[128];
	int				 fd, p;

	fd = listener(&p);
	close(fd);
	snprintf(port, sizeof port, "%d", p);
	ep_init(&ep);
	ep.proxy.type = STREAM_PROXY_SOCKS5;
	ep.proxy.host = "127.0.0.1";
	ep.proxy.port = port;
	ck_assert_ptr_nonnull(h = http_new(&ep, &err));
	ck_assert_int_eq(http_perform(h, "https://mail.example.org/", NULL,
	    &err), -1);
	snprintf(want, sizeof want, "SOCKS5 proxy 127.0.0.1:%d: cannot "
	    "connect: Connection refused", p);
	ck_assert_int_eq(err.code, ERR_NET);
	ck_assert_str_eq(err.msg, want);
	http_free(h);
}
END_TEST

/* The suite. */
static Suite *
http_suite(void)
{
	Suite	*s = suite_create("http");
	TCase	*tc = tcase_create("core");

	tcase_add_loop_test(tc, test_map, 0,
	    (int)(sizeof map_cases / sizeof *map_cases));
	tcase_add_test(tc, test_map_files);
	tcase_add_loop_test(tc, test_map_bad, 0,
	    (int)(sizeof bad_cases / sizeof *bad_cases));
	tcase_add_loop_test(tc, test_errors, 0,
	    (int)(sizeof err_cases / sizeof *err_cases));
	tcase_add_test(tc, test_secret_headers);
	tcase_add_test(tc, test_trace_redacted);
	tcase_add_test(tc, test_get_plain);
	tcase_add_test(tc, test_https_only);
	tcase_add_test(tc, test_silent);
	tcase_add_test(tc, test_proxy_down);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(http_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
